"""How responsive the window stays while a search keeps both cores busy.

A 10 ms QTimer on the GUI thread records how late each tick arrives while the window's
run queue runs a random search with 2 worker processes (trials stream into the table as
they finish). Prints p50, p99 and max lag in milliseconds; the p99 is on the last line.
Goal: p99 at most 50 ms. Run from the repository root:

    QT_QPA_PLATFORM=offscreen python bench/gui_latency.py [--trials 40]
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
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


if __name__ == "__main__":
    main()
