"""The first window's size: as large as wanted, but never larger than the screen.

A fixed 1400x900 put the Run button and the status bar below the bottom of a 1280x800
laptop screen. The first window takes at most ``SCREEN_SHARE`` of the screen's available
area (without task bars and docks), centred on it; later starts restore the size and
position the user left (``MainWindow._restore_layout``).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

WANTED_SIZE = QSize(1400, 900)
SCREEN_SHARE = 0.9  # of the available geometry: room for a title bar and a frame


def first_window_rect(available: QRect, wanted: QSize = WANTED_SIZE) -> QRect:
    """The frame of a first window on a screen whose available area is ``available``."""
    width = min(wanted.width(), int(available.width() * SCREEN_SHARE))
    height = min(wanted.height(), int(available.height() * SCREEN_SHARE))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def available_geometry(window: QWidget) -> QRect:
    """The available area of the screen the window opens on (the primary one at first)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_first_window(window: QWidget) -> None:
    """Size and centre a window that has no saved geometry to fit its screen."""
    frame = first_window_rect(available_geometry(window))
    # The window manager's frame (title bar, borders) is outside the window's geometry:
    # take as much again as this window's frame, once shown, or a typical one before.
    extra_w = window.frameGeometry().width() - window.width()
    extra_h = window.frameGeometry().height() - window.height()
    if not window.isVisible():
        extra_w, extra_h = max(extra_w, 8), max(extra_h, 38)
    window.resize(max(frame.width() - extra_w, 1), max(frame.height() - extra_h, 1))
    window.move(frame.topLeft())
