"""Run one function in a worker process of its own, so a fit that crashes (or runs out of
memory) cannot take the window down, and a cancel ends it at once.

Used for the single fits on all rows that the model inspector and the regularization
path need; the cross-validated curves use the study's executor instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .curves import CurveCancelled

POLL_SECONDS = 0.2


def run_isolated(function: Callable[..., Any], *args: Any,
                 should_stop: Callable[[], bool] | None = None) -> Any:
    """``function(*args)`` in a fresh worker process; its result, or its exception."""
    from concurrent.futures import TimeoutError as Pending
    from concurrent.futures.process import BrokenProcessPool

    from ..pools import process_pool, shutdown_pool

    stop = should_stop or (lambda: False)
    pool = process_pool(1)
    cancelled = False
    try:
        future = pool.submit(function, *args)
        while True:
            if stop():
                cancelled = True
                raise CurveCancelled
            try:
                return future.result(timeout=POLL_SECONDS)
            except Pending:
                continue
            except BrokenProcessPool:
                raise RuntimeError(
                    "The worker process stopped unexpectedly (it may need more memory than "
                    "the machine has)."
                ) from None
    finally:
        shutdown_pool(pool, wait=True, kill=cancelled)
