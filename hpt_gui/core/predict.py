"""Predict on new data: a study's chosen trial (refit) or an exported model file, applied to
a new table, written as a new CSV of the input rows with the predictions beside them.

The new table's feature columns are turned into model input by the very code that built
the training X (``dataset``: number text read as numbers, numbers as float, categories as
text), so a model sees its new rows exactly as it saw its training rows. The input file
is only read, never written.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from .dataset import (
    ColumnInfo,
    Dataset,
    convert_number_text,  # the training step itself
    read_table,
)
from .output_files import OutputError, check_output
from .safe_csv import write_csv

PREDICTED = "predicted {}"
PROBABILITY = "probability {}"
_NAMES_SHOWN = 10


class PredictError(ValueError):
    """A prediction that cannot be made, phrased for the user (what is wrong, what to do)."""


@dataclass(frozen=True)
class ModelNeeds:
    """What a fitted model needs of a new table: its feature columns (by role), and what
    it predicts (the target's name, the task, the classes when it has them)."""

    target: str
    task: str
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    classes: tuple[Any, ...] = ()
    source: str = ""  # the data the model was trained on ('demo:NAME' or a file path)

    @property
    def features(self) -> tuple[str, ...]:
        return (*self.numeric, *self.categorical)

    @classmethod
    def from_sidecar(cls, meta: dict[str, Any], classes: Sequence[Any] = ()) -> ModelNeeds:
        """From a model file's sidecar ("data" block), read without unpickling."""
        data = meta.get("data") if isinstance(meta.get("data"), dict) else {}
        names = [data.get(key) for key in ("numeric_features", "categorical_features")]
        if not isinstance(data.get("target"), str) or not all(
                isinstance(n, list) and all(isinstance(x, str) for x in n) for n in names):
            raise PredictError(
                "The model's sidecar does not say which columns the model was trained on, so "
                "new data cannot be checked against it; export the model again with this "
                "version of hpt-gui.")
        return cls(target=data["target"], task=str(data.get("task", "")),
                   numeric=tuple(names[0]), categorical=tuple(names[1]),
                   classes=tuple(classes), source=str(data.get("source", "")))

    @classmethod
    def from_dataset(cls, dataset: Dataset, classes: Sequence[Any] = ()) -> ModelNeeds:
        """From the study's data as loaded for the refit (the same roles as the search)."""
        return cls(target=dataset.target, task=dataset.task,
                   numeric=tuple(dataset.numeric_features),
                   categorical=tuple(dataset.categorical_features),
                   classes=tuple(classes), source=dataset.source)


class Predictor(NamedTuple):
    """A fitted pipeline, what it needs of new data, and notes about it (version
    differences, which trial it is)."""

    pipeline: Any
    needs: ModelNeeds
    notes: list[str]


# --------------------------------------------------------------------------- getting a model


def model_from_file(path: str | Path, *, trusted: bool = False) -> Predictor:
    """An exported model file, loaded only when its sha256 matches its sidecar and, for a
    pickle, when trusted; a ``.skops`` file needs no trust but only holds hpt-gui's pipeline
    types (``model_file.load_model``). Library version differences come back as notes."""
    from .model_file import load_model

    loaded = load_model(path, trusted=trusted)
    needs = ModelNeeds.from_sidecar(loaded.sidecar, _classes(loaded.pipeline))
    return Predictor(loaded.pipeline, needs, list(loaded.warnings))


def model_from_study(project: str | Path, study_name: str,
                     trial_number: int | None = None) -> Predictor:
    """A study's trial (None: its best) refit on the rows the study searched, exactly as an
    export would; refused when the study's data changed since it ran."""
    from .export import choose_trial, fit_final_pipeline, load_study_data

    spec, trials = read_study(project, study_name)
    trial = choose_trial(trials, trial_number)
    dataset = load_study_data(spec)
    # The refit's warnings (a solver that did not converge...) become a note, not a
    # Python warning printed in the middle of the output.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipeline = fit_final_pipeline(spec, trial, dataset)
    needs = ModelNeeds.from_dataset(dataset, _classes(pipeline))
    said = dict.fromkeys(str(w.message).split("\n")[0] for w in caught)
    notes = [f"Refitting trial {trial.number} warned: {text}" for text in list(said)[:3]]
    return Predictor(pipeline, needs, notes)


def study_needs(project: str | Path, study_name: str) -> ModelNeeds:
    """What a study's models need of new data, without refitting: the study's data loaded
    as the search loaded it (refused if it changed), so a table can be checked first."""
    from .export import load_study_data

    spec, _ = read_study(project, study_name)
    return ModelNeeds.from_dataset(load_study_data(spec))


def sidecar_words(meta: dict[str, Any]) -> str:
    """What a model file's sidecar says, for the user to decide whether to load it:
    study, trial, model, score, when it was saved and from which data."""
    from .diagnostics.verdict import metric_words, shown

    scores = meta.get("scores") if isinstance(meta.get("scores"), dict) else {}
    scoring = str(meta.get("scoring") or "")
    data = meta.get("data") if isinstance(meta.get("data"), dict) else {}
    score = scores.get("mean_test_score")
    parts = [f"Study '{meta.get('study', '?')}', trial {meta.get('trial', '?')}: "
             f"{meta.get('model', 'a model')}"]
    if isinstance(score, int | float) and scoring:
        parts.append(f"validation {metric_words(scoring)} {shown(scoring, float(score))}")
    if meta.get("created_at"):
        parts.append(f"saved {str(meta['created_at'])[:16].replace('T', ' ')}")
    if data.get("source"):
        parts.append(f"trained on {Path(str(data['source'])).name} "
                     f"({int(data.get('rows') or 0):,} rows)")
    return "; ".join(parts) + "."


def read_study(project: str | Path, study_name: str) -> tuple[Any, list[Any]]:
    """A study's spec and trials; the project is only read, never created."""
    from .store import ProjectStore

    project = Path(project)
    if not project.is_file():
        raise PredictError(f"The project file '{project}' does not exist; choose an hpt-gui "
                           "project (.hpt).")
    with ProjectStore(project) as store:
        return store.study(study_name).spec, store.trials(study_name)


def trial_words(spec: Any, trials: Sequence[Any], trial_number: int | None) -> str:
    """'trial 12 (the best, accuracy 0.96)': which trial predicts, in words."""
    from .diagnostics.verdict import metric_words, shown
    from .export import choose_trial
    from .records import best_trial

    trial = choose_trial(trials, trial_number)
    best = best_trial(trials)
    which = "the best, " if best is not None and best.number == trial.number else ""
    return (f"trial {trial.number} ({which}{metric_words(spec.scoring)} "
            f"{shown(spec.scoring, trial.mean_test_score)})")


def _classes(pipeline: Any) -> tuple[Any, ...]:
    classes = getattr(pipeline, "classes_", None)
    return tuple(classes.tolist() if hasattr(classes, "tolist") else classes or ())


# --------------------------------------------------------------------------- checking


def check_columns(frame: pd.DataFrame, needs: ModelNeeds) -> list[str]:
    """Notes about a new table's columns; PredictError when the model cannot use it
    (a feature column missing, text in a numeric column)."""
    return _checked_input(frame, needs)[1]


def _checked_input(frame: pd.DataFrame, needs: ModelNeeds) -> tuple[pd.DataFrame, list[str]]:
    """The model input of a new table, and the notes about its columns (see
    ``check_columns``)."""
    missing = [name for name in needs.features if name not in frame.columns]
    if missing:
        raise PredictError(_missing_sentence(missing, frame, needs))
    X = model_input(frame, needs)  # numbers that are not numbers are refused here
    notes = []
    extra = [name for name in frame.columns
             if name not in needs.features and name != needs.target]
    if extra:
        notes.append(f"{_columns(extra)} {'was' if len(extra) == 1 else 'were'} not used to "
                     f"train the model: {'it is' if len(extra) == 1 else 'they are'} kept in "
                     "the output, not used to predict.")
    if needs.target in frame.columns:
        notes.append(f"The table has the target column '{needs.target}': it is kept in the "
                     "output, not used to predict.")
    return X, notes


def columns_ok(frame: pd.DataFrame, needs: ModelNeeds) -> str:
    """The sentence for a table that passed the check."""
    count = len(needs.features)
    return (f"All {count:,} columns the model needs are there." if count != 1
            else "The one column the model needs is there.")


def _missing_sentence(missing: list[str], frame: pd.DataFrame, needs: ModelNeeds) -> str:
    """Name the missing columns, with the table's near-miss names (capitals, spaces,
    typos) when there are some: that is usually the whole fix."""
    others = [str(c) for c in frame.columns if c not in needs.features]
    hints = []
    for name in missing:
        close = [c for c in others if _plain(c) == _plain(name)] or \
            difflib.get_close_matches(name, others, n=1, cutoff=0.8)
        if close:
            hints.append(f"'{close[0]}' for '{name}'")
    count = len(missing)
    sentence = (f"The new table lacks {count:,} column{'s' if count != 1 else ''} the model "
                f"was trained on: {_quote_list(missing)}. Add "
                f"{'it' if count == 1 else 'them'} with the same name"
                f"{'s' if count != 1 else ''} and load the table again.")
    if hints:
        sentence += (f" The table has {_join(hints[:_NAMES_SHOWN])}: names must match "
                     "exactly, capitals and spaces included.")
    return sentence


def _plain(name: str) -> str:
    return "".join(str(name).split()).casefold().replace("_", "")


def model_input(frame: pd.DataFrame, needs: ModelNeeds) -> pd.DataFrame:
    """The feature columns as the model saw them in training: the training code's own
    conversion (number text -> numbers, then ``Dataset.X``). PredictError for text in a
    numeric column or infinite numbers."""
    features = frame[list(needs.features)]
    keep_as_text = {name: "categorical" for name in needs.categorical}
    features, _ = convert_number_text(features, keep_as_text)
    for name in needs.numeric:
        _check_numbers(features[name], frame[name], name)
    roles = {**{n: "numeric" for n in needs.numeric}, **keep_as_text}
    columns = tuple(ColumnInfo(name, roles[name], str(features[name].dtype), 0, 0)
                    for name in features.columns)
    shaped = Dataset(source="", frame=features, target=needs.target, task=needs.task,
                     columns=columns, notes=(), fingerprint="")
    return shaped.X()


def _check_numbers(series: pd.Series, original: pd.Series, name: str) -> None:
    if ptypes.is_bool_dtype(series.dtype) or (
            series.dtype == object and all(isinstance(v, bool | np.bool_)
                                           for v in series.dropna())):
        return
    if not ptypes.is_numeric_dtype(series.dtype):
        numbers = pd.to_numeric(original.astype(str).str.strip(), errors="coerce")
        bad = original.notna() & numbers.isna()
        row = int(np.flatnonzero(bad.to_numpy())[0]) if bad.any() else 0
        raise PredictError(
            f"Column '{name}' should hold numbers, but row {row + 2:,} (counting the header "
            f"as row 1) holds '{original.iloc[row]}'. Correct or empty that cell (an empty "
            "cell is filled in as in training) and load the table again.")
    values = series.to_numpy(dtype=float)
    if np.isinf(values).any():
        row = int(np.flatnonzero(np.isinf(values))[0])
        raise PredictError(
            f"Column '{name}' holds an infinite number on row {row + 2:,} (counting the "
            "header as row 1), which the model cannot use; replace it with a number or an "
            "empty cell and load the table again.")


def _trained_categories(pipeline: Any, needs: ModelNeeds) -> dict[str, list[Any]]:
    """Each categorical column's labels as the fitted one-hot encoder learned them ({} for
    a pipeline not shaped as hpt-gui builds them)."""
    try:
        preprocess = pipeline.named_steps["preprocess"]
        encoder = preprocess.named_transformers_["categorical"].named_steps["one_hot"]
    except (AttributeError, KeyError, TypeError):
        return {}
    return {name: list(known)
            for name, known in zip(needs.categorical, encoder.categories_, strict=False)}


def labels_as_trained(pipeline: Any, X: pd.DataFrame, needs: ModelNeeds) -> pd.DataFrame:
    """Number labels written as training wrote them: a column of numbers with gaps was read
    as floats in training (labels '1.0'), the same column without gaps is read as whole
    numbers ('1'); a label the model never saw that equals a trained label as a number
    takes that label, so it is not mistaken for an unseen category."""
    X = X.copy()
    for name, known in _trained_categories(pipeline, needs).items():
        by_number = {}
        for label in known:
            number = _as_number(label)
            if number is not None:
                by_number.setdefault(number, label)
        if not by_number:
            continue
        known_set = set(known)
        column = X[name]

        def trained(value: Any, known_set: set = known_set, by_number: dict = by_number) -> Any:
            if not isinstance(value, str) or value in known_set:
                return value
            number = _as_number(value)
            return by_number.get(number, value) if number is not None else value

        X[name] = column.map(trained).where(column.notna(), np.nan)
    return X


def _as_number(label: Any) -> float | None:
    try:
        number = float(label)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def unseen_category_notes(pipeline: Any, X: pd.DataFrame, needs: ModelNeeds) -> list[str]:
    """Categories the model never saw in training: they are ignored (the one-hot encoder
    gives them no column), which the user should know, since a misspelling looks the same."""
    notes = []
    for name, known in _trained_categories(pipeline, needs).items():
        values = X[name].dropna()
        unseen = values[~values.isin(set(known))]
        if len(unseen):
            examples = _quote_list(unseen.unique()[:3].tolist(), limit=3)
            notes.append(f"Column '{name}' has values the model never saw in training "
                         f"(such as {examples}, {len(unseen):,} row"
                         f"{'s' if len(unseen) != 1 else ''}): the model predicts those "
                         "rows as if the value were unknown.")
    return notes


# --------------------------------------------------------------------------- predicting


def predict_frame(pipeline: Any, frame: pd.DataFrame, needs: ModelNeeds) -> pd.DataFrame:
    """The input rows as read (every column, same order) with a ``predicted <target>``
    column and, for a classifier that has them, one ``probability <class>`` column each."""
    X = labels_as_trained(pipeline, model_input(frame, needs), needs)
    return _with_predictions(pipeline, frame, X, needs)


def _with_predictions(pipeline: Any, frame: pd.DataFrame, X: pd.DataFrame,
                      needs: ModelNeeds) -> pd.DataFrame:
    """``frame`` with the predictions (and probabilities) of the model input ``X``."""
    out = frame.copy()
    taken = set(map(str, out.columns))
    column = _free_name(PREDICTED.format(needs.target), taken)
    out[column] = _predict(pipeline, X)
    if needs.task != "regression" and hasattr(pipeline, "predict_proba"):
        probabilities = _predict_proba(pipeline, X)
        if probabilities is not None:
            classes = _classes(pipeline) or needs.classes
            for k, label in enumerate(classes):
                out[_free_name(PROBABILITY.format(label), taken)] = probabilities[:, k]
    return out


def _free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... when the input already has that column."""
    candidate, k = name, 1
    while candidate in taken:
        k += 1
        candidate = f"{name} ({k})"
    taken.add(candidate)
    return candidate


def _predict(pipeline: Any, X: pd.DataFrame) -> np.ndarray:
    try:
        return np.asarray(pipeline.predict(X))
    except ValueError as exc:
        raise PredictError(f"The model could not predict on this table ({exc}); check that "
                           "it holds the same kind of values as the training data.") from None


def _predict_proba(pipeline: Any, X: pd.DataFrame) -> np.ndarray | None:
    try:
        return np.asarray(pipeline.predict_proba(X))
    except AttributeError:  # e.g. an SVC without probability=True: no probabilities
        return None


class Written(NamedTuple):
    """What ``write_predictions`` wrote: the file, notes about the table, the row count."""

    path: Path
    notes: list[str]
    rows: int


def write_predictions(pipeline: Any, needs: ModelNeeds, data_source: str | Path,
                      out_path: str | Path, *, protect: Sequence[str | Path] = ()
                      ) -> Written:
    """Read the table, check it, predict, and write a new CSV; returns (path, notes, rows).

    The input is never written to: ``out_path`` may not be it, under any spelling of its
    path (relative, ``..``, a link, a hard link, another case on a case-insensitive disk).
    The CSV is formula-safe (``safe_csv``: text cells, predicted labels and column names
    that start like a formula get an apostrophe; numbers stay numbers) and written whole
    or not at all.
    """
    out = check_out_path(data_source, out_path, protect)
    frame, _ = read_table(data_source)
    X, notes = _checked_input(frame, needs)  # the model input, built once
    X = labels_as_trained(pipeline, X, needs)
    predicted = _with_predictions(pipeline, frame, X, needs)
    notes += unseen_category_notes(pipeline, X, needs)
    try:
        write_csv(predicted, out)
    except OutputError as exc:
        raise PredictError(str(exc)) from None
    return Written(out, notes, len(predicted))


def check_out_path(data_source: str | Path, out_path: str | Path,
                   protect: Sequence[str | Path] = ()) -> Path:
    """The output path, refused when it is the input table or another protected file (the
    model, its sidecar, the project, the study's data), compared as files
    (``output_files.check_output``)."""
    try:
        check_output(out_path, [data_source], what="the table you are predicting on")
        return check_output(out_path, protect, what="a file that must be kept")
    except OutputError as exc:
        raise PredictError(str(exc)) from None


def default_out_path(data_source: str, project: str | Path | None = None) -> Path:
    """``<input stem>-predictions.csv`` beside the input; for demo data, in the project's
    folder (else the home folder). Never the input itself."""
    if data_source.strip().lower().startswith("demo:"):
        name = data_source.strip()[5:].strip().lower() or "demo"
        folder = Path(project).expanduser().resolve().parent if project else Path.home()
        return folder / f"{name}-predictions.csv"
    source = Path(data_source)
    return source.with_name(f"{source.stem}-predictions.csv")


def _quote_list(names: Sequence[Any], limit: int = _NAMES_SHOWN) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) > limit:
        return f"{', '.join(quoted[:limit])} and {len(quoted) - limit:,} more"
    return _join(quoted)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _columns(names: list[str]) -> str:
    return f"{'Column' if len(names) == 1 else 'Columns'} {_quote_list(names)}"


__all__ = [
    "ModelNeeds", "PredictError", "Predictor", "check_columns", "check_out_path",
    "columns_ok", "default_out_path", "model_from_file", "model_from_study", "model_input",
    "predict_frame", "read_study", "sidecar_words", "study_needs", "trial_words",
    "unseen_category_notes", "write_predictions", "Written",
]
