"""The search a study gets when the user does not choose one, and when a search is big
enough to ask about first. One rule for the command line and the window.

A grid is exhaustive and honest when it is small; above ``GRID_BY_DEFAULT_UP_TO``
candidates a random search of ``DEFAULT_RANDOM_TRIALS`` trials finds nearly as good a
setting for a fraction of the fits.
"""

from __future__ import annotations

GRID_BY_DEFAULT_UP_TO = 200
DEFAULT_RANDOM_TRIALS = 50
# Above either, the window asks before it runs (and offers the random search).
ASK_ABOVE_FITS = 500
ASK_ABOVE_SECONDS = 10 * 60


def default_strategy(candidates: int | None) -> tuple[str, int | None]:
    """('grid', None) for a grid of at most 200 candidates, else ('random', 50).

    ``candidates`` is the grid's size, or None when it is too large to count."""
    if candidates is not None and candidates <= GRID_BY_DEFAULT_UP_TO:
        return "grid", None
    return "random", DEFAULT_RANDOM_TRIALS


def is_expensive(fits: int | None, seconds: float | None) -> bool:
    """Whether a run costs enough (fits, or estimated seconds) to ask the user first."""
    return (fits is not None and fits > ASK_ABOVE_FITS) or (
        seconds is not None and seconds > ASK_ABOVE_SECONDS)
