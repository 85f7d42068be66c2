"""Files the app writes: never over the project, the data, the model read or another output
(checked as files, not path strings), written whole or not at all, and formula-safe CSVs."""

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.output_files import OutputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A small table, a project with two studies on it (one with a hostile name), an
    exported model, and a new table to predict on."""
    folder = tmp_path_factory.mktemp("outputs")
    rng = np.random.default_rng(5)
    n = 60
    frame = pd.DataFrame({"x": rng.normal(0, 1, n).round(3), "z": rng.normal(0, 1, n).round(3)})
    frame["y"] = np.where(frame["x"] + rng.normal(0, 0.5, n) > 0, "yes", "no")
    data = folder / "data.csv"
    frame.to_csv(data, index=False)
    project, model = folder / "p.hpt", folder / "model.pkl"
    common = ["--data", str(data), "--target", "y", "--cv", "3", "--project", str(project),
              "--quiet"]
    assert main(["run", *common, "--model", "GaussianNB", "--study", "nb"]) == 0
    assert main(["run", *common, "--model", "LogisticRegression", "--strategy", "random",
                 "--trials", "2", "--study", "=HYPERLINK(\"http://x\")"]) == 0
    assert main(["export", "--project", str(project), "--study", "nb",
                 "--model", str(model)]) == 0
    new = folder / "new.csv"
    frame.drop(columns="y").to_csv(new, index=False)
    return {"folder": folder, "data": data, "project": project, "model": model, "new": new}


def _bytes(*paths):
    return [Path(p).read_bytes() for p in paths]


def _commands(made, out):
    project, study = str(made["project"]), "nb"
    return {
        "export --csv": ["export", "--project", project, "--study", study, "--csv", out],
        "export --script": ["export", "--project", project, "--study", study, "--script", out],
        "report --out": ["report", "--project", project, "--study", study, "--out", out],
        "predict --out": ["predict", "--project", project, "--study", study,
                          "--data", str(made["new"]), "--out", out],
        "compare --csv": ["compare", "--project", project, "--csv", out],
    }


@pytest.mark.parametrize("command", ["export --csv", "export --script", "report --out",
                                     "predict --out", "compare --csv"])
@pytest.mark.parametrize("kept", ["project", "data"])
def test_a_hard_link_to_a_kept_file_is_refused(made, tmp_path, capsys, command, kept):
    link = tmp_path / "link.out"
    os.link(made[kept], link)
    before = _bytes(made["project"], made["data"], made["new"])
    code = main(_commands(made, str(link))[command])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT, err
    assert "would be overwritten" in err and err.count("\n") == 1
    assert _bytes(made["project"], made["data"], made["new"]) == before


def test_predictions_never_go_over_the_model_or_the_new_table(made, tmp_path, capsys):
    model, new = made["model"], made["new"]
    before = _bytes(model, model.with_suffix(".json"), new)
    for kept in (model, model.with_suffix(".json"), new):
        link = tmp_path / f"{kept.name}.link"
        os.link(kept, link)
        code = main(["predict", "--model", str(model), "--data", str(new), "--out", str(link)])
        err = capsys.readouterr().err
        assert code == EXIT_BAD_INPUT and "would be overwritten" in err, err
    assert _bytes(model, model.with_suffix(".json"), new) == before


@pytest.mark.parametrize("flags", [
    ["--csv", "{out}", "--script", "{out}"],
    ["--csv", "{out}", "--script", "{same}"],
    ["--model", "{stem}.pkl", "--csv", "{stem}.json"],  # the model's sidecar is that file
])
def test_one_file_given_to_two_outputs_is_refused_before_any_work(made, tmp_path, capsys,
                                                                   flags):
    out = tmp_path / "out.txt"
    out.write_text("an earlier export\n")
    os.link(out, tmp_path / "same.txt")
    words = [f.format(out=out, same=tmp_path / "same.txt", stem=tmp_path / "m") for f in flags]
    listing = sorted(p.name for p in tmp_path.iterdir())
    code = main(["export", "--project", str(made["project"]), "--study", "nb", *words])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT, err
    assert "same file" in err and err.count("\n") == 1
    assert out.read_text() == "an earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # nothing written


def test_a_second_path_through_a_linked_folder_is_refused(made, tmp_path, capsys):
    alias = tmp_path / "alias"
    alias.symlink_to(made["folder"], target_is_directory=True)
    before = _bytes(made["project"], made["data"])
    for name in ("p.hpt", "data.csv"):
        code = main(["export", "--project", str(made["project"]), "--study", "nb",
                     "--csv", str(alias / name)])
        err = capsys.readouterr().err
        assert code == EXIT_BAD_INPUT and "would be overwritten" in err, err
    assert _bytes(made["project"], made["data"]) == before


def _can_bind_mount() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                          capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(not _can_bind_mount(), reason="needs unprivileged bind mounts (Linux)")
def test_a_second_path_through_a_bind_mount_is_refused(made, tmp_path):
    """A bind mount shows the same files under another path that no symlink resolves."""
    mount = tmp_path / "mount"
    mount.mkdir()
    before = _bytes(made["project"], made["data"])
    script = (f"mount --bind '{made['folder']}' '{mount}' && exec '{sys.executable}' -m hpt_gui "
              f"export --project '{made['project']}' --study nb --csv '{mount / 'p.hpt'}'")
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                           script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "would be overwritten" in done.stderr
    assert _bytes(made["project"], made["data"]) == before


# --------------------------------------------------------------------------- formula-safe


def test_predictions_are_formula_safe_and_numbers_stay_numbers(tmp_path):
    from sklearn.linear_model import LogisticRegression

    from hpt_gui.core.predict import ModelNeeds, write_predictions

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.normal(0, 1, 40)})
    labels = np.where(X["x"] > 0, "=cmd|' /C calc'!A0", "@SUM(1+1)")
    pipeline = LogisticRegression().fit(X, labels)
    needs = ModelNeeds(target="y", task="classification", numeric=("x",), categorical=(),
                       classes=tuple(pipeline.classes_))
    new = tmp_path / "new.csv"
    pd.DataFrame({"x": [-1.5, 2.0, -0.25], "=danger": ["=1+2", "-3", "plain"],
                  "+n": [1, -2, 3], "note": ["\tx", "+y", "-x"]}).to_csv(new, index=False)
    out = write_predictions(pipeline, needs, new, tmp_path / "out.csv").path
    raw = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(raw.columns) == ["x", "'=danger", "'+n", "note", "predicted y",
                                 "probability =cmd|' /C calc'!A0", "probability @SUM(1+1)"]
    assert set(raw["predicted y"]) == {"'=cmd|' /C calc'!A0", "'@SUM(1+1)"}
    assert list(raw["'=danger"]) == ["'=1+2", "-3", "plain"]  # '-3' is a number: kept
    assert list(raw["note"]) == ["'\tx", "'+y", "'-x"]
    numbers = pd.read_csv(out)
    assert list(numbers["x"]) == [-1.5, 2.0, -0.25]  # numbers are never touched
    assert list(numbers["'+n"]) == [1, -2, 3]
    assert numbers["probability @SUM(1+1)"].dtype == float


def test_compare_csv_is_the_table_and_formula_safe(made, tmp_path, capsys):
    out = tmp_path / "compare.csv"
    assert main(["compare", "--project", str(made["project"]), "--csv", str(out)]) == 0
    assert str(out) in capsys.readouterr().err
    table = pd.read_csv(out)
    assert list(table["study"]) == ["nb", "'=HYPERLINK(\"http://x\")"]
    assert {"model", "search", "complete_trials", "best_mean", "best_std", "one_se_mean",
            "best_mean_fit_time", "verdict", "p", "probability_best_better",
            "probability_equivalent", "probability_other_better",
            "versus_the_best"} <= set(table.columns)
    assert table["best_mean"].dtype == float and table["complete_trials"].dtype == int
    assert list(table["model"]) == ["GaussianNB", "LogisticRegression"]


# --------------------------------------------------------------------------- whole or not at all


def _half_then_full_disk(self, path_or_buf=None, *args, **kwargs):
    with open(path_or_buf, "w") as handle:
        handle.write("number,state,mean_fi")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("command", ["export --csv", "predict --out", "compare --csv"])
def test_a_full_disk_mid_write_keeps_the_earlier_csv(made, tmp_path, capsys, monkeypatch,
                                                     command):
    out = tmp_path / "earlier.csv"
    out.write_bytes(b"an,earlier\nexport,1\n")
    monkeypatch.setattr(pd.DataFrame, "to_csv", _half_then_full_disk)
    code = main(_commands(made, str(out))[command])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT, err
    assert "No space left on device" in err and "unchanged" in err
    assert out.read_bytes() == b"an,earlier\nexport,1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["earlier.csv"]  # no temporary file left


@pytest.mark.parametrize("command", ["export --script", "report --out"])
def test_a_full_disk_when_flushing_keeps_the_earlier_file(made, tmp_path, capsys, monkeypatch,
                                                          command):
    out = tmp_path / "earlier.txt"
    out.write_bytes(b"an earlier export\n")

    def full(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code = main(_commands(made, str(out))[command])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT, err
    assert "No space left on device" in err
    assert out.read_bytes() == b"an earlier export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["earlier.txt"]


def test_an_output_error_is_a_value_error_the_command_line_knows():
    from hpt_gui.cli import _user_errors
    from hpt_gui.core.export import ExportError

    assert issubclass(ExportError, OutputError) and issubclass(OutputError, ValueError)
    assert issubclass(OutputError, _user_errors())
