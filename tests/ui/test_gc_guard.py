"""Automatic garbage collection is off in the window; the GUI thread collects cycles."""

import gc
import threading

from hpt_gui.ui.app import make_app
from hpt_gui.ui.gc_guard import INTERVAL_MS, GcGuard, install_gc_guard


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_app_collects_on_the_gui_thread_only(qtbot):
    app = make_app()
    guard = install_gc_guard(app)  # the window's own start-up does this (run_app)
    assert isinstance(guard, GcGuard) and app.findChildren(GcGuard) == [guard]
    assert install_gc_guard(app) is guard
    assert not gc.isenabled()
    assert guard._timer.isActive() and guard._timer.interval() == INTERVAL_MS

    collected_on: list[str] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            collected_on.append(threading.current_thread().name)

    def make_garbage() -> None:  # far beyond gen-0's threshold, off the GUI thread
        for _ in range(5 * gc.get_threshold()[0]):
            _Cycle()

    gc.callbacks.append(note)
    try:
        worker = threading.Thread(target=make_garbage, name="background")
        worker.start()
        worker.join()
        assert collected_on == []  # the background thread never collected
        guard._timer.timeout.emit()  # what the timer does, on the GUI thread
    finally:
        gc.callbacks.remove(note)
    assert collected_on == [threading.main_thread().name]


def test_the_window_process_shares_the_interpreter_in_short_turns(qtbot):
    import sys

    from hpt_gui.ui.app import SWITCH_INTERVAL, make_app, prepare_window_process

    before = sys.getswitchinterval()
    try:
        prepare_window_process(make_app())
        assert sys.getswitchinterval() == SWITCH_INTERVAL < before
        assert not gc.isenabled()
    finally:
        sys.setswitchinterval(before)


def test_what_lives_at_start_is_left_out_of_full_collections(qtbot, monkeypatch):
    """The first tick freezes what lives then (libraries, the window); full collections
    are rare (the heap must grow by a quarter) and scan only what came since: a window
    holding 10,000 trials does not pause for them."""
    import sys

    enabled = gc.isenabled()  # the session's own guard has it off: so it stays
    guard = GcGuard(make_app(), interval_ms=60_000)
    try:
        monkeypatch.setattr(gc, "get_count", lambda: (10_000, 100, 100))
        monkeypatch.setattr(sys, "getallocatedblocks", lambda: 1_000)
        guard._blocks = 1_000
        full = []
        gc.callbacks.append(lambda phase, info: full.append(info["generation"])
                            if phase == "start" else None)
        guard.check()  # the first tick: everything, once, then frozen
        assert full == [2] and gc.get_freeze_count() > 0
        guard._blocks = 1_000
        guard.check()  # the heap has not grown: the middle generation only
        assert full == [2, 1]
        guard._blocks = 700
        guard.check()
        assert full == [2, 1, 2]
    finally:
        gc.callbacks.pop()
        guard.release()
        guard.deleteLater()
        if not enabled:
            gc.disable()
    assert gc.get_freeze_count() == 0
