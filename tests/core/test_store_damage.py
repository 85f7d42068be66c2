"""A project another program holds locked, or a damaged one: a sentence naming what is
wrong (exit 2, no traceback), soon, and the studies left as they were."""

import os
import sqlite3
import time

import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.store import ProjectBusy, ProjectDamaged, ProjectStore

RUN = ["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
       "--strategy", "grid", "--cv", "2", "--study", "nb", "--quiet", "--project"]


@pytest.fixture
def project(tmp_path):
    """A project with one finished study of 1 trial (GaussianNB's grid) and a second."""
    path = tmp_path / "p.hpt"
    assert main([*RUN, str(path)]) == 0
    assert main([*RUN[:-3], "other", "--quiet", "--project", str(path)]) == 0
    return path


def _statuses(path):
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT name, status, owner_pid FROM studies ORDER BY id").fetchall()
    finally:
        db.close()


def _one_sentence(capsys, *phrases):
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("hpt-gui:") == 1, err
    for phrase in phrases:
        assert phrase in err, err
    for raw in ("IntegrityError", "JSONDecodeError", "DatabaseError", "OperationalError",
                "unexpected error"):
        assert raw not in err, err
    return err


def test_a_project_another_program_holds_locked_is_a_sentence_within_seconds(project,
                                                                              capsys):
    other = sqlite3.connect(project, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        capsys.readouterr()
        started = time.monotonic()
        assert main([*RUN, str(project)]) == EXIT_BAD_INPUT
        assert time.monotonic() - started < 20  # it waited about 5 s, not 30
        _one_sentence(capsys, "Another program has the project file", "close it, or try "
                      "again")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _statuses(project) == [("nb", "finished", None), ("other", "finished", None)]
    with ProjectStore(project) as store:  # and the study is free again
        assert store.running_elsewhere() == []


def test_a_write_refused_by_a_lock_is_project_busy(project):
    other = sqlite3.connect(project, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with ProjectStore(project) as store, pytest.raises(ProjectBusy):
            store.drop_cancelled("nb")
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_file_of_random_bytes_is_named(tmp_path, capsys):
    path = tmp_path / "p.hpt"
    noise = os.urandom(5000)
    path.write_bytes(noise)
    assert main([*RUN, str(path)]) == EXIT_BAD_INPUT
    _one_sentence(capsys, "is not an hpt-gui project file, or it is damaged")
    assert path.read_bytes() == noise


def test_a_truncated_project_is_named_and_left_alone(project, capsys):
    cut = project.read_bytes()[:len(project.read_bytes()) // 2]
    project.write_bytes(cut)
    capsys.readouterr()
    assert main([*RUN, str(project)]) == EXIT_BAD_INPUT
    _one_sentence(capsys, "is damaged: part of it cannot be read (database disk image is "
                  "malformed)")
    assert project.read_bytes() == cut


def test_a_damaged_page_of_trials_stops_the_run_before_it_writes(project, capsys):
    db = sqlite3.connect(project)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    (page,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name='trials'").fetchone()
    db.close()
    with project.open("r+b") as handle:  # the trials table's first page, scribbled over
        handle.seek((page - 1) * page_size)
        handle.write(b"\xff" * page_size)
    capsys.readouterr()
    assert main([*RUN, str(project)]) == EXIT_BAD_INPUT
    _one_sentence(capsys, "is damaged")
    assert _statuses(project) == [("nb", "finished", None), ("other", "finished", None)]


def test_a_study_whose_settings_cannot_be_read_is_named(project, capsys):
    with sqlite3.connect(project) as db:
        db.execute("UPDATE studies SET spec_json='{not json' WHERE name='nb'")
    db.close()
    capsys.readouterr()
    assert main([*RUN, str(project)]) == EXIT_BAD_INPUT
    _one_sentence(capsys, "is damaged: the study 'nb' has settings that cannot be read")
    assert _statuses(project) == [("nb", "finished", None), ("other", "finished", None)]
    with ProjectStore(project) as store:
        assert store.study("other").status == "finished"  # the other study still reads
        with pytest.raises(ProjectDamaged, match="the study 'nb' has settings"):
            store.studies()


def test_contradicting_records_stop_the_run_and_leave_the_study_as_it_was(project,
                                                                         capsys):
    """A trial deleted without its folds (by a tool, or damage): running it again would
    store folds twice."""
    with sqlite3.connect(project) as db:
        db.execute("DELETE FROM trials WHERE number = (SELECT max(number) FROM trials)")
    db.close()
    capsys.readouterr()
    assert main([*RUN, str(project)]) == EXIT_BAD_INPUT
    _one_sentence(capsys, "is damaged: it holds records that contradict each other "
                  "(UNIQUE constraint failed: folds.trial_id, folds.fold)")
    assert _statuses(project) == [("nb", "finished", None), ("other", "finished", None)]


def test_trials_that_cannot_be_read_are_named(project):
    with sqlite3.connect(project) as db:
        db.execute("UPDATE trials SET params_json='{oops' WHERE study_id = 1")
    db.close()
    with ProjectStore(project) as store, pytest.raises(
            ProjectDamaged, match="the study 'nb' has trials that cannot be read"):
        store.trials("nb")


def test_settings_and_trials_nested_too_deeply_are_damage_not_recursion_errors(project,
                                                                             capsys):
    deep = "[" * 100_000 + "]" * 100_000
    with sqlite3.connect(project) as db:
        db.execute("UPDATE studies SET spec_json=? WHERE name='nb'", (deep,))
        db.execute("UPDATE trials SET params_json=? WHERE study_id = 2", (deep,))
    db.close()
    capsys.readouterr()
    assert main([*RUN, str(project)]) == EXIT_BAD_INPUT
    _one_sentence(capsys, "the study 'nb' has settings that cannot be read (it is nested "
                  "too deeply)")
    assert "RecursionError" not in capsys.readouterr().err
    with ProjectStore(project) as store, pytest.raises(
            ProjectDamaged, match="has trials that cannot be read .it is nested too deeply"):
        store.trials("other")
