"""Under load: a study of 10,000 quick trials, run by the window with both cores busy.

The real main window (offscreen, garbage collected on the GUI thread as the app does) loads
a tiny data set and queues, through its own settings panel and run queue, a random search
of ``--trials`` quick trials (a decision tree on iris, 3 folds) on 2 worker processes.
Meanwhile 2 busy-loop processes keep both cores busy (``--no-load``: none), and the
results page is on screen, so trials stream into the table and the plots as the user would
watch them (``--page run``: the run queue's page). Measured:

- responsiveness: a 50 ms QTimer on the GUI thread records the gap between its ticks
  (median, p99, max), and the GUI thread's own CPU time per trial (``time.thread_time``
  sampled on the GUI thread: what all its slots, paints and timers cost per trial);
- memory: the GUI process's RSS every 0.5 s (from a sampling thread) and the workers';
  growth per trial from the 1,000th trial to the last, against what the project file
  grew per trial ("the stored data");
- storage: every trial is in the project file, numbers unique.

PASS/FAIL lines at the end: all stored; max gap under ``--max-gap`` ms (250 ms: the
longest pause before a click or a scroll visibly lags; a UI that misses it freezes, one
that meets it stays usable); memory growth per trial under ``--max-growth`` times the
project file's growth per trial (default 20: a trial is held in memory as Python objects,
the table's and plots' arrays and the engine's bookkeeping, about ten times its ~300-byte
SQLite row; a leak per progress update or a copy per trial breaks it). Run from the
repository root:

    QT_QPA_PLATFORM=offscreen python bench/under_load.py [--trials 10000] [--no-load]
        [--png results.png]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# The checkout's hpt_gui is measured, not an installed one.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TICK_MS = 50
DATA = "demo:iris"
MODEL = "DecisionTreeClassifier"


def busy_loop() -> None:  # a load process: one core's worth of pure Python work
    x = 0
    while True:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF


# memory ----------------------------------------------------------------------------------


def rss(pid: int) -> int:
    """Resident set size in bytes (0 when the process is gone)."""
    try:
        import psutil

        return int(psutil.Process(pid).memory_info().rss)
    except ImportError:
        pass
    except Exception:  # the process ended
        return 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """The process's descendants (the study's worker processes and their helpers)."""
    try:
        import psutil

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        pass
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            for child in task.read_text().split():
                found.append(int(child))
                todo.append(int(child))
    return found


@dataclass
class Sample:
    seconds: float
    trials: int
    gui: int  # bytes
    workers: int  # bytes, all worker processes together
    project: int  # bytes, the project file and its write-ahead log


class MemorySampler(threading.Thread):
    """Samples RSS every ``interval`` s off the GUI thread (a frozen GUI still gets
    sampled); ``trials`` is read from a counter the GUI thread updates."""

    def __init__(self, project: Path, counter: list[int], exclude: set[int],
                 interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.project, self.counter, self.exclude = project, counter, exclude
        self.interval = interval
        self.samples: list[Sample] = []
        self._halt = threading.Event()
        self._t0 = time.perf_counter()

    def sample(self) -> Sample:
        me = os.getpid()
        workers = sum(rss(p) for p in children(me) if p not in self.exclude)
        size = sum(p.stat().st_size for p in (self.project, Path(f"{self.project}-wal"))
                   if p.exists())
        return Sample(time.perf_counter() - self._t0, self.counter[0], rss(me), workers,
                      size)

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.samples.append(self.sample())

    def stop(self) -> None:
        self._halt.set()
        self.join()


def at_trials(samples: list[Sample], n: int) -> Sample:
    """The first sample taken once ``n`` trials were in."""
    return next((s for s in samples if s.trials >= n), samples[-1])


# the run ---------------------------------------------------------------------------------


def stored_trials(project: Path) -> tuple[int, int]:
    """(trials, distinct trial numbers) in the project file, per study summed."""
    with sqlite3.connect(f"file:{project}?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*), COUNT(DISTINCT study_id || ':' || number) "
                          "FROM trials").fetchone()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--load", type=int, default=2, help="busy-loop processes")
    parser.add_argument("--no-load", action="store_true", help="no busy-loop processes")
    parser.add_argument("--max-gap", type=float, default=250.0, help="ms")
    parser.add_argument("--max-growth", type=float, default=20.0,
                        help="RSS growth per trial / project file growth per trial")
    parser.add_argument("--timeout", type=float, default=3600.0, help="s")
    parser.add_argument("--page", choices=["results", "run"], default="results",
                        help="the page shown while the study runs (results: trials stream "
                             "into the table and plots on screen)")
    parser.add_argument("--png", type=Path, help="save the results page here")
    parser.add_argument("--project", type=Path, help="keep the project file here")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from hpt_gui.ui.app import make_app, prepare_window_process
    from hpt_gui.ui.main_window import MainWindow

    app = make_app()
    prepare_window_process(app)  # as the app does: GC on the GUI thread, a short switch
    tmp = tempfile.TemporaryDirectory()
    project = args.project or Path(tmp.name) / "under_load.hpt"
    if project.exists():
        raise SystemExit(f"{project} exists; give a new path")
    settings = QSettings(str(Path(tmp.name) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(project, settings=settings)
    window.resize(1400, 900)
    window.show()
    if not window.load_data(args.data):
        raise SystemExit(f"could not load {args.data}")
    window.space_editor.select_models([args.model])
    panel = window.settings_panel
    panel.strategy.setCurrentIndex(panel.strategy.findData("random"))
    panel.trials.setValue(args.trials)
    panel.cv.setValue(args.cv)
    panel.jobs.setValue(args.jobs)

    load = [] if args.no_load else [
        multiprocessing.get_context("spawn").Process(target=busy_loop, daemon=True)
        for _ in range(args.load)]
    for process in load:
        process.start()

    # what the GUI thread does per trial
    done = [0]
    add_times: list[float] = []
    changes = [0]
    add_trial = window.results.add_trial

    def timed_add_trial(name: str, trial: Any) -> None:
        started = time.perf_counter()
        add_trial(name, trial)
        add_times.append(time.perf_counter() - started)
        done[0] += 1

    window.results.add_trial = timed_add_trial  # called by the window's own slot
    window.queue.changed.connect(lambda: changes.__setitem__(0, changes[0] + 1))

    ticks: list[float] = []
    cpu: list[tuple[int, float]] = []  # (trials, GUI thread CPU seconds)

    def tick() -> None:
        ticks.append(time.perf_counter())
        cpu.append((done[0], time.thread_time()))

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    loop = QEventLoop()

    def quit_when_idle(*_: object) -> None:
        if window.queue.running is None and not any(
                e.state == "queued" for e in window.queue.entries):
            loop.quit()

    window.queue.study_finished.connect(quit_when_idle)
    window.queue.study_failed.connect(quit_when_idle)
    QTimer.singleShot(int(args.timeout * 1000), loop.quit)
    sampler = MemorySampler(project, done, {p.pid for p in load})
    first = sampler.sample()
    sampler.start()
    started = time.perf_counter()
    try:
        window.run_studies()
        if args.page == "results":
            window.show_step(4)
        timer.start()
        loop.exec()  # the real event loop, as in the app
        elapsed = time.perf_counter() - started
        timer.stop()
        for _ in range(20):  # the results page after the study: reload, first draws
            app.processEvents()
            time.sleep(0.05)
        sampler.stop()
        final = sampler.sample()
    finally:
        for process in load:
            process.kill()
            process.join()
    entry = window.queue.entries[0]
    if entry.state != "finished":
        print(f"the study did not finish: {entry.state} {entry.message}")
    if args.png:
        window.show_step(4)
        for _ in range(20):
            app.processEvents()
            time.sleep(0.05)
        window.grab().save(str(args.png))
    shown = window.results.table.model.rowCount()
    window.close()
    count, distinct = stored_trials(project)

    # figures --------------------------------------------------------------------------
    gaps = np.diff(np.array(ticks)) * 1000 if len(ticks) > 1 else np.array([0.0])
    samples = sampler.samples or [final]
    k = min(1000, args.trials // 10)
    early, late = at_trials(samples, k), max(
        (s for s in samples if s.trials <= done[0]), key=lambda s: s.trials)
    trials_between = max(1, late.trials - early.trials)
    growth = (late.gui - early.gui) / trials_between
    # The file after the run (write-ahead log checkpointed into it) over its trials: the
    # stored data per trial (the study's own row is noise at this scale).
    stored = final.project / max(1, count)
    cpu_per_trial = (cpu[-1][1] - cpu[0][1]) / max(1, cpu[-1][0] - cpu[0][0]) if cpu else 0
    mb = 1 / 2**20
    loaded = "no load" if not load else f"{len(load)} busy-loop processes"
    import hpt_gui

    print(f"hpt_gui from {Path(hpt_gui.__file__).parent}")
    print(f"study: {count:,} trials of {args.model} on {args.data}, {args.cv} folds, "
          f"{args.jobs} workers, {loaded}, on {os.cpu_count()} cores; the {args.page} page "
          "shown")
    print(f"  {elapsed:.1f} s, {count / elapsed:.1f} trials/s; the table shows {shown:,} "
          f"rows; {changes[0]:,} queue updates")
    print(f"window: {len(gaps):,} gaps of a {TICK_MS} ms timer: median {np.median(gaps):.0f} "
          f"ms, p99 {np.percentile(gaps, 99):.0f} ms, max {gaps.max():.0f} ms")
    worst = np.argsort(gaps)[::-1][:5]
    print("  longest gaps: " + ", ".join(
        f"{gaps[i]:.0f} ms at trial {cpu[i + 1][0]:,}" for i in sorted(worst)))
    if add_times:
        print(f"  a trial_finished update (results.add_trial): median "
              f"{statistics.median(add_times) * 1e3:.2f} ms, p99 "
              f"{np.percentile(add_times, 99) * 1e3:.2f} ms, max {max(add_times) * 1e3:.1f} ms")
    print(f"  GUI thread CPU: {cpu_per_trial * 1e3:.2f} ms per trial "
          f"({(cpu[-1][1] - cpu[0][1]) / elapsed:.0%} of the run)" if cpu else "")
    print(f"memory (RSS): GUI process {first.gui * mb:.0f} MB before, "
          f"{early.gui * mb:.0f} MB at {early.trials:,} trials, {late.gui * mb:.0f} MB at "
          f"{late.trials:,}, {final.gui * mb:.0f} MB after the results reload")
    print(f"  workers {early.workers * mb:.0f} MB at {early.trials:,} trials, "
          f"{late.workers * mb:.0f} MB at {late.trials:,}; peak GUI "
          f"{max(s.gui for s in samples) * mb:.0f} MB")
    print(f"  growth per trial: GUI {growth:,.0f} bytes, workers "
          f"{(late.workers - early.workers) / trials_between:,.0f} bytes; project file "
          f"{stored:,.0f} bytes per trial ({final.project * mb:.1f} MB)")
    ratio = growth / stored if stored > 0 else float("inf")
    print(f"  ratio GUI growth / stored growth: {ratio:.1f}")
    checks = [
        ("all stored", count == args.trials and distinct == count and shown == count,
         f"{count:,} rows, {distinct:,} distinct numbers, {shown:,} in the table, "
         f"{args.trials:,} asked"),
        ("max gap", gaps.max() <= args.max_gap,
         f"{gaps.max():.0f} ms <= {args.max_gap:.0f} ms"),
        ("memory growth per trial", ratio <= args.max_growth,
         f"{growth:,.0f} bytes <= {args.max_growth:.0f} x {stored:,.0f} bytes stored"),
    ]
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
    tmp.cleanup()
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
