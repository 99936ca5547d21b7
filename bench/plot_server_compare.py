#!/usr/bin/env python3
"""Plots a report of redis_benchmark_compare.sh: for every row (command x pipeline depth) the
per-round throughput ratios txlab serve / redis-server as dots, their median as a bar, and the
goal line at 1.0.

    plot_server_compare.py REPORT.md [OUT.png]     (OUT defaults to REPORT with .png)

Reads the report's "Raw runs" block: "<round> <row> <pipeline> <target> <req/s> ...".
"""
import re
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RAW = re.compile(r"^(\d+) (\S+) (\d+) (txlab|redis) ([0-9.]+) ")


def read_ratios(path):
    """{(row, pipeline): [ratio per round]} in the report's row order, and its commit."""
    rps = {}
    order = []
    commit = "?"
    with open(path) as f:
        for line in f:
            m = re.search(r"Commit: `([0-9a-f]+)`", line)
            if m:
                commit = m.group(1)
            m = RAW.match(line)
            if not m:
                continue
            rnd, row, pipe, target, value = m.groups()
            key = (row, int(pipe))
            if key not in order:
                order.append(key)
            rps[(int(rnd), key, target)] = float(value)
    ratios = defaultdict(list)
    for (rnd, key, target), value in rps.items():
        if target == "txlab" and (rnd, key, "redis") in rps:
            ratios[key].append(value / rps[(rnd, key, "redis")])
    return [(k, ratios[k]) for k in order if ratios[k]], commit


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: plot_server_compare.py REPORT.md [OUT.png]")
    report = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else re.sub(r"\.md$", "", report) + ".png"
    try:
        rows, commit = read_ratios(report)
    except OSError as e:
        sys.exit(f"plot_server_compare.py: {e}")
    if not rows:
        sys.exit(f"plot_server_compare.py: no raw runs of both servers in {report}")
    fig, ax = plt.subplots(figsize=(max(6, 0.8 * len(rows) + 2), 4.5))
    for i, ((row, pipe), values) in enumerate(rows):
        median = statistics.median(values)
        ax.bar(i, median - 1.0, bottom=1.0, width=0.6, color="tab:green" if median >= 1.0 else "tab:red", alpha=0.5)
        ax.scatter([i] * len(values), values, s=12, color="black", zorder=3)
        ax.annotate(f"{median:.2f}", (i, max(values)), textcoords="offset points", xytext=(0, 4), ha="center",
                    fontsize=8)
    ax.axhline(1.0, color="gray", linewidth=1)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([f"{row}\nP{pipe}" for (row, pipe), _ in rows], fontsize=8)
    ax.set_ylabel("throughput ratio txlab serve / redis-server")
    ax.set_title(f"txlab serve vs redis-server 7.0, paired rounds (dots) and median (bar); commit {commit}",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"written: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
