"""The data checks before tuning (hpt_gui.core.data_checks, through load_dataset): probable
leakage, row identifiers, duplicate rows; and the engine-1 rules that old studies keep."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets as skdatasets

from hpt_gui.core.data_checks import count_duplicates, find_leaks, target_codes
from hpt_gui.core.dataset import DEMO_SETS, DatasetError, load_dataset

pytestmark = pytest.mark.filterwarnings("error")


def _csv(tmp_path: Path, frame: pd.DataFrame, name: str = "t.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _roles(dataset) -> dict[str, str]:
    return {c.name: c.role for c in dataset.columns}


def leaky_diabetes(seed: int = 0) -> pd.DataFrame:
    """scikit-learn's diabetes table with a row number that has gaps (rows were removed)
    first, and the log of the target last: the acceptance case of issue 15."""
    frame = skdatasets.load_diabetes(as_frame=True).frame
    rng = np.random.default_rng(seed)
    frame.insert(0, "row", np.sort(rng.choice(np.arange(1, 2 * len(frame)), len(frame),
                                              replace=False)))
    frame["log_target"] = np.log(frame["target"])
    return frame


# --------------------------------------------------------------------------- leakage


def test_a_log_of_the_target_and_a_row_number_are_set_aside_with_notes(tmp_path):
    dataset = load_dataset(_csv(tmp_path, leaky_diabetes()), "target")
    roles = _roles(dataset)
    assert roles["log_target"] == "leakage" and roles["row"] == "id"
    assert dataset.feature_names == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5",
                                     "s6"]
    leak_note, id_note = dataset.notes[0], dataset.notes[1]
    assert leak_note == (
        "Column 'log_target' rises and falls with the target 'target' almost exactly (rank "
        "correlation 1.00): it is probably computed from the target, so it was set aside as "
        "probable leakage. If its values will be known when you predict, keep it.")
    assert "'row'" in id_note and "row identifier" in id_note
    assert [(leak.column, leak.kept, leak.feature_role) for leak in dataset.leaks] == [
        ("log_target", False, "numeric")]


@pytest.mark.parametrize("name", DEMO_SETS)
def test_no_leakage_is_seen_in_the_demo_sets(name):
    """Strong ordinary features (iris petal width, breast cancer's worst radius, ...) are
    not leakage: they predict well, not almost perfectly."""
    dataset = load_dataset(f"demo:{name}")
    assert not dataset.leaks
    assert not any("leakage" in note or "row identifier" in note for note in dataset.notes)
    assert set(_roles(dataset).values()) <= {"numeric", "constant", "target"}
    # and the engine-1 roles are unchanged
    assert _roles(dataset) == _roles(load_dataset(f"demo:{name}", rules=1))


def test_iris_petal_width_predicts_well_but_is_not_leakage():
    frame = skdatasets.load_iris(as_frame=True).frame
    y = target_codes(frame["target"], "classification")
    assert find_leaks(frame, y, "classification", ["petal width (cm)", "petal length (cm)"],
                      []) == {}


def test_an_informative_feature_with_noise_is_not_leakage(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=500)
    frame = pd.DataFrame({
        "x": x, "other": rng.normal(size=500),
        "price": 3 * x + rng.normal(scale=0.5, size=500),  # x explains about 97 %
        "bought": np.where(x + rng.normal(scale=0.3, size=500) > 0, "yes", "no"),
    })
    regression = load_dataset(_csv(tmp_path, frame.drop(columns="bought")), "price")
    classification = load_dataset(_csv(tmp_path, frame.drop(columns="price"), "c.csv"),
                                  "bought")
    for dataset in (regression, classification):
        assert not dataset.leaks and dataset.notes == ()
        assert "x" in dataset.feature_names


@pytest.mark.parametrize("column, phrase", [
    ("minus_exp", "falls as the target 'price' rises, and rises as it falls, almost exactly"),
    ("band", "alone explains 99.7% of the variation of the target 'price'"),
])
def test_regression_leaks_other_than_a_log(tmp_path, column, phrase):
    rng = np.random.default_rng(4)
    price = rng.uniform(0, 1000, 300)
    frame = pd.DataFrame({
        "x": rng.normal(size=300),
        "minus_exp": -np.exp(price / 100),  # falls exactly as the price rises
        "band": [f"{int(p // 50) * 50}-{int(p // 50) * 50 + 50}" for p in price],  # its band
        "price": price,
    })
    keep = ["x", column, "price"]
    dataset = load_dataset(_csv(tmp_path, frame[keep]), "price")
    assert _roles(dataset)[column] == "leakage"
    assert phrase in dataset.notes[0] and f"Column '{column}'" in dataset.notes[0]


def test_classification_leaks_numeric_and_categorical(tmp_path):
    rng = np.random.default_rng(5)
    label = rng.choice(["low", "mid", "high"], 400)
    frame = pd.DataFrame({
        "x": rng.normal(size=400),
        # a score computed from the class: sorted by it, the rows come class by class
        "score": pd.Series(label).map({"low": 0, "mid": 10, "high": 20}) + rng.uniform(0, 5, 400),
        "code": pd.Series(label).map({"low": "L", "mid": "M", "high": "H"}),  # a copy
        "label": label,
    })
    dataset = load_dataset(_csv(tmp_path, frame), "label")
    roles = _roles(dataset)
    assert roles["score"] == roles["code"] == "leakage" and roles["x"] == "numeric"
    score, code = dataset.notes[:2]
    assert score.startswith(
        "Column 'score' alone sorts the rows into the classes of the target 'label' (sorted "
        "by it, the class changes only 2 times over 400 rows; a column with no link to the "
        "target would give about 2")
    assert "changes): it is probably computed from the target" in score
    assert "Column 'code' alone gives the class of the target 'label' for 100.0% of the " \
        "400 rows" in code


def test_a_rare_class_does_not_make_a_random_column_leak(tmp_path):
    """With 2 rows in 400 of one class, an unlinked column changes class rarely too; it
    must change it ten times less often than chance to be leakage."""
    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"x": rng.normal(size=400), "z": rng.choice(list("abc"), 400),
                          "y": ["rare"] * 2 + ["common"] * 398})
    assert not load_dataset(_csv(tmp_path, frame), "y").leaks


def test_one_leaky_column_among_ten_thousand_is_found():
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(rng.normal(size=(30, 10_000)).round(3),
                         columns=[f"c{i}" for i in range(10_000)])
    y = np.arange(30) % 2
    frame["c1234"] = y + rng.uniform(0, 0.5, 30)
    numeric = list(frame.columns)
    assert list(find_leaks(frame, y, "classification", numeric, [])) == ["c1234"]
    price = frame["c99"].to_numpy() ** 3
    assert list(find_leaks(frame, price, "regression", numeric, [])) == ["c99"]


def test_a_leaky_column_with_missing_values_is_still_found(tmp_path):
    rng = np.random.default_rng(8)
    price = rng.uniform(1, 100, 200)
    log_price = np.log(price)
    log_price[::7] = np.nan
    frame = pd.DataFrame({"x": rng.normal(size=200), "log_price": log_price, "price": price})
    dataset = load_dataset(_csv(tmp_path, frame), "price")
    assert _roles(dataset)["log_price"] == "leakage"


# --------------------------------------------------------------------------- keeping


def test_keep_uses_a_leaky_column_with_a_note_that_says_so(tmp_path):
    path = _csv(tmp_path, leaky_diabetes())
    dataset = load_dataset(path, "target", keep=["log_target"])
    assert _roles(dataset)["log_target"] == "numeric" and dataset.kept == ("log_target",)
    assert dataset.leaks[0].kept
    assert dataset.notes[0].startswith(
        "Column 'log_target' rises and falls with the target 'target' almost exactly (rank "
        "correlation 1.00), and it was kept as you chose")
    # A role chosen by hand keeps it too (the window's Keep button), with the same note.
    by_role = load_dataset(path, "target", roles={"log_target": "numeric"})
    assert by_role.notes[0] == dataset.notes[0] and by_role.kept == ()


def test_keep_uses_a_row_identifier_and_is_a_no_op_on_a_used_column(tmp_path):
    path = _csv(tmp_path, leaky_diabetes())
    dataset = load_dataset(path, "target", keep=["row", "bmi"])
    assert _roles(dataset)["row"] == "numeric" and dataset.kept == ("row",)
    assert not any("row identifier" in note for note in dataset.notes)


@pytest.mark.parametrize("keep, phrase", [
    ("log_targt", "There is no column called 'log_targt' in the table, so it cannot be kept. "
                  "Did you mean 'log_target'? The columns are: 'row', 'age'"),
    ("target", "Column 'target' is the target, so it cannot also be kept"),
])
def test_keep_names_a_column_of_the_table_that_is_not_the_target(tmp_path, keep, phrase):
    with pytest.raises(DatasetError, match="^" + phrase.replace("?", r"\?")):
        load_dataset(_csv(tmp_path, leaky_diabetes()), "target", keep=[keep])


# --------------------------------------------------------------------------- row identifiers


@pytest.mark.parametrize("name", ["Row Number", "record_no", "rownames", "obs", "KEY", "No.",
                                  "invoice_nr", "customerId", "#"])
def test_whole_numbers_named_like_an_id_are_identifiers(tmp_path, name):
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({name: rng.permutation(200) + 1000, "x": rng.normal(size=200),
                          "y": rng.normal(size=200)})
    assert _roles(load_dataset(_csv(tmp_path, frame), "y"))[name] == "id"
    assert _roles(load_dataset(_csv(tmp_path, frame), "y", rules=1))[name] == "numeric"


@pytest.mark.parametrize("numbers", ["gaps", "falling", "text"])
def test_row_numbers_with_gaps_falling_or_as_text_are_identifiers(tmp_path, numbers):
    rng = np.random.default_rng(10)
    n = 150
    counted = np.sort(rng.choice(np.arange(1, 1000), n, replace=False))
    column = {"gaps": counted, "falling": counted[::-1],
              "text": [f"R-{i:05d}" for i in counted]}[numbers]
    frame = pd.DataFrame({"n": column, "x": rng.normal(size=n), "y": rng.normal(size=n)})
    dataset = load_dataset(_csv(tmp_path, frame), "y")
    assert _roles(dataset)["n"] == "id"
    assert "Column 'n' looks like a row identifier" in dataset.notes[0]


def test_a_sorted_column_that_carries_signal_is_no_identifier(tmp_path):
    """A table sorted by a whole-number feature: it rises down the table like a row number
    with gaps, but it tells about the target, so it is learned from (with a note)."""
    rng = np.random.default_rng(11)
    income = np.sort(rng.choice(np.arange(20_000, 90_000), 300, replace=False))
    frame = pd.DataFrame({"income": income, "x": rng.normal(size=300),
                          "spend": income / 1000 + rng.normal(scale=15, size=300)})
    dataset = load_dataset(_csv(tmp_path, frame), "spend")
    assert _roles(dataset)["income"] == "numeric" and not dataset.leaks
    assert dataset.notes[0].startswith(
        "Column 'income' rises (or falls) steadily down the table like a row number, but it "
        "follows the target 'spend' (rank correlation 0.")
    assert _roles(load_dataset(_csv(tmp_path, frame), "spend", rules=1))["income"] == "numeric"


def test_a_row_counter_on_a_table_sorted_by_the_target_is_leakage_not_an_id(tmp_path):
    """iris lists its flowers species by species: a row number then gives the species."""
    frame = skdatasets.load_iris(as_frame=True).frame
    frame.insert(0, "row", np.arange(1, 151))
    dataset = load_dataset(_csv(tmp_path, frame), "target")
    assert _roles(dataset)["row"] == "leakage"
    assert "sorted by it, the class changes only 2 times over 150 rows" in dataset.notes[0]
    assert "it numbers rows that are sorted by the target, so it gives the target away" in \
        dataset.notes[0]


# --------------------------------------------------------------------------- duplicates


def test_duplicate_rows_are_counted_in_the_columns_used(tmp_path):
    rng = np.random.default_rng(12)
    frame = pd.DataFrame({"x": rng.normal(size=50).round(1), "c": rng.choice(list("ab"), 50),
                          "y": rng.normal(size=50)})
    frame = pd.concat([frame, frame.iloc[:3]], ignore_index=True)
    frame.insert(0, "id", np.arange(len(frame)) + 1)  # the repeats have their own ids
    dataset = load_dataset(_csv(tmp_path, frame), "y")
    assert dataset.notes[-1] == (
        "3 rows repeat another row exactly (in every column used and in the target 'y'); "
        "duplicates can sit in both the training and the validation folds, which makes "
        "cross-validation scores look better than they are. Remove them in the file if they "
        "are not real repeated measurements.")
    assert not any("repeat" in note for note in load_dataset(
        _csv(tmp_path, frame.iloc[:50], "u.csv"), "y").notes)


def test_count_duplicates_treats_missing_alike_and_compares_wide_tables_fast():
    frame = pd.DataFrame({"a": [1.0, 1.0, np.nan, np.nan, -0.0, 0.0],
                          "b": ["x", "x", None, None, "z", "z"],
                          "c": [True, True, False, False, True, True]})
    assert count_duplicates(frame, list(frame.columns)) == 3 == frame.duplicated().sum()
    assert count_duplicates(frame, ["a"]) == 3
    wide = pd.DataFrame(np.random.default_rng(13).integers(0, 2, size=(40, 200)))
    wide.columns = [f"c{i}" for i in range(200)]
    wide = pd.concat([wide, wide.iloc[[5, 6]]], ignore_index=True)
    wide.iloc[-1, 150] = 1 - wide.iloc[-1, 150]  # differs from row 6 in one late column
    assert count_duplicates(wide, list(wide.columns)) == int(wide.duplicated().sum()) == 1


# --------------------------------------------------------------------------- engine 1


def test_engine_1_rules_read_the_data_as_before(tmp_path):
    dataset = load_dataset(_csv(tmp_path, leaky_diabetes()), "target", rules=1)
    roles = _roles(dataset)
    assert roles["log_target"] == "numeric" and roles["row"] == "numeric"  # gaps: no id
    assert not dataset.leaks and dataset.rules == 1
    assert dataset.notes == (
        "This study was planned by an earlier version of hpt-gui, so its columns are read "
        "with that version's rules: the data checks added since (probable leakage, row "
        "numbers with gaps, duplicate rows) were not applied. Run it again under a new "
        "study name to apply them.",)


def test_a_long_table_is_first_looked_at_on_a_sample_of_rows_then_measured_on_all():
    rng = np.random.default_rng(14)
    n = 25_000  # longer than the sample: suspects are measured again on every row
    frame = pd.DataFrame(rng.normal(size=(n, 4)), columns=["a", "b", "c", "d"])
    price = rng.normal(size=n)
    frame["exp_price"] = np.exp(price)
    frame.loc[::3, "exp_price"] = np.nan
    frame["near"] = price + rng.normal(scale=0.3, size=n)  # strong, not leakage (rho ~0.96)
    numeric = list(frame.columns)
    found = find_leaks(frame, price, "regression", numeric, [])
    assert list(found) == ["exp_price"] and found["exp_price"].rows == n - (n + 2) // 3
    assert found["exp_price"].value == pytest.approx(1.0)
    label = (price > 0).astype(int)
    frame["score"] = label + rng.uniform(0, 0.9, n)
    flipped = rng.choice(n, 100, replace=False)  # 0.4 % out of place: still leakage
    frame.loc[flipped, "score"] = rng.uniform(0, 2, 100)
    found = find_leaks(frame, label, "classification", [*numeric, "score"], [])
    # exp_price gives the sign of the price too: sorted by it, the classes come in 2 blocks
    assert list(found) == ["exp_price", "score"] and found["score"].rows == n
    assert found["exp_price"].value == 1
