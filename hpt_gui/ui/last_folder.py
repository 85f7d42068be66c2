"""Save dialogs open in the folder last used for that kind of file.

Each export dialog opened in the working folder, so an analyst saving a report, then
another, browsed back to the same folder every time. The folder of each kind (trial
tables, models, reports, ...) is kept in the app's settings (QSettings) between sessions.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget


def _settings() -> QSettings:
    """The app's settings (tests replace this with a temporary file)."""
    return QSettings()


def remembered_folder(kind: str) -> Path | None:
    """The folder last saved to for ``kind``, if it still exists."""
    value = _settings().value(f"last_folder/{kind}")
    folder = Path(str(value)) if value else None
    return folder if folder is not None and folder.is_dir() else None


def remember_folder(kind: str, path: str | Path) -> None:
    _settings().setValue(f"last_folder/{kind}", str(Path(path).parent))


def ask_save_path(parent: QWidget | None, kind: str, title: str, name: str | Path,
                  filters: str = "") -> tuple[str, str]:
    """``QFileDialog.getSaveFileName`` opened on ``name`` in the folder last used for
    ``kind`` (else where ``name`` says); the folder chosen is remembered. Returns the
    path ('' when cancelled) and the filter picked."""
    folder = remembered_folder(kind)
    start = str(folder / Path(name).name) if folder is not None else str(name)
    path, picked = QFileDialog.getSaveFileName(parent, title, start, filters)
    if path:
        remember_folder(kind, path)
    return path, picked


def ask_open_path(parent: QWidget | None, kind: str, title: str,
                  filters: str = "") -> str:
    """``QFileDialog.getOpenFileName`` opened in the folder last used for ``kind``; the
    folder of the file chosen is remembered. Returns the path ('' when cancelled)."""
    folder = remembered_folder(kind)
    path, _ = QFileDialog.getOpenFileName(parent, title, str(folder or ""), filters)
    if path:
        remember_folder(kind, path)
    return path
