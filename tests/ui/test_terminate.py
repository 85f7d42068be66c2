"""``kill`` (SIGTERM) on the window while it runs a study: the pool is shut down as on
Quit. Before, the process died on the spot and loky's resource tracker printed "There
appear to be 8 leaked semlock objects to clean up at shutdown" on the terminal."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hpt_gui.ui.terminate import EXIT_TERMINATED

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no SIGTERM to send")

WINDOW_RUNNING_A_STUDY = """
import sys
from PySide6.QtCore import QSettings, QTimer
from hpt_gui.ui.app import make_app, prepare_window_process
from hpt_gui.ui.main_window import MainWindow
from hpt_gui.ui.terminate import quit_on_terminate

app = make_app()
prepare_window_process(app)
window = MainWindow(sys.argv[1], settings=QSettings(sys.argv[2], QSettings.Format.IniFormat))
quit_on_terminate(app, window)  # as run_app does
window.show()
window.load_data("demo:breast_cancer")
window.space_editor.select_models(["RandomForestClassifier"])
panel = window.settings_panel
panel.strategy.setCurrentIndex(panel.strategy.findData("random"))
panel.trials.setValue(40)
panel.jobs.setValue(2)
window.run_studies()
QTimer.singleShot(240_000, app.quit)  # never reached when the test works
sys.exit(app.exec())
"""


def _stored(project: Path) -> int:
    try:
        with sqlite3.connect(f"{project.as_uri()}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM trials").fetchone()[0]
    except sqlite3.Error:  # not created, or its schema not written yet
        return 0


@pytest.mark.slow
def test_terminating_the_window_mid_run_leaks_nothing(tmp_path):
    project = tmp_path / "p.hpt"
    process = subprocess.Popen(
        [sys.executable, "-c", WINDOW_RUNNING_A_STUDY, str(project), str(tmp_path / "s.ini")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    deadline = time.monotonic() + 180
    while _stored(project) < 1:
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "no trial finished in time"
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=60)
    errors = process.stderr.read()  # to its end: the resource tracker writes last
    assert process.returncode == EXIT_TERMINATED, errors
    assert "leaked" not in errors and "resource_tracker" not in errors, errors
    assert _stored(project) >= 1  # kept, as on Quit
