"""Every process pool hpt-gui starts, made, sized and shut down here.

Three kinds use it: the study's fit workers (``executor.LocalProcessExecutor``), the
one-off worker of an isolated refit (``diagnostics.isolated``) and the window's helper
process for heavy Python work (``ui/plots/work``). All are joblib's loky pools, which
start cleanly in a frozen build (see ``hpt_gui/frozen.py``) and can kill their workers on
shutdown. The one place that reads loky's private state (which processes a pool has) is
``pool_pids``; if loky renames it, only this module changes.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Executor as PoolLike
from typing import Any

from .lifeline import die_with_parent


def process_pool(workers: int, *, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = (),
                 env: Mapping[str, str] | None = None) -> PoolLike:
    """A fresh loky pool of ``workers`` processes (each runs ``initializer(*initargs)``
    first, with ``env`` added to its environment). Loky is imported only here, and only
    when a pool is made."""
    from joblib.externals.loky import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=initializer,
                               initargs=initargs, env=dict(env) if env else None)


def helper_pool() -> PoolLike:
    """A pool of one helper process for the window's heavy Python work: below the
    window's priority, and gone when the window is (``prepare_helper_process``)."""
    return process_pool(1, initializer=prepare_helper_process, initargs=(os.getpid(),))


def pool_pids(pool: PoolLike) -> set[int]:
    """The process ids of the pool's live workers (empty before they start)."""
    # loky keeps them in the private ``_processes`` {pid: process}; no public API says.
    return set(getattr(pool, "_processes", None) or {})


def shutdown_pool(pool: PoolLike, *, wait: bool = True, kill: bool = False) -> None:
    """Stop the pool; with ``kill``, its workers are killed and queued work dropped."""
    if not (kill and wait):
        pool.shutdown(wait=wait, kill_workers=kill)  # type: ignore[call-arg]
        return
    # loky's manager thread can trip over its own bookkeeping when work is dropped
    # (a KeyError in add_call_item_to_queue after kill_workers cleared the pending
    # items); the workers are already killed by then, so that noise is swallowed.
    previous = threading.excepthook

    def quiet(args: threading.ExceptHookArgs) -> None:
        if not (args.thread is not None and args.thread.name == "ExecutorManagerThread"
                and issubclass(args.exc_type, KeyError)):
            previous(args)

    threading.excepthook = quiet
    try:
        pool.shutdown(wait=True, kill_workers=True)  # type: ignore[call-arg]
    finally:
        threading.excepthook = previous


def prepare_helper_process(parent: int | None = None) -> None:
    """For a helper process doing the window's heavy work off its interpreter (the
    importance): below the window's priority, and gone when the window is (it may
    outlive the thread that started it, so without Linux's death signal). ``parent`` is
    the window's process id, handed in by the window (see ``lifeline``)."""
    die_with_parent(os.getppid() if parent is None else parent, kernel_signal=False)
    lower_priority()


def lower_priority() -> None:
    """Fits yield to the window (and to whatever else the analyst does): with every core
    busy, the window would otherwise get its turn only as often as each worker does."""
    try:
        if sys.platform == "win32":
            import ctypes

            below_normal = 0x4000
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
        else:
            os.nice(5)
    except (OSError, AttributeError):  # a nicety, never a reason to fail
        pass


__all__ = ["helper_pool", "lower_priority", "pool_pids", "prepare_helper_process",
           "process_pool", "shutdown_pool"]
