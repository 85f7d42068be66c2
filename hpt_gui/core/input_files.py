"""Files the user gives (a data table, a search space) are read only when they are ordinary.

Reading a named pipe (``mkfifo data.csv``) waits forever for a writer, a device
(``/dev/zero``) never ends, and a symbolic link that points to itself looks like a missing
file. Each becomes a sentence before the file is opened, and the read itself opens
without waiting, so a file swapped for a pipe in between cannot hang it either.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class InputFileError(ValueError):
    """The path is not an ordinary file; the message says what it is instead."""


def check_ordinary_file(path: Path, kind: str) -> None:
    """Raise InputFileError when ``path`` is a symbolic link loop, a named pipe, a device
    or a socket. ``kind`` names what was wanted ("data file"). A missing path or a folder
    passes: the caller says those in its own words."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputFileError(
                f"'{path}' is a symbolic link that points to itself (a loop), so there is "
                f"no file behind it; give the {kind} itself."
            ) from None
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise _not_ordinary(path, mode, kind)


def read_ordinary_file(path: Path, kind: str) -> bytes:
    """The whole file; InputFileError if it is not an ordinary file once opened, OSError
    if it cannot be opened or read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise _not_ordinary(path, mode, kind)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(descriptor)


def _not_ordinary(path: Path, mode: int, kind: str) -> InputFileError:
    return InputFileError(
        f"'{path}' is not an ordinary file ({_what(mode)}); give a {kind} instead."
    )


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "it is a named pipe, which would wait for another program to write to it"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a file saved on disk"
    if stat.S_ISSOCK(mode):
        return "it is a socket"
    if stat.S_ISDIR(mode):
        return "it is a folder"
    return "it is a special file"
