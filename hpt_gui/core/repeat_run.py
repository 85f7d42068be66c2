"""Is a new study the same search as one queued or stored? Then running it again
only repeats the same trials with the same seed, and the window asks first.

The name, the workers and where the fits run are not part of a study's identity: two
studies that differ only there search the same candidates and score them the same way.
"""

from __future__ import annotations

from typing import Any

from .catalog import get_model
from .spec import DEFAULT_SCORING
from .study import data_reference

# What makes two searches the same (read from a StudySpec or the window's StudyRequest).
SAME_WHEN_EQUAL = ("model", "target", "strategy", "trials", "time_limit", "cv", "seed",
                   "space", "test_size", "nested", "options")


def search_identity(study: Any) -> tuple[Any, ...]:
    """The settings and seed of a study (spec or request), comparable with ``==``."""
    validation = dict(getattr(study, "validation", None) or {"scheme": "kfold"})
    return (data_reference(study.data), validation,
            *(getattr(study, name, None) for name in SAME_WHEN_EQUAL))


def is_same_search(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` would run the same trials (same settings and seed)."""
    try:
        return (search_identity(a) == search_identity(b)
                and scoring_of(a) == scoring_of(b))
    except (TypeError, ValueError):  # a space that cannot be compared is not the same
        return False


def scoring_of(study: Any) -> str:
    """The metric a study is scored by: an unnamed one is its task's default, so
    "accuracy" and "" are the same metric for a classifier and "f1" and "" are not."""
    named = getattr(study, "scoring", None)
    if named:
        return str(named)
    task = getattr(study, "task", None)
    if not task:
        try:
            task = get_model(study.model).task
        except (KeyError, ValueError, AttributeError):
            task = None
    return DEFAULT_SCORING.get(task or "", "")
