"""Help > Guide: the ideas the app is built on, in plain words and small pictures, offline.

A window of its own (non-modal, so the user can read beside the main window): the
sections on the left, the chosen one on the right in a QTextBrowser. Each section ends
in a "See it in the app" box whose links name a view (``view:<target>``, a target of
:data:`VIEW_TARGETS`); a click emits :attr:`GuideWindow.view_requested` and the main
window shows that view on the user's own results. The browser itself never navigates.

The words live in ``guide_text.py`` and the pictures in ``guide_pictures.py``; this
module only turns them into a page. It imports QtGui and QtWidgets only (no pyqtgraph),
so the guide opens at once.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .guide_pictures import HEIGHT, PICTURES, WIDTH, add_pictures
from .guide_text import SECTIONS, Section

# Every view a "see it" link may open (the main window's show_view implements each).
VIEW_TARGETS: tuple[str, ...] = (
    "data", "models", "search", "run", "results",
    "results/Fold scores", "results/All scores", "results/By value",
    "results/Under/overfit", "results/Learning curve", "results/History",
    "results/Score vs setting", "results/Parallel", "results/Importance",
    "results/Model inspector", "results/How it errs", "compare", "predict",
)
SCHEME = "view"
SECTION_KEYS: tuple[str, ...] = tuple(section.key for section in SECTIONS)

_PICTURE = re.compile(r"^\[picture (\w+)\]$")
_STYLE = """
h1 { font-size: 16pt; font-weight: 600; color: #0b3d62; margin-bottom: 6px; }
p { margin-top: 0px; margin-bottom: 10px; line-height: 135%; }
a { color: #0060a0; }
"""
_BOX = ('<table width="100%" cellpadding="10" cellspacing="0" border="0" '
        'bgcolor="#eaf3fa" style="margin-top: 8px;"><tr><td>'
        '<p style="margin-bottom: 4px;"><b>See it in the app</b></p>{rows}</td></tr></table>')
_LINK_ROW = '<p style="margin-bottom: 3px;">→ <a href="{href}">{words}</a></p>'


def _section(key: str) -> Section:
    for section in SECTIONS:
        if section.key == key:
            return section
    raise KeyError(f"The guide has no section {key!r}; its sections are "
                   f"{', '.join(SECTION_KEYS)}.")


def href(target: str) -> str:
    """The link address of a view: 'view:results/Learning curve'."""
    return f"{SCHEME}:{target}"


def target_of(url: QUrl) -> str | None:
    """The view a clicked link names, or None for anything else (the guide is offline)."""
    if url.scheme() != SCHEME:
        return None
    target = url.path()
    return target if target in VIEW_TARGETS else None


def pictures_of(section: Section) -> list[str]:
    """The picture names a section shows, in order."""
    return [m.group(1) for m in map(_PICTURE.match, _paragraphs(section.body)) if m]


def links_in_guide() -> list[str]:
    """Every view target a section links to, once each, in reading order."""
    return list(dict.fromkeys(target for s in SECTIONS for target, _ in s.links))


def _paragraphs(body: str) -> list[str]:
    """A body's paragraphs (blank-line separated), each joined onto one line."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", body.strip())]


def section_html(section: Section) -> str:
    """The page of one section: title, paragraphs and pictures, then the links box."""
    parts = [f"<h1>{html.escape(section.title)}</h1>"]
    for paragraph in _paragraphs(section.body):
        picture = _PICTURE.match(paragraph)
        if picture:
            parts.append(f'<p align="center" style="line-height: 100%; margin: 6px 0 14px 0;">'
                         f'<img src="pic:{picture.group(1)}"></p>')
        else:
            parts.append(f"<p>{paragraph}</p>")  # the text's own <b>/<i> markup is kept
    rows = "".join(_LINK_ROW.format(href=html.escape(href(target), quote=True),
                                    words=html.escape(words))
                   for target, words in section.links)
    parts.append(_BOX.format(rows=rows))
    return "\n".join(parts)


class GuideWindow(QWidget):
    """The guide's window: contents on the left, the chosen section on the right."""

    view_requested = Signal(str)  # a "see it" link was clicked: show this view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("hpt-gui guide")
        self.resize(900, 700)
        self.sections_list = QListWidget()
        self.sections_list.setObjectName("guideContents")
        self.sections_list.setStyleSheet(
            "QListWidget#guideContents { font-size: 11pt; border: none; "
            "background: #f4f6f8; }"
            "QListWidget#guideContents::item { padding: 6px 8px; }"
            "QListWidget#guideContents::item:selected { background: #0072B2; color: white; }")
        self.sections_list.setWordWrap(True)
        self.sections_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sections_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections_list.setResizeMode(QListView.ResizeMode.Adjust)
        for number, section in enumerate(SECTIONS, start=1):
            item = QListWidgetItem(f"{number}. {section.title}")
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            self.sections_list.addItem(item)
        self.sections_list.currentRowChanged.connect(self._on_row_changed)
        self.browser = self._make_browser()
        self.previous_button = QPushButton("← Previous")
        self.next_button = QPushButton("Next →")
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self._registered: set[str] = set()
        self._layout()
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close)
        self.sections_list.setCurrentRow(0)

    def _make_browser(self) -> QTextBrowser:
        """A reader that shows pages and hands clicked links to us instead of following
        them (there is nothing to follow offline, and a followed link would blank it)."""
        browser = QTextBrowser()
        browser.setOpenLinks(False)
        browser.setOpenExternalLinks(False)
        browser.anchorClicked.connect(self._on_anchor_clicked)
        font = QFont(browser.font())
        font.setPointSize(11)
        browser.setFont(font)
        browser.document().setDefaultFont(font)
        browser.document().setDefaultStyleSheet(_STYLE)
        browser.document().setDocumentMargin(18)
        browser.setMinimumWidth(WIDTH + 60)
        return browser

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.browser, 1)
        column.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.sections_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 650])
        splitter.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(splitter)

    # -- showing sections -----------------------------------------------------------

    def current_key(self) -> str:
        """The key of the section on show."""
        return SECTIONS[max(self.sections_list.currentRow(), 0)].key

    def show_section(self, key: str) -> None:
        """Show the section ``key`` (one of :data:`SECTION_KEYS`); KeyError if unknown."""
        section = _section(key)
        self.sections_list.setCurrentRow(SECTIONS.index(section))

    def _on_row_changed(self, row: int) -> None:
        if 0 <= row < len(SECTIONS):
            self._render(SECTIONS[row])
        self.previous_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(SECTIONS) - 1)

    def _render(self, section: Section) -> None:
        """Draw the section's pictures the first time they are needed, then show it."""
        names = [n for n in pictures_of(section) if n not in self._registered]
        add_pictures(self.browser.document(), names)
        self._registered.update(names)
        self.browser.setHtml(section_html(section))
        self.browser.verticalScrollBar().setValue(0)

    def _step(self, by: int) -> None:
        row = self.sections_list.currentRow() + by
        if 0 <= row < len(SECTIONS):
            self.sections_list.setCurrentRow(row)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        """A "see it" link: ask the main window for that view; the page stays as it is."""
        target = target_of(url)
        if target is not None:
            self.view_requested.emit(target)


__all__ = ["HEIGHT", "PICTURES", "SECTION_KEYS", "VIEW_TARGETS", "WIDTH", "GuideWindow",
           "href", "links_in_guide", "pictures_of", "section_html", "target_of"]
