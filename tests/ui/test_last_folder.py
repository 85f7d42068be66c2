"""Save dialogs open in the folder last used for their kind of file, across sessions."""

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QFileDialog  # noqa: E402

from hpt_gui.cli import main  # noqa: E402
from hpt_gui.ui.main_window import ResultsPage  # noqa: E402


def test_each_kind_of_export_opens_where_the_last_one_went(qtbot, tmp_path, monkeypatch):
    project = tmp_path / "p.hpt"
    assert main(["run", "--data", "demo:iris", "--target", "target", "--model",
                 "GaussianNB", "--strategy", "grid", "--cv", "2", "--project", str(project),
                 "--study", "nb", "--quiet"]) == 0
    tables, scripts = tmp_path / "tables", tmp_path / "scripts"
    tables.mkdir()
    scripts.mkdir()
    asked, answers = [], iter([tables / "first.csv", scripts / "nb.py", tables / "again.csv"])

    def save_dialog(parent, caption, start, filters=""):
        asked.append(start)
        return str(next(answers)), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    page = ResultsPage()
    qtbot.addWidget(page)
    page.set_project(project)
    assert page.export("csv") == tables / "first.csv"
    assert page.export("script") == scripts / "nb.py"
    page = ResultsPage()  # as after a restart: the folders are kept in the settings
    qtbot.addWidget(page)
    page.set_project(project)
    assert page.export("csv") == tables / "again.csv"
    assert asked == ["nb.csv", "nb.py", str(tables / "nb.csv")]
