#!/usr/bin/env bash
# ctest: `txlab run` against a real 3-master Redis Cluster (SEMANTICS §4).
#   cluster_run_test.sh TXLAB_BINARY
# 1. bank and counter with lua, watch, lock, lock-fenced and lock-2pc: every invariant
#    holds. lua and watch get hash-tagged keys ({bank}acct:3, --key-tags auto); the lock
#    strategies run on untagged keys across the three masters.
#    list-append and rw-register with lua, watch and lock-2pc: the isolation checker finds
#    no anomaly (strict serializable).
# 2. lua and watch on untagged bank keys (--key-tags none): txns across slots fail with
#    cross-slot (:fail, never :info), nothing runs unsafely, no invariant breaks (with every
#    read refused too, the bank checker can only say unknown).
# 3. the negative control (naive) breaks the bank invariant for some seed (at most 6 tries).
# The cluster is started by scripts/redis/start-cluster and stopped by PID in the EXIT
# trap, also when a check fails. Skipped (exit 0) without redis-server.
set -euo pipefail
trap 'echo "cluster_run_test: line $LINENO failed: $BASH_COMMAND" >&2' ERR
root=$(cd "$(dirname "$0")/.." && pwd)
txlab=${1:?usage: cluster_run_test.sh TXLAB_BINARY}
command -v redis-server >/dev/null || { echo "redis-server not installed: skipped"; exit 0; }

DIR= work=
cleanup() {
  [ -z "$DIR" ] || "$root/scripts/redis/stop-cluster" "$DIR"
  [ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT
work=$(mktemp -d "${TMPDIR:-/tmp}/txlab-cluster-run.XXXXXX")
eval "$("$root/scripts/redis/start-cluster")"
url="cluster://127.0.0.1:$PORT"

# verdicts DIR [CHECK]: one line per case, "workload strategy outcome summary" of the
# invariant (default) or isolation check.
verdicts() {
  python3 - "$1/verdicts.json" "${2:-invariant}" <<'PY'
import json, sys
for v in json.load(open(sys.argv[1])):
    inv = v.get(sys.argv[2], {})
    print(v["workload"], v["strategy"], inv.get("outcome", "none"), inv.get("summary", ""))
PY
}
# aborts DIR REASON: that abort reason's count, summed over the cases.
aborts() {
  python3 - "$1/metrics.json" "$2" <<'PY'
import json, sys
print(sum(s["aborts_by_reason"].get(sys.argv[2], 0) for m in json.load(open(sys.argv[1])) for s in m["strategies"]))
PY
}

# 1. Every strategy that can, on the cluster: invariants hold.
# Leases of 10 s: a loaded machine must not turn a descheduled `lock` holder into a lapsed
# lease (that fault, and what fencing and 2PC do about it, is the simulator's to test).
"$txlab" run -q -t "$url" -w bank,counter -s lua,watch,lock,lock-fenced,lock-2pc -c 4 -n 300 --seed 1 \
  --lock-ttl 10s -o "$work/safe" >"$work/safe.txt"
cat "$work/safe.txt"
verdicts "$work/safe" >"$work/safe.verdicts"
[ "$(wc -l <"$work/safe.verdicts")" = 10 ]
if grep -v ' ok ' "$work/safe.verdicts"; then
  echo "cluster_run_test: an invariant failed on the cluster (above)" >&2
  exit 1
fi
# --key-tags auto: lua and watch ran on {workload}-tagged keys, the lock strategies untagged
# (their txns span the masters).
python3 - "$work/safe/metrics.json" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1])):
    want = m["workload"] if m["strategy"] in ("lua", "watch") else ""
    assert m["hash_tag"] == want, (m["workload"], m["strategy"], m["hash_tag"])
PY

# 1b. Elle's workloads, multi-key txns: lock-2pc across the masters, lua and watch tagged.
"$txlab" run -q -t "$url" -w list-append,rw-register -s lua,watch,lock-2pc -c 4 -n 300 --seed 3 \
  -o "$work/elle" >"$work/elle.txt"
cat "$work/elle.txt"
verdicts "$work/elle" isolation >"$work/elle.verdicts"
[ "$(wc -l <"$work/elle.verdicts")" = 6 ]
if grep -v ' ok ' "$work/elle.verdicts"; then
  echo "cluster_run_test: the isolation checker found an anomaly on the cluster (above)" >&2
  exit 1
fi

# 2. One-slot strategies on untagged keys: refused per txn, not run unsafely.
"$txlab" run -q -t "$url" -w bank -s lua,watch --key-tags none -c 2 -n 100 --seed 2 -o "$work/untagged" \
  >"$work/untagged.txt"
cat "$work/untagged.txt"
verdicts "$work/untagged" >"$work/untagged.verdicts"
if grep ' illegal ' "$work/untagged.verdicts"; then
  echo "cluster_run_test: untagged run broke the invariant" >&2
  exit 1
fi
refused=$(aborts "$work/untagged" cross-slot)
echo "untagged lua, watch: $refused txns refused with cross-slot"
[ "$refused" -gt 0 ]
for s in lua watch; do
  # Every completion of a txn across slots is :fail :cross-slot; none is :info.
  python3 - "$work/untagged/bank/$s/history.edn" <<'PY'
import re, sys
done = [l for l in open(sys.argv[1]) if not l.startswith("{:type :invoke")]
bad = [l for l in done if l.startswith("{:type :info")]
refused = [l for l in done if l.startswith("{:type :fail") and ':error "cross-slot"' in l]
assert not bad, bad[:3]
assert refused, "no :fail :cross-slot"
print(sys.argv[1].split("/")[-2], len(refused), "of", len(done), "completions :fail :cross-slot")
PY
done

# 3. The negative control still breaks on the cluster.
found=0
for seed in 1 2 3 4 5 6; do
  "$txlab" run -q -t "$url" -w bank -s naive --accounts 2 -c 8 -n 600 --seed "$seed" -o "$work/naive-$seed" \
    >/dev/null
  if verdicts "$work/naive-$seed" | grep ' illegal ' >/dev/null; then
    found=$seed
    break
  fi
done
echo "naive on the cluster: first seed with a broken invariant: $found"
[ "$found" != 0 ]
echo "cluster runs ok"
