"""How long a run will take, said before it starts.

The basis is measured, never guessed: the seconds one fold of the same model took in this
project's earlier trials (on the same data when there are any, else on any data). Without
any, the run says that its first trials will tell, and the progress line's ETA does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cost import run_seconds
from .format import count, time_left
from .records import TrialState
from .store import ProjectStore, StoreError
from .strategies.halving import stored_work
from .study import StudyPlan, data_reference, plan_cost


@dataclass(frozen=True)
class TimeEstimate:
    """Seconds the fits still to run should take, and what that is measured on."""

    seconds: float
    fits: int
    basis: str  # 'from 120 earlier trials of RandomForestClassifier on this data'

    def describe(self, workers: int) -> str:
        return (f"about {time_left(self.seconds)} for {self.fits:,} fits on "
                f"{count(workers, 'worker')} ({self.basis})")


def planned_fits(plan: StudyPlan) -> int | None:
    """Fits of the whole run: candidates x splits, for each search of nested CV (halving:
    its planned fits; on rows, counted as the full-size fits they are worth)."""
    work = plan_cost(plan).work
    return None if work is None else round(work)


def estimate_run_time(plan: StudyPlan, project: str | Path, workers: int) -> TimeEstimate | None:
    """The time the run's remaining fits take on ``workers`` parallel workers, from this
    model's earlier trials in the project; None when nothing has been measured (or only a
    time limit bounds the run). The project is only read, and only if it exists."""
    fits = planned_fits(plan)
    project = Path(project)
    if fits is None or not project.is_file():
        return None
    spec = plan.spec
    try:
        with ProjectStore(project) as store:
            rows = [row for row in store.studies() if row.spec.model == spec.model]
            measured, where = _measured(store, rows, spec.data)
            resumed = any(row.name == spec.name for row in rows)
            # a resumed study's trials, but those cancelled: they run again
            stored = [t for t in store.trials(spec.name)
                      if t.state is not TrialState.CANCELLED] if resumed else []
            # halving records each trial's work; the others ran every fold (counted
            # without reading the folds)
            done = round(sum(stored_work(t)[1] for t in stored)) \
                if spec.strategy == "halving" else len(stored) * plan.folds
    except StoreError:
        return None
    if measured is None:
        return None
    seconds, trials = measured
    left = max(0, fits - done)
    return TimeEstimate(run_seconds(left, seconds, workers), left,
                        f"from {count(trials, 'earlier trial')} of {spec.model} {where}")


def measured_seconds(project: str | Path | None, model: str,
                     data: str) -> tuple[float, int] | None:
    """Seconds one fold of ``model`` took in the project (fit and score), on ``data`` when
    it ran on it, else on any data, and over how many trials: the basis of both the
    window's preview and ``hpt-gui run``'s estimate, so the two say the same time."""
    if project is None or not Path(project).is_file():
        return None
    try:
        with ProjectStore(project) as store:
            rows = [row for row in store.studies() if row.spec.model == model]
            return _measured(store, rows, data_reference(data))[0]
    except StoreError:
        return None


def _measured(store: ProjectStore, rows: list, data: str) -> tuple[tuple[float, int] | None, str]:
    measured = store.fit_seconds([row.name for row in rows if row.spec.data == data])
    if measured is not None:
        return measured, "on this data"
    return store.fit_seconds([row.name for row in rows]), "on other data"


__all__ = ["TimeEstimate", "estimate_run_time", "measured_seconds", "plan_cost",
           "planned_fits"]
