"""Studies side by side: which model is best, and how sure is its lead?

Each study is summed up by its best trial (mean and fold scores), its one-standard-error
choice, its fit times and its verdict (``summarize``). Every study is then set against the
overall best (``compare_summaries``).

**Which studies compare.** Scores compare only on the same data: the same data file's
contents (its fingerprint), target column and task (``DATA_SETTINGS``), and the same
metric. The overall best is the highest best mean of the largest such group (on a tie in
size, the group of the first study listed); a study run on other data is said to be so,
naming what differs, and one scored by another metric likewise. Within the group, folds
pair only when the settings that cut them (``FOLD_SETTINGS``: scheme, number of folds,
seed, test set, nested folds) agree too; otherwise the two are compared on their means
only and a sentence says why there is no test.

**The evidence, on paired folds** (``paired_tests``): with d the fold-by-fold differences
of the two best trials (the best's score minus the other's), the mean difference with its
95 % interval, the folds each one won, the corrected resampled t-test of Nadeau and
Bengio (its p, two-sided, "significant" below ``ALPHA``) and the correlated Bayesian
t-test of Benavoli, Corani, Demšar and Zaffalon (2017), both corrected for the folds'
overlapping training sets. The Bayesian test gives three probabilities: that the best is
better by more than the equivalence width ``rope``, that the two are within ±``rope``
(practically equivalent), that the other is better by more than ``rope``.

**The equivalence width** (region of practical equivalence, ROPE) is ``ROPE`` = 0.01 by
default, settable by the user. On scores from 0 to 1 (accuracy, balanced accuracy, F1,
ROC AUC, R², the Brier score...) it is in the score's own units: 0.01 is one point. Errors
(``neg_`` scorers but the Brier score: mean squared error, log loss...) are on the
target's scale, which no fixed width fits, so there it is a share of the best's error:
``rope * |best mean|`` (0.01: within 1 % of the best's error); the JSON says
``"rope_relative": true`` and gives the width used.

**The words follow the probabilities** (``standing``), with the thresholds here and only
here: a probability of at least ``CERTAIN`` (0.95) is "almost certainly", of at least
``PROBABLE`` (0.80) "probably"; the best is "almost certainly better" or "probably
better", the two "practically equivalent" (only then the advice to prefer the simpler or
faster one) or "probably practically equivalent"; when no outcome reaches ``PROBABLE``
the evidence "does not settle it" and the sentence says how to get more (more folds,
or a wider margin if a difference that size does not matter). A p above ``ALPHA`` is
never read as "the same": few folds say little, and a model that lost every fold by a
wide margin is almost certainly worse whatever the p.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

from .diagnostics.choice import Choice, choose
from .diagnostics.noise import noise_for, validation_to_training
from .diagnostics.verdict import is_error_metric, metric_words, shown
from .format import count, number
from .jsonable import Json, jsonable
from .paired_tests import (
    LEVEL,
    BayesianTTest,
    TTest,
    corrected_ttest,
    correlated_bayesian_ttest,
)
from .records import TrialFrame, TrialRecord, TrialState
from .spec import StudySpec
from .validation import n_splits

ALPHA = 0.05  # a difference with p below this is called significant
ROPE = 0.01  # the default equivalence width: one point on a 0-1 score
CERTAIN = 0.95  # a probability at least this is "almost certainly"
PROBABLE = 0.80  # at least this (and below CERTAIN) is "probably"

# The spec fields that say which data a study scored, and those that decide which rows
# land in which fold, with how a sentence names them. The seed is left out for the
# time-series split, which never shuffles; the group column is part of ``validation``
# (it is the column the group scheme splits on).
DATA_SETTINGS = {"data": "the data file's contents", "target": "the target column",
                 "task": "the task"}
FOLD_SETTINGS = {"validation": "the validation scheme", "cv": "the number of folds",
                 "seed": "the seed", "test_size": "the held-out test set",
                 "nested": "the nested cross-validation", "outer": "the outer fold"}
SPLIT_SETTINGS = {**DATA_SETTINGS, **FOLD_SETTINGS}

# How a study stands against the best, from its point of view, in words.
STANDINGS = {
    "best": "the best",
    "worse": "almost certainly worse than the best",
    "probably worse": "probably worse than the best",
    "equivalent": "practically equivalent to the best",
    "probably equivalent": "probably practically equivalent to the best",
    "unsettled": "not settled by the evidence",
    "probably better": "probably better than the best on the folds both scored",
    "better": "almost certainly better than the best on the folds both scored",
    "untested": "not tested against the best (other folds, or too few)",
    "other data": "run on different data",
    "other metric": "scored by another metric",
}


def standing(best_better: float, equivalent: float, other_better: float) -> str:
    """The words the three probabilities support (a key of ``STANDINGS``). At most one
    probability can reach ``PROBABLE`` (they add up to 1)."""
    for probability, sure, likely in ((best_better, "worse", "probably worse"),
                                      (equivalent, "equivalent", "probably equivalent"),
                                      (other_better, "better", "probably better")):
        if probability >= CERTAIN:
            return sure
        if probability >= PROBABLE:
            return likely
    return "unsettled"


def split_key(spec: StudySpec) -> dict[str, Any]:
    """The settings that decide the study's data and folds (see ``SPLIT_SETTINGS``)."""
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


def data_differences(study: StudySpec, best: StudySpec) -> list[str]:
    """How ``study``'s data differs from ``best``'s, in words (empty: the same data)."""
    mine, theirs = split_key(study), split_key(best)
    said = []
    if mine["data"] != theirs["data"]:
        ours, its = _file_name(study.data), _file_name(best.data)
        said.append(f"its data is {ours}, the best's {its}" if ours != its else
                    f"the contents of {ours} changed between the two studies")
    if study.target != best.target:
        said.append(f"it predicts '{study.target}', the best '{best.target}'")
    if study.task != best.task:
        said.append(f"it is a {study.task} study, the best a {best.task} one")
    return said


def _file_name(data: str) -> str:
    return data if data.startswith("demo:") else PurePath(data).name or data


def p_text(p: float) -> str:
    """'p = 0.41', 'p = 0.003', 'p < 0.001'."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def percent(probability: float) -> str:
    """'97 %'; '>99 %' and '<1 %' rather than a rounded 100 % or 0 % that is not sure."""
    if probability >= 1:
        return "100 %"
    if probability <= 0:
        return "0 %"
    if probability >= 0.995:
        return ">99 %"
    if probability <= 0.005:
        return "<1 %"
    return f"{round(100 * probability)} %"


def _plain(value: float) -> str:
    """A width or difference without trailing zeros: 0.01, 0.21, 29.4, 1,250."""
    text = number(value)
    return text if "," in text or "e" in text else f"{float(text):g}"


@dataclass(frozen=True)
class Versus:
    """One study set against the overall best (``bayes`` and ``test`` of best - other)."""

    sentence: str
    standing: str  # a key of STANDINGS
    test: TTest | None = None  # None: no test (the best itself, or not paired)
    bayes: BayesianTTest | None = None  # None when there is no test
    rope_relative: bool = False  # the width is a share of the best's error
    significant: bool = False

    @property
    def folds_won(self) -> tuple[int, int] | None:
        """(folds the best scored higher on, folds the other did)."""
        return None if self.test is None else (self.test.wins, self.test.losses)

    def to_json(self) -> dict[str, Json]:
        bayes = self.bayes
        interval = list(bayes.interval) if bayes else None
        return {"sentence": self.sentence, "standing": self.standing,
                "significant": self.significant,
                "mean_difference": jsonable(bayes.mean_difference if bayes else None),
                "interval": jsonable(interval),
                "folds_won": jsonable(self.folds_won) if bayes else None,
                "rope": jsonable(bayes.rope if bayes else None),
                "rope_relative": self.rope_relative if bayes else None,
                "probability_best_better": jsonable(bayes.probability_a_better
                                                    if bayes else None),
                "probability_equivalent": jsonable(bayes.probability_equivalent
                                                   if bayes else None),
                "probability_other_better": jsonable(bayes.probability_b_better
                                                     if bayes else None),
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
    rope: float = ROPE  # the equivalence width asked for
    rope_width: float | None = None  # the width used, in the metric's units
    rope_relative: bool = False  # rope_width = rope * |the best's mean| (an error metric)

    def study(self, name: str) -> StudySummary:
        return next(s for s in self.studies if s.name == name)

    def margin(self) -> str:
        """The equivalence width in words: '0.01', '29.4 (1 % of the best's mean squared
        error)'."""
        return _margin(self.rope, self.rope_width, self.rope_relative, self.scoring)

    def to_json(self) -> dict[str, Json]:
        return {"best": self.best, "scoring": self.scoring or None,
                "metric": metric_words(self.scoring) if self.scoring else None,
                "alpha": self.alpha, "rope": self.rope,
                "rope_width": jsonable(self.rope_width), "rope_relative": self.rope_relative,
                "thresholds": {"almost_certain": CERTAIN, "probable": PROBABLE},
                "conclusion": self.conclusion,
                "studies": [s.to_json() for s in self.studies]}


def compare_studies(studies: Sequence[tuple[StudySpec, Sequence[TrialRecord]]],
                    rope: float = ROPE) -> Comparison:
    """Every study summed up, and each set against the best of those it can be compared
    with (same data and metric), with the equivalence width ``rope``."""
    return compare_summaries([(spec, summarize(spec, trials)) for spec, trials in studies],
                             rope)


def compare_summaries(studies: Sequence[tuple[StudySpec, StudySummary]],
                      rope: float = ROPE) -> Comparison:
    """Studies already summed up (``summarize``), each set against the overall best: quick,
    so a new equivalence width recomputes without reading the trials again."""
    if not (isinstance(rope, int | float) and math.isfinite(rope) and rope >= 0):
        raise ValueError(f"the equivalence width must be a number of at least 0, not {rope}")
    rope = float(rope)
    summaries = [summary for _, summary in studies]
    specs = {spec.name: spec for spec, _ in studies}
    ranked = [s for s in summaries if s.best_mean is not None]
    if not ranked:
        conclusion = ("No study has a completed trial yet: run two or more studies on the "
                      "same data to compare them." if summaries else
                      "There is no study to compare: run two or more studies on the same "
                      "data to compare them here.")
        return Comparison(tuple(summaries), None, "", conclusion, rope=rope)
    best = _overall_best(ranked, specs)
    relative = is_error_metric(best.scoring)
    width = rope * abs(best.best_mean) if relative else rope
    margin = _margin(rope, width, relative, best.scoring)
    done = []
    for summary in summaries:
        versus = (None if summary.best_mean is None else
                  _versus(summary, best, specs, width, relative, margin))
        done.append(replace(summary, versus=versus))
    done_best = next(s for s in done if s.name == best.name)
    return Comparison(tuple(done), best.name, best.scoring,
                      _conclusion(done_best, done, margin), rope=rope, rope_width=width,
                      rope_relative=relative)


def _overall_best(ranked: Sequence[StudySummary], specs: dict[str, StudySpec]) -> StudySummary:
    """The highest best mean in the largest group of studies on the same data with the same
    metric (on a tie in size, the group of the first study listed): scores on other data,
    or by another metric, cannot be ranked against each other."""
    def group(summary: StudySummary) -> tuple[Any, ...]:
        key = split_key(specs[summary.name])
        return (*(key[name] for name in DATA_SETTINGS), summary.scoring)

    sizes = Counter(group(s) for s in ranked)
    largest = max(sizes.values())
    chosen = next(group(s) for s in ranked if sizes[group(s)] == largest)
    return max((s for s in ranked if group(s) == chosen), key=lambda s: s.best_mean)


def summarize(spec: StudySpec, trials: Sequence[TrialRecord]) -> StudySummary:
    """A study's row without the comparison (``versus``), from its stored trials: the slow
    part of a comparison (it diagnoses the study), so done once per study."""
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
        return replace(base, reason=reason)
    diagnosis = diagnose(spec, trials, frame=frame, with_curves=False, choice=choice)
    best = trials[frame.index_of(choice.best)]
    one_se = trials[frame.index_of(choice.one_se)]
    folds: dict[int, float | None] = {f.fold: f.test_score for f in best.folds}
    return replace(base, best_trial=best.number, best_mean=best.mean_test_score,
                   best_std=best.std_test_score, one_se_trial=one_se.number,
                   one_se_mean=one_se.mean_test_score,
                   fold_scores=tuple(folds.get(i) for i in range(max(folds, default=-1) + 1)),
                   best_fit_time=best.mean_fit_time, verdict=diagnosis.verdict.verdict,
                   evidence=diagnosis.verdict.evidence)


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


def _margin(rope: float, width: float | None, relative: bool, scoring: str) -> str:
    """The equivalence width as a sentence says it."""
    if width is None:
        return _plain(rope)
    if not relative:
        return _plain(width)
    return f"{_plain(width)} ({_plain(100 * rope)} % of the best's {metric_words(scoring)})"


def _versus(summary: StudySummary, best: StudySummary, specs: dict[str, StudySpec],
            rope: float, relative: bool, margin: str) -> Versus:
    """The sentence (and tests) that set one study against the overall best."""
    if summary.name == best.name:
        return Versus("The best of the compared studies.", "best")
    mine, its = specs[summary.name], specs[best.name]
    other_data = data_differences(mine, its)
    if other_data:
        return Versus(f"Not compared: it was run on different data ({'; '.join(other_data)}),"
                      " so its scores do not rank against the best's.", "other data")
    if summary.scoring != best.scoring:
        return Versus(f"Not comparable: it is scored by {metric_words(summary.scoring)}, "
                      f"the best by {metric_words(best.scoring)}.", "other metric")
    apart = split_differences(its, mine)
    if apart:
        verb = "is" if len(apart) == 1 else "are"
        return Versus(f"Not paired fold by fold: its folds are not the best's ({_and(apart)} "
                      f"{verb} not the same), so only the means compare and no test is made.",
                      "untested")
    share = validation_to_training(its)
    folds = max(len(best.fold_scores), len(summary.fold_scores))
    ours, theirs = ([*s.fold_scores, *[None] * (folds - len(s.fold_scores))]
                    for s in (best, summary))  # a trial stopped early has fewer folds
    test = corrected_ttest(ours, theirs, share)
    if not test.tested:
        return Versus(f"No test: {test.reason[:1].lower()}{test.reason[1:]}", "untested", test)
    bayes = correlated_bayesian_ttest(ours, theirs, share, rope)
    where = standing(bayes.probability_a_better, bayes.probability_equivalent,
                     bayes.probability_b_better)
    sentence = (f"{_lead(best.name, summary.name, test, bayes, best.scoring)} "
                f"{_judgement(best.name, summary.name, bayes, where, margin)}")
    return Versus(sentence, where, test, bayes, relative, test.p < ALPHA)


def _lead(best: str, other: str, test: TTest, bayes: BayesianTTest, scoring: str) -> str:
    """Who won which folds, and by how much on average: 'forest beats ridge on 5 of 5
    folds, by 0.21 in R² on average (95 % interval 0.06 to 0.36).'"""
    metric = metric_words(scoring)
    mean = bayes.mean_difference
    if bayes.constant:
        if mean == 0:
            return f"{other} scores the same as {best} on every fold."
        ahead, behind = (best, other) if mean > 0 else (other, best)
        return (f"{ahead} beats {behind} on all {test.pairs} folds by the same amount, "
                f"{_plain(abs(mean))} in {metric}; with no spread to weigh it against, the "
                "chances are 0 or 100 %.")
    low, high = bayes.interval
    interval = f"({LEVEL * 100:g} % interval {_plain(low)} to {_plain(high)})"
    if mean < 0:  # the other leads on the folds both scored (the best has more folds)
        return (f"{best} wins {test.wins} of the {test.pairs} folds both scored, {other} "
                f"wins {test.losses}; on them {best} trails by {_plain(-mean)} in {metric} on "
                f"average {interval}.")
    if test.wins == test.pairs:
        folds = f"{best} beats {other} on {test.wins} of {test.pairs} folds"
    else:
        tied = f" ({test.ties} tied)" if test.ties else ""
        folds = f"{best} wins {test.wins} of {test.pairs} folds, {other} wins {test.losses}{tied}"
    return f"{folds}, by {_plain(mean)} in {metric} on average {interval}."


def _judgement(best: str, other: str, bayes: BayesianTTest, where: str, margin: str) -> str:
    """What the three probabilities support, in the words of ``standing``."""
    ahead = percent(bayes.probability_a_better)
    same = percent(bayes.probability_equivalent)
    behind = percent(bayes.probability_b_better)
    short = margin.split(" (")[0]
    if where == "worse":
        return (f"{best} is almost certainly better: {ahead} chance that it leads by more "
                f"than {margin}.")
    if where == "probably worse":
        return (f"{best} is probably better: {ahead} chance that it leads by more than "
                f"{margin}, {same} that the two are within ±{short}.")
    if where == "equivalent":
        return (f"The two are practically equivalent: {same} chance that they differ by "
                f"less than ±{margin}; prefer the simpler or faster one.")
    if where == "probably equivalent":
        return (f"The two are probably practically equivalent: {same} chance that they "
                f"differ by less than ±{margin}; more folds (repeated k-fold) would "
                "settle it.")
    if where in ("better", "probably better"):
        sure = "almost certainly" if where == "better" else "probably"
        return (f"On the folds both scored, {other} is {sure} better: {behind} chance that "
                f"it leads by more than {margin}.")
    return (f"The evidence does not settle it: {ahead} chance that {best} leads by more "
            f"than {margin}, {same} that the two are within ±{short}, {behind} that {other} "
            "leads. Run more folds (repeated k-fold), or widen the equivalence margin if a "
            "difference this size does not matter.")


def _conclusion(best: StudySummary, summaries: Sequence[StudySummary], margin: str) -> str:
    """'Best: A (accuracy 0.962). B is almost certainly worse (99 % chance that A is
    better by more than 0.01). C is practically equivalent to it (97 % chance ...): prefer
    the simpler or faster one.'"""
    words = metric_words(best.scoring)
    parts = [f"Best: {best.name} ({words} {shown(best.scoring, best.best_mean)})."]
    by: dict[str, list[StudySummary]] = {}
    for s in summaries:
        if s.name != best.name and s.versus is not None:
            by.setdefault(s.versus.standing, []).append(s)
    short = margin.split(" (")[0]

    def names(key: str) -> str:
        return _and([s.name for s in by[key]])

    def chances(key: str, which: str) -> str:
        return _and([percent(getattr(s.versus.bayes, which)) for s in by[key]])

    def verb(key: str, one: str = "is", many: str = "are") -> str:
        return one if len(by[key]) == 1 else many

    for key, sure in (("worse", "almost certainly"), ("probably worse", "probably")):
        if key in by:
            odds = chances(key, "probability_a_better")
            parts.append(f"{names(key)} {verb(key)} {sure} worse ({odds} chance that "
                         f"{best.name} is better by more than {margin}).")
    if "equivalent" in by:
        parts.append(f"{names('equivalent')} {verb('equivalent')} practically equivalent to "
                     f"it ({chances('equivalent', 'probability_equivalent')} chance within "
                     f"±{short}): prefer the simpler or faster one.")
    if "probably equivalent" in by:
        key = "probably equivalent"
        parts.append(f"{names(key)} {verb(key)} probably practically equivalent to it "
                     f"({chances(key, 'probability_equivalent')} chance within ±{short}), "
                     "not surely.")
    for key, sure in (("better", "almost certainly"), ("probably better", "probably")):
        if key in by:
            parts.append(f"On the folds both scored, {names(key)} {verb(key)} {sure} better "
                         f"than it ({chances(key, 'probability_b_better')} chance).")
    if "unsettled" in by:
        parts.append(f"For {names('unsettled')} the evidence does not settle it: run more "
                     "folds (repeated k-fold).")
    if "untested" in by:
        parts.append(f"{names('untested')} cannot be tested against it (see why in the "
                     "table).")
    if "other data" in by:
        parts.append(f"{names('other data')} {verb('other data', 'was', 'were')} run on "
                     "different data and not compared.")
    if "other metric" in by:
        parts.append(f"{names('other metric')} {verb('other metric')} scored by another "
                     "metric and not compared.")
    missing = [s.name for s in summaries if s.best_mean is None]
    if missing:
        parts.append(f"{_and(missing)} {'has' if len(missing) == 1 else 'have'} no completed "
                     "trial.")
    return " ".join(parts)


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


__all__ = [
    "ALPHA", "CERTAIN", "Comparison", "DATA_SETTINGS", "FOLD_SETTINGS", "PROBABLE", "ROPE",
    "SPLIT_SETTINGS", "STANDINGS", "StudySummary", "TTest", "Versus", "compare_studies",
    "compare_summaries", "corrected_ttest", "data_differences", "p_text", "percent",
    "split_differences", "split_key", "standing", "summarize", "validation_to_training",
]
