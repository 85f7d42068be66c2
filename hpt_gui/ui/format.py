"""One way to write numbers and times everywhere in the window."""

from __future__ import annotations

import math


def number(value: float | None, digits: int = 3) -> str:
    """Three significant digits; empty for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{digits}g}"


def duration(seconds: float | None) -> str:
    """Seconds as s, min or h, the way a person says it."""
    if seconds is None:
        return ""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def count(n: int, noun: str) -> str:
    """'1 trial', '1,200 trials'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
