"""Help > Steps in short: the steps as paragraphs in a box wide enough to read them.

Shown as plain text, the help's hard line breaks (kept short for the source) met the
message box's own narrow wrapping: every other line broke after a word or two, and the
continued lines were indented. Here each step is one paragraph, its name in bold, and
the box is as wide as a comfortable line.
"""

from __future__ import annotations

import html
import re

from PySide6.QtWidgets import QMessageBox, QWidget

# A step's name at the start of a paragraph: '1. Data:', '4. Run (Ctrl+R):'.
_STEP = re.compile(r"^(\d+\. [^:]+:)(.*)$")
WIDTH_EM = 36  # the text's width: about 70 characters a line


def help_paragraphs(text: str) -> list[str]:
    """The text's paragraphs: an indented line continues the one before."""
    paragraphs: list[str] = []
    for line in text.splitlines():
        if line.startswith(" ") and paragraphs:
            paragraphs[-1] += " " + line.strip()
        elif line.strip():
            paragraphs.append(line.strip())
    return paragraphs


def help_html(text: str) -> str:
    parts = []
    for paragraph in help_paragraphs(text):
        step = _STEP.match(paragraph)
        body = (f"<b>{html.escape(step[1])}</b>{html.escape(step[2])}" if step
                else html.escape(paragraph))
        parts.append(f"<p style='margin:0 0 6px 0'>{body}</p>")
    return "".join(parts)


def show_steps_help(parent: QWidget | None, text: str) -> QMessageBox:
    """Open the help box (not modal: it may stay open beside the window)."""
    box = QMessageBox(QMessageBox.Icon.Information, "hpt-gui help", help_html(text),
                      QMessageBox.StandardButton.Ok, parent)
    box.setStyleSheet(f"QLabel#qt_msgbox_label {{ min-width: {WIDTH_EM}em; }}")
    box.setModal(False)
    box.show()
    return box
