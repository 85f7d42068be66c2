"""The compare page: the conclusion on top, one row per study, the picker, the empty state."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hpt_gui.cli import main
from hpt_gui.ui.compare_view import EMPTY, CompareView


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A decision stump and a logistic regression on the same 5 folds of iris."""
    path = tmp_path_factory.mktemp("compare_view") / "two.hpt"
    common = ["--data", "demo:iris", "--cv", "5", "--project", str(path), "--quiet"]
    assert main(["run", *common, "--model", "DecisionTreeClassifier", "--strategy", "manual",
                 "--params", '{"max_depth": 1}', "--study", "stump"]) == 0
    assert main(["run", *common, "--model", "LogisticRegression", "--strategy", "random",
                 "--trials", "2", "--study", "logistic"]) == 0
    return path


@pytest.fixture
def view(qtbot):
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    return widget


def _column(view, name):
    headers = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    return [view.table.item(r, headers.index(name)).text() for r in range(view.table.rowCount())]


def test_the_view_fills_from_a_project_with_two_studies(view, project):
    view.set_project(project)
    assert view.stack.currentIndex() == 1
    assert view.header.text().count("Best: logistic (accuracy 0.9") == 1
    assert "stump is almost certainly worse (&gt;99 % chance that logistic is better" in \
        view.header.text()
    assert _column(view, "Study") == ["stump\nDecisionTreeClassifier, manual",
                                      "logistic\nLogisticRegression, random"]
    assert _column(view, "p") == ["p < 0.001", ""]
    assert _column(view, "Versus the best")[0].startswith("logistic beats stump on 5 of 5")
    assert "logistic is almost certainly better" in _column(view, "Versus the best")[0]
    assert _column(view, "Chances") == ["best better >99 %\nequivalent <1 %\nthis better <1 %",
                                        ""]
    assert _column(view, "Best score (± std)")[0].startswith("0.667")
    assert "accuracy per fold" in view.plot.getPlotItem().getAxis("left").labelText
    legend = view.legend.text()  # under the plot, so it covers no fold
    assert "the best study" in legend and "worse than the best" in legend
    assert "equivalent" not in legend  # only the colours drawn
    ticks = view.plot.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert [text for _, text in ticks] == ["stump", "logistic"]


def test_the_equivalence_width_recomputes(view, project, monkeypatch):
    view.set_project(project)
    assert view.rope.value() == pytest.approx(0.01) and "0.01 is one point" in \
        view.rope.toolTip()
    assert view.rope_hint.text().startswith("in accuracy")
    summarized = []
    import hpt_gui.ui.compare_view as page

    monkeypatch.setattr(page, "summarize", lambda *a: summarized.append(a) or None)
    view.rope.setValue(0.5)  # stump trails by about 0.31: within ±0.5 it is a tie
    assert not summarized  # the studies are not summed up again for a new width
    assert view.comparison.rope == 0.5
    assert "practically equivalent to it" in view.header.text()
    assert _column(view, "Versus the best")[0].endswith(
        "less than ±0.5; prefer the simpler or faster one.")
    assert _column(view, "Chances")[0].startswith("best better <1 %\nequivalent >99 %")
    view.rope.setValue(0.01)
    assert "almost certainly worse" in view.header.text()


def test_unticking_a_study_leaves_it_out(view, project):
    view.set_project(project)
    view.picker.item(1).setCheckState(Qt.CheckState.Unchecked)  # logistic
    assert [name.split("\n")[0] for name in _column(view, "Study")] == ["stump"]
    assert view.header.text().startswith("<span") and "Best: stump" in view.header.text()
    assert "Run another study" in view.header.text()
    view.reload()  # the choice is kept when the project is read again
    assert [name.split("\n")[0] for name in _column(view, "Study")] == ["stump"]


def test_double_clicking_a_row_opens_that_study(view, project, qtbot):
    view.set_project(project)
    rect = view.table.visualItemRect(view.table.item(1, 0))
    with qtbot.waitSignal(view.study_opened, timeout=2000) as opened:
        # a view takes a double-click on the row it was pressed on: press, then double
        QTest.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())
    assert opened.args == ["logistic"]


def test_an_empty_project_says_what_to_do(view, tmp_path):
    view.set_project(None)
    assert view.stack.currentIndex() == 0 and view.empty.text() == EMPTY
    view.set_project(tmp_path / "missing.hpt")
    assert view.stack.currentIndex() == 0 and view.empty.text() == EMPTY
    assert not (tmp_path / "missing.hpt").exists()


def test_the_table_exports_as_a_csv_never_over_the_project(view, project, tmp_path):
    import os

    import pandas as pd

    view.set_project(project)
    out = view.export_table(str(tmp_path / "compare.csv"))
    table = pd.read_csv(out)
    assert list(table["study"]) == ["stump", "logistic"]
    assert table["best_mean"].dtype == float and "versus_the_best" in table.columns
    assert "saved" in view.export_note.text()
    link = tmp_path / "link.hpt"
    os.link(project, link)
    before = project.read_bytes()
    assert view.export_table(str(link)) is None
    assert "would be overwritten" in view.export_note.text()
    assert project.read_bytes() == before


def test_short_study_names_leave_the_room_to_the_sentences(qtbot, project):
    """At 1280x800 the Study column kept 230 px for short names while 'Versus the best'
    wrapped into a row taller than the table."""
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(1050, 700)  # the page in a 1280x800 window
    widget.show()
    widget.set_project(project)
    from PySide6.QtGui import QFontMetrics

    header = widget.table.horizontalHeader()
    items = [widget.table.item(row, 0) for row in range(widget.table.rowCount())]
    widest = max(QFontMetrics(item.font()).horizontalAdvance(line)
                 for item in items for line in item.text().splitlines())
    # every name's lines whole (up to the most the column takes), and no room wasted
    assert header.sectionSize(0) >= min(230, widest)
    assert header.sectionSize(0) <= widest + 16
