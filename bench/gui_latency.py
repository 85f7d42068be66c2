"""How responsive the window stays while a search keeps both cores busy, or while it
loads a data file.

A 10 ms QTimer on the GUI thread records how late each tick arrives. By default the
window's run queue runs a random search with 2 worker processes (trials stream into the
table as they finish); prints p50, p99 and max lag in milliseconds, the p99 on the last
line. Goal: p99 at most 50 ms.

With ``--load PATH`` the window instead opens that file (as Open data does), changes the
target twice, then a column's role, each time waiting until the data step shows the
answer; prints each step's time and the p99 and max lag over the whole run, the max on
the last line. Goal on a 1,000,000-row CSV: max lag under 100 ms. (On a version whose
data step works on the GUI thread, the steps block and the lag is their length.) Run
from the repository root:

    QT_QPA_PLATFORM=offscreen python bench/gui_latency.py [--trials 40]
    QT_QPA_PLATFORM=offscreen python bench/gui_latency.py --load /tmp/big.csv

A test file (never commit it): ``--make-csv PATH [--rows N]`` writes N rows (default
1,000,000) of 10 columns, numbers and words, and exits.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--load", metavar="PATH", help="measure loading this data file")
    parser.add_argument("--make-csv", metavar="PATH", help="write a test CSV and exit")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.make_csv:
        make_csv(Path(args.make_csv), args.rows)
        return
    if args.load:
        measure_loading(Path(args.load))
        return

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer

    from hpt_gui.ui.app import make_app
    from hpt_gui.ui.main_window import MainWindow

    app = make_app()  # noqa: F841 (kept alive for the whole run)
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Path(tmp) / "bench.hpt", settings=settings)
        window.show()
        window.load_data("demo:breast_cancer")
        window.space_editor.select_models(["RandomForestClassifier"])
        panel = window.settings_panel
        panel.strategy.setCurrentIndex(panel.strategy.findData("random"))
        panel.trials.setValue(args.trials)
        panel.jobs.setValue(args.jobs)

        lags: list[float] = []
        clock = QElapsedTimer()
        last = [0.0]

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            lags.append(max(0.0, now - last[0] - 10.0))
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        loop = QEventLoop()

        def quit_when_idle(*_: object) -> None:
            if window.queue.running is None and not any(
                e.state == "queued" for e in window.queue.entries
            ):
                loop.quit()

        window.queue.study_finished.connect(quit_when_idle)
        window.queue.study_failed.connect(quit_when_idle)
        started = time.perf_counter()
        window.run_studies()
        clock.start()
        timer.start()
        loop.exec()  # the real event loop, as in the app
        timer.stop()
        elapsed = time.perf_counter() - started
        entry = window.queue.entries[0]
        window.close()
    values = np.array(lags[1:]) if len(lags) > 1 else np.array([0.0])
    print(f"search: {entry.done} trials of RandomForestClassifier on breast_cancer, "
          f"{args.jobs} workers, {elapsed:.1f} s, {len(values):,} timer ticks")
    print(f"p50 lag {np.percentile(values, 50):.1f} ms, max lag {values.max():.1f} ms")
    print(f"p99 lag {np.percentile(values, 99):.1f} ms (goal <= 50 ms)")


def make_csv(path: Path, rows: int) -> None:
    """A churn-like table: whole numbers, decimals, a few words; 'churned' last (the
    suggested target)."""
    import pandas as pd

    rng = np.random.default_rng(0)
    pd.DataFrame({
        "age": rng.integers(18, 90, rows),
        "income": rng.normal(50_000, 15_000, rows).round(2),
        "city": rng.choice(["Paris", "Lyon", "Nice", "Lille", "Nantes"], rows),
        "score": rng.random(rows).round(4),
        "visits": rng.poisson(3, rows),
        "segment": rng.choice(["a", "b", "c"], rows),
        "rating": rng.integers(1, 6, rows),
        "weight": rng.normal(70, 10, rows).round(1),
        "spend": rng.gamma(2, 30, rows).round(2),
        "churned": rng.choice(["yes", "no"], rows),
    }).to_csv(path, index=False)
    print(f"wrote {rows:,} rows to {path} ({path.stat().st_size / 1e6:.0f} MB)")


def measure_loading(path: Path) -> None:
    """Open ``path``, change the target twice and a column's role, timing the GUI
    thread's lag throughout."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer

    from hpt_gui.ui.app import make_app, prepare_window_process
    from hpt_gui.ui.main_window import MainWindow

    app = make_app()
    prepare_window_process(app)  # as the app does: GC on the GUI thread, a short switch
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Path(tmp) / "bench.hpt", settings=settings)
        window.show()
        panel = window.dataset_panel
        lags: list[float] = []
        clock = QElapsedTimer()
        last = [0.0]
        phase = ["waiting"]  # the step under way, for each tick's lag
        phases: list[str] = []

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            lags.append(max(0.0, now - last[0] - 10.0))
            phases.append(phase[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        loop = QEventLoop()
        timings: list[tuple[str, float]] = []
        # (a version of the window without start_loading loads on the GUI thread)
        start = getattr(window, "start_loading", window.load_data)

        def busy() -> bool:
            return bool(getattr(panel, "is_busy", lambda: False)())

        def other_target(exclude: set[str]) -> str:
            dataset = panel.dataset
            return next(c for c in dataset.frame.columns
                        if c not in exclude and c != dataset.target)

        def feature_column() -> str:
            return next(name for name in panel.dataset.feature_names
                        if panel.role_combo(name) is not None)

        first_target: list[str] = []
        steps = [
            ("open the file", lambda: start(str(path))),
            ("change the target", lambda: (first_target.append(panel.dataset.target),
                                           panel.set_target(other_target(set())))),
            ("change the target again", lambda: panel.set_target(first_target[0])),
            ("change a column's role", lambda: panel.set_role(feature_column(), "id")),
        ]
        began = [0.0]

        def run_step(index: int) -> None:
            if index == len(steps):
                loop.quit()
                return
            name, action = steps[index]
            phase[0] = name
            began[0] = time.perf_counter()
            action()
            wait_then(index)

        def wait_then(index: int) -> None:
            if busy():
                QTimer.singleShot(5, lambda: wait_then(index))
                return
            timings.append((steps[index][0], time.perf_counter() - began[0]))
            phase[0] = "waiting"
            # a pause between steps, as a person takes
            QTimer.singleShot(300, lambda: run_step(index + 1))

        clock.start()
        timer.start()
        QTimer.singleShot(300, lambda: run_step(0))
        loop.exec()  # the real event loop, as in the app
        timer.stop()
        dataset = panel.dataset
        window.close()
    values = np.array(lags[1:]) if len(lags) > 1 else np.array([0.0])
    print(f"{path.name}: {dataset.n_rows:,} rows x {dataset.frame.shape[1]} columns, "
          f"{len(values):,} timer ticks")
    for name, seconds in timings:
        during = [lag for lag, step in zip(lags[1:], phases[1:], strict=True) if step == name]
        print(f"  {name}: {seconds:.2f} s, max lag {max(during, default=0.0):.0f} ms")
    print(f"p50 lag {np.percentile(values, 50):.1f} ms, "
          f"p99 lag {np.percentile(values, 99):.1f} ms")
    print(f"max lag {values.max():.1f} ms (goal < 100 ms)")


if __name__ == "__main__":
    main()
