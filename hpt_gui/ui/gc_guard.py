"""Garbage collection only on the GUI thread.

Python's cyclic collector runs in whichever thread happens to allocate when a threshold
is crossed. When that is a background thread (a diagnostics job, a study's worker, the
Dask client) and the garbage holds Qt objects made by the GUI thread (plot items,
widgets, their wrappers), Qt destroys them off their thread: the process crashes or
deadlocks. So, as pyqtgraph recommends, automatic collection is switched off while the
window exists and a timer on the GUI thread collects with the usual thresholds.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, QTimer

# Often enough that the youngest generation stays small: a collection's pause grows with
# the objects made since the last one (150,000 in half a second of quick trials: 135 ms).
INTERVAL_MS = 100

_PROPERTY = "hpt_gui_gc_guard"


class GcGuard(QObject):
    """Collects on a GUI-thread timer, generation by generation, as gc itself would."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._blocks = sys.getallocatedblocks()  # after the last full collection
        self._frozen = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        gc.disable()
        self._timer.start(interval_ms)

    def check(self) -> None:
        if not self._frozen:
            # The first tick comes once the event loop runs (the window is up): what
            # lives then (the libraries, the window) is collected once and left out of
            # the later full collections, which then scan only what came after (a full
            # scan of a window holding thousands of trials pauses it for 0.3 s).
            # Refcounting still frees those objects; only a cycle among them would never
            # be collected, once.
            gc.collect()
            gc.freeze()
            self._frozen = True
            self._blocks = sys.getallocatedblocks()
            return
        gen0, gen1, gen2 = gc.get_count()
        first, second, third = self._thresholds
        if gen0 <= first:
            return
        if gen1 <= second:
            gc.collect(0)
        elif gen2 <= third or not self._old_generation_grew():
            gc.collect(1)
        else:
            gc.collect(2)
            self._blocks = sys.getallocatedblocks()

    def _old_generation_grew(self) -> bool:
        """CPython's rule for a full collection, in a form that costs nothing to check:
        only once the heap has grown by a quarter since the last one (CPython counts the
        oldest generation's objects; the interpreter's allocated blocks follow them). A
        full collection of a window holding 10,000 trials pauses it for a third of a
        second; forced every minute, it would."""
        return sys.getallocatedblocks() - self._blocks > self._blocks / 4

    def release(self) -> None:
        """Back to automatic collection (the window is gone, e.g. at the end of tests)."""
        self._timer.stop()
        gc.unfreeze()
        gc.enable()


def install_gc_guard(app: QObject) -> GcGuard:
    """Install the guard on the application once; later calls return the same guard."""
    existing = app.findChild(GcGuard)
    if existing is not None:
        return existing
    guard = GcGuard(app)
    guard.setObjectName(_PROPERTY)
    return guard


__all__ = ["GcGuard", "install_gc_guard"]
