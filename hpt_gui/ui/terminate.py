"""``kill`` (SIGTERM) ends the window as Quit does: the run stops, its workers end.

Without a handler the process died on the spot: the worker pool was never shut down, and
loky's resource tracker (a process of its own) printed "There appear to be 8 leaked
semlock objects" on the terminal. Qt's event loop runs no Python code while it waits, so
the signal also wakes it through a socket (``signal.set_wakeup_fd``) that a
QSocketNotifier watches; the window is closed from there, on the GUI thread.
"""

from __future__ import annotations

import signal
import socket
from typing import Any

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication, QMainWindow

EXIT_TERMINATED = 130  # as the command line's interrupted run (``cli.EXIT_INTERRUPTED``)


def quit_on_terminate(app: QApplication, window: QMainWindow) -> None:
    """On SIGTERM, stop the window's run, close the window and leave the event loop."""
    if not hasattr(signal, "SIGTERM"):
        return
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    signal.signal(signal.SIGTERM, _note_only)

    def on_signal() -> None:
        try:
            received = reader.recv(64)
        except OSError:
            return
        if signal.SIGTERM not in received:
            return
        window.close()  # as Quit: the run stops and its pool is shut down
        app.exit(EXIT_TERMINATED)

    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, window)
    notifier.activated.connect(on_signal)
    window._terminate_watch = (notifier, reader, writer)  # lives as long as the window


def _note_only(signum: int, frame: Any) -> None:
    """The Python-level handler: nothing (the wakeup socket carries the signal)."""
