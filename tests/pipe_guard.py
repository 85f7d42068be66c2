"""For tests that give a named pipe as a file: a read stuck on the pipe (the bug they
guard against) is set free, so a failing test fails instead of hanging the suite."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


@contextmanager
def released_after(pipe: Path, seconds: float = 20.0) -> Iterator[None]:
    """Every ``seconds`` until the block ends, a writer opens ``pipe`` and closes it
    again: a reader waiting on it then reads an empty file."""
    done = threading.Event()

    def release() -> None:
        while not done.wait(seconds):
            with suppress(OSError):  # no reader waiting: nothing to set free
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    helper = threading.Thread(target=release, daemon=True)
    helper.start()
    try:
        yield
    finally:
        done.set()
        helper.join()
