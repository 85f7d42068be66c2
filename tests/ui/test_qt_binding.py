"""Guard against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 on Python 3.11 dropped a reference to None (or True/False) on each call
that returns nothing; a long session then aborts with "deallocating None". pyproject.toml
excludes it; this test fails loudly if such a binding comes back.
"""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QWidget


class _Emitter(QObject):
    fired = Signal(int)


def test_calls_into_qt_keep_none_true_and_false_alive(qtbot):
    widget, combo, emitter = QWidget(), QComboBox(), _Emitter()
    qtbot.addWidget(widget)
    qtbot.addWidget(combo)
    combo.addItem("a")
    before = [sys.getrefcount(v) for v in (None, True, False)]
    for _ in range(500):
        widget.setVisible(False)
        combo.itemData(0)
        emitter.fired.emit(1)
    after = [sys.getrefcount(v) for v in (None, True, False)]
    assert all(a - b > -50 for a, b in zip(after, before, strict=True)), (before, after)
