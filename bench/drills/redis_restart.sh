#!/usr/bin/env bash
# Drill: Redis restarts under load. Two hosts share one PostgreSQL database and one Redis; Redis
# is stopped and started again DOWN_SECONDS later (default 3) on the same port. Like the Redis of
# tests/support/redis.sh it keeps nothing on disk, so the restart also forgets every dedup key and
# every "the platform took this part" key: exactly-once must then rest on the database alone.
# Webhooks do not need Redis and should all be acknowledged; no reply may be lost or sent twice.
#
# Usage: bench/drills/redis_restart.sh
# See drill_common.sh for RATE, BEFORE, DOWN_SECONDS, AFTER, DRAIN_SECONDS, KEEP. Not run in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-$ROOT/build}
source bench/drills/drill_common.sh

# tests/support/redis.sh start picks a new port each time; the hosts' configs name the first one,
# so the restart runs redis-server itself, with redis.sh's options, on that port.
# Redis removes its pidfile as it exits (the daemon is not our child: kill -0 would still find
# it as a zombie until something reaps it).
redis_stop() {
  kill -TERM "$(cat "$WORK/services/redis.pid")"
  while [ -f "$WORK/services/redis.pid" ]; do sleep 0.02; done
}
redis_start() {
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$WORK/services/redis.pid" --logfile "$WORK/services/redis.log" \
    --dir "$WORK/services/redis" --save '' --appendonly no >/dev/null
  until [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; do sleep 0.05; done
}

# The hosts' Redis clients must find the new server by themselves: after the restart it holds only
# keys written since (event dedup keys, one per event processed).
redis_check() {
  echo "redis after the restart: $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info clients |
    grep -o 'connected_clients:[0-9]*'), keys $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" dbsize)"
}

outage_drill redis redis_stop redis_start redis_check
