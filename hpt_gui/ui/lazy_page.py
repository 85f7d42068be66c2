"""A page of the window whose widget is made the first time it is shown.

The window must come up fast (pyqtgraph and the core's heavy imports wait until a page
that needs them is opened), so such a page holds an empty box in the stack until then.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    """Holds the place of ``make()``'s widget in a stack; ``shown`` runs at each showing
    (to refresh what the page displays)."""

    def __init__(self, make: Callable[[], QWidget],
                 shown: Callable[[QWidget], None] | None = None) -> None:
        super().__init__()
        self._make = make
        self._shown = shown
        self._widget: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def widget(self) -> QWidget:
        """The page's widget, made now if it was not yet."""
        if self._widget is None:
            self._widget = self._make()
            self.layout().addWidget(self._widget)
        return self._widget

    def is_made(self) -> bool:
        return self._widget is not None

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt's name)
        if visible:
            widget = self.widget
            if self._shown is not None:
                self._shown(widget)
        super().setVisible(visible)
