"""Issue 16, item 7 (inputs): odd inputs that used to hang, mislead or end in a traceback
are each one sentence and exit code 2: a named pipe or a device as data, a symbolic link
loop, a workbook whose first sheet holds no table, a search space nested without end, and
a blank study name, empty or not, in every command that takes one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pipe_guard import released_after

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.dataset import DatasetError, read_table
from hpt_gui.core.space import SearchSpace, SpaceError

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="named pipes and /dev")


def _refused(argv: list[str], capsys) -> str:
    """The sentence of a command that must refuse its input (exit 2, no traceback)."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT, err
    assert "Traceback" not in err and "unexpected error" not in err
    return err


def _run(data: str, tmp_path: Path) -> list[str]:
    return ["run", "--data", data, "--target", "y", "--model", "SVC", "--json", "--quiet",
            "--project", str(tmp_path / "p.hpt")]


@posix_only
def test_a_named_pipe_as_data_is_refused_at_once(tmp_path):
    """In a process of its own with a time limit: reading a pipe used to wait forever."""
    pipe = tmp_path / "f.csv"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "hpt_gui", *_run(str(pipe), tmp_path)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert f"'{pipe}' is not an ordinary file (it is a named pipe" in done.stderr
    assert "give a data file instead" in done.stderr


@posix_only
def test_a_device_as_data_is_refused(tmp_path, capsys):
    err = _refused(_run("/dev/zero", tmp_path), capsys)
    assert "'/dev/zero' is not an ordinary file (it is a device" in err


@posix_only
def test_the_predict_table_reader_refuses_a_pipe_too(tmp_path):
    pipe = tmp_path / "new.csv"
    os.mkfifo(pipe)
    with released_after(pipe), \
            pytest.raises(DatasetError, match="not an ordinary file"):
        read_table(pipe)  # predict and the window's data step read through it


def test_a_symbolic_link_loop_is_named_as_such(tmp_path, capsys):
    loop = tmp_path / "loop.csv"
    try:
        os.symlink(loop.name, loop)
    except OSError:
        pytest.skip("symbolic links cannot be made here")
    err = _refused(_run(str(loop), tmp_path), capsys)
    assert f"'{loop}' is a symbolic link that points to itself (a loop)" in err
    assert "not found" not in err


def test_a_first_sheet_without_a_table_names_the_sheets_that_hold_one(tmp_path, capsys):
    book = tmp_path / "book.xlsx"
    table = pd.DataFrame({"x": range(12), "y": ["a", "b"] * 6})
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame().to_excel(writer, sheet_name="Cover", index=False)
        table.to_excel(writer, sheet_name="Data", index=False)
        pd.DataFrame().to_excel(writer, sheet_name="Blank", index=False)
        table.to_excel(writer, sheet_name="Notes", index=False)
    err = _refused(_run(str(book), tmp_path), capsys)
    assert "The first sheet 'Cover' of 'book.xlsx' holds no table; the sheets 'Data' and " \
        "'Notes' do." in err
    assert "move the sheet you want to the front" in err
    assert "'Blank'" not in err


def test_a_first_sheet_with_only_a_title_counts_as_no_table(tmp_path):
    book = tmp_path / "titled.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame(columns=["Sales report 2024"]).to_excel(writer, sheet_name="Title",
                                                             index=False)
        pd.DataFrame({"x": range(12)}).to_excel(writer, sheet_name="Data", index=False)
    with pytest.raises(DatasetError, match="The first sheet 'Title' of 'titled.xlsx' holds "
                                           "no table; the sheet 'Data' does"):
        read_table(book)


def test_a_search_space_nested_without_end_is_a_sentence(tmp_path, capsys):
    deep = 100_000
    space = tmp_path / "deep.json"
    space.write_text('{"C": {"type": "categorical", "choices": ' + "[" * deep + "]" * deep
                     + "}}")
    err = _refused(["run", "--data", "demo:iris", "--model", "SVC", "--space", str(space),
                    "--project", str(tmp_path / "p.hpt")], capsys)
    assert "In 'deep.json': The search space is nested too deeply" in err


def test_a_space_nested_past_the_limit_is_refused_before_it_is_read():
    nested = '{"C": {"type": "categorical", "choices": [' + "[" * 20 + "1" + "]" * 20 + "]}}"
    with pytest.raises(SpaceError, match="nested too deeply"):
        SearchSpace.loads(nested)
    brackets_in_text = '{"C": {"type": "categorical", "choices": ["' + "[" * 50 + '"]}}'
    assert SearchSpace.loads(brackets_in_text)["C"].choices == ("[" * 50,)


def test_deeply_nested_params_are_a_sentence(tmp_path, capsys):
    err = _refused(["run", "--data", "demo:iris", "--model", "SVC", "--strategy", "manual",
                    "--params", "[" * 100_000 + "]" * 100_000,
                    "--project", str(tmp_path / "p.hpt")], capsys)
    assert "--params must be a JSON object" in err


@pytest.mark.parametrize("name", ["", " "])
@pytest.mark.parametrize("command", [
    ["run", "--data", "demo:iris", "--model", "GaussianNB", "--trials", "1"],
    ["export", "--csv", "trials.csv"],
    ["diagnose"],
    ["report", "--out", "report.html"],
    ["predict", "--data", "demo:iris", "--out", "predicted.csv"],
])
def test_a_blank_study_name_is_refused_in_every_command(tmp_path, capsys, command, name):
    err = _refused([*command, "--project", str(tmp_path / "p.hpt"), "--study", name], capsys)
    assert "Give the study a name: --study is blank." in err
    assert not (tmp_path / "p.hpt").exists()


@posix_only
def test_a_pipe_or_a_folder_as_space_file_is_refused(tmp_path):
    pipe = tmp_path / "space.json"
    os.mkfifo(pipe)
    with released_after(pipe), pytest.raises(SpaceError, match="named pipe"):
        SearchSpace.load(pipe)
    with pytest.raises(SpaceError, match=r"not an ordinary file \(it is a folder\); give a "
                                         "search space file instead"):
        SearchSpace.load(tmp_path)


@posix_only
def test_a_pipe_as_model_file_is_refused(tmp_path):
    import json

    from hpt_gui.core.model_file import ModelFileError, load_model, sidecar_path

    pipe = tmp_path / "m.skops"
    os.mkfifo(pipe)
    sidecar_path(pipe).write_text(json.dumps(
        {"format": "hpt-gui model sidecar 1", "model_sha256": "0" * 64}), encoding="utf-8")
    with released_after(pipe), pytest.raises(ModelFileError, match="not an ordinary file"):
        load_model(pipe)
