"""The exported script carries every name as data, never as code.

Names come from the analyst (the study's name, the scoring, model parameters) and from
the data (file name, column names, class labels). Each case below puts hostile names
(quotes, triple quotes, backslashes, ``\\N``, newlines, carriage returns, NUL, non-ASCII,
braces, ``#``, and text that creates a marker file if it ever runs as code) in every field
the script writes, then checks that the script compiles, holds each name exactly, runs,
reproduces the stored score, and creates no marker file.
"""

from __future__ import annotations

import ast
import io
import runpy
import subprocess
import sys
import tokenize
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core.catalog import get_model
from hpt_gui.core.export import write_script
from hpt_gui.core.python_literal import python_literal
from hpt_gui.core.runner import run_study
from hpt_gui.core.store import ProjectStore
from hpt_gui.core.study import plan_study

MARKER = "PWNED"
# Each creates the marker file if the text ever runs as code, whichever quotes wrap it.
ESCAPE_TRIPLE_DOUBLE = 'x"""; open("PWNED","w"); """'
ESCAPE_LINES = 'x"""\n__import__("pathlib").Path("PWNED").touch()\n"""'
ESCAPE_SINGLE = "x'\n__import__('pathlib').Path('PWNED').touch()\n'"
ESCAPE_TRIPLE_SINGLE = "x'''\n__import__('pathlib').Path('PWNED').touch()\n'''"
# The same without ';' or ',', which a CSV header would split on.
ESCAPE_CSV = ESCAPE_LINES
# Odd but harmless text that breaks naive quoting.
ODD = ["q'\"", "b\\", "site\\N", "c\\x00", "n\nl", "é 中 😀", "{x} {}", "# h"]
N = 48


def _labels(values: np.ndarray, rng: np.random.Generator, yes: str, no: str) -> np.ndarray:
    noisy = values + rng.normal(0, 0.7, len(values))
    return np.where(noisy > np.median(noisy), yes, no)


def _hostile_file(folder: Path, suffix: str) -> Path:
    """A file name with every hostile character the file system allows."""
    name = "d 'q' \"dq\" ''' \\N \\x00 \n\r é中😀 {} # " + ESCAPE_CSV.replace("/", "")
    try:
        path = folder / (name + suffix)
        path.touch()
        return path
    except OSError:  # Windows refuses quotes, newlines and more in file names
        return folder / ("d 'q' é中😀 {} #" + suffix)


def _study(data: Path, target: str, model: str, params: dict[str, Any], name: str,
           folder: Path, **plan: Any) -> tuple[Any, Any, Path]:
    """Run a one-trial study and export its script: (spec, trial, script)."""
    plan_ = plan_study(data=data, target=target, model=model, strategy="manual",
                       manual_params=params, cv=3, seed=3, name=name, **plan)
    project = folder / "p.hpt"
    run_study(plan_, project)
    with ProjectStore(project) as store:
        spec, trials = store.study(name).spec, store.trials(name)
    assert trials[0].error in (None, ""), trials[0].error
    return spec, trials[0], write_script(spec, trials, folder / "rebuild.py")


def _check_source(script: Path) -> None:
    """It compiles, and neither its docstring nor its comments hold a name."""
    source = script.read_text(encoding="utf-8")
    compile(source, str(script), "exec")
    assert MARKER not in (ast.get_docstring(ast.parse(source)) or "")
    comments = [token.string for token in tokenize.generate_tokens(io.StringIO(source).readline)
                if token.type == tokenize.COMMENT]
    assert not [c for c in comments if MARKER in c]


def _constants(script: Path, monkeypatch: Any, folder: Path) -> dict[str, Any]:
    """The script's top-level names, read without running ``main``."""
    monkeypatch.chdir(folder)
    return runpy.run_path(str(script), run_name="hostile_names_check")


def _run(script: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run it as the analyst would, in an empty folder (as the parity tests run scripts)."""
    folder.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, check=False, cwd=folder)


def _mean_score(stdout: str) -> float:
    line = next(x for x in stdout.splitlines() if x.startswith("mean validation"))
    return float(line.rsplit(":", 1)[1])


def _no_marker(*folders: Path) -> None:
    for folder in (*folders, Path.cwd()):
        assert not (folder / MARKER).exists(), f"a name ran as code in {folder}"


def test_hostile_names_in_a_csv_study(tmp_path: Path, monkeypatch: Any) -> None:
    """File name, study name, target, features, categorical values, a number-text column
    and class labels in a model parameter (class_weight)."""
    rng = np.random.default_rng(11)
    signal = rng.normal(size=N)
    frame = pd.DataFrame({name: rng.normal(size=N) for name in [*ODD, ESCAPE_CSV]})
    frame["signal " + ESCAPE_TRIPLE_SINGLE] = signal
    frame["kind " + ESCAPE_SINGLE] = rng.choice([ESCAPE_CSV, "é'''", "\\N"], N)
    frame["money\\N " + ESCAPE_CSV] = [f"{v:,.2f}" for v in rng.uniform(1_000, 90_000, N)]
    target = "target " + ESCAPE_CSV
    yes, no = ESCAPE_SINGLE, "no\n'''{}"
    frame[target] = _labels(signal, rng, yes, no)
    data = _hostile_file(tmp_path, ".csv")
    frame.to_csv(data, index=False)
    name = "study " + ESCAPE_TRIPLE_DOUBLE + " " + ESCAPE_TRIPLE_SINGLE + " \\N \\x00 é中😀 {} #"
    params = {"max_depth": 3, "class_weight": {yes: 2.0, no: 1.0}}

    spec, trial, script = _study(data, target, "DecisionTreeClassifier", params, name,
                                 tmp_path)
    run_in = tmp_path / "run"
    _check_source(script)
    constants = _constants(script, monkeypatch, tmp_path)
    _no_marker(tmp_path)
    assert constants["STUDY"] == name
    assert constants["DATA"] == str(data)
    assert constants["TARGET"] == target
    assert constants["FEATURES"] == [c for c in frame.columns if c != target]
    assert constants["NUMBER_TEXT"] == {"money\\N " + ESCAPE_CSV: "english"}
    assert constants["MODEL_PARAMS"]["class_weight"] == {yes: 2.0, no: 1.0}

    done = _run(script, run_in)
    _no_marker(tmp_path, run_in)
    assert done.returncode == 0, done.stderr
    assert _mean_score(done.stdout) == pytest.approx(trial.mean_test_score, abs=1e-9)


def test_hostile_group_column_in_a_parquet_study(tmp_path: Path, monkeypatch: Any) -> None:
    """A parquet file holds any column name (carriage returns and NUL too): the group
    column, features and target; with a held-out test set split by group."""
    rng = np.random.default_rng(12)
    signal = rng.normal(size=N)
    group = "site\\N " + ESCAPE_TRIPLE_DOUBLE
    odd = [*ODD, "r\rr", ESCAPE_LINES]
    frame = pd.DataFrame({name: rng.normal(size=N) for name in odd})
    frame["signal " + ESCAPE_TRIPLE_SINGLE] = signal
    frame[group] = rng.choice([f"{ESCAPE_SINGLE} {k}" for k in range(8)], N)
    target = "y\r " + ESCAPE_TRIPLE_DOUBLE
    frame[target] = _labels(signal, rng, "yes", "no")
    data = _hostile_file(tmp_path, ".parquet")
    frame.to_parquet(data, index=False)
    name = "g\x00\r\n" + ESCAPE_LINES

    spec, trial, script = _study(data, target, "LogisticRegression", {"C": 1.0}, name,
                                 tmp_path, validation={"scheme": "group", "group": group},
                                 test_size=0.25)
    run_in = tmp_path / "run"
    _check_source(script)
    constants = _constants(script, monkeypatch, tmp_path)
    _no_marker(tmp_path)
    assert constants["STUDY"] == name
    assert constants["GROUP"] == group
    assert constants["TARGET"] == target
    assert constants["FEATURES"] == [c for c in frame.columns if c not in (target, group)]

    done = _run(script, run_in)
    _no_marker(tmp_path, run_in)
    assert done.returncode == 0, done.stderr
    assert _mean_score(done.stdout) == pytest.approx(trial.mean_test_score, abs=1e-9)


def test_hostile_scoring_stays_text(tmp_path: Path, monkeypatch: Any) -> None:
    """A scoring no study accepts (a project file edited by hand) still only reaches
    scikit-learn as text: the script fails on the unknown metric and runs nothing else."""
    rng = np.random.default_rng(13)
    a = rng.normal(size=N)
    data = tmp_path / "plain.csv"
    pd.DataFrame({"a": a, "b": rng.normal(size=N), "y": _labels(a, rng, "p", "q")}).to_csv(
        data, index=False)
    spec, trial, _ = _study(data, "y", "DecisionTreeClassifier", {"max_depth": 2}, "s",
                            tmp_path)
    for number, scoring in enumerate([ESCAPE_TRIPLE_DOUBLE, ESCAPE_TRIPLE_SINGLE,
                                      ESCAPE_SINGLE, "{SCORING}\\N" + ESCAPE_LINES]):
        hostile = replace(spec, scoring=scoring, name=scoring)
        script = write_script(hostile, [trial], tmp_path / f"rebuild{number}.py")
        _check_source(script)
        constants = _constants(script, monkeypatch, tmp_path)
        assert constants["SCORING"] == scoring
        assert constants["MODEL_PARAMS"] == get_model(spec.model).estimator_params(
            trial.params, spec.seed)
    done = _run(script, tmp_path / "run")  # one run: the others differ only in the text
    _no_marker(tmp_path, tmp_path / "run")
    assert done.returncode != 0
    assert "Traceback" in done.stderr


class _Sneaky(str):
    """A str whose repr is code: repr() of it would not be a safe literal."""

    def __repr__(self) -> str:
        return "__import__('pathlib').Path('PWNED').touch()"

    def __str__(self) -> str:
        return self.__repr__()


@pytest.mark.parametrize("value", [
    ESCAPE_TRIPLE_DOUBLE, ESCAPE_TRIPLE_SINGLE, "\x00\r\n\t\\N{x}\\x00\u2028\u202e\ud800",
    "é中😀{}#", None, True, False, 0, -7, 2**70, 0.1, -0.0, 1e308, [], (), (1,),
    {"a": [1, ("b", None)], 2: {"c": 0.5}},
])
def test_python_literal_gives_back_the_same_value(value: Any) -> None:
    source = python_literal(value)
    assert ast.literal_eval(source) == value
    assert type(ast.literal_eval(source)) is type(value)


def test_python_literal_makes_odd_values_plain() -> None:
    """str subclasses, NumPy scalars and non-finite floats become plain values."""
    sneaky = _Sneaky(ESCAPE_TRIPLE_DOUBLE)
    assert ast.literal_eval(python_literal(sneaky)) == ESCAPE_TRIPLE_DOUBLE
    assert ast.literal_eval(python_literal({sneaky: [sneaky]})) == {
        ESCAPE_TRIPLE_DOUBLE: [ESCAPE_TRIPLE_DOUBLE]}
    assert python_literal(np.str_(ESCAPE_SINGLE)) == repr(ESCAPE_SINGLE)
    assert python_literal(np.int64(3)) == "3"
    assert python_literal(np.float64(0.1)) == "0.1"
    assert python_literal(np.bool_(True)) == "True"
    assert python_literal([float("nan"), float("inf"), -np.inf]) == (
        '[float("nan"), float("inf"), -float("inf")]')
    with pytest.raises(TypeError):
        python_literal(object())
    with pytest.raises(TypeError):
        python_literal(b"bytes")
