"""Reading a study built for 100,000 trials: the records equal what was saved, to the last
digit of every score, whatever the folds hold; the folds are read only when first used, for
the whole study at once; the bench (bench/views_scale.py) times it."""

import copy
import dataclasses
import math
import pickle
import random
import threading

import pytest

from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import (
    ProjectStore,
    StoreError,
    TrialRecord,
    TrialState,
    _FoldLoader,
    trial_from_folds,
)


def _spec(name):
    return StudySpec(name=name, data="demo:iris", target="target", model="SVC",
                     space=SearchSpace.from_json({"C": {"type": "float", "low": 0.1,
                                                        "high": 10}}),
                     task="classification", strategy="grid", cv=5, seed=1)


def _fold(number, k, rng, *, error=None, warning=None, test=True, train=True):
    scale = rng.choice([1e-3, 1.0, 1e4])
    return FoldResult(number, k, rng.gauss(0.5, 0.3) * scale if test and not error else None,
                      rng.gauss(0.6, 0.3) * scale if train and not error else None,
                      rng.random(), rng.random() / 10, error=error, warning=warning)


def _odd_trials():
    """Every shape a stored trial takes: failed folds, missing scores, few or no folds."""
    rng = random.Random(3)
    params = [{"C": 0.5, "kernel": "rbf"}, {"C": None, "deep": {"a": [1, 2.5, "x"]}},
              {"flag": True, "n": 3}, {}]
    trials = []
    for n in range(24):
        kind = n % 8
        if kind == 0:  # all folds scored
            folds = [_fold(n, k, rng) for k in range(5)]
        elif kind == 1:  # one fold failed: the trial failed, with that fold's error
            folds = [_fold(n, k, rng, error="ValueError: bad" if k == 2 else None)
                     for k in range(5)]
        elif kind == 2:  # every fold failed
            folds = [_fold(n, k, rng, error="MemoryError") for k in range(3)]
        elif kind == 3:  # complete, but a fold has no validation score, one no train score
            folds = [_fold(n, 0, rng, test=False), _fold(n, 1, rng, train=False),
                     _fold(n, 2, rng)]
        elif kind == 4:  # complete, no scores at all
            folds = [_fold(n, k, rng, test=False, train=False) for k in range(2)]
        elif kind == 5:  # warnings, ten folds, saved out of order
            folds = [_fold(n, k, rng, warning="ConvergenceWarning: no") for k in range(10)]
            rng.shuffle(folds)
        elif kind == 6:  # no fold at all
            folds = []
        else:  # infinite scores survive the file (their std, NaN, does not: see below)
            folds = [_fold(n, k, rng) for k in range(4)]
            folds[1] = dataclasses.replace(folds[1], test_score=math.inf)
        trial = trial_from_folds(n, params[n % len(params)], folds, 10.0 + n, 11.0 + n)
        if n in (12, 16):  # pruned: no mean, scored folds or not
            trial = dataclasses.replace(trial, state=TrialState.PRUNED)
        trials.append(trial)
    return trials


def _plain(trial):
    """The same record made the ordinary way (so its properties compute from its folds)."""
    return TrialRecord(trial.number, trial.state, trial.params, tuple(trial.folds),
                       trial.started_at, trial.finished_at, trial.error)


STORED = ("mean_test_score", "std_test_score", "mean_train_score", "std_train_score",
          "mean_fit_time")  # read from the trials table, not computed from the folds
PROPERTIES = (*STORED, "test_scores", "train_scores")


def _same_numbers(a, b):
    return a == b or (isinstance(a, float) and isinstance(b, float)
                      and math.isnan(a) and math.isnan(b))


def _as_stored(value):
    """SQLite stores NaN as NULL: a NaN mean or std reads back as None."""
    return None if isinstance(value, float) and math.isnan(value) else value


def _saved(path, *studies):
    """A project holding these studies (name -> trials); returns the path."""
    with ProjectStore(path) as store:
        for name, trials in studies:
            study = store.open_study(_spec(name))
            for trial in trials:
                store.save_trial(study, trial)
    return path


def _simple_trials(count, start=0):
    """Trials ``start`` to ``start + count - 1``, each the same whatever the range."""
    return [trial_from_folds(n, {"C": n}, [_fold(n, k, random.Random(n * 10 + k))
                                           for k in range(5)], 0.0, 1.0)
            for n in range(start, start + count)]


def _loader(trials) -> _FoldLoader:
    """The loader the records of one ``trials`` call share."""
    (loader,) = {id(t._loader): t._loader for t in trials}.values()
    return loader


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # std of an inf score
def test_read_trials_equal_the_saved_ones_to_the_last_digit(tmp_path):
    saved = _odd_trials()
    other = [trial_from_folds(n, {"x": n}, [FoldResult(n, 0, 0.1, 0.2, 0.0, 0.0)], 0.0, 1.0)
             for n in range(len(saved))]
    with ProjectStore(tmp_path / "p.hpt") as store:
        first, second = store.open_study(_spec("a")), store.open_study(_spec("b"))
        for mine, theirs in zip(reversed(saved), other, strict=True):  # interleaved ids
            store.save_trial(first, mine)
            store.save_trial(second, theirs)
    with ProjectStore(tmp_path / "p.hpt") as store:
        read = store.trials("a")
        assert store.trials("b") == other
    assert [t.number for t in read] == sorted(t.number for t in saved)
    for got, want in zip(read, sorted(saved, key=lambda t: t.number), strict=True):
        assert got == want and want == got and got.folds == want.folds
        assert got.folds == tuple(sorted(want.folds, key=lambda f: f.fold))
        for fold, made in zip(got.folds, sorted(want.folds, key=lambda f: f.fold), strict=True):
            assert type(fold) is FoldResult and vars(fold) == vars(made)
            assert list(vars(fold)) == list(vars(made)) and repr(fold) == repr(made)
        for name in PROPERTIES:
            value, expected = getattr(got, name), getattr(_plain(want), name)
            if name in STORED:
                expected = _as_stored(expected)
            assert _same_numbers(value, expected), (got.number, name, value, expected)
            if isinstance(expected, float):
                assert type(value) is float


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # std of an inf score
def test_stored_means_are_the_properties_for_every_shape_but_nan(tmp_path):
    """The means and stds come from the trials table: the values the properties gave when
    the trial was saved, for every shape of trial; only NaN (from an infinite score, which
    a real fold never keeps) cannot be stored and reads as None."""
    saved = _odd_trials()
    with ProjectStore(_saved(tmp_path / "p.hpt", ("a", saved))) as store:
        read = store.trials("a")
    for got, want in zip(read, saved, strict=True):
        for name in STORED:
            stored, computed = getattr(got, name), getattr(want, name)
            if got.number % 8 == 7 and name == "std_test_score":  # inf in the scores
                assert math.isnan(computed) and stored is None
                continue
            assert stored == computed and type(stored) is type(computed), (got.number, name)
    assert "folds" not in vars(read[0])  # none of that needed the folds
    kinds = {t.number % 8: t for t in read}
    assert kinds[7].mean_test_score == math.inf
    assert kinds[6].folds == () and kinds[6].mean_fit_time is None  # no fold at all
    assert kinds[4].mean_test_score is None and kinds[4].mean_fit_time is not None
    assert read[12].state is TrialState.PRUNED and read[12].mean_test_score is None


def test_scores_are_numpys_to_the_last_digit_for_many_fold_counts(tmp_path):
    rng = random.Random(7)
    saved = []
    for n in range(150):
        folds = [_fold(n, k, rng) for k in range(rng.choice([2, 3, 5, 8, 9, 16]))]
        saved.append(trial_from_folds(n, {"C": rng.random()}, folds, 0.0, 1.0))
    with ProjectStore(tmp_path / "p.hpt") as store:
        study = store.open_study(_spec("a"))
        for trial in saved:
            store.save_trial(study, trial)
        read = store.trials("a")
    for got, want in zip(read, saved, strict=True):
        for name in PROPERTIES[:4]:
            assert getattr(got, name) == getattr(want, name), (got.number, name)


def test_a_read_trial_behaves_as_a_trial_record(tmp_path):
    saved = _odd_trials()[:2]
    with ProjectStore(tmp_path / "p.hpt") as store:
        study = store.open_study(_spec("a"))
        for trial in saved:
            store.save_trial(study, trial)
        got = store.trials("a")[0]
    want = saved[0]
    assert isinstance(got, TrialRecord)
    assert repr(got) == repr(want)
    assert got.folds is got.folds  # made once
    for copied in (pickle.loads(pickle.dumps(got)), copy.copy(got), copy.deepcopy(got)):
        assert type(copied) is TrialRecord and copied == want
    assert dataclasses.asdict(got) == dataclasses.asdict(want)
    changed = dataclasses.replace(got, folds=want.folds[:2])
    assert changed.mean_test_score == _plain(changed).mean_test_score
    assert changed != got
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.number = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.anything = 5  # type: ignore[attr-defined]
    with pytest.raises(TypeError):  # like a TrialRecord: its params are a dict
        hash(got)
    assert got != saved[1] and got != "trial"


def test_an_empty_study(tmp_path):
    with ProjectStore(tmp_path / "p.hpt") as store:
        store.open_study(_spec("a"))
        assert store.trials("a") == []


def test_the_first_trials_asked_are_read_one_by_one(tmp_path):
    """A selected row or the best trial's standard error reads a few rows, not the study."""
    saved = _simple_trials(30)
    path = _saved(tmp_path / "p.hpt", ("a", saved), ("b", _simple_trials(5, start=50)))
    with ProjectStore(path) as store:
        read = store.trials("a")
    loader = _loader(read)
    assert [read[i].folds for i in (3, 17, 29)] == [saved[i].folds for i in (3, 17, 29)]
    assert loader.reads == 0  # no whole-study read yet
    assert read == saved


def test_the_folds_are_read_on_first_use_for_the_whole_study(tmp_path, monkeypatch):
    monkeypatch.setattr(_FoldLoader, "ONE_BY_ONE", 0)
    saved = _simple_trials(30)
    other = _simple_trials(30, start=100)
    path = tmp_path / "p.hpt"
    with ProjectStore(path) as store:  # the two studies' trials interleaved in the file
        first, second = store.open_study(_spec("a")), store.open_study(_spec("b"))
        for mine, theirs in zip(saved, other, strict=True):
            store.save_trial(first, mine)
            store.save_trial(second, theirs)
    with ProjectStore(path) as store:
        read = store.trials("a")
    loader = _loader(read)
    assert loader.reads == 0 and not any("folds" in vars(t) for t in read)
    for trial in read:  # what the table shows needs no fold
        for name in STORED:
            getattr(trial, name)
    assert loader.reads == 0
    assert read[7].folds == saved[7].folds  # the first use reads the study's folds ...
    assert loader.reads == 1
    assert [t.folds for t in read] == [t.folds for t in saved]  # ... and only once
    assert read == saved and loader.reads == 1


def test_a_record_read_before_more_trials_were_saved_still_gets_its_folds(tmp_path):
    path = _saved(tmp_path / "p.hpt", ("a", _simple_trials(10)), ("b", _simple_trials(3)))
    with ProjectStore(path) as store:
        read = store.trials("a")
        study = store.study("a").id
        for trial in _simple_trials(5, start=10):
            store.save_trial(study, trial)
        store.save_trial(store.study("b").id, _simple_trials(1, start=3)[0])
    assert read == _simple_trials(10)
    assert _loader(read).folds(12) == ()  # only the trials read are served
    with ProjectStore(path) as store:
        assert store.trials("a") == _simple_trials(10) + _simple_trials(5, start=10)


def test_two_threads_wait_for_one_reading_and_get_the_same_folds(tmp_path, monkeypatch):
    monkeypatch.setattr(_FoldLoader, "ONE_BY_ONE", 0)
    path = _saved(tmp_path / "p.hpt", ("a", _simple_trials(20)))
    with ProjectStore(path) as store:
        read = store.trials("a")
    reading = _FoldLoader._read_all
    started = threading.Event()

    def slow_read(self):
        started.set()
        threading.Event().wait(0.2)  # the other thread asks meanwhile
        return reading(self)

    monkeypatch.setattr(_FoldLoader, "_read_all", slow_read)
    got = {}

    def touch(name, order):
        got[name] = [read[i].folds for i in order]

    threads = [threading.Thread(target=touch, args=("up", range(20))),
               threading.Thread(target=touch, args=("down", reversed(range(20))))]
    threads[0].start()
    started.wait(5)
    threads[1].start()
    for thread in threads:
        thread.join(10)
    assert _loader(read).reads == 1
    down = list(reversed(got["down"]))
    assert all(a is b for a, b in zip(got["up"], down, strict=True))
    assert all(t.folds is f for t, f in zip(read, got["up"], strict=True))
    assert got["up"] == [t.folds for t in _simple_trials(20)]


def test_the_folds_are_read_read_only_even_while_another_connection_writes(tmp_path):
    path = _saved(tmp_path / "my project #1 %20.hpt", ("a", _simple_trials(8)))  # a URI
    with ProjectStore(path) as store:
        read = store.trials("a")
    assert not path.with_name(path.name + "-wal").exists()  # checkpointed and closed
    before = path.read_bytes()
    assert read == _simple_trials(8)
    assert path.read_bytes() == before  # (its -wal and -shm may be made: WAL needs them)

    with ProjectStore(path) as writer:  # saved, not yet checkpointed: in the -wal only
        writer.save_trial(writer.study("a").id, _simple_trials(1, start=8)[0])
        read = writer.trials("a")
        writer._db.execute("BEGIN IMMEDIATE")  # and another trial being written
        writer._db.execute("UPDATE folds SET test_score=0 WHERE trial_id=1")
        before = path.read_bytes()
        assert read == _simple_trials(9)  # the committed folds, the last from the -wal
        assert path.read_bytes() == before
        writer._db.execute("ROLLBACK")


def test_a_project_file_gone_when_the_folds_are_first_used_says_so(tmp_path):
    path = _saved(tmp_path / "p.hpt", ("a", _simple_trials(3)))
    with ProjectStore(path) as store:
        read = store.trials("a")
    kept = path.read_bytes()
    path.unlink()
    assert read[0].mean_test_score == _simple_trials(3)[0].mean_test_score  # still shown
    with pytest.raises(StoreError, match="'.*p.hpt' could not be read again to show the "
                                         "folds: unable to open database file"):
        read[0].folds  # noqa: B018
    path.write_text("not a project")
    with pytest.raises(StoreError, match="could not be read again to show the folds"):
        read[1].folds  # noqa: B018
    path.write_bytes(kept)  # back again: the next use reads it
    assert read == _simple_trials(3)
