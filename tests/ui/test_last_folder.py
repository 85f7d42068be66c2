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


def test_open_dialogs_and_save_picture_open_where_the_last_one_was(qtbot, tmp_path,
                                                                   monkeypatch):
    """Open data, the predict dialog's data, and a plot's 'Save picture…' remember their
    folders too (they opened in the working folder every time)."""
    from hpt_gui.ui.last_folder import ask_open_path, ask_save_path

    data, pictures = tmp_path / "data", tmp_path / "pictures"
    data.mkdir()
    pictures.mkdir()
    opened, saved = [], []

    def open_dialog(parent, caption, start, filters=""):
        opened.append(start)
        return str(data / "churn.csv"), filters

    def save_dialog(parent, caption, start, filters=""):
        saved.append(start)
        return str(pictures / "fold scores.png"), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    assert ask_open_path(None, "data", "Open data") == str(data / "churn.csv")
    assert ask_open_path(None, "data", "Choose the new data") == str(data / "churn.csv")
    assert opened == ["", str(data)]
    ask_save_path(None, "picture", "Save picture", "Fold scores.png")
    ask_save_path(None, "picture", "Save picture", "History.png")
    assert saved == ["Fold scores.png", str(pictures / "History.png")]


def test_the_window_and_a_plot_ask_through_the_remembered_folders(qtbot, tmp_path,
                                                                  monkeypatch):
    import hpt_gui.ui.last_folder as last_folder
    from hpt_gui.ui.main_window import MainWindow

    asked = []
    monkeypatch.setattr(last_folder, "ask_open_path",
                        lambda parent, kind, title, filters="": asked.append(kind) or "")
    window = MainWindow(tmp_path / "p.hpt")
    qtbot.addWidget(window)
    window.open_data_dialog()
    window.open_project_dialog()
    assert asked == ["data", "project"]
