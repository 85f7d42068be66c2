"""How a score is said: the metric's name in words and a score as the user thinks of it.

Kept apart from the verdict so that validation, the choice and the report can word scores
without importing the verdict's rules (which import them back).
"""

from __future__ import annotations

import math

from .format import number


def is_error_metric(scoring: str) -> bool:
    """Scores on the target's own scale (negated errors), so gaps are judged relatively."""
    return scoring.startswith("neg_") and scoring != "neg_brier_score"


def metric_words(scoring: str) -> str:
    """'balanced accuracy', 'mean squared error' (the sign is dropped for errors)."""
    words = scoring.removeprefix("neg_").replace("_", " ")
    return {"r2": "R²", "roc auc": "ROC AUC", "f1": "F1"}.get(words, words)


def shown(scoring: str, value: float | None) -> str:
    """A score as the user thinks of it: errors positive, three significant digits."""
    if value is None or math.isnan(value):
        return "n/a"
    return number(-value if scoring.startswith("neg_") else value)
