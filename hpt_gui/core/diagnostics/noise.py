"""How much a mean validation score would move by chance: the study's noise.

Every verdict, the one-standard-error choice and the comparison of studies ask the same
question: is a difference between two mean scores larger than the wobble of a mean over
these folds? The wobble is one **standard error of the mean over folds**:

- plain k-fold (and group k-fold, time-series split): the folds' sample standard
  deviation / sqrt(J), with J the number of folds;
- repeated k-fold and shuffle-split, whose training sets overlap far more (a row is
  trained on in most splits of every repeat): the same deviation times
  sqrt(1/J + n_test/n_train), Nadeau and Bengio's (2003) correction, since the J splits
  are not J independent looks at the data. Treating 3 x 5 repeated folds as 15
  independent ones would shrink the standard error by about half and call noise a lead.

``n_test / n_train`` comes from the validation scheme alone (``validation_to_training``),
so no data needs loading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# Schemes whose splits overlap beyond what a single k-fold does.
OVERLAPPING_SCHEMES = ("repeated", "shuffle")


def validation_to_training(spec: Any) -> float:
    """The share n_test / n_train of one fold, from the validation scheme alone (no data
    is loaded), as the corrected t-test needs it:

    - k-fold, repeated k-fold and group k-fold with k folds: each fold validates on 1/k of
      the rows and trains on the other (k-1)/k, so 1 / (k - 1);
    - shuffle-split with validation share h: h / (1 - h);
    - time-series split into k folds (scikit-learn's TimeSeriesSplit on n rows: fold i
      trains on about i·n/(k+1) rows and validates on the next n/(k+1)): the mean over
      folds of 1/i, i.e. H_k / k with H_k = 1 + 1/2 + ... + 1/k.

    Group folds are only about 1/k of the rows (groups differ in size); the held-out test
    set and nested CV's outer fold shrink the rows but not this share.
    """
    validation = spec.validation or {"scheme": "kfold"}
    scheme, k = validation["scheme"], spec.cv
    if scheme == "shuffle":
        holdout = float(validation["holdout"])
        return holdout / (1 - holdout)
    if scheme == "time":
        return sum(1 / i for i in range(1, k + 1)) / k
    return 1 / (k - 1)


@dataclass(frozen=True)
class Noise:
    """The standard error of a mean over a study's folds.

    ``overlap`` is n_test / n_train where the splits' training sets overlap beyond a
    single k-fold (repeated k-fold, shuffle-split), else None (the plain standard error).
    """

    folds: int
    overlap: float | None = None

    @property
    def corrected(self) -> bool:
        return self.overlap is not None

    def standard_error(self, population_std: float, folds: int | None = None) -> float:
        """From GridSearchCV's ``std_test_score`` (the population deviation over ``folds``
        splits, default the study's): NaN when fewer than 2 folds or no deviation."""
        j = self.folds if folds is None else folds
        if j < 2 or population_std is None or not math.isfinite(population_std):
            return math.nan
        sample_std = population_std * math.sqrt(j / (j - 1))
        if self.overlap is None:
            return sample_std / math.sqrt(j)
        return sample_std * math.sqrt(1 / j + self.overlap)

    def words(self) -> str:
        """What the standard error is, for a sentence: 'standard error over 5 folds'."""
        if self.overlap is None:
            return f"standard error over {self.folds} folds"
        return (f"standard error over {self.folds} splits, corrected for their overlapping "
                "training sets")


def noise_for(spec: Any) -> Noise:
    """The noise of a study's mean scores, from its validation scheme."""
    from ..validation import n_splits

    scheme = (spec.validation or {"scheme": "kfold"})["scheme"]
    overlap = validation_to_training(spec) if scheme in OVERLAPPING_SCHEMES else None
    return Noise(n_splits(spec), overlap)


__all__ = ["Noise", "OVERLAPPING_SCHEMES", "noise_for", "validation_to_training"]
