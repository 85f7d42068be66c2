"""How a study's rows are split: first the rows held out (a test set, or the outer fold of
nested cross-validation), then the folds the search validates on, all with scikit-learn's
own splitters and the study's seed.

Schemes (``StudySpec.validation["scheme"]``), with ``cv`` as the splitter's ``n_splits``:

- ``kfold``: ``StratifiedKFold`` for classes, ``KFold`` otherwise (shuffled, seeded);
- ``repeated``: ``RepeatedStratifiedKFold`` / ``RepeatedKFold`` (``repeats`` x ``cv`` splits);
- ``shuffle``: ``StratifiedShuffleSplit`` / ``ShuffleSplit`` with ``holdout`` as the
  validation share (``cv`` random splits; 1 is a single holdout);
- ``group``: ``StratifiedGroupKFold`` for classes, ``GroupKFold`` otherwise (shuffled,
  seeded), on the values of the group column (never a feature);
- ``time``: ``TimeSeriesSplit``: rows in file order, each fold validates on the rows after
  its training rows; nothing is shuffled.

The held-out test set (``test_size``) is cut first: ``train_test_split`` stratified for
classes; whole groups (``GroupShuffleSplit``) for the group scheme; the last rows of the
file for the time scheme. Nested cross-validation's outer folds use the same family of
splitter with the outer number of folds (k-fold for kfold, repeated and shuffle). The
search then sees only the remaining rows: its folds are made on them alone, as
``GridSearchCV`` would make them on that part of the table.

The exported script (``script.py``) repeats these steps; keep the two in step.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .spec import SCHEME_NAMES, SpecError, StudySpec

Split = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class StudyRows:
    """Which rows a study searches on, which it holds out, and its folds.

    ``rows`` and ``held_out`` are positions in the whole table (``rows`` is None when the
    search sees every row); ``splits`` are positions within the searched rows.
    """

    rows: np.ndarray | None
    held_out: np.ndarray | None
    splits: list[Split]

    def searched(self, n_rows: int) -> np.ndarray:
        return np.arange(n_rows) if self.rows is None else self.rows


def make_splitter(validation: dict[str, Any] | None, task: str, folds: int, seed: int) -> Any:
    """The scikit-learn splitter of a validation scheme (call ``split(X, y, groups)``)."""
    from sklearn import model_selection as ms

    validation = validation or {"scheme": "kfold"}
    scheme = validation.get("scheme", "kfold")
    classes = task == "classification"
    if scheme == "kfold":
        kind = ms.StratifiedKFold if classes else ms.KFold
        return kind(folds, shuffle=True, random_state=seed)
    if scheme == "repeated":
        kind = ms.RepeatedStratifiedKFold if classes else ms.RepeatedKFold
        return kind(n_splits=folds, n_repeats=validation["repeats"], random_state=seed)
    if scheme == "shuffle":
        kind = ms.StratifiedShuffleSplit if classes else ms.ShuffleSplit
        return kind(n_splits=folds, test_size=validation["holdout"], random_state=seed)
    if scheme == "group":
        kind = ms.StratifiedGroupKFold if classes else ms.GroupKFold
        return kind(n_splits=folds, shuffle=True, random_state=seed)
    if scheme == "time":
        return ms.TimeSeriesSplit(n_splits=folds)
    raise SpecError(f"Unknown validation scheme {scheme!r}.")


def outer_splitter(validation: dict[str, Any] | None, task: str, folds: int,
                   seed: int) -> Any:
    """Nested cross-validation's outer splitter: group and time schemes keep their kind
    (groups never straddle an outer fold; the future never trains the past); the others
    use (stratified) k-fold."""
    scheme = (validation or {}).get("scheme", "kfold")
    outer = validation if scheme in ("group", "time") else {"scheme": "kfold"}
    return make_splitter(outer, task, folds, seed)


def make_splits(y: Any, task: str, folds: int, seed: int,
                validation: dict[str, Any] | None = None,
                groups: Any = None) -> list[Split]:
    """The folds of one scheme on these rows, exactly as its scikit-learn splitter makes
    them (scikit-learn's warnings about small classes are checked for before, by
    ``split_rows``, and silenced here)."""
    y = np.asarray(y)
    splitter = make_splitter(validation, task, folds, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return [(train, test) for train, test in splitter.split(np.zeros(len(y)), y, groups)]


def hold_out_split(validation: dict[str, Any] | None, task: str, fraction: float, seed: int,
               y: Any, groups: Any = None) -> Split:
    """(kept rows, test rows), each in file order: stratified for classes, whole groups
    for the group scheme, the last rows for the time scheme."""
    from sklearn.model_selection import GroupShuffleSplit, train_test_split

    y = np.asarray(y)
    positions = np.arange(len(y))
    scheme = (validation or {}).get("scheme", "kfold")
    if scheme == "time":
        kept, test = train_test_split(positions, test_size=fraction, shuffle=False)
    elif scheme == "group":
        splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
        kept, test = next(splitter.split(positions, y, groups))
    else:
        kept, test = train_test_split(positions, test_size=fraction, random_state=seed,
                                      stratify=y if task == "classification" else None)
    return np.sort(kept), np.sort(test)


def group_values(column: Any) -> np.ndarray:
    """The group column as scikit-learn gets it: numbers as they are, anything else as
    text."""
    values = np.asarray(column.to_numpy() if hasattr(column, "to_numpy") else column)
    return values.astype(str) if values.dtype.kind == "O" else values


def groups_of(spec: StudySpec, frame: Any) -> np.ndarray | None:
    """The study's group labels (one per row of the table), or None without groups."""
    if spec.validation["scheme"] != "group":
        return None
    name = spec.validation["group"]
    if name not in frame.columns:
        columns = ", ".join(f"'{c}'" for c in frame.columns if c != spec.target)
        raise SpecError(f"There is no column '{name}' to group the rows by; the columns "
                        f"are {columns}.")
    if name == spec.target:
        raise SpecError(f"The target '{name}' cannot also be the group column; choose the "
                        "column that says which rows belong together.")
    column = frame[name]
    missing = int(column.isna().sum())
    if missing:
        raise SpecError(
            f"The group column '{name}' has {missing:,} row(s) without a value, so they "
            "belong to no group; fill them in or choose another group column.")
    return group_values(column)


def split_rows(spec: StudySpec, y: Any, groups: Any = None) -> StudyRows:
    """Hold out the test set or the outer fold, then make the search's folds; a SpecError
    sentence when the data cannot be split that way."""
    y = np.asarray(y)
    validation, task, seed = spec.validation, spec.task, spec.seed
    groups = None if groups is None else np.asarray(groups)
    rows = held_out = None
    where = "the data"
    if spec.outer is not None:
        _check(validation, task, spec.nested, y, groups, "the data", outer=True)
        outer = _guarded(lambda: list(outer_splitter(validation, task, spec.nested, seed)
                                      .split(np.zeros(len(y)), y, groups)))
        rows, held_out = outer[spec.outer - 1]
        where = f"the training rows of outer fold {spec.outer}"
    elif spec.test_size is not None:
        _check_test(validation, task, spec.test_size, y, groups)
        rows, held_out = _guarded(
            lambda: hold_out_split(validation, task, spec.test_size, seed, y, groups))
        where = "the rows left after the test set"
    search_y = y if rows is None else y[rows]
    search_groups = groups if groups is None or rows is None else groups[rows]
    _check(validation, task, spec.cv, search_y, search_groups, where)
    splits = _guarded(lambda: make_splits(search_y, task, spec.cv, seed, validation,
                                          search_groups))
    return StudyRows(rows, held_out, splits)


def _guarded(make: Any) -> Any:
    """scikit-learn's own refusal, for the cases the checks below do not foresee."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            return make()
        except ValueError as exc:
            raise SpecError(f"The validation scheme cannot split this data: {exc}") from None


def _class_counts(y: np.ndarray) -> Any:
    import pandas as pd

    return pd.Series(y).value_counts()


def _check(validation: dict[str, Any], task: str, folds: int, y: np.ndarray,
           groups: np.ndarray | None, rows: str, *, outer: bool = False) -> None:
    """Refuse, with a sentence, folds the rows (named by ``rows``, e.g. 'the data')
    cannot fill; ``outer`` checks the outer folds of nested CV (see ``outer_splitter``)."""
    scheme = validation["scheme"]
    if outer and scheme not in ("group", "time"):
        scheme = "kfold"
    n = len(y)
    what = "outer folds" if outer else "folds"
    if scheme == "time":
        if folds + 1 > n:
            raise SpecError(
                f"A time-series split into {folds} {what} needs at least {folds + 1} rows, "
                f"but there are {n} in {rows}; use fewer {what}.")
        return
    if scheme == "group":
        count = len(np.unique(groups)) if groups is not None else 0
        if count < folds:
            raise SpecError(
                f"A group k-fold into {folds} {what} needs at least {folds} groups, but the "
                f"group column has {count} in {rows}; use at most {max(count, 2)} {what} or "
                "choose a column with more groups.")
        return
    if scheme == "shuffle":
        share = validation["holdout"]
        validate = math.ceil(share * n)
        train = n - validate
        if train < 1:
            raise SpecError(
                f"A validation share of {share:g} leaves no training rows in {rows} "
                f"({n} rows); choose a smaller share.")
        if task == "classification":
            counts = _class_counts(y)
            if counts.min() < 2:
                raise SpecError(
                    f"The class '{counts.idxmin()}' has only 1 row in {rows}; a stratified "
                    "shuffle-split needs at least 2 of each class. Gather more rows of it "
                    "or use another scheme.")
            if min(validate, train) < len(counts):
                raise SpecError(
                    f"A validation share of {share:g} gives {validate} validation and "
                    f"{train} training rows, but each must hold all {len(counts)} classes; "
                    "choose a share closer to 0.5 or gather more rows.")
        return
    # kfold and repeated
    if folds > n:
        raise SpecError(
            f"{folds} {what} need at least {folds} rows, but there are {n} in {rows}; use "
            f"fewer {what}.")
    if task == "classification":
        counts = _class_counts(y)
        if counts.min() < folds:
            raise SpecError(
                f"The class '{counts.idxmin()}' has only {counts.min()} row(s) in {rows}, "
                f"fewer than the {folds} {what}; use at most {max(counts.min(), 2)} {what} "
                "or gather more rows of it.")


def _check_test(validation: dict[str, Any], task: str, fraction: float, y: np.ndarray,
                groups: np.ndarray | None) -> None:
    n = len(y)
    if validation["scheme"] == "group":
        count = len(np.unique(groups))
        if count < 2 or math.ceil(fraction * count) >= count:
            raise SpecError(
                f"A test set of {fraction:g} of the groups leaves no group for the search "
                f"(the group column has {count}); choose a smaller test set.")
        return
    test = math.ceil(fraction * n)
    if n - test < 1:
        raise SpecError(f"A test set of {fraction:g} of the {n} rows leaves no rows to "
                        "search on; choose a smaller test set.")
    if task == "classification" and validation["scheme"] != "time":
        counts = _class_counts(y)
        if counts.min() < 2:
            raise SpecError(
                f"The class '{counts.idxmin()}' has only 1 row, so the stratified test set "
                "cannot hold it out on both sides; gather more rows of it.")
        if min(test, n - test) < len(counts):
            raise SpecError(
                f"A test set of {fraction:g} of the {n} rows keeps {test} rows for the test "
                f"and {n - test} for the search, but each must hold all {len(counts)} "
                "classes; choose a share closer to 0.5 or gather more rows.")


def study_rows(spec: StudySpec, dataset: Any) -> StudyRows:
    """The study's rows and folds on its dataset."""
    return split_rows(spec, dataset.y(), groups_of(spec, dataset.frame))


def n_splits(spec: StudySpec) -> int:
    """How many splits each candidate is fitted on."""
    if spec.validation["scheme"] == "repeated":
        return spec.cv * spec.validation["repeats"]
    return spec.cv


def describe_validation(spec: Any) -> str:
    """'5-fold CV', '3 x 5-fold repeated CV', '5-fold group CV on 'site'', ...; ``spec`` is
    a StudySpec or anything with its validation fields (the window's study request)."""
    validation = spec.validation or {"scheme": "kfold"}
    scheme = validation["scheme"]
    if scheme == "kfold":
        text = f"{spec.cv}-fold CV"
    elif scheme == "repeated":
        text = f"{validation['repeats']} × {spec.cv}-fold repeated CV"
    elif scheme == "shuffle":
        text = (f"{spec.cv} shuffle-split{'s' if spec.cv != 1 else ''} "
                f"({100 * validation['holdout']:g} % validation)")
    elif scheme == "group":
        text = f"{spec.cv}-fold group CV on '{validation['group']}'"
    else:
        text = f"{spec.cv}-split time-series CV"
    if spec.test_size is not None:
        text += f", {100 * spec.test_size:g} % test set"
    if spec.outer is not None:
        text += f", outer fold {spec.outer}/{spec.nested}"
    elif spec.nested is not None:
        text += f", nested in {spec.nested} outer folds"
    return text


def describe_estimate(spec: Any, results: dict[str, Any] | None) -> str:
    """What a run measured beyond its trials, in words: 'nested CV estimate 0.950 (std
    0.0200 over 5 outer folds; ...)', 'test set accuracy 0.93 (trial 4, ...)'; '' for
    nothing. The std is the standard deviation of the outer folds' scores."""
    from .format import number
    from .score_words import metric_words, shown

    if not results:
        return ""
    if results.get("nested_mean") is not None:
        scored = sum(score is not None for score in results["nested_scores"])
        spread = (f"std {number(results['nested_std'])} over {scored} outer folds"
                  if scored > 1 and results.get("nested_std") is not None
                  else f"{scored} outer fold{'' if scored == 1 else 's'} scored, so no spread")
        return (f"nested CV estimate {shown(spec.scoring, results['nested_mean'])} "
                f"({spread}; the honest estimate of the tuned model)")
    where = (f"outer fold {spec.outer}/{spec.nested}" if spec.outer is not None
             else "test set")
    if results.get("test_score") is not None:
        return (f"{where} {metric_words(spec.scoring)} "
                f"{shown(spec.scoring, results['test_score'])} (trial {results['test_trial']}, "
                f"refit without its {results['test_rows']:,} rows, scored on them once)")
    if results.get("test_error"):
        return f"{where}: not scored ({results['test_error']})"
    return ""


__all__ = [
    "SCHEME_NAMES", "StudyRows", "describe_estimate", "describe_validation", "group_values",
    "groups_of",
    "make_splits", "make_splitter", "n_splits", "outer_splitter", "split_rows",
    "study_rows", "hold_out_split",
]
