"""Help > Steps in short reads as paragraphs: one per step, in a box wide enough."""

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QLabel  # noqa: E402

from hpt_gui.ui.main_window import HELP_TEXT  # noqa: E402
from hpt_gui.ui.steps_help import help_html, help_paragraphs, show_steps_help  # noqa: E402


def test_each_step_is_one_paragraph_without_the_source_line_breaks():
    paragraphs = help_paragraphs(HELP_TEXT)
    assert [p[:3] for p in paragraphs[:6]] == ["1. ", "2. ", "3. ", "4. ", "5. ", "6. "]
    assert paragraphs[0].startswith("1. Data: open a CSV") and "  " not in paragraphs[2]
    assert "<b>4. Run (Ctrl+R):</b> each model" in help_html(HELP_TEXT)
    assert "\n" not in help_html(HELP_TEXT)


def test_the_box_is_wide_enough_that_lines_do_not_break_every_few_words(qtbot):
    box = show_steps_help(None, HELP_TEXT)
    qtbot.addWidget(box)
    label = box.findChild(QLabel, "qt_msgbox_label")
    assert label.width() >= 30 * label.fontMetrics().averageCharWidth() * 2
