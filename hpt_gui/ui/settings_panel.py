"""Search and validation settings, with the cost of the search shown before it runs.

The panel builds the core's StudyRequest (without the data and the model, which the window
adds): its problems are shown live and its cost comes from core/cost.py, as on the command
line."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.cost import run_seconds
from ..core.format import count, time_left
from ..core.machine import available_cores
from ..core.request import StudyRequest
from ..core.spec import (
    DEFAULT_FACTOR,
    DEFAULT_HOLDOUT,
    DEFAULT_POPULATION,
    DEFAULT_REPEATS,
    MAX_NESTED,
    MAX_POPULATION,
    MAX_REPEATS,
    UNBOUNDED_STRATEGIES,
)

# Each label fits its box in the first window on a 1280x800 screen (about 45 characters
# at the app's 10 pt): tests/ui/test_window_start.py checks; the guide explains more.
STRATEGY_LABELS = {
    "grid": "Grid — every combination of the grid values",
    "random": "Random — random combinations",
    "tpe": "Bayesian (TPE) — learns where to look next",
    "evolution": "Evolutionary — evolves over generations",
    "manual": "Manual — one trial, values from the editor",
    "halving": "Successive halving — drops weak ones",
}
EVOLUTION_LABELS = {
    "auto": "Auto — CMA-ES for ranges, else NSGA-II",
    "cmaes": "CMA-ES — adapts a distribution over ranges",
    "nsga2": "NSGA-II — genetic, handles categories too",
}
SCHEME_LABELS = {
    "kfold": "k-fold — each row validates once",
    "repeated": "Repeated k-fold — steadier scores",
    "shuffle": "Shuffle-split — fresh validation rows per split",
    "group": "Group k-fold — a group's rows stay together",
    "time": "Time series — train early, validate later",
}
SCHEME_NOTES = {
    "kfold": ("Stratified k-fold: each fold keeps the class proportions.",
              "k-fold: rows shuffled once, then split in k parts."),
    "repeated": ("Repeated stratified k-fold: the k-fold, repeated with other shuffles.",
                 "Repeated k-fold: the k-fold, repeated with other shuffles."),
    "shuffle": ("Stratified shuffle-split: each split draws its own validation rows "
                "(keeping the class proportions); one split is a simple holdout.",
                "Shuffle-split: each split draws its own validation rows; one split is a "
                "simple holdout."),
    "group": ("Stratified group k-fold: a group's rows never straddle training and "
              "validation; the group column is not a feature.",
              "Group k-fold: a group's rows never straddle training and validation; the "
              "group column is not a feature."),
    "time": ("Time-series split: rows in file order, each fold validates on the rows "
             "after its training rows; nothing is shuffled.",) * 2,
}
METRICS = {
    "classification": [
        ("accuracy", "accuracy (share of correct predictions)"),
        ("balanced_accuracy", "balanced accuracy (mean recall per class)"),
        ("f1_macro", "F1, macro average"),
        ("roc_auc_ovr", "ROC AUC, one-vs-rest"),
        ("neg_log_loss", "log loss (negated)"),
    ],
    "regression": [
        ("r2", "R² (share of variance explained)"),
        ("neg_root_mean_squared_error", "RMSE (negated)"),
        ("neg_mean_absolute_error", "MAE (negated)"),
    ],
}


class SettingsPanel(QWidget):
    """Strategy, budget, folds, metric, seed, workers; and the cost preview."""

    settings_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strategy = QComboBox()
        for key, label in STRATEGY_LABELS.items():
            self.strategy.addItem(label, key)
        self.trials = QSpinBox()
        self.trials.setRange(0, 100_000)
        self.trials.setSpecialValueText("no limit (the whole grid)")
        self.trials.setValue(0)
        self.time_limit = QDoubleSpinBox()
        self.time_limit.setRange(0, 7 * 24 * 60)
        self.time_limit.setDecimals(1)
        self.time_limit.setSuffix(" min")
        self.time_limit.setSpecialValueText("no time limit")
        self.trial_time_limit = QDoubleSpinBox()
        self.trial_time_limit.setRange(0, 24 * 60 * 60)
        self.trial_time_limit.setDecimals(0)
        self.trial_time_limit.setSuffix(" s per fit")
        self.trial_time_limit.setSpecialValueText("no limit")
        self.trial_time_limit.setToolTip(
            "Stop a trial whose fit on one fold takes longer than this: it is marked failed "
            "with the reason and the search goes on. Useful when some settings are very "
            "slow (a support vector machine with a large C, say).")
        self.population = QSpinBox()
        self.population.setRange(2, MAX_POPULATION)
        self.population.setValue(DEFAULT_POPULATION)
        self.population.setSuffix(" trials per generation")
        self.population.setToolTip(
            "How many trials make one generation. Larger populations explore more before "
            "they converge; give the search several generations' worth of trials.")
        self.algorithm = QComboBox()
        for key, label in EVOLUTION_LABELS.items():
            self.algorithm.addItem(label, key)
        self.factor = QDoubleSpinBox()
        self.factor.setRange(1.5, 100)
        self.factor.setDecimals(1)
        self.factor.setValue(DEFAULT_FACTOR)
        self.factor.setToolTip(
            "Each rung keeps the best 1/factor of its candidates and gives them factor "
            "times the resource: 3 keeps the best third.")
        self.min_resource = QSpinBox()
        self.min_resource.setRange(0, 1_000_000)
        self.min_resource.setSpecialValueText("default (1 fold; 20 rows per class)")
        self.min_resource.setToolTip("What every candidate gets at the first rung: folds, "
                                     "or training rows per fold.")
        self.resource = QComboBox()
        self.resource.addItem("Folds — weak ones stop after few folds", "folds")
        self.resource.addItem("Rows — weak ones train on fewer rows",
                              "rows")
        self._rows: int | None = None  # the data's rows, for the cost of halving on rows
        self.cv = QSpinBox()
        self.cv.setRange(2, 20)
        self.cv.setValue(5)
        self.cv.setSuffix(" folds")
        self.metric_choice = QComboBox()
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.jobs = QSpinBox()
        self.jobs.setRange(1, available_cores())  # the core lowers any more, as the CLI
        self.jobs.setValue(available_cores())
        self.jobs.setSuffix(" worker process(es)")
        self.run_on = QComboBox()
        self.run_on.addItem("This computer", "local")
        self.run_on.addItem("A Dask cluster", "cluster")
        self.run_on.setToolTip(
            "A Dask cluster runs the fits on other machines; the results are stored in this "
            "project as usual. Someone starts `dask scheduler` and `dask worker ADDRESS` on "
            "them first (see the README).")
        self.cluster = QLineEdit()
        self.cluster.setPlaceholderText("tcp://HOST:8786, as `dask scheduler` prints it")
        self.cv_note = QLabel()
        self.cv_note.setWordWrap(True)
        self.scheme = QComboBox()
        for key, label in SCHEME_LABELS.items():
            self.scheme.addItem(label, key)
        self.repeats = QSpinBox()
        self.repeats.setRange(2, MAX_REPEATS)
        self.repeats.setValue(DEFAULT_REPEATS)
        self.repeats.setSuffix(" repeats")
        self.holdout = QSpinBox()
        self.holdout.setRange(5, 90)
        self.holdout.setValue(round(DEFAULT_HOLDOUT * 100))
        self.holdout.setSuffix(" % of the rows validate each split")
        self.group_column = QComboBox()
        self.group_column.setToolTip(
            "The column that says which rows belong together (a patient, a site, a "
            "customer); it is set aside, never a feature.")
        self.test_size = QSpinBox()
        self.test_size.setRange(0, 50)
        self.test_size.setSpecialValueText("none")
        self.test_size.setSuffix(" % of the rows, scored once at the end")
        self.test_size.setToolTip(
            "Rows the search never sees: the best trial is refit on the others and scored "
            "on them once, when the search ends.")
        self.nested = QSpinBox()
        self.nested.setRange(1, MAX_NESTED)
        self.nested.setSpecialValueText("off")
        self.nested.setSuffix(" outer folds")
        self.nested.setToolTip(
            "Nested cross-validation: the whole search runs inside each outer fold and its "
            "best trial is scored on that fold: the mean and spread of those scores are an "
            "honest estimate of the tuned model. Then the search runs on all the rows.")

        search = QGroupBox("Search")
        form = QFormLayout(search)
        form.addRow("Strategy:", self.strategy)
        form.addRow("Population:", self.population)
        form.addRow("Algorithm:", self.algorithm)
        form.addRow("Halving factor:", self.factor)
        form.addRow("Halving on:", self.resource)
        form.addRow("Minimum resource:", self.min_resource)
        form.addRow("Trials:", self.trials)
        form.addRow("Time limit:", self.time_limit)
        form.addRow("Time per trial:", self.trial_time_limit)
        self._search_form = form
        validation = QGroupBox("Validation")
        form2 = QFormLayout(validation)
        form2.addRow("Scheme:", self.scheme)
        form2.addRow("Cross-validation:", self.cv)
        form2.addRow("Repeats:", self.repeats)
        form2.addRow("Validation share:", self.holdout)
        form2.addRow("Group column:", self.group_column)
        form2.addRow("", self.cv_note)
        form2.addRow("Test set:", self.test_size)
        form2.addRow("Nested CV:", self.nested)
        self._validation_form = form2
        self._task: str | None = None
        form2.addRow("Metric:", self.metric_choice)
        form2.addRow("Seed:", self.seed)
        run = QGroupBox("Computer")
        form3 = QFormLayout(run)
        form3.addRow("Run on:", self.run_on)
        form3.addRow("Workers:", self.jobs)
        form3.addRow("Scheduler:", self.cluster)
        self._computer_form = form3

        self.cost = QLabel()
        self.cost.setWordWrap(True)
        self.cost.setTextFormat(Qt.TextFormat.RichText)
        self.cost.setObjectName("costPreview")
        self.problem = QLabel()  # why the settings cannot run, live (request.problems())
        self.problem.setWordWrap(True)
        self.problem.setObjectName("settingsProblem")
        self.problem.setStyleSheet("color: #b00")
        self.problem.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(search, 1)
        row.addWidget(validation, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(run)
        layout.addWidget(self.cost)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.set_task(None)
        # The default search follows the chosen spaces (as `hpt-gui run` does) until the
        # user picks a strategy or a number of trials; then theirs stays. (Connected
        # first: the choice is known before the window hears of the change.)
        self._suggesting = False
        self.search_chosen = False
        self.strategy.currentIndexChanged.connect(self._on_search_chosen)
        self.trials.valueChanged.connect(self._on_search_chosen)
        for widget in (self.strategy, self.metric_choice, self.algorithm, self.scheme,
                       self.group_column, self.run_on, self.resource):
            # Sized to fit the form, not their longest item: at their items' widths the
            # page (and so the window) could not be narrower than 1,280 px.
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(18)
            widget.currentIndexChanged.connect(self._on_changed)
        self.cluster.textChanged.connect(self._on_changed)
        for widget in (self.trials, self.cv, self.seed, self.jobs, self.population,
                       self.repeats, self.holdout, self.test_size, self.nested,
                       self.factor, self.min_resource):
            widget.valueChanged.connect(self._on_changed)
        self.time_limit.valueChanged.connect(self._on_changed)
        self.trial_time_limit.valueChanged.connect(self._on_changed)
        # What the cost preview last worked out (fits, estimated seconds), for "Run" to ask.
        self.planned_fits: int | None = None
        self.planned_seconds: float | None = None
        self._on_changed()

    def _on_search_chosen(self, *_: Any) -> None:
        if not self._suggesting:
            self.search_chosen = True

    def suggest_search(self, candidates: int | None) -> None:
        """The command line's default search for a grid this large (the largest chosen
        model's; None when too large to count), unless the user chose one."""
        from ..core.default_search import default_strategy

        if self.search_chosen or self._suggesting:  # (its own changes call back here)
            return
        strategy, trials = default_strategy(candidates)
        self._suggesting = True
        try:
            self.strategy.setCurrentIndex(self.strategy.findData(strategy))
            self.trials.setValue(trials or 0)
        finally:
            self._suggesting = False

    def set_task(self, task: str | None) -> None:
        """Offer the metrics that suit the task, keeping the choice when it still fits."""
        current = self.metric_choice.currentData()
        self.metric_choice.blockSignals(True)
        self.metric_choice.clear()
        for key, label in METRICS.get(task or "classification", []):
            self.metric_choice.addItem(label, key)
        index = self.metric_choice.findData(current)
        self.metric_choice.setCurrentIndex(max(0, index))
        self.metric_choice.blockSignals(False)
        self._task = task
        self._on_changed()

    def set_columns(self, dataset: Any) -> None:
        """Offer the data's columns (all but the target) as group columns, keeping the
        choice when it still exists; else a column marked as a group, else an ID-like one."""
        self._rows = None if dataset is None else dataset.n_rows
        current = self.group_column.currentData()
        self.group_column.blockSignals(True)
        self.group_column.clear()
        columns = [] if dataset is None else [c for c in dataset.columns
                                              if c.name != dataset.target]
        for column in columns:
            self.group_column.addItem(f"{column.name}  ({column.role})", column.name)
        preferred = [c.name for c in columns if c.role == "group"] + [
            c.name for c in columns if c.role == "id"]
        for name in (current, *preferred):
            index = self.group_column.findData(name)
            if name is not None and index >= 0:
                self.group_column.setCurrentIndex(index)
                break
        self.group_column.blockSignals(False)
        self._on_changed()

    def settings(self) -> StudyRequest:
        """The request these settings make, without its data, model and name (the
        window adds them for each chosen model)."""
        strategy = self.strategy.currentData()
        minutes = self.time_limit.value()
        on_cluster = self.run_on.currentData() == "cluster"
        return StudyRequest(
            strategy=strategy,
            trials=self.trials.value() or None,
            time_limit=minutes * 60 if minutes else None,
            trial_time_limit=self.trial_time_limit.value() or None,
            cv=self.cv.value(),
            scoring=self.metric_choice.currentData() or "",
            seed=self.seed.value(),
            task=self._task,
            options=self._options(strategy),
            validation=self._validation(),
            test_size=(self.test_size.value() / 100 if self.test_size.value()
                       and self.nested.value() < 2 else None),
            nested=self.nested.value() if self.nested.value() >= 2 else None,
            jobs=None if on_cluster else self.jobs.value(),
            cluster=_with_scheme(self.cluster.text().strip()) if on_cluster else None,
        )

    def _options(self, strategy: str) -> dict[str, Any] | None:
        """The strategy's options for the study's spec (evolution and halving have any)."""
        if strategy == "evolution":
            return {"population": self.population.value(),
                    "algorithm": self.algorithm.currentData() or "auto"}
        if strategy == "halving":
            factor = self.factor.value()
            return {"factor": int(factor) if factor == int(factor) else factor,
                    "resource": self.resource.currentData() or "folds",
                    "min_resource": self.min_resource.value() or None}
        return None

    def _validation(self) -> dict[str, Any] | None:
        scheme = self.scheme.currentData() or "kfold"
        if scheme == "kfold":
            return None
        if scheme == "repeated":
            return {"scheme": scheme, "repeats": self.repeats.value()}
        if scheme == "shuffle":
            return {"scheme": scheme, "holdout": self.holdout.value() / 100}
        if scheme == "group":
            return {"scheme": scheme, "group": self.group_column.currentData()}
        return {"scheme": scheme}

    def _on_changed(self) -> None:
        strategy = self.strategy.currentData()
        self.trials.setSpecialValueText(
            "choose a number" if strategy in UNBOUNDED_STRATEGIES else "no limit (the whole grid)")
        evolution = strategy == "evolution"
        self._search_form.setRowVisible(self.population, evolution)
        self._search_form.setRowVisible(self.algorithm, evolution)
        for widget in (self.factor, self.resource, self.min_resource):
            self._search_form.setRowVisible(widget, strategy == "halving")
        scheme = self.scheme.currentData() or "kfold"
        form = self._validation_form
        form.setRowVisible(self.repeats, scheme == "repeated")
        form.setRowVisible(self.holdout, scheme == "shuffle")
        form.setRowVisible(self.group_column, scheme == "group")
        self.cv.setMinimum(1 if scheme == "shuffle" else 2)
        self.cv.setSuffix(" splits" if scheme in ("shuffle", "time") else " folds")
        self.cv_note.setText(SCHEME_NOTES[scheme][self._task == "regression"])
        nested = self.nested.value() >= 2
        self.test_size.setEnabled(not nested)  # nested CV's outer folds are its test sets
        self.test_size.setToolTip(
            "Nested cross-validation scores each search on rows it never saw already, so it "
            "takes no test set." if nested else
            "Rows the search never sees: the best trial is refit on the others and scored "
            "on them once, when the search ends.")
        on_cluster = self.run_on.currentData() == "cluster"
        self._computer_form.setRowVisible(self.jobs, not on_cluster)
        self._computer_form.setRowVisible(self.cluster, on_cluster)
        self.settings_changed.emit()

    def show_cost(self, candidates: dict[str, int | None],
                  seconds_per_fit: dict[str, float] | None = None) -> None:
        """'2 models: 24 + 50 candidates x 5 folds = 370 fits, about 4 min on 2 workers',
        and, live, what keeps the settings from running."""
        request = self.settings()
        problems = request.problems()
        self.problem.setText("<br>".join(problems))
        self.problem.setVisible(bool(problems))
        self.planned_fits = self.planned_seconds = None
        if not candidates:
            self.cost.setText("<i>Choose at least one model to see what the search costs.</i>")
            return
        costs = {m: request.cost(c, self._rows) for m, c in candidates.items()}
        if request.strategy in ("grid", "halving") and any(
                c.candidates is None for c in costs.values()):
            self.cost.setText(
                "<b>Cost:</b> <span style='color:#b00'>a grid here has more than 5,000 "
                "candidates; set a number of trials, narrow the ranges, or choose a random "
                "search.</span>")
            return
        if any(c.fits is None for c in costs.values()):
            self.cost.setText(
                "<b>Cost:</b> bounded by the time limit only"
                + (f" ({time_left(request.time_limit)} per model)." if request.time_limit
                   else "; <span style='color:#b00'>set a number of trials or a time limit "
                        "for this search.</span>")
            )
            return
        fits = {m: c.fits or 0 for m, c in costs.items()}
        total = self.planned_fits = sum(fits.values())
        parts = " + ".join(f"{c.candidates:,}" for c in costs.values())
        searches = (f" × {request.searches} searches ({request.nested} outer folds and the "
                    "final one)" if request.nested else "")
        text = (f"<b>Cost:</b> {count(len(costs), 'model')}: {parts} candidates "
                f"× {self._splits_text(request)}{searches} = <b>{total:,} fits</b>")
        if request.strategy == "halving":
            options = request.options or {}
            full = sum(c.full_fits or 0 for c in costs.values())
            text = (f"<b>Cost:</b> {count(len(costs), 'model')}: {parts} candidates, "
                    f"halved by {options['factor']:g} on {options['resource']}{searches} = "
                    f"<b>at most {total:,} fits</b> (a full evaluation takes {full:,})")
        if request.nested:
            text += f" + {request.nested} refits per model scored on the outer folds"
        elif request.test_size:
            text += (f" + 1 refit per model scored once on the {100 * request.test_size:g} % "
                     "test set")
        known = seconds_per_fit or {}
        if request.cluster is not None:
            text += ", on the Dask cluster's workers"
        elif all(m in known for m in costs):
            seconds = self.planned_seconds = sum(
                run_seconds(c.work or 0.0, known[m], request.workers) for m, c in costs.items())
            text += f", about {time_left(seconds)} on {count(request.workers, 'worker')}"
        else:
            text += " (the time is estimated once the first trials have run)"
        if not request.nested and request.cluster is None:  # ui/worker.py makes them
            whose = "each model's best trial's" if len(costs) > 1 else "the best trial's"
            text += (f"; then {count(request.splits * len(costs), 'fit')} for {whose} "
                     "predictions (Results, How it errs)")
        text += "."
        population = (request.options or {}).get("population")
        if request.strategy == "evolution" and request.trials and population:
            generations = request.trials / population
            text += (f" Each search is {generations:.3g} "
                     f"generation{'s' if generations != 1 else ''}")
            text += (f" of {population} trials." if generations >= 2 else
                     f" of {population} trials: <span style='color:#b00'>too few to "
                     "evolve; lower the population or raise the trials.</span>")
        self.cost.setText(text)

    @staticmethod
    def _splits_text(request: StudyRequest) -> str:
        """'5 folds', '6 splits (2 × 3 folds)', '1 split'."""
        from ..core.study import describe_folds

        return describe_folds(request, request.splits).replace(" x ", " × ")


def _with_scheme(address: str) -> str:
    """'10.0.0.5:8786' -> 'tcp://10.0.0.5:8786' (Dask's default); others as typed."""
    return address if "://" in address or not address else f"tcp://{address}"
