"""An export killed at any moment over an earlier export leaves the old file or the new
one, complete: never an empty or half-written file. A kill at the wrong moment may leave
a hidden temporary file (``.<name>.<pid>.<random>.tmp``) beside it, which nothing reads."""

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hpt_gui.cli import main
from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import ProjectStore, trial_from_folds

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
TEMPORARY = r"\.out\.csv\.\d+\.[0-9a-f]{8}\.tmp"  # hidden, beside the export


BIG = 8_000  # trials of study "b": writing its CSV takes a good part of an export


def _store_big_study(project: Path) -> None:
    """Study "b": many stored trials (made here, not fitted), so that the moments a kill
    can land while the CSV is being written are many, not a few milliseconds."""
    rng = random.Random(7)
    spec = StudySpec(name="b", data="demo:iris", target="target", model="SVC",
                     space=SearchSpace.from_json({"C": {"type": "float", "low": 0.1,
                                                        "high": 10}}),
                     task="classification", strategy="random", trials=BIG, cv=3,
                     seed=1)
    trials = [trial_from_folds(n, {"C": rng.uniform(0.1, 10)},
                               [FoldResult(n, k, rng.random(), rng.random(), rng.random(),
                                           rng.random()) for k in range(3)], n, n + 1.0)
              for n in range(BIG)]
    with ProjectStore(project) as store:
        store.save_trials(store.open_study(spec), trials)
        store.set_status("b", "finished")


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    """A project with a small and a big study whose trial CSVs differ, each exported once."""
    folder = tmp_path_factory.mktemp("killed")
    project = folder / "p.hpt"
    common = ["--data", "demo:iris", "--cv", "3", "--project", str(project), "--quiet"]
    assert main(["run", *common, "--model", "GaussianNB", "--study", "a"]) == 0
    _store_big_study(project)
    exports = {}
    for study in ("a", "b"):
        assert main(["export", "--project", str(project), "--study", study,
                     "--csv", str(folder / f"{study}.csv")]) == 0
        exports[study] = (folder / f"{study}.csv").read_bytes()
    assert exports["a"] != exports["b"]
    return project, exports


def _leftovers(folder):
    """Files beside the export other than hidden temporary files."""
    return [p.name for p in folder.iterdir()
            if p.name != "out.csv" and not re.fullmatch(TEMPORARY, p.name)]


@POSIX_ONLY
@pytest.mark.slow
def test_an_export_killed_at_random_moments_leaves_the_old_or_the_new_file(studies,
                                                                           tmp_path):
    project, exports = studies
    out = tmp_path / "out.csv"
    out.write_bytes(exports["a"])  # the earlier export

    def start(study):
        return subprocess.Popen(
            [sys.executable, "-m", "hpt_gui", "export", "--project", str(project),
             "--study", study, "--csv", str(out)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    started = time.monotonic()  # how long a whole export of the big study takes here
    assert start("b").wait(timeout=300) == 0
    whole = time.monotonic() - started
    assert out.read_bytes() == exports["b"]

    rng = random.Random(16)
    for _ in range(KILLS):
        current = "a" if out.read_bytes() == exports["a"] else "b"
        other = "b" if current == "a" else "a"  # the export that would change the file
        process = start(other)
        time.sleep(rng.uniform(0, whole))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        after = out.read_bytes()
        assert after in (exports[current], exports[other]), (
            f"killed export left {len(after)} bytes, neither the old nor the new file")
    assert _leftovers(tmp_path) == []  # only hidden temporary files, if any


KILLED_MID_WRITE = """
import os, signal, sys
import pandas as pd
from hpt_gui.cli import main
from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import ProjectStore, trial_from_folds

def half_then_killed(self, path_or_buf=None, *args, **kwargs):
    text = self.unpatched_to_csv(None, *args, **kwargs)
    with open(path_or_buf, "w") as handle:
        handle.write(text[: len(text) // 2])
        handle.flush()
    os.kill(os.getpid(), signal.SIGKILL)

pd.DataFrame.unpatched_to_csv = pd.DataFrame.to_csv
pd.DataFrame.to_csv = half_then_killed
main(sys.argv[1:])
"""


@POSIX_ONLY
def test_an_export_killed_in_the_middle_of_writing_leaves_the_old_file(studies, tmp_path):
    """The moment that matters, hit on purpose rather than by chance: the process dies
    with half the new CSV written."""
    project, exports = studies
    out = tmp_path / "out.csv"
    out.write_bytes(exports["a"])
    done = subprocess.run(
        [sys.executable, "-c", KILLED_MID_WRITE, "export", "--project", str(project),
         "--study", "b", "--csv", str(out)],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert out.read_bytes() == exports["a"]
    assert _leftovers(tmp_path) == []
    assert len(list(tmp_path.iterdir())) == 2  # the export and one hidden temporary file
