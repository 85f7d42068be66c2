"""One way to write numbers and times everywhere: window, report and command line
(UI.md: three significant digits, times in ms/s/min/h, counts with thousands separators)."""

from __future__ import annotations

import math


def difference(a: float, b: float) -> float:
    """``a - b``, with the rounding noise of equal scores as 0 (two means of the same
    fold scores can differ by 2e-16, which reads as a number to an analyst)."""
    gap = a - b
    return 0.0 if abs(gap) <= 1e-12 * max(1.0, abs(a), abs(b)) else gap


def number(value: float | None, digits: int = 3) -> str:
    """``digits`` significant digits, trailing zeros kept (0.950); thousands separated
    from 1,000 up; empty for a missing value."""
    if value is None:
        return ""
    value = float(value)
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    rounded = float(f"{value:.{digits}g}")
    if 1000 <= abs(rounded) < 1e15:
        return f"{round(rounded):,}"
    text = f"{value:#.{digits}g}"
    mantissa, e, exponent = text.partition("e")
    return mantissa.rstrip(".") + (e + exponent if e else "")


def duration(seconds: float | None) -> str:
    """A time in ms, s, min or h with three significant digits."""
    if seconds is None or math.isnan(seconds):
        return ""
    if seconds < 1:
        return f"{number(seconds * 1000)} ms"
    if seconds < 60:
        return f"{number(seconds)} s"
    if seconds < 3600:
        return f"{number(seconds / 60)} min"
    return f"{number(seconds / 3600)} h"


def time_left(seconds: float) -> str:
    """An estimate, so no false precision: '8 s', '2.5 min', '1.2 h'."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def count(n: int, noun: str) -> str:
    """'1 trial', '1,200 trials'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
