"""The records: one rule for the best trial, and one set of per-trial columns that the
frame (plots, diagnostics) and the CSV export both read, for made and for stored trials;
a stored record is never written after it is made; a study is found by its name alone."""

import dataclasses
import math
import random

import numpy as np
import pytest
from trial_samples import mixed_trials as _mixed_trials
from trial_samples import spec as _spec
from trial_samples import stored as _stored
from trial_samples import trial as _trial

from hpt_gui.core import records, store
from hpt_gui.core.diagnostics.frame import TrialFrame as OldPlaceFrame
from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.export import trials_table
from hpt_gui.core.records import (
    TrialFrame,
    TrialRecord,
    TrialState,
    beats,
    best_row,
    best_trial,
    trial_column,
    trial_from_folds,
)
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import ProjectDamaged, ProjectStore, StoreError
from hpt_gui.core.study import ENGINE_VERSION, stored_engine

# the best trial ----------------------------------------------------------------------------


def test_the_best_is_the_highest_mean_and_the_lowest_number_on_a_tie():
    trials = [_trial(4, [0.8, 0.9]), _trial(2, [0.9, 0.8]), _trial(7, [0.7, 0.7]),
              _trial(3, [0.85, 0.85])]
    assert best_trial(trials).number == 2  # 0.85 each for 2, 3 and 4: the lowest number
    assert best_trial(list(reversed(trials))).number == 2  # whatever the order
    assert best_trial([*trials, _trial(9, [0.9, 0.9])]).number == 9


def test_higher_is_better_for_negated_losses_too():
    """Scores are scikit-learn's (a loss is negated): the one nearest zero is the best."""
    trials = [_trial(0, [-3.0, -2.5]), _trial(1, [-0.2, -0.4]), _trial(2, [-1.0, -1.0])]
    assert best_trial(trials).number == 1


@pytest.mark.parametrize("state", [TrialState.FAIL, TrialState.PRUNED, TrialState.CANCELLED])
def test_only_a_complete_trial_can_be_best(state):
    better = _trial(1, [0.99, 0.99], state=state)
    if state is TrialState.PRUNED:  # a partial mean, higher than the complete trial's
        assert better.mean_test_score == 0.99
    assert best_trial([_trial(0, [0.5, 0.5]), better]).number == 0
    assert best_trial([better]) is None


def test_a_failed_trial_is_never_best_and_no_trial_means_no_best():
    failed = trial_from_folds(0, {}, [FoldResult(0, 0, None, None, 0.1, 0.0, error="E")],
                              0.0, 1.0)
    assert failed.state is TrialState.FAIL
    assert best_trial([failed]) is None and best_trial([]) is None


def test_a_complete_trial_without_a_score_is_not_best():
    unscored, nan = _trial(0, [None, None]), _trial(1, [math.nan, 0.5])
    assert unscored.state is TrialState.COMPLETE and unscored.mean_test_score is None
    assert best_trial([unscored, nan]) is None
    assert best_trial([unscored, nan, _trial(2, [0.1])]).number == 2


def test_the_columns_rule_and_the_records_rule_agree():
    rng = random.Random(11)
    for _ in range(200):
        trials = [_trial(n, [rng.choice([0.5, 0.6, 0.7, None])],
                         state=rng.choice([None, None, TrialState.PRUNED, TrialState.FAIL]))
                  for n in rng.sample(range(50), rng.randint(0, 8))]
        frame = TrialFrame.from_trials(trials)
        row = frame.best_row()
        want = best_trial(trials)
        assert (None if row is None else trials[row]) is want
        states = trial_column(trials, "state")
        assert best_row(states == TrialState.COMPLETE,
                        trial_column(trials, "mean_test_score"),
                        trial_column(trials, "number")) == row
        streamed = None  # as the table finds it while trials stream in
        for made in trials:
            if beats(made, streamed):
                streamed = made
        assert streamed is want


def test_the_store_names_are_the_records():
    for name in ("TrialRecord", "TrialState", "StudyRow", "best_trial", "count_states",
                 "trial_from_folds"):
        assert getattr(store, name) is getattr(records, name)
    assert OldPlaceFrame is TrialFrame


# one set of columns -------------------------------------------------------------------------


def _same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


@pytest.mark.parametrize("where", ["made", "stored"])
def test_the_frame_and_the_csv_hold_the_same_columns(tmp_path, where):
    trials = _mixed_trials()
    if where == "stored":
        trials = _stored(tmp_path, trials)
    frame, table = TrialFrame.from_trials(trials), trials_table(trials)
    assert list(table["number"]) == list(frame.numbers)
    for key, column in (("mean_test", "mean_test_score"), ("std_test", "std_test_score"),
                        ("mean_train", "mean_train_score"),
                        ("std_train", "std_train_score")):
        assert _same(getattr(frame, key), table[column]), key
        assert _same(getattr(frame, key), trial_column(trials, column)), key
    assert _same(trial_column(trials, "mean_fit_time"), table["mean_fit_time"])
    assert list(frame.complete) == list(table["state"] == "COMPLETE")
    assert list(frame.failed) == list(table["state"] == "FAIL")
    assert list(frame.params) == [c[len("param_"):] for c in table.columns
                                  if c.startswith("param_")]
    for name, values in frame.params.items():
        shown = ["" if v is None else v for v in values]  # the CSV leaves None empty
        assert list(table[f"param_{name}"]) == shown, name
    stopped = np.array([t.stopped_early for t in trials])
    assert stopped.any() and np.isnan(frame.std_test[stopped]).all()
    ranked = table["rank_test_score"].notna().to_numpy()
    best = frame.best_row()
    assert table["rank_test_score"][best] == 1 and ranked[best]


def test_a_frame_extended_equals_the_frame_of_all():
    trials = _mixed_trials()
    whole, joined = TrialFrame.from_trials(trials), \
        TrialFrame.from_trials(trials[:12]).extended(trials[12:])
    for key in ("numbers", "complete", "failed", "mean_test", "std_test", "mean_train",
                "std_train", "started", "finished"):
        assert _same(getattr(whole, key), getattr(joined, key)), key
    for name in whole.params:
        assert list(whole.params[name]) == list(joined.params[name])
        assert list(whole.has[name]) == list(joined.has[name])


# stored records ------------------------------------------------------------------------------


def test_a_stored_record_is_not_written_after_it_is_made(tmp_path):
    saved = _mixed_trials()
    read = _stored(tmp_path, saved)
    before = [dict(vars(t)) for t in read]
    for got in read:
        got.folds  # noqa: B018  the folds read ...
        got.mean_test_score, got.std_train_score, got.mean_fit_time  # noqa: B018
    assert [dict(vars(t)) for t in read] == before  # ... are the loader's, not the record's
    assert read == saved
    copy = dataclasses.replace(read[0], folds=saved[0].folds[:1])
    fields = dict(vars(copy))
    want = TrialRecord(**{f.name: getattr(copy, f.name)
                          for f in dataclasses.fields(TrialRecord)}).mean_test_score
    assert copy.mean_test_score == want and dict(vars(copy)) == fields


# a study by its name ----------------------------------------------------------------------------


def _project(tmp_path, *names):
    path = tmp_path / "p.hpt"
    with ProjectStore(path) as project:
        for name in names:
            study = project.open_study(_spec(name))
            project.save_trial(study, _trial(0, [0.5, 0.6]))
            project.set_status(name, "finished")
    return path


def _damage(path, name):
    import sqlite3

    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE studies SET spec_json='{not json' WHERE name=?", (name,))
    db.close()


def test_a_study_is_found_by_its_name_alone(tmp_path, monkeypatch):
    path = _project(tmp_path, "a", "b", "c")
    decoded = []
    loads = StudySpec.loads
    monkeypatch.setattr(StudySpec, "loads",
                        staticmethod(lambda text: decoded.append(text) or loads(text)))
    with ProjectStore(path) as project:
        assert project.find_study("b").spec.name == "b"
        assert len(decoded) == 1  # only its own settings decoded
        assert project.find_study("nothing") is None
        with pytest.raises(StoreError, match="no study named 'nothing' .its studies: 'a', "
                                             "'b', 'c'"):
            project.study("nothing")
        decoded.clear()
        assert [t.number for t in project.trials("c")] == [0]
        assert decoded == []  # reading trials decodes no settings


def test_another_studys_damaged_settings_do_not_hide_a_study(tmp_path):
    path = _project(tmp_path, "a", "b")
    _damage(path, "a")
    with ProjectStore(path) as project:
        assert project.find_study("b").status == "finished"
        assert project.study("b").spec == _spec("b")
        assert len(project.trials("b")) == 1
        with pytest.raises(ProjectDamaged, match="the study 'a' has settings"):
            project.find_study("a")
        with pytest.raises(ProjectDamaged, match="the study 'a' has settings"):
            project.studies()  # listing them all still names the damage
    assert stored_engine(path, "b") == _spec("b").engine
    assert stored_engine(path, "new") == ENGINE_VERSION
    with pytest.raises(ProjectDamaged, match="the study 'a' has settings"):
        stored_engine(path, "a")
