"""How long the window takes to appear: from launching a fresh process to the first window
shown and painted, for the app run from source and for the frozen app.

Each run starts the app with no arguments (the window) in a new process, with
``HPT_GUI_STARTUP_PROBE=<file>``: once the window has been shown and painted, the app
writes the time (``time.time()``) to that file and quits (see ``hpt_gui/ui/app.py``). The
time to the first window is that time minus the time just before the process was
launched (the same clock). Every run has a fresh home folder (no settings, no recent or
default project), and ``QT_QPA_PLATFORM`` is ``offscreen`` unless set. One run of each
app first warms the disk cache (not counted; ``--no-warm-up`` counts every run). Prints
the median and the slowest of the runs, the heavy packages already loaded when the window
appeared, and whether the goal is met: under 2 s from source, under 3 s frozen. Run from
the repository root:

    python bench/startup.py                  # 5 runs each; about 20 s on 2 cores
    python bench/startup.py --runs 10 --frozen path/to/hpt-gui   # another frozen build
    python bench/startup.py --source-only

The source app is ``python main.py`` with this interpreter; the frozen one is
``packaging/dist/hpt-gui/hpt-gui`` (skipped, with a line saying so, if it is not built).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "packaging" / "dist" / "hpt-gui" / "hpt-gui"
GOALS = {"source": 2.0, "frozen": 3.0}  # seconds
HEAVY = ("numpy", "pandas", "scipy", "sklearn", "optuna", "pyqtgraph", "joblib", "pyarrow")
TIMEOUT = 30.0
PROBE = "HPT_GUI_STARTUP_PROBE"


class NoProbe(RuntimeError):
    """The app did not answer the start-up probe."""


def first_window(command: list[str], cwd: Path) -> tuple[float, list[str]]:
    """Launch ``command``; seconds until its window was painted, and the heavy packages
    it had loaded by then."""
    with tempfile.TemporaryDirectory() as tmp:
        home, probe = Path(tmp) / "home", Path(tmp) / "probe.json"
        home.mkdir()
        env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_DATA_HOME=str(home / ".local" / "share"),
                   XDG_CACHE_HOME=str(home / ".cache"), **{PROBE: str(probe)})
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        launched = time.time()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the app and its workers
            process.communicate()
            raise NoProbe(f"{' '.join(command)} did not quit within {TIMEOUT:.0f} s: a build "
                          f"from before {PROBE} was added?") from None
        if process.returncode != 0 or not probe.exists():
            raise RuntimeError(f"{' '.join(command)} exited with {process.returncode} "
                               f"without showing its window:\n{stderr[-2000:]}")
        report = json.loads(probe.read_text(encoding="utf-8"))
    return report["shown_at"] - launched, [m for m in HEAVY if m in report["modules"]]


def measure(name: str, command: list[str], cwd: Path, runs: int, warm_up: bool) -> bool:
    """Print one app's figures; True if it met its goal."""
    if warm_up:
        first_window(command, cwd)
    times, heavy = [], []
    for _ in range(runs):
        seconds, heavy = first_window(command, cwd)
        times.append(seconds)
    median, worst = statistics.median(times), max(times)
    goal = GOALS[name]
    print(f"{name}: {' '.join(f'{t:.2f}' for t in times)} s")
    print(f"{name}: median {median:.2f} s, max {worst:.2f} s over {runs} runs; loaded "
          f"before the window: {', '.join(heavy) or 'none of ' + ', '.join(HEAVY)}")
    met = median < goal
    print(f"{name}: goal (median under {goal:.0f} s) {'met' if met else 'MISSED'}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--frozen", type=Path, default=FROZEN,
                        help="the frozen app's executable (default: %(default)s)")
    parser.add_argument("--source-only", action="store_true")
    parser.add_argument("--frozen-only", action="store_true")
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    args = parser.parse_args()

    if not args.frozen_only:
        measure("source", [sys.executable, str(ROOT / "main.py")], ROOT, args.runs,
                args.warm_up)
    if args.source_only:
        return
    frozen = args.frozen.resolve()
    if not frozen.is_file():
        print(f"frozen: skipped, {frozen} is not built (packaging/README.md; or --frozen "
              "PATH)")
        return
    with tempfile.TemporaryDirectory() as cwd:
        try:
            measure("frozen", [str(frozen)], Path(cwd), args.runs, args.warm_up)
        except NoProbe as exc:
            print(f"frozen: not measured, {exc}")


if __name__ == "__main__":
    main()
