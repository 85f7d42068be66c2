"""Which process runs a study: an advisory lock the operating system drops with its owner.

A process id alone cannot say it: after a crash the id is free, and the next process given
it (any program) would look like the owner still running. So the process that runs a study
holds an exclusive lock on a small file beside the project (``p.hpt-<hash>.lock``, one per
study: whole-file locks are the ones that behave the same on every system). However the
process ends, even ``kill -9`` or a pulled plug, the system releases the lock; a lock that
cannot be taken is therefore a live process running the study.

The file holds no data: it is removed when the run ends, a leftover (after a crash) is
removed by the next process that finds it free, and deleting one by hand is harmless when
no run is going.

On a network drive another computer's lock may not be seen: the store treats a free lock
of a study recorded as running on another computer as "cannot tell" (see ``ProjectStore``).
Where the file system refuses locks altogether, ``probe`` answers None and the caller falls
back on asking whether the recorded process is alive.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sys
from pathlib import Path

# Errors that mean "this file system does not do locks", not "someone holds it".
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, getattr(errno, "ENOTSUP", -1)}


def lock_path(project: str | Path, study: str) -> Path:
    """The lock file of a study: beside the project, named after it and a hash of the
    study's name (any characters may be in a name, not in a file name)."""
    project = Path(project)
    digest = hashlib.sha256(study.encode("utf-8")).hexdigest()[:12]
    return project.with_name(f"{project.name}-{digest}.lock")


class RunLock:
    """The lock this process holds on one study while it runs it."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd  # None: the file system does not lock, so nothing is held

    @classmethod
    def acquire(cls, project: str | Path, study: str) -> RunLock | None:
        """The study's lock, or None when another process holds it. Raises OSError when
        the lock file cannot be made (a folder that cannot be written)."""
        path = lock_path(project, study)
        for _ in range(5):  # the holder may remove the file between our open and lock
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                locked = _lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if locked is None:  # no locks here: run without one, as before locks
                os.close(fd)
                return cls(path, None)
            if not locked:
                os.close(fd)
                return None
            if _same_file(fd, path):
                return cls(path, fd)
            _unlock(fd)  # locked a file its holder removed as we opened it: try again
            os.close(fd)
        return None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Let the study go and remove the lock file (twice is harmless)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            _release(fd, self.path)


def probe(project: str | Path, study: str) -> bool | None:
    """Whether a process holds the study's lock now: True, False, or None when this file
    system cannot tell. A leftover file of a crashed run is removed on the way."""
    path = lock_path(project, study)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        locked = _lock(fd)
    except OSError:
        os.close(fd)
        return None
    if locked is None:
        os.close(fd)
        return None
    if not locked:
        os.close(fd)
        return True
    _release(fd, path)
    return False


def _release(fd: int, path: Path) -> None:
    """Remove the file while still holding it (so no one locks a file about to go), then
    unlock; on Windows an open file cannot be removed, so the other way round, and a file
    someone has just opened stays (harmless)."""
    if sys.platform == "win32":
        _unlock(fd)
        os.close(fd)
        _remove(path)
    else:
        if _same_file(fd, path):
            _remove(path)
        os.close(fd)  # closing drops the lock


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _lock(fd: int) -> bool | None:
    """Try to lock without waiting: True locked, False held by another, None no locks."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _NO_LOCKS:
            return None
        if isinstance(exc, BlockingIOError) or exc.errno in (errno.EACCES, errno.EAGAIN,
                                                              errno.EDEADLK):
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


__all__ = ["RunLock", "lock_path", "probe"]
