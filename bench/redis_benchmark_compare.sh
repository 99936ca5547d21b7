#!/usr/bin/env bash
# redis_benchmark_compare.sh: `txlab serve` next to a real redis-server on the
# same machine, same client tool, same settings. A benchmark, not a test.
#
#   bench/redis_benchmark_compare.sh [BUILD_DIR]      (default: build)
#
# Rows: SET, GET, INCR, LPUSH (redis-benchmark -t), EVALSHA of a two-key
# transfer script (redis-benchmark custom command), and MULTI/EXEC of the same
# transfer (txlab_resp_load: redis-benchmark repeats one command and cannot
# send a transaction). Each at pipeline 1 and 16 with 50 clients.
# Targets alternate run by run (and which goes first alternates by round), so
# slow drift of a shared machine hits both; each cell is the median of
# ROUNDS runs. The ratio is txlab / redis (>= 1.0: txlab is as fast).
#
# Environment: ROUNDS (3), N1 (requests per run at pipeline 1, 20000),
# N16 (at pipeline 16, 200000), CLIENTS (50), THREADS (txlab workers, 0 =
# default), OUT (default results/bench/server-<date>.md; "-" for stdout only).
# Needs: redis-server, redis-benchmark, redis-cli, and the build's
# impl/server/txlab_serve and bench/txlab_resp_load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
ROUNDS=${ROUNDS:-3}
N1=${N1:-20000}
N16=${N16:-200000}
CLIENTS=${CLIENTS:-50}
THREADS=${THREADS:-0}
date_tag=$(date -u +%Y-%m-%d)
OUT=${OUT:-$root/results/bench/server-$date_tag.md}

serve=$build/impl/server/txlab_serve
load=$build/bench/txlab_resp_load
for tool in "$serve" "$load"; do
  [ -x "$tool" ] || { echo "missing $tool: ninja -C $build txlab_serve txlab_resp_load" >&2; exit 1; }
done
for tool in redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/txlab-bench.XXXXXX")
DIR= serve_pid=
cleanup() {
  [ -z "$serve_pid" ] || { kill -TERM "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true; }
  [ -z "$DIR" ] || "$root/scripts/redis/stop-server" "$DIR"
  rm -rf "$work"
}
trap cleanup EXIT

# ---- start both servers ------------------------------------------------------
eval "$("$root/scripts/redis/start-server")"
redis_port=$PORT
"$serve" --port 0 --threads "$THREADS" >"$work/serve.out" 2>&1 </dev/null &
serve_pid=$!
txlab_port=
for ((i = 0; i < 100; i++)); do
  txlab_port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\) .*/\1/p' "$work/serve.out")
  [ -n "$txlab_port" ] && break
  sleep 0.05
done
[ -n "$txlab_port" ] || { echo "txlab_serve did not start:" >&2; cat "$work/serve.out" >&2; exit 1; }

script='redis.call("DECRBY", KEYS[1], ARGV[1]) return redis.call("INCRBY", KEYS[2], ARGV[1])'
sha_txlab=$(redis-cli -p "$txlab_port" SCRIPT LOAD "$script")
sha_redis=$(redis-cli -p "$redis_port" SCRIPT LOAD "$script")
[ "$sha_txlab" = "$sha_redis" ] || { echo "SCRIPT LOAD differs: $sha_txlab vs $sha_redis" >&2; exit 1; }
for p in "$txlab_port" "$redis_port"; do redis-cli -p "$p" MSET ta 1000000000 tb 0 >/dev/null; done

# ---- one measurement: prints "<rps> <p50_ms>" ---------------------------------
measure() {  # measure PORT ROW PIPELINE
  local port=$1 row=$2 pipe=$3 n out
  n=$([ "$pipe" = 1 ] && echo "$N1" || echo "$N16")
  case $row in
    MULTI/EXEC)
      out=$(timeout 120 "$load" --port "$port" --clients "$CLIENTS" --pipeline "$pipe" --units "$n" \
        --unit 'MULTI|DECRBY ta 1|INCRBY tb 1|EXEC')
      echo "$out" | sed -n 's/units_per_sec=\([0-9.]*\) p50_ms=\([0-9.]*\).*/\1 \2/p'
      return
      ;;
    EVALSHA) set -- EVALSHA "$sha_txlab" 2 ta tb 1 ;;
    *) set -- -t "$(echo "$row" | tr 'A-Z' 'a-z')" ;;
  esac
  out=$(timeout 120 redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -P "$pipe" -n "$n" --csv "$@" 2>/dev/null |
    tail -1)
  # "name","rps","avg","min","p50",...
  echo "$out" | awk -F'","' '{gsub(/"/, "", $0); n = split($0, f, ","); print f[n-6], f[n-3]}'
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

rows="SET GET INCR LPUSH EVALSHA MULTI/EXEC"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
start_s=$(date +%s)
: >"$work/raw"
for ((round = 1; round <= ROUNDS; round++)); do
  for row in $rows; do
    for pipe in 1 16; do
      if ((round % 2)); then order="txlab redis"; else order="redis txlab"; fi
      for target in $order; do
        port=$([ "$target" = txlab ] && echo "$txlab_port" || echo "$redis_port")
        read -r rps p50 < <(measure "$port" "$row" "$pipe")
        echo "$row $pipe $target ${rps:-0} ${p50:-0}" >>"$work/raw"
      done
    done
  done
done
elapsed=$(($(date +%s) - start_s))
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table -------------------------------------------------------------
table=$work/table
{
  echo "| command | pipeline | txlab req/s | redis req/s | ratio txlab/redis | txlab p50 ms | redis p50 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for row in $rows; do
    for pipe in 1 16; do
      t=$(awk -v r="$row" -v p="$pipe" '$1 == r && $2 == p && $3 == "txlab" {print $4}' "$work/raw" | median)
      r=$(awk -v r="$row" -v p="$pipe" '$1 == r && $2 == p && $3 == "redis" {print $4}' "$work/raw" | median)
      tl=$(awk -v r="$row" -v p="$pipe" '$1 == r && $2 == p && $3 == "txlab" {print $5}' "$work/raw" | median)
      rl=$(awk -v r="$row" -v p="$pipe" '$1 == r && $2 == p && $3 == "redis" {print $5}' "$work/raw" | median)
      ratio=$(awk -v t="$t" -v r="$r" 'BEGIN {printf (r > 0 ? "%.2f" : "n/a"), (r > 0 ? t / r : 0)}')
      printf '| %s | %s | %.0f | %.0f | %s | %s | %s |\n' "$row" "$pipe" "$t" "$r" "$ratio" "$tl" "$rl"
    done
  done
} >"$table"

commit=$(git -C "$root" rev-parse --short HEAD)
dirty=$(git -C "$root" status --porcelain -- impl/server impl/engine impl/lua | head -1)
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
report=$work/report
{
  echo "# txlab serve vs redis-server — $date_tag"
  echo
  echo "- Script: \`bench/redis_benchmark_compare.sh\` (rows: redis-benchmark -t set/get/incr/lpush, EVALSHA"
  echo "  custom command; MULTI/EXEC with \`txlab_resp_load\`, one unit = MULTI, DECRBY, INCRBY, EXEC sent together)."
  echo "- Commit: \`$commit\`${dirty:+ (working tree has uncommitted changes under impl/)}. Build: $(basename "$build"), g++ $(g++ -dumpversion)."
  echo "- Machine: $cpu, $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)."
  echo "  Load average before/after: $load_start / $load_end (shared machine: other builds and tests run too)."
  echo "- redis-server $(redis-server --version | sed 's/.*v=\([0-9.]*\).*/\1/') (--save '' --appendonly no), txlab_serve --threads $THREADS (0 = max(4, cores))."
  echo "- Clients $CLIENTS; requests per run $N1 at pipeline 1 and $N16 at 16; $ROUNDS rounds, targets alternating;"
  echo "  each cell the median of the rounds. Ratio >= 1.0 means txlab serve is at least as fast. Took ${elapsed} s."
  echo
  cat "$table"
  echo
  echo "Raw runs (row, pipeline, target, req/s, p50 ms):"
  echo
  echo '```'
  cat "$work/raw"
  echo '```'
} >"$report"

cat "$report"
if [ "$OUT" != "-" ]; then
  mkdir -p "$(dirname "$OUT")"
  cp "$report" "$OUT"
  echo "written: $OUT" >&2
fi
