"""Files the app writes for its user: checked as files, written whole or not at all.

Two rules keep an export from being turned against its user (DESIGN: "nothing is lost"):

- **An output is never a file that must be kept.** ``same_file`` compares device and
  inode where both files exist (a hard link, a bind mount, another spelling of the path),
  and resolved paths otherwise; ``check_outputs`` refuses an output that is the project,
  the data, the model being read, or another output of the same command.
- **An output replaces the old file in one step.** ``replacing`` gives a temporary file
  beside the target; only when the writer finished without error is it flushed to disk
  and renamed over the target (``os.replace``, atomic on one file system). A kill or a
  full disk leaves either the old file or the new one, never a part of one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


class OutputError(ValueError):
    """An output that may not or cannot be written, in a sentence for the user."""


def _is_demo(path: str | Path) -> bool:
    return str(path).strip().lower().startswith("demo:")


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: by device and inode where both exist (hard links,
    bind mounts), by resolved path otherwise."""
    first, second = Path(a).expanduser(), Path(b).expanduser()
    try:
        if first.exists() and second.exists():
            return os.path.samefile(first, second)
    except OSError:
        pass
    try:
        return first.resolve() == second.resolve()
    except (OSError, RuntimeError):  # a symlink loop resolves to nothing
        return os.path.abspath(first) == os.path.abspath(second)


def _companions(kept: Path) -> Iterator[Path]:
    """A kept file and the files SQLite keeps beside a project."""
    yield kept
    for suffix in ("-wal", "-shm", "-journal"):
        yield kept.with_name(kept.name + suffix)


def check_output(path: str | Path, protect: Iterable[str | Path] = (),
                 *, what: str = "the study's own data or project file") -> Path:
    """The output path, refused (``OutputError``) when it is a kept file or a folder, or
    its folder does not exist."""
    path = Path(path)
    for kept in protect:
        if kept is None or _is_demo(kept):
            continue
        if any(same_file(path, companion) for companion in _companions(Path(kept))):
            raise OutputError(f"'{path}' is {what} and would be overwritten; choose "
                              "another file name.")
    if path.expanduser().is_dir():
        raise OutputError(f"'{path}' is a folder; give a file name to write to.")
    if not path.expanduser().parent.exists():
        raise OutputError(f"The folder '{path.parent}' does not exist.")
    return path


def check_outputs(outputs: Sequence[str | Path | None], protect: Iterable[str | Path] = (),
                  *, what: str = "the study's own data or project file") -> list[Path]:
    """Every output of one command checked against the kept files and against each other
    (two outputs given one file would overwrite each other)."""
    protect = list(protect)
    given = [Path(p) for p in outputs if p is not None]
    for path in given:
        check_output(path, protect, what=what)
    for i, path in enumerate(given):
        for other in given[i + 1:]:
            if same_file(path, other):
                which = (f"The same file '{path}' is given to two outputs"
                         if str(path) == str(other)
                         else f"'{path}' and '{other}' are the same file")
                raise OutputError(f"{which}, so one would overwrite the other; give each "
                                  "output its own file name.")
    return given


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` only when the
    block finishes without error (flushed to disk first). An ``OSError`` (a full disk, no
    permission) becomes an ``OutputError`` sentence, and the old file stays as it was.

    The temporary file is created with the usual permissions (the umask applies), so the
    result is readable like any other file the user writes; a file replaced keeps its own.
    A process killed mid-write leaves the old file and, beside it, a hidden temporary
    file (``.<name>.<pid>.<random>.tmp``) that nothing reads.
    """
    path = Path(path).expanduser()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    if path.exists() and not os.access(path, os.W_OK):  # as writing in place would refuse
        raise OutputError(f"'{path}' could not be written (it is read-only); the file that "
                          "was there is unchanged.")
    try:
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                                 | getattr(os, "O_BINARY", 0), 0o666)
            os.close(descriptor)
            yield temporary
            _flush_to_disk(temporary)
            _keep_mode(path, temporary)
            os.replace(temporary, path)
            _flush_folder(path.parent)
        except OSError as exc:
            raise OutputError(f"'{path}' could not be written ({exc.strerror or exc}); "
                              "the file that was there is unchanged.") from None
    finally:
        if temporary.exists():
            try:
                temporary.unlink()
            except OSError:
                pass


def _keep_mode(path: Path, temporary: Path) -> None:
    """A file replaced keeps its permissions (a private export stays private)."""
    try:
        mode = path.stat().st_mode
    except OSError:  # no file there yet: the umask's permissions
        return
    os.chmod(temporary, mode & 0o7777)


def _flush_to_disk(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _flush_folder(folder: Path) -> None:
    """The rename itself reaches the disk (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems cannot sync a folder; the file itself is synced
        pass
    finally:
        os.close(descriptor)


def write_atomically(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` in one step (see ``replacing``)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with replacing(path) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(payload)
    return Path(path)


__all__ = ["OutputError", "check_output", "check_outputs", "replacing", "same_file",
           "write_atomically"]
