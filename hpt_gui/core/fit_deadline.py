"""The per-trial time limit, inside the process that fits.

A fit cannot be stopped from outside its thread in Python, but the interpreter can be
asked to raise an exception in a thread at its next bytecode: ``fit_deadline`` does that
when the limit passes, so a fit in Python code (most of scikit-learn's loops) ends with
``FitTimeLimit`` and its worker stays alive. A fit stuck inside one call of native code
never reaches a bytecode; for that case the process pool also kills the worker from the
outside (``executor.LocalProcessExecutor.stop_overdue``), a little after the limit.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class FitTimeLimit(Exception):
    """Raised in a fit's thread when it runs past the per-trial time limit."""


def time_limit_message(seconds: float) -> str:
    """Why a fold failed when it ran out of time, with what to do about it."""
    return (f"stopped after {seconds:g} s, the per-trial time limit: raise the limit, or "
            "narrow the search space to leave out such slow settings")


def hard_stop_after(seconds: float) -> float:
    """When a fit that ignores the limit (stuck in native code) has its worker killed:
    a margin after the limit, for the exception to unwind a fit in Python code first."""
    return seconds + max(1.0, 0.2 * seconds)


@contextmanager
def fit_deadline(seconds: float | None) -> Iterator[None]:
    """Raise FitTimeLimit in the calling thread if the block runs longer than ``seconds``
    (None: no limit). The exception is never raised once the block has ended."""
    if seconds is None:
        yield
        return
    ident = threading.get_ident()
    lock = threading.Lock()
    state = {"armed": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                _raise_in(ident, FitTimeLimit)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["armed"] = False
            timer.cancel()
            if state["fired"]:  # not delivered yet: it must not surface after the block
                _raise_in(ident, None)


def _raise_in(ident: int, exc: type[BaseException] | None) -> None:
    """Ask the interpreter to raise ``exc`` in thread ``ident`` (None clears a pending
    one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(exc) if exc is not None else None)
