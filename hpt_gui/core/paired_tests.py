"""Two models scored on the same cross-validation folds: how far apart are they, and how sure?

Both tests read the per-fold differences ``d = a - b`` of two models' scores on the J folds
they share, and both widen the plain paired t-test the same way: the folds' training sets
overlap, so their scores are not J independent looks at the data. Nadeau and Bengio (2003,
"Inference for the generalization error", *Machine Learning* 52) replace the variance of
the mean, var(d) / J, by

    (1/J + n_test/n_train) * var(d)          (var: the sample variance, ddof = 1)

with ``n_test/n_train`` the share of one fold's validation rows to its training rows
(``diagnostics.noise.validation_to_training``). In the terms of Benavoli et al. this is
``rho / (1 - rho)`` with ``rho = n_test / (n_test + n_train)``, the correlation between two
folds' differences, the validation share.

- ``corrected_ttest``: the corrected resampled t-test, t = mean(d) / scale on J - 1
  degrees of freedom, with its two-sided p.
- ``correlated_bayesian_ttest``: the correlated Bayesian t-test of Benavoli, Corani, Demšar
  and Zaffalon (2017, "Time for a change: a tutorial for comparing multiple classifiers
  through Bayesian analysis", *JMLR* 18(77)). Under its flat prior, the mean difference
  has a Student t posterior on J - 1 degrees of freedom, located at mean(d) with the
  corrected scale above. With a region of practical equivalence (ROPE) of width ``rope``
  it gives three probabilities: that ``a`` is better by more than ``rope``, that the two
  are within ±``rope`` (practically equivalent), that ``b`` is better by more than
  ``rope``. It is the test of the ``baycomp`` package (``CorrelatedTTest``, where
  ``runs`` repeats of k-fold give n_test/n_train = 1/(k - 1)); the test suite checks the
  two agree. The same posterior gives the 95 % interval of the mean difference (which is
  Nadeau and Bengio's confidence interval).

Zero variance (every fold differs by the same amount, e.g. two models that predict
alike): the t distribution collapses onto the mean difference, so each probability is 0
or 1 (the mean exactly on the ROPE's edge counts as equivalent, as in baycomp) and the
interval is that one number. With ``rope == 0`` and every difference 0 we call the two
equivalent (probability 1), where baycomp, which has no equivalence then, splits 0.5 and
0.5.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .format import difference
from .jsonable import Json, jsonable

LEVEL = 0.95  # the interval of the mean difference


def paired_differences(a: Sequence[float | None], b: Sequence[float | None]) -> np.ndarray:
    """``a - b`` fold by fold, over the folds both scored (the rounding noise of equal
    scores read as 0)."""
    x = np.array([math.nan if v is None else v for v in a], dtype=float)
    y = np.array([math.nan if v is None else v for v in b], dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"paired scores need the same length, not {len(x)} and {len(y)}")
    keep = np.isfinite(x) & np.isfinite(y)
    return np.array([difference(p, q) for p, q in zip(x[keep], y[keep], strict=True)],
                    dtype=float)


def _constant(d: np.ndarray) -> bool:
    """Every fold differs by the same amount: no variance to weigh the mean against."""
    return float(np.ptp(d)) <= 1e-12 * max(1.0, abs(float(d.mean())))


def corrected_scale(d: np.ndarray, test_to_train: float) -> float:
    """The corrected standard error of mean(d): sqrt((1/J + n_test/n_train) * var(d))."""
    return math.sqrt((1 / len(d) + test_to_train) * float(d.var(ddof=1)))


@dataclass(frozen=True)
class TTest:
    """The corrected resampled paired t-test of ``a`` against ``b`` on their shared folds
    (``mean_difference`` = mean of a - b; ``wins``: folds where a scored higher)."""

    pairs: int
    test_to_train: float
    mean_difference: float | None
    wins: int
    losses: int
    ties: int
    t: float | None = None
    p: float | None = None
    df: int | None = None
    constant: bool = False  # every fold differs by the same amount (no variance)
    reason: str = ""  # why there is no test; empty when there is one

    @property
    def tested(self) -> bool:
        return self.p is not None

    def to_json(self) -> dict[str, Json]:
        return {key: jsonable(value) for key, value in (
            ("pairs", self.pairs), ("test_to_train", self.test_to_train),
            ("mean_difference", self.mean_difference), ("wins", self.wins),
            ("losses", self.losses), ("ties", self.ties), ("t", self.t), ("p", self.p),
            ("df", self.df), ("constant", self.constant), ("reason", self.reason or None))}


def corrected_ttest(a: Sequence[float | None], b: Sequence[float | None],
                    test_to_train: float) -> TTest:
    """Nadeau and Bengio's corrected resampled t-test of paired fold scores ``a`` and
    ``b`` (pairs where either is missing are dropped).

    Without variance the t statistic is undefined: a mean difference of 0 then gives
    p = 1 (the same score on every fold), any other p = 0 (the same lead on every fold).
    """
    d = paired_differences(a, b)
    pairs = len(d)
    wins, losses = int((d > 0).sum()), int((d < 0).sum())
    base = dict(pairs=pairs, test_to_train=float(test_to_train), wins=wins, losses=losses,
                ties=pairs - wins - losses)
    if pairs < 2:
        return TTest(mean_difference=float(d.mean()) if pairs else None, **base,
                     reason=f"{'Only 1 fold is' if pairs else 'No fold is'} scored by both, "
                     "too few for a test (it needs 2).")
    mean = float(d.mean())
    if _constant(d):
        if mean == 0:
            return TTest(mean_difference=0.0, t=0.0, p=1.0, df=pairs - 1, **base)
        return TTest(mean_difference=mean, t=math.copysign(math.inf, mean), p=0.0,
                     df=pairs - 1, constant=True, **base)
    from scipy import stats

    t = mean / corrected_scale(d, test_to_train)
    p = float(2 * stats.t.sf(abs(t), pairs - 1))
    return TTest(mean_difference=mean, t=t, p=p, df=pairs - 1, **base)


@dataclass(frozen=True)
class BayesianTTest:
    """The correlated Bayesian t-test of ``a`` against ``b``: the posterior of their mean
    difference (Student t: ``df``, location ``mean_difference``, ``scale``) and what it
    says with a region of practical equivalence ±``rope``."""

    pairs: int
    test_to_train: float  # n_test / n_train; the correlation is its share, see rho
    rope: float
    mean_difference: float
    scale: float  # 0: no variance, the posterior is the mean difference itself
    df: int
    probability_a_better: float  # a - b > rope
    probability_equivalent: float  # |a - b| <= rope
    probability_b_better: float  # a - b < -rope
    interval: tuple[float, float]  # LEVEL interval of the mean difference

    @property
    def rho(self) -> float:
        """The correlation of two folds' differences: the validation share."""
        return self.test_to_train / (1 + self.test_to_train)

    @property
    def constant(self) -> bool:
        return self.scale == 0

    def to_json(self) -> dict[str, Json]:
        return {key: jsonable(value) for key, value in (
            ("pairs", self.pairs), ("rho", self.rho), ("rope", self.rope),
            ("mean_difference", self.mean_difference), ("scale", self.scale),
            ("df", self.df), ("interval", list(self.interval)),
            ("probability_a_better", self.probability_a_better),
            ("probability_equivalent", self.probability_equivalent),
            ("probability_b_better", self.probability_b_better))}


def correlated_bayesian_ttest(a: Sequence[float | None], b: Sequence[float | None],
                              test_to_train: float, rope: float) -> BayesianTTest:
    """Benavoli et al.'s correlated Bayesian t-test of paired fold scores ``a`` and ``b``
    (pairs where either is missing are dropped; at least 2 must remain)."""
    if not (math.isfinite(rope) and rope >= 0):
        raise ValueError(f"the equivalence width must be a number of at least 0, not {rope}")
    d = paired_differences(a, b)
    pairs = len(d)
    if pairs < 2:
        raise ValueError(f"the test needs 2 or more folds scored by both, not {pairs}")
    mean, df = float(d.mean()), pairs - 1
    if _constant(d):
        better, worse = float(mean > rope), float(mean < -rope)
        return BayesianTTest(pairs, float(test_to_train), float(rope), mean, 0.0, df,
                             better, 1.0 - better - worse, worse, (mean, mean))
    from scipy import stats

    scale = corrected_scale(d, test_to_train)
    posterior = stats.t(df, loc=mean, scale=scale)
    a_better = float(posterior.sf(rope))
    b_better = float(posterior.cdf(-rope))
    equivalent = max(0.0, float(posterior.cdf(rope) - posterior.cdf(-rope)))
    half = float(stats.t.ppf(0.5 + LEVEL / 2, df)) * scale
    return BayesianTTest(pairs, float(test_to_train), float(rope), mean, scale, df,
                         a_better, equivalent, b_better, (mean - half, mean + half))


__all__ = ["BayesianTTest", "LEVEL", "TTest", "correlated_bayesian_ttest",
           "corrected_scale", "corrected_ttest", "paired_differences"]
