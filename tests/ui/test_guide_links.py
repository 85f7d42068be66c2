"""Every "see it" link of the guide opens a view that exists in the window."""

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, QUrl  # noqa: E402

from hpt_gui.ui.guide import VIEW_TARGETS, links_in_guide  # noqa: E402
from hpt_gui.ui.main_window import STEPS, MainWindow  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path):
    from hpt_gui.cli import main

    project = tmp_path / "p.hpt"
    for model in ("DecisionTreeClassifier", "LogisticRegression"):
        assert main(["run", "--data", "demo:iris", "--target", "target", "--model", model,
                     "--strategy", "random", "--trials", "3", "--cv", "3", "--project",
                     str(project), "--quiet"]) == 0
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(project, settings=settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def test_every_target_the_guide_links_to_opens_its_view(window):
    assert set(links_in_guide()) == set(VIEW_TARGETS)
    for target in VIEW_TARGETS:
        assert window.show_view(target), target
        step, _, tab = target.partition("/")
        if target == "predict":
            assert window._predict_dialog.isVisible()
            window._predict_dialog.close()
            continue
        if step == "data":  # no data loaded yet: the start page offers the demo sets
            assert window.pages.currentWidget() is window.start_page
            continue
        assert window.pages.currentIndex() == [s.lower() for s in STEPS].index(step), target
        if tab:
            panel = window.results.diagnostics
            assert panel.tabs.currentWidget() is panel.views[tab], target
    assert not window.show_view("results/No such tab")
    assert not window.show_view("nowhere")


def test_a_click_in_the_guide_shows_the_view_on_the_users_own_results(window, qtbot):
    window.show_guide("bias-variance")
    guide = window._guide
    assert guide.isVisible()
    guide.browser.anchorClicked.emit(QUrl("view:results/Under/overfit"))
    assert window.pages.currentWidget() is window.results
    panel = window.results.diagnostics
    assert panel.tabs.currentWidget() is panel.fit_view
    assert window.results.studies()  # the user's own study is what the curve shows
    assert panel.spec is not None and panel.spec.name == window.results.study_combo.currentText()
