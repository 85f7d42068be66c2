"""The model list and search-space editor: what the user ticks and types becomes the space."""

import json

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from hpt_gui.core.catalog import MODELS, get_model, models_for_task  # noqa: E402
from hpt_gui.core.space import Categorical, FloatRange, SearchSpace, SpaceError  # noqa: E402
from hpt_gui.ui.space_editor import (  # noqa: E402
    NAME,
    SpaceEditor,
    format_value,
    parse_value,
    split_choices,
)


@pytest.fixture
def editor(qtbot):
    widget = SpaceEditor("classification")
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    return widget


def _type(qtbot, field, text):
    field.clear()
    qtbot.keyClicks(field, text)


def _item(editor, name):
    return next(editor.model_list.item(i) for i in range(editor.model_list.count())
                if editor.model_list.item(i).data(Qt.ItemDataRole.UserRole) == name)


def test_set_task_lists_only_that_tasks_models(editor):
    assert editor.models() == [m.name for m in models_for_task("classification")]
    svc = _item(editor, "SVC")
    assert svc.text() == "Support vector machine (SVC)"
    assert svc.toolTip() == get_model("SVC").summary
    editor.set_task("regression")
    assert editor.models() == [m.name for m in models_for_task("regression")]
    assert "SVC" not in editor.models()
    editor.set_task(None)
    assert editor.models() == list(MODELS)


def test_ticking_two_models_selects_them_in_list_order(editor, qtbot):
    assert editor.selected_models() == []
    with qtbot.waitSignal(editor.selection_changed):
        _item(editor, "RandomForestClassifier").setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(editor.selection_changed):
        _item(editor, "SVC").setCheckState(Qt.CheckState.Checked)
    assert editor.selected_models() == ["SVC", "RandomForestClassifier"]
    assert editor.page("SVC").tune_check.isChecked()
    assert "2 models ticked" in editor.selection_label.text()

    editor.select_models(["LogisticRegression"])
    assert editor.selected_models() == ["LogisticRegression"]
    with pytest.raises(ValueError, match="Ridge"):
        editor.select_models(["Ridge"])  # a regression model in a classification list


def test_clicking_a_model_shows_its_hyperparameters(editor):
    editor.model_list.setCurrentItem(_item(editor, "RandomForestClassifier"))
    page = editor.stack.currentWidget()
    assert page is editor.page("RandomForestClassifier")
    assert [page.table.item(r, NAME).data(Qt.ItemDataRole.UserRole)
            for r in range(page.table.rowCount())] == [
        h.name for h in get_model("RandomForestClassifier").hyperparameters]


def test_high_below_low_marks_the_field_and_space_for_raises(editor, qtbot):
    editor.select_models(["SVC"])
    page = editor.page("SVC")
    high = page.field("C", "high")
    with qtbot.waitSignal(editor.space_changed):
        _type(qtbot, high, "0.001")
    assert high.property("invalid") is True
    assert "low (0.01) is above high (0.001)" in high.toolTip()
    assert "low (0.01) is above high (0.001)" in page.error_label.text()
    assert page.error_label.isVisibleTo(page)
    with pytest.raises(SpaceError, match="above high"):
        editor.space_for("SVC")
    assert "above high" in editor.errors()["SVC"]
    assert page.count_text.startswith("Fix the marked field")

    _type(qtbot, high, "100")
    assert high.property("invalid") is False
    assert "above high" not in high.toolTip()
    assert editor.errors() == {}
    assert editor.space_for("SVC")["C"].high == 100.0


def test_text_where_a_number_belongs_is_a_sentence_on_that_field(editor, qtbot):
    page = editor.page("RandomForestClassifier")
    low = page.field("max_depth", "low")
    _type(qtbot, low, "abc")
    assert low.property("invalid") is True
    assert low.toolTip() == "'max_depth': low must be a number, not \"abc\"."
    _type(qtbot, low, "2.5")
    assert "whole number" in low.toolTip()


def test_unticking_search_keeps_the_typed_value(editor, qtbot):
    page = editor.page("SVC")
    page.field("C", "search").setChecked(False)
    fixed = page.field("C", "fixed")
    assert fixed.text()  # starts at the range's middle
    _type(qtbot, fixed, "10")
    page.field("kernel", "search").setChecked(False)
    _type(qtbot, page.field("kernel", "fixed"), "linear")
    space = editor.space_for("SVC")
    assert space["C"] == Categorical("C", (10,))
    assert space["kernel"] == Categorical("kernel", ("linear",))
    # gamma and degree only matter for rbf/poly kernels: left out, and the row says so
    assert space.names == ["C", "kernel"]
    assert "not used" in page._name_labels["gamma"].text()
    assert page.count_text == "1 candidate in a grid search"

    _type(qtbot, page.field("C", "fixed"), "ten")
    assert "must be a number" in page.field("C", "fixed").toolTip()
    # ticking Search again brings the range back as it was
    page.field("C", "search").setChecked(True)
    assert editor.space_for("SVC")["C"] == get_model("SVC").default_space["C"]


def test_categorical_choices_parse_numbers_flags_null_and_text(editor, qtbot):
    page = editor.page("MLPClassifier")
    _type(qtbot, page.field("early_stopping", "choices"), "true, false, null, maybe, 3, 0.5")
    assert editor.space_for("MLPClassifier")["early_stopping"].choices == (
        True, False, None, "maybe", 3, 0.5)
    assert parse_value('"1"') == "1" and parse_value("1e-3") == 0.001
    assert split_choices('a, "b, c", 2') == ["a", '"b, c"', "2"]
    for value in (1, 1.0, 1e-12, True, None, "rbf", "1", "a, b", "true"):
        assert parse_value(format_value(value)) == value
        assert type(parse_value(format_value(value))) is type(value)


def test_presets_change_grid_sizes_and_edits_stay_per_model(editor, qtbot):
    sizes = {}
    for preset in ("quick", "default", "thorough"):
        editor.set_preset("SVC", preset)
        assert editor.page("SVC").preset_combo.currentText() == preset
        sizes[preset] = len(editor.space_for("SVC").grid())
    assert sizes["quick"] < sizes["default"] < sizes["thorough"]
    # a grid that may exceed 500 candidates is counted off the GUI thread, as the window does
    qtbot.waitUntil(lambda: editor.page("SVC").count_text
                    == f"{sizes['thorough']:,} candidates in a grid search", timeout=10_000)
    editor.set_preset("SVC", "default")
    assert editor.space_for("SVC") == get_model("SVC").default_space
    assert editor.page("SVC").count_text == "130 candidates in a grid search"

    rf = editor.page("RandomForestClassifier")
    editor.show_model("RandomForestClassifier")
    _type(qtbot, rf.field("max_depth", "high"), "7")
    assert rf.preset_combo.currentText() == "custom"
    editor.show_model("SVC")
    editor.show_model("RandomForestClassifier")
    assert rf.field("max_depth", "high").text() == "7"
    assert editor.space_for("RandomForestClassifier")["max_depth"].high == 7


def test_a_large_grid_is_counted_without_blocking(editor, qtbot):
    page = editor.page("MLPClassifier")
    qtbot.waitUntil(lambda: "candidates in a grid search" in page.count_text, timeout=20_000)
    assert page.count_text == f"{len(get_model('MLPClassifier').default_space.grid()):,} " \
                              "candidates in a grid search"
    editor.set_preset("MLPClassifier", "thorough")
    qtbot.waitUntil(lambda: page.count_text == "too many for a grid search", timeout=20_000)


def test_save_then_load_round_trips_the_cli_json(editor, qtbot, tmp_path):
    page = editor.page("SVC")
    _type(qtbot, page.field("C", "high"), "100")
    page.field("C", "log").setChecked(False)
    _type(qtbot, page.field("C", "step"), "10")
    _type(qtbot, page.field("kernel", "choices"), "rbf, poly")
    _type(qtbot, page.field("gamma", "grid_points"), "3")
    edited = editor.space_for("SVC")
    path = tmp_path / "svc.json"
    editor.save_space("SVC", path)
    assert json.loads(path.read_text()) == edited.to_json()
    assert edited["C"] == FloatRange("C", 0.01, 100, step=10)

    fresh = SpaceEditor("classification")
    qtbot.addWidget(fresh)
    fresh.load_space("SVC", path)
    assert fresh.space_for("SVC") == SearchSpace.load(path) == edited
    assert fresh.page("SVC").field("kernel", "choices").text() == "rbf, poly"

    # a file with a subset, in its own order: the rest stays at the model's defaults
    subset = tmp_path / "subset.json"
    subset.write_text('{"kernel": {"type": "categorical", "choices": ["rbf"]}, '
                      '"C": {"type": "float", "low": 1, "high": 10}}')
    fresh.load_space("SVC", subset)
    assert fresh.space_for("SVC") == SearchSpace.load(subset)
    assert fresh.page("SVC").field("gamma", "fixed").text() == ""


def test_a_bad_file_is_a_sentence_and_changes_nothing(editor, tmp_path):
    before = editor.space_for("SVC")
    bad = tmp_path / "bad.json"
    bad.write_text('{"C": {"type": "float", "low": 5, "high": 1}}')
    with pytest.raises(SpaceError, match="low .* is above high"):
        editor.load_space("SVC", bad)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(SpaceError, match="not valid JSON"):
        editor.load_space("SVC", broken)
    wrong = tmp_path / "forest.json"
    wrong.write_text('{"n_estimators": {"type": "int", "low": 10, "high": 50}}')
    with pytest.raises(SpaceError, match="SVC has no parameter 'n_estimators'"):
        editor.load_space("SVC", wrong)
    assert editor.space_for("SVC") == before


def test_help_pane_and_row_tooltip_explain_the_selected_row(editor):
    page = editor.page("SVC")
    hp = get_model("SVC").hyperparameter("C")
    assert hp.overfit not in page.help_text()
    page.select_param("C")
    assert hp.overfit in page.help_text()
    assert hp.help in page.help_text()
    assert "C — penalty for errors" in page.help_text()
    row = page.row_of("C")
    assert page.table.item(row, NAME).toolTip() == f"{hp.help}\n{hp.overfit}"
    # clicking into a row's field selects the row
    page.field("gamma", "low").setFocus()
    page.select_param("gamma")
    assert get_model("SVC").hyperparameter("gamma").overfit in page.help_text()
    assert "only when kernel is rbf or poly" in page._name_labels["gamma"].text()



def test_every_column_header_fits_also_in_a_larger_font(qtbot, qapp):
    """'Grid points' was cut to 'Grid poi' with a system font larger than hpt-gui's 10 pt:
    the columns had fixed pixel widths."""
    from hpt_gui.ui.space_editor import COLUMNS, ModelSpacePage

    normal = qapp.font()
    large = qapp.font()
    large.setPointSizeF(15)
    qapp.setFont(large)
    try:
        page = ModelSpacePage(get_model("RandomForestClassifier"))
        qtbot.addWidget(page)
        header = page.table.horizontalHeader()
        cut = [name for column, name in enumerate(COLUMNS) if column != NAME and
               header.fontMetrics().horizontalAdvance(name) + 12 > page.table.columnWidth(column)]
    finally:
        qapp.setFont(normal)
    assert not cut


def test_every_column_fits_the_table_of_a_1280_by_800_window(qtbot):
    """At 1280x800 the table gets about 745 px: 'Log', 'Step' and 'Grid points' were
    scrolled off to the right because the names kept 230 px; names wrap instead."""
    from hpt_gui.ui.space_editor import COLUMNS, ModelSpacePage

    page = ModelSpacePage(get_model("MLPClassifier"))  # rows enough for a vertical scroll bar
    qtbot.addWidget(page)
    page.resize(750, 500)
    page.show()
    qtbot.waitExposed(page)
    viewport = page.table.viewport().width()
    assert viewport <= 750
    widths = sum(page.table.columnWidth(column) for column in range(len(COLUMNS)))
    assert widths <= viewport, (widths, viewport)
    assert page.table.horizontalScrollBar().maximum() == 0
