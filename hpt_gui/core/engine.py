"""The engine: the one service the window and the command line call.

Both front ends ran a study the same way (plan it, choose where its fits run, run the
nested searches or the single one) and each read the project file itself; here that is
written once. The engine is a facade: every function is a few lines over the module that
does the work (``study``, ``runner``, ``nested``, ``store``, ``export``, ``compare``,
``predict``, ``diagnostics``). The front ends import it and the value types (request,
records, spec, space, ...), not the store, the runner or the executors
(``pyproject.toml``'s import contracts).

It stays light to import (the window's first page imports it): the working modules are
imported where they are used, and ``USER_ERRORS`` is gathered on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .records import StudyRow, TrialRecord
from .request import StudyRequest
from .store import ProjectStore, StoreError, fold_in_wal, is_project_file

if TYPE_CHECKING:
    from .assess import Assessment
    from .compare import Comparison
    from .evaluate import EvalContext
    from .executor import Executor
    from .predictions import Predictions
    from .runner import StudyResult
    from .spec import StudySpec
    from .study import StudyPlan

# ------------------------------------------------------------------------ errors


def _user_errors() -> tuple[type[Exception], ...]:
    from .catalog import CatalogError
    from .dataset import DatasetError
    from .diagnostics.summary import DiagnosisError
    from .evaluate import ScoringError
    from .executor_dask import ClusterError
    from .export import ExportError
    from .model_file import ModelFileError
    from .output_files import OutputError
    from .predict import PredictError
    from .space import SpaceError
    from .spec import SpecError

    return (CatalogError, ClusterError, DatasetError, DiagnosisError, ScoringError,
            ExportError, ModelFileError, OutputError, PredictError, SpaceError, SpecError,
            StoreError)


def _run_failures() -> tuple[type[Exception], ...]:
    from .executor import ExecutorLost
    from .runner import AllTrialsFailed

    return (AllTrialsFailed, ExecutorLost)


def _cancelled() -> str:
    from .runner import CANCELLED

    return CANCELLED


_LAZY: dict[str, Callable[[], Any]] = {
    # USER_ERRORS: exceptions whose message is a sentence about the user's own input (the
    # command line exits 2 with it, the window shows it as is).
    "USER_ERRORS": _user_errors,
    # RUN_FAILURES: a run that could not go on (every trial failed, the cluster went
    # away); the message is a sentence too, but not about a mistake (exit 1).
    "RUN_FAILURES": _run_failures,
    "CANCELLED": _cancelled,  # the status of a run stopped by the user
}


def __getattr__(name: str) -> Any:
    """USER_ERRORS, RUN_FAILURES and CANCELLED, gathered on first use: their modules are
    heavy."""
    if name in _LAZY:
        value = globals()[name] = _LAZY[name]()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_sentence(exc: BaseException) -> bool:
    """Whether the error's message is a sentence to show as it is."""
    return isinstance(exc, __getattr__("USER_ERRORS") + __getattr__("RUN_FAILURES"))


# ------------------------------------------------------------------------ running


@dataclass(frozen=True)
class Launch:
    """A planned study and where its fits run, before it runs: what a front end may say
    first (the command line's header). ``notes`` are the settings lowered to what the
    machine can do."""

    plan: StudyPlan
    request: StudyRequest
    jobs: int  # worker processes here (lowered to the cores and the fits)
    where: str
    notes: tuple[str, ...] = ()
    processes: bool = False  # always in worker processes, even for one job
    executor: Any = field(default=None, compare=False)  # the cluster's, reached already

    @property
    def workers(self) -> int:
        """How many fits run at once: the cluster's threads, or the worker processes."""
        return self.executor.workers if self.executor is not None else self.jobs


def stored_engine(project: str | Path, name: str) -> int:
    """The engine rules the stored study ``name`` ran with (the current ones if new)."""
    from .study import stored_engine as engine_of

    return engine_of(project, name)


def prepare(request: StudyRequest, *, processes: bool = False) -> Launch:
    """Plan the study and choose where it runs. A cluster is reached here, before the
    project file is touched; local worker processes are lowered to the cores and fits.
    ``processes``: fits run in worker processes even for one job (a fit that crashes in
    native code cannot take the window down, and a cancel ends it at once)."""
    from .machine import plan_workers
    from .study import plan_study, planned_fits

    plan = plan_study(request)
    jobs = request.workers
    if request.cluster is not None:
        from .executor_dask import DaskExecutor

        executor = DaskExecutor(plan.context, request.cluster)
        where = f"on the Dask cluster at {request.cluster} ({executor.workers} worker threads)"
        return Launch(plan, request, jobs, where, (), processes, executor)
    workers = plan_workers(jobs, planned_fits(plan))
    notes = (workers.note,) if workers.note is not None else ()
    return Launch(plan, request, workers.workers, f"{workers.workers} job(s)", notes,
                  processes)


def _executor_factory(launch: Launch) -> Callable[[StudyPlan, int], Executor] | None:
    """How each search gets its executor; None for the runner's own choice."""
    cluster = launch.request.cluster
    if cluster is not None:
        def on_cluster(step: StudyPlan, jobs: int) -> Executor:
            from .executor_dask import DaskExecutor

            # nested CV's searches ship their own rows
            return launch.executor if step is launch.plan else DaskExecutor(step.context,
                                                                            cluster)
        return on_cluster
    if launch.processes:
        def in_processes(step: StudyPlan, jobs: int) -> Executor:
            from . import executor

            return executor.LocalProcessExecutor(step.context, jobs)
        return in_processes
    return None


def run(
    request: StudyRequest | Launch,
    *,
    on_trial: Callable[[str, TrialRecord], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    on_study: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    take_over: bool = False,
    processes: bool = False,
) -> StudyResult:
    """Run (or resume) a study: nested cross-validation's searches or the single one.

    ``on_trial`` gets the name of the study each trial belongs to (a nested run's outer
    searches are studies of their own); ``on_progress`` counts all the searches;
    ``on_study`` is told each nested search's name as it starts. ``take_over`` first
    releases the study from a run on another computer the user says has ended."""
    from . import runner
    from .nested import run_nested

    launch = request if isinstance(request, Launch) else prepare(request, processes=processes)
    plan, project = launch.plan, launch.request.project
    try:
        if take_over:
            _take_over_if_stored(project, plan.spec.name)
        factory = _executor_factory(launch)
        if plan.spec.nested is not None and plan.spec.outer is None:
            return run_nested(plan, project, jobs=launch.jobs, on_trial=on_trial,
                              on_progress=on_progress, on_study=on_study,
                              should_stop=should_stop, executor_factory=factory)
        name = plan.spec.name
        return runner.run_study(
            plan, project, jobs=launch.jobs, on_progress=on_progress, should_stop=should_stop,
            on_trial=(lambda trial: on_trial(name, trial)) if on_trial else None,
            executor_factory=factory)
    finally:
        if launch.executor is not None:  # already shut down when the run got that far
            launch.executor.shutdown(cancel=True)


def resume_request(project: str | Path, name: str, *, jobs: int | None = None,
                   cluster: str | None = None) -> StudyRequest:
    """The request that runs the stored study ``name`` again, with its rules; where it
    runs is chosen anew."""
    return StudyRequest.from_spec(study(project, name).spec, project=Path(project),
                                  jobs=jobs, cluster=cluster)


def resume(project: str | Path, name: str, *, jobs: int | None = None,
           cluster: str | None = None, **options: Any) -> StudyResult:
    """Run the stored study ``name`` again: its trials are kept, its budget finished.
    ``options`` are ``run``'s."""
    return run(resume_request(project, name, jobs=jobs, cluster=cluster), **options)


def _take_over_if_stored(project: Path | None, name: str) -> None:
    if project is not None and Path(project).is_file():
        take_over(project, name)


def take_over(project: str | Path, name: str) -> None:
    """Release the study from a run on another computer the user says has ended."""
    with ProjectStore(project) as store:
        store.take_over(name)


def can_take_over(project: str | Path, name: str) -> bool:
    """Whether the study is held by a run on a computer that cannot be asked."""
    with ProjectStore(project) as store:
        return store.can_take_over(name)


# ------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class ProjectView:
    """Everything the results page shows of a project, read at once."""

    studies: dict[str, tuple[StudyRow, list[TrialRecord]]]
    results: dict[str, dict[str, Any]]
    elsewhere: dict[str, tuple[int, str]]  # studies another hpt-gui runs now: pid, host


def read_project(project: str | Path) -> ProjectView:
    """Every study with its trials and stored results, and which run elsewhere now."""
    studies, results = {}, {}
    with ProjectStore(project) as store:
        elsewhere = {name: (pid, host) for name, pid, host in store.running_elsewhere()}
        for row in store.studies():
            studies[row.name] = (row, store.trials(row.name))
            stored = store.results(row.name)
            if stored:
                results[row.name] = stored
    return ProjectView(studies, results, elsewhere)


def studies(project: str | Path) -> list[StudyRow]:
    """The project's studies, in the order they were made."""
    with ProjectStore(project) as store:
        return store.studies()


def study(project: str | Path, name: str) -> StudyRow:
    """One stored study (a sentence naming the studies there are when it is not)."""
    with ProjectStore(project) as store:
        return store.study(name)


def read_study(project: str | Path, name: str) -> tuple[StudyRow, list[TrialRecord]]:
    """One study and its trials."""
    with ProjectStore(project) as store:
        return store.study(name), store.trials(name)


def study_trials(project: str | Path, names: Sequence[str] | None = None
                 ) -> list[tuple[StudySpec, list[TrialRecord]]]:
    """(spec, trials) of the studies named, in that order (default: every study)."""
    with ProjectStore(project) as store:
        rows = {row.name: row for row in store.studies()}
        chosen = list(rows) if names is None else [n for n in names if n in rows]
        return [(rows[name].spec, store.trials(name)) for name in chosen]


def results(project: str | Path, name: str) -> dict[str, Any] | None:
    """The held-out test score or nested CV's estimate stored for the study, if any."""
    with ProjectStore(project) as store:
        return store.results(name)


def running_elsewhere(project: str | Path) -> list[tuple[str, int, str]]:
    """(study, pid, host) of the studies another hpt-gui runs now. Opening the project
    refuses what cannot be one (a folder, a data file, another database)."""
    with ProjectStore(project) as store:
        return store.running_elsewhere()


def checkpoint(project: str | Path) -> None:
    """Write everything into the project file itself (before it is copied); creates an
    empty project if there is none."""
    with ProjectStore(project) as store:
        store.checkpoint()


# ------------------------------------------------------------------------ export


def export_csv(trials: Sequence[TrialRecord], path: str | Path,
               protect: Sequence[str | Path] = ()) -> Path:
    """The trial table as a CSV (cv_results_ columns)."""
    from .export import write_trials_csv

    return write_trials_csv(trials, path, protect=protect)


def export_model(spec: StudySpec, trials: Sequence[TrialRecord], path: str | Path, *,
                 trial_number: int | None = None, protect: Sequence[str | Path] = ()) -> Path:
    """The trial (default: the best) refit on the study's rows; returns the sidecar."""
    from .export import write_model

    return write_model(spec, trials, path, trial_number=trial_number, protect=protect)


def export_script(spec: StudySpec, trials: Sequence[TrialRecord], path: str | Path, *,
                  trial_number: int | None = None, protect: Sequence[str | Path] = ()) -> Path:
    """A Python script that rebuilds the trial's model."""
    from .export import write_script

    return write_script(spec, trials, path, trial_number=trial_number, protect=protect)


# ------------------------------------------------------------------------ diagnose


def diagnose(spec: StudySpec, trials: Sequence[TrialRecord], trial_number: int | None = None,
             **options: Any) -> Any:
    """The verdict on a trial (default: the best); ``options`` are
    ``diagnostics.summary.diagnose``'s."""
    from .diagnostics.summary import diagnose as verdict

    return verdict(spec, trials, trial_number, **options)


def make_executor(context: EvalContext, workers: int) -> Executor:
    """An executor for the fits of curves and paths (inline for one job)."""
    from .executor import make_executor as made

    return made(context, workers)


def prepare_helper_process(parent: int | None = None) -> None:
    """Set up a helper process (the window's importance worker) as a fit worker is."""
    from .executor import prepare_helper_process as prepare_process

    prepare_process(parent)


# ------------------------------------------------------------------------ out-of-fold


def predictions(project: str | Path, name: str, trial: int | None = None, *,
                jobs: int = 1, recompute: bool = False, importance: bool = True,
                executor_factory: Callable[[EvalContext], Executor] | None = None,
                should_stop: Callable[[], bool] | None = None,
                on_progress: Callable[[int, int], None] | None = None) -> Predictions:
    """The out-of-fold predictions of the study's trial (default: the best): read from
    the project when kept there for this trial as it ran, else fitted on the study's
    folds (``jobs`` worker processes, or ``executor_factory``'s executor) and kept. Kept
    predictions need neither the data file nor a fit; computing them refuses, with a
    sentence, a failed trial and a data file that is gone or changed. ``importance``:
    also measure the permutation importance of the input columns (kept predictions
    without it are computed again)."""
    from .predictions import Predictions, choose_trial, compute_predictions, is_current

    with ProjectStore(project) as store:
        row, trials = store.study(name), store.trials(name)
        chosen = choose_trial(trials, trial)
        kept = None if recompute else store.predictions(name, chosen.number)
    if kept is not None:
        try:
            stored = Predictions.from_json(kept)
        except (KeyError, TypeError, ValueError):  # another version's form: made again
            stored = None
        if stored is not None and is_current(stored, row.spec, chosen) and \
                (stored.importance is not None or not importance):
            return stored
    made = compute_predictions(row.spec, chosen, jobs=jobs, executor_factory=executor_factory,
                               importance_repeats=5 if importance else 0,
                               should_stop=should_stop, on_progress=on_progress)
    with ProjectStore(project) as store:
        if not store.read_only:  # a project only looked at keeps nothing; they are shown
            store.save_predictions(name, chosen.number, made.to_json())
    return made


def stored_predictions(project: str | Path, name: str, trial: int) -> Predictions | None:
    """The out-of-fold predictions kept for the study's trial, as they are, or None;
    never fits."""
    from .predictions import Predictions

    with ProjectStore(project) as store:
        kept = store.predictions(name, trial)
    try:
        return None if kept is None else Predictions.from_json(kept)
    except (KeyError, TypeError, ValueError):
        return None


def write_predictions_csv(predictions: Predictions, path: str | Path,
                          protect: Sequence[str | Path] = ()) -> Path:
    """The predictions, one row per data row, as a formula-safe CSV; never over a file
    in ``protect``."""
    from .predictions_csv import write_predictions_csv as write

    return write(predictions, path, protect)


def assess(project: str | Path, name: str, trial: int | None = None,
           **options: Any) -> Assessment:
    """The pooled out-of-fold metrics, confusion matrix, per-class scores and input
    importance of the study's trial (default: the best); ``options`` are
    ``predictions``'."""
    return assess_predictions(predictions(project, name, trial, **options))


def assess_predictions(predictions: Predictions) -> Assessment:
    """The assessment (``assess``) of predictions already at hand."""
    from .assess import assess as assessment

    return assessment(predictions)


# ------------------------------------------------------------------------ compare, predict


def compare(studies: Sequence[tuple[StudySpec, Sequence[TrialRecord]]],
            rope: float | None = None) -> Comparison:
    """The studies side by side: the best, and how sure its lead is."""
    from .compare import ROPE, compare_studies

    return compare_studies(studies, ROPE if rope is None else rope)


def predict(model: Any, data: str | Path, out: str | Path,
            protect: Sequence[str | Path] = ()) -> Any:
    """Write the rows of ``data`` with ``model``'s predictions beside them (a
    ``predict.Predictor``); returns (path, notes, rows)."""
    from .predict import write_predictions

    return write_predictions(model.pipeline, model.needs, data, out, protect=protect)


def model_from_study(project: str | Path, name: str, trial_number: int | None = None) -> Any:
    """The study's trial (default: the best) refit, ready to predict."""
    from .predict import model_from_study as refit

    return refit(project, name, trial_number)


def model_from_file(path: str | Path, *, trusted: bool = False) -> Any:
    """An exported model file, loaded to predict (a pickle only when ``trusted``)."""
    from .predict import model_from_file as load

    return load(path, trusted=trusted)


__all__ = [
    "Launch", "ProjectView", "StoreError", "assess", "assess_predictions", "can_take_over",
    "checkpoint", "compare", "diagnose", "export_csv", "export_model", "export_script",
    "fold_in_wal", "is_project_file", "is_sentence", "make_executor", "model_from_file",
    "model_from_study", "predict", "predictions", "prepare", "prepare_helper_process",
    "read_project", "read_study", "results", "resume", "resume_request", "run",
    "running_elsewhere", "stored_engine", "stored_predictions", "studies", "study",
    "study_trials", "take_over", "write_predictions_csv",
]
