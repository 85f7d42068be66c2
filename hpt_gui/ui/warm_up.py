"""Load the libraries the Results page's background work needs while the window idles.

The importance and the constant-prediction floor import scikit-learn (1.3 s on the
development machine, most of it SciPy's statistics) the first time they run; when that
is the first work a project's Results page does, its diagnostics wait for the import.
The window starts it on a daemon thread a moment after it is first shown, while the
analyst looks at it. Not later, while a project is read or a table filled: the import
holds the interpreter in turns with that work and slowed it by half.
"""

from __future__ import annotations

import importlib
import threading

from .tasks import run_long

AFTER_SHOWN_MS = 1500  # the window has painted and settled by then
MODULES = ("sklearn.ensemble", "sklearn.model_selection", "sklearn.dummy",
           "optuna.importance", "hpt_gui.core.diagnostics.importance",
           "hpt_gui.core.diagnostics.baseline")

_STARTED = threading.Event()


def warm_up() -> threading.Thread | None:
    """Import ``MODULES`` on a daemon thread, once per process (None if already begun).
    An import another thread asks for meanwhile waits for this one; it is never done
    twice, and a module that fails to import is left to the work that needs it to say."""
    if _STARTED.is_set():
        return None
    _STARTED.set()

    def imports() -> None:
        for name in MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: S112 (the job that needs it reports it)
                continue

    return run_long(imports, "hpt-gui-warm-up")
