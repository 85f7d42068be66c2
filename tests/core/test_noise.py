"""The noise of a mean over folds: plain on k-fold, corrected for overlapping training sets
on repeated k-fold and shuffle-split; the one-standard-error choice and the verdict's
suspicion of perfect scores."""

import math

import numpy as np
import pytest

from hpt_gui.core.diagnostics.choice import choose
from hpt_gui.core.diagnostics.frame import TrialFrame
from hpt_gui.core.diagnostics.noise import Noise, noise_for
from hpt_gui.core.diagnostics.summary import diagnose
from hpt_gui.core.diagnostics.verdict import is_suspiciously_perfect
from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.space import IntRange, SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import TrialRecord, TrialState

SPACE = SearchSpace((IntRange("max_depth", 1, 10),))


def _spec(**validation):
    return StudySpec(name="s", data="demo:iris", target="target",
                     model="DecisionTreeClassifier", space=SPACE, task="classification",
                     cv=5, validation=validation or None)


def _trial(number, depth, scores):
    folds = tuple(FoldResult(number, k, s, 1.0, 0.01, 0.001) for k, s in enumerate(scores))
    return TrialRecord(number, TrialState.COMPLETE, {"max_depth": depth}, folds, number,
                       number + 0.5)


def test_plain_kfold_standard_error_is_the_sample_deviation_over_root_folds():
    scores = np.array([0.81, 0.85, 0.79, 0.88, 0.84])
    noise = noise_for(_spec())
    assert noise == Noise(5, None) and not noise.corrected
    expected = scores.std(ddof=1) / math.sqrt(5)  # by hand
    assert noise.standard_error(float(scores.std())) == pytest.approx(expected, rel=1e-12)
    assert "over 5 folds" in noise.words()


def test_repeated_and_shuffle_splits_are_corrected_for_their_overlap():
    """Nadeau and Bengio: sd * sqrt(1/J + n_test/n_train), not sd / sqrt(J)."""
    rng = np.random.default_rng(0)
    scores = 0.8 + 0.03 * rng.standard_normal(15)
    repeated = noise_for(_spec(scheme="repeated", repeats=3))
    assert repeated.folds == 15 and repeated.overlap == pytest.approx(1 / 4)
    corrected = scores.std(ddof=1) * math.sqrt(1 / 15 + 1 / 4)
    assert repeated.standard_error(float(scores.std())) == pytest.approx(corrected)
    naive = scores.std(ddof=1) / math.sqrt(15)
    assert corrected > 2 * naive  # the naive one calls noise a lead
    shuffle = noise_for(_spec(scheme="shuffle", holdout=0.2))
    assert shuffle.overlap == pytest.approx(0.25) and "overlapping" in shuffle.words()
    assert noise_for(_spec(scheme="time")).overlap is None
    assert math.isnan(Noise(1).standard_error(0.0))


def test_one_standard_error_choice_uses_the_corrected_error_on_repeated_folds():
    """Scores within the corrected standard error of the best, but outside the naive one:
    only the corrected rule lets the simpler tree in."""
    best = [0.90, 0.86, 0.94, 0.88, 0.92] * 3
    spread = float(np.std(best))
    corrected = Noise(15, 0.25).standard_error(spread)
    naive = Noise(15).standard_error(spread)
    simple_score = 0.90 - (naive + corrected) / 2
    trials = [_trial(0, 8, best), _trial(1, 2, [simple_score] * 15)]
    frame = TrialFrame.from_trials(trials)
    assert choose(frame, "DecisionTreeClassifier", "accuracy", Noise(15)).one_se == 0
    chosen = choose(frame, "DecisionTreeClassifier", "accuracy", Noise(15, 0.25))
    assert chosen.one_se == 1 and chosen.standard_error == pytest.approx(corrected)
    assert "corrected for their overlapping training sets" in chosen.explanation


def test_a_near_perfect_validation_score_is_flagged():
    assert is_suspiciously_perfect("accuracy", 0.9995)
    assert is_suspiciously_perfect("r2", 1.0)
    assert not is_suspiciously_perfect("accuracy", 0.998)
    assert not is_suspiciously_perfect("neg_mean_squared_error", -0.0001)
    trials = [_trial(0, 3, [1.0, 0.999, 1.0, 1.0, 1.0]), _trial(1, 5, [0.9] * 5)]
    notes = diagnose(_spec(), trials, with_curves=False).notes
    assert any(note.startswith("Suspiciously perfect") and "leakage" in note for note in notes)
    ordinary = [_trial(0, 3, [0.95, 0.97, 0.96, 0.94, 0.95])]
    assert not diagnose(_spec(), ordinary, with_curves=False).notes
