"""A project on a read-only or full disk: a sentence saying what to do, never a traceback,
and a file that is not corrupted (the trials stored before are all there).

Root ignores file modes, and CI may run as root, so each case also has a variant that
makes SQLite itself refuse (a read-only connection, a page limit) instead of the disk.
"""

import hashlib
import os
import sqlite3
import stat

import pytest

import hpt_gui.core.store as store_module
from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.runner import run_study
from hpt_gui.core.store import ProjectStore, StoreError
from hpt_gui.core.study import plan_study

READ_ONLY = "cannot be written (the file or its folder is read-only): copy it somewhere"
FULL = "is full: free some space and run the study again; the trials finished so far are saved"
RUN = ["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
       "--strategy", "grid", "--cv", "3", "--study", "nb"]
_connect = sqlite3.connect


def nb_plan(strategy="grid", trials=None):
    return plan_study(data="demo:iris", target="target", model="GaussianNB", name="nb",
                      strategy=strategy, trials=trials, cv=2 if trials else 3)


@pytest.fixture
def project(tmp_path):
    """A project with a finished study of five trials, in a folder of its own."""
    folder = tmp_path / "projects"
    folder.mkdir()
    path = folder / "p.hpt"
    run_study(nb_plan(), path)
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(path, immutable=False):
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    db = _connect(uri, uri=True)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def viewed(path):
    with ProjectStore(path) as store:
        trials = store.trials("nb")
        return store.read_only, len(trials), trials[0].folds[0].test_score


@pytest.fixture
def sqlite_read_only(monkeypatch):
    """Every connection the store opens is read-only, as for a file nobody may write."""
    def read_only(target, *args, uri=False, **kwargs):
        if not uri:
            target, uri = f"{os.path.abspath(target)}", True
            target = f"file:{target}?mode=ro"
        return _connect(target, *args, uri=uri, **kwargs)

    monkeypatch.setattr(store_module.sqlite3, "connect", read_only)


def test_a_read_only_project_is_viewed_but_not_run(project, sqlite_read_only):
    before = digest(project)
    assert viewed(project)[1:] == (5, pytest.approx(0.96, abs=0.05))
    with pytest.raises(StoreError) as caught:
        run_study(nb_plan(), project)
    assert str(caught.value) == (
        f"The project file '{project}' {READ_ONLY} you can write, or open it to look only.")
    assert digest(project) == before and integrity(project) == "ok"


def test_the_command_line_says_it_in_one_line(project, sqlite_read_only, capsys):
    before = digest(project)
    assert main([*RUN, "--project", str(project)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err  # the study's plan, then the one sentence
    assert "Traceback" not in err and err.count("hpt-gui:") == 1
    assert err.splitlines()[-1].startswith(f"hpt-gui: The project file '{project}' {READ_ONLY}")
    assert digest(project) == before


def test_a_project_in_a_read_only_folder_is_read_as_it_is(project, monkeypatch):
    """A folder nobody may write has no room for the WAL's '-shm' file, so SQLite cannot
    even read the file normally: it is opened immutable, to look at."""
    def folder_read_only(target, *args, uri=False, **kwargs):
        if "immutable=1" not in str(target):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return _connect(target, *args, uri=uri, **kwargs)

    monkeypatch.setattr(store_module.sqlite3, "connect", folder_read_only)
    before = digest(project)
    assert viewed(project) == (True, 5, pytest.approx(0.96, abs=0.05))
    with pytest.raises(StoreError, match="read-only"):
        run_study(nb_plan(), project)
    # ... unless its last changes wait in a WAL file it cannot fold in
    (project.parent / "p.hpt-wal").write_bytes(b"\0" * 32)
    with pytest.raises(StoreError, match="its last changes are still in 'p.hpt-wal'.*copy"):
        viewed(project)
    monkeypatch.undo()
    (project.parent / "p.hpt-wal").unlink()
    assert digest(project) == before and integrity(project) == "ok"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores file modes; the variants above stand in for it")
def test_file_modes_read_only(project):
    folder = project.parent
    before = digest(project)
    project.chmod(0o444)
    folder.chmod(0o555)
    try:
        assert viewed(project) == (True, 5, pytest.approx(0.96, abs=0.05))
        with pytest.raises(StoreError, match="read-only"):
            run_study(nb_plan(), project)
        assert digest(project) == before and integrity(project, immutable=True) == "ok"
        assert sorted(p.name for p in folder.iterdir()) == ["p.hpt"]
    finally:
        folder.chmod(stat.S_IRWXU)
        project.chmod(0o644)


def test_a_full_disk_stops_the_run_and_keeps_what_was_saved(tmp_path, monkeypatch):
    path = tmp_path / "p.hpt"
    run_study(nb_plan("random", trials=2), path)  # the tables exist, two trials in them
    with ProjectStore(path) as store:
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]

    def small_disk(target, *args, **kwargs):  # the file cannot grow past its pages now
        db = _connect(target, *args, **kwargs)
        if not kwargs.get("uri"):
            db.execute(f"PRAGMA max_page_count={pages}")
        return db

    monkeypatch.setattr(store_module.sqlite3, "connect", small_disk)
    with pytest.raises(StoreError) as caught:
        run_study(nb_plan("random", trials=80), path)
    assert str(caught.value) == f"The disk holding '{path}' {FULL}."
    monkeypatch.undo()
    assert integrity(path) == "ok"
    with ProjectStore(path) as store:
        saved = store.trials("nb")
        assert 2 < len(saved) < 80
        assert [t.number for t in saved] == list(range(len(saved)))
        assert all(len(t.folds) == 2 for t in saved)  # each trial whole, or not there
    # space freed: the same command carries on to its budget
    result = run_study(nb_plan("random", trials=80), path)
    assert [t.number for t in result.trials] == list(range(80))
    assert result.trials[: len(saved)] == tuple(saved)


@pytest.mark.parametrize("message, phrase", [
    ("disk I/O error", "a disk I/O error"),
    ("unable to open database file", r"cannot be opened \(its folder is missing"),
])
def test_other_disk_trouble_is_a_sentence_too(tmp_path, monkeypatch, message, phrase):
    path = tmp_path / "p.hpt"
    with ProjectStore(path) as store:
        study = store.open_study(nb_plan().spec)

        class Failing:  # the connection's writes fail as on a failing disk
            def __init__(self, db):
                self._db = db

            def execute(self, sql, *args):
                if sql.startswith("INSERT"):
                    raise sqlite3.OperationalError(message)
                return self._db.execute(sql, *args)

            def __getattr__(self, name):
                return getattr(self._db, name)

        db = store._db
        store._db = Failing(db)
        with pytest.raises(StoreError, match=phrase):
            store.save_results("nb", {"test": 1.0})
        assert not db.in_transaction  # rolled back: the connection is usable again
        store._db = db
        store.set_status("nb", "finished")
        assert store.study("nb").status == "finished" and study == 1
