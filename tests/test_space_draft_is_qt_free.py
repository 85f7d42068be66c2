"""The space editor's drafts parse and check what the user types without Qt, so they can be
used (and tested) where no window is: importing them must load neither PySide6 nor
pyqtgraph."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # this checkout, so its hpt_gui is the one imported


def test_importing_the_space_drafts_loads_no_qt():
    code = (
        "import sys\n"
        "import hpt_gui.ui.space_draft as draft\n"
        "assert draft.SpaceDraft and draft.parse_value('3') == 3\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'PyQt5', 'PyQt6', 'shiboken6')]\n"
        "assert 'PySide6' not in sys.modules and not bad, bad\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False, env=env)
    assert done.returncode == 0, done.stderr
