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
#
# Method (why the numbers can be trusted, and how far):
#   * ROUNDS rounds; in each, every row runs once against each server, the
#     two runs back to back, and which server goes first alternates by round,
#     so slow drift of a shared machine hits both.
#   * Per row: the median and the range (min-max) of each server's req/s, and
#     the ratio txlab/redis as the median (and range) of the per-round
#     ratios: each pairs two runs taken seconds apart, so a load burst that
#     spans both cancels out.
#   * CPU: each run's CPU time of the server (/proc/PID/stat, all threads),
#     of the client, and of everything else on the machine (/proc/stat minus
#     those two), so the table says how loaded the machine was during that row,
#     and CPU microseconds per request compare the servers' efficiency even
#     when throughput does not (a load burst changes throughput, much less the
#     CPU each request costs).
#   * PIN=auto (default, with >= 2 CPUs): both servers run on the last CPU
#     (taskset -a, every thread), the client on the others, so each server
#     gets the same one core (redis-server's main thread is one core anyway)
#     and the client never competes with the server for it. PIN=off: no
#     pinning (the scheduler decides; noisier on 2 CPUs). PIN=<cpu list>: the
#     servers on those CPUs, the client on the rest.
#
# Environment: ROUNDS (5), N1 (requests per run at pipeline 1, 100000),
# N16 (at pipeline 16, 1000000), CLIENTS (50), THREADS (txlab event loops,
# 0 = default), BUSY_POLL (txlab_serve --busy-poll in µs; empty = its default), PIN (auto), ROWS (all: "SET GET INCR LPUSH EVALSHA MULTI/EXEC"),
# OUT (default results/bench/server-<date>.md, and the ratios plotted beside it
# as .png by bench/plot_server_compare.py; "-" for stdout only).
# Needs: redis-server, redis-benchmark, redis-cli, taskset (for PIN), and the
# build's impl/server/txlab_serve and bench/txlab_resp_load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
ROUNDS=${ROUNDS:-5}
N1=${N1:-100000}
N16=${N16:-1000000}
CLIENTS=${CLIENTS:-50}
THREADS=${THREADS:-0}
BUSY_POLL=${BUSY_POLL:-}
PIN=${PIN:-auto}
ROWS=${ROWS:-SET GET INCR LPUSH EVALSHA MULTI/EXEC}
date_tag=$(date -u +%Y-%m-%d)
OUT=${OUT:-$root/results/bench/server-$date_tag.md}

[ -z "$BUSY_POLL" ] || [[ $BUSY_POLL =~ ^[0-9]+$ ]] || { echo "redis_benchmark_compare: BUSY_POLL must be a number, got '$BUSY_POLL'" >&2; exit 1; }
for v in ROUNDS N1 N16 CLIENTS THREADS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "redis_benchmark_compare: $v must be a number, got '${!v}'" >&2; exit 1; }
done
((ROUNDS >= 1)) || { echo "redis_benchmark_compare: ROUNDS must be >= 1" >&2; exit 1; }
for row in $ROWS; do
  case $row in SET | GET | INCR | LPUSH | EVALSHA | MULTI/EXEC) ;;
    *) echo "redis_benchmark_compare: unknown row '$row' in ROWS" >&2; exit 1 ;;
  esac
done
serve=$build/impl/server/txlab_serve
load=$build/bench/txlab_resp_load
for tool in "$serve" "$load"; do
  [ -x "$tool" ] || { echo "missing $tool: ninja -C $build txlab_serve txlab_resp_load" >&2; exit 1; }
done
for tool in redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

# ---- CPU placement -------------------------------------------------------------
ncpu=$(nproc)
server_cpus= client_cpus=
case $PIN in
  off) ;;
  auto)
    if ((ncpu >= 2)); then
      server_cpus=$((ncpu - 1))
      client_cpus=0-$((ncpu - 2))
    fi
    ;;
  *)
    [[ $PIN =~ ^[0-9,-]+$ ]] || { echo "redis_benchmark_compare: PIN must be auto, off or a CPU list, got '$PIN'" >&2; exit 1; }
    server_cpus=$PIN
    client_cpus=$(python3 -c "
import sys
pin = set()
for part in sys.argv[1].split(','):
    a, _, b = part.partition('-')
    pin.update(range(int(a), int(b or a) + 1))
print(','.join(str(c) for c in range(int(sys.argv[2])) if c not in pin))" "$PIN" "$ncpu")
    [ -n "$client_cpus" ] || { echo "redis_benchmark_compare: PIN=$PIN leaves no CPU for the client" >&2; exit 1; }
    ;;
esac
if [ -n "$server_cpus" ]; then
  command -v taskset >/dev/null || { echo "missing taskset (or set PIN=off)" >&2; exit 1; }
  client=(taskset -c "$client_cpus")
else
  client=()
fi

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
redis_port=$PORT redis_pid=$PID
busy_poll=${BUSY_POLL:-$("$serve" --help | sed -n 's/.*--busy-poll [^=]*=\([0-9]*\).*/\1/p')}
: >"$work/serve.out"  # exists before the polling below reads it
"$serve" --port 0 --threads "$THREADS" --busy-poll "$busy_poll" >"$work/serve.out" 2>&1 </dev/null &
serve_pid=$!
txlab_port=
for ((i = 0; i < 100; i++)); do
  txlab_port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\) .*/\1/p' "$work/serve.out")
  [ -n "$txlab_port" ] && break
  sleep 0.05
done
[ -n "$txlab_port" ] || { echo "txlab_serve did not start:" >&2; cat "$work/serve.out" >&2; exit 1; }
if [ -n "$server_cpus" ]; then
  taskset -a -cp "$server_cpus" "$redis_pid" >/dev/null
  taskset -a -cp "$server_cpus" "$serve_pid" >/dev/null
fi
txlab_loops=$(redis-cli -p "$txlab_port" CONFIG GET io-threads | tail -1)

script='redis.call("DECRBY", KEYS[1], ARGV[1]) return redis.call("INCRBY", KEYS[2], ARGV[1])'
sha_txlab=$(redis-cli -p "$txlab_port" SCRIPT LOAD "$script")
sha_redis=$(redis-cli -p "$redis_port" SCRIPT LOAD "$script")
[ "$sha_txlab" = "$sha_redis" ] || { echo "SCRIPT LOAD differs: $sha_txlab vs $sha_redis" >&2; exit 1; }
for p in "$txlab_port" "$redis_port"; do redis-cli -p "$p" MSET ta 1000000000 tb 0 >/dev/null; done

# ---- CPU accounting (clock ticks) ----------------------------------------------
tck=$(getconf CLK_TCK)
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }         # utime + stime, all threads
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }  # user nice system irq softirq steal
# Runs the client command, its output in $work/client.out; prints the
# client's CPU ticks (the sh's children's utime + stime once it has waited).
run_client() {
  sh -c '"$@" >"$0" 2>/dev/null || true; awk "{print \$16 + \$17}" /proc/$$/stat' "$work/client.out" \
    timeout 300 "${client[@]}" "$@"
}

# ---- one measurement: prints "<rps> <p50_ms> <server_ticks> <client_ticks> <other_ticks> <secs>"
measure() {  # measure TARGET ROW PIPELINE
  local target=$1 row=$2 pipe=$3 n port pid rps p50 s0 s1 m0 m1 c t0 t1
  n=$([ "$pipe" = 1 ] && echo "$N1" || echo "$N16")
  if [ "$target" = txlab ]; then port=$txlab_port pid=$serve_pid; else port=$redis_port pid=$redis_pid; fi
  s0=$(proc_ticks "$pid") m0=$(machine_busy) t0=$(date +%s.%N)
  case $row in
    MULTI/EXEC)
      c=$(run_client "$load" --port "$port" --clients "$CLIENTS" --pipeline "$pipe" --units "$n" \
        --unit 'MULTI|DECRBY ta 1|INCRBY tb 1|EXEC')
      read -r rps p50 < <(sed -n 's/units_per_sec=\([0-9.]*\) p50_ms=\([0-9.]*\).*/\1 \2/p' "$work/client.out")
      ;;
    *)
      if [ "$row" = EVALSHA ]; then
        set -- EVALSHA "$sha_txlab" 2 ta tb 1
      else
        set -- -t "$(echo "$row" | tr 'A-Z' 'a-z')"
      fi
      c=$(run_client redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -P "$pipe" -n "$n" --csv "$@")
      # "name","rps","avg","min","p50",...
      read -r rps p50 < <(tail -1 "$work/client.out" | awk -F, '{gsub(/"/, ""); print $(NF-6), $(NF-3)}')
      ;;
  esac
  s1=$(proc_ticks "$pid") m1=$(machine_busy) t1=$(date +%s.%N)
  echo "${rps:-0} ${p50:-0} $((s1 - s0)) $c $((m1 - m0 - (s1 - s0) - c)) $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')"
}

median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) print 0; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
minmax() { sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo, hi}'; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
busy_start=$(machine_busy)
start_s=$(date +%s)
raw=$work/raw  # round row pipeline target rps p50 server_ticks client_ticks other_ticks secs
: >"$raw"
for ((round = 1; round <= ROUNDS; round++)); do
  for row in $ROWS; do
    for pipe in 1 16; do
      if ((round % 2)); then order="txlab redis"; else order="redis txlab"; fi
      for target in $order; do
        echo "$round $row $pipe $target $(measure "$target" "$row" "$pipe")" >>"$raw"
      done
    done
  done
  echo "round $round of $ROUNDS done ($(($(date +%s) - start_s)) s, load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
elapsed=$(($(date +%s) - start_s))
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
others_pct=$(awk -v b0="$busy_start" -v b1="$(machine_busy)" -v t="$tck" -v s="$elapsed" -v n="$ncpu" \
  'BEGIN {printf "%.0f", (s > 0 ? 100 * (b1 - b0) / t / s / n : 0)}')

# ---- the table -------------------------------------------------------------
col() {  # col ROW PIPE TARGET FIELD: one field of the matching raw lines
  awk -v r="$1" -v p="$2" -v t="$3" -v f="$4" '$2 == r && $3 == p && $4 == t {print $f}' "$raw"
}
k() { awk -v x="$1" 'BEGIN {printf (x >= 100000 ? "%.0fk" : "%.1fk"), x / 1000}'; }
table=$work/table
{
  echo "| command | pipeline | txlab req/s median (min–max) | redis req/s median (min–max) | ratio txlab/redis median (min–max) | CPU µs/req txlab / redis | others' CPU % |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for row in $ROWS; do
    for pipe in 1 16; do
      n=$([ "$pipe" = 1 ] && echo "$N1" || echo "$N16")
      t=$(col "$row" "$pipe" txlab 5 | median); read -r tlo thi < <(col "$row" "$pipe" txlab 5 | minmax)
      r=$(col "$row" "$pipe" redis 5 | median); read -r rlo rhi < <(col "$row" "$pipe" redis 5 | minmax)
      # Per-round ratios: the two runs of one round were taken back to back.
      ratios=$(awk -v r="$row" -v p="$pipe" '$2 == r && $3 == p {v[$1, $4] = $5; rounds[$1] = 1}
        END {for (k in rounds) if (v[k, "redis"] > 0) printf "%.3f\n", v[k, "txlab"] / v[k, "redis"]}' "$raw")
      q=$(echo "$ratios" | median); read -r qlo qhi < <(echo "$ratios" | minmax)
      tc=$(col "$row" "$pipe" txlab 7 | median); rc=$(col "$row" "$pipe" redis 7 | median)
      oth=$(awk -v r="$row" -v p="$pipe" -v t="$tck" '$2 == r && $3 == p && $10 > 0 {print 100 * $9 / t / $10}' "$raw" | median)
      printf '| %s | %s | %s (%s–%s) | %s (%s–%s) | **%.2f** (%.2f–%.2f) | %.2f / %.2f | %.0f |\n' \
        "$row" "$pipe" "$(k "$t")" "$(k "$tlo")" "$(k "$thi")" "$(k "$r")" "$(k "$rlo")" "$(k "$rhi")" \
        "$q" "$qlo" "$qhi" \
        "$(awk -v c="$tc" -v t="$tck" -v n="$n" 'BEGIN {print 1e6 * c / t / n}')" \
        "$(awk -v c="$rc" -v t="$tck" -v n="$n" 'BEGIN {print 1e6 * c / t / n}')" "$oth"
    done
  done
} >"$table"
below=$(grep -c '| \*\*0\.' "$table" || true)

commit=$(git -C "$root" rev-parse --short HEAD)
dirty=$(git -C "$root" status --porcelain -- impl/server impl/engine impl/lua | head -1)
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
report=$work/report
{
  echo "# txlab serve vs redis-server — $date_tag"
  echo
  echo "- Script: \`bench/redis_benchmark_compare.sh\` (rows: redis-benchmark -t set/get/incr/lpush, EVALSHA"
  echo "  custom command; MULTI/EXEC with \`txlab_resp_load\`, one unit = MULTI, DECRBY, INCRBY, EXEC sent together;"
  echo "  its req/s are units/s)."
  echo "- Commit: \`$commit\`${dirty:+ (working tree has uncommitted changes under impl/)}. Build: $(basename "$build"), g++ $(g++ -dumpversion)."
  echo "- Machine: $cpu, $ncpu CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)."
  echo "  Load average before/after: $load_start / $load_end. Whole-machine CPU use during the run: ${others_pct}% of $ncpu CPUs"
  echo "  (both servers and clients included; the last column gives everything else, per row)."
  echo "- redis-server $(redis-server --version | sed 's/.*v=\([0-9.]*\).*/\1/') (--save '' --appendonly no); txlab_serve --threads $THREADS ($txlab_loops event loop(s)) --busy-poll $busy_poll (µs an idle loop polls before it sleeps)."
  if [ -n "$server_cpus" ]; then
    echo "- Pinning (PIN=$PIN): both servers on CPU $server_cpus (taskset -a), clients on CPU $client_cpus."
  else
    echo "- Pinning: none (PIN=$PIN)."
  fi
  echo "- Clients $CLIENTS; requests per run $N1 at pipeline 1 and $N16 at 16; $ROUNDS rounds, the two servers back"
  echo "  to back in each round, alternating which goes first. Ratio = median of the per-round ratios txlab/redis"
  echo "  (>= 1.0: txlab serve is at least as fast), with their range. CPU µs/req: the server's CPU time per"
  echo "  request (median run). Others' CPU %: what the rest of the machine used during the row's runs (median"
  echo "  run; 100 = one whole CPU). Took ${elapsed} s. Rows with ratio below 1.0: $below."
  echo
  cat "$table"
  echo
  echo "Raw runs (round, row, pipeline, target, req/s, p50 ms, server / client / others' CPU ticks at $tck Hz, seconds):"
  echo
  echo '```'
  cat "$raw"
  echo '```'
} >"$report"

cat "$report"
if [ "$OUT" != "-" ]; then
  mkdir -p "$(dirname "$OUT")"
  cp "$report" "$OUT"
  echo "written: $OUT" >&2
  # The ratios as a plot beside it (OUT with .png), with whichever python has matplotlib.
  for py in python3 /usr/bin/python3; do
    if "$py" -c 'import matplotlib' 2>/dev/null; then
      "$py" "$root/bench/plot_server_compare.py" "$OUT" || echo "redis_benchmark_compare: plot failed" >&2
      break
    fi
  done
fi
