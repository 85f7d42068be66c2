"""Search and validation settings, with the cost of the search shown before it runs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.format import count, time_left
from ..core.spec import DEFAULT_POPULATION, MAX_POPULATION

STRATEGY_LABELS = {
    "grid": "Grid — every combination of the grid values",
    "random": "Random — a number of random combinations",
    "tpe": "Bayesian (TPE) — learns from finished trials where to look next",
    "evolution": "Evolutionary — a population of trials evolves, generation by generation",
    "manual": "Manual — one trial with the values set in the editor",
}
# Strategies that never run out of candidates: they need a number of trials or a time limit.
UNBOUNDED = {"random": "A random search", "tpe": "A Bayesian (TPE) search",
             "evolution": "An evolutionary search"}
EVOLUTION_LABELS = {
    "auto": "Automatic — CMA-ES for number ranges, else NSGA-II",
    "cmaes": "CMA-ES — adapts a distribution over number ranges",
    "nsga2": "NSGA-II — genetic: crossover and mutation, handles categories",
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


@dataclass(frozen=True)
class SearchSettings:
    """The settings shared by every study queued from the window."""

    strategy: str
    trials: int | None
    time_limit: float | None
    cv: int
    scoring: str
    seed: int
    jobs: int
    population: int = DEFAULT_POPULATION
    algorithm: str = "auto"

    @property
    def options(self) -> dict[str, Any] | None:
        """The strategy's options for the study's spec (only evolution has any)."""
        if self.strategy == "evolution":
            return {"population": self.population, "algorithm": self.algorithm}
        return None

    @property
    def needs_budget(self) -> str | None:
        """'A random search', when this strategy has no number of trials or time limit."""
        if self.strategy in UNBOUNDED and not self.trials and not self.time_limit:
            return UNBOUNDED[self.strategy]
        return None


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
        self.cv = QSpinBox()
        self.cv.setRange(2, 20)
        self.cv.setValue(5)
        self.cv.setSuffix(" folds")
        self.metric = QComboBox()
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.jobs = QSpinBox()
        self.jobs.setRange(1, max(1, os.cpu_count() or 1))
        self.jobs.setValue(max(1, os.cpu_count() or 1))
        self.jobs.setSuffix(" worker process(es)")
        self.cv_note = QLabel()
        self.cv_note.setWordWrap(True)

        search = QGroupBox("Search")
        form = QFormLayout(search)
        form.addRow("Strategy:", self.strategy)
        form.addRow("Population:", self.population)
        form.addRow("Algorithm:", self.algorithm)
        form.addRow("Trials:", self.trials)
        form.addRow("Time limit:", self.time_limit)
        self._search_form = form
        validation = QGroupBox("Validation")
        form2 = QFormLayout(validation)
        form2.addRow("Cross-validation:", self.cv)
        form2.addRow("", self.cv_note)
        form2.addRow("Metric:", self.metric)
        form2.addRow("Seed:", self.seed)
        run = QGroupBox("Computer")
        form3 = QFormLayout(run)
        form3.addRow("Workers:", self.jobs)

        self.cost = QLabel()
        self.cost.setWordWrap(True)
        self.cost.setTextFormat(Qt.TextFormat.RichText)
        self.cost.setObjectName("costPreview")
        row = QHBoxLayout()
        row.addWidget(search, 1)
        row.addWidget(validation, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(run)
        layout.addWidget(self.cost)
        layout.addStretch(1)
        self.set_task(None)
        for widget in (self.strategy, self.metric, self.algorithm):
            widget.currentIndexChanged.connect(self._on_changed)
        for widget in (self.trials, self.cv, self.seed, self.jobs, self.population):
            widget.valueChanged.connect(self._on_changed)
        self.time_limit.valueChanged.connect(self._on_changed)
        self._on_changed()

    def set_task(self, task: str | None) -> None:
        """Offer the metrics that suit the task, keeping the choice when it still fits."""
        current = self.metric.currentData()
        self.metric.blockSignals(True)
        self.metric.clear()
        for key, label in METRICS.get(task or "classification", []):
            self.metric.addItem(label, key)
        index = self.metric.findData(current)
        self.metric.setCurrentIndex(max(0, index))
        self.metric.blockSignals(False)
        self.cv_note.setText(
            "Stratified k-fold: each fold keeps the class proportions."
            if task != "regression" else "k-fold: rows shuffled once, then split in k parts."
        )
        self._on_changed()

    def settings(self) -> SearchSettings:
        strategy = self.strategy.currentData()
        trials = self.trials.value() or None
        minutes = self.time_limit.value()
        return SearchSettings(
            strategy=strategy,
            trials=trials,
            time_limit=minutes * 60 if minutes else None,
            cv=self.cv.value(),
            scoring=self.metric.currentData() or "",
            seed=self.seed.value(),
            jobs=self.jobs.value(),
            population=self.population.value(),
            algorithm=self.algorithm.currentData() or "auto",
        )

    def _on_changed(self) -> None:
        strategy = self.strategy.currentData()
        self.trials.setSpecialValueText(
            "choose a number" if strategy in UNBOUNDED else "no limit (the whole grid)")
        evolution = strategy == "evolution"
        self._search_form.setRowVisible(self.population, evolution)
        self._search_form.setRowVisible(self.algorithm, evolution)
        self.settings_changed.emit()

    def show_cost(self, candidates: dict[str, int | None],
                  seconds_per_fit: dict[str, float] | None = None) -> None:
        """'2 models: 24 + 50 candidates x 5 folds = 370 fits, about 4 min on 2 workers'."""
        settings = self.settings()
        if not candidates:
            self.cost.setText("<i>Choose at least one model to see what the search costs.</i>")
            return
        planned = {m: self._planned(c, settings) for m, c in candidates.items()}
        if settings.strategy == "grid" and any(v is None for v in planned.values()):
            self.cost.setText(
                "<b>Cost:</b> <span style='color:#b00'>a grid here has more than 5,000 "
                "candidates; set a number of trials, narrow the ranges, or choose a random "
                "search.</span>")
            return
        if any(v is None for v in planned.values()):
            self.cost.setText(
                "<b>Cost:</b> bounded by the time limit only"
                + (f" ({time_left(settings.time_limit)} per model)." if settings.time_limit
                   else "; <span style='color:#b00'>set a number of trials or a time limit "
                        "for this search.</span>")
            )
            return
        fits = {m: n * settings.cv for m, n in planned.items()}
        total = sum(fits.values())
        parts = " + ".join(f"{n:,}" for n in planned.values())
        text = (f"<b>Cost:</b> {count(len(planned), 'model')}: {parts} candidates "
                f"× {settings.cv} folds = <b>{total:,} fits</b>")
        known = seconds_per_fit or {}
        if all(m in known for m in fits):
            seconds = sum(fits[m] * known[m] for m in fits) / settings.jobs
            text += f", about {time_left(seconds)} on {count(settings.jobs, 'worker')}"
        else:
            text += " (the time is estimated once the first trials have run)"
        text += "."
        if settings.strategy == "evolution" and settings.trials:
            generations = settings.trials / settings.population
            text += (f" Each search is {generations:.3g} "
                     f"generation{'s' if generations != 1 else ''}")
            text += (f" of {settings.population} trials." if generations >= 2 else
                     f" of {settings.population} trials: <span style='color:#b00'>too few to "
                     "evolve; lower the population or raise the trials.</span>")
        self.cost.setText(text)

    @staticmethod
    def _planned(candidates: int | None, settings: SearchSettings) -> int | None:
        if settings.strategy == "manual":
            return 1
        if settings.strategy in UNBOUNDED:
            return settings.trials
        if candidates is None:
            return settings.trials
        return min(candidates, settings.trials) if settings.trials else candidates
