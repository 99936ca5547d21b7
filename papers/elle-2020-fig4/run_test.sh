#!/usr/bin/env bash
# ctest papers_elle2020_fig4_tiny_grid: run.py on spec_tiny.json (c=2, n=2000, both checkers:
# two cells) must write results.csv with the expected columns and two rows, each "ok" (the
# lua strategy's histories are valid by construction, so both checkers must accept them).
# n=2000: ~30 appends per key and no key replaced, so no key is only ever read (a read-only key
# makes the linearizability checker misjudge the history; notes.md 1).
# Also: a spec naming an unknown checker is refused with a one-line error and exit 2.
#   run_test.sh TXLAB_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
txlab=${1:?usage: run_test.sh TXLAB_BINARY}
work=$(mktemp -d "${TMPDIR:-/tmp}/txlab-papers-fig4.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 "$here/run.py" --spec "$here/spec_tiny.json" --out "$work/out" --txlab "$txlab" | tee "$work/log"
# With matplotlib (under python3 or Debian's /usr/bin/python3) the plot must be there too.
if ! grep -q "matplotlib missing" "$work/log"; then
  [ -s "$work/out/fig4.png" ] || { echo "no fig4.png although matplotlib is installed" >&2; exit 1; }
fi
python3 - "$work/out" <<'PY'
import csv, json, os, sys
out = sys.argv[1]
want = ["checker", "concurrency", "txns", "history_ops", "outcome", "capped", "wall_s", "cpu_s",
        "check_s", "maxrss_mib", "cap_s", "load1", "load5", "load15", "gen_wall_s", "gen_cpu_s", "seed",
        "commit", "machine", "summary"]
with open(os.path.join(out, "results.csv"), newline="") as f:
    r = csv.DictReader(f)
    rows = list(r)
    assert r.fieldnames == want, f"columns {r.fieldnames} != {want}"
assert sorted(x["checker"] for x in rows) == ["isolation", "linearizable"], rows
for x in rows:
    assert (x["concurrency"], x["txns"]) == ("2", "2000"), x
    assert x["outcome"] == "ok", f"{x['checker']}: {x['outcome']}: {x['summary']}"
    assert int(x["history_ops"]) > 4000 and float(x["wall_s"]) > 0 and x["commit"] and x["machine"], x
    float(x["cpu_s"]); float(x["load1"]); float(x["check_s"])
meta = json.load(open(os.path.join(out, "run.json")))
assert meta["machine"] and meta["commit"] and len(meta["load_at_start"]) == 3, meta
print("results.csv: columns and 2 ok rows as expected")
PY

printf '{"history": {}, "concurrency": [1], "txns": [10], "checkers": {"knossos": ""}, "cap_s": 1}\n' >"$work/bad.json"
if python3 "$here/run.py" --spec "$work/bad.json" --out "$work/bad" --txlab "$txlab" 2>"$work/err"; then
  echo "run.py accepted a spec with an unknown checker" >&2; exit 1
fi
grep -q "unknown checker 'knossos'" "$work/err" || { echo "unexpected error text: $(cat "$work/err")" >&2; exit 1; }
[ "$(wc -l <"$work/err")" -eq 1 ] || { echo "error is not one line: $(cat "$work/err")" >&2; exit 1; }
echo "papers fig4 tiny grid: ok"
