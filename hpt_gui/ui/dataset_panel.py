"""The data step: load a table or a demo set, check the target, task and column roles.

Thin by design: every decision (reading, roles, task, problems) is made by
:mod:`hpt_gui.core.dataset`; this panel shows its answer and passes the user's overrides
back to it. Problems appear as sentences in a message area, never as dialogs.

The work runs off the GUI thread (:mod:`hpt_gui.ui.tasks`): the file is read once
(``read_source``); a new target, role or task applies the choices to that table in memory
(``interpret_table``), and only the column summaries whose values changed are computed
again. The newest choice wins: an answer to an older one is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# pandas (through core.dataset) is imported when data is first loaded, not at start-up
from ..core.dataset_names import DEMO_SETS, ROLES, TASKS
from .column_pictures import (
    DISTRIBUTION_ROLE,
    DistributionDelegate,
    TargetView,
    distribution_tooltip,
)
from .frame_model import DataFrameTableModel, cell_text
from .tasks import TaskRunner, TaskState

if TYPE_CHECKING:
    import pandas as pd

    from ..core.column_summary import ColumnSummary
    from ..core.dataset import Dataset, Table

# load() waits this long at most for a file to be read (the event loop runs meanwhile)
LOAD_WAIT_SECONDS = 600.0

EMPTY_TEXT = (
    "Open a data file (CSV, TSV, Excel, Parquet) or drop it here, "
    "or start with a demo data set:"
)

DEMO_DESCRIPTIONS = {
    "iris": "iris — 150 flowers, 3 species (classification)",
    "wine": "wine — 178 wines, 3 grape cultivars (classification)",
    "breast_cancer": "breast cancer — 569 tumours, malignant or benign (classification)",
    "diabetes": "diabetes — 442 patients, disease progression after a year (regression)",
    "digits": "digits — 1,797 handwritten digits, 8 × 8 pixels (classification)",
}

ROLE_LABELS = {
    "numeric": "numeric",
    "categorical": "categorical",
    "id": "ID-like",
    "constant": "constant",
    "leakage": "probable leakage",
    "group": "group",
    "target": "target",
}

ROLE_TIPS = {
    "numeric": "Numeric: a number the models learn from (filled in and scaled inside each fold).",
    "categorical": "Categorical: labels or categories the models learn from (one-hot encoded).",
    "id": "ID-like: a row identifier, not used as a feature.",
    "constant": "Constant: the same value in every row, not used as a feature.",
    "leakage": "Probable leakage: alone it predicts the target almost perfectly, so it was "
               "probably computed from the target; not used as a feature. Set it to numeric "
               "or categorical to keep it.",
    "group": "Group: says which rows belong together (a patient, a site), not used as a "
             "feature; a group k-fold keeps each group in one fold.",
    "target": "Target: the column the models learn to predict.",
}

TASK_TIPS = {
    "classification": "Classification: predict which class (category) each row belongs to.",
    "regression": "Regression: predict a number (a quantity) for each row.",
}

_ERROR_STYLE = (
    "QLabel { background: #fdecea; color: #8b1a1a; border: 1px solid #f1b0aa;"
    " border-radius: 4px; padding: 8px 10px; }"
)
# Probable leakage: a warning, not an error (the data loaded; a column was set aside).
_LEAK_STYLE = (
    "QFrame#leakage_box { background: #fff4e0; border: 1px solid #e8b04a;"
    " border-radius: 4px; }"
    " QFrame#leakage_box QLabel { color: #5c3a00; background: transparent; }"
)
_LEAK_COLOUR = "#fff4e0"
_LEAKS_SHOWN = 3  # more columns set aside as probable leakage scroll in their box
_MAX_PREVIEW_COLUMN_WIDTH = 220
_PREVIEW_FIT_ROWS = 200  # the preview's columns fit this many first rows
_ROLE_COLUMN, _TYPE_COLUMN, _MISSING_COLUMN, _PICTURE_COLUMN = 1, 2, 3, 4
TYPE_TIPS = {
    "number": "Number: a quantity that can have a fraction (2.5).",
    "whole number": "Whole number: numbers without a fraction (a count, a code).",
    "category": "Category: text that repeats a few values (a city, a grade).",
    "text": "Text: mostly different values (names, comments).",
    "date": "Date: a day or a time.",
    "yes/no": "Yes/no: two values such as yes and no, true and false, or 0 and 1.",
}


def _single_local_file(mime: QMimeData) -> str | None:
    """The path of the one local file being dragged, else None."""
    if not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    return path if Path(path).is_file() else None


def _display_name(source: str) -> str:
    if source.strip().lower().startswith("demo:"):
        name = source.strip()[5:].strip().lower()
        return f"Demo data: {name.replace('_', ' ')}"
    return Path(source).name or source


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class _RoleCombo(QComboBox):
    """A combo that ignores the mouse wheel unless focused, so scrolling never edits it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class DatasetPanel(QWidget):
    """Load data, show a preview, and let the user fix the target, task and column roles."""

    dataset_changed = Signal(object)
    load_finished = Signal(bool)  # the data asked for is shown (True) or a sentence says why not
    busy_changed = Signal(str)  # what is being done off the GUI thread ('' when done)
    open_file_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._dataset: Dataset | None = None
        self._source: str | None = None
        self._target: str | None = None
        self._task: str | None = None
        self._roles: dict[str, str] = {}
        self._role_combos: dict[str, QComboBox] = {}
        self._column_rows: list[str] = []
        self._choices_shown: tuple[str | None, str | None, dict[str, str]] = (None, None, {})
        self._leakage_notes: list[str] = []
        # The file as read (read once; a change of target, role or task re-interprets it),
        # the column summaries by what they depend on, and the work off the GUI thread.
        self._table: Table | None = None
        self._summaries: dict[tuple[str, str, str | None], ColumnSummary] = {}
        self._target_picture: Any = None
        self._last_ok = False
        self._tasks = TaskRunner(self, sentence=_problem)
        self._preview_frame: pd.DataFrame | None = None  # the table the preview shows
        self._preview_texts: dict[int, list[set[str]]] = {}  # its first rows, as text
        self._busy_text = ""

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(_ERROR_STYLE)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.message_label.hide()

        self.stack = QStackedWidget()
        self._empty_page = self._build_empty_page()
        self._data_page = self._build_data_page()
        self.stack.addWidget(self._empty_page)
        self.stack.addWidget(self._data_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.message_label)
        layout.addWidget(self.stack, 1)

    # ------------------------------------------------------------------ building

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(EMPTY_TEXT)
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = intro.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        intro.setFont(font)

        self.demo_buttons: dict[str, QPushButton] = {}
        column = QVBoxLayout()
        column.setSpacing(6)
        column.addWidget(intro)
        column.addSpacing(10)
        for name in DEMO_SETS:
            button = QPushButton(DEMO_DESCRIPTIONS.get(name, name.replace("_", " ")))
            button.setToolTip(f"Load scikit-learn's {name.replace('_', ' ')} data set")
            button.setStyleSheet("QPushButton { text-align: left; padding: 7px 14px; }")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(partial(self.start_load, f"demo:{name}"))
            self.demo_buttons[name] = button
            column.addWidget(button)
        column.addSpacing(14)
        self.open_button = QPushButton("Open file…")
        self.open_button.setToolTip("Choose a CSV, TSV, Excel or Parquet file (Ctrl+O)")
        self.open_button.setStyleSheet("QPushButton { padding: 7px 22px; font-weight: bold; }")
        self.open_button.clicked.connect(self.open_file_requested)
        column.addWidget(self.open_button, alignment=Qt.AlignmentFlag.AlignCenter)

        box = QWidget()
        box.setLayout(column)
        box.setMaximumWidth(560)
        outer = QVBoxLayout(page)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        return page

    def _build_data_page(self) -> QWidget:
        page = QWidget()

        self.header_label = QLabel()
        self.header_label.setTextFormat(Qt.TextFormat.RichText)
        self.header_label.setWordWrap(True)
        font = self.header_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.header_label.setFont(font)
        self.header_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        other_file = QPushButton("Open another file…")
        other_file.setToolTip("Choose a CSV, TSV, Excel or Parquet file, or drop one on this panel")
        other_file.clicked.connect(self.open_file_requested)
        header = QHBoxLayout()
        header.addWidget(self.header_label, 1)
        header.addWidget(other_file)

        self.target_combo = QComboBox()
        self.target_combo.setToolTip(ROLE_TIPS["target"])
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.target_combo.setMinimumContentsLength(12)
        self.target_combo.setMaximumWidth(360)
        self.target_combo.currentIndexChanged.connect(self._on_target_index_changed)
        self.task_combo = QComboBox()
        for task in TASKS:
            self.task_combo.addItem(task, task)
            self.task_combo.setItemData(
                self.task_combo.count() - 1, TASK_TIPS.get(task, task), Qt.ItemDataRole.ToolTipRole
            )
        self.task_combo.setToolTip("What kind of prediction the models make")
        self.task_combo.currentIndexChanged.connect(self._on_task_index_changed)
        target_label = QLabel("&Target:")
        target_label.setBuddy(self.target_combo)
        task_label = QLabel("Tas&k:")
        task_label.setBuddy(self.task_combo)
        controls = QHBoxLayout()
        controls.addWidget(target_label)
        controls.addWidget(self.target_combo)
        controls.addSpacing(18)
        controls.addWidget(task_label)
        controls.addWidget(self.task_combo)
        controls.addStretch(1)

        self.preview_model = DataFrameTableModel()
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setAlternatingRowColors(True)
        self.preview_view.setWordWrap(False)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.preview_view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        columns_header = self.preview_view.horizontalHeader()
        columns_header.setResizeContentsPrecision(200)
        columns_header.setTextElideMode(Qt.TextElideMode.ElideRight)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        columns_header.setDefaultAlignment(left)
        self.preview_title = _section_title("Preview")
        preview_box = self._titled(self.preview_title, self.preview_view)

        self.columns_table = QTableWidget(0, 5)
        self.columns_table.setHorizontalHeaderLabels(
            ["Column", "Role", "Type", "Missing", "Values"]
        )
        header_tips = [
            "The column's name in the file",
            "How the column is used; change it if the guess is wrong",
            "What the values are: number, whole number, category, text, date or yes/no",
            "Share of the rows with an empty cell",
            "How the values spread: a histogram of numbers, the most common values of "
            "anything else (hover for the numbers)",
        ]
        for position, tip in enumerate(header_tips):
            self.columns_table.horizontalHeaderItem(position).setToolTip(tip)
        self.columns_table.verticalHeader().hide()
        self.columns_table.verticalHeader().setDefaultSectionSize(
            _RoleCombo().sizeHint().height() + 4
        )
        self.columns_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.columns_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        heads = self.columns_table.horizontalHeader()
        heads.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for position in range(1, _PICTURE_COLUMN):
            heads.setSectionResizeMode(position, QHeaderView.ResizeMode.ResizeToContents)
        heads.setSectionResizeMode(_PICTURE_COLUMN, QHeaderView.ResizeMode.Fixed)
        heads.resizeSection(_PICTURE_COLUMN, 90)
        heads.setMinimumSectionSize(60)
        self.columns_table.setItemDelegateForColumn(
            _PICTURE_COLUMN, DistributionDelegate(self.columns_table))
        self.columns_title = _section_title("Columns")
        columns_box = self._titled(self.columns_title, self.columns_table)

        self.target_view = TargetView()
        target_scroll = QScrollArea()
        target_scroll.setWidgetResizable(True)
        target_scroll.setFrameShape(QFrame.Shape.NoFrame)
        target_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        target_scroll.setWidget(self.target_view)
        self.target_title = _section_title("Target")
        target_box = self._titled(self.target_title, target_scroll)
        self.columns_splitter = QSplitter(Qt.Orientation.Vertical)
        self.columns_splitter.setObjectName("dataset_columns_splitter")
        self.columns_splitter.addWidget(columns_box)
        self.columns_splitter.addWidget(target_box)
        self.columns_splitter.setStretchFactor(0, 3)
        self.columns_splitter.setStretchFactor(1, 2)
        self.columns_splitter.setChildrenCollapsible(False)

        self.tables_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tables_splitter.setObjectName("dataset_tables_splitter")
        self.tables_splitter.addWidget(preview_box)
        self.tables_splitter.addWidget(self.columns_splitter)
        self.tables_splitter.setStretchFactor(0, 2)
        self.tables_splitter.setStretchFactor(1, 3)
        self.tables_splitter.setChildrenCollapsible(False)

        self.notes_list = QListWidget()
        self.notes_list.setWordWrap(True)
        self.notes_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.notes_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.notes_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.notes_list.setSpacing(2)
        self.notes_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        notes_box = self._titled(_section_title("Notes"), self.notes_list)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("dataset_splitter")
        self.splitter.addWidget(self.tables_splitter)
        self.splitter.addWidget(notes_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([620, 110])

        self.leakage_box = QFrame()
        self.leakage_box.setObjectName("leakage_box")
        self.leakage_box.setStyleSheet(_LEAK_STYLE)
        self.leakage_title = QLabel()
        font = self.leakage_title.font()
        font.setBold(True)
        self.leakage_title.setFont(font)
        self._leakage_body: QWidget | None = None  # the columns' rows (scrolling when many)
        self._leakage_layout = QVBoxLayout(self.leakage_box)
        self._leakage_layout.setContentsMargins(10, 8, 10, 8)
        self._leakage_layout.setSpacing(6)
        self._leakage_layout.addWidget(self.leakage_title)
        self.leakage_box.hide()
        self.keep_buttons: dict[str, QPushButton] = {}

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addLayout(controls)
        layout.addWidget(self.leakage_box)
        layout.addWidget(self.splitter, 1)
        return page

    @staticmethod
    def _titled(title: QLabel, body: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(body, 1)
        return box

    # ------------------------------------------------------------------ public API

    @property
    def dataset(self) -> Dataset | None:
        """The current Dataset, or None when nothing usable is loaded."""
        return self._dataset

    @property
    def source(self) -> str | None:
        """What was last asked to load: a file path or ``demo:NAME``."""
        return self._source

    @property
    def message(self) -> str:
        """The problem shown in the message area ('' when there is none)."""
        return self.message_label.text() if not self.message_label.isHidden() else ""

    def start_load(self, source: str | Path) -> None:
        """Read a file or ``demo:NAME`` off the GUI thread, then show it with the suggested
        target (``suggest_target``); ``load_finished`` says whether it could be used."""
        self._source = str(source)
        self._target = None
        self._task = None
        self._roles = {}
        self._table = None
        self._summaries = {}
        self._apply(previous=None)

    def load(self, source: str | Path, timeout: float = LOAD_WAIT_SECONDS) -> bool:
        """``start_load`` and wait for the answer (the event loop runs meanwhile, so the
        window stays responsive): True once shown, False (and a sentence) if not."""
        self.start_load(source)
        self.wait(timeout)
        return self.ready

    def wait(self, timeout: float = LOAD_WAIT_SECONDS) -> bool:
        """Run the event loop until the data in progress is shown; True if it was."""
        return self._tasks.wait(timeout)

    @property
    def ready(self) -> bool:
        """True when the data asked for last is shown and can be used."""
        return self._dataset is not None and self._last_ok and not self.is_busy()

    def is_busy(self) -> bool:
        """True while a file is being read or the choices applied off the GUI thread."""
        return self._tasks.is_running()

    def shutdown(self) -> None:
        """The window closes: drop the work in progress without waiting for it."""
        self._tasks.shutdown()

    def clear(self) -> None:
        """Back to the empty state, with no data."""
        self._tasks.cancel()
        self._set_busy("")
        self._table = None
        self._summaries = {}
        self._source = None
        self._target = None
        self._task = None
        self._roles = {}
        self._dataset = None
        self._set_message("")
        self._fill_leakage([])
        self.preview_model.set_frame(None)
        self._preview_frame = None
        self.stack.setCurrentWidget(self._empty_page)
        self.dataset_changed.emit(None)

    def set_target(self, name: str) -> None:
        """Choose the target column, as if picked in the Target combo."""
        self.target_combo.setCurrentIndex(self.target_combo.findData(name))

    def set_task(self, task: str) -> None:
        """Choose the task, as if picked in the Task combo."""
        self.task_combo.setCurrentIndex(self.task_combo.findData(task))

    def set_role(self, name: str, role: str) -> None:
        """Change a feature column's role, as if picked in its Role combo."""
        combo = self._role_combos[name]
        combo.setCurrentIndex(combo.findData(role))

    def role_combo(self, name: str) -> QComboBox | None:
        """The Role combo of a column (None for the target column)."""
        return self._role_combos.get(name)

    def notes(self) -> list[str]:
        """The sentences shown: probable leakage first (in its box), then under Notes."""
        return [*self._leakage_notes,
                *(self.notes_list.item(row).text() for row in range(self.notes_list.count()))]

    def keep_column(self, name: str) -> None:
        """Learn from a column the checks set aside (its Keep button): it takes its
        natural role, numeric or categorical, as if picked in its Role combo."""
        dataset = self._dataset
        leak = next((leak for leak in dataset.leaks if leak.column == name), None) \
            if dataset is not None else None
        if leak is None:
            return
        self._roles[name] = leak.feature_role
        self._apply(dataset)

    # ------------------------------------------------------------------ loading

    def _apply(self, previous: Dataset | None) -> None:
        """Interpret the table with the current choices off the GUI thread (reading the
        file first if it was not read yet); on failure keep ``previous`` if given."""
        if self._source is None:
            return
        table, source = self._table, self._source
        choices = _Choices(self._target, self._task, dict(self._roles))
        known = set(self._summaries)
        self._set_busy(f"Reading '{_display_name(source)}'…" if table is None
                       else "Applying your choice…")
        self._tasks.start(
            partial(_interpret, source, table, choices, known),
            on_done=partial(self._on_outcome, previous),
            on_error=partial(self._on_unexpected, previous),
        )

    def _on_unexpected(self, previous: Dataset | None, detail: str) -> None:
        self._set_busy("")
        self._last_ok = False
        self._on_failed(_unexpected_message(self._source or "", detail), previous, None)
        self.load_finished.emit(False)

    def _on_outcome(self, previous: Dataset | None, outcome: _Outcome) -> None:
        self._set_busy("")
        if outcome.table is not None:
            self._table = outcome.table
        self._summaries.update(outcome.summaries)
        self._preview_texts = {} if outcome.preview_texts is None else {
            id(outcome.dataset.frame if outcome.dataset is not None else outcome.raw.frame):
            outcome.preview_texts}
        dataset = outcome.dataset
        if dataset is None:
            self._last_ok = False
            self._on_failed(outcome.error, previous, outcome.raw)
            self.load_finished.emit(False)
            return
        self._dataset = dataset
        self._target = dataset.target
        self._last_ok = True
        self._set_message("")
        self._show_dataset(dataset, outcome.target_picture)
        self.dataset_changed.emit(dataset)
        self.load_finished.emit(True)

    def _on_failed(self, message: str, previous: Dataset | None, raw: _RawView | None) -> None:
        if previous is not None:
            # A change to a good dataset did not work: undo it and say why.
            self._dataset = previous
            self._target, self._task, roles = self._choices_shown
            self._roles = dict(roles)
            self._show_dataset(previous, self._target_picture)
            self._set_message(f"{message}\nYour last change was undone.")
            return
        self._dataset = None
        self._set_message(message)
        if raw is None:
            self.preview_model.set_frame(None)
            self._preview_frame = None
            self.stack.setCurrentWidget(self._empty_page)
        else:
            self._show_raw(raw)
        self.dataset_changed.emit(None)

    # ------------------------------------------------------------------ showing

    def _set_busy(self, text: str) -> None:
        """Say what is being done off the GUI thread ('' when nothing is): the window
        shows it in its status bar (a line in this panel would lay the panel out again)."""
        self._busy_text = text
        self.busy_changed.emit(text)

    @property
    def busy_text(self) -> str:
        """What is being done off the GUI thread now ('' when nothing is)."""
        return self._busy_text

    def _set_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _show_dataset(self, dataset: Dataset, target_picture: Any) -> None:
        # The choices that produced this dataset, to undo a change that does not work.
        self._choices_shown = (dataset.target, self._task, dict(self._roles))
        self._target_picture = target_picture
        frame = dataset.frame
        name = _display_name(dataset.source)
        self.header_label.setText(
            f"<b>{_escape(name)}</b>&nbsp;&nbsp;·&nbsp;&nbsp;{len(frame):,} rows × "
            f"{frame.shape[1]:,} columns&nbsp;&nbsp;·&nbsp;&nbsp;{dataset.task}, "
            f"predicting <b>{_escape(dataset.target)}</b>"
        )
        self.header_label.setToolTip(dataset.source)
        self._fill_target_combo(list(frame.columns), dataset.target)
        self._select_task(dataset.task)
        self._set_preview(frame, self._preview_texts.get(id(frame)))
        rows_key = _rows_key(dataset, self._table)
        summaries = [self._summaries[_summary_key(info.name, dataset, rows_key)]
                     for info in dataset.columns]
        self._fill_columns(
            [(info.name, info.role, f"{info.n_unique:,}") for info in dataset.columns],
            summaries,
            len(frame),
        )
        self._show_target(dataset, next(s for s in summaries if s.name == dataset.target),
                          target_picture)
        n_features = len(dataset.feature_names)
        self.columns_title.setText(
            f"Columns — {n_features:,} used to learn from, 1 target, "
            f"{len(dataset.columns) - n_features - 1:,} set aside"
        )
        aside = [leak for leak in dataset.leaks if not leak.kept]
        self._fill_leakage(aside)
        shown = {leak.note for leak in aside}
        others = [note for note in dataset.notes if note not in shown]
        self._fill_notes(others or ([] if aside else ["No problems found: the data is ready."]),
                         warn={leak.note for leak in dataset.leaks if leak.kept})
        self.stack.setCurrentWidget(self._data_page)

    def _show_raw(self, view: _RawView) -> None:
        """A readable file that cannot be used yet: show it so the user can fix the choices."""
        raw = view.frame
        name = _display_name(self._source or "")
        columns = [str(column) for column in raw.columns]
        self._target = view.target
        self.header_label.setText(
            f"<b>{_escape(name)}</b>&nbsp;&nbsp;·&nbsp;&nbsp;{len(raw):,} rows × "
            f"{raw.shape[1]:,} columns&nbsp;&nbsp;·&nbsp;&nbsp;"
            "<span style='color:#8b1a1a'>not ready yet — see the message above</span>"
        )
        self.header_label.setToolTip(self._source or "")
        self._fill_target_combo(columns, self._target)
        self._select_task(view.task)
        self._set_preview(raw, self._preview_texts.get(id(raw)))
        self._fill_columns([(column, view.roles[column], "") for column in columns],
                           list(view.summaries), len(raw))
        self.target_title.setText("Target")
        self.target_view.clear()
        self.columns_title.setText("Columns")
        self._fill_leakage([])
        self._fill_notes(["Fix the problem described above to see notes about the data."])
        self.stack.setCurrentWidget(self._data_page)

    def _fill_target_combo(self, columns: list[str], target: str | None) -> None:
        self.target_combo.blockSignals(True)
        try:
            if [self.target_combo.itemData(i) for i in range(self.target_combo.count())] != columns:
                self.target_combo.clear()
                for column in columns:
                    self.target_combo.addItem(column, column)
            self.target_combo.setCurrentIndex(self.target_combo.findData(target))
        finally:
            self.target_combo.blockSignals(False)

    def _select_task(self, task: str) -> None:
        self.task_combo.blockSignals(True)
        try:
            self.task_combo.setCurrentIndex(self.task_combo.findData(task))
        finally:
            self.task_combo.blockSignals(False)

    def _set_preview(self, frame: pd.DataFrame,
                     texts: list[set[str]] | None = None) -> None:
        self.preview_title.setText(f"Preview — {len(frame):,} rows")
        if frame is self._preview_frame:  # a new target or role: the same table
            return
        self._preview_frame = frame
        self.preview_model.set_frame(frame)
        self._fit_preview_columns(texts if texts is not None else _first_texts(frame))

    def _fit_preview_columns(self, texts: list[set[str]]) -> None:
        """Each column as wide as its first rows' text (at most a limit).

        Measured here from the cells' text (made off the GUI thread) rather than by the
        view, which asks the model for every role of each cell: that held a big table's
        window for a second."""
        view = self.preview_view
        header = view.horizontalHeader()
        metrics = view.fontMetrics()
        margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                                None, view) + 1) + int(view.showGrid())
        for column, column_texts in enumerate(texts):
            content = max((metrics.horizontalAdvance(text) for text in column_texts),
                          default=0)
            width = max(content + margin, header.sectionSizeHint(column))
            header.resizeSection(column, min(width, _MAX_PREVIEW_COLUMN_WIDTH))

    def _show_target(self, dataset: Dataset, summary: ColumnSummary,
                     picture: Any) -> None:
        """The class balance of a class target, or the distribution of a number target
        (``picture``: the balance or the sentence, computed off the GUI thread)."""
        if dataset.task == "classification":
            self.target_title.setText(f"Target '{_short(dataset.target)}' — rows per class")
            self.target_view.show_classes(picture)
        else:
            self.target_title.setText(f"Target '{_short(dataset.target)}' — its values")
            self.target_view.show_numbers(summary.distribution, picture)
        self._fit_target_box()
        QTimer.singleShot(0, self._fit_target_box)  # again once the first layout is done

    def _fit_target_box(self) -> None:
        """Give the target box the height it needs (at most half), the columns the rest."""
        total = sum(self.columns_splitter.sizes())
        if total <= 0:
            return
        self.target_view.adjustSize()
        need = self.target_view.sizeHint().height() + self.target_title.sizeHint().height() + 12
        target = max(120, min(need, total // 2))
        self.columns_splitter.setSizes([total - target, target])

    def _fill_columns(self, rows: list[tuple[str, str, str]],
                      summaries: list[ColumnSummary], n_rows: int) -> None:
        """One row per column: name, role (a combo unless target), plain type, missing
        share and a small picture of the values (the number of distinct values in its tip).

        When the columns are the same as before, rows are updated in place so the combo
        the user just changed is never deleted while its signal is running.
        """
        table = self.columns_table
        names = [row[0] for row in rows]
        if names != self._column_rows:
            for combo in self._role_combos.values():
                combo.hide()
            table.setRowCount(0)
            self._role_combos = {}
            table.setRowCount(len(rows))
            self._column_rows = names
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for position, ((name, role, distinct), summary) in enumerate(
                zip(rows, summaries, strict=True)):
            name_item = QTableWidgetItem(name)
            name_item.setToolTip(f"{name}\n{ROLE_TIPS.get(role, role)}")
            if role == "leakage":  # marked like the leakage box above
                name_item.setBackground(QColor(_LEAK_COLOUR))
            table.setItem(position, 0, name_item)
            self._set_role_cell(position, name, role)
            type_item = QTableWidgetItem(summary.plain_type)
            type_item.setToolTip(TYPE_TIPS.get(summary.plain_type, summary.plain_type))
            table.setItem(position, _TYPE_COLUMN, type_item)
            missing = QTableWidgetItem(_missing_text(summary.missing_share))
            missing.setToolTip(_missing_tip(summary.n_missing, n_rows))
            missing.setTextAlignment(right)
            if summary.n_missing == 0:
                missing.setForeground(QColor("#8a8a8a"))
            table.setItem(position, _MISSING_COLUMN, missing)
            picture = QTableWidgetItem()
            picture.setData(DISTRIBUTION_ROLE, summary.distribution)
            different = f"{distinct} different values\n" if distinct else ""
            picture.setToolTip(different + distribution_tooltip(summary.distribution, name))
            table.setItem(position, _PICTURE_COLUMN, picture)

    def _set_role_cell(self, position: int, name: str, role: str) -> None:
        table = self.columns_table
        if role == "target":
            old = table.cellWidget(position, _ROLE_COLUMN)
            if old is not None:
                # removeCellWidget deletes it later; hide it now so it never shows stale.
                old.hide()
                table.removeCellWidget(position, _ROLE_COLUMN)
            self._role_combos.pop(name, None)
            item = QTableWidgetItem("  target")
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
            item.setToolTip(ROLE_TIPS["target"] + " Change it with the Target choice above.")
            table.setItem(position, _ROLE_COLUMN, item)
            return
        combo = self._role_combos.get(name)
        if combo is None:
            table.setItem(position, _ROLE_COLUMN, QTableWidgetItem(""))
            combo = _RoleCombo()
            for choice in ROLES:
                if choice == "target":
                    continue
                combo.addItem(ROLE_LABELS.get(choice, choice), choice)
                combo.setItemData(
                    combo.count() - 1, ROLE_TIPS.get(choice, choice), Qt.ItemDataRole.ToolTipRole
                )
            combo.currentIndexChanged.connect(partial(self._on_role_index_changed, name))
            table.setCellWidget(position, _ROLE_COLUMN, combo)
            self._role_combos[name] = combo
        combo.blockSignals(True)
        try:
            combo.setCurrentIndex(combo.findData(role))
        finally:
            combo.blockSignals(False)
        combo.setToolTip(ROLE_TIPS.get(role, role))

    def _fill_notes(self, notes: list[str], warn: set[str] | None = None) -> None:
        """The notes, those in ``warn`` (probable leakage kept) marked like the leakage box."""
        self.notes_list.clear()
        for note in notes:
            item = QListWidgetItem(note)
            item.setToolTip(note)
            if note in (warn or set()):
                item.setBackground(QColor(_LEAK_COLOUR))
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.notes_list.addItem(item)

    def _fill_leakage(self, leaks: list[Any]) -> None:
        """One row per column set aside as probable leakage: its note and a Keep button."""
        self.keep_buttons = {}
        self._leakage_notes = [leak.note for leak in leaks]
        self.leakage_box.setVisible(bool(leaks))
        if self._leakage_body is not None:
            self._leakage_layout.removeWidget(self._leakage_body)
            self._leakage_body.hide()
            self._leakage_body.deleteLater()
            self._leakage_body = None
        if not leaks:
            return
        count = "1 column" if len(leaks) == 1 else f"{len(leaks)} columns"
        how = "on its own it predicts" if len(leaks) == 1 else "each, on its own, predicts"
        self.leakage_title.setText(f"Probable leakage — {count} set aside: {how} the target "
                                   "almost perfectly")
        rows = QWidget()
        layout = QVBoxLayout(rows)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for leak in leaks:
            note = QLabel(leak.note)
            note.setWordWrap(True)
            note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button = QPushButton(f"Keep '{_short(leak.column)}'")
            button.setToolTip(
                f"Learn from '{leak.column}' after all (as a {leak.feature_role} column): right "
                "only if its values will be known when you predict.")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(partial(self.keep_column, leak.column))
            self.keep_buttons[leak.column] = button
            row = QHBoxLayout()
            row.setSpacing(12)
            row.addWidget(note, 1)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
            layout.addLayout(row)
        body: QWidget = rows
        if len(leaks) > _LEAKS_SHOWN:  # they scroll, so the tables keep their room
            body = QScrollArea()
            body.setWidgetResizable(True)
            body.setFrameShape(QFrame.Shape.NoFrame)
            body.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            body.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget "
                               "{ background: transparent; }")
            body.setWidget(rows)
            body.setFixedHeight(_LEAKS_SHOWN * (3 * self.fontMetrics().lineSpacing() + 6))
        self._leakage_layout.addWidget(body)
        self._leakage_body = body

    # ------------------------------------------------------------------ user changes

    def _on_target_index_changed(self, index: int) -> None:
        target = self.target_combo.itemData(index)
        if target is None or target == self._target:
            return
        self._target = target
        self._task = None  # a new target has its own task; let the loader infer it again
        self._roles.pop(target, None)
        self._apply(self._dataset)

    def _on_task_index_changed(self, index: int) -> None:
        task = self.task_combo.itemData(index)
        if task is None:
            return
        self._task = task
        self._apply(self._dataset)

    def _on_role_index_changed(self, name: str, index: int) -> None:
        combo = self._role_combos.get(name)
        if combo is None:
            return
        role = combo.itemData(index)
        if role is None:
            return
        self._roles[name] = role
        self._apply(self._dataset)

    # ------------------------------------------------------------------ drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _single_local_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _single_local_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _single_local_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.start_load(path)


@dataclass(frozen=True)
class _Choices:
    """What the user chose: applied to the table off the GUI thread."""

    target: str | None
    task: str | None
    roles: dict[str, str]


@dataclass(frozen=True)
class _RawView:
    """A readable table the choices do not fit yet, with what the panel shows of it."""

    frame: pd.DataFrame
    target: str
    task: str
    roles: dict[str, str]
    summaries: tuple[ColumnSummary, ...]


@dataclass(frozen=True)
class _Outcome:
    """The answer of one interpretation: a dataset, or a sentence (and the raw table)."""

    table: Table | None
    dataset: Dataset | None = None
    error: str = ""
    raw: _RawView | None = None
    summaries: dict[tuple[str, str, str | None], ColumnSummary] = field(default_factory=dict)
    target_picture: Any = None
    preview_texts: list[set[str]] | None = None  # the shown table's first rows, as text


def _interpret(source: str, table: Table | None, choices: _Choices,
               known: set[tuple[str, str, str | None]], state: TaskState) -> _Outcome:
    """On a helper thread: read the file if not read yet, apply the choices, and summarise
    the columns not summarised before (the panel only draws the answer)."""
    from ..core.dataset import DatasetError, interpret_table, read_source

    if table is None:
        try:
            table = read_source(source)
        except DatasetError as exc:
            return _Outcome(None, error=str(exc))
        except Exception as exc:  # a bug or an odd file: still a sentence
            return _Outcome(None, error=_unexpected_message(source, _problem(exc)))
        state.check()
    try:
        dataset = interpret_table(table, choices.target, roles=choices.roles or None,
                                  task=choices.task)
    except DatasetError as exc:
        return _failed(table, str(exc), choices)
    except Exception as exc:
        return _failed(table, _unexpected_message(source, _problem(exc)), choices)
    state.check()
    return _Outcome(table, dataset, summaries=_new_summaries(dataset, table, known),
                    target_picture=_target_picture(dataset),
                    preview_texts=_first_texts(dataset.frame))


def _failed(table: Table, message: str, choices: _Choices) -> _Outcome:
    raw = _raw_view(table.frame, choices)
    return _Outcome(table, error=message, raw=raw,
                    preview_texts=_first_texts(raw.frame) if raw is not None else None)


def _first_texts(frame: pd.DataFrame) -> list[set[str]]:
    """Each column's different texts in the preview's first rows (to fit its width)."""
    head = frame.head(_PREVIEW_FIT_ROWS)
    return [{cell_text(value) for value in head.iloc[:, column].to_numpy(dtype=object)}
            for column in range(head.shape[1])]


def _raw_view(raw: pd.DataFrame, choices: _Choices) -> _RawView | None:
    from ..core.column_summary import summarize_columns
    from ..core.dataset import infer_roles, infer_task, suggest_target

    columns = [str(column) for column in raw.columns]
    if not columns:
        return None
    target = choices.target if choices.target in columns else suggest_target(raw)
    task = choices.task
    if task is None:
        try:
            task = infer_task(raw[target])
        except Exception:
            task = TASKS[0]
    try:
        roles = {**infer_roles(raw, target), **choices.roles}
    except Exception:
        roles = {column: choices.roles.get(column, "numeric") for column in columns}
    roles[target] = "target"
    return _RawView(raw, target, task, roles, tuple(summarize_columns(raw)))


def _rows_key(dataset: Dataset, table: Table | None) -> str | None:
    """Which rows the dataset kept: all the table's (None), or those with a target."""
    if table is not None and len(dataset.frame) == len(table.frame):
        return None
    return dataset.target


def _summary_key(name: str, dataset: Dataset, rows_key: str | None
                 ) -> tuple[str, str, str | None]:
    """What a column's summary depends on: its values, i.e. the column, whether its text
    became numbers, and which rows were kept (a role change alone changes neither)."""
    return (name, dataset.converted.get(name, ""), rows_key)


def _new_summaries(dataset: Dataset, table: Table, known: set[tuple[str, str, str | None]]
                   ) -> dict[tuple[str, str, str | None], ColumnSummary]:
    from ..core.column_summary import summarize_columns

    rows_key = _rows_key(dataset, table)
    missing = {info.name: _summary_key(info.name, dataset, rows_key)
               for info in dataset.columns}
    missing = {name: key for name, key in missing.items() if key not in known}
    if not missing:
        return {}
    return {missing[summary.name]: summary
            for summary in summarize_columns(dataset.frame, columns=missing)}


def _target_picture(dataset: Dataset) -> Any:
    """The class balance of a class target, or the sentence under a number target's
    distribution: both count every row, so they are computed off the GUI thread."""
    from ..core.column_summary import class_balance, number_target_sentence

    values = dataset.frame[dataset.target]
    if dataset.task == "classification":
        return class_balance(values, dataset.target)
    return number_target_sentence(values, dataset.target)


def _problem(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _unexpected_message(source: str, detail: str) -> str:
    return (
        f"'{_display_name(source)}' could not be loaded because of an unexpected "
        f"problem ({detail}). Check the file, or try saving it as CSV."
    )


def _short(name: str, limit: int = 28) -> str:
    """A column name short enough for a button ('a_very_long_col…')."""
    return name if len(name) <= limit else f"{name[:limit - 1]}…"


def _missing_text(share: float) -> str:
    from ..core.column_summary import percent_text

    return percent_text(share)


def _missing_tip(n_missing: int, n_rows: int) -> str:
    if n_missing == 0:
        return "No empty cells"
    return f"{n_missing:,} of {n_rows:,} rows have no value here"


def _escape(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
