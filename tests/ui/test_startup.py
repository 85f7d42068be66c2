"""Start-up: the probe ``bench/startup.py`` times the first window with."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(importlib.import_module("hpt_gui").__file__).parent.parent


def _fresh_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                XDG_DATA_HOME=str(home / ".local" / "share"), QT_QPA_PLATFORM="offscreen",
                **extra)


def test_the_startup_probe_writes_when_the_window_is_painted_and_quits(tmp_path):
    probe = tmp_path / "probe.json"
    code = "from hpt_gui.ui.app import run_app; raise SystemExit(run_app())"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False,
                          env=_fresh_env(tmp_path, HPT_GUI_STARTUP_PROBE=str(probe)))
    assert done.returncode == 0, done.stderr
    report = json.loads(probe.read_text(encoding="utf-8"))
    assert isinstance(report["shown_at"], float)
    assert "PySide6" in report["modules"] and "hpt_gui" in report["modules"]


def test_the_first_window_imports_no_pandas_plots_or_learners(tmp_path):
    """pandas, pyqtgraph, scikit-learn, SciPy and Optuna wait until they are needed (data
    loaded, the Results step shown), so the window appears quickly (bench/startup.py)."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from hpt_gui.ui.app import make_app, prepare_window_process\n"
        "from hpt_gui.ui.main_window import MainWindow\n"
        "app = make_app(); prepare_window_process(app)\n"
        f"settings = QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat)\n"
        f"window = MainWindow({str(tmp_path / 'p.hpt')!r}, settings=settings)\n"
        "window.show(); app.processEvents()\n"
        "heavy = ('pandas', 'pyqtgraph', 'sklearn', 'scipy', 'optuna', 'pyarrow')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
        "window.show_step(4); app.processEvents()\n"
        "assert window.results.has_diagnostics() and 'pyqtgraph' in sys.modules\n"
        "window.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False, env=_fresh_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
