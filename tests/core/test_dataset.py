"""Tests for loading user tables and demo sets (hpt_gui.core.dataset)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets as skdatasets

from hpt_gui.core.dataset import (
    DEMO_SETS,
    ColumnInfo,
    Dataset,
    DatasetError,
    infer_roles,
    infer_task,
    load_dataset,
    read_table,
    suggest_target,
)

pytestmark = pytest.mark.filterwarnings("error")

N = 30  # rows in the small generated tables


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _table(n: int = N) -> pd.DataFrame:
    """A small mixed table: numbers, text categories, an id, a constant and a target."""
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            "age": rng.integers(18, 80, n),
            "income": rng.normal(50_000, 9_000, n).round(2),
            "city": [["Paris", "Lyon", "Nice"][i % 3] for i in range(n)],
            "country": ["FR"] * n,
            "churn": [["yes", "no"][i % 2] for i in range(n)],
        }
    )


def _assert_friendly(error: pytest.ExceptionInfo[DatasetError], *names: str) -> None:
    message = str(error.value)
    assert message[0].isupper() or message[0] in "'", message
    assert message.rstrip().endswith("."), message
    assert "Traceback" not in message and "Error" not in message, message
    for name in names:
        assert name in message, (name, message)


# --------------------------------------------------------------------------- file formats


def test_comma_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    _table().to_csv(path, index=False)
    ds = load_dataset(path, "churn")
    assert isinstance(ds, Dataset)
    assert ds.task == "classification"
    assert ds.n_rows == N
    assert ds.feature_names == ["age", "income", "city"]
    assert ds.numeric_features == ["age", "income"]
    assert ds.categorical_features == ["city"]
    assert ds.source == str(path)
    assert ds.fingerprint == hashlib.sha256(path.read_bytes()).hexdigest()


def test_semicolon_csv_with_decimal_comma(tmp_path: Path) -> None:
    lines = ["height;weight;label"] + [f"1,{60 + i};{70 + i},5;{'ab'[i % 2]}" for i in range(N)]
    ds = load_dataset(_write(tmp_path / "eu.csv", "\n".join(lines) + "\n"))
    assert ds.target == "label"
    assert ds.numeric_features == ["height", "weight"]
    assert ds.frame["height"].iloc[0] == pytest.approx(1.60)
    assert ds.frame["weight"].iloc[1] == pytest.approx(71.5)
    assert ds.X()["weight"].dtype == np.float64


def test_decimal_comma_with_thousands_dots(tmp_path: Path) -> None:
    lines = ["price;rooms;target"] + [f"1.2{i:02d},50;{i % 4};{i % 2}" for i in range(N)]
    ds = load_dataset(_write(tmp_path / "eu.txt", "\n".join(lines)))
    assert ds.frame["price"].iloc[3] == pytest.approx(1203.5)
    assert "price" in ds.numeric_features


def test_tsv_and_pipe(tmp_path: Path) -> None:
    frame = _table()
    tsv = tmp_path / "data.tsv"
    frame.to_csv(tsv, sep="\t", index=False)
    pipe = tmp_path / "data.txt"
    frame.to_csv(pipe, sep="|", index=False)
    for path in (tsv, pipe):
        ds = load_dataset(path, "churn")
        assert list(ds.frame.columns) == list(frame.columns)
        assert ds.frame["income"].dtype == np.float64


def test_cp1252_csv_with_accents(tmp_path: Path) -> None:
    lines = ["ville,café,prix"] + [
        f"{['Orléans', 'Besançon'][i % 2]},{i % 3},{i * 1.5}" for i in range(N)
    ]
    path = _write(tmp_path / "fr.csv", "\r\n".join(lines), encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    ds = load_dataset(path, "prix")
    assert list(ds.frame.columns) == ["ville", "café", "prix"]
    assert set(ds.frame["ville"]) == {"Orléans", "Besançon"}
    assert ds.task == "regression"


def test_utf8_bom_header_is_clean(tmp_path: Path) -> None:
    lines = ["x,y"] + [f"{i % 7},{i % 2}" for i in range(N)]
    path = _write(tmp_path / "bom.csv", "\n".join(lines), encoding="utf-8-sig")
    frame, _ = read_table(path)
    assert list(frame.columns) == ["x", "y"]


def test_xlsx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    _table().to_excel(path, index=False)
    ds = load_dataset(path, "churn")
    assert ds.frame.shape == (N, 6)
    assert ds.feature_names == ["age", "income", "city"]
    pd.testing.assert_series_equal(ds.frame["income"], _table()["income"], check_dtype=False)


@pytest.mark.parametrize("suffix", [".parquet", ".pq"])
def test_parquet_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"data{suffix}"
    _table().to_parquet(path, index=False)
    ds = load_dataset(path, "churn")
    assert ds.frame.shape == (N, 6)
    assert ds.fingerprint == hashlib.sha256(path.read_bytes()).hexdigest()


def test_source_file_is_never_changed(tmp_path: Path) -> None:
    lines = ["a;b;target"] + [f"{i},5;x{i % 3};{i % 2}" for i in range(N)] + ["1,0;x;"]
    path = _write(tmp_path / "keep.csv", "\n".join(lines))
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    load_dataset(path)
    load_dataset(path, roles={"b": "id"}, task="regression")
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv"]


# --------------------------------------------------------------------------- demo sets

DEMO_EXPECTED = {
    "iris": ("classification", 150, 4),
    "wine": ("classification", 178, 13),
    "breast_cancer": ("classification", 569, 30),
    "diabetes": ("regression", 442, 10),
    "digits": ("classification", 1797, 64),
}


@pytest.mark.parametrize("name", DEMO_SETS)
def test_demo_sets(name: str) -> None:
    task, n_rows, n_columns = DEMO_EXPECTED[name]
    ds = load_dataset(f"demo:{name}")
    bunch = getattr(skdatasets, f"load_{name}")()
    assert ds.task == task
    assert ds.target == "target"
    assert ds.frame.shape == (n_rows, n_columns + 1)
    assert ds.source == f"demo:{name}"
    assert ds.X().shape[0] == n_rows
    np.testing.assert_array_equal(ds.y(), bunch.target)
    if name != "digits":  # digits has a few all-zero pixels, which are set aside
        assert len(ds.feature_names) == n_columns
        np.testing.assert_allclose(ds.X().to_numpy(), bunch.data)


def test_demo_codes_stay_integers_and_fingerprint_is_stable() -> None:
    import sklearn

    ds = load_dataset("demo:iris")
    assert ds.y().dtype.kind == "i"
    assert sorted(set(ds.y())) == [0, 1, 2]
    expected = hashlib.sha256(f"demo:iris{sklearn.__version__}".encode()).hexdigest()
    assert ds.fingerprint == expected == load_dataset("demo:iris").fingerprint


# --------------------------------------------------------------------------- roles


def test_role_inference() -> None:
    frame = _table()
    frame["row"] = range(N)
    frame["account_id"] = np.arange(N) * 7 + 1000
    frame["score_text"] = [str(i % 5 + 0.5) for i in range(N)]
    frame["flag"] = [i % 3 == 0 for i in range(N)]
    roles = infer_roles(frame, "churn")
    assert roles == {
        "customer_id": "id",
        "age": "numeric",
        "income": "numeric",
        "city": "categorical",
        "country": "constant",
        "churn": "target",
        "row": "id",
        "account_id": "id",
        "score_text": "numeric",
        "flag": "categorical",
    }


def test_nearly_unique_text_is_id_but_repeated_numbers_are_not() -> None:
    names = [f"name{i}" for i in range(40)]
    names[1] = names[0]
    frame = pd.DataFrame({"name": names, "count": [i % 9 for i in range(40)]})
    assert infer_roles(frame, None) == {"name": "id", "count": "numeric"}


def test_numbers_as_text_are_converted(tmp_path: Path) -> None:
    lines = ["amount,kind,target"] + [f'"1,{i:03d}.5",k{i % 2},{i % 2}' for i in range(N)]
    ds = load_dataset(_write(tmp_path / "text.csv", "\n".join(lines)))
    assert ds.frame["amount"].iloc[2] == pytest.approx(1002.5)
    assert ds.numeric_features == ["amount"]
    assert any("amount" in note and "numbers" in note for note in ds.notes)


def test_x_and_y_types(tmp_path: Path) -> None:
    frame = _table()
    frame.loc[3, "city"] = None
    frame.loc[4, "age"] = None
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    ds = load_dataset(path, "churn")
    x = ds.X()
    assert list(x.columns) == ds.feature_names
    assert x["age"].dtype == np.float64 and np.isnan(x["age"].iloc[4])
    assert x["city"].dtype == object and pd.isna(x["city"].iloc[3])
    assert all(isinstance(v, str) for v in x["city"].drop(index=3))
    assert set(ds.y()) == {"yes", "no"}
    columns = {c.name: c for c in ds.columns}
    assert columns["city"] == ColumnInfo("city", "categorical", "str", 1, 3)
    assert columns["churn"].role == "target"


def test_role_override(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    _table().to_csv(path, index=False)
    ds = load_dataset(path, "churn", roles={"age": "categorical", "city": "id"})
    assert ds.feature_names == ["age", "income"]
    assert ds.categorical_features == ["age"]
    assert ds.X()["age"].dtype == object
    ds = load_dataset(path, roles={"churn": "target"})
    assert ds.target == "churn"


@pytest.mark.parametrize(
    ("roles", "names"),
    [
        ({"nope": "numeric"}, ["nope", "age"]),
        ({"age": "weird"}, ["weird", "age", "categorical"]),
        ({"city": "numeric"}, ["city", "Paris"]),
        ({"churn": "numeric"}, ["churn"]),
        ({"age": "target"}, ["age", "churn"]),
    ],
)
def test_bad_role_override(tmp_path: Path, roles: dict[str, str], names: list[str]) -> None:
    path = tmp_path / "data.csv"
    _table().to_csv(path, index=False)
    with pytest.raises(DatasetError) as error:
        load_dataset(path, "churn", roles=roles)
    _assert_friendly(error, *names)


# --------------------------------------------------------------------------- task


def test_task_inference() -> None:
    assert infer_task(pd.Series(["a", "b"] * 10)) == "classification"
    assert infer_task(pd.Series([True, False] * 10)) == "classification"
    assert infer_task(pd.Series([0, 1, 2] * 10)) == "classification"
    assert infer_task(pd.Series([0.0, 1.0, np.nan] * 10)) == "classification"
    assert infer_task(pd.Series(range(30))) == "regression"
    assert infer_task(pd.Series([0.5, 1.5, 2.5] * 10)) == "regression"
    assert infer_task(pd.Series(list(range(21)) * 3)) == "regression"


def test_task_override(tmp_path: Path) -> None:
    lines = ["x,grade"] + [f"{i * 0.7},{i % 4}" for i in range(N)]
    path = _write(tmp_path / "grades.csv", "\n".join(lines))
    assert load_dataset(path).task == "classification"
    ds = load_dataset(path, task="regression")
    assert ds.task == "regression" and ds.y().dtype == np.float64
    with pytest.raises(DatasetError) as error:
        load_dataset(path, task="clustering")
    _assert_friendly(error, "clustering", "grade")


def test_regression_on_text_target_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    _table().to_csv(path, index=False)
    with pytest.raises(DatasetError) as error:
        load_dataset(path, "churn", task="regression")
    _assert_friendly(error, "churn", "classification")


def test_suggest_target() -> None:
    assert suggest_target(pd.DataFrame({"target": [1], "b": [2]})) == "target"
    assert suggest_target(pd.DataFrame({"a": [1], "b": [2]})) == "b"


# --------------------------------------------------------------------------- missing values


def test_missing_target_rows_are_dropped_with_a_note(tmp_path: Path) -> None:
    frame = _table(40)
    frame["churn"] = frame["churn"].where(frame.index % 10 != 0)
    frame["income"] = frame["income"].where(frame.index % 2 == 0)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    ds = load_dataset(path, "churn")
    assert ds.n_rows == 36
    assert list(ds.frame.index) == list(range(36))
    assert len(ds.y()) == len(ds.X()) == 36
    assert "4 rows with no value in the target 'churn' were left out." in ds.notes
    assert any("'income'" in note and "missing" in note for note in ds.notes)


def test_missing_values_are_counted_in_the_notes_never_called_a_few(tmp_path: Path) -> None:
    frame = _table(40)
    frame["income"] = frame["income"].where(frame.index % 10 != 0)  # 10 %
    frame["age"] = frame["age"].where(frame.index // 2 % 2 == 0)  # 50 %
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    notes = load_dataset(path, "churn").notes
    assert "Column 'age' has 50 % missing values; they will be filled in inside each fold." \
        in notes
    assert "Column 'income' (10 %) has missing values; they will be filled in inside each " \
        "fold." in notes
    assert not any("a few" in note for note in notes)


# --------------------------------------------------------------------------- errors


def test_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as error:
        load_dataset(tmp_path / "missing.csv")
    _assert_friendly(error, "missing.csv")


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    with pytest.raises(DatasetError) as error:
        load_dataset(_write(tmp_path / "empty.csv", content))
    _assert_friendly(error, "empty.csv", "empty")


def test_header_only_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as error:
        load_dataset(_write(tmp_path / "head.csv", "a,b,c\n"))
    _assert_friendly(error, "head.csv")


@pytest.mark.parametrize("name", ["binary.csv", "broken.xlsx", "broken.parquet"])
def test_unreadable_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04\x00\x00garbage\x00\xff" * 20)
    with pytest.raises(DatasetError) as error:
        load_dataset(path)
    _assert_friendly(error, name, "CSV", "Excel", "Parquet")


def test_unknown_file_type(tmp_path: Path) -> None:
    path = _write(tmp_path / "data.json", "{}")
    with pytest.raises(DatasetError) as error:
        load_dataset(path)
    _assert_friendly(error, "data.json", ".json", "CSV")


def test_uneven_lines(tmp_path: Path) -> None:
    lines = ["a,b,c"] + ["1,2,3"] * 20 + ["1,2,3,4,5"]
    with pytest.raises(DatasetError) as error:
        load_dataset(_write(tmp_path / "uneven.csv", "\n".join(lines)))
    _assert_friendly(error, "uneven.csv", "Line 22")


def test_unknown_demo_set() -> None:
    with pytest.raises(DatasetError) as error:
        load_dataset("demo:titanic")
    _assert_friendly(error, "titanic", *DEMO_SETS)


def test_target_not_in_table(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    _table().to_csv(path, index=False)
    with pytest.raises(DatasetError) as error:
        load_dataset(path, "price")
    _assert_friendly(error, "price", "'age'", "'churn'")


def test_target_with_one_class(tmp_path: Path) -> None:
    frame = _table().assign(churn="yes")
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DatasetError) as error:
        load_dataset(path, "churn")
    _assert_friendly(error, "churn", "one class")


def test_class_with_a_single_row(tmp_path: Path) -> None:
    frame = _table()
    frame.loc[5, "churn"] = "maybe"
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DatasetError) as error:
        load_dataset(path, "churn")
    _assert_friendly(error, "churn", "maybe", "2")


def test_small_class_is_a_note(tmp_path: Path) -> None:
    frame = _table()
    frame.loc[[5, 7], "churn"] = "maybe"
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    ds = load_dataset(path, "churn")
    assert any("'maybe'" in note for note in ds.notes)


def test_no_feature_columns(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    _table()[["customer_id", "country", "churn"]].to_csv(path, index=False)
    with pytest.raises(DatasetError) as error:
        load_dataset(path, "churn")
    _assert_friendly(error, "churn", "customer_id", "country")


def test_single_column_table(tmp_path: Path) -> None:
    lines = ["value"] + [str(i % 3) for i in range(N)]
    with pytest.raises(DatasetError) as error:
        load_dataset(_write(tmp_path / "one.csv", "\n".join(lines)))
    _assert_friendly(error, "value")


def test_too_few_rows(tmp_path: Path) -> None:
    frame = _table(12)
    frame["churn"] = frame["churn"].where(frame.index < 7)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DatasetError) as error:
        load_dataset(path, "churn")
    _assert_friendly(error, "churn", "7", "10")


def test_module_imports_no_qt() -> None:
    import importlib
    import subprocess

    code = (
        "import sys, hpt_gui.core.dataset; "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]"
    )
    root = Path(importlib.import_module("hpt_gui").__file__).parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_classification_of_a_continuous_target_says_so() -> None:
    with pytest.raises(DatasetError, match="looks like a quantity .*choose regression"):
        load_dataset("demo:diabetes", "target", task="classification")


def test_a_column_name_with_a_nul_character_is_refused(tmp_path: Path) -> None:
    """Parquet keeps a NUL in a name; the study would then fail every fold looking the
    column up by the name cut at the NUL. A sentence at loading instead."""
    frame = _table().rename(columns={_table().columns[0]: "dose\x00mg"})
    path = tmp_path / "nul.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(DatasetError, match=r"dose\\0mg.*NUL character"):
        load_dataset(path, target=frame.columns[-1])


def test_the_target_read_once_equals_what_pandas_gives_for_any_values():
    """Interpreting a table works the target's labels and class counts out once and
    faster than astype(str) and value_counts; they must give the same."""
    from hpt_gui.core.dataset import _class_codes, _class_counts, _target_array

    cases = [["a", "b", "a", "c", "b", "a"], [1, "1", 2.5, "x", 2.5], [True, "True", False],
             ["é", "e\u0301", b"x"], [1.0, 2, "2.0"], [1, True, 1.0], ["x", None, "y"]]
    for values in cases:
        series = pd.Series(values, dtype=object)
        labels = _target_array(series, "classification")
        expected = series.astype(str).to_numpy(dtype=object)
        assert list(labels) == list(expected) and labels.dtype == expected.dtype
    for values in [*cases, ["yes", "no", "no"]]:  # and a text column as pandas reads one
        for series in (pd.Series(values, dtype=object), pd.Series(values).astype("str")):
            if series.dtype != object and series.isna().any():
                continue
            expected = series.astype(str).to_numpy(dtype=object)
            codes, classes = _class_codes(series)
            missing = pd.isna(expected)  # (a target's missing rows are dropped before)
            assert list(classes[codes[~missing]]) == list(expected[~missing])
            assert all(codes[missing] == -1)
            assert list(codes) == list(pd.factorize(expected)[0])  # the checks' codes
            counts = _class_counts(codes, classes)
            assert counts.to_dict() == pd.Series(expected).value_counts().to_dict()
            assert list(counts) == sorted(counts, reverse=True)


def test_a_text_file_reads_the_same_in_each_encoding_and_line_ending(tmp_path):
    """The parser reads the file's bytes (not a decoded copy): each encoding the app
    recognises, with a BOM or not, and each line ending give one table."""
    rows = "name;price;city\r\nZoë;3,5;Köln\r\n\"a;b\";4,25;Paris\r\nx;;Nice\r\n"
    expected = None
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1252"):
        for ending in ("\r\n", "\n", "\r"):
            path = tmp_path / f"t-{encoding}-{len(ending)}{ending == chr(13)}.csv"
            path.write_bytes(rows.replace("\r\n", ending).encode(encoding))
            frame, _ = read_table(path)
            if expected is None:
                expected = frame
                assert list(frame["name"]) == ["Zoë", "a;b", "x"]
                assert list(frame["price"])[:2] == [3.5, 4.25]
            pd.testing.assert_frame_equal(frame, expected)
