"""``kill`` (SIGTERM) on ``hpt-gui run`` just as its worker pool starts: the run stops
cleanly. Raised in the middle of starting the workers, the interrupt left a half-started
worker behind that printed loky's "LokyProcess-1 failed with traceback" (its semaphore
already removed) after the run had ended."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hpt_gui.cli import EXIT_INTERRUPTED
from hpt_gui.core.interrupts import stop_now_or_soon, uninterrupted

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no SIGTERM to send")

TERMINATED_AS_THE_POOL_STARTS = """
import os, signal, sys
from joblib.externals.loky.backend.process import LokyProcess

start_worker = LokyProcess.start

def terminated_as_it_starts(self):
    start_worker(self)
    os.kill(os.getpid(), signal.SIGTERM)  # handled here: before the pool notes the worker

LokyProcess.start = terminated_as_it_starts
from hpt_gui.cli import main
sys.exit(main(["run", "--data", "demo:iris", "--model", "DecisionTreeClassifier",
               "--strategy", "random", "--trials", "20", "--jobs", "2", "--quiet",
               "--project", sys.argv[1]]))
"""


def test_terminate_while_the_workers_start_leaves_no_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", TERMINATED_AS_THE_POOL_STARTS, str(tmp_path / "p.hpt")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=180,
        check=False)  # read to the end: also what a lingering worker prints
    assert done.returncode == EXIT_INTERRUPTED, done.stdout
    for sign in ("Traceback", "leaked", "resource_tracker"):
        assert sign not in done.stdout, done.stdout


def test_a_stop_asked_for_inside_an_uninterrupted_step_comes_after_it():
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with uninterrupted():
            stop_now_or_soon()
            steps.append("finished")
    assert steps == ["finished"]
    with pytest.raises(KeyboardInterrupt):
        stop_now_or_soon()  # outside: at once
    with uninterrupted():
        pass  # nothing left over
