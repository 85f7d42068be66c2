"""A trial's out-of-fold predictions as a table to take away: one row per data row, its
split, the true value, the prediction and the class probabilities (or decision scores),
written formula-safe and whole (``safe_csv``), since class labels are the user's text."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .output_files import check_output
from .predictions import PROBABILITY, Predictions
from .safe_csv import write_csv


def predictions_table(predictions: Predictions) -> Any:
    """Columns ``row`` (0-based, as ``Predictions`` numbers the rows), ``fold``,
    ``actual``, ``predicted``, then ``probability <class>`` (or ``score <class>`` for
    decision scores) per class; a row without a prediction has those cells empty."""
    import pandas as pd

    seen = predictions.has_prediction
    fold = pd.array(predictions.fold, dtype="Int64")
    fold[~seen] = pd.NA
    table = pd.DataFrame({"row": range(predictions.rows), "fold": fold,
                          "actual": predictions.actual_values(),
                          "predicted": predictions.predicted_values()})
    if predictions.scores is not None:
        word = "probability" if predictions.score_kind == PROBABILITY else "score"
        for i, label in enumerate(predictions.score_columns()):
            table[f"{word} {label}"] = predictions.scores[:, i]
    return table


def write_predictions_csv(predictions: Predictions, path: str | Path,
                          protect: Iterable[str | Path] = ()) -> Path:
    """The predictions as a formula-safe CSV, written whole or not at all; never over a
    file in ``protect`` (the project, the study's data)."""
    path = check_output(path, protect)
    return write_csv(predictions_table(predictions), path)


__all__ = ["predictions_table", "write_predictions_csv"]
