"""'Predict on new data': choose a model (a study's trial or an exported model file), a new
table and where to save; the predictions are written to a new CSV beside the input rows.

The logic lives in ``core.predict``; this dialog only asks and shows. Reading the new
table, refitting a study's trial and predicting run on a background thread, so the window
never freezes; every problem is a sentence in the status line.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from .last_folder import ask_save_path
from .tasks import TaskRunner

DATA_FILTER = "Data files (*.csv *.tsv *.txt *.xlsx *.xls *.parquet *.pq);;All files (*)"
MODEL_FILTER = "Model files (*.skops *.pkl *.pickle *.joblib);;All files (*)"
CSV_FILTER = "CSV files (*.csv);;All files (*)"
TRUST_WARNING = ("This model file is a pickle: loading it can run code hidden in it. "
                 "Load only files you trust.")
_OK, _BAD, _NOTE, _WARN = "#1b7a34", "#a31515", "#555555", "#8a4b00"


def _coloured(text: str, colour: str) -> str:
    return f"<span style='color:{colour}'>{html.escape(text, quote=False)}</span>"


def _label(text: str = "") -> QLabel:
    """A wrapping label that always reads its text as rich text (coloured sentences)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _user_sentence(exc: BaseException) -> str:
    """The user's own problems verbatim; anything else briefly, with its kind."""
    from ..core.engine import USER_ERRORS

    if isinstance(exc, USER_ERRORS):
        return str(exc)
    return (f"The prediction stopped on an unexpected error ({type(exc).__name__}: {exc}); "
            "check the new table, or try the model again.")


class PredictDialog(QDialog):
    """Choose a model, a new table and a file; write the predictions there."""

    predictions_written = Signal(str)

    def __init__(self, project: Path | None, studies: list[str],
                 current_study: str | None = None, trial_number: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Predict on new data")
        self._project = Path(project) if project is not None else None
        self._trial = trial_number
        self._needs: Any = None  # what the chosen model needs of a table (ModelNeeds)
        self._model_source = ""  # the data the chosen model was trained on
        self._model_file = ""  # the model file last chosen or typed
        self._model_ok = False
        self._columns_ok: bool | None = None  # the last column check; None: not checked
        # the column check and the writing, off the GUI thread; the newest job wins
        self._task = TaskRunner(self, sentence=_user_sentence)
        self._busy = False
        self._out_was_default = False  # the output path is ours to change with the input
        self._check_notes: list[str] = []
        self._written: Path | None = None
        layout = QVBoxLayout(self)
        self._boxes = (self._model_box(studies, current_study), self._data_box(),
                       self._out_box())
        for box in self._boxes:
            layout.addWidget(box)
        layout.addLayout(self._action_row())
        self.status = _label()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, self.sizeHint().height())
        self._model_changed()

    # ------------------------------------------------------------------ building

    def _model_box(self, studies: list[str], current: str | None) -> QGroupBox:
        box = QGroupBox("1. Model")
        grid = QGridLayout(box)
        self.use_study = QRadioButton("A study's trial")
        self.use_file = QRadioButton("A model file…")
        group = QButtonGroup(box)
        group.addButton(self.use_study)
        group.addButton(self.use_file)
        self.study_combo = QComboBox()
        self.study_combo.addItems(studies)
        if current in studies:
            self.study_combo.setCurrentText(current)
        self.trial_label = _label()
        grid.addWidget(self.use_study, 0, 0)
        grid.addWidget(self.study_combo, 0, 1)
        grid.addWidget(self.trial_label, 1, 1)
        self.model_path = QLineEdit()
        self.model_path.setPlaceholderText(
            "an exported .skops or .pkl file (its .json sidecar beside it)")
        self.model_path.editingFinished.connect(self._typed_model)  # typed or pasted
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_model)
        row = QHBoxLayout()
        row.addWidget(self.model_path, 1)
        row.addWidget(choose)
        grid.addWidget(self.use_file, 2, 0)
        grid.addLayout(row, 2, 1)
        self.sidecar_label = _label()
        self.warning_label = QLabel(TRUST_WARNING)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(
            "QLabel { background: #fff4e5; color: #6b3a00; border: 1px solid #f0c890;"
            " border-radius: 3px; padding: 4px; }")
        self.trust = QCheckBox("I trust this file")
        grid.addWidget(self.sidecar_label, 3, 1)
        grid.addWidget(self.warning_label, 4, 1)
        grid.addWidget(self.trust, 5, 1)
        grid.setColumnStretch(1, 1)
        has_studies = bool(studies) and self._project is not None
        self.use_study.setEnabled(has_studies)
        (self.use_study if has_studies else self.use_file).setChecked(True)
        self.use_study.toggled.connect(self._model_changed)
        self.study_combo.currentTextChanged.connect(self._study_changed)
        self.trust.toggled.connect(self._refresh)
        return box

    def _data_box(self) -> QGroupBox:
        box = QGroupBox("2. New data")
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        self.data_path = QLineEdit()
        self.data_path.setPlaceholderText("a CSV, TSV, Excel or Parquet file")
        self.data_path.editingFinished.connect(self._data_changed)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_data)
        self.demo_button = QPushButton("Use the demo rows")
        self.demo_button.setToolTip("Predict on the demo data set the model was trained on")
        self.demo_button.clicked.connect(self._use_demo_rows)
        row.addWidget(self.data_path, 1)
        row.addWidget(choose)
        row.addWidget(self.demo_button)
        column.addLayout(row)
        self.check_label = _label()
        column.addWidget(self.check_label)
        return box

    def _out_box(self) -> QGroupBox:
        box = QGroupBox("3. Save predictions to")
        row = QHBoxLayout(box)
        self.out_path = QLineEdit()
        self.out_path.setPlaceholderText("a new CSV file (the input file is never changed)")
        self.out_path.textChanged.connect(self._refresh)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_out)
        row.addWidget(self.out_path, 1)
        row.addWidget(choose)
        return box

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.write_button = QPushButton("Write predictions")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.write)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # busy: how long a refit takes is not known
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setVisible(False)
        self.open_button = QPushButton("Open folder")
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self._open_folder)
        row.addWidget(self.write_button)
        row.addWidget(self.busy_bar)
        row.addStretch(1)
        row.addWidget(self.open_button)
        return row

    # ------------------------------------------------------------------ the model

    def _model_changed(self) -> None:
        from_file = self.use_file.isChecked()
        self.study_combo.setEnabled(not from_file)
        self.sidecar_label.setVisible(from_file)
        for widget in (self.warning_label, self.trust):  # only a pickle needs the user's word
            widget.setVisible(from_file and self._needs_trust())
        self.trial_label.setVisible(not from_file)
        if from_file:
            self._file_model(self.model_path.text())
        else:
            self._study_changed()

    def _needs_trust(self) -> bool:
        """Whether the chosen model file is a pickle (a .skops file runs no code)."""
        from ..core.model_file import needs_trust

        return needs_trust(self.model_path.text())

    def _study_changed(self) -> None:
        """Which trial predicts, in words; what it needs is read with the data check."""
        from ..core.predict import read_study, trial_words

        self._needs, self._model_ok, self._model_source = None, False, ""
        name = self.study_combo.currentText()
        if not name or self._project is None:
            self.trial_label.setText("")
        else:
            try:
                spec, trials = read_study(self._project, name)
                words = trial_words(spec, trials, self._trial)
                self.trial_label.setText(html.escape(
                    f"Predicts with {words}, refit on the study's rows.", quote=False))
                self._model_ok, self._model_source = True, spec.data
            except Exception as exc:
                self.trial_label.setText(_coloured(_user_sentence(exc), _BAD))
        self._model_settled()

    def _choose_model(self) -> None:
        from .last_folder import ask_open_path

        path = ask_open_path(self, "model", "Choose a model file", MODEL_FILTER)
        if path:
            self.choose_model_file(path)

    def _typed_model(self) -> None:
        """A path typed (or pasted) in the field is used as if chosen; leaving the field
        unchanged keeps the trust given to the file."""
        path = self.model_path.text().strip()
        if path != self._model_file:
            self.choose_model_file(path)

    def choose_model_file(self, path: str) -> None:
        """Show what the file's sidecar says; nothing is loaded until 'Write'."""
        self._model_file = path
        self.model_path.setText(path)
        self.trust.setChecked(False)
        self.use_file.setChecked(True)
        self._model_changed()

    def _file_model(self, path: str) -> None:
        from ..core.model_file import read_sidecar
        from ..core.predict import ModelNeeds, sidecar_words

        self._needs, self._model_ok, self._model_source = None, False, ""
        if not path:
            self.sidecar_label.setText(_coloured("Choose a model file that hpt-gui exported.",
                                                 _NOTE))
        else:
            try:
                meta = read_sidecar(path)
                self._needs = ModelNeeds.from_sidecar(meta)
                self._model_ok, self._model_source = True, self._needs.source
                self.sidecar_label.setText(html.escape(sidecar_words(meta), quote=False))
            except Exception as exc:
                self.sidecar_label.setText(_coloured(_user_sentence(exc), _BAD))
        self._model_settled()

    def _model_settled(self) -> None:
        """The model changed: show the demo button if it fits, check the table again."""
        self.demo_button.setVisible(self._model_source.lower().startswith("demo:"))
        self.open_button.setVisible(False)
        self.status.setText("")
        if self.data_path.text().strip():
            self._data_changed()
        else:
            self._columns_ok = None
            self.check_label.setText(_coloured(
                "Choose a table with the columns the model was trained on; its columns are "
                "checked here.", _NOTE))
            self._refresh()

    # ------------------------------------------------------------------ the data

    def _choose_data(self) -> None:
        from .last_folder import ask_open_path

        path = ask_open_path(self, "data", "Choose the new data", DATA_FILTER)
        if path:
            self.choose_data(path)

    def _use_demo_rows(self) -> None:
        self.choose_data(self._model_source)

    def choose_data(self, source: str) -> None:
        """Take ``source`` as the new table, propose an output file, check the columns."""
        from ..core.predict import default_out_path

        self.data_path.setText(source)
        if not self.out_path.text().strip() or self._out_was_default:
            self.out_path.setText(str(default_out_path(source, self._project)))
            self._out_was_default = True
        self._data_changed()

    def _data_changed(self) -> None:
        """Check the table's columns against the model's, off the GUI thread."""
        source = self.data_path.text().strip()
        self.open_button.setVisible(False)
        self.status.setText("")
        if not source or not self._model_ok:
            self._columns_ok = None
            self.check_label.setText("")
            self._refresh()
            return
        project, study, needs = self._project, self.study_combo.currentText(), self._needs
        from_study = self.use_study.isChecked()

        def check() -> Any:
            from ..core.dataset import read_table
            from ..core.predict import check_columns, columns_ok, study_needs

            wanted = study_needs(project, study) if from_study else needs
            frame, _ = read_table(source)
            notes = check_columns(frame, wanted)
            return wanted, len(frame), columns_ok(frame, wanted), notes

        self._columns_ok = None
        self.check_label.setText(_coloured("Checking the table's columns…", _NOTE))
        self._start("check", check)

    def _checked(self, outcome: Any, ok: bool) -> None:
        self._check_notes = []
        if not ok:
            self._columns_ok = False
            self.check_label.setText(_coloured(outcome, _BAD))
        else:
            needs, rows, sentence, notes = outcome
            if self.use_study.isChecked():
                self._needs = needs
            self._columns_ok, self._check_notes = True, notes
            count = f"{rows:,} row{'s' if rows != 1 else ''}"
            lines = [_coloured(f"{sentence.rstrip('.')}: {count} to predict.", _OK)]
            lines += [_coloured(note, _NOTE) for note in notes]
            self.check_label.setText("<br>".join(lines))
        self._refresh()

    def _choose_out(self) -> None:
        start = self.out_path.text() or "predictions.csv"
        path, _ = ask_save_path(self, "predictions", "Save predictions to", start, CSV_FILTER)
        if path:
            self.out_path.setText(path)
            self._out_was_default = False

    # ------------------------------------------------------------------ writing

    def ready(self) -> bool:
        """Everything the button needs: a usable model (a pickle trusted), a table whose
        columns passed the check, and an output path."""
        trusted = self.use_study.isChecked() or self.trust.isChecked() or \
            not self._needs_trust()
        return (self._model_ok and trusted and self._columns_ok is True and not self._busy
                and bool(self.out_path.text().strip()))

    def _refresh(self) -> None:
        self.write_button.setEnabled(self.ready())
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit()  # the style and font are final only now

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()  # narrower, the sentences wrap onto more lines

    def _fit(self) -> None:
        """Grow to show every line once sentences appear or the dialog narrows (a window
        is not held to its labels' height for its width, so it would clip them)."""
        self.layout().activate()
        wanted = self.layout().totalHeightForWidth(self.width())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def write(self) -> None:
        """Refit (a study's trial) or load (a model file), predict and write, off the GUI
        thread."""
        if not self.ready():
            return
        source, out = self.data_path.text().strip(), self.out_path.text().strip()
        project, study, trial = self._project, self.study_combo.currentText(), self._trial
        model_file = self.model_path.text()
        from_study, trusted = self.use_study.isChecked(), self.trust.isChecked()

        def work() -> Any:
            from ..core import predict
            from ..core.model_file import sidecar_path

            if from_study:  # never over the project or the data its study ran on
                protect: list[Any] = [project, predict.read_study(project, study)[0].data]
                predict.check_out_path(source, out, protect)  # before the refit
                model = predict.model_from_study(project, study, trial)
            else:
                model = predict.model_from_file(model_file, trusted=trusted)
                protect = [model_file, sidecar_path(model_file)]
                if project is not None:
                    protect.append(project)
            written = predict.write_predictions(model.pipeline, model.needs, source, out,
                                                protect=protect)
            return written, model.notes

        what = "Refitting the trial and predicting…" if from_study else "Predicting…"
        self.status.setText(_coloured(what, _NOTE))
        self.open_button.setVisible(False)
        self._start("write", work)

    def _wrote(self, outcome: Any, ok: bool) -> None:
        if not ok:
            self.status.setText(_coloured(outcome, _BAD))
            return
        written, model_notes = outcome
        self._written = written.path
        lines = [_coloured(f"Wrote {written.rows:,} row{'s' if written.rows != 1 else ''} "
                           f"with predictions to {written.path}.", _OK)]
        lines += [_coloured(note, _WARN) for note in [*model_notes, *written.notes]
                  if note not in self._check_notes]
        self.status.setText("<br>".join(lines))
        self.open_button.setVisible(True)
        self.predictions_written.emit(str(written.path))

    def _open_folder(self) -> None:
        if self._written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._written.parent)))

    # ------------------------------------------------------------------ background work

    def _start(self, kind: str, work: Callable[[], Any]) -> None:
        """Run ``work`` off the GUI thread (``ui/tasks``); only the newest job's result is
        shown: a check started meanwhile supersedes the previous one."""
        if kind == "write":  # a change now would drop the result of a file being written
            for box in self._boxes:
                box.setEnabled(False)
        self._busy = True
        self.busy_bar.setVisible(True)
        self._refresh()
        self._task.start(lambda state: work(),
                         on_done=lambda outcome: self._job_done(kind, True, outcome),
                         on_error=lambda sentence: self._job_done(kind, False, sentence))

    def _job_done(self, kind: str, ok: bool, outcome: Any) -> None:
        self._busy = False
        self.busy_bar.setVisible(False)
        for box in self._boxes:
            box.setEnabled(True)
        (self._checked if kind == "check" else self._wrote)(outcome, ok)
        self._refresh()

    def busy(self) -> bool:
        """Whether a check or a write is running (tests wait on this)."""
        return self._busy
