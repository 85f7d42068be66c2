"""Worker processes end with the process that started them, however it ends.

When the study's process is killed (kill -9, the kernel's out-of-memory killer, a crash),
loky's workers are not told: they wait forever on a call queue nobody writes to again, or
finish a long fit first, each holding its copy of the data. Three guards, the first that
applies wins:

- **Linux**: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` makes the kernel kill the worker the
  moment its parent dies, even while a fit holds the interpreter in native code (where a
  Python thread never gets to run). The kernel sends it when the *thread* that started
  the worker ends: every pool here is started, used and shut down by one thread (the
  study's, or a curve's), so that thread outlives its workers.
- **Every POSIX system** (macOS too): a watchdog thread exits the worker once its parent
  process id is no longer the one that started it.
- **Windows**: a thread waits on the parent's process handle and exits the worker when it
  is signalled; if the handle cannot be had, nothing is done (no harm, as before).

The parent's process id is handed in by the parent itself: read in the worker, it would
already be the adopting process's when the parent died while the worker was starting
(importing scikit-learn can take seconds on a loaded machine), and the worker would then
watch the wrong process forever.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int, *, interval: float = 0.5, kernel_signal: bool = True) -> None:
    """Make this (worker) process exit when the process ``parent`` ends; exit at once if
    it already has. ``kernel_signal`` False leaves out Linux's death signal, for a process
    whose starting thread may end before the process it started should."""
    if sys.platform == "win32":
        _wait_on_parent_handle(parent)
        return
    if kernel_signal and sys.platform.startswith("linux"):
        _ask_kernel_for_death_signal()
    if os.getppid() != parent:  # it died before the guards were up: nobody needs us
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="hpt-gui-orphan-watch", daemon=True).start()


def _ask_kernel_for_death_signal() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (an odd libc): the watchdog still runs
        pass


def _wait_on_parent_handle(parent: int) -> None:
    try:
        import ctypes

        synchronize, infinite = 0x00100000, 0xFFFFFFFF
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(synchronize, False, parent)
    except (OSError, AttributeError):
        return
    if not handle:  # gone already, or not ours to watch: leave things as they were
        return

    def wait() -> None:
        kernel32.WaitForSingleObject(handle, infinite)  # ctypes lets go of the GIL here
        os._exit(1)

    threading.Thread(target=wait, name="hpt-gui-orphan-watch", daemon=True).start()
