"""CSV files for spreadsheets: text a spreadsheet would run as a formula is defused, and
the file is written whole or not at all.

Every CSV the app writes (trials, predictions, the comparison table) goes through
``write_csv``, so a study name, a class label or a cell passed through from the user's
table that starts like a formula (``=HYPERLINK(...)``, ``@SUM(...)``) opens in Excel as
text, never as a formula (OWASP's CSV injection advice).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .output_files import replacing

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: Any) -> Any:
    """Text a spreadsheet would run as a formula ('=HYPERLINK(...)', '@SUM(...)') gets a
    leading apostrophe, so opening the CSV in Excel shows it instead; numbers (also '-3'
    as text) and other values are left as they are (OWASP's CSV injection advice)."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def formula_safe(table: Any) -> Any:
    """A copy of the DataFrame with its text cells and column names neutralized; columns of
    numbers are left untouched, so they stay numbers."""
    import pandas as pd

    safe = table.copy()
    for position in range(safe.shape[1]):  # by position: a table may repeat a name
        values = safe.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            safe.isetitem(position, values.map(neutralize_formula))
    safe.columns = [neutralize_formula(name) for name in safe.columns]
    return safe


def write_csv(table: Any, path: str | Path, **to_csv: Any) -> Path:
    """The DataFrame as a formula-safe CSV (no index unless asked), written through a
    temporary file renamed over ``path`` (``output_files.replacing``)."""
    to_csv.setdefault("index", False)
    safe = formula_safe(table)
    with replacing(path) as temporary:
        safe.to_csv(temporary, **to_csv)
    return Path(path)


__all__ = ["formula_safe", "neutralize_formula", "write_csv"]
