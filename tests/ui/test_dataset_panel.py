"""The data panel loads files and demo sets, shows what the loader decided, and takes overrides."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402

from hpt_gui.core.dataset import Dataset, DatasetError, load_dataset  # noqa: E402
from hpt_gui.ui.dataset_panel import EMPTY_TEXT, DatasetPanel  # noqa: E402
from hpt_gui.ui.frame_model import DataFrameTableModel  # noqa: E402


@pytest.fixture
def panel(qtbot):
    widget = DatasetPanel()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    return widget


@pytest.fixture
def shop_csv(tmp_path):
    """40 rows: a numeric column with missing values, a text column, a numeric alternative
    target, and a text target (the last column, so it is the suggested target)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "age": np.where(np.arange(40) % 4 == 0, np.nan, rng.integers(18, 80, 40)),
            "city": ["Paris", "Lyon", "Nice", "Lille", "Nantes"] * 8,
            "spend": rng.normal(100, 20, 40).round(2),
            "bought": ["yes", "no"] * 20,
        }
    )
    path = tmp_path / "shop.csv"
    frame.to_csv(path, index=False)
    return path


def test_empty_panel_offers_demos_and_open_file(panel, qtbot):
    assert panel.dataset is None and panel.source is None
    assert not panel.preview_view.isVisibleTo(panel)
    assert panel.demo_buttons["iris"].isVisibleTo(panel)
    assert EMPTY_TEXT.startswith("Open a data file (CSV, TSV, Excel, Parquet) or drop it here")
    assert set(panel.demo_buttons) == {"iris", "wine", "breast_cancer", "diabetes", "digits"}
    assert panel.demo_buttons["iris"].text() == "iris — 150 flowers, 3 species (classification)"
    with qtbot.waitSignal(panel.open_file_requested, timeout=1000):
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)


def test_loading_a_csv_shows_shape_target_task_and_notes(panel, qtbot, shop_csv):
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        assert panel.load(str(shop_csv)) is True
    dataset = signal.args[0]
    assert isinstance(dataset, Dataset) and dataset is panel.dataset
    assert panel.source == str(shop_csv)
    assert dataset.target == "bought" and dataset.task == "classification"
    assert panel.message == ""
    assert "shop.csv" in panel.header_label.text()
    assert "40 rows × 4 columns" in panel.header_label.text()
    assert panel.target_combo.currentData() == "bought"
    assert [panel.target_combo.itemData(i) for i in range(panel.target_combo.count())] == [
        "age",
        "city",
        "spend",
        "bought",
    ]
    assert panel.task_combo.currentData() == "classification"
    model = panel.preview_model
    assert (model.rowCount(), model.columnCount()) == (40, 4)
    assert model.index(0, 0).data() == ""  # the first age is missing: an empty cell
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 1).data() == "Paris"
    # One row per column, the target without a role choice, the others with one.
    assert panel.columns_table.rowCount() == 4
    assert panel.role_combo("bought") is None
    assert panel.role_combo("age").currentData() == "numeric"
    assert panel.role_combo("city").currentData() == "categorical"
    assert panel.columns_table.item(0, 3).text() == "25 %"
    # The loader's notes, as sentences.
    assert panel.notes() == list(dataset.notes)
    assert any("'age'" in note and "missing" in note for note in panel.notes())


def _column_cells(panel, column: int) -> dict[str, str]:
    table = panel.columns_table
    return {table.item(row, 0).text(): table.item(row, column).text()
            for row in range(table.rowCount())}


@pytest.fixture
def claims_csv(tmp_path):
    """200 claims: 18 % of the ages missing, a few kinds of value, and a target where
    'fraud' is 5 % of the rows."""
    rng = np.random.default_rng(4)
    n = 200
    frame = pd.DataFrame({
        "age": np.where(np.arange(n) % 50 < 9, np.nan, rng.integers(18, 90, n)),
        "amount": rng.gamma(2.0, 300.0, n).round(2),
        "region": rng.choice(["north", "south", "east", "west"], n),
        "opened": pd.date_range("2024-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "online": rng.choice(["yes", "no"], n),
        "label": np.where(np.arange(n) % 20 == 0, "fraud", "ok"),
    })
    path = tmp_path / "claims.csv"
    frame.to_csv(path, index=False)
    return path


def test_the_data_step_gives_a_first_look_at_each_column_and_the_class_balance(
        panel, claims_csv):
    """Issue 17, item 8: plain types, missing shares in numbers, a picture per column, and
    the target's class balance with a sentence when it is uneven."""
    from hpt_gui.ui.column_pictures import DISTRIBUTION_ROLE

    assert panel.load(str(claims_csv))
    headers = [panel.columns_table.horizontalHeaderItem(i).text()
               for i in range(panel.columns_table.columnCount())]
    assert headers == ["Column", "Role", "Type", "Missing", "Values"]
    assert _column_cells(panel, 2) == {
        "age": "whole number", "amount": "number", "region": "category", "opened": "date",
        "online": "yes/no", "label": "category"}
    assert not {"int64", "float64", "object", "str"} & set(_column_cells(panel, 2).values())
    missing = _column_cells(panel, 3)
    assert missing["age"] == "18 %" and missing["amount"] == "0 %"
    age_row = list(_column_cells(panel, 0)).index("age")
    assert panel.columns_table.item(age_row, 3).toolTip() == "36 of 200 rows have no value here"
    # every column has its picture's counts; the notes give the share too, never "a few"
    pictures = [panel.columns_table.item(row, 4).data(DISTRIBUTION_ROLE)
                for row in range(panel.columns_table.rowCount())]
    assert all(picture is not None and sum(picture.counts) > 0 for picture in pictures)
    distinct = panel.dataset.frame["age"].nunique()
    assert panel.columns_table.item(age_row, 4).toolTip().startswith(
        f"{distinct} different values\nValues of 'age' from 18 to ")
    assert any("'age' (18 %)" in note for note in panel.notes())
    assert not any("a few missing" in note for note in panel.notes())
    # the target: bars with counts and shares, and what the app does about the imbalance
    balance = panel.target_view.balance
    assert balance.labels == ("ok", "fraud") and balance.counts == (190, 10)
    assert balance.shares == (0.95, 0.05)
    assert panel.target_title.text() == "Target 'label' — rows per class"
    sentence = panel.target_view.sentence
    assert sentence.startswith("The classes of 'label' are imbalanced: the smallest, 'fraud', "
                               "has 10 rows (5 %)")
    assert "stratified" in sentence and "balanced accuracy or F1" in sentence
    assert panel.target_view.sentence_label.isVisibleTo(panel)


def test_a_number_target_shows_its_values_instead_of_classes(panel, qtbot):
    assert panel.load("demo:diabetes")
    assert panel.target_view.balance is None
    assert panel.target_title.text() == "Target 'target' — its values"
    assert panel.target_view.sentence.startswith("'target' runs from 25 to 346")


def test_demo_button_loads_iris(panel, qtbot):
    with qtbot.waitSignal(panel.dataset_changed, timeout=30000) as signal:
        qtbot.mouseClick(panel.demo_buttons["iris"], Qt.MouseButton.LeftButton)
    assert panel.source == "demo:iris"
    assert signal.args[0].n_rows == 150 and signal.args[0].task == "classification"
    assert panel.preview_model.rowCount() == 150
    # iris repeats one flower exactly; nothing else is wrong (no column leaks the species)
    assert len(panel.notes()) == 1 and panel.notes()[0].startswith(
        "1 row repeats another row exactly")
    assert not panel.leakage_box.isVisibleTo(panel)


def test_changing_the_target_reloads_with_it(panel, qtbot, shop_csv):
    panel.load(str(shop_csv))
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        panel.target_combo.setCurrentIndex(panel.target_combo.findData("spend"))
    dataset = signal.args[0]
    assert dataset.target == "spend" and dataset.task == "regression"
    assert panel.task_combo.currentData() == "regression"
    assert panel.role_combo("spend") is None
    assert panel.role_combo("bought").currentData() == "categorical"
    assert "bought" in dataset.feature_names


def test_changing_a_role_to_id_sets_the_column_aside(panel, qtbot, shop_csv):
    panel.load(str(shop_csv))
    assert "city" in panel.dataset.feature_names
    combo = panel.role_combo("city")
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        combo.setCurrentIndex(combo.findData("id"))
    assert "city" not in signal.args[0].feature_names
    assert panel.role_combo("city").currentData() == "id"
    assert panel.role_combo("city").itemData(combo.findData("id"), Qt.ItemDataRole.ToolTipRole) == (
        "ID-like: a row identifier, not used as a feature."
    )


def test_a_change_that_does_not_work_is_undone_with_a_sentence(panel, qtbot, shop_csv):
    dataset = panel.load(str(shop_csv)) and panel.dataset
    with qtbot.assertNotEmitted(panel.dataset_changed):
        panel.set_role("city", "numeric")  # applied off the GUI thread
        qtbot.waitUntil(lambda: not panel.is_busy(), timeout=5000)
    assert "cannot be used as a number" in panel.message
    assert panel.dataset is dataset
    assert panel.role_combo("city").currentData() == "categorical"


def test_a_malformed_file_shows_the_sentence_and_emits_none(panel, qtbot, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3,4,5,6\n")
    with pytest.raises(DatasetError) as error:
        load_dataset(bad)
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        assert panel.load(str(bad)) is False
    assert signal.args == [None]
    assert panel.dataset is None
    assert panel.message == str(error.value)
    assert panel.message_label.isVisibleTo(panel)


def test_a_readable_file_that_cannot_be_used_shows_its_table(panel, qtbot, tmp_path):
    path = tmp_path / "one_class.csv"
    x = np.random.default_rng(2).normal(size=20)
    pd.DataFrame({"x": x, "z": [1.5, 2.5] * 10, "y": ["a"] * 20}).to_csv(path, index=False)
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        assert panel.load(str(path)) is False
    assert signal.args == [None]
    assert "only one class" in panel.message
    assert panel.preview_model.rowCount() == 20
    # Picking another target fixes it.
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        panel.set_target("z")
    assert signal.args[0].target == "z" and panel.message == ""


def test_dropping_a_file_loads_it(panel, qtbot, shop_csv):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(shop_csv))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000):
        panel.dropEvent(event)
    assert panel.source == str(shop_csv)


def test_frame_model_serves_a_million_rows():
    values = np.random.default_rng(1).normal(size=(1_000_000, 5))
    values[3, 2] = np.nan
    frame = pd.DataFrame(values, columns=[f"c{i}" for i in range(5)])
    model = DataFrameTableModel(frame)
    assert model.rowCount() == 1_000_000 and model.columnCount() == 5
    assert model.index(999_999, 4).data() == f"{values[999_999, 4]:.4g}"
    assert model.index(3, 2).data() == ""
    assert model.headerData(0, Qt.Orientation.Horizontal) == "c0"
    assert "float64" in model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    model.set_frame(None)
    assert model.rowCount() == 0 and model.columnCount() == 0


def test_frame_model_formats_each_kind_of_value():
    frame = pd.DataFrame(
        {
            "n": [123456, 2],
            "f": [3.14159265, 1e-7],
            "s": ["x", None],
            "b": [True, False],
            "d": pd.to_datetime(["2024-01-02", None]),
        }
    )
    model = DataFrameTableModel(frame)
    cells = [[model.index(r, c).data() for c in range(5)] for r in range(2)]
    assert cells == [
        ["123456", "3.142", "x", "True", "2024-01-02"],
        ["2", "1e-07", "", "False", ""],
    ]


BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


@pytest.mark.parametrize("name", [
    "empty.csv", "header_only.csv", "binary_garbage.csv", "null_bytes.csv",
    "zipped_but_named.csv", "corrupt.xlsx", "html_page.csv", "ragged_rows.csv",
    "infinities.csv", "nested.parquet", "single_column.csv", "all_missing_target.csv",
])
def test_the_bad_input_corpus_shows_sentences_in_the_panel(panel, qtbot, name):
    """tests/core/test_bad_input.py checks every corpus file in the core and the CLI; the
    window shows the same sentence, keeps running, and never writes the file."""
    before = (BAD / name).read_bytes()
    assert panel.load(str(BAD / name)) is False
    assert panel.dataset is None and panel.message.endswith(".")
    assert panel.message_label.isVisibleTo(panel)
    assert (BAD / name).read_bytes() == before


@pytest.fixture
def leaky_csv(tmp_path):
    """A price, its log (probable leakage), a row number with gaps, and two features."""
    rng = np.random.default_rng(3)
    price = rng.uniform(10, 500, 120)
    frame = pd.DataFrame({
        "row": np.sort(rng.choice(np.arange(1, 400), 120, replace=False)),
        "size": price / 5 + rng.normal(0, 15, 120),
        "rooms": rng.integers(1, 6, 120),
        "log_price": np.log(price),
        "price": price,
    })
    path = tmp_path / "leaky.csv"
    frame.to_csv(path, index=False)
    return path


def test_probable_leakage_stands_out_with_a_keep_button(panel, qtbot, leaky_csv):
    assert panel.load(str(leaky_csv))
    dataset = panel.dataset
    assert dataset.target == "price" and "log_price" not in dataset.feature_names
    assert panel.leakage_box.isVisibleTo(panel)
    assert list(panel.keep_buttons) == ["log_price"]
    assert panel.keep_buttons["log_price"].text() == "Keep 'log_price'"
    assert panel.role_combo("log_price").currentData() == "leakage"
    assert panel.role_combo("log_price").currentText() == "probable leakage"
    assert panel.role_combo("row").currentData() == "id"
    # The leakage note is in the box, the others under Notes; notes() gives them all.
    assert panel.notes() == list(dataset.notes)
    assert panel.notes()[0].startswith("Column 'log_price' rises and falls with the target")
    listed = [panel.notes_list.item(i).text() for i in range(panel.notes_list.count())]
    assert panel.notes()[0] not in listed
    assert "Columns — 2 used to learn from, 1 target, 2 set aside" == panel.columns_title.text()
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        qtbot.mouseClick(panel.keep_buttons["log_price"], Qt.MouseButton.LeftButton)
    kept = signal.args[0]
    assert "log_price" in kept.feature_names
    assert panel.role_combo("log_price").currentData() == "numeric"
    assert not panel.leakage_box.isVisibleTo(panel) and panel.keep_buttons == {}
    first = panel.notes_list.item(0)
    assert "it was kept as you chose" in first.text() and first.font().bold()
    # Setting the role back sets it aside again, with its Keep button.
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000):
        panel.set_role("log_price", "leakage")
    assert panel.leakage_box.isVisibleTo(panel) and list(panel.keep_buttons) == ["log_price"]


def _odd_data_file(kind: str, folder: Path) -> Path:
    """A named pipe, a symbolic link to itself, or a workbook whose table is on its
    second sheet (issue 16, item 7)."""
    import os

    path = folder / {"pipe": "f.csv", "loop": "loop.csv", "sheets": "book.xlsx"}[kind]
    if kind == "pipe":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(path)
    elif kind == "loop":
        try:
            os.symlink(path.name, path)
        except OSError:
            pytest.skip("symbolic links cannot be made here")
    else:
        with pd.ExcelWriter(path) as writer:
            pd.DataFrame().to_excel(writer, sheet_name="Cover", index=False)
            pd.DataFrame({"x": range(12), "y": ["a", "b"] * 6}).to_excel(
                writer, sheet_name="Data", index=False)
    return path


@pytest.mark.parametrize(("kind", "phrase"), [
    ("pipe", "is not an ordinary file (it is a named pipe"),
    ("loop", "is a symbolic link that points to itself (a loop)"),
    ("sheets", "The first sheet 'Cover' of 'book.xlsx' holds no table; the sheet 'Data' "
               "does."),
])
def test_odd_data_files_show_the_cores_sentence(panel, qtbot, tmp_path, kind, phrase):
    from pipe_guard import released_after

    path = _odd_data_file(kind, tmp_path)
    with released_after(path):  # a pipe read that waits is set free: a failure, no hang
        with pytest.raises(DatasetError) as error:
            load_dataset(path)
        assert panel.load(str(path)) is False
    assert phrase in str(error.value)
    assert panel.message == str(error.value)
    assert panel.message_label.isVisibleTo(panel)


def test_the_file_is_read_once_and_choices_reinterpret_it(panel, qtbot, shop_csv,
                                                          monkeypatch):
    """Changing the target or a role applies the choice to the table in memory
    (the file is read once, off the GUI thread); a role change summarises no column again."""
    import threading

    from hpt_gui.core import column_summary
    from hpt_gui.core import dataset as core_dataset

    reads, summarised = [], []
    read = core_dataset.read_table_with_options
    summarize = column_summary.summarize_columns

    def counting_read(source):
        reads.append(threading.current_thread() is threading.main_thread())
        return read(source)

    def counting_summaries(frame, seed=0, columns=None):
        summarised.append(sorted(columns) if columns is not None else list(frame.columns))
        return summarize(frame, seed, columns)

    monkeypatch.setattr(core_dataset, "read_table_with_options", counting_read)
    monkeypatch.setattr(column_summary, "summarize_columns", counting_summaries)
    assert panel.load(str(shop_csv))
    assert reads == [False]  # read once, not on the GUI thread
    assert summarised == [["age", "bought", "city", "spend"]]
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        panel.set_target("spend")
    assert signal.args[0].target == "spend"
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        panel.set_role("city", "id")
    assert "city" not in signal.args[0].feature_names
    with qtbot.waitSignal(panel.dataset_changed, timeout=5000) as signal:
        panel.set_target("bought")
    assert signal.args[0].target == "bought"
    assert reads == [False]
    # 'age' has missing values but the targets none: the same rows, so nothing is
    # summarised again; the pictures shown are those of a whole summary.
    assert summarised == [["age", "bought", "city", "spend"]]
    shown = [panel.columns_table.item(row, 2).text()
             for row in range(panel.columns_table.rowCount())]
    assert shown == [s.plain_type for s in summarize(panel.dataset.frame)]
    # A new file is read again.
    assert panel.load(str(shop_csv))
    assert reads == [False, False]


def test_a_newer_choice_wins_over_one_still_being_applied(panel, qtbot, shop_csv):
    assert panel.load(str(shop_csv))
    panel.set_target("spend")
    panel.set_target("age")  # before the first answer came
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=5000)
    assert panel.dataset.target == "age"
    assert panel.target_combo.currentData() == "age"
