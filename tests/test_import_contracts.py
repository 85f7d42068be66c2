"""The import contracts of ``pyproject.toml`` (``[tool.importlinter]``) hold: the core
imports neither Qt, pyqtgraph, the window nor the command line; the window does not import
the command line; the command line imports no window module itself; both front ends reach
the store, the runner and the executors only through the engine. ``import-linter``
reads every import, inside functions too, and follows indirect ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the checkout: pyproject.toml and hpt_gui/
LINT = "import sys; from importlinter.cli import lint_imports_command; " \
       "sys.exit(lint_imports_command())"


def test_lint_imports_keeps_every_contract():
    # Never skipped: import-linter comes with the test extra. The package checked is this
    # checkout's, whatever else is installed.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run(
        [sys.executable, "-c", LINT, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300,
        check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
