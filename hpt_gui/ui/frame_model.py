"""A read-only Qt table model over a pandas DataFrame that stays fast on a million rows.

Each column is kept as one NumPy array (a view of the frame's data) or, for text kept by
Arrow, as pandas' own array, and a cell is turned into text only when the view asks for
it, so setting a frame costs no Python work per row.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

if TYPE_CHECKING:
    import pandas as pd

_MISSING_BRUSH = QBrush(QColor(236, 236, 236))
_NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TEXT_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_NUMBER_KINDS = "iufc"

_Index = QModelIndex | QPersistentModelIndex


def format_value(value: Any) -> str:
    """One cell as text: numbers with up to 4 significant digits, whole numbers in full."""
    import pandas as pd  # here, not at start-up (the cells are pandas' anyway)

    if isinstance(value, bool | np.bool_):
        return "True" if value else "False"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return f"{value:.4g}"
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        text = str(value)
        return text[:-9] if text.endswith(" 00:00:00") else text
    if isinstance(value, np.timedelta64):
        return str(pd.Timedelta(value))
    return str(value)


def cell_text(value: Any) -> str:
    """A cell as the table shows it ('' when missing)."""
    return "" if _is_missing(value) else format_value(value)


def _is_missing(value: Any) -> bool:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, np.floating):
        return bool(np.isnan(value))
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


class DataFrameTableModel(QAbstractTableModel):
    """Shows a DataFrame read-only; missing values are empty grey cells."""

    def __init__(self, frame: pd.DataFrame | None = None, parent=None) -> None:
        super().__init__(parent)
        self._arrays: list[np.ndarray] = []
        self._names: list[str] = []
        self._dtypes: list[str] = []
        self._numeric: list[bool] = []
        self._n_rows = 0
        self.set_frame(frame)

    # ------------------------------------------------------------------ data

    def set_frame(self, frame: pd.DataFrame | None) -> None:
        """Show ``frame`` (or nothing). Columns become arrays; no cell is formatted yet."""
        self.beginResetModel()
        self._arrays, self._names, self._dtypes, self._numeric = [], [], [], []
        self._n_rows = 0
        if frame is not None:
            import pandas as pd

            self._n_rows = len(frame)
            for position, name in enumerate(frame.columns):
                series = frame.iloc[:, position]
                # NumPy columns are viewed as they are; others (text kept by Arrow) are
                # read a cell at a time: to_numpy() would make a million Python strings.
                array = series.to_numpy() if isinstance(series.dtype, np.dtype) \
                    else series.array
                self._arrays.append(array)
                self._names.append(str(name))
                self._dtypes.append(str(series.dtype))
                numeric = array.dtype.kind in _NUMBER_KINDS or (
                    pd.api.types.is_numeric_dtype(series.dtype)
                    and not pd.api.types.is_bool_dtype(series.dtype)
                )
                self._numeric.append(numeric)
        self.endResetModel()

    def column_names(self) -> list[str]:
        return list(self._names)

    def column_dtype(self, column: int) -> str:
        return self._dtypes[column]

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._n_rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._arrays)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._arrays[index.column()][index.row()]
            return "" if _is_missing(value) else format_value(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            value = self._arrays[index.column()][index.row()]
            return _MISSING_BRUSH if _is_missing(value) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            value = self._arrays[index.column()][index.row()]
            return "Missing value" if _is_missing(value) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _NUMBER_ALIGN if self._numeric[index.column()] else _TEXT_ALIGN
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._names):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self._names[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{self._names[section]}\nType: {self._dtypes[section]}"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{section + 1:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _NUMBER_ALIGN
        return None
