"""Step 2 of the window: which models to tune, and what each one's search space is.

Left, the catalog's models for the task, each with a check box (one study per ticked
model). Right, the shown model's hyperparameters, one row each: whether it is searched,
its name and plain label, its type and the editors that suit the type.

What the user types is kept in plain-Python drafts (:class:`ParamDraft`, :class:`SpaceDraft`,
in :mod:`.space_draft` and re-exported here) that parse the text, build the
:class:`~hpt_gui.core.space.SearchSpace` and say which field a
:class:`~hpt_gui.core.space.SpaceError` is about. The widgets below only show drafts and
hand edits back; the core does all the checking.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.catalog import MODELS, CatalogError, ModelInfo, check_params, get_model, models_for_task
from ..core.space import SearchSpace, SpaceError
from .grid_count import PENDING, GridCounter, count_grid, count_now_if_small, grid_upper_bound
from .space_draft import (
    CUSTOM,
    KINDS,
    PRESET_GRID_POINTS,
    PRESETS,
    RANGE_FIELDS,
    BuiltSpace,
    FieldError,
    ParamDraft,
    SpaceDraft,
    condition_text,
    format_choices,
    format_number,
    format_value,
    name_and_label,
    parse_value,
    plain_label,
    preset_space,
    split_choices,
)


def grid_count_text(space: SearchSpace | None, count: int | None) -> str:
    if space is None:
        return "Fix the marked field to see the grid size."
    if count is None:
        return "too many for a grid search"
    return f"{count:,} candidate{'' if count == 1 else 's'} in a grid search"


# Counted once per space (shared with the window), off the GUI thread when large.
_grid_upper_bound = grid_upper_bound
_count_grid = count_grid


# ---------------------------------------------------------------------------------------
# Widgets

COLUMNS = ("Search", "Hyperparameter", "Type", "Low", "High", "Log", "Step", "Grid points")
SEARCH, NAME, TYPE, LOW, HIGH, LOG, STEP, GRID = range(len(COLUMNS))
_WIDTHS = {SEARCH: 66, TYPE: 114, LOW: 86, HIGH: 86, LOG: 44, STEP: 72, GRID: 98}
_NAME_MIN = 140  # fits the columns beside it in a 1280x800 window; names wrap
_HEADER_PADDING = 20  # a header's margins around its text (Fusion: about 8 px a side)


def _column_widths(text_width: Callable[[str], int]) -> dict[int, int]:
    """The fixed columns' widths: as set above, or wider where the header's words need it
    (a larger font cut 'Grid points' to 'Grid poi')."""
    return {column: max(width, text_width(COLUMNS[column]) + _HEADER_PADDING)
            for column, width in _WIDTHS.items()}
_ROW_HEIGHT = 40
_ROW_HEIGHT_CONDITION = 52
_INVALID = {
    "QLineEdit": "QLineEdit { border: 2px solid #c62828; background: #fdecea; "
                 "border-radius: 3px; padding: 1px 3px; }",
    "QCheckBox": "QCheckBox { background: #fdecea; border: 2px solid #c62828; "
                 "border-radius: 3px; }",
}
_FIELD_TIPS = {
    "low": "The smallest value to try.",
    "high": "The largest value to try.",
    "log": "Spread the values on a log scale (for ranges over several powers of ten).",
    "step": "Only values low, low + step, low + 2 x step, ... (optional).",
    "grid_points": "How many values of this range a grid search tries.",
    "choices": "The values to try, separated by commas: numbers, text, true/false, null.",
    "fixed": "The value this hyperparameter keeps. Leave it empty for the model's own "
             "default.",
}
_HELP_EMPTY = ("Click a hyperparameter to see what it controls and which way it moves the "
               "model toward under- or overfitting.")


_GridCounter = GridCounter  # (its old name)


class _RowFocus(QObject):
    """Selects a row of the table when one of its widgets is clicked or focused."""

    def __init__(self, page: ModelSpacePage) -> None:
        super().__init__(page)
        self._page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            name = watched.property("hpt_param")
            if name:
                self._page.select_param(str(name))
        return False


class ModelSpacePage(QWidget):
    """The search space of one model: header, table of hyperparameters, help."""

    changed = Signal()
    tune_toggled = Signal(bool)

    def __init__(self, model: ModelInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.draft = SpaceDraft(model)
        self._built: BuiltSpace | None = None
        self._fields: dict[tuple[str, str], QWidget] = {}
        self._name_labels: dict[str, QLabel] = {}
        self._spanned: set[int] = set()
        self._count_key = ""
        self._row_focus = _RowFocus(self)
        self._counter = _GridCounter(self)
        self._counter.counted.connect(self._on_counted)

        self.title_label = QLabel(f"<b>{html.escape(model.label)}</b> "
                                  f"<span style='color:#555'>({model.name})</span>")
        self.title_label.setStyleSheet("font-size: 13pt;")
        self.tune_check = QCheckBox("Tune this model")
        self.tune_check.setToolTip("Ticked models each get their own study when you run.")
        self.tune_check.toggled.connect(self.tune_toggled)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.preset_combo = QComboBox()
        for preset in (*PRESETS, CUSTOM):
            self.preset_combo.addItem(preset, preset)
        self.preset_combo.model().item(len(PRESETS)).setEnabled(False)  # shown, not chosen
        self.preset_combo.setToolTip(
            "default: the catalog's ranges; quick: 3 grid points per range; thorough: 8.\n"
            "Choosing a preset replaces this model's edits.")
        self.preset_combo.activated.connect(self._on_preset_activated)
        self.save_button = QPushButton("Save space…")
        self.save_button.setToolTip("Write this space as JSON (the format of hpt-gui run "
                                    "--space).")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.load_button = QPushButton("Load space…")
        self.load_button.setToolTip("Read a space saved before, or written for hpt-gui run "
                                    "--space.")
        self.load_button.clicked.connect(self._on_load_clicked)
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        self._widths = _column_widths(header.fontMetrics().horizontalAdvance)
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, self._widths.get(column, 260))
        self.table.viewport().installEventFilter(self)  # the name column follows its width
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.currentCellChanged.connect(self._on_current_cell_changed)
        header.sectionResized.connect(self._fit_rows)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a31515; font-weight: 600;")
        self.error_label.hide()
        self.help_label = QLabel(_HELP_EMPTY)
        self.help_label.setWordWrap(True)
        self.help_label.setTextFormat(Qt.TextFormat.RichText)
        self.help_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.help_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                      QSizePolicy.Policy.Minimum)
        help_frame = QFrame()
        help_frame.setObjectName("spaceHelp")
        help_frame.setStyleSheet("QFrame#spaceHelp { background: #f3f6f9; border: 1px solid "
                                 "#dce3ea; border-radius: 6px; }")
        help_layout = QVBoxLayout(help_frame)
        help_layout.setContentsMargins(12, 8, 12, 8)
        help_layout.addWidget(self.help_label)
        help_frame.setMinimumHeight(84)

        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addStretch(1)
        title_row.addWidget(self.tune_check)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Preset:"))
        tools.addWidget(self.preset_combo)
        tools.addSpacing(16)
        tools.addStretch(1)
        tools.addWidget(self.save_button)
        tools.addWidget(self.load_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(title_row)
        layout.addWidget(self.summary_label)
        layout.addLayout(tools)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(help_frame)
        layout.addStretch(0)

        self._summary_count = ""
        self.rebuild()

    # public ---------------------------------------------------------------------------

    @property
    def preset(self) -> str:
        return self.draft.preset

    def space(self) -> SearchSpace:
        """The edited space; raises the first SpaceError (a sentence) if a field is wrong."""
        built = self.draft.build()
        if built.space is None:
            raise built.first_error or SpaceError("The search space is not valid.")
        return built.space

    def first_error(self) -> str | None:
        error = self.draft.build().first_error
        return None if error is None else str(error)

    def field(self, name: str, key: str) -> QWidget:
        """The editor of one field: search, type, fixed, choices, low, high, log, step,
        grid_points (only those the row shows now)."""
        return self._fields[(name, key)]

    def row_of(self, name: str) -> int:
        return [p.name for p in self.draft.params].index(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_name_column()
        return False

    def _fit_name_column(self) -> None:
        """The name column takes the table's spare width, but never less than _NAME_MIN
        (a narrower table scrolls sideways instead of squeezing the names)."""
        spare = self.table.viewport().width() - sum(self._widths.values())
        self.table.setColumnWidth(NAME, max(_NAME_MIN, spare))
        self._fit_rows()

    def select_param(self, name: str) -> None:
        row = self.row_of(name)
        if self.table.currentRow() != row:
            self.table.setCurrentCell(row, NAME)

    def apply_preset(self, preset: str) -> None:
        """Replace this model's space by the catalog's at this preset."""
        if preset not in PRESETS:
            raise ValueError(f"Unknown preset '{preset}'; use {', '.join(PRESETS)}.")
        self.draft = SpaceDraft(self.model, preset=preset)
        self._after_replace()

    def set_space(self, space: SearchSpace) -> None:
        """Show ``space`` (e.g. one loaded from a file or a project) for editing."""
        self.draft = SpaceDraft(self.model, space, preset=CUSTOM)
        self._after_replace()

    def load(self, path: str | Path) -> None:
        """Read a space file; a SpaceError (a sentence) leaves the editor unchanged."""
        path = Path(path)
        space = SearchSpace.load(path)
        catalog = {h.name for h in self.model.hyperparameters}
        extra = [n for n in space.names if n not in catalog]
        if extra:
            try:
                check_params(self.model, dict.fromkeys(extra))
            except CatalogError as exc:
                raise SpaceError(f"In '{path.name}': {exc}") from None
        self.set_space(space)
        self._notice(f"Loaded the search space from {path.name}.", error=False)

    def save(self, path: str | Path) -> None:
        path = Path(path)
        space = self.space()
        try:
            space.save(path)
        except OSError as exc:
            raise SpaceError(f"The file '{path}' cannot be written ({exc.strerror or exc})."
                             ) from None
        self._notice(f"Saved the search space to {path.name}.", error=False)

    # building the table ----------------------------------------------------------------

    def rebuild(self) -> None:
        current = self.table.currentRow()
        self._fields.clear()
        self._name_labels.clear()
        self.table.clearSpans()
        self._spanned.clear()
        self.table.setRowCount(0)
        self.table.setRowCount(len(self.draft.params))
        for row, draft in enumerate(self.draft.params):
            self._build_row(row, draft)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(self.draft.preset))
        self.revalidate()
        if 0 <= current < self.table.rowCount():
            self.table.setCurrentCell(current, NAME)
        else:
            self._show_help(-1)

    def _row_tooltip(self, name: str) -> str:
        hp = self._catalog_hp(name)
        if hp is None:
            return (f"{name}: a scikit-learn argument of {self.model.name} that the catalog "
                    "does not explain.")
        return f"{hp.help}\n{hp.overfit}"

    def _catalog_hp(self, name: str):
        return next((h for h in self.model.hyperparameters if h.name == name), None)

    def _watch(self, widget: QWidget, name: str) -> None:
        widget.setProperty("hpt_param", name)
        widget.installEventFilter(self._row_focus)

    def _build_row(self, row: int, draft: ParamDraft) -> None:
        tip = self._row_tooltip(draft.name)
        for column in range(len(COLUMNS)):
            item = QTableWidgetItem()
            item.setToolTip(tip)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, column, item)
        self.table.item(row, NAME).setData(Qt.ItemDataRole.UserRole, draft.name)

        search = QCheckBox()
        search.setChecked(draft.search)
        search.setToolTip("Ticked: the search tries values of this hyperparameter.\n"
                          "Not ticked: it keeps the one value you type.")
        search.toggled.connect(lambda on, n=draft.name: self._on_search_toggled(n, on))
        self._put(row, SEARCH, _centered(search), draft.name)
        self._fields[(draft.name, "search")] = search
        self._watch(search, draft.name)

        label = QLabel()
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setContentsMargins(6, 0, 4, 0)
        self._name_labels[draft.name] = label
        self._put(row, NAME, label, draft.name)

        kind = QComboBox()
        kind.addItems(KINDS)
        kind.setCurrentText(draft.kind)
        kind.setToolTip("int: whole numbers; float: any number; categorical: a list of "
                        "values.")
        kind.currentTextChanged.connect(lambda k, n=draft.name: self._on_kind_changed(n, k))
        self._put(row, TYPE, _padded(kind), draft.name)
        self._fields[(draft.name, "type")] = kind
        self._watch(kind, draft.name)

        self._build_values(row, draft)

    def _put(self, row: int, column: int, widget: QWidget, name: str) -> None:
        self._watch(widget, name)
        self.table.setCellWidget(row, column, widget)

    def _line(self, draft: ParamDraft, key: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(getattr(draft, key))
        edit.setPlaceholderText(placeholder)
        edit.setProperty("hpt_tip", _FIELD_TIPS[key])
        edit.setToolTip(_FIELD_TIPS[key])
        edit.textEdited.connect(
            lambda text, n=draft.name, k=key: self._on_field_edited(n, k, text))
        self._fields[(draft.name, key)] = edit
        self._watch(edit, draft.name)
        return edit

    def _build_values(self, row: int, draft: ParamDraft) -> None:
        for key in ("fixed", "choices", *RANGE_FIELDS):
            self._fields.pop((draft.name, key), None)
        for column in range(LOW, GRID + 1):
            old = self.table.cellWidget(row, column)
            if old is not None:
                old.hide()  # deleted later, by the event loop
                self.table.removeCellWidget(row, column)
        if not draft.search or draft.kind == "categorical":
            if row not in self._spanned:
                self.table.setSpan(row, LOW, 1, GRID - LOW + 1)
                self._spanned.add(row)
            if draft.search:
                edit = self._line(draft, "choices", "values separated by commas, e.g. a, b")
                self._put(row, LOW, _padded(edit), draft.name)
            else:
                edit = self._line(draft, "fixed", "the model's own default")
                edit.setMaximumWidth(220)
                note = QLabel("kept at this value (not searched)")
                note.setStyleSheet("color: #666;")
                self._put(row, LOW, _padded(edit, note), draft.name)
            return
        if row in self._spanned:
            self.table.setSpan(row, LOW, 1, 1)
            self._spanned.discard(row)
        integer = draft.kind == "int"
        self._put(row, LOW, _padded(self._line(draft, "low")), draft.name)
        self._put(row, HIGH, _padded(self._line(draft, "high")), draft.name)
        log = QCheckBox()
        log.setChecked(draft.log)
        log.setToolTip(_FIELD_TIPS["log"])
        log.setProperty("hpt_tip", _FIELD_TIPS["log"])
        log.toggled.connect(lambda on, n=draft.name: self._on_field_edited(n, "log", on))
        self._fields[(draft.name, "log")] = log
        self._watch(log, draft.name)
        self._put(row, LOG, _centered(log), draft.name)
        self._put(row, STEP, _padded(self._line(draft, "step", "1" if integer else "none")),
                  draft.name)
        grid_hint = "auto" if integer else "5"
        self._put(row, GRID, _padded(self._line(draft, "grid_points", grid_hint)), draft.name)

    # checking ---------------------------------------------------------------------------

    def revalidate(self) -> None:
        built = self.draft.build()
        self._built = built
        for key, widget in self._fields.items():
            if key[1] not in ("search", "type"):
                _mark(widget, None)
        for name, error in built.errors.items():
            for key in error.fields:
                widget = self._fields.get((name, key))
                if widget is not None:
                    _mark(widget, str(error))
        first = built.first_error
        if first is None:
            self.error_label.hide()
        else:
            more = len(built.errors) - 1
            extra = f"  (and {more} more marked field{'s' if more > 1 else ''})" if more else ""
            self.error_label.setText(f"⚠ {first}{extra}")
            self.error_label.show()
        for draft in self.draft.params:
            self._name_labels[draft.name].setText(self._name_html(draft, built))
        self._fit_rows()
        self._update_count(built.space)

    def _fit_rows(self, *_: int) -> None:
        """Rows tall enough for their wrapped names; the table as tall as its rows (the help
        pane then sits right below them), never taller."""
        if self._built is None or len(self._name_labels) != len(self.draft.params):
            return  # still building
        width = self.table.columnWidth(NAME)
        for row, draft in enumerate(self.draft.params):
            condition = draft.when is not None or draft.name in self._built.unused
            height = _ROW_HEIGHT_CONDITION if condition else _ROW_HEIGHT
            height = max(height, self._name_labels[draft.name].heightForWidth(width) + 8)
            if self.table.rowHeight(row) != height:
                self.table.setRowHeight(row, height)
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        height = (self.table.horizontalHeader().sizeHint().height() + rows
                  + 2 * self.table.frameWidth() + 4)
        columns = sum(self.table.columnWidth(c) for c in range(len(COLUMNS)))
        if columns > self.table.width() - 2 * self.table.frameWidth():  # scrolls sideways
            height += self.table.horizontalScrollBar().sizeHint().height()
        self.table.setMaximumHeight(height)

    def _name_html(self, draft: ParamDraft, built: BuiltSpace) -> str:
        hp = self._catalog_hp(draft.name)
        label = plain_label(hp.name, hp.label) if hp is not None else "not in the catalog"
        text = f"<b>{html.escape(draft.name)}</b>"
        if label:
            text += f" — {html.escape(label)}"
        condition = condition_text(draft.when)
        if draft.name in built.unused:
            condition += " — not used with these values"
        if condition:
            text += f"<br><span style='color:#666'>{html.escape(condition)}</span>"
        return text

    def _update_count(self, space: SearchSpace | None) -> None:
        if space is None:
            self._count_key = ""
            self._set_count_text(grid_count_text(None, None))
            return
        key = space.dumps()
        self._count_key = key
        count = count_now_if_small(space)
        if count is PENDING:
            self._set_count_text("counting the grid's candidates…")
            self._counter.request(key, space)
            return
        self._set_count_text(grid_count_text(space, count))

    def _on_counted(self, key: str, count: int | None) -> None:
        if key == self._count_key:
            self._set_count_text(grid_count_text(self.draft.build().space, count))

    def _set_count_text(self, text: str) -> None:
        self._summary_count = text
        self.summary_label.setText(f"{html.escape(self.model.summary)}<br><b>"
                                   f"{html.escape(text)}</b>")

    @property
    def count_text(self) -> str:
        """'130 candidates in a grid search', as shown above the table."""
        return self._summary_count

    # slots ------------------------------------------------------------------------------

    def _changed(self) -> None:
        if self.draft.preset != CUSTOM:
            self.draft.preset = CUSTOM
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(CUSTOM))
        self.revalidate()
        self.changed.emit()

    def _on_field_edited(self, name: str, key: str, value: Any) -> None:
        setattr(self.draft.param(name), key, value)
        self._changed()

    def _on_search_toggled(self, name: str, on: bool) -> None:
        draft = self.draft.param(name)
        draft.set_search(on)
        self._build_values(self.row_of(name), draft)
        self._changed()

    def _on_kind_changed(self, name: str, kind: str) -> None:
        draft = self.draft.param(name)
        draft.set_kind(kind)
        self._build_values(self.row_of(name), draft)
        self._changed()

    def _on_preset_activated(self, index: int) -> None:
        preset = self.preset_combo.itemData(index)
        if preset in PRESETS:
            self.apply_preset(preset)

    def _after_replace(self) -> None:
        self.rebuild()
        self.changed.emit()

    def _on_current_cell_changed(self, row: int, *_: int) -> None:
        self._show_help(row)

    def _show_help(self, row: int) -> None:
        if not 0 <= row < len(self.draft.params):
            self.help_label.setText(_HELP_EMPTY)
            return
        draft = self.draft.params[row]
        hp = self._catalog_hp(draft.name)
        if hp is None:
            self.help_label.setText(f"<b>{html.escape(draft.name)}</b><br>"
                                    f"{html.escape(self._row_tooltip(draft.name))}")
            return
        self.help_label.setText(
            f"<b>{html.escape(name_and_label(hp.name, hp.label))}</b><br>"
            f"{html.escape(hp.help)}<br>"
            f"<span style='color:#0b5394'>Under- and overfitting:</span> "
            f"{html.escape(hp.overfit)}"
        )

    def help_text(self) -> str:
        """The help pane as plain text (for tests and screen readers)."""
        return self.help_label.text()

    def _notice(self, text: str, error: bool) -> None:
        color = "#a31515" if error else "#2e7d32"
        self.notice_label.setStyleSheet(f"color: {color};")
        self.notice_label.setText(text)
        self.notice_label.show()

    def _on_save_clicked(self) -> None:
        from .last_folder import ask_save_path

        path, _ = ask_save_path(self, "space", "Save search space",
                                f"{self.model.name}_space.json",
                                "Search spaces (*.json);;All files (*)")
        if not path:
            return
        try:
            self.save(path)
        except SpaceError as exc:
            self._notice(f"The space was not saved. {exc}", error=True)

    def _on_load_clicked(self) -> None:
        from .last_folder import ask_open_path

        path = ask_open_path(self, "space", "Load search space",
                             "Search spaces (*.json);;All files (*)")
        if not path:
            return
        try:
            self.load(path)
        except SpaceError as exc:
            self._notice(f"The space was not loaded. {exc}", error=True)


def _centered(widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, alignment=Qt.AlignmentFlag.AlignCenter)
    return box


def _padded(widget: QWidget, *more: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(4, 3, 4, 3)
    layout.setSpacing(8)
    layout.addWidget(widget, 0 if more else 1, Qt.AlignmentFlag.AlignVCenter)
    for extra in more:
        layout.addWidget(extra, 0, Qt.AlignmentFlag.AlignVCenter)
    if more:
        layout.addStretch(1)
    return box


def _mark(widget: QWidget, error: str | None) -> None:
    """Red border and the reason as tooltip, or back to normal."""
    invalid = error is not None
    if bool(widget.property("invalid")) == invalid and widget.toolTip() == (
            error or widget.property("hpt_tip") or ""):
        return
    widget.setProperty("invalid", invalid)
    widget.setStyleSheet(_INVALID.get(type(widget).__name__, "") if invalid else "")
    widget.setToolTip(error if invalid else str(widget.property("hpt_tip") or ""))


class _CheckItemDelegate(QStyledItemDelegate):
    """Measures wrapped text a few pixels narrower than it is drawn, so an item right at
    the list's width gets two lines rather than one line and an ellipsis."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        narrower = QStyleOptionViewItem(option)
        narrower.rect.setWidth(max(40, option.rect.width() - 4))
        return super().sizeHint(narrower, index)


class _ModelList(QListWidget):
    """Re-flows its wrapped items when its width changes (a scroll bar coming or going);
    QListView alone keeps the heights measured at the first width."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()


class SpaceEditor(QWidget):
    """Models on the left (tick to tune), the shown model's search space on the right."""

    selection_changed = Signal()
    space_changed = Signal()

    def __init__(self, task: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: dict[str, ModelSpacePage] = {}
        self._task: str | None = None
        self._filling = False
        self._last_selection: list[str] = []

        title = QLabel("Models")
        title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        hint = QLabel("Tick each model to tune: each gets its own study. Click a name to see "
                      "and edit its hyperparameters.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.model_list = _ModelList()
        self.model_list.setItemDelegate(_CheckItemDelegate(self.model_list))
        self.model_list.setObjectName("modelList")
        self.model_list.setStyleSheet("QListWidget#modelList::item { padding: 5px 2px; }")
        self.model_list.setWordWrap(True)
        self.model_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.model_list.itemChanged.connect(self._on_item_changed)
        self.model_list.currentItemChanged.connect(self._on_current_item_changed)
        self.selection_label = QLabel()
        self.selection_label.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addWidget(title)
        left_layout.addWidget(hint)
        left_layout.addWidget(self.model_list, 1)
        left_layout.addWidget(self.selection_label)

        self.stack = QStackedWidget()
        self._empty = QLabel("No model to show. Load a data set to see the models for its "
                             "task.")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self.stack.addWidget(self._empty)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("space_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([290, 1000])
        self.splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.set_task(task)

    # models -----------------------------------------------------------------------------

    def task(self) -> str | None:
        return self._task

    def models(self) -> list[str]:
        """The listed models' class names, in list order."""
        return [self._name(self.model_list.item(i)) for i in range(self.model_list.count())]

    def set_task(self, task: str | None) -> None:
        """List the catalog's models for ``task`` (all when None); ticks and edits stay."""
        infos = list(MODELS.values()) if task is None else models_for_task(task)
        ticked = set(self.selected_models())
        current = self.current_model()
        self._task = task
        self._filling = True
        try:
            self.model_list.clear()
            for info in infos:
                item = QListWidgetItem(f"{info.label} ({info.name})")
                item.setData(Qt.ItemDataRole.UserRole, info.name)
                item.setToolTip(info.summary)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if info.name in ticked
                                   else Qt.CheckState.Unchecked)
                self.model_list.addItem(item)
        finally:
            self._filling = False
        names = self.models()
        self.show_model(current if current in names else (names[0] if names else None))
        self._selection_maybe_changed()

    def selected_models(self) -> list[str]:
        """The ticked models' class names, in list order (one study each)."""
        return [self._name(item) for item in self._items()
                if item.checkState() == Qt.CheckState.Checked]

    def select_models(self, names: Iterable[str]) -> None:
        """Tick exactly these models (class names), untick the others."""
        names = list(names)
        for name in names:
            get_model(name)  # a sentence for an unknown name
        listed = self.models()
        missing = [n for n in names if n not in listed]
        if missing:
            raise CatalogError(f"{', '.join(missing)} cannot be chosen for a {self._task} "
                               f"task; choose from {', '.join(listed)}.")
        self._filling = True
        try:
            for item in self._items():
                item.setCheckState(Qt.CheckState.Checked if self._name(item) in names
                                   else Qt.CheckState.Unchecked)
        finally:
            self._filling = False
        if names and self.current_model() not in names:
            self.show_model(names[0])
        self._selection_maybe_changed()

    def current_model(self) -> str | None:
        item = self.model_list.currentItem()
        return None if item is None else self._name(item)

    def show_model(self, name: str | None) -> None:
        """Show this model's hyperparameters on the right."""
        if name is None:
            self.model_list.setCurrentItem(None)
            self.stack.setCurrentWidget(self._empty)
            return
        for item in self._items():
            if self._name(item) == name:
                self.model_list.setCurrentItem(item)
                return
        raise CatalogError(f"{name} is not in the model list.")

    def page(self, model: str) -> ModelSpacePage:
        """The editor page of one model (made on first use; edits stay while switching)."""
        if model not in self._pages:
            info = get_model(model)
            page = ModelSpacePage(info)
            page.changed.connect(self.space_changed)
            page.tune_toggled.connect(lambda on, n=info.name: self._on_tune_toggled(n, on))
            page.tune_check.setChecked(model in self.selected_models())
            self._pages[model] = page
            self.stack.addWidget(page)
        return self._pages[model]

    # spaces -----------------------------------------------------------------------------

    def space_for(self, model: str) -> SearchSpace:
        """The edited space of ``model``; raises SpaceError (a sentence) if it is invalid."""
        return self.page(model).space()

    def errors(self) -> dict[str, str]:
        """The first problem of each ticked model whose space is invalid."""
        found = {}
        for model in self.selected_models():
            error = self.page(model).first_error()
            if error is not None:
                found[model] = error
        return found

    def preset(self, model: str) -> str:
        return self.page(model).preset

    def set_preset(self, model: str, preset: str) -> None:
        """'default', 'quick' or 'thorough' (replaces that model's edits)."""
        self.page(model).apply_preset(preset)

    def set_space(self, model: str, space: SearchSpace) -> None:
        self.page(model).set_space(space)

    def save_space(self, model: str, path: str | Path) -> None:
        """Write the model's space as the CLI's --space JSON; SpaceError if invalid."""
        self.page(model).save(path)

    def load_space(self, model: str, path: str | Path) -> None:
        """Read a --space JSON file into the model's editor; SpaceError (a sentence) if the
        file cannot be used, and then nothing changes."""
        self.page(model).load(path)

    # slots ------------------------------------------------------------------------------

    def _items(self) -> list[QListWidgetItem]:
        return [self.model_list.item(i) for i in range(self.model_list.count())]

    @staticmethod
    def _name(item: QListWidgetItem) -> str:
        return str(item.data(Qt.ItemDataRole.UserRole))

    def _on_current_item_changed(self, item: QListWidgetItem | None, _previous: Any) -> None:
        if self._filling:
            return
        if item is None:
            self.stack.setCurrentWidget(self._empty)
        else:
            self.stack.setCurrentWidget(self.page(self._name(item)))

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._filling:
            self._selection_maybe_changed()

    def _on_tune_toggled(self, name: str, on: bool) -> None:
        for item in self._items():
            if self._name(item) == name:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _selection_maybe_changed(self) -> None:
        selection = self.selected_models()
        for name, page in self._pages.items():
            if page.tune_check.isChecked() != (name in selection):
                page.tune_check.blockSignals(True)
                page.tune_check.setChecked(name in selection)
                page.tune_check.blockSignals(False)
        count = len(selection)
        if count == 0:
            self.selection_label.setText("No model ticked yet: tick at least one to run.")
        else:
            self.selection_label.setText(
                f"{count} model{'s' if count > 1 else ''} ticked: {count} "
                f"stud{'ies' if count > 1 else 'y'} will run.")
        if selection != self._last_selection:
            self._last_selection = selection
            self.selection_changed.emit()


__all__ = [
    "CUSTOM", "KINDS", "PRESETS", "PRESET_GRID_POINTS", "RANGE_FIELDS", "BuiltSpace",
    "FieldError", "ModelSpacePage", "ParamDraft", "SpaceDraft", "SpaceEditor",
    "condition_text", "format_choices", "format_number", "format_value", "name_and_label",
    "parse_value", "plain_label", "preset_space", "split_choices",
]
