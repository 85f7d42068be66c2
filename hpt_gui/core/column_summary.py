"""A first look at each column, in the words and numbers a new analyst expects.

The data step shows, for every column, a plain type ("whole number", "category", never
``int64``), its share of missing values as a percent, and the counts behind a small
histogram or bar chart; for a class target, the class balance and, when it is uneven, a
sentence saying what the app does about it. Everything here is plain pandas and NumPy so
the window only draws.

Cheap on big tables: missing shares and the class balance count every row (one pass
each); the pictures of a table longer than ``SAMPLE_ROWS`` are drawn from a fixed random
sample of that many rows, which keeps their shape (measured: 1,000,000 rows x 12 columns
summarised in well under a second).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

SAMPLE_ROWS = 100_000
HISTOGRAM_BINS = 16
TOP_CATEGORIES = 8  # bars of a category column; the rest are counted together as "other"
TOP_CLASSES = 12  # classes listed one by one in the class balance; the rest as "other"
# Few distinct whole numbers (a count of rooms, a rating) are drawn as one bar per value.
FEW_VALUES = 12
# A text column is a category when it repeats its values: at most this many different
# ones, or at most this share of its rows.
CATEGORY_MAX_VALUES = 50
CATEGORY_MAX_SHARE = 0.5
# The class balance is uneven when the smallest class has fewer rows than this share of
# the largest, or than this share of all rows (and than half an equal share, so ten equal
# classes of 10 % each are not called uneven).
IMBALANCE_OF_LARGEST = 0.2
IMBALANCE_OF_ROWS = 0.1

_YES_NO_WORDS = frozenset({"yes", "no", "true", "false", "y", "n", "t", "f"})
PLAIN_TYPES = ("number", "whole number", "category", "text", "date", "yes/no")


@dataclass(frozen=True)
class Distribution:
    """What a column's small picture shows.

    ``kind`` "histogram": ``counts[i]`` values fall in [``edges[i]``, ``edges[i + 1]``)
    (the last bin includes its right edge). ``kind`` "bars": ``counts[i]`` rows hold
    ``labels[i]``, most common first; ``other`` rows hold a value not listed. ``sampled``
    is the number of rows the picture was drawn from when it is a sample, else None.
    """

    kind: str
    counts: tuple[int, ...]
    edges: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    other: int = 0
    sampled: int | None = None


@dataclass(frozen=True)
class ColumnSummary:
    """One column at a glance: its plain type, missing share and distribution."""

    name: str
    plain_type: str
    n_missing: int
    missing_share: float
    distribution: Distribution


@dataclass(frozen=True)
class ClassBalance:
    """How the rows split over the target's classes, most common first."""

    labels: tuple[str, ...]
    counts: tuple[int, ...]
    other: int  # rows in the classes not listed (beyond TOP_CLASSES)
    n_classes: int
    n_rows: int
    imbalanced: bool
    sentence: str

    @property
    def shares(self) -> tuple[float, ...]:
        """Each listed class's share of the rows (0 to 1)."""
        return tuple(count / self.n_rows if self.n_rows else 0.0 for count in self.counts)


# --------------------------------------------------------------------------- words


def percent_text(share: float) -> str:
    """A share (0 to 1) as the percent people read: '18 %', '0 %', '< 1 %', '> 99 %'."""
    if share <= 0:
        return "0 %"
    if share >= 1:
        return "100 %"
    if share < 0.005:
        return "< 1 %"
    if share > 0.995:
        return "> 99 %"
    return f"{round(100 * share)} %"


def plain_type(series: pd.Series) -> str:
    """What the values are, in plain words: one of ``PLAIN_TYPES``.

    Two values that read as yes/no (True/False, 'yes'/'no', 0/1) are "yes/no"; numbers
    without a fraction are "whole number"; text that repeats a few values is "category",
    text with mostly different values is "text".
    """
    present = series.dropna()
    if ptypes.is_bool_dtype(series.dtype) or _is_yes_no(present):
        return "yes/no"
    if ptypes.is_datetime64_any_dtype(series.dtype):
        return "date"
    if ptypes.is_numeric_dtype(series.dtype):
        values = present.to_numpy(dtype=float)
        whole = values.size > 0 and bool(np.all(values == np.round(values)))
        return "whole number" if whole else "number"
    if _looks_like_dates(present):
        return "date"
    n_unique = present.nunique()
    if n_unique <= CATEGORY_MAX_VALUES or n_unique <= CATEGORY_MAX_SHARE * len(present):
        return "category"
    return "text"


def _is_yes_no(present: pd.Series) -> bool:
    values = present.unique()
    if len(values) != 2:
        return False
    if ptypes.is_numeric_dtype(present.dtype):
        return set(values.tolist()) == {0, 1}
    if all(isinstance(value, bool | np.bool_) for value in values):
        return True
    return {str(value).strip().lower() for value in values} <= _YES_NO_WORDS


def _looks_like_dates(present: pd.Series) -> bool:
    sample = present.astype(str).head(200)
    if sample.empty or sample.str.fullmatch(r"[-+]?\d+([.,]\d+)?").all():
        return False  # plain numbers are not dates
    if not sample.str.contains(r"\d", regex=True).all():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return bool(parsed.notna().all())


# --------------------------------------------------------------------------- columns


def summarize_columns(frame: pd.DataFrame, seed: int = 0,
                      columns: Iterable[str] | None = None) -> list[ColumnSummary]:
    """One summary per column, in file order (pictures from a sample of a long table);
    only those named in ``columns`` when given (each is the same as in a whole summary:
    the sample depends on the number of rows only)."""
    wanted = None if columns is None else {str(name) for name in columns}
    sample = frame
    sampled = None
    if len(frame) > SAMPLE_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(len(frame), SAMPLE_ROWS,
                                                          replace=False))
        sample = frame.iloc[rows]
        sampled = SAMPLE_ROWS
    summaries = []
    for position, name in enumerate(frame.columns):
        if wanted is not None and str(name) not in wanted:
            continue
        column = sample.iloc[:, position]
        kind = plain_type(column)
        n_missing = int(frame.iloc[:, position].isna().sum())
        summaries.append(ColumnSummary(
            name=str(name),
            plain_type=kind,
            n_missing=n_missing,
            missing_share=n_missing / len(frame) if len(frame) else 0.0,
            distribution=distribution(column, kind, sampled=sampled),
        ))
    return summaries


def distribution(series: pd.Series, kind: str | None = None,
                 sampled: int | None = None) -> Distribution:
    """The counts behind a column's small picture: a histogram of numbers and dates, one
    bar per value for few whole numbers, the most common values of anything else."""
    kind = kind or plain_type(series)
    present = series.dropna()
    if kind in ("number", "whole number", "date") and len(present):
        values = _date_numbers(present) if kind == "date" else present.to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        few = kind == "whole number" and len(np.unique(values)) <= FEW_VALUES
        if len(values) and not few:
            counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
            return Distribution("histogram", tuple(int(c) for c in counts),
                                edges=tuple(float(e) for e in edges), sampled=sampled)
    counts = present.value_counts(sort=False)
    if kind == "whole number":  # few values: in their order, not by count
        counts = counts.sort_index()
    else:
        counts = counts.sort_values(ascending=False, kind="stable")
    shown = counts.iloc[:TOP_CATEGORIES]
    return Distribution(
        "bars",
        tuple(int(c) for c in shown),
        labels=tuple(_label(value) for value in shown.index),
        other=int(counts.iloc[TOP_CATEGORIES:].sum()),
        sampled=sampled,
    )


def _date_numbers(present: pd.Series) -> np.ndarray:
    """Dates (stored as dates or as text) as nanoseconds, for a histogram."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dates = pd.to_datetime(present, errors="coerce", format="mixed")
    return dates.dropna().astype("int64").to_numpy(dtype=float)


def _label(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- the target


def class_balance(values: pd.Series, target: str = "the target") -> ClassBalance:
    """How many rows each class of a class target has, and a sentence when it is uneven."""
    counts = values.value_counts(dropna=True)  # counted first: labelling 1M rows is slow
    counts = counts.groupby(counts.index.map(_label), sort=False).sum()
    counts = counts.sort_values(ascending=False, kind="stable")
    n_rows = int(counts.sum())
    shown = counts.iloc[:TOP_CLASSES]
    imbalanced, sentence = _imbalance(counts, n_rows, target)
    return ClassBalance(
        labels=tuple(str(label) for label in shown.index),
        counts=tuple(int(count) for count in shown),
        other=int(counts.iloc[TOP_CLASSES:].sum()),
        n_classes=len(counts),
        n_rows=n_rows,
        imbalanced=imbalanced,
        sentence=sentence,
    )


def _imbalance(counts: pd.Series, n_rows: int, target: str) -> tuple[bool, str]:
    if len(counts) < 2 or n_rows == 0:
        return False, ""
    largest, smallest = int(counts.iloc[0]), int(counts.iloc[-1])
    big, small = counts.index[0], counts.index[-1]
    # Many equal classes each hold under 10 % of the rows; that is rare only below half an
    # equal share.
    rare = smallest < IMBALANCE_OF_ROWS * n_rows and smallest < n_rows / len(counts) / 2
    uneven = smallest < IMBALANCE_OF_LARGEST * largest or rare
    if not uneven:
        return False, (f"The classes of '{target}' are balanced enough: the smallest, "
                       f"'{small}', has {percent_text(smallest / n_rows)} of the rows.")
    return True, (
        f"The classes of '{target}' are imbalanced: the smallest, '{small}', has "
        f"{_rows(smallest)} ({percent_text(smallest / n_rows)}), the largest, '{big}', "
        f"{_rows(largest)} ({percent_text(largest / n_rows)}). "
        "The folds are stratified (unless you choose a time-series split), so each keeps "
        f"every class's share. Always predicting '{big}' would already be "
        f"{percent_text(largest / n_rows)} accurate, so choose balanced accuracy or "
        "F1 (macro average) as the metric in the Search step."
    )


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def number_target_sentence(values: pd.Series, target: str = "the target") -> str:
    """A number target in one sentence: its range and its middle (the median)."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty:
        return ""
    low, middle, high = numbers.min(), numbers.median(), numbers.max()
    return (f"'{target}' runs from {low:.3g} to {high:.3g}; half the rows are below "
            f"{middle:.3g}.")
