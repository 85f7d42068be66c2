"""The comparison of studies as a table to take away: one row per study, the columns the
command line's table and JSON show, as numbers a spreadsheet can sort (scores as the
scorer gives them, as in the JSON: errors are negative), written formula-safe and whole
(``safe_csv``), since study names are the user's text."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .compare import Comparison, StudySummary
from .output_files import check_output
from .safe_csv import write_csv

COLUMNS = (
    "study", "model", "search", "scoring", "validation", "complete_trials", "best_trial",
    "best_mean", "best_std", "one_se_trial", "one_se_mean", "best_mean_fit_time",
    "total_fit_time", "verdict", "p", "mean_difference", "probability_best_better",
    "probability_equivalent", "probability_other_better", "versus_the_best",
)


def comparison_row(study: StudySummary) -> dict[str, Any]:
    """One study's row: its summary, and against the best the test's p, the mean
    difference (best minus this) and the Bayesian test's three chances (empty when there
    is no test); the last column is the sentence that says how it stands."""
    versus = study.versus
    test = versus.test if versus else None
    bayes = versus.bayes if versus else None
    return {
        "study": study.name, "model": study.model, "search": study.strategy,
        "scoring": study.scoring, "validation": study.validation,
        "complete_trials": study.trials, "best_trial": study.best_trial,
        "best_mean": study.best_mean, "best_std": study.best_std,
        "one_se_trial": study.one_se_trial, "one_se_mean": study.one_se_mean,
        "best_mean_fit_time": study.best_fit_time, "total_fit_time": study.total_fit_time,
        "verdict": study.verdict,
        "p": test.p if test is not None and test.tested else None,
        "mean_difference": bayes.mean_difference if bayes else None,
        "probability_best_better": bayes.probability_a_better if bayes else None,
        "probability_equivalent": bayes.probability_equivalent if bayes else None,
        "probability_other_better": bayes.probability_b_better if bayes else None,
        "versus_the_best": versus.sentence if versus else study.reason,
    }


def comparison_table(comparison: Comparison) -> Any:
    """The comparison as a DataFrame, one row per study in the order compared; trial
    numbers are whole numbers with gaps where a study has none."""
    import pandas as pd

    table = pd.DataFrame([comparison_row(s) for s in comparison.studies], columns=COLUMNS)
    for column in ("complete_trials", "best_trial", "one_se_trial"):
        table[column] = table[column].astype("Int64")
    return table


def write_comparison_csv(comparison: Comparison, path: str | Path,
                         protect: Iterable[str | Path] = ()) -> Path:
    """The comparison table as a formula-safe CSV, written whole or not at all; never over
    a file in ``protect`` (the project, the studies' data)."""
    path = check_output(path, protect)
    return write_csv(comparison_table(comparison), path)


__all__ = ["COLUMNS", "comparison_row", "comparison_table", "write_comparison_csv"]
