"""A stop asked for by a signal waits for the end of a step that must not be cut in half.

``kill`` (SIGTERM) on ``hpt-gui run`` raises KeyboardInterrupt in the main thread, in the
middle of whatever it does. Raised while the worker pool was starting its processes, a
half-started worker outlived the run and printed loky's traceback (its semaphore already
removed) on the terminal. Such steps run inside ``uninterrupted()``; a stop asked for
meanwhile (``stop_now_or_soon``, from the signal handler) is raised as the step ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0  # how many uninterrupted steps the main thread is in
_pending = False  # a stop was asked for during one


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Run the body whole; a stop asked for meanwhile is raised when it ends."""
    global _depth, _pending
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are handled on the main thread only
        return
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
    if _depth == 0 and _pending:
        _pending = False
        raise KeyboardInterrupt


def stop_now_or_soon() -> None:
    """Called by a signal handler: stop now (KeyboardInterrupt), or, inside an
    uninterrupted step, as soon as it ends."""
    global _pending
    if _depth:
        _pending = True
        return
    raise KeyboardInterrupt
