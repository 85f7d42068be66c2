"""What successive halving saved, in the sentence the window and the command line show.

Apart from the strategy so that the strategy only schedules and decides; its numbers come
from ``halving.halving_saving``.
"""

from __future__ import annotations

from typing import Any


def describe_saving(saving: dict[str, Any] | None) -> str:
    """'halving used 48 of 150 fits (32%)'; on rows, in full-data fits."""
    if not saving or not saving["fits_full"]:
        return ""
    percent = f"{100 * saving['share']:.0f}%"
    if saving["resource"] == "rows":
        return (f"halving ran {saving['fits_done']:,} fits on growing subsamples, the work "
                f"of {saving['work_done']:,.0f} of {saving['fits_full']:,} full fits "
                f"({percent})")
    return f"halving used {saving['fits_done']:,} of {saving['fits_full']:,} fits ({percent})"


__all__ = ["describe_saving"]
