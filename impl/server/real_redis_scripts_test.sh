#!/usr/bin/env bash
# ctest: scripts/redis/start-server and start-cluster really start servers,
# and the EXIT trap stops them even when a check below fails.
set -euo pipefail
# Name the failing check: under set -e a failed [ ] would otherwise end the test silently.
trap 'echo "real_redis_scripts_test: line $LINENO failed: $BASH_COMMAND" >&2' ERR
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v redis-server >/dev/null || { echo "redis-server not installed: skipped"; exit 0; }

DIR= CDIR=
cleanup() {
  [ -z "$DIR" ] || "$root/scripts/redis/stop-server" "$DIR"
  [ -z "$CDIR" ] || "$root/scripts/redis/stop-cluster" "$CDIR"
}
trap cleanup EXIT

eval "$("$root/scripts/redis/start-server")"
[ "$(redis-cli -p "$PORT" set k v)" = OK ]
[ "$(redis-cli -p "$PORT" get k)" = v ]
[ "$(redis-cli -p "$PORT" config get save | tail -1)" = "" ]
[ "$(redis-cli -p "$PORT" config get bind | tail -1)" = "127.0.0.1" ]

sdir=$DIR
out=$("$root/scripts/redis/start-cluster")
eval "$out"  # sets PORTS PORT DIR: keep the server's DIR apart
CDIR=$DIR DIR=$sdir
for p in $PORTS; do
  redis-cli -p "$p" cluster info | grep cluster_state:ok >/dev/null  # not -q: an early exit would SIGPIPE redis-cli under pipefail
done
[ "$(redis-cli -p "$PORT" cluster keyslot 123456789)" = 12739 ]
[ "$(redis-cli -c -p "$PORT" set foo bar)" = OK ]      # slot 12182: third node
redis-cli -p "$PORT" get foo | grep '^MOVED 12182 127.0.0.1:' >/dev/null
[ "$(redis-cli -c -p "$PORT" get foo)" = bar ]
echo "scripts ok"
