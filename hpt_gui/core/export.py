"""What leaves the app: the trial table as CSV, the chosen model as a pickle with a JSON
sidecar, and a standalone Python script that rebuilds and re-scores it.

The CSV speaks scikit-learn's ``cv_results_`` column names, so analysts and scripts
that know GridSearchCV already know it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .catalog import get_model
from .dataset import Dataset, load_dataset
from .library_versions import library_versions  # also imported from here
from .model_file import save_model, sidecar_path
from .output_files import OutputError, check_output, write_atomically
from .records import (
    TrialRecord,
    TrialState,
    best_trial,
    fold_columns,
    param_column,
    param_names,
    trial_column,
)
from .safe_csv import neutralize_formula, write_csv
from .spec import StudySpec


class ExportError(OutputError):
    """An export that cannot be made, phrased for the user (an ``OutputError``, so one
    ``except`` catches every refused or failed output)."""


def trials_table(trials: Sequence[TrialRecord]) -> Any:
    """One row per trial; columns as GridSearchCV's cv_results_, plus number and state.

    Every value is the one the trial table and the plots show: the per-trial columns are
    ``records.trial_column``'s, those read from the folds ``records.fold_columns``'.
    """
    import pandas as pd

    trials = list(trials)
    if not trials:
        return pd.DataFrame()
    from_folds = fold_columns(trials)
    splits = sum(name.endswith("_test_score") for name in from_folds)
    columns: dict[str, Any] = {
        "number": trial_column(trials, "number"),
        "state": [state.value for state in trial_column(trials, "state")],
        "mean_fit_time": trial_column(trials, "mean_fit_time"),
        **{name: from_folds[name] for name in
           ("std_fit_time", "mean_score_time", "std_score_time")},
    }
    for name in param_names(trials):
        columns[f"param_{name}"] = [_csv_value(v) for v in param_column(trials, name)[0]]
    columns["params"] = [json.dumps(t.params, sort_keys=False) for t in trials]
    # A trial halving stopped after fewer folds has a mean over those folds but no
    # spread over the full evaluation's folds (0.0 over one fold): left empty.
    for kind in ("test", "train"):
        for k in range(splits):
            columns[f"split{k}_{kind}_score"] = from_folds[f"split{k}_{kind}_score"]
        for name in (f"mean_{kind}_score", f"std_{kind}_score"):
            columns[name] = trial_column(trials, name)
    columns["error"] = [t.error or "" for t in trials]
    table = pd.DataFrame(columns)
    table.insert(table.columns.get_loc("std_test_score") + 1, "rank_test_score",
                 _ranks(table["state"].to_numpy(), table["mean_test_score"].to_numpy(float)))
    return table


def _ranks(states: Any, scores: Any) -> Any:
    """``rank_test_score`` as ``cv_results_`` ranks its candidates: the complete trials by
    mean validation score, 1 the best, ties sharing the lowest rank (``rankdata(-mean,
    method="min")``); failed trials share the rank after the last of them, as scikit-learn
    ranks a candidate whose score is NaN. Trials that were never fully evaluated (pruned by
    successive halving, cancelled) have no rank: their scores are partial."""
    import numpy as np
    import pandas as pd
    from scipy.stats import rankdata

    complete = (states == "COMPLETE") & ~np.isnan(scores)
    last = (states == "FAIL") | ((states == "COMPLETE") & np.isnan(scores))
    ranks = pd.array([pd.NA] * len(states), dtype="Int64")
    if complete.any():
        ranks[complete] = rankdata(-scores[complete], method="min").astype(np.int64)
    ranks[last] = int(complete.sum()) + 1
    return ranks


def _csv_value(value: Any) -> Any:
    return "" if value is None else value


def write_trials_csv(
    trials: Sequence[TrialRecord], path: str | Path, *, protect: Sequence[str | Path] = ()
) -> Path:
    """The trial table as a formula-safe CSV (``safe_csv``), written whole or not at all;
    never over a file in ``protect`` (data, project)."""
    path = check_output_path(path, protect)
    table = trials_table(trials)
    with writing(path):
        write_csv(table, path)
    return path


def choose_trial(trials: Sequence[TrialRecord], number: int | None) -> TrialRecord:
    """The asked-for trial, or the best one; a sentence when there is none."""
    if number is None:
        best = best_trial(trials)
        if best is None:
            raise ExportError("No trial of this study completed, so there is no model to export.")
        return best
    for trial in trials:
        if trial.number == number:
            if trial.state is TrialState.PRUNED:
                raise ExportError(
                    f"Trial {number} was stopped early by successive halving (pruned after "
                    f"{len(trial.folds)} fold(s)), so its score is partial; choose a complete "
                    "trial.")
            if trial.state is not TrialState.COMPLETE:
                raise ExportError(f"Trial {number} did not complete ({trial.error}); choose "
                                  "another trial.")
            return trial
    raise ExportError(f"The study has no trial number {number}.")


def load_study_data(spec: StudySpec) -> Dataset:
    """The study's data as it was: refuse if the file changed since the study ran."""
    dataset = load_dataset(spec.data, spec.target, roles=spec.roles, task=spec.task,
                           rules=spec.engine)  # the columns its engine chose
    check_fingerprint(spec, dataset)
    return dataset


def check_fingerprint(spec: StudySpec, dataset: Dataset) -> None:
    """Refuse (ExportError) data other than the data the study ran on.

    A model refit or a curve fitted on other data would not match the study's scores.
    A study stored without a fingerprint accepts any data.
    """
    if spec.data_fingerprint and dataset.fingerprint != spec.data_fingerprint:
        raise ExportError(
            f"The data file '{spec.data}' has changed since the study ran, so what is fitted "
            "on it now (a model, a curve) would not match the study's scores; restore the "
            "original file or run the study again."
        )


def fit_final_pipeline(spec: StudySpec, trial: TrialRecord, dataset: Dataset) -> Any:
    """The trial's pipeline refit on all the rows the study searched: every row, except a
    held-out test set (or, for an outer search of nested CV, its outer fold)."""
    from .pipeline import build_pipeline
    from .study import build_context

    context = build_context(spec, dataset)[0]
    pipeline = build_pipeline(get_model(spec.model), trial.params, spec.seed,
                              context.numeric, context.categorical)
    return pipeline.fit(context.X, context.y)


def write_model(
    spec: StudySpec, trials: Sequence[TrialRecord], path: str | Path,
    *, trial_number: int | None = None, protect: Sequence[str | Path] = (),
) -> Path:
    """Save the refit pipeline and its JSON sidecar (``<name>.json`` beside it, see
    ``model_file.sidecar_path``), which ``model_file.load_model`` checks; returns the
    sidecar's path. The suffix names the format: ``.skops`` is the safe format (loading it
    runs no code), any other suffix a pickle (``model_file.model_format``)."""
    protect = [*protect, spec.data]
    path = check_output_path(path, protect)
    sidecar = sidecar_path(path)
    check_output_path(sidecar, protect)
    trial = choose_trial(trials, trial_number)
    dataset = load_study_data(spec)
    started = time.perf_counter()
    pipeline = fit_final_pipeline(spec, trial, dataset)
    refit_time = time.perf_counter() - started
    info = get_model(spec.model)
    meta = {
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "versions": library_versions(),
        "study": spec.name,
        "trial": trial.number,
        "model": spec.model,
        "params": trial.params,
        "estimator_params": _jsonable(info.estimator_params(trial.params, spec.seed)),
        "scoring": spec.scoring,
        "cv": spec.cv,
        "validation": spec.validation,
        "test_size": spec.test_size,
        "nested": spec.nested,
        "outer": spec.outer,
        "seed": spec.seed,
        "scores": {
            "mean_test_score": trial.mean_test_score,
            "std_test_score": trial.std_test_score,
            "mean_train_score": trial.mean_train_score,
            "split_test_scores": [f.test_score for f in trial.folds],
            "split_train_scores": [f.train_score for f in trial.folds],
        },
        "refit_seconds": round(refit_time, 3),
        "data": {
            "source": spec.data,
            "sha256": dataset.fingerprint,
            "rows": dataset.n_rows,
            "target": dataset.target,
            "task": dataset.task,
            "numeric_features": dataset.numeric_features,
            "categorical_features": dataset.categorical_features,
        },
    }
    try:
        return save_model(pipeline, path, meta)
    except OutputError as exc:
        raise ExportError(str(exc)) from None


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda v: repr(v)))


def check_output_path(path: str | Path, protect: Sequence[str | Path] = ()) -> Path:
    """Refuse to write over the data, the project (or its WAL files), or a folder: compared
    as files (a hard link or a second path to them too, ``output_files.check_output``)."""
    with writing(path):
        return check_output(path, protect)


@contextmanager
def writing(path: str | Path) -> Iterator[None]:
    """A file that cannot be written is a sentence (an ``ExportError``), not a traceback."""
    try:
        yield
    except ExportError:
        raise
    except OutputError as exc:
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(f"'{path}' could not be written ({exc.strerror or exc}).") from None


def write_script(
    spec: StudySpec, trials: Sequence[TrialRecord], path: str | Path,
    *, trial_number: int | None = None, protect: Sequence[str | Path] = (),
) -> Path:
    """A standalone script: rebuild the pipeline, score it on the study's splits; written
    whole or not at all."""
    from .script import render_script

    path = check_output_path(path, [*protect, spec.data])
    trial = choose_trial(trials, trial_number)
    dataset = load_study_data(spec)
    with writing(path):
        write_atomically(path, render_script(spec, trial, dataset))
    return path


__all__ = [
    "ExportError", "check_fingerprint", "check_output_path", "choose_trial", "fit_final_pipeline",
    "library_versions", "neutralize_formula", "trials_table", "write_model", "write_script",
    "write_trials_csv", "writing",
]
