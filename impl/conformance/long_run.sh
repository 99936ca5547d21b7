#!/usr/bin/env bash
# long_run.sh [COMMANDS] [SEED]
#
# The long differential run against a real redis-server (issue #6): runs
# conformance_serve_differential_test's DefaultMix and ContendedTransactions
# with COMMANDS commands each (default 100000) and writes
#   results/conformance/<date>-differential.md   (what ran, on what, the result)
#   results/conformance/<date>-differential.json (one line per test)
# BUILD (default build) must hold the test binary and txlab_serve:
#   ninja -C build conformance_serve_differential_test txlab_serve
# Exit status: the test's (0: no divergence).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$root/build}
commands=${1:-100000}
seed=${2:-$(( (RANDOM << 15 | RANDOM) + 1 ))}
bin=$build/impl/conformance/conformance_serve_differential_test
[ -x "$bin" ] || { echo "long_run.sh: missing $bin (ninja -C $build conformance_serve_differential_test txlab_serve)" >&2; exit 1; }
case $commands in ''|*[!0-9]*) echo "long_run.sh: COMMANDS must be a positive integer, not '$commands'" >&2; exit 1;; esac

date_tag=$(date -u +%Y-%m-%d)
out=$root/results/conformance
mkdir -p "$out"
json=$out/$date_tag-differential.json
md=$out/$date_tag-differential.md
log=$(mktemp "${TMPDIR:-/tmp}/txlab-difflong.XXXXXX")
trap 'rm -f "$log"' EXIT
rm -f "$json"

start=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
TXLAB_DIFF_COMMANDS=$commands TXLAB_SEED=$seed TXLAB_DIFF_REPORT=$json \
  "$bin" --gtest_filter='ServeDifferential.DefaultMix:ServeDifferential.ContendedTransactions' >"$log" 2>&1
status=$?
secs=$(( $(date +%s) - start ))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

commit=$(git -C "$root" rev-parse --short HEAD)
dirty=$(git -C "$root" status --porcelain -- impl model scripts | head -1)
redis_version=$(redis-server --version | sed 's/.*v=\([0-9.]*\).*/\1/')
{
  echo "# Differential run: txlab serve and the model vs redis-server — $date_tag"
  echo
  echo "- Result: $([ $status -eq 0 ] && echo '**0 divergences**' || echo "**divergence found (exit $status)**; the shrunk reproducer is below")."
  echo "- Commands: $commands per test, 2 tests (\`DefaultMix\`: 4 connections; \`ContendedTransactions\`: 3 connections on 2 keys), seed $seed (\`TXLAB_SEED=$seed\` replays)."
  echo "- Commit $commit${dirty:+ (with uncommitted changes)}; redis-server $redis_version (Debian package, \`--save '' --appendonly no\`, DEBUG SET-ACTIVE-EXPIRE 0); txlab_serve --no-active-expire."
  echo "- Machine: $(nproc) cores, $(uname -sr); load average $load_before before, $load_after after; wall time ${secs} s."
  echo "- Command: \`impl/conformance/long_run.sh $commands $seed\`; what is generated and compared: impl/conformance/README.md."
  echo
  echo "Per test (from $date_tag-differential.json):"
  echo
  echo '```'
  grep -E 'programs, |Lua exclusion|passed|Falsifiable' "$log"
  echo '```'
  if [ $status -ne 0 ]; then
    echo
    echo '```'
    grep -v '^\[' "$log" | head -80
    echo '```'
  fi
} >"$md"
cat "$md"
exit $status
