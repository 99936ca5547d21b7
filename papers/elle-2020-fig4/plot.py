#!/usr/bin/env python3
"""Plots results.csv of run.py as Fig. 4: checker wall time vs history length, one line per
concurrency, one panel per checker; runs stopped at the cap are drawn as x at the cap.

    plot.py RESULTS.csv OUT.png
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TITLES = {"linearizable": "linearizability search (Knossos's role)",
          "isolation": "dependency-graph inference (Elle's role)"}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot.py RESULTS.csv OUT.png")
    with open(sys.argv[1], newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["wall_s"]]
    if not rows:
        sys.exit(f"plot.py: no measured rows in {sys.argv[1]}")
    cap = float(rows[0]["cap_s"])
    checkers = [k for k in TITLES if any(r["checker"] == k for r in rows)]
    concurrencies = sorted({int(r["concurrency"]) for r in rows})
    colors = {c: plt.cm.viridis(i / max(1, len(concurrencies) - 1)) for i, c in enumerate(concurrencies)}
    fig, axes = plt.subplots(1, len(checkers), figsize=(6 * len(checkers), 4.5), squeeze=False)
    for ax, k in zip(axes[0], checkers):
        for c in concurrencies:
            cell = [r for r in rows if r["checker"] == k and int(r["concurrency"]) == c]
            # ok and capped (unknown) runs draw the line; an illegal verdict (none expected: the
            # histories are valid by construction) or an error is a square off the line.
            pts = sorted((int(r["txns"]), float(r["wall_s"])) for r in cell if r["outcome"] in ("ok", "unknown"))
            capped = [(int(r["txns"]), float(r["wall_s"])) for r in cell if r["capped"] == "1"]
            odd = [(int(r["txns"]), float(r["wall_s"])) for r in cell if r["outcome"] not in ("ok", "unknown")]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "-o", color=colors[c], ms=4, label=f"c={c}")
            ax.plot([p[0] for p in capped], [p[1] for p in capped], "x", color=colors[c], ms=10, mew=2.5)
            ax.plot([p[0] for p in odd], [p[1] for p in odd], "s", color=colors[c], mfc="none", ms=9, mew=1.5)
        # Capped runs at the same length overlap: name their concurrencies.
        capped_at = {}
        for r in rows:
            if r["checker"] == k and r["capped"] == "1":
                capped_at.setdefault(int(r["txns"]), []).append(r["concurrency"])
        for i, (n, cs) in enumerate(sorted(capped_at.items())):
            ax.annotate("capped: c=" + ",".join(cs), (n, cap), xytext=(6, -14 - 11 * (i % 2)),
                        textcoords="offset points", fontsize=7, color="red")
        ax.axhline(cap, color="grey", ls="--", lw=1)
        ax.text(min(int(r["txns"]) for r in rows), cap * 1.08,
                f"cap {cap:g} s", color="grey", fontsize=8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("history length (transactions)")
        ax.set_ylabel("wall time of `txlab check` (s)")
        ax.set_title(TITLES[k], fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, title="concurrency", title_fontsize=8)
    r0 = rows[0]
    loads = [float(r["load1"]) for r in rows]
    fig.suptitle(f"Elle (VLDB 2020) Fig. 4 on txlab {r0['commit']}: list-append, 1-5 ops/txn, 100 keys, "
                 f"100 appends/key; x = capped, open square = illegal verdict\n{r0['machine']}; load1 {min(loads):.1f}-{max(loads):.1f}",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)
    print(f"plot.py: wrote {sys.argv[2]}")


if __name__ == "__main__":
    main()
