#!/usr/bin/env python3
"""Summarises recording_bench JSON: per case, the medians over repetitions of
throughput (items/s) and client CPU per txn, recording on vs off, and the
cost of recording (throughput lost, CPU added) in percent.

usage: bench/recording_summary.py recording.json
"""
import json
import statistics
import sys
from collections import defaultdict


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: recording_summary.py RESULT.json")
    with open(sys.argv[1]) as f:
        data = json.load(f)
    runs = defaultdict(lambda: {"rate": [], "cpu": [], "label": ""})
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        name = b["run_name"]  # BM_Run/case:0/record:1/manual_time
        parts = dict(p.split(":") for p in name.split("/")[1:3])
        key = (name.split("/")[0], int(parts["case"]), int(parts["record"]))
        runs[key]["rate"].append(b["items_per_second"])
        runs[key]["cpu"].append(b["cpu_ns_per_txn"])
        runs[key]["label"] = b.get("label", "").rsplit(" ", 1)[0]
    print("| runner | case | reps | txns/s off | txns/s on | throughput cost | CPU ns/txn off | CPU ns/txn on | CPU cost |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (bm, case, rec) in sorted(runs):
        if rec != 1 or (bm, case, 0) not in runs:
            continue
        on, off = runs[(bm, case, 1)], runs[(bm, case, 0)]
        r_on, r_off = statistics.median(on["rate"]), statistics.median(off["rate"])
        c_on, c_off = statistics.median(on["cpu"]), statistics.median(off["cpu"])
        runner = "threads" if bm == "BM_Run" else "sim"
        print(f"| {runner} | {on['label']} | {len(on['rate'])} | {r_off:,.0f} | {r_on:,.0f} | "
              f"{100 * (1 - r_on / r_off):+.1f} % | {c_off:,.0f} | {c_on:,.0f} | {100 * (c_on / c_off - 1):+.1f} % |")


if __name__ == "__main__":
    main()
