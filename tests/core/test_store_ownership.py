"""Who runs a study: a lock the system drops with its owner, not a process id that the
system hands to the next program after a crash."""

import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import ProjectStore, StoreError, StudyRunningElsewhere

SPEC = StudySpec(name="s", data="demo:iris", target="target", model="SVC",
                 space=SearchSpace.from_json({"C": {"type": "float", "low": 0.1, "high": 10}}),
                 task="classification", strategy="grid", cv=2, seed=1)

# A second hpt-gui running the study: it holds the study's lock, as open_study does.
HOLD = ("import sys, time\n"
        "from hpt_gui.core.run_lock import RunLock\n"
        "lock = RunLock.acquire(sys.argv[1], sys.argv[2])\n"
        "print('held' if lock else 'refused', flush=True)\n"
        "time.sleep(60)\n")


def _holder(project, study):
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(project), study],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def _sleeper():
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def _record_owner(project, pid, host=None, quiet_for=0.0):
    """As a run leaves the study when its process dies or while it runs."""
    with sqlite3.connect(project) as db:
        db.execute("UPDATE studies SET status='running', owner_pid=?, owner_host=?, "
                   "updated_at=?", (pid, host or socket.gethostname(), time.time() - quiet_for))
    db.close()


def _status(project):
    with sqlite3.connect(project) as db:
        rows = db.execute("SELECT name, status FROM studies ORDER BY id").fetchall()
    db.close()
    return rows


@pytest.fixture
def project(tmp_path):
    with ProjectStore(tmp_path / "p.hpt") as store:
        store.open_study(SPEC)
        store.set_status("s", "interrupted")
    return tmp_path / "p.hpt"


def test_a_process_given_a_dead_owners_id_is_not_taken_for_it(project):
    """After a crash the owner's process id went to another program (alive, holding no
    lock): the study is the crashed run's, and the next run takes it over."""
    stranger = _sleeper()
    try:
        _record_owner(project, stranger.pid)
        with ProjectStore(project) as store:
            assert store.running_elsewhere() == []
            store.open_study(SPEC)
            store.set_status("s", "finished")
    finally:
        stranger.kill()
        stranger.wait()
    assert _status(project) == [("s", "finished")]


def test_a_live_owner_holding_the_lock_is_refused_until_it_ends(project):
    holder = _holder(project, "s")
    try:
        _record_owner(project, holder.pid)
        with ProjectStore(project) as store:
            assert store.running_elsewhere() == [("s", holder.pid, socket.gethostname())]
            with pytest.raises(StudyRunningElsewhere,
                               match=f"being run right now .*process {holder.pid}") as caught:
                store.open_study(SPEC)
            assert not caught.value.can_take_over  # provably running: never taken over
            assert not store.can_take_over("s")
            with pytest.raises(StudyRunningElsewhere):
                store.take_over("s")
        assert _status(project) == [("s", "running")]
    finally:
        holder.kill()
        holder.wait()
    with ProjectStore(project) as store:  # its end freed the lock: taken over
        assert store.running_elsewhere() == []
        store.open_study(SPEC)
        store.set_status("s", "finished")


def test_a_study_is_claimed_by_one_store_at_a_time_and_its_lock_file_goes(project):
    from hpt_gui.core.run_lock import lock_path

    with ProjectStore(project) as first, ProjectStore(project) as second:
        first.open_study(SPEC)
        first.open_study(SPEC)  # the same store again: still its own
        assert lock_path(project, "s").exists()
        with pytest.raises(StudyRunningElsewhere, match="being run right now"):
            second.open_study(SPEC)
        first.set_status("s", "finished")
        assert not lock_path(project, "s").exists()
        second.open_study(SPEC)
        second.set_status("s", "finished")
    # a leftover of a crash (a file no one holds) is harmless, and removed
    lock_path(project, "s").write_text("")
    with ProjectStore(project) as store:
        store.open_study(SPEC)
        store.set_status("s", "finished")
    assert not lock_path(project, "s").exists()
    assert sorted(p.name for p in project.parent.iterdir()) == ["p.hpt"]


def test_a_run_on_another_computer_is_taken_over_only_when_asked(project):
    _record_owner(project, 4242, host="another-computer")
    with ProjectStore(project) as store:
        assert store.running_elsewhere() == [("s", 4242, "another-computer")]
        assert store.can_take_over("s")
        with pytest.raises(StudyRunningElsewhere, match="another computer .*cannot tell.*"
                           "if you are sure no other hpt-gui runs it.*--take-over") as caught:
            store.open_study(SPEC)
        assert caught.value.can_take_over
        assert store.take_over("s") == 1
        store.open_study(SPEC)
        store.set_status("s", "finished")
    # six hours without a stored trial: abandoned, as before
    _record_owner(project, 4242, host="another-computer", quiet_for=7 * 3600)
    with ProjectStore(project) as store:
        assert not store.can_take_over("s")
        store.open_study(SPEC)


def test_the_command_line_offers_and_does_the_take_over(tmp_path, capsys):
    project = tmp_path / "p.hpt"
    run = ["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
           "--strategy", "grid", "--cv", "2", "--study", "nb", "--project", str(project),
           "--quiet"]
    assert main(run) == 0
    _record_owner(project, 4242, host="another-computer")
    capsys.readouterr()
    assert main(run) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("hpt-gui:") == 1
    assert "add --take-over" in err or "--take-over on the command line" in err
    assert _status(project) == [("nb", "running")]
    assert main([*run, "--take-over"]) == 0
    assert _status(project) == [("nb", "finished")]


def test_the_command_line_runs_a_study_whose_owner_id_went_to_a_stranger(tmp_path, capsys):
    project = tmp_path / "p.hpt"
    run = ["run", "--data", "demo:iris", "--target", "target", "--model", "GaussianNB",
           "--strategy", "grid", "--cv", "2", "--study", "nb", "--project", str(project),
           "--quiet"]
    assert main(run) == 0
    stranger = _sleeper()
    try:
        _record_owner(project, stranger.pid)
        assert main(run) == 0, capsys.readouterr().err
    finally:
        stranger.kill()
        stranger.wait()
    assert _status(project) == [("nb", "finished")]


def test_take_over_cannot_take_a_study_run_here(project, capsys):
    holder = _holder(project, "s")
    try:
        _record_owner(project, holder.pid)
        with ProjectStore(project) as store, pytest.raises(StoreError, match="right now"):
            store.take_over("s")
    finally:
        holder.kill()
        holder.wait()
