"""Load the user's table (or a bundled demo set) and decide what each column is for.

Everything here is Qt-free so the tuning engine, the tests and any command line can share it.
Problems with the data are raised as :class:`DatasetError` with a message written for an
analyst who does not code; things that are fine but worth knowing become ``Dataset.notes``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from . import data_checks
from .column_summary import percent_text
from .dataset_names import DEMO_SETS, ROLES, TASKS  # noqa: F401 (kept here too, for callers)
from .input_files import InputFileError, check_ordinary_file, read_ordinary_file
from .spec import ENGINE_VERSION


class DatasetError(ValueError):
    """A problem with the user's data, phrased for a non-programmer."""


FEATURE_ROLES = ("numeric", "categorical")
MIN_ROWS = 10
MAX_CLASSES = 20
MANY_MISSING = 0.2
FEW_ROWS_PER_CLASS = 5
NEARLY_UNIQUE = 0.95
NEARLY_UNIQUE_MIN_ROWS = 20

_DEMO_PREFIX = "demo:"
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_FORMATS = (
    "CSV, TSV and text files (.csv, .tsv, .txt), Excel workbooks (.xlsx, .xls) "
    "and Parquet files (.parquet, .pq)"
)
_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_CHARS = 64_000
_SAMPLE_ROWS = 100
_MISSING_MARKERS = ["?"]
_COMMA_DECIMAL = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+")
_DOT_DECIMAL = re.compile(r"[+-]?\d*\.\d+")
# Numbers written with thousands separators, English style (1,234.5) or European (1.234,5).
_ENGLISH_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_EUROPEAN_NUMBER = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_NUMBER_PROBE_ROWS = 1000  # rows looked at first before a text column is parsed whole
# Names that say "row identifier". Engine 1 (studies planned before the data checks) knew
# only the first two; engine 2 also knows the names in _ID_WORDS, whole or as the last
# word of a name ('record no', 'Row_Number', 'invoice_nr', 'customerId').
_ID_NAME = re.compile(r"^(?:id|uuid|guid|index|unnamed: \d+)$|_id$", re.IGNORECASE)
_ID_SUFFIX = re.compile(r"[a-z0-9 _-]ID$")
_ID_WORDS = frozenset({
    "id", "ids", "uuid", "guid", "index", "idx", "key", "no", "nr", "num", "number", "#",
    "row", "rowid", "rowname", "rownames", "rownumber", "rownum", "rowno", "rownr",
    "rowindex", "record", "recordid", "recordnumber", "recordnum", "recordno", "recordnr",
    "obs", "obsid", "obsno", "obsnr", "obsnumber", "observation", "serial", "serialno",
    "serialnumber", "seq", "seqno", "sequence",
})
_ID_LAST_WORD = re.compile(r"[\s_.-](?:id|key|no|nr|num|number|index|idx)\.?$", re.IGNORECASE)
_ID_CAMEL_SUFFIX = re.compile(r"[a-z0-9](?:Id|ID|No|Nr|Key)$")
_NAME_SEPARATORS = re.compile(r"[\s_.\-:]+")


@dataclass(frozen=True)
class ColumnInfo:
    """What one column holds and how it will be used."""

    name: str
    role: str
    dtype: str
    n_missing: int
    n_unique: int


@dataclass(frozen=True)
class LeakageNote:
    """A column that alone predicts the target almost perfectly (data_checks.find_leaks):
    set aside as probable leakage, or ``kept`` as the user chose, with the note that says
    so and the role it takes when kept."""

    column: str
    note: str
    kept: bool
    feature_role: str


@dataclass(frozen=True, eq=False)
class Dataset:
    """A loaded table with its target, task and column roles, ready for tuning.

    ``eq=False`` because comparing data frames field by field is ambiguous; datasets
    compare (and hash) by identity, and ``fingerprint`` identifies the data itself.
    """

    source: str
    frame: pd.DataFrame
    target: str
    task: str
    columns: tuple[ColumnInfo, ...]
    notes: tuple[str, ...]
    fingerprint: str
    read_options: dict[str, Any] = field(default_factory=dict)
    # Columns that held numbers written as text, and how they were written:
    # "plain" (3.5), "english" (1,234.5) or "european" (1.234,5). An exported script
    # converts exactly these columns the same way.
    converted: dict[str, str] = field(default_factory=dict)
    # Columns that alone predict the target almost perfectly (engine 2 and later).
    leaks: tuple[LeakageNote, ...] = ()
    # Columns the checks would have set aside, kept as a feature because the caller said
    # so (``load_dataset(keep=...)``); a study records their roles.
    kept: tuple[str, ...] = ()
    rules: int = ENGINE_VERSION  # the engine whose column rules made the roles

    def _names_with_role(self, *roles: str) -> list[str]:
        return [column.name for column in self.columns if column.role in roles]

    @property
    def feature_names(self) -> list[str]:
        """The columns models learn from, in file order."""
        return self._names_with_role(*FEATURE_ROLES)

    @property
    def numeric_features(self) -> list[str]:
        """Feature columns treated as numbers (scaled, imputed with a number)."""
        return self._names_with_role("numeric")

    @property
    def categorical_features(self) -> list[str]:
        """Feature columns treated as categories (one-hot or ordinal encoded)."""
        return self._names_with_role("categorical")

    @property
    def n_rows(self) -> int:
        """Rows that have a target value."""
        return len(self.frame)

    def X(self) -> pd.DataFrame:
        """Feature columns only: numbers as float, categories as text, missing as NaN."""
        numeric = set(self.numeric_features)
        parts = {
            name: _as_float(self.frame[name]) if name in numeric else _as_labels(self.frame[name])
            for name in self.feature_names
        }
        return pd.DataFrame(parts, index=self.frame.index)

    def y(self) -> np.ndarray | pd.Series:
        """The target as a NumPy array that scikit-learn accepts for this task."""
        return _target_array(self.frame[self.target], self.task)


# --------------------------------------------------------------------------- reading


def read_table(source: str | Path) -> tuple[pd.DataFrame, str]:
    """Read a file or demo set as it is; returns (frame, fingerprint). Raises DatasetError."""
    frame, fingerprint, _ = read_table_with_options(source)
    return frame, fingerprint


def read_table_with_options(source: str | Path) -> tuple[pd.DataFrame, str, dict[str, Any]]:
    """Like read_table, plus how the file was read: format, encoding, separator, decimal."""
    if isinstance(source, str) and source.strip().lower().startswith(_DEMO_PREFIX):
        frame, fingerprint = _read_demo(source)
        name = source.strip()[len(_DEMO_PREFIX) :].strip().lower()
        return frame, fingerprint, {"format": "demo", "name": name}
    path = Path(source)
    data = _read_bytes(path)
    frame, options = _parse_file(data, path)
    return _tidy_frame(frame, path.name), hashlib.sha256(data).hexdigest(), options


def _read_demo(source: str) -> tuple[pd.DataFrame, str]:
    """Demo sets ship with scikit-learn, so nothing is downloaded."""
    from sklearn import __version__ as sklearn_version
    from sklearn import datasets

    name = source.strip()[len(_DEMO_PREFIX) :].strip().lower()
    if name not in DEMO_SETS:
        raise DatasetError(
            f"There is no demo data set called '{name}'. The demo sets are: {', '.join(DEMO_SETS)}."
        )
    frame = getattr(datasets, f"load_{name}")(as_frame=True).frame
    fingerprint = hashlib.sha256(f"{_DEMO_PREFIX}{name}{sklearn_version}".encode()).hexdigest()
    return _tidy_frame(frame, f"demo:{name}"), fingerprint


def _read_bytes(path: Path) -> bytes:
    """Read the whole file once: parsing works on this copy, so the file is never touched.

    A named pipe, a device or a link loop is refused before it is opened (reading one
    would wait forever, never end, or look like a missing file)."""
    try:
        check_ordinary_file(path, "data file")
    except InputFileError as exc:
        raise DatasetError(str(exc)) from None
    if not path.exists():
        raise DatasetError(
            f"The file '{path}' was not found. "
            "Check that it still exists and has not been moved or renamed."
        )
    if path.is_dir():
        raise DatasetError(f"'{path}' is a folder, not a file. Choose a data file instead.")
    suffix = path.suffix.lower()
    if suffix not in _TEXT_SUFFIXES + _EXCEL_SUFFIXES + _PARQUET_SUFFIXES:
        kind = f"'{suffix}'" if suffix else "no file extension"
        raise DatasetError(
            f"The file '{path.name}' is of a type that cannot be read ({kind}). "
            f"Save it as one of these instead: {_FORMATS}."
        )
    try:
        data = read_ordinary_file(path, "data file")
    except InputFileError as exc:  # swapped for a pipe or a device since it was checked
        raise DatasetError(str(exc)) from None
    except OSError as exc:
        raise DatasetError(
            f"The file '{path.name}' could not be opened. It may be open in another "
            "program, or you may not have permission to read it."
        ) from exc
    if not data or data.isspace():  # (strip() would copy the whole file)
        raise _empty_file(path.name)
    return data


def _parse_file(data: bytes, path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The table and how it was read (so an exported script can read it the same way)."""
    suffix = path.suffix.lower()
    if suffix in _EXCEL_SUFFIXES:
        return _read_excel(data, path.name, suffix), {"format": "excel"}
    if suffix in _PARQUET_SUFFIXES:
        return _read_parquet(data, path.name), {"format": "parquet"}
    return _read_text(data, path.name, suffix)


def _read_excel(data: bytes, name: str, suffix: str) -> pd.DataFrame:
    """The first sheet (the one an exported script reads too); when it holds no table,
    the sheets that do are named, so the analyst knows which to move to the front."""
    engine = "xlrd" if suffix == ".xls" else "openpyxl"
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it ignores; not the user's concern.
            warnings.simplefilter("ignore", UserWarning)
            frame = pd.read_excel(io.BytesIO(data), sheet_name=0, engine=engine)
            if frame.dropna(how="all").empty:
                _refuse_for_other_sheets(pd.ExcelFile(io.BytesIO(data), engine=engine), name)
            return frame
    except DatasetError:
        raise
    except ImportError as exc:
        raise DatasetError(
            f"The file '{name}' is in the old Excel format (.xls), which cannot be read here. "
            "Open it in Excel, save it as an .xlsx workbook, and load that file instead."
        ) from exc
    except Exception as exc:
        raise _unreadable(name) from exc


def _refuse_for_other_sheets(book: pd.ExcelFile, name: str) -> None:
    """A DatasetError naming the sheets after the first that hold rows, if any do."""
    first, *others = book.sheet_names
    tables = [sheet for sheet in others
              if not pd.read_excel(book, sheet_name=sheet).dropna(how="all").empty]
    if not tables:
        return
    which = (f"the sheet '{tables[0]}' does" if len(tables) == 1
             else f"the sheets {_quote_list(tables)} do")
    raise DatasetError(
        f"The first sheet '{first}' of '{name}' holds no table; {which}. Only the first "
        "sheet is read: in Excel, move the sheet you want to the front (drag its tab to the "
        "far left) and save, or save that sheet as a CSV file, then load the file again."
    )


def _read_parquet(data: bytes, name: str) -> pd.DataFrame:
    try:
        return pd.read_parquet(io.BytesIO(data))
    except Exception as exc:
        raise _unreadable(name) from exc


def _read_text(data: bytes, name: str, suffix: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise _unreadable(name)
    if text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
        raise DatasetError(
            f"The file '{name}' is a web page (HTML), not a table. Open it in a browser or "
            "Excel and save or export the table as CSV or Excel, then load that file."
        )
    delimiter = _sniff_delimiter(text, "\t" if suffix == ".tsv" else ",")
    options = {
        "sep": delimiter,
        "decimal": _sniff_decimal(text, delimiter),
        "skipinitialspace": True,
        "na_values": list(_MISSING_MARKERS),
        "low_memory": False,
    }
    try:
        # From the bytes, not io.StringIO(text): copying a large text into a StringIO
        # holds the interpreter (150 ms for 45 MB, the window frozen meanwhile), while
        # the parser lets go of it as it reads. The same bytes, read as the script does.
        frame = pd.read_csv(io.BytesIO(data), encoding=encoding, **options)
        read = {"format": "csv", "encoding": encoding, **options}
        renamed = _renamed_duplicates(_sample_rows(text, delimiter)[:1], list(frame.columns))
        if renamed:  # pandas keeps a repeated name's later columns as 'age.1', 'age.2'
            read["renamed"] = renamed
        return frame, read
    except pd.errors.EmptyDataError as exc:
        raise _empty_file(name) from exc
    except pd.errors.ParserError as exc:
        raise _uneven_lines(name, str(exc)) from exc
    except (ValueError, csv.Error) as exc:
        raise _unreadable(name) from exc


def _renamed_duplicates(header: list[list[str]], columns: list[Any]) -> dict[str, str]:
    """{new name: name in the file} for the columns whose name the file repeats."""
    if not header or len(header[0]) != len(columns):
        return {}
    names = [name.strip() for name in header[0]]
    counts = Counter(names)
    return {str(column): name for name, column in zip(names, columns, strict=True)
            if counts[name] > 1 and str(column) != name}


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 first (with or without a BOM), then the Windows code page Excel uses in Europe."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    """The first non-blank rows of the text split by ``delimiter`` (quotes respected)."""
    truncated = len(text) > _SAMPLE_CHARS
    # newline=None: a file saved with old Mac line ends (a lone CR) is split into rows too
    reader = csv.reader(io.StringIO(text[:_SAMPLE_CHARS], newline=None), delimiter=delimiter)
    try:
        rows = [row for _, row in zip(range(_SAMPLE_ROWS), reader, strict=False) if row]
    except csv.Error:
        return []
    return rows[:-1] if truncated and len(rows) > 1 else rows


def _sniff_delimiter(text: str, preferred: str) -> str:
    """Pick the separator that splits the header into several fields and every row alike."""
    scores: dict[str, tuple[float, int]] = {}
    for delimiter in _DELIMITERS:
        rows = _sample_rows(text, delimiter)
        if rows and len(rows[0]) > 1:
            width = len(rows[0])
            scores[delimiter] = (sum(len(row) == width for row in rows) / len(rows), width)
    if not scores:
        return preferred
    if preferred in scores and scores[preferred][0] >= max(s[0] for s in scores.values()):
        return preferred
    return max(scores, key=scores.__getitem__)


def _sniff_decimal(text: str, delimiter: str) -> str:
    """A comma is the decimal mark when the values say so (``3,14`` beats ``3.14``)."""
    if delimiter == ",":
        return "."
    values = [value.strip() for row in _sample_rows(text, delimiter)[1:] for value in row]
    commas = sum(bool(_COMMA_DECIMAL.fullmatch(value)) for value in values)
    dots = sum(bool(_DOT_DECIMAL.fullmatch(value)) for value in values)
    return "," if commas > dots else "."


def _tidy_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Text column names, a plain row index, and no empty or ambiguous tables."""
    if isinstance(frame.index, pd.RangeIndex) or all(n is None for n in frame.index.names):
        frame = frame.reset_index(drop=True)
    else:
        frame = frame.reset_index()
    frame = frame.set_axis([str(column) for column in frame.columns], axis=1)
    if frame.shape[1] == 0:
        raise _empty_file(name)
    if frame.shape[0] == 0:
        raise DatasetError(
            f"The file '{name}' has column names but no rows of data. "
            "Choose a file that contains data."
        )
    nested = [c for c in frame.columns if frame[c].dtype == object and any(
        isinstance(v, list | tuple | dict | set | np.ndarray)
        for v in frame[c].dropna().head(100))]
    if nested:
        raise DatasetError(
            f"{_columns(nested)} of '{name}' hold{'s' if len(nested) == 1 else ''} lists or "
            "records rather than single values, which cannot be learned from as they are. "
            "Save the table with one value per cell (flatten or drop those columns) and load "
            "it again."
        )
    with_nul = [c for c in frame.columns if "\x00" in c]
    if with_nul:  # the column would be looked up by the name cut at the NUL, and never found
        shown = with_nul[0].replace("\x00", "\\0")
        raise DatasetError(
            f"The column name '{shown}' of '{name}' holds a NUL character (shown as \\0), "
            "which cannot be part of a name. Rename the column and load the file again."
        )
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        raise DatasetError(
            f"The file '{name}' has more than one column called '{duplicated[0]}'. "
            "Give each column a different name and load the file again."
        )
    return frame


def _empty_file(name: str) -> DatasetError:
    return DatasetError(
        f"The file '{name}' is empty. "
        "Choose a file that contains a table with a header line and rows of data."
    )


def _unreadable(name: str) -> DatasetError:
    return DatasetError(
        f"The file '{name}' could not be read as a table. This program reads {_FORMATS}; "
        "check that the file really is one of these and is not damaged."
    )


def _uneven_lines(name: str, detail: str) -> DatasetError:
    match = re.search(r"line (\d+)", detail)
    where = f"Line {match.group(1)}" if match else "A line"
    return DatasetError(
        f"{where} of '{name}' has more values than the header line. Check that the file "
        "uses one separator throughout and that text containing the separator is in quotes."
    )


# --------------------------------------------------------------------------- roles and task


def suggest_target(frame: pd.DataFrame) -> str:
    """A column called "target" if there is one, else the last column (the usual layout)."""
    if frame.shape[1] == 0:
        raise DatasetError("The table has no columns. Choose a file that contains a table.")
    for column in frame.columns:
        if str(column).strip().lower() == "target":
            return column
    return frame.columns[-1]


def infer_roles(
    frame: pd.DataFrame, target: str | None, *, rules: int = ENGINE_VERSION
) -> dict[str, str]:
    """Guess each column's role from its values and name; the user can override any guess.

    ``rules`` is the engine version whose rules apply (``spec.ENGINE_VERSION``): 1 knew
    fewer id names and took only 1, 2, 3, ... for row numbers; 2 also takes row numbers
    with gaps (whether they carry a signal is judged by ``load_dataset``, which sees the
    target).
    """
    if target is not None and target not in frame.columns:
        raise _missing_target(target, frame)
    return {  # items(): a column lookup by name costs more than the guess on 10,000 columns
        name: "target" if name == target else _infer_role(str(name), series, rules)
        for name, series in frame.items()
    }


def infer_task(target_values: pd.Series) -> str:
    """Classification for labels and small sets of whole numbers, otherwise regression."""
    values = target_values.dropna()
    if not _is_number_column(values):
        return "classification"
    numbers = values.to_numpy(dtype=float)
    n_unique = len(np.unique(numbers))
    if _all_integral(numbers) and n_unique <= MAX_CLASSES and n_unique < len(numbers) / 2:
        return "classification"
    return "regression"


def _infer_role(name: str, series: pd.Series, rules: int = ENGINE_VERSION) -> str:
    present = series.dropna()
    n_unique = present.nunique()
    if n_unique <= 1:
        return "constant"
    if _is_boolean(present):
        return "categorical"
    numbers = present if ptypes.is_numeric_dtype(present) else _parse_numbers(present)
    if numbers is not None:
        if rules < 2:
            return "id" if _looks_like_row_ids(name, numbers) else "numeric"
        return "id" if _row_id_evidence(name, numbers) else "numeric"
    if n_unique == len(present) or (
        len(present) > NEARLY_UNIQUE_MIN_ROWS and n_unique / len(present) > NEARLY_UNIQUE
    ):
        return "id"
    return "categorical"


def _looks_like_row_ids(name: str, numbers: pd.Series) -> bool:
    """Engine 1: all-different whole numbers named like an id or counting 1, 2, 3, ..."""
    values = numbers.to_numpy(dtype=float)
    if not _all_integral(values) or len(np.unique(values)) != len(values):
        return False
    if _ID_NAME.search(name.strip()) or _ID_SUFFIX.search(name.strip()):
        return True
    return len(values) > 2 and bool(np.all(np.diff(values) == 1))


def _row_id_evidence(name: str, numbers: pd.Series) -> str | None:
    """Engine 2: why all-different whole numbers look like row identifiers.

    "name" (the name says so), "count" (1, 2, 3, ... up or down the table), "gaps" (they
    rise, or fall, all the way down the table with gaps: row numbers after rows were
    removed; such a column is an id only if it carries no signal, see load_dataset), or
    None.
    """
    values = numbers.to_numpy(dtype=float)
    if len(values) < 3 or not _all_integral(values):
        return None
    steps = np.diff(values)
    rising, falling = bool(np.all(steps > 0)), bool(np.all(steps < 0))
    if not (rising or falling) and len(np.unique(values)) != len(values):
        return None
    if _id_named(name):
        return "name"
    if not (rising or falling):
        return None
    return "count" if bool(np.all(np.abs(steps) == 1)) else "gaps"


def _id_named(name: str) -> bool:
    """An id's name: 'id', 'Row number', 'record_no', 'customer_id', 'invoiceNr', ..."""
    text = name.strip()
    if _ID_NAME.search(text) or _ID_SUFFIX.search(text) or _ID_CAMEL_SUFFIX.search(text):
        return True
    return _NAME_SEPARATORS.sub("", text.lower()) in _ID_WORDS or bool(
        _ID_LAST_WORD.search(text))


def _is_boolean(series: pd.Series) -> bool:
    if ptypes.is_bool_dtype(series.dtype):
        return True
    return series.dtype == object and all(isinstance(v, bool | np.bool_) for v in series.dropna())


def _is_number_column(series: pd.Series) -> bool:
    return ptypes.is_numeric_dtype(series.dtype) and not _is_boolean(series)


def _all_integral(values: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(values)) and np.all(values == np.round(values)))


def _parse_numbers(series: pd.Series) -> pd.Series | None:
    """The numbers in a text column that holds only numbers, else None."""
    parsed = _parse_numbers_with_style(series)
    return None if parsed is None else parsed[0]


def _parse_numbers_with_style(series: pd.Series) -> tuple[pd.Series, str] | None:
    """Like _parse_numbers, plus how the numbers were written ("plain", "english", "european").

    The numbers are always ``_numbers_from_text(series, style)``; exported scripts repeat
    that step with the recorded style.
    """
    if _is_boolean(series) or ptypes.is_numeric_dtype(series.dtype):
        return None
    if ptypes.is_datetime64_any_dtype(series.dtype) or ptypes.is_timedelta64_dtype(series.dtype):
        return None
    present = series.dropna()
    if present.empty:
        return None
    if _plainly_not_numbers(present):
        return None
    text = present.astype(str).str.strip()
    style = "plain"
    if pd.to_numeric(text, errors="coerce").isna().any():
        style = _grouped_number_style(text)
        if style is None:
            return None
    return _numbers_from_text(series, style), style


def _plainly_not_numbers(present: pd.Series) -> bool:
    """True when the first rows already hold a value that is no number in any style.

    Parsing a million words as numbers takes seconds (and holds the interpreter all that
    time); one such value decides the whole column, so the answer is the same, found early.
    """
    head = present.iloc[:_NUMBER_PROBE_ROWS].astype(str).str.strip()
    failed = head[pd.to_numeric(head, errors="coerce").isna()]
    if failed.empty:
        return False
    english = failed.str.fullmatch(_ENGLISH_NUMBER)
    european = failed.str.fullmatch(_EUROPEAN_NUMBER)
    return not bool(english.all()) and not bool(european.all())


def _grouped_number_style(text: pd.Series) -> str | None:
    """How numbers with thousands separators or a decimal comma (1,234.5 or 3,14) are written."""
    if text.str.fullmatch(_ENGLISH_NUMBER).all():
        return "english"
    if text.str.fullmatch(_EUROPEAN_NUMBER).all():
        return "european"
    return None


def _parse_grouped_numbers(text: pd.Series) -> pd.Series | None:
    """Numbers with thousands separators or a decimal comma, such as 1,234.5 or 3,14."""
    style = _grouped_number_style(text)
    return None if style is None else _numbers_from_text(text, style)


def _numbers_from_text(series: pd.Series, style: str) -> pd.Series:
    """The numbers in a text column written in ``style``; missing values stay missing.

    Exported scripts carry a copy of this function (script.py); keep the two identical.
    """
    present = series.dropna()
    text = present.astype(str).str.strip()
    if style == "english":
        text = text.str.replace(",", "", regex=False)
    elif style == "european":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").reindex(series.index)


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class Table:
    """A file (or demo set) as read, before any choice is applied.

    Reading is the slow part; the window reads once and interprets this table again in
    memory (:func:`interpret_table`) when the user changes the target, a role or the task.
    """

    source: str
    frame: pd.DataFrame
    fingerprint: str
    read_options: dict[str, Any]


def read_source(source: str | Path) -> Table:
    """Read a file or demo set once, as it is. Raises DatasetError."""
    frame, fingerprint, read_options = read_table_with_options(source)
    return Table(str(source), frame, fingerprint, read_options)


def load_dataset(
    source: str | Path,
    target: str | None = None,
    *,
    roles: dict[str, str] | None = None,
    task: str | None = None,
    keep: Iterable[str] = (),
    rules: int = ENGINE_VERSION,
) -> Dataset:
    """Read, check and describe a table so tuning can start; raises DatasetError if it can't.

    ``roles`` are the user's choices (they win over every guess); ``keep`` names columns
    to learn from although the checks would set them aside (probable leakage, a row
    identifier): each takes its natural role, numeric or categorical. ``rules`` is the
    engine version whose column rules apply (a stored study's ``spec.engine``, so its data
    is read again as it was): 1 has no data checks (leakage, row numbers with gaps,
    duplicate rows), 2 has them.
    """
    return interpret_table(read_source(source), target, roles=roles, task=task, keep=keep,
                           rules=rules)


def interpret_table(
    table: Table,
    target: str | None = None,
    *,
    roles: dict[str, str] | None = None,
    task: str | None = None,
    keep: Iterable[str] = (),
    rules: int = ENGINE_VERSION,
) -> Dataset:
    """:func:`load_dataset` on a table already read (the table itself is left unchanged)."""
    frame, fingerprint, read_options = table.frame, table.fingerprint, table.read_options
    source = table.source
    overrides = _check_overrides(frame, roles or {})
    target = _choose_target(frame, target, overrides)
    keep = _check_keep(frame, list(keep), target)
    frame, converted = convert_number_text(frame, overrides)
    _check_infinite(frame)
    frame, dropped = _drop_missing_target(frame, target)
    _check_row_count(frame, target)
    inferred = infer_roles(frame, target, rules=rules)
    final_roles = {**inferred, **overrides}
    _check_numeric_roles(frame, final_roles)
    task = _choose_task(frame[target], task, target)
    # the target as the checks read it, worked out once: on a large table each costs
    if task == "classification":
        y, classes = _class_codes(frame[target])
        counts = _class_counts(y, classes)
    else:
        y, counts = _target_array(frame[target], task), None
    _check_target(frame[target], task, target, counts)
    leaks: list[LeakageNote] = []
    signal_notes: list[str] = []
    checks = _ColumnChecks(frame, target, task, y) if rules >= 2 else None
    if checks is not None:
        signal_notes = checks.rows_counted_with_signal(inferred, overrides, final_roles)
        leaks = checks.leaks(inferred, overrides, final_roles)
    kept = _keep_columns(frame, keep, final_roles)
    if checks is not None:
        leaks = [replace(leak, kept=True, note=checks.kept_note(leak.column))
                 if leak.column in kept else leak for leak in leaks]
    _check_features(final_roles, target)
    notes = [
        *[leak.note for leak in leaks],  # first: they change what a score means
        *_renamed_note(read_options.get("renamed", {})),
        *_dropped_note(dropped, target),
        *_converted_note(list(converted)),
        *_set_aside_notes(frame, final_roles, overrides),
        *signal_notes,
        *(_duplicate_notes(frame, final_roles, target) if rules >= 2 else []),
        *_missing_notes(frame, final_roles),
        *_small_class_notes(counts, target),
        *_huge_notes(frame, final_roles),
        *(_old_rules_note() if rules < 2 else []),
    ]
    return Dataset(
        source=str(source),
        frame=frame,
        target=target,
        task=task,
        columns=tuple(_column_info(series, name, final_roles[name])
                      for name, series in frame.items()),
        notes=tuple(notes),
        fingerprint=fingerprint,
        read_options=read_options,
        converted=converted,
        leaks=tuple(leaks),
        kept=tuple(kept),
        rules=rules,
    )


class _ColumnChecks:
    """The data checks of engine 2 on a loaded table (thresholds in data_checks)."""

    def __init__(self, frame: pd.DataFrame, target: str, task: str, y: np.ndarray) -> None:
        """``y``: the target as ``data_checks.target_codes`` gives it (class codes, or
        floats for regression)."""
        self.frame, self.target, self.task = frame, target, task
        self.y = y
        self._found: dict[str, data_checks.Leak] = {}

    def rows_counted_with_signal(
        self, inferred: dict[str, str], overrides: dict[str, str], roles: dict[str, str]
    ) -> list[str]:
        """Numbers that rise (or fall) down the table with gaps are row numbers only when
        they carry no signal; the others become numeric again (``roles`` is updated),
        each with a note that says why."""
        notes = []
        for name, role in inferred.items():
            if role != "id" or name in overrides:
                continue
            numbers = _numbers_of(self.frame[name])
            if numbers is None or _row_id_evidence(str(name), numbers.dropna()) != "gaps":
                continue
            signal, strength = data_checks.carries_signal(numbers, self.y, self.task)
            if signal:
                roles[name] = "numeric"
                notes.append(self._counted_note(name, strength))
        return notes

    def _counted_note(self, name: str, strength: float) -> str:
        how = (f"rank correlation {strength:.2f}" if self.task == "regression" else
               f"sorted by it, the class changes {strength:.0%} less often than in an order "
               "with no link to the target")
        return (f"Column '{name}' rises (or falls) steadily down the table like a row number, "
                f"but it follows the target '{self.target}' ({how}), so it is used to learn "
                "from. If it only numbers the rows, set its role to ID-like.")

    def leaks(self, inferred: dict[str, str], overrides: dict[str, str],
              roles: dict[str, str]) -> list[LeakageNote]:
        """Columns that alone predict the target: set aside as "leakage" (``roles`` is
        updated) unless the user chose to use them, each with its note."""
        numeric, categorical = [], []
        # By dtype, without a lookup per column name (10,000 columns cost seconds).
        for name, dtype in self.frame.dtypes.items():
            role = roles[name]
            if role not in ("numeric", "categorical", "leakage", "id") or (
                    role == "id" and (name in overrides or inferred[name] != "id")):
                continue
            number = getattr(dtype, "kind", "O") in "iuf"
            if number and role != "categorical":
                numeric.append(name)
            elif role != "id":  # text ids are skipped: every value differs
                categorical.append(name)
        self._found = data_checks.find_leaks(self.frame, self.y, self.task, numeric,
                                             categorical)
        found = []
        for name in roles:  # in file order
            leak = self._found.get(name)
            if leak is None:
                continue
            kept = overrides.get(name) in FEATURE_ROLES
            if not kept:
                roles[name] = "leakage"
            note = (leak.kept_note(self.target) if kept else
                    leak.set_aside_note(self.target, identifier=inferred[name] == "id"))
            found.append(LeakageNote(name, note, kept, _natural_role(self.frame[name])))
        return found

    def kept_note(self, name: str) -> str:
        return self._found[name].kept_note(self.target)


def _numbers_of(series: pd.Series) -> pd.Series | None:
    if _is_boolean(series):
        return None
    return series if ptypes.is_numeric_dtype(series.dtype) else _parse_numbers(series)


def _natural_role(series: pd.Series) -> str:
    """The feature role a column takes when kept: numeric for numbers, else categorical."""
    return "numeric" if _is_number_column(series) else "categorical"


def _check_keep(frame: pd.DataFrame, keep: list[str], target: str) -> list[str]:
    """The columns to keep, each a column of the table and not the target."""
    for name in keep:
        if name == target:
            raise DatasetError(
                f"Column '{name}' is the target, so it cannot also be kept as a column to "
                "learn from.")
        if name not in frame.columns:
            import difflib

            close = difflib.get_close_matches(name, [str(c) for c in frame.columns], n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise DatasetError(
                f"There is no column called '{name}' in the table, so it cannot be kept.{hint} "
                f"The columns are: {_quote_list(frame.columns, limit=40)}.")
    return list(dict.fromkeys(keep))


def _keep_columns(frame: pd.DataFrame, keep: list[str], roles: dict[str, str]) -> list[str]:
    """Give each column to keep its natural feature role (``roles`` is updated); the
    columns whose role this changed (keeping a column already learned from changes
    nothing)."""
    kept = []
    for name in keep:
        if roles[name] not in FEATURE_ROLES:
            roles[name] = _natural_role(frame[name])
            kept.append(name)
    return kept


def _check_overrides(frame: pd.DataFrame, roles: dict[str, str]) -> dict[str, str]:
    for name, role in roles.items():
        if name not in frame.columns:
            raise DatasetError(
                f"There is no column called '{name}' in the table, so its role cannot be set. "
                f"The columns are: {_quote_list(frame.columns)}."
            )
        if role not in ROLES:
            raise DatasetError(
                f"'{role}' is not a known role for column '{name}'. "
                f"Choose one of: {', '.join(ROLES)}."
            )
    return dict(roles)


def _choose_target(frame: pd.DataFrame, target: str | None, overrides: dict[str, str]) -> str:
    marked = [name for name, role in overrides.items() if role == "target"]
    if len(marked) > 1:
        raise DatasetError(
            f"Only one column can be the target, but {_quote_list(marked)} were all marked "
            "as the target. Choose one of them."
        )
    if target is None:
        target = marked[0] if marked else suggest_target(frame)
    elif marked and marked[0] != target:
        raise DatasetError(
            f"Column '{marked[0]}' was marked as the target, but '{target}' was chosen as the "
            "target. Choose one target column."
        )
    if target not in frame.columns:
        raise _missing_target(target, frame)
    if overrides.get(target, "target") != "target":
        raise DatasetError(
            f"Column '{target}' is the target, so it cannot also have the role "
            f"'{overrides[target]}'. Choose another target or leave its role as target."
        )
    return target


def _missing_target(target: str, frame: pd.DataFrame) -> DatasetError:
    return DatasetError(
        f"There is no column called '{target}' in the table. "
        f"The columns are: {_quote_list(frame.columns)}. Choose one of them as the target."
    )


def convert_number_text(
    frame: pd.DataFrame, overrides: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Columns of numbers stored as text become numbers, unless the user chose otherwise.

    Returns the new frame and, for each converted column, how its numbers were written.
    """
    converted: dict[str, tuple[pd.Series, str]] = {}
    for name in frame.columns:
        if overrides.get(name, "numeric") not in ("numeric", "target"):
            continue
        parsed = _parse_numbers_with_style(frame[name])
        if parsed is not None:
            converted[name] = parsed
    if not converted:
        return frame, {}
    frame = frame.copy()
    for name, (numbers, _) in converted.items():
        frame[name] = numbers
    return frame, {name: style for name, (_, style) in converted.items()}


def _drop_missing_target(frame: pd.DataFrame, target: str) -> tuple[pd.DataFrame, int]:
    has_target = frame[target].notna()
    dropped = int((~has_target).sum())
    if dropped:
        frame = frame.loc[has_target].reset_index(drop=True)
    return frame, dropped


def _check_row_count(frame: pd.DataFrame, target: str) -> None:
    n_rows = len(frame)
    if n_rows >= MIN_ROWS:
        return
    have = "No rows have" if n_rows == 0 else f"Only {_count(n_rows, 'row')} {_has(n_rows)}"
    raise DatasetError(
        f"{have} a value in the target column '{target}'. At least {MIN_ROWS} are needed to "
        "tune a model; add more rows or choose another target column."
    )


def _check_numeric_roles(frame: pd.DataFrame, roles: dict[str, str]) -> None:
    for name, role in roles.items():
        series = frame[name]
        if role != "numeric" or ptypes.is_numeric_dtype(series.dtype) or _is_boolean(series):
            continue
        example = series.dropna().iloc[0] if series.notna().any() else ""
        raise DatasetError(
            f"Column '{name}' contains text such as '{example}', so it cannot be used as a "
            "number. Set its role to categorical instead."
        )


def _choose_task(values: pd.Series, task: str | None, target: str) -> str:
    if task is None:
        return infer_task(values)
    if task not in TASKS:
        raise DatasetError(
            f"'{task}' is not a known kind of task for the target '{target}'. "
            "Choose classification or regression."
        )
    if task == "regression" and not _is_number_column(values):
        raise DatasetError(
            f"The target column '{target}' holds categories such as '{values.iloc[0]}', "
            "not numbers, so it cannot be predicted with regression. Choose classification."
        )
    return task


def _looks_like_dates(values: pd.Series) -> bool:
    sample = values.dropna().astype(str).head(200)
    if sample.empty or sample.str.fullmatch(r"[-+]?\d+([.,]\d+)?").all():
        return False  # plain numbers are not dates
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return bool(parsed.notna().all())


def _check_target(values: pd.Series, task: str, target: str,
                  counts: pd.Series | None) -> None:
    """``counts``: the rows of each class (classification)."""
    if task == "regression":
        if values.nunique() < 2:
            raise DatasetError(
                f"The target column '{target}' has the same value in every row, so there is "
                "nothing to learn. Choose another target column."
            )
        return
    assert counts is not None
    if len(counts) > MAX_CLASSES and _looks_like_dates(values):
        raise DatasetError(
            f"The target column '{target}' holds dates, which are neither classes nor a "
            "quantity to predict. Choose another target column, or turn the dates into a "
            "number (for example days since a start date) in the file."
        )
    if len(counts) < 2:
        raise DatasetError(
            f"The target column '{target}' has only one class ('{counts.index[0]}'), so there "
            "is nothing to learn. Choose another target column or a file with more classes."
        )
    single = [str(label) for label in counts.index[counts < 2]]
    if single and _is_number_column(values) and len(counts) > MAX_CLASSES:
        raise DatasetError(
            f"The target column '{target}' holds {len(counts):,} different numbers, so it "
            "looks like a quantity to predict rather than classes; choose regression as "
            "the task."
        )
    if single:
        which = f"classes {_quote_list(single)} have"
        if len(single) == 1:
            which = f"class '{single[0]}' has"
        raise DatasetError(
            f"In the target column '{target}', {which} only one row. Cross-validation needs at "
            "least 2 rows of each class; add rows for it or remove that row from the file."
        )


def _check_features(roles: dict[str, str], target: str) -> None:
    if any(role in FEATURE_ROLES for role in roles.values()):
        return
    others = [name for name in roles if name != target]
    if not others:
        raise DatasetError(
            f"The table has only one column, '{target}', so there is nothing to learn from. "
            "If the file has more columns, check that they are separated by commas, "
            "semicolons, tabs or the | sign."
        )
    raise DatasetError(
        f"No columns are left to learn from: besides the target '{target}', the columns "
        f"{_quote_list(others)} were set aside (as ids, constants or probable leakage). Set "
        "the role of some of them to numeric or categorical, or use a table with more columns."
    )


def _column_info(series: pd.Series, name: str, role: str) -> ColumnInfo:
    return ColumnInfo(
        name=name,
        role=role,
        dtype=str(series.dtype),
        n_missing=int(series.isna().sum()),
        n_unique=int(series.nunique()),
    )


# --------------------------------------------------------------------------- notes


def _check_infinite(frame: pd.DataFrame) -> None:
    """Infinite numbers ('inf', '-inf') are refused: no model learns from them, and
    treating them as missing would hide a problem in the export."""
    floats = frame.select_dtypes("float")
    counts = np.isinf(floats.to_numpy()).sum(axis=0) if floats.shape[1] else []
    found = {name: int(n) for name, n in zip(floats.columns, counts, strict=True) if n}
    if found:
        name, count = next(iter(found.items()))
        others = f" (and {_count(len(found) - 1, 'more column')})" if len(found) > 1 else ""
        raise DatasetError(
            f"Column '{name}'{others} has {_count(count, 'infinite value')} (inf or -inf), "
            "which no model can learn from. Replace them with numbers, or with empty cells "
            "to have them filled in, and load the file again."
        )


HUGE = 1e150  # squaring it overflows: scaling and distances fail beyond this


def _renamed_note(renamed: dict[str, str]) -> list[str]:
    if not renamed:
        return []
    new, old = next(iter(renamed.items()))
    more = f" (and {len(renamed) - 1} more)" if len(renamed) > 1 else ""
    return [f"The file has more than one column called '{old}': the later one is read as "
            f"'{new}'{more}. If they hold different things, give them different names in "
            "the file."]


def _huge_notes(frame: pd.DataFrame, roles: dict[str, str]) -> list[str]:
    numbers = frame[[name for name, role in roles.items() if role == "numeric"]]
    numbers = numbers.select_dtypes("number")
    if not numbers.shape[1]:
        return []
    largest = np.nanmax(np.abs(numbers.to_numpy(dtype=float)), axis=0, initial=0)
    huge = [name for name, top in zip(numbers.columns, largest, strict=True) if top > HUGE]
    if not huge:
        return []
    return [f"{_columns(huge)} hold{'s' if len(huge) == 1 else ''} numbers beyond 1e150; "
            "models that scale their inputs or measure distances (linear models, SVMs, "
            "k-nearest neighbours, neural networks) will fail on them. Divide "
            f"{'it' if len(huge) == 1 else 'them'} by a large power of ten if they do."]


def _dropped_note(dropped: int, target: str) -> list[str]:
    if not dropped:
        return []
    verb = "was" if dropped == 1 else "were"
    return [f"{_count(dropped, 'row')} with no value in the target '{target}' {verb} left out."]


def _converted_note(names: list[str]) -> list[str]:
    if not names:
        return []
    return [
        f"{_columns(names)} held numbers stored as text; "
        f"{'it was' if len(names) == 1 else 'they were'} read as numbers."
    ]


def _set_aside_notes(
    frame: pd.DataFrame, roles: dict[str, str], overrides: dict[str, str]
) -> list[str]:
    """Explain columns the program chose not to use; the user's own choices need no note."""
    guessed = {name: role for name, role in roles.items() if name not in overrides}
    ids = [name for name, role in guessed.items() if role == "id"]
    constant = [n for n, r in guessed.items() if r == "constant" and frame[n].notna().any()]
    empty = [n for n, r in guessed.items() if r == "constant" and not frame[n].notna().any()]
    notes = []
    if ids:
        looks = "looks like a row identifier" if len(ids) == 1 else "look like row identifiers"
        notes.append(f"{_columns(ids)} {looks}, so {_it(ids)} will not be used to learn from.")
    if constant:
        has = "has" if len(constant) == 1 else "have"
        notes.append(
            f"{_columns(constant)} {has} the same value in every row, "
            f"so {_it(constant)} will not be used to learn from."
        )
    if empty:
        verb = "is" if len(empty) == 1 else "are"
        notes.append(f"{_columns(empty)} {verb} empty, so {_it(empty)} will not be used.")
    return notes


def _duplicate_notes(frame: pd.DataFrame, roles: dict[str, str], target: str) -> list[str]:
    used = [name for name, role in roles.items() if role in FEATURE_ROLES]
    repeats = data_checks.count_duplicates(frame, [*used, target])
    if not repeats:
        return []
    rows = "1 row repeats" if repeats == 1 else f"{repeats:,} rows repeat"
    return [f"{rows} another row exactly (in every column used and in the target "
            f"'{target}'); duplicates can sit in both the training and the validation folds, "
            "which makes cross-validation scores look better than they are. Remove them in "
            "the file if they are not real repeated measurements."]


def _old_rules_note() -> list[str]:
    return ["This study was planned by an earlier version of hpt-gui, so its columns are "
            "read with that version's rules: the data checks added since (probable leakage, "
            "row numbers with gaps, duplicate rows) were not applied. Run it again under a "
            "new study name to apply them."]


def _missing_notes(frame: pd.DataFrame, roles: dict[str, str]) -> list[str]:
    """Each share in numbers ('18 %'), never 'a few': an analyst decides on the number."""
    notes, few = [], []
    shares = frame.isna().mean()
    for name, role in roles.items():
        share = float(shares[name])
        if role not in FEATURE_ROLES or share == 0:
            continue
        if share >= MANY_MISSING:
            notes.append(
                f"Column '{name}' has {percent_text(share)} missing values; "
                "they will be filled in inside each fold."
            )
        else:
            few.append(f"'{name}' ({percent_text(share)})")
    if few:
        shown = few if len(few) <= 10 else [*few[:10], f"{len(few) - 10} more"]
        listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
        notes.append(
            f"{'Column' if len(few) == 1 else 'Columns'} {listed} {_has(len(few))} missing "
            "values; they will be filled in inside each fold."
        )
    return notes


def _small_class_notes(counts: pd.Series | None, target: str) -> list[str]:
    """``counts``: the rows of each class (None for regression)."""
    if counts is None:
        return []
    small = counts[counts < FEW_ROWS_PER_CLASS]
    if small.empty:
        return []
    if len(small) == 1:
        label, n_rows = small.index[0], int(small.iloc[0])
        return [
            f"Class '{label}' of the target '{target}' has only {n_rows} rows, "
            "so results for it will be unreliable."
        ]
    return [
        f"Classes {_quote_list(small.index)} of the target '{target}' have fewer than "
        f"{FEW_ROWS_PER_CLASS} rows each, so results for them will be unreliable."
    ]


def quote_list(names: Iterable[object], limit: int = 10) -> str:
    """"'a', 'b' and 'c'" (at most ``limit`` names, then "and N more")."""
    return _quote_list(names, limit)


def _quote_list(names: Iterable[object], limit: int = 10) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) > limit:
        return f"{', '.join(quoted[:limit])} and {len(quoted) - limit} more"
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _columns(names: list[str]) -> str:
    return f"{'Column' if len(names) == 1 else 'Columns'} {_quote_list(names)}"


def _it(names: list[str]) -> str:
    return "it" if len(names) == 1 else "they"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _has(n: int) -> str:
    return "has" if n == 1 else "have"


# --------------------------------------------------------------------------- conversions


def _as_float(series: pd.Series) -> pd.Series:
    return series.astype("float64")


def _as_labels(series: pd.Series) -> pd.Series:
    """Text labels with NaN for missing, the form scikit-learn's encoders handle best."""
    return series.astype(str).astype(object).where(series.notna(), np.nan)


def _class_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's class code (0..k-1, in order of first appearance; -1 for a missing
    label) and the classes, as factorizing :func:`_target_array`'s labels gives them. A
    text column is factorized as it is: making a million Python strings of it first held
    the window 90 ms."""
    if isinstance(values.dtype, pd.StringDtype) and not values.isna().any():
        codes, classes = pd.factorize(values)
        return codes, np.asarray(classes, dtype=object)
    codes, classes = pd.factorize(_target_array(values, "classification"))
    return codes, np.asarray(classes)


def _class_counts(codes: np.ndarray, classes: np.ndarray) -> pd.Series:
    """Rows per class, the most frequent first (ties in order of appearance). Counted
    from codes: value_counts on a million text labels held the window 130 ms."""
    counts = pd.Series(np.bincount(codes[codes >= 0], minlength=len(classes)), index=classes)
    return counts.sort_values(ascending=False, kind="stable")


def _target_array(values: pd.Series, task: str) -> np.ndarray:
    """Floats for regression; whole-number codes stay integers, anything else becomes text."""
    if task == "regression":
        return values.to_numpy(dtype=float)
    if _is_number_column(values) and _all_integral(values.to_numpy(dtype=float)):
        return values.to_numpy(dtype=np.int64)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        # Text already (every value of a text column read from a file): astype(str) would
        # make each again, holding the interpreter and the window 70 ms on a million rows.
        return values.to_numpy(dtype=object, copy=True)
    return values.astype(str).to_numpy(dtype=object)
