"""The core must never import Qt: it runs in workers, on clusters and without a screen."""

import pkgutil
import subprocess
import sys

import hpt_gui.core


def test_importing_every_core_module_loads_no_qt():
    modules = [m.name for m in pkgutil.walk_packages(hpt_gui.core.__path__, "hpt_gui.core.")]
    assert "hpt_gui.core.runner" in modules and "hpt_gui.core.strategies.grid" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import hpt_gui.cli\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'PyQt5', 'PyQt6', 'shiboken6')]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
