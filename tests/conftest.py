"""Test setup shared by core and ui tests: no display needed, Qt renders offscreen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402


def write_mixed_csv(folder, task, n=72):
    """A small table as analysts have them: numbers with gaps and a text column with
    gaps; the target is text classes or a number."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "income": rng.normal(50, 10, n),
        "city": rng.choice(["Lyon", "Paris", "Nice"], n),  # a text column
    })
    noise = rng.normal(0, 10, n)
    if task == "classification":
        frame["y"] = np.where(frame["age"] + noise > 50, "yes", "no")
    else:
        frame["y"] = frame["age"] * 2 + frame["income"] + noise
    frame.loc[::7, "income"] = np.nan
    frame.loc[::9, "city"] = np.nan
    path = folder / f"{task}.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def mixed_csv(tmp_path):
    """``mixed_csv(task, n=72)``: the path of a mixed CSV (see write_mixed_csv)."""
    return lambda task, n=72: write_mixed_csv(tmp_path, task, n)


def _process_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a killed child not yet reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:  # no /proc (macOS): it answered signal 0
        return True


@pytest.fixture
def process_alive():
    """``process_alive(pid)``: does that process still run?"""
    return _process_alive
