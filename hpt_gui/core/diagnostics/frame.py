"""The columnar trial frame, now in ``core/records.py`` beside the records it is built
from (the trial table and the CSV export read the same columns); kept here so imports
of ``hpt_gui.core.diagnostics.frame`` go on working."""

from __future__ import annotations

from ..records import TrialFrame

__all__ = ["TrialFrame"]
