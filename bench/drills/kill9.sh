#!/usr/bin/env bash
# Drill: kill -9 under load. Every webhook the client saw acknowledged (200) must be answered by
# exactly one send; the only duplicate allowed is a send the Graph API answered just before the
# kill (the host had no time to record the answer, so it sends again after the restart).
#
# Usage: bench/drills/kill9.sh sqlite|postgres [KILLS]   (KILLS default 20)
#   sqlite:   one host on SQLite with in-memory dedup.
#   postgres: two hosts sharing one PostgreSQL database and one Redis, the load split between
#             them; each kill picks one at random.
# KILLS times, 0.5-3 s apart at random, a host is killed with SIGKILL and started again at once on
# the same config and data directory (so its instance lock lets it take back its dead run's
# claims). RESTART_DELAY=S waits S seconds before the restart instead: with S above the 10 s lease,
# the other PostgreSQL host takes over the dead one's claims when they expire. Then the load
# stops, unacknowledged deliveries are resent as Meta would (RESEND=0: not), everything drains and
# the verdict compares the acknowledged webhooks with the sends.
# See drill_common.sh for RATE, DRAIN_SECONDS, WINDOW_MS, KEEP. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-$ROOT/build}
MODE=${1:-}
KILLS=${2:-20}
case "$MODE" in
  sqlite | postgres) ;;
  *) echo "usage: $0 sqlite|postgres [KILLS]" >&2; exit 2 ;;
esac

source bench/drills/drill_common.sh
started=$SECONDS

start_graph
make_payloads
if [ "$MODE" = sqlite ]; then
  use_sqlite
  hosts=(a)
else
  use_postgres
  hosts=(a b)
fi
for h in "${hosts[@]}"; do add_host "$h"; done
start_host a
setup_agent a
# The second host starts after the connection is stored, so its first lookup finds it.
[ "$MODE" = postgres ] && start_host b

echo "== kill9 $MODE: $KILLS kills, ${RATE} webhooks/s over ${hosts[*]}, work dir $WORK"
start_load "${hosts[@]}"
sleep 2
for i in $(seq 1 "$KILLS"); do
  sleep "$(awk -v r="$RANDOM" 'BEGIN {printf "%.2f", 0.5 + 2.5 * r / 32767}')"
  victim=${hosts[RANDOM % ${#hosts[@]}]}
  kill_host "$victim"
  sleep "${RESTART_DELAY:-0}"
  start_host "$victim"
done
echo "kills: $KILLS at $(awk '$2 == "kill" {printf "%s(%s) ", $1, $3}' "$EVENTS")"
sleep 2
stop_load
drain
verdict
echo "run time: $((SECONDS - started)) s"
for h in "${hosts[@]}"; do stop_host "$h"; done
