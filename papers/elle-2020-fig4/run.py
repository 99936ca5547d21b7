#!/usr/bin/env python3
"""Runs the grid of spec.json (concurrency x txns x checker) that regenerates Elle's Fig. 4.

    papers/elle-2020-fig4/run.py [--spec FILE] [--out DIR] [--txlab BIN] [--no-plot]

For each (c, n) it records one list-append history with `txlab run` (simulator, seed from the
spec), checks it with `txlab check --checker linearizable` and `--checker isolation`, each
capped at cap_s seconds of wall time, and appends a row per checker to OUT/results.csv with
wall and CPU seconds of the checker process, its peak memory, the load average, the commit
and the machine. Once a checker hits the cap at some n, longer histories at that c are
skipped for it (rows with outcome "skipped"), as the paper's timed-out Knossos points.
OUT/run.json holds the spec, machine, commit and loads; OUT/fig4.png the plot (plot.py).
Histories are written to a temporary folder and deleted after each cell; the seed
regenerates them byte for byte.
"""
import argparse
import csv
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
COLUMNS = ["checker", "concurrency", "txns", "history_ops", "outcome", "capped", "wall_s", "cpu_s",
           "check_s", "maxrss_mib", "cap_s", "load1", "load5", "load15", "gen_wall_s", "gen_cpu_s", "seed",
           "commit", "machine", "summary"]
CHECKERS = ("linearizable", "isolation")


def fail(msg):
    print(f"run.py: {msg}", file=sys.stderr)
    sys.exit(2)


def load_spec(path):
    try:
        with open(path) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read spec {path}: {e}")
    for key in ("history", "concurrency", "txns", "checkers", "cap_s"):
        if key not in spec:
            fail(f"{path}: missing '{key}'")
    if not all(isinstance(x, int) and x > 0 for x in spec["concurrency"] + spec["txns"]):
        fail(f"{path}: concurrency and txns must be lists of positive integers")
    unknown = [c for c in spec["checkers"] if c not in CHECKERS]
    if unknown:
        fail(f"{path}: unknown checker {unknown[0]!r} (known: {', '.join(CHECKERS)})")
    if not (isinstance(spec["cap_s"], (int, float)) and spec["cap_s"] > 0):
        fail(f"{path}: cap_s must be a positive number")
    return spec


def machine():
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.node()}; {model}; {os.cpu_count()} cpus; {platform.system()} {platform.release()}"


def commit():
    def git(*args):
        r = subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""
    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return head + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def run_child(argv, stdout_path, limit_s):
    """Runs argv; returns (exit code or "killed", wall s, CPU s, peak RSS MiB as text).

    Killed after limit_s. Linux carries the parent's peak RSS across vfork+exec into the
    child's ru_maxrss, so a child's peak below this script's own is written as "<own"."""
    with open(stdout_path, "w") as out:
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        killed = False
        try:
            while True:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - t0 > limit_s:
                    os.kill(p.pid, signal.SIGKILL)
                    pid, status, ru = os.wait4(p.pid, 0)
                    killed = True
                    break
                time.sleep(0.02)
        except BaseException:  # interrupted: end our child before leaving
            os.kill(p.pid, signal.SIGKILL)
            os.wait4(p.pid, 0)
            p.returncode = -signal.SIGKILL
            raise
        wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    own_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss = f"{ru.ru_maxrss / 1024:.0f}" if ru.ru_maxrss > own_kib else f"<{own_kib / 1024:.0f}"
    return ("killed" if killed else p.returncode), wall, ru.ru_utime + ru.ru_stime, rss


def lin_timeout(cap):
    # txlab check's linearizable budget keeps max(10 s, half) of --timeout for the minimiser
    # (checkers/linearizability/check_history.cc); the search itself must get exactly cap.
    return cap + 10 if cap >= 10 else 2 * cap


def check_seconds(path):
    """The checker's own time, parsing excluded, from txlab check's summary: "..., 0.201 s" (linearizable)
    or "... in 1.05 s" (isolation). Empty when the text is not found."""
    with open(path, errors="replace") as f:
        text = f.read(1 << 16)  # the summary comes first; an illegal verdict's explanation can be long
    m = re.search(r"dropped, ([0-9.]+) s", text) or re.search(r"cyclic components .* in ([0-9.]+) s", text)
    return m.group(1) if m else ""


def last_line(path):
    last = ""
    with open(path, errors="replace") as f:
        for line in f:
            if line.strip():
                last = line.strip()[:200]
    return last


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=os.path.join(HERE, "spec.json"))
    ap.add_argument("--out", default=os.path.join(HERE, "output"))
    ap.add_argument("--txlab", default=os.path.join(ROOT, "build", "cli", "txlab"))
    ap.add_argument("--no-plot", action="store_true")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("run.py: terminated"))  # so the finally clauses run
    spec = load_spec(args.spec)
    if not os.access(args.txlab, os.X_OK):
        fail(f"txlab binary not found at {args.txlab} (build it, or pass --txlab)")
    os.makedirs(args.out, exist_ok=True)
    cap = float(spec["cap_s"])
    seed = int(spec["history"].get("seed", 42))
    gen_args = [str(a) for a in spec["history"].get("txlab_run_args", [])]
    skip_after_cap = spec.get("skip_longer_after_cap", True)
    checkers = [c for c in CHECKERS if c in spec["checkers"]]
    mach, head = machine(), commit()
    csv_path = os.path.join(args.out, "results.csv")
    meta = {"spec": spec, "machine": mach, "commit": head, "python": sys.version.split()[0],
            "started_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "load_at_start": os.getloadavg(), "argv": sys.argv}
    cells = len(spec["concurrency"]) * len(spec["txns"]) * len(checkers)
    print(f"run.py: {cells} cells, cap {cap:g} s, commit {head}, {mach}; load {os.getloadavg()[0]:.2f}",
          flush=True)
    work = tempfile.mkdtemp(prefix="elle-fig4-")
    t_start, done = time.monotonic(), 0
    try:
        with open(csv_path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS)
            w.writeheader()
            for c in spec["concurrency"]:
                capped_at = {}  # checker -> n at which it hit the cap
                for n in spec["txns"]:
                    todo = [k for k in checkers if not (skip_after_cap and k in capped_at)]
                    base = {"concurrency": c, "txns": n, "cap_s": cap, "seed": seed, "commit": head,
                            "machine": mach}
                    for k in checkers:
                        if k not in todo:
                            done += 1
                            w.writerow({**base, "checker": k, "outcome": "skipped",
                                        "summary": f"capped at {capped_at[k]} txns"})
                    if not todo:
                        continue
                    hdir = os.path.join(work, f"c{c}-n{n}")
                    gen = [args.txlab, "run", *gen_args, "-c", str(c), "-n", str(n), "--seed", str(seed),
                           "-q", "-o", hdir]
                    rc, gwall, gcpu, _ = run_child(gen, os.path.join(work, "gen.out"), 900)
                    edn = os.path.join(hdir, "list-append", "lua", "history.edn")
                    if rc != 0 or not os.path.exists(edn):
                        fail(f"txlab run failed (exit {rc}) for c={c} n={n}: {last_line(os.path.join(work, 'gen.out'))}")
                    with open(edn, "rb") as h:
                        ops = sum(buf.count(b"\n") for buf in iter(lambda: h.read(1 << 20), b""))
                    for k in todo:
                        timeout = lin_timeout(cap) if k == "linearizable" else cap
                        load = os.getloadavg()
                        out = os.path.join(work, "check.out")
                        rc, wall, cpu, rss = run_child(
                            [args.txlab, "check", "--checker", k, "--timeout", f"{timeout:g}", edn],
                            out, 2 * timeout + 30)
                        outcome = {0: "ok", 1: "illegal", 4: "unknown", "killed": f"killed after {2 * timeout + 30:g} s"}.get(
                            rc, f"error({rc})")
                        capped = outcome == "unknown"
                        if capped:
                            capped_at[k] = n
                        done += 1
                        w.writerow({**base, "checker": k, "history_ops": ops, "outcome": outcome,
                                    "capped": int(capped), "wall_s": f"{wall:.3f}", "cpu_s": f"{cpu:.3f}",
                                    "check_s": check_seconds(out), "maxrss_mib": rss, "load1": f"{load[0]:.2f}",
                                    "load5": f"{load[1]:.2f}", "load15": f"{load[2]:.2f}",
                                    "gen_wall_s": f"{gwall:.3f}", "gen_cpu_s": f"{gcpu:.3f}",
                                    "summary": last_line(out)})
                        f.flush()
                        print(f"[{done}/{cells}] c={c} n={n} {k}: {outcome}{' (capped)' if capped else ''}"
                              f" wall {wall:.2f} s cpu {cpu:.2f} s rss {rss} MiB load {load[0]:.2f}"
                              f" ({time.monotonic() - t_start:.0f} s so far)", flush=True)
                    shutil.rmtree(hdir, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    meta.update({"finished_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                 "load_at_end": os.getloadavg(), "total_wall_s": round(time.monotonic() - t_start, 1)})
    with open(os.path.join(args.out, "run.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"run.py: wrote {csv_path} ({meta['total_wall_s']} s)", flush=True)
    if not args.no_plot:
        plot(csv_path, os.path.join(args.out, "fig4.png"))


def plot(csv_path, png_path):
    # Debian's python3-matplotlib lives under /usr/bin/python3, which need not be the python3 on PATH.
    for py in dict.fromkeys([sys.executable, "/usr/bin/python3"]):
        if os.access(py, os.X_OK) and subprocess.run([py, "-c", "import matplotlib"],
                                                     capture_output=True).returncode == 0:
            subprocess.run([py, os.path.join(HERE, "plot.py"), csv_path, png_path], check=True)
            return
    print(f"run.py: matplotlib missing (apt-get install python3-matplotlib): no plot; CSV is {csv_path}")


if __name__ == "__main__":
    main()
