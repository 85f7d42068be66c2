"""Killing `hpt-gui run` (kill -9) loses no finished trial; the rerun finishes the budget exactly.

One purposeful end-to-end check with real worker processes: it also proves the workers of a
killed run do not linger.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.skipif(sys.platform != "linux", reason="reads /proc for child processes"),
              pytest.mark.slow]  # kills and reruns real processes: end to end

ARGS = ["run", "--data", "demo:breast_cancer", "--target", "target", "--model",
        "RandomForestClassifier", "--trials", "8", "--cv", "3",
        "--seed", "4", "--jobs", "2", "--study", "rf", "--quiet"]
# Every strategy that learns from earlier trials resumes by replaying them; halving stores
# a rung's pruned trials at once, then runs on with the survivors.
STRATEGIES = {"random": ["--strategy", "random"], "tpe": ["--strategy", "tpe"],
              "evolution": ["--strategy", "evolution", "--population", "4"],
              "halving": ["--strategy", "halving"]}


def _stored(project: Path) -> list[tuple[int, float]]:
    if not project.exists():
        return []
    try:  # read-only: a killed run's write-ahead log is left for the resume to replay
        with sqlite3.connect(f"{project.as_uri()}?mode=ro", uri=True) as db:
            query = "SELECT number, mean_test_score FROM trials ORDER BY number"
            return db.execute(query).fetchall()
    except sqlite3.OperationalError:  # the schema is not written yet
        return []


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found |= {child} | _descendants(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_and_stop(project: Path, how: signal.Signals, extra: list[str] | None = None,
                    ) -> tuple[subprocess.Popen, set[int]]:
    """Start a 2-worker run, wait for two stored trials, send ``how``; return its workers."""
    command = [sys.executable, "-m", "hpt_gui", *ARGS, *(extra or []), "--project",
               str(project)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 240
    workers: set[int] = set()
    while len(_stored(project)) < 2:
        assert process.poll() is None, "the run ended before it could be stopped"
        assert time.monotonic() < deadline, "no trial finished in time"
        workers |= _descendants(process.pid)
        time.sleep(0.1)
    workers |= _descendants(process.pid)
    os.kill(process.pid, how)
    process.wait(timeout=60)
    assert workers, "the run should have started worker processes"
    lingering = set(workers)
    deadline = time.monotonic() + 30
    while lingering and time.monotonic() < deadline:
        lingering = {pid for pid in lingering if _alive(pid)}
        time.sleep(0.2)
    assert not lingering, f"worker processes outlived the stopped run: {lingering}"
    return process, workers


def test_terminate_ends_workers_and_says_how_to_continue(tmp_path):
    process, _ = _start_and_stop(tmp_path / "p.hpt", signal.SIGTERM, STRATEGIES["random"])
    assert process.returncode == 130
    assert process.stderr.read().strip() == (
        "hpt-gui: Interrupted. Finished trials are saved; run the same command again to "
        "continue."
    )
    with sqlite3.connect(tmp_path / "p.hpt") as db:
        assert db.execute("SELECT status FROM studies").fetchone()[0] == "interrupted"


# The learning strategies also run on a table with gaps and a text column, one for classes
# and one for numbers: the data as the acceptance asks for it.
MIXED = {"tpe": ("classification", "RandomForestClassifier"),
         "evolution": ("regression", "RandomForestRegressor"),
         "halving": ("regression", "RandomForestRegressor")}


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_kill_minus_nine_then_rerun(tmp_path, mixed_csv, strategy):
    project = tmp_path / "p.hpt"
    extra = list(STRATEGIES[strategy])
    if strategy in MIXED:
        task, model = MIXED[strategy]
        data = mixed_csv(task, 3000)
        extra += ["--data", str(data), "--target", "y", "--model", model]
    command = [sys.executable, "-m", "hpt_gui", *ARGS, *extra, "--project", str(project)]
    _start_and_stop(project, signal.SIGKILL, extra)
    before = dict(_stored(project))
    assert 2 <= len(before) < 8

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    after = dict(_stored(project))
    assert sorted(after) == list(range(8))
    for number, score in before.items():
        assert after[number] == score


def test_forty_trials_killed_at_random_moments(tmp_path, mixed_csv):
    """Issue 6: kill -9 a 40-trial study three times at random moments (mid-fit or
    mid-commit), resume it each time: every finished trial survives unchanged, the file
    passes SQLite's integrity check, numbers are unique, the budget is met exactly."""
    seed = int(time.time())  # a different moment each run; the seed is in every message
    rng = random.Random(seed)
    project = tmp_path / "p.hpt"
    data = mixed_csv("classification", 400)
    command = [sys.executable, "-m", "hpt_gui", "run", "--data", str(data), "--target", "y",
               "--model", "KNeighborsClassifier", "--strategy", "random", "--trials", "40",
               "--cv", "3", "--seed", "1", "--jobs", "1", "--quiet", "--project",
               str(project)]
    stored: dict[int, float] = {}
    for kill in range(3):
        at = len(stored) + rng.randint(1, 8)  # after this many are stored
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while len(_stored(project)) < at and process.poll() is None:
            assert time.monotonic() < deadline, f"seed {seed}: no progress"
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        process.kill()
        process.wait(timeout=60)
        assert process.returncode != 0, f"seed {seed}: the run ended before kill {kill + 1}"
        survived = _checked(project, seed)
        for number, score in stored.items():
            assert survived[number] == score, f"seed {seed}: trial {number} changed"
        assert len(survived) < 40
        stored = survived
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    final = _checked(project, seed)
    assert sorted(final) == list(range(40)), f"seed {seed}"
    assert all(final[number] == score for number, score in stored.items())


def _checked(project: Path, seed: int) -> dict[int, float]:
    """The stored trials, after checking the file's integrity and the numbers' uniqueness."""
    # read-only: the killed run's write-ahead log is left for the resume to replay
    with sqlite3.connect(f"{project.as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"seed {seed}"
        numbers = [n for (n,) in db.execute("SELECT number FROM trials")]
        assert len(numbers) == len(set(numbers)), f"seed {seed}: a trial number twice"
        folds = db.execute("SELECT COUNT(*) FROM folds").fetchone()[0]
        assert folds == 3 * len(numbers), f"seed {seed}: a trial without all its folds"
    return dict(_stored(project))
