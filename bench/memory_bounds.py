"""Memory against the budget: a ten-million-trial study of each strategy, with a time limit.

Each strategy runs as ``hpt-gui run --trials 10000000 --time-limit SECONDS`` on a bundled
data set (iris, a decision tree, 3 folds) in its own process, and the table gives its peak
memory: the largest process of the run (``ru_maxrss`` from ``os.wait4``: the study's
process or one of its workers) and, when psutil is installed, the whole process tree's
resident memory summed, sampled every 50 ms. The outcome is what the run said: how many
trials it ran in the time, or the sentence it refused with. The goal: every peak stays in
the hundreds of megabytes whatever the budget (a study that grew with its budget once took
23 GB); the grid row uses a space of a hundred million points; successive halving is also
run at its limit, a million starting candidates (it stores trials when a rung is decided,
so within seconds it shows none: the row is about its memory). Run from the repository
root:

    python bench/memory_bounds.py                  # about a minute on 2 cores
    python bench/memory_bounds.py --time-limit 2 --jobs 1
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # this checkout's hpt_gui is measured
BUDGET = 10_000_000
HUGE_GRID = {name: {"type": "int", "low": 2, "high": 1000, "grid_points": 100}
             for name in ("max_depth", "min_samples_split", "min_samples_leaf",
                          "max_leaf_nodes")}  # 100 ** 4 points


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every process below it (0 without psutil)."""
    try:
        import psutil
    except ImportError:
        return 0
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(arguments: list[str], folder: Path) -> tuple[float, float, int, str, str]:
    """(largest process MB, whole tree MB, exit code, stdout, stderr) of one run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen([sys.executable, "-m", "hpt_gui", "run", *arguments],
                                   stdout=out, stderr=err, env=env, cwd=folder)
        peak, done = [0], threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(process.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        largest = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return largest, peak[0] / 2**20, process.returncode, out.read(), err.read()


def outcome(code: int, out: str, err: str) -> str:
    if code == 0:
        summary = json.loads(out)
        return (f"ran {summary['new_trials']:,} trials in {summary['elapsed_seconds']:.1f} s "
                f"({summary['status']})")
    sentence = err.strip().splitlines()[-1] if err.strip() else "(nothing said)"
    return f"exit {code}: {sentence.removeprefix('hpt-gui: ')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes per run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "huge.json").write_text(json.dumps(HUGE_GRID))
        common = ["--data", "demo:iris", "--model", "DecisionTreeClassifier", "--cv", "3",
                  "--time-limit", f"{args.time_limit:g}", "--jobs", str(args.jobs),
                  "--json", "--quiet"]
        runs = [
            ("grid (10^8 points)", ["--strategy", "grid", "--space", "huge.json"], None),
            ("random", ["--strategy", "random"], BUDGET),
            ("bayesian (tpe)", ["--strategy", "tpe"], BUDGET),
            ("evolution", ["--strategy", "evolution"], BUDGET),
            ("halving", ["--strategy", "halving"], BUDGET),
            ("halving at its limit", ["--strategy", "halving"], 1_000_000),
        ]
        print(f"hpt-gui run, iris, DecisionTreeClassifier, 3 folds, --time-limit "
              f"{args.time_limit:g} s, --jobs {args.jobs}; psutil "
              f"{'sums the process tree' if tree_rss(os.getpid()) else 'not installed'}")
        header = ("strategy", "budget", "largest MB", "tree MB", "outcome")
        rows = []
        for number, (name, options, budget) in enumerate(runs):
            trials = ["--trials", str(budget)] if budget is not None else []
            largest, tree, code, out, err = measure(
                [*common, *options, *trials, "--project", f"p{number}.hpt"], folder)
            rows.append((name, f"{budget:,}" if budget else "the grid", f"{largest:,.0f}",
                         f"{tree:,.0f}" if tree else "n/a", outcome(code, out, err)))
            print(f"  done: {name}", file=sys.stderr, flush=True)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))


if __name__ == "__main__":
    main()
