"""The project file: one transaction per trial, JSON and numbers only, safe reopening."""

import sqlite3

import numpy as np
import pytest

from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import (
    ProjectDamaged,
    ProjectStore,
    StoreError,
    TrialState,
    trial_from_folds,
)

SPEC = StudySpec(name="s", data="demo:iris", target="target", model="SVC",
                 space=SearchSpace.from_json({"C": {"type": "float", "low": 0.1, "high": 10}}),
                 task="classification", strategy="grid", cv=2, seed=1)


def _trial(number, scores=(0.5, 0.7), error=None):
    folds = [FoldResult(number, k, None if error else s, None if error else s + 0.1, 0.01, 0.002,
                        error=error)
             for k, s in enumerate(scores)]
    return trial_from_folds(number, {"C": 1.0 + number}, folds, 10.0, 11.0)


def test_trials_and_folds_round_trip(tmp_path):
    with ProjectStore(tmp_path / "p.hpt") as store:
        study_id = store.open_study(SPEC)
        store.save_trial(study_id, _trial(0))
        store.save_trial(study_id, _trial(1, error="ValueError: bad"))
    with ProjectStore(tmp_path / "p.hpt") as store:
        trials = store.trials("s")
        assert [t.state for t in trials] == [TrialState.COMPLETE, TrialState.FAIL]
        assert trials[0].mean_test_score == pytest.approx(0.6)
        assert trials[0].std_test_score == pytest.approx(0.1)
        assert trials[0].folds[1].train_score == pytest.approx(0.8)
        assert trials[1].error == "fold 1: ValueError: bad"
        assert store.study("s").spec == SPEC


def test_mean_fit_time_is_over_every_fold_and_stored_with_the_trial(tmp_path):
    folds = [FoldResult(0, k, 0.5, 0.6, fit, 0.001) for k, fit in enumerate((0.1, 0.2, 0.4))]
    failed = [FoldResult(1, 0, None, None, 0.3, 0.0, error="ValueError: bad")]
    trials = [trial_from_folds(0, {}, folds, 0.0, 1.0), trial_from_folds(1, {}, failed, 0.0, 1.0),
              trial_from_folds(2, {}, [], 0.0, 1.0)]
    assert trials[0].mean_fit_time == float(np.mean([0.1, 0.2, 0.4]))
    assert trials[1].mean_fit_time == 0.3 and trials[2].mean_fit_time is None
    with ProjectStore(tmp_path / "p.hpt") as store:
        study_id = store.open_study(SPEC)
        for trial in trials:
            store.save_trial(study_id, trial)
        stored = [r[0] for r in store._db.execute(
            "SELECT mean_fit_time FROM trials ORDER BY number")]
        read = store.trials("s")
    assert stored == [t.mean_fit_time for t in trials] == [t.mean_fit_time for t in read]


def test_a_trial_number_is_stored_once(tmp_path):
    with ProjectStore(tmp_path / "p.hpt") as store:
        study_id = store.open_study(SPEC)
        store.save_trial(study_id, _trial(0))
        with pytest.raises(ProjectDamaged, match="records that contradict each other "
                           r"\(UNIQUE constraint failed: trials.study_id, trials.number\)"):
            store.save_trial(study_id, _trial(0))
        assert len(store.trials("s")) == 1  # the failed insert left nothing half-written


def test_file_uses_wal_and_holds_no_pickles(tmp_path):
    with ProjectStore(tmp_path / "p.hpt") as store:
        store.save_trial(store.open_study(SPEC), _trial(0))
    db = sqlite3.connect(tmp_path / "p.hpt")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for table, in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
        for row in db.execute(f"SELECT * FROM {table}"):
            assert not any(isinstance(v, bytes) for v in row)


def test_budget_can_grow_but_settings_cannot_change(tmp_path):
    with ProjectStore(tmp_path / "p.hpt") as store:
        store.open_study(SPEC)
        store.open_study(SPEC.with_budget(trials=50, time_limit=None))
        from dataclasses import replace

        with pytest.raises(StoreError, match="different settings .*the seed"):
            store.open_study(replace(SPEC, seed=2))


def test_refuses_a_file_that_is_not_a_project(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("a,b\n1,2\n")
    with pytest.raises(StoreError, match="not an hpt-gui project file"):
        ProjectStore(data)
    assert data.read_text() == "a,b\n1,2\n"


def test_unknown_study_lists_the_known_ones(tmp_path):
    with ProjectStore(tmp_path / "p.hpt") as store:
        store.open_study(SPEC)
        with pytest.raises(StoreError, match="no study named 'x' .*'s'"):
            store.study("x")


def test_a_study_is_run_by_one_process_at_a_time(tmp_path):
    import subprocess
    import sys

    with ProjectStore(tmp_path / "p.hpt") as store:
        store.open_study(SPEC)
    # another live hpt-gui claims it (holding its lock) ...
    sleeper = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from hpt_gui.core.run_lock import RunLock; "
         "lock = RunLock.acquire(sys.argv[1], 's'); print(bool(lock), flush=True); "
         "time.sleep(60)", str(tmp_path / "p.hpt")], stdout=subprocess.PIPE, text=True)
    assert sleeper.stdout.readline().strip() == "True"
    try:
        db = sqlite3.connect(tmp_path / "p.hpt")
        db.execute("UPDATE studies SET owner_pid=?, status='running'", (sleeper.pid,))
        db.commit()
        db.close()
        with ProjectStore(tmp_path / "p.hpt") as store:
            with pytest.raises(StoreError, match=f"being run right now .*process {sleeper.pid}"):
                store.open_study(SPEC)
    finally:
        sleeper.kill()
        sleeper.wait()
    # ... and once it is gone (a crash), the study is taken over
    with ProjectStore(tmp_path / "p.hpt") as store:
        store.open_study(SPEC)
        store.set_status("s", "finished")
        assert store.study("s").status == "finished"


def test_another_programs_database_is_left_alone(tmp_path):
    other = tmp_path / "inventory.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE items (id INTEGER, name TEXT)")
    db.commit()
    db.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="database of another program"):
        ProjectStore(other)
    assert other.read_bytes() == before
    assert not (tmp_path / "inventory.db-wal").exists()


def test_a_version_1_file_becomes_version_2_when_a_study_runs_in_it(tmp_path, monkeypatch):
    """Version 2 may hold CANCELLED trials and a time per trial: once a study runs in an
    old file, an older hpt-gui refuses it with its sentence instead of failing on them."""
    import sqlite3

    from hpt_gui.core import store as store_module
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.study import plan_study

    project = tmp_path / "p.hpt"
    plan = plan_study(data="demo:iris", target="target", model="GaussianNB", cv=3, name="nb")
    run_study(plan, project)
    with sqlite3.connect(project) as db:  # as an older hpt-gui left it
        db.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    db.close()
    with ProjectStore(project) as store:  # read as it is: still version 1
        assert len(store.trials("nb")) == 5  # the default grid of GaussianNB

    def version():
        with sqlite3.connect(project) as db:
            value = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        db.close()
        return value[0]

    assert version() == "1"
    run_study(plan, project)
    assert version() == "2"
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 1)  # an older hpt-gui
    with pytest.raises(StoreError, match="written by a newer hpt-gui"):
        ProjectStore(project)


def test_folding_in_the_wal_leaves_a_project_in_use_alone(tmp_path):
    """The '-wal'/'-shm' files go when their last user is done, never under a reader."""
    from hpt_gui.core.store import fold_in_wal

    path = tmp_path / "p.hpt"
    store = ProjectStore(path)
    fold_in_wal(path)
    assert (tmp_path / "p.hpt-wal").exists()
    assert store.studies() == []
    store.close()
    reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    reader.execute("SELECT count(*) FROM studies").fetchone()
    reader.close()  # a read-only last user leaves them behind
    assert (tmp_path / "p.hpt-wal").exists()
    fold_in_wal(path)
    assert not (tmp_path / "p.hpt-wal").exists() and not (tmp_path / "p.hpt-shm").exists()
