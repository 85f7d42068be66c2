"""The report's pictures for the command line: the window's own plots, drawn offscreen.

``core.report`` embeds pictures it is handed by a ``PictureRenderer``; the plots that draw
them live in the window's package and need Qt. This module is where the two meet, outside
both the core and the window, so that ``cli.py`` imports neither Qt nor ``hpt_gui.ui``:
``hpt-gui report`` passes ``render_pictures`` to ``write_report``. Qt is loaded only when
a picture is drawn, so the other commands start without it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .core.diagnostics.importance import Importance
    from .core.diagnostics.summary import Diagnosis
    from .core.predictions import Predictions
    from .core.spec import StudySpec
    from .core.store import TrialRecord


def render_pictures(spec: StudySpec, trials: Sequence[TrialRecord], diagnosis: Diagnosis,
                    importance: Importance | None = None,
                    predictions: Predictions | None = None) -> list[tuple[str, bytes]]:
    """(title, PNG) for each of the study's plots, drawn by the window's views (with how the
    trial errs when its out-of-fold ``predictions`` are given). Without a screen (a
    server, a container) Qt draws offscreen. Raises ``ImportError`` when the
    plotting code cannot be loaded (``core.report.draw_pictures`` says so in the report)."""
    if (sys.platform not in ("win32", "darwin") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from .ui.plots.render import render_study_pictures

    return list(render_study_pictures(spec, trials, diagnosis, importance=importance,
                                      predictions=predictions))
