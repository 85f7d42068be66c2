"""The bad-input corpus (tests/data/bad, made by make_corpus.py): each file either gives a
DatasetError with a sentence saying what is wrong and what to do, or loads correctly where
loading is the right answer; in the core and through `hpt-gui run` (exit code 2 and one
line, no traceback), and the file is never written to."""

from pathlib import Path

import pandas as pd
import pytest

from hpt_gui.cli import EXIT_BAD_INPUT, main
from hpt_gui.core.dataset import DatasetError, load_dataset

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"

# file -> (target, a phrase of the sentence)
REFUSED = {
    "empty.csv": (None, "is empty"),
    "header_only.csv": (None, "has column names but no rows of data"),
    "binary_garbage.csv": (None, "could not be read as a table"),
    "null_bytes.csv": (None, "could not be read as a table"),
    "zipped_but_named.csv": (None, "could not be read as a table"),
    "corrupt.xlsx": (None, "could not be read as a table"),
    "csv_named_xlsx.xlsx": (None, "could not be read as a table"),
    "html_page.csv": (None, "is a web page (HTML), not a table"),
    "ragged_rows.csv": (None, "Line 11 of 'ragged_rows.csv' has more values than the header"),
    "single_column.csv": ("bought", "has only one column, 'bought'"),
    "all_missing_target.csv": ("bought", "No rows have a value in the target column"),
    "constant_target.csv": ("income", "has the same value in every row"),
    "single_class.csv": ("bought", "has only one class ('yes')"),
    "date_target.csv": ("bought", "holds dates"),
    "infinities.csv": ("bought", "has 13 infinite values (inf or -inf)"),
    "nested.parquet": ("y", "Column 'tags' of 'nested.parquet' holds lists or records"),
    "only_ids.csv": ("bought", "No columns are left to learn from"),
}

LOADED = {
    "latin1.csv": "bought", "utf16.csv": "bought", "utf8_bom.csv": "bought",
    "semicolon_decimal_comma.csv": "bought", "quoted_newlines.csv": "bought",
    "blank_lines.csv": "bought", "duplicate_columns.csv": "bought",
    "several_sheets.xlsx": "bought", "rare_class.csv": "bought",
    "huge_magnitudes.csv": "bought", "ten_thousand_columns.csv": "y",
    "tab_separated.tsv": "bought", "thousands_separators.csv": "bought",
}


def test_the_corpus_is_complete():
    files = {p.name for p in BAD.iterdir() if p.suffix != ".py"}
    assert files == set(REFUSED) | set(LOADED) and len(files) >= 25


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_file_gets_a_sentence(name):
    target, phrase = REFUSED[name]
    with pytest.raises(DatasetError) as caught:
        load_dataset(BAD / name, target)
    message = str(caught.value)
    assert phrase in message and "\n" not in message
    assert message.rstrip().endswith(".")


def _run(path, target, *extra):
    args = ["run", "--data", str(path), "--model", "DecisionTreeClassifier", "--strategy",
            "manual", "--params", "{}", "--cv", "3", "--quiet", *extra]
    return main([*args, *(["--target", target] if target else [])])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_cli_refuses_with_one_line(name, tmp_path, capsys):
    target, phrase = REFUSED[name]
    before = (BAD / name).read_bytes()
    assert _run(BAD / name, target, "--project", str(tmp_path / "p.hpt")) == EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert err.startswith("hpt-gui: ") and phrase in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert (BAD / name).read_bytes() == before
    assert not (tmp_path / "p.hpt").exists()


def _good():
    return pd.read_csv(BAD.parent / "bad" / "tab_separated.tsv", sep="\t")


@pytest.mark.parametrize("name", sorted(LOADED))
def test_a_file_that_should_load_loads(name, tmp_path, capsys):
    dataset = load_dataset(BAD / name, LOADED[name])
    frame = dataset.frame
    if name == "ten_thousand_columns.csv":
        assert frame.shape == (30, 10_001) and dataset.task == "classification"
    else:
        assert len(frame) == 40 and dataset.task == "classification"
        assert set(frame["bought"]) == {"yes", "no"} or name == "rare_class.csv"
    if name in ("latin1.csv", "utf16.csv"):
        assert "Orléans" in set(frame["city"])
    if name in ("semicolon_decimal_comma.csv", "thousands_separators.csv", "utf8_bom.csv",
                "blank_lines.csv", "several_sheets.xlsx"):
        assert list(frame.columns) == ["age", "income", "city", "bought"]
        scale = 1000 if name == "thousands_separators.csv" else 1
        assert (frame["income"] == (_good()["income"] * scale).round(2)).all()
    if name == "quoted_newlines.csv":
        assert frame["city"].str.contains("\n").all()
    if name == "duplicate_columns.csv":  # the second 'age' is kept under another name
        assert list(frame.columns) == ["age", "age.1", "city", "bought"]
        assert any("more than one column called 'age': the later one is read as 'age.1'"
                   in note for note in dataset.notes)
    if name == "rare_class.csv":
        assert any("only 2 rows" in note for note in dataset.notes)
    if name == "huge_magnitudes.csv":
        assert any("beyond 1e150" in note for note in dataset.notes)
    if name == "thousands_separators.csv":
        assert any("numbers stored as text" in note for note in dataset.notes)
    if name == "ten_thousand_columns.csv":
        return  # loading it takes seconds (one pass per column); a run would twice more
    before = (BAD / name).read_bytes()
    folds = ["--cv", "2"] if name == "rare_class.csv" else []  # 2 rows of 'rare'
    assert _run(BAD / name, LOADED[name], "--project", str(tmp_path / "p.hpt"), *folds) == 0
    assert (BAD / name).read_bytes() == before


def test_a_class_too_rare_for_the_folds_is_refused_by_the_run(tmp_path, capsys):
    assert _run(BAD / "rare_class.csv", "bought", "--cv", "5", "--project",
                str(tmp_path / "p.hpt")) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "The class 'rare' has only 2 row(s) in the data, fewer than the 5 folds" in err


@pytest.mark.parametrize("where, phrase", [
    ("missing.csv", "was not found"),
    (".", "is a folder"),
])
def test_a_path_that_is_no_file_gets_a_sentence(where, phrase, tmp_path, capsys):
    path = tmp_path / where
    with pytest.raises(DatasetError, match=phrase):
        load_dataset(path)
    assert _run(path, None, "--project", str(tmp_path / "p.hpt")) == EXIT_BAD_INPUT
    assert phrase in capsys.readouterr().err
