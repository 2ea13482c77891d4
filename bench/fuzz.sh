#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) and runs each of them on
# its corpus, then prints the executions per target. Exit status 1 when any target found a crash
# or failed a check (its input is kept under <build-dir>/artifacts/<target>/), 77 when clang or
# libFuzzer is not installed.
#
#   bench/fuzz.sh [--seconds N | --runs N] [--jobs J] [--build-dir DIR] [--no-build] [target...]
#
# Defaults: 60 seconds per target, one target at a time, build dir build-fuzz. New inputs found
# go to <build-dir>/corpus/<target> (the seed corpus in tests/fuzz/corpus is only read).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds=60
runs=""
jobs=1
build="$root/build-fuzz"
do_build=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; [ "$seconds" -gt 0 ] || { echo "--seconds must be > 0" >&2; exit 2; }; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=(request_framing response_wire webhook_parser signature jwt route_matcher
           config_loader agent_validator)
fi

if ! command -v clang++ >/dev/null 2>&1 ||
   [ -z "$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null | grep /)" ] ||
   [ ! -f "$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
  echo "clang++ with libFuzzer not found (apt-get install clang libfuzzer-14-dev): skipped"
  exit 77
fi

if [ "$do_build" = 1 ]; then
  mkdir -p "$build"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang CXX=clang++ cmake -S "$root/tests/fuzz" -B "$build" >"$build/configure.log" 2>&1 ||
      { cat "$build/configure.log"; exit 1; }
  fi
  build_jobs=$(nproc 2>/dev/null || echo 2)
  [ "$build_jobs" -gt 2 ] && build_jobs=2
  start=$(date +%s)
  cmake --build "$build" -j"$build_jobs" >"$build/build.log" 2>&1 || { tail -50 "$build/build.log"; exit 1; }
  echo "fuzz build: $(( $(date +%s) - start )) s"
fi

run_one() {
  local t="$1"
  local work="$build/corpus/$t" art="$build/artifacts/$t/" log="$build/logs/$t.log"
  mkdir -p "$work" "$art" "$build/logs"
  local limit="-max_total_time=$seconds"
  [ -n "$runs" ] && limit="-runs=$runs"
  local dict=()
  [ -f "$root/tests/fuzz/dict/$t.dict" ] && dict=("-dict=$root/tests/fuzz/dict/$t.dict")
  "$build/${t}_fuzz" "$limit" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art" "${dict[@]}" "$work" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1
  echo $? >"$build/logs/$t.rc"
}

if [ "$jobs" -gt 1 ]; then
  for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_one "$t" &
  done
  wait
else
  for t in "${targets[@]}"; do run_one "$t"; done
fi

status=0
printf '%-18s %14s %10s %8s  %s\n' target executions exec/s seconds result
for t in "${targets[@]}"; do
  log="$build/logs/$t.log"
  execs=$(grep 'stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -1)
  rate=$(grep 'stat::average_exec_per_sec:' "$log" | awk '{print $2}' | tail -1)
  secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' | tail -1)
  rc=$(cat "$build/logs/$t.rc" 2>/dev/null || echo 1)
  result=ok
  if [ "$rc" != 0 ]; then
    result="FAILED (rc $rc, log $log)"
    status=1
  fi
  printf '%-18s %14s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${secs:-?}" "$result"
done
if [ "$status" != 0 ]; then
  for t in "${targets[@]}"; do
    if [ "$(cat "$build/logs/$t.rc" 2>/dev/null)" != 0 ]; then
      echo "---- $t"
      grep -E 'ERROR|FUZZ_CHECK|SUMMARY|Test unit written|#[0-9]+ 0x' "$build/logs/$t.log" | head -40
    fi
  done
fi
exit $status
