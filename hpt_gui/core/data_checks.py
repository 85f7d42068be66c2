"""What one column alone says about the target, measured before tuning.

Two questions are answered here, cheaply and deterministically (no model is fitted, every
column is measured with array operations, so a table of 10,000 columns is checked in a
fraction of the time it takes to read it; a table of more than 20,000 rows is first
measured on a fixed sample of 20,000 of them, with looser thresholds, and only the columns
that pass are measured again on every row):

* **Probable leakage**: does the column alone predict the target almost perfectly? Then it
  was most likely computed from the target (a log of it, a band of it, a copy of it) and
  would make every score look near perfect while being unknown when predicting.
* **No signal**: does a column that numbers the rows tell anything about the target? A row
  number carries nothing (the rows of a new table are numbered afresh); a column that only
  happens to rise down a table sorted by it does.

The thresholds, in words a reader can check:

* A number column and a number target (regression): the column's rank correlation with the
  target (Spearman's, -1 to 1) is at least ``LEAK_RANK_CORRELATION`` = 0.99 in size: it
  rises (or falls) with the target almost exactly, as any monotone function of it does.
* A number column and a class target (classification): with the rows sorted by the column,
  the target changes class hardly more often than it must (once between each two classes).
  Each row out of place adds about two changes; the extra changes may cover at most
  1 - ``LEAK_SHARE`` = 1 % of the rows, and at most ``LEAK_BASELINE_SHARE`` = a tenth of
  the changes the same rows give in an order with no link to the target.
* A category column (either task): each row is predicted from the *other* rows with the
  same value (their most common class, or their mean), so a value seen once predicts
  nothing. Leakage when this gets at least ``LEAK_SHARE`` = 99 % of the rows right
  (classification; and makes at most a tenth of the mistakes of always guessing the most
  common class) or explains at least 99 % of the target's variance (regression).
* No signal (for columns that number the rows): the rank correlation with the target
  (regression), or the share of class changes saved against a random order
  (classification), is below three times its standard error under no link, or below
  ``NO_SIGNAL_FLOOR`` = 0.1, whichever is larger.

Not caught: a column that determines the target through a non-monotone formula of a number
(the target's square around its mean, say); a model fitted on it alone would be needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

LEAK_RANK_CORRELATION = 0.99
LEAK_SHARE = 0.99
LEAK_BASELINE_SHARE = 0.1
NO_SIGNAL_SIGMAS = 3.0
NO_SIGNAL_FLOOR = 0.1
MIN_ROWS_CHECKED = 10  # fewer rows with a value than this: nothing is judged
_FIRST_COLUMNS = 20  # duplicate rows are looked for in these first (see count_duplicates)
_CELLS_PER_CHUNK = 2_000_000  # numbers sorted at once (bounds the memory of wide tables)
# A table longer than this is first measured on this many of its rows, with thresholds
# loosened by _SAMPLE_SLACK; only the columns that pass are measured on every row.
_SAMPLE_ROWS = 20_000
_SAMPLE_SLACK = 3.0


@dataclass(frozen=True)
class Leak:
    """A column that alone predicts the target almost perfectly, and how it was seen.

    ``measure`` is "rank" (``value``: the rank correlation), "order" (``value``: the class
    changes along the sorted column, ``expected``: those of an order with no link to the
    target), "classes" (``value``: the share of rows whose class the column gives) or
    "means" (``value``: the share of the target's variance it explains); ``rows``: the
    rows where the column has a value.
    """

    column: str
    measure: str
    value: float
    rows: int = 0
    expected: float = 0.0

    def evidence(self, target: str) -> str:
        """How the column follows the target, in words with its numbers."""
        name = f"Column '{self.column}'"
        if self.measure == "rank":
            way = (f"rises and falls with the target '{target}'" if self.value > 0 else
                   f"falls as the target '{target}' rises, and rises as it falls,")
            return f"{name} {way} almost exactly (rank correlation {self.value:.2f})"
        if self.measure == "order":
            changes = int(self.value)
            times = "once" if changes == 1 else f"only {changes:,} times"
            return (f"{name} alone sorts the rows into the classes of the target '{target}' "
                    f"(sorted by it, the class changes {times} over {self.rows:,} rows; a "
                    f"column with no link to the target would give about "
                    f"{self.expected:,.0f} changes)")
        read = "each row read from the other rows with the same value"
        if self.measure == "classes":
            return (f"{name} alone gives the class of the target '{target}' for "
                    f"{self.value:.1%} of the {self.rows:,} rows ({read})")
        return (f"{name} alone explains {self.value:.1%} of the variation of the target "
                f"'{target}' ({read})")

    def set_aside_note(self, target: str, identifier: bool = False) -> str:
        """The note for a column set aside as probable leakage (``identifier``: a column
        that otherwise looks like a row number or id, in a table sorted by the target)."""
        if identifier:
            return (f"{self.evidence(target)}: it numbers rows that are sorted by the "
                    "target, so it gives the target away and was set aside as probable "
                    "leakage. Keep it only if the order of the rows means something you will "
                    "know when you predict.")
        return (f"{self.evidence(target)}: it is probably computed from the target, so it "
                "was set aside as probable leakage. If its values will be known when you "
                "predict, keep it.")

    def kept_note(self, target: str) -> str:
        """The note for such a column the user chose to keep."""
        return (f"{self.evidence(target)}, and it was kept as you chose: the scores will "
                "look near perfect, which is only real if its values are known when you "
                "predict.")


def target_codes(y: pd.Series | np.ndarray, task: str) -> np.ndarray:
    """The target as floats (regression) or class codes 0..k-1 (classification)."""
    if task == "regression":
        return np.asarray(y, dtype=float)
    return pd.factorize(np.asarray(y))[0]


def find_leaks(
    frame: pd.DataFrame, y: np.ndarray, task: str, numeric: list[str], categorical: list[str]
) -> dict[str, Leak]:
    """The columns among ``numeric`` and ``categorical`` that alone predict ``y`` (see the
    module's thresholds); ``y`` from :func:`target_codes`, one value per row of ``frame``."""
    found: dict[str, Leak] = {}
    measure = _rank_leaks if task == "regression" else _order_leaks
    sample = _row_sample(len(frame))
    step = _chunk(len(frame))
    for start in range(0, len(numeric), step):
        names = numeric[start:start + step]
        values = frame[names].to_numpy(dtype=float)
        if sample is not None:  # measured on all rows only when leaky on a sample of them
            suspects = measure(names, values[sample], y[sample], slack=_SAMPLE_SLACK)
            kept = [position for position, name in enumerate(names) if name in suspects]
            names, values = [names[position] for position in kept], values[:, kept]
        if names:
            found.update(measure(names, values, y))
    for name in categorical:
        leak = _category_leak(name, frame[name], y, task)
        if leak is not None:
            found[name] = leak
    return found


def carries_signal(values: pd.Series, y: np.ndarray, task: str) -> tuple[bool, float]:
    """Whether a number column tells anything about ``y`` beyond chance, and how much
    (the rank correlation for regression, the share of class changes saved for
    classification); see the module's no-signal rule."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    present = ~np.isnan(numbers)
    n = int(present.sum())
    if n < MIN_ROWS_CHECKED:
        return False, 0.0
    x, target = numbers[present], y[present]
    if task == "regression":
        strength = _spearman(x, target)
        noise = 1 / math.sqrt(n - 1)
        return abs(strength) >= max(NO_SIGNAL_SIGMAS * noise, NO_SIGNAL_FLOOR), strength
    order = np.argsort(x, kind="stable")
    changes = int(np.count_nonzero(np.diff(target[order])))
    shares = np.bincount(target) / n
    unlinked = 1 - float(np.sum(shares**2))
    if unlinked <= 0:
        return False, 0.0
    expected = (n - 1) * unlinked
    saved = 1 - changes / expected
    noise = math.sqrt((1 - unlinked) / expected)
    return saved >= max(NO_SIGNAL_SIGMAS * noise, NO_SIGNAL_FLOOR), saved


def count_duplicates(frame: pd.DataFrame, columns: list[str]) -> int:
    """Rows that repeat an earlier row in every one of ``columns`` (missing equals missing).

    Rows can only repeat in all the columns if they repeat in the first few, so a wide
    table is first compared on those, and the rest only for the rows that repeat there.
    """
    if not columns or len(frame) < 2:
        return 0
    first = columns[:_FIRST_COLUMNS]
    suspects = pd.DataFrame(_row_keys(frame, first))
    if len(columns) <= _FIRST_COLUMNS:
        return int(suspects.duplicated().sum())
    repeated = suspects.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return 0
    return int(pd.DataFrame(_row_keys(frame.loc[repeated], columns)).duplicated().sum())


def _row_keys(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One row of comparable numbers per row: its cells in ``columns`` (numbers as floats,
    anything else by its code). Compared column by column (hashing), not as whole-row
    bytes sorted at once, which held the interpreter a second on a million rows."""
    part = frame[columns]
    numbers = [name for name, kind in zip(columns, part.dtypes, strict=True)
               if getattr(kind, "kind", "O") in "iufb"]
    numbered = set(numbers)
    blocks = [part[numbers].to_numpy(dtype=float) + 0.0] if numbers else []  # -0.0 is 0.0
    blocks += [pd.factorize(part[name])[0].astype(float)[:, None]
               for name in columns if name not in numbered]
    rows = np.ascontiguousarray(np.hstack(blocks))
    rows[np.isnan(rows)] = np.nan  # one kind of missing
    return rows


# --------------------------------------------------------------------------- numbers


def _chunk(n_rows: int) -> int:
    return max(1, _CELLS_PER_CHUNK // max(n_rows, 1))


def _row_sample(n_rows: int) -> np.ndarray | None:
    """A fixed sample of a long table's rows (None for a table short enough to sort whole)."""
    if n_rows <= _SAMPLE_ROWS:
        return None
    return np.sort(np.random.default_rng(0).choice(n_rows, _SAMPLE_ROWS, replace=False))


def _rank_leaks(names: list[str], values: np.ndarray, y: np.ndarray,
                slack: float = 1.0) -> dict[str, Leak]:
    """Rank correlation of each column with ``y``, on the rows where the column has a value
    (``slack`` > 1 loosens the threshold: a first look at a sample of the rows).

    Vectorized: the columns' ranks against the target's ranks over all rows. For a column
    with missing values that is close to, not exactly, Spearman's coefficient, so those
    near the threshold are measured again exactly.
    """
    ranks = pd.DataFrame(values).rank(method="average").to_numpy(dtype=float)
    ry = pd.Series(y).rank(method="average").to_numpy(dtype=float)
    present = ~np.isnan(ranks)
    rx = np.where(present, ranks, 0.0)
    weights = present.astype(float)
    n = weights.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        sx, sy = rx.sum(axis=0), ry @ weights
        cov = ry @ rx - sx * sy / n
        var_x = (rx**2).sum(axis=0) - sx**2 / n
        var_y = (ry**2) @ weights - sy**2 / n
        rho = np.where((var_x > 0) & (var_y > 0), cov / np.sqrt(var_x * var_y), 0.0)
    found = {}
    gappy = ~present.all(axis=0)
    for position in np.flatnonzero((np.abs(rho) >= LEAK_RANK_CORRELATION - 0.05)
                                   & (n >= MIN_ROWS_CHECKED)):
        name = names[position]
        strength = float(rho[position])
        if gappy[position]:
            keep = present[:, position]
            strength = _spearman(values[keep, position], y[keep])
        if abs(strength) >= 1 - slack * (1 - LEAK_RANK_CORRELATION):
            found[name] = Leak(name, "rank", strength, rows=int(n[position]))
    return found


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx = pd.Series(x).rank(method="average").to_numpy()
    ry = pd.Series(y).rank(method="average").to_numpy()
    if np.ptp(rx) == 0 or np.ptp(ry) == 0:
        return 0.0
    return float(np.corrcoef(rx, ry)[0, 1])


def _order_leaks(names: list[str], numbers: np.ndarray, codes: np.ndarray,
                 slack: float = 1.0) -> dict[str, Leak]:
    """Class changes along each sorted column against the fewest possible and against an
    order with no link to the target (ties keep the file's order, so a tie of mixed
    classes counts its changes as they come); ``slack`` > 1 loosens the thresholds."""
    present = ~np.isnan(numbers)
    n = present.sum(axis=0)
    order = np.argsort(numbers, axis=0, kind="stable")  # missing values sort last
    sorted_codes = codes[order]
    steps = np.arange(len(numbers) - 1)[:, None] < (n - 1)[None, :]
    changes = ((sorted_codes[1:] != sorted_codes[:-1]) & steps).sum(axis=0)
    one_hot = np.eye(int(codes.max()) + 1)[codes]
    per_class = present.T.astype(float) @ one_hot  # columns x classes: rows with a value
    classes = (per_class > 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        unlinked = 1 - ((per_class / n[:, None]) ** 2).sum(axis=1)
    expected = (n - 1) * unlinked
    extra = changes - (classes - 1)
    leaky = ((n >= MIN_ROWS_CHECKED) & (classes >= 2)
             & (extra <= slack * 2 * (1 - LEAK_SHARE) * n)
             & (extra <= slack * LEAK_BASELINE_SHARE * expected))
    return {names[p]: Leak(names[p], "order", float(changes[p]), rows=int(n[p]),
                           expected=float(expected[p]))
            for p in np.flatnonzero(leaky)}


# --------------------------------------------------------------------------- categories


def _category_leak(name: str, values: pd.Series, y: np.ndarray, task: str) -> Leak | None:
    """Each row read from the other rows with the same value (leave one out)."""
    codes, _ = pd.factorize(values)
    present = codes >= 0
    n = int(present.sum())
    if n < MIN_ROWS_CHECKED:
        return None
    groups, target = codes[present], y[present]
    sizes = np.bincount(groups)[groups]
    if task == "regression":
        sums = np.bincount(groups, weights=target)[groups]
        overall = (target.sum() - target) / (n - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            guess = np.where(sizes > 1, (sums - target) / (sizes - 1), overall)
        total = float(np.sum((target - target.mean()) ** 2))
        if total == 0:
            return None
        explained = 1 - float(np.sum((target - guess) ** 2)) / total
        return Leak(name, "means", explained, rows=n) if explained >= LEAK_SHARE else None
    n_classes = int(target.max()) + 1
    table = np.bincount(groups * n_classes + target,
                        minlength=(int(groups.max()) + 1) * n_classes
                        ).reshape(-1, n_classes)
    rows = table[groups].astype(float)
    own = rows[np.arange(n), target] - 1
    rows[np.arange(n), target] = -1
    counts = np.bincount(target, minlength=n_classes)
    common = int(np.argmax(counts))
    right = np.where(sizes > 1, own > rows.max(axis=1), target == common)
    wrong = n - int(right.sum())
    baseline = n - int(counts[common])
    if wrong <= (1 - LEAK_SHARE) * n and wrong <= LEAK_BASELINE_SHARE * baseline:
        return Leak(name, "classes", 1 - wrong / n, rows=n)
    return None
