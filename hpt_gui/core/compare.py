"""Studies side by side: which model is best, and is its lead real?

Each study is summed up by its best trial (mean and fold scores), its one-standard-error
choice, its fit times and its verdict. Every study is then set against the overall best
(the highest best mean among the studies scored by the same metric) with the corrected
resampled paired t-test of Nadeau and Bengio (2003, "Inference for the generalization
error", *Machine Learning* 52): on folds that two studies share, the per-fold
differences ``d`` of their best trials give

    t = mean(d) / sqrt((1/J + n_test/n_train) * var(d)),   df = J - 1,

where ``J`` is the number of paired folds and ``var`` the sample variance. The
``n_test/n_train`` term widens the plain paired t-test, which is far too eager on
cross-validation folds: their training sets overlap, so the fold scores are not
independent. The test is two-sided, at ``ALPHA``.

Folds pair only when both studies cut the same rows into the same folds: the settings
that decide the splits (``SPLIT_SETTINGS``) must agree; otherwise the studies are
compared on their means only, and a sentence says why there is no test.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .diagnostics.choice import Choice, choose
from .diagnostics.frame import TrialFrame
from .diagnostics.noise import noise_for, validation_to_training
from .diagnostics.verdict import metric_words, shown
from .format import count, difference
from .jsonable import Json, jsonable
from .spec import StudySpec
from .store import TrialRecord, TrialState
from .validation import n_splits

ALPHA = 0.05  # a difference with p below this is called significant

# The spec fields that decide which rows land in which fold, with how a sentence names
# them. The seed is left out for the time-series split, which never shuffles; the group
# column is part of ``validation`` (it is the column the group scheme splits on).
SPLIT_SETTINGS = {
    "data": "the data file's contents", "target": "the target column", "task": "the task",
    "validation": "the validation scheme", "cv": "the number of folds", "seed": "the seed",
    "test_size": "the held-out test set", "nested": "the nested cross-validation",
    "outer": "the outer fold",
}


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


def corrected_ttest(a: Sequence[float], b: Sequence[float], test_to_train: float) -> TTest:
    """Nadeau and Bengio's corrected resampled t-test of paired fold scores ``a`` and
    ``b`` (pairs where either is missing are dropped).

    Without variance the t statistic is undefined: a mean difference of 0 then gives
    p = 1 (the same score on every fold), any other p = 0 (the same lead on every fold).
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"paired scores need the same length, not {len(x)} and {len(y)}")
    keep = np.isfinite(x) & np.isfinite(y)
    d = np.array([difference(p, q) for p, q in zip(x[keep], y[keep], strict=True)])
    pairs = len(d)
    wins, losses = int((d > 0).sum()), int((d < 0).sum())
    base = dict(pairs=pairs, test_to_train=float(test_to_train), wins=wins, losses=losses,
                ties=pairs - wins - losses)
    if pairs < 2:
        return TTest(mean_difference=float(d.mean()) if pairs else None, **base,
                     reason=f"{'Only 1 fold is' if pairs else 'No fold is'} scored by both, "
                     "too few for a test (it needs 2).")
    mean = float(d.mean())
    if float(np.ptp(d)) <= 1e-12 * max(1.0, abs(mean)):
        if mean == 0:
            return TTest(mean_difference=0.0, t=0.0, p=1.0, df=pairs - 1, **base)
        return TTest(mean_difference=mean, t=math.copysign(math.inf, mean), p=0.0,
                     df=pairs - 1, constant=True, **base)
    from scipy import stats

    variance = float(d.var(ddof=1))
    t = mean / math.sqrt((1 / pairs + test_to_train) * variance)
    p = float(2 * stats.t.sf(abs(t), pairs - 1))
    return TTest(mean_difference=mean, t=t, p=p, df=pairs - 1, **base)


def split_key(spec: StudySpec) -> dict[str, Any]:
    """The settings that decide the study's folds (see ``SPLIT_SETTINGS``)."""
    key = {"data": spec.data_fingerprint or spec.data, "target": spec.target,
           "task": spec.task, "validation": spec.validation, "cv": spec.cv,
           "seed": spec.seed, "test_size": spec.test_size, "nested": spec.nested,
           "outer": spec.outer}
    if (spec.validation or {}).get("scheme") == "time":
        key["seed"] = None  # nothing is shuffled: the seed changes no fold
    return key


def split_differences(first: StudySpec, second: StudySpec) -> list[str]:
    """What makes the two studies' folds differ, in words (empty: the same folds)."""
    mine, theirs = split_key(first), split_key(second)
    return [label for name, label in SPLIT_SETTINGS.items() if mine[name] != theirs[name]]


def p_text(p: float) -> str:
    """'p = 0.41', 'p = 0.003', 'p < 0.001'."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


@dataclass(frozen=True)
class Versus:
    """One study set against the overall best."""

    sentence: str
    test: TTest | None = None  # None: no test (the best itself, or not paired)
    significant: bool = False

    def to_json(self) -> dict[str, Json]:
        return {"sentence": self.sentence, "significant": self.significant,
                "test": self.test.to_json() if self.test else None}


@dataclass(frozen=True)
class StudySummary:
    """One study's row of the comparison."""

    name: str
    model: str
    strategy: str
    scoring: str
    validation: str  # the scheme, in words
    trials: int  # complete trials
    best_trial: int | None = None
    best_mean: float | None = None
    best_std: float | None = None
    one_se_trial: int | None = None
    one_se_mean: float | None = None
    fold_scores: tuple[float | None, ...] = ()  # the best trial's, indexed by fold
    best_fit_time: float | None = None  # the best trial's mean seconds per fit
    total_fit_time: float = 0.0  # seconds of fitting, all trials and folds
    verdict: str = ""
    evidence: str = ""
    reason: str = ""  # why the study is not compared (no completed trial)
    versus: Versus | None = None

    def to_json(self) -> dict[str, Json]:
        return {
            "name": self.name, "model": self.model, "strategy": self.strategy,
            "scoring": self.scoring, "validation": self.validation,
            "complete_trials": self.trials, "best_trial": self.best_trial,
            "best_mean": jsonable(self.best_mean), "best_std": jsonable(self.best_std),
            "one_se_trial": self.one_se_trial, "one_se_mean": jsonable(self.one_se_mean),
            "fold_scores": jsonable(list(self.fold_scores)),
            "best_mean_fit_time": jsonable(self.best_fit_time),
            "total_fit_time": jsonable(self.total_fit_time),
            "verdict": self.verdict or None, "evidence": self.evidence or None,
            "reason": self.reason or None,
            "versus_best": self.versus.to_json() if self.versus else None,
        }


@dataclass(frozen=True)
class Comparison:
    """The studies side by side, the overall best and the sentence that concludes."""

    studies: tuple[StudySummary, ...]
    best: str | None  # the name of the overall best study
    scoring: str  # the metric the best and its rivals are scored by
    conclusion: str
    alpha: float = ALPHA

    def study(self, name: str) -> StudySummary:
        return next(s for s in self.studies if s.name == name)

    def to_json(self) -> dict[str, Json]:
        return {"best": self.best, "scoring": self.scoring or None,
                "metric": metric_words(self.scoring) if self.scoring else None,
                "alpha": self.alpha, "conclusion": self.conclusion,
                "studies": [s.to_json() for s in self.studies]}


def compare_studies(studies: Sequence[tuple[StudySpec, Sequence[TrialRecord]]]) -> Comparison:
    """Every study summed up, and each set against the best of those it can be compared
    with (same metric)."""
    summaries = [_summarize(spec, trials) for spec, trials in studies]
    specs = {spec.name: spec for spec, _ in studies}
    ranked = [s for s in summaries if s.best_mean is not None]
    if not ranked:
        conclusion = ("No study has a completed trial yet: run two or more studies on the "
                      "same data to compare them." if summaries else
                      "There is no study to compare: run two or more studies on the same "
                      "data to compare them here.")
        return Comparison(tuple(summaries), None, "", conclusion)
    scoring = _common_scoring(ranked)
    best = max((s for s in ranked if s.scoring == scoring), key=lambda s: s.best_mean)
    done = []
    for summary in summaries:
        versus = None if summary.best_mean is None else _versus(summary, best, specs)
        done.append(_with(summary, versus=versus))
    done_best = next(s for s in done if s.name == best.name)
    return Comparison(tuple(done), best.name, scoring, _conclusion(done_best, done))


def _summarize(spec: StudySpec, trials: Sequence[TrialRecord]) -> StudySummary:
    """A study's row without the comparison (``versus``), from its stored trials."""
    from .diagnostics.summary import diagnose
    from .validation import describe_validation

    complete = sum(t.state is TrialState.COMPLETE for t in trials)
    base = StudySummary(spec.name, spec.model, spec.strategy, spec.scoring,
                        describe_validation(spec), complete,
                        total_fit_time=_total_fit_time(trials, n_splits(spec)))
    frame = TrialFrame.from_trials(trials)
    choice: Choice = choose(frame, spec.model, spec.scoring, noise_for(spec))
    if choice.best is None:
        reason = ("No trial has completed yet." if not trials else
                  f"None of its {count(len(trials), 'trial')} completed, so it has no score.")
        return _with(base, reason=reason)
    diagnosis = diagnose(spec, trials, frame=frame, with_curves=False, choice=choice)
    best = trials[frame.index_of(choice.best)]
    one_se = trials[frame.index_of(choice.one_se)]
    folds: dict[int, float | None] = {f.fold: f.test_score for f in best.folds}
    return _with(base, best_trial=best.number, best_mean=best.mean_test_score,
                 best_std=best.std_test_score, one_se_trial=one_se.number,
                 one_se_mean=one_se.mean_test_score,
                 fold_scores=tuple(folds.get(i) for i in range(max(folds, default=-1) + 1)),
                 best_fit_time=best.mean_fit_time, verdict=diagnosis.verdict.verdict,
                 evidence=diagnosis.verdict.evidence)


def _with(summary: StudySummary, **changes: Any) -> StudySummary:
    from dataclasses import replace

    return replace(summary, **changes)


def _total_fit_time(trials: Sequence[TrialRecord], folds: int) -> float:
    """Seconds spent fitting, every fold of every trial (failed and stopped ones too, as
    they cost time all the same). A complete trial that a strategy did not cut short (no
    ``attrs``) ran all ``folds``: its stored mean fit time says it without reading its
    folds, which keeps a study of 100,000 trials quick to compare."""
    total = 0.0
    for trial in trials:
        mean = trial.mean_fit_time
        if trial.state is TrialState.COMPLETE and not trial.attrs and mean is not None:
            total += mean * folds
        else:
            total += sum(f.fit_time for f in trial.folds if f.fit_time is not None)
    return float(total) if math.isfinite(total) else math.nan


def _common_scoring(ranked: Sequence[StudySummary]) -> str:
    """The metric most studies use (the first study's on a tie): the best is chosen among
    those, as scores by different metrics cannot be ranked."""
    counts = Counter(s.scoring for s in ranked)
    top = max(counts.values())
    return next(s.scoring for s in ranked if counts[s.scoring] == top)


def _versus(summary: StudySummary, best: StudySummary, specs: dict[str, StudySpec]) -> Versus:
    """The sentence (and test) that sets one study against the overall best."""
    if summary.name == best.name:
        return Versus("The best of the compared studies.")
    if summary.scoring != best.scoring:
        return Versus(f"Not comparable: it is scored by {metric_words(summary.scoring)}, "
                      f"the best by {metric_words(best.scoring)}.")
    apart = split_differences(specs[best.name], specs[summary.name])
    if apart:
        verb = "is" if len(apart) == 1 else "are"
        return Versus(f"Not paired fold by fold: its folds are not the best's ({_and(apart)} "
                      f"{verb} not the same), so only the means compare and no test is made.")
    shared = [i for i, (x, y) in enumerate(zip(best.fold_scores, summary.fold_scores,
                                                        strict=False))
              if _finite(x) and _finite(y)]
    test = corrected_ttest([best.fold_scores[i] for i in shared],
                           [summary.fold_scores[i] for i in shared],
                           validation_to_training(specs[best.name]))
    if not test.tested:
        return Versus(f"No test: {test.reason[:1].lower()}{test.reason[1:]}", test)
    significant = test.p < ALPHA
    return Versus(_sentence(best.name, summary.name, test, significant), test, significant)


def _sentence(best: str, other: str, test: TTest, significant: bool) -> str:
    """'A beats B on 5 of 5 folds; the difference is significant (p = 0.003 < 0.05).'"""
    folds = f"on {test.wins} of {test.pairs} folds"
    if test.p == 1.0 and test.mean_difference == 0:
        return (f"{other} scores the same as {best} on every fold: not distinguishable from "
                "the best; prefer the simpler or faster one.")
    if test.constant:
        return (f"{best} beats {other} {folds}, by the same amount on every fold; the "
                f"difference is significant ({p_text(test.p)}).")
    if significant:
        below = "" if test.p < 0.001 else f", below {ALPHA:g}"
        return (f"{best} beats {other} {folds}; the difference is significant "
                f"({p_text(test.p)}{below}).")
    return (f"{best} beats {other} {folds}, but the difference is not significant "
            f"({p_text(test.p)}): {other} is not distinguishable from the best; prefer the "
            "simpler or faster one.")


def _conclusion(best: StudySummary, summaries: Sequence[StudySummary]) -> str:
    """'Best: A (accuracy 0.962). B is not distinguishable from it (p = 0.41). C is
    significantly worse (p < 0.001).'"""
    words = metric_words(best.scoring)
    parts = [f"Best: {best.name} ({words} {shown(best.scoring, best.best_mean)})."]
    close, worse, other = [], [], []
    for s in summaries:
        if s.name == best.name or s.versus is None:
            continue
        test = s.versus.test
        if test is None or not test.tested:
            other.append(s.name)
        elif s.versus.significant:
            worse.append(f"{s.name} ({p_text(test.p)})")
        else:
            close.append(f"{s.name} ({p_text(test.p)})")
    if close:
        verb = "is" if len(close) == 1 else "are"
        parts.append(f"{_and(close)} {verb} not distinguishable from it: prefer the simpler "
                     "or faster one.")
    if worse:
        parts.append(f"{_and(worse)} {'is' if len(worse) == 1 else 'are'} significantly "
                     f"worse (alpha {ALPHA:g}).")
    if other:
        parts.append(f"{_and(other)} cannot be tested against it (see why in the table).")
    missing = [s.name for s in summaries if s.best_mean is None]
    if missing:
        parts.append(f"{_and(missing)} {'has' if len(missing) == 1 else 'have'} no completed "
                     "trial.")
    return " ".join(parts)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


__all__ = [
    "ALPHA", "Comparison", "SPLIT_SETTINGS", "StudySummary", "TTest", "Versus",
    "compare_studies", "corrected_ttest", "p_text", "split_differences", "split_key",
    "validation_to_training",
]
