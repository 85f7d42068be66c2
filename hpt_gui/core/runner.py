"""The study loop: ask -> dispatch -> tell -> store, until the budget is spent.

The fold dispatcher (``dispatch.FoldDispatcher``) runs the folds and deals with dying
workers and time limits; this loop decides what to run and what a result settles.

Progress leaves through plain callbacks (the window wraps them in Qt signals); a
``should_stop`` callable lets the caller cancel between results. Each finished trial is
committed to the project file before anyone is told about it, so what was reported is
what survives a crash. A study that is run again resumes: stored trials are told to the
strategy first and count toward the budget.

A stepped strategy (successive halving) runs a trial in steps: each step's splits are
submitted, the step's score is reported to the strategy, and the trials it settles (the
candidates a rung prunes are one decision) are stored together in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .dispatch import DeathTriage, FoldDispatcher, fold_result  # noqa: F401 - old home
from .evaluate import FoldResult
from .executor import Executor, make_executor
from .machine import plan_workers
from .records import TrialRecord, TrialState, best_trial, trial_from_folds
from .store import ProjectStore
from .strategies import Outcome, Settled, Strategy, make_strategy, stored_work
from .study import StudyPlan, planned_candidates, planned_fits

FINISHED, CANCELLED, TIME_UP = "finished", "cancelled", "time limit reached"


@dataclass(frozen=True)
class Progress:
    """A snapshot for progress bars: counts include trials from earlier runs."""

    done: int
    total: int | None
    running: int
    elapsed: float
    eta: float | None
    best: TrialRecord | None


@dataclass(frozen=True)
class StudyResult:
    """How a run ended, with every trial the study now has."""

    spec_name: str
    project: Path
    status: str
    trials: tuple[TrialRecord, ...]
    new_trials: int
    elapsed: float
    # What the run measured beyond its trials, as stored (``ProjectStore.results``): the
    # chosen trial's score on the held-out rows, nested cross-validation's estimate.
    results: dict[str, Any] | None = None

    @property
    def best(self) -> TrialRecord | None:
        return best_trial(self.trials)

    @property
    def test_score(self) -> float | None:
        return (self.results or {}).get("test_score")

    @property
    def test_trial(self) -> int | None:
        return (self.results or {}).get("test_trial")


@dataclass
class _InFlight:
    params: dict[str, Any]
    started_at: float
    folds: dict[int, FoldResult] = field(default_factory=dict)
    waiting: set[int] = field(default_factory=set)  # splits of the current step not back

    @property
    def score(self) -> float | None:
        """The mean validation score over the folds so far; None when one failed."""
        if any(f.failed or f.test_score is None for f in self.folds.values()):
            return None
        return sum(f.test_score for f in self.folds.values()) / len(self.folds)


def outcome_of(trial: TrialRecord) -> Outcome:
    return Outcome(trial.number, trial.params, trial.mean_test_score, trial.state.value,
                   trial.attrs)


class StudyRunner:
    """Runs one planned study against one project file."""

    def __init__(
        self,
        plan: StudyPlan,
        project: str | Path,
        *,
        jobs: int = 1,
        on_trial: Callable[[TrialRecord], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        executor_factory: Callable[[StudyPlan, int], Executor] | None = None,
    ) -> None:
        self.plan = plan
        self.project = Path(project)
        self.jobs = max(1, jobs)
        self._on_trial = on_trial or (lambda trial: None)
        self._on_progress = on_progress or (lambda progress: None)
        self._should_stop = should_stop or (lambda: False)
        self._executor_factory = executor_factory or (
            lambda plan, jobs: make_executor(plan.context, jobs)
        )
        self._first_done: tuple[float, int] | None = None  # when the first trials ended

    def run(self) -> StudyResult:
        spec = self.plan.spec
        started = time.monotonic()
        with ProjectStore(self.project) as store:
            study_id = store.open_study(spec)
            try:
                store.drop_cancelled(spec.name)  # cut short by a cancel: run them again
                trials = store.trials(spec.name)
                strategy = make_strategy(spec, self.plan.context)
                for trial in trials:
                    strategy.tell(outcome_of(trial))
                total = planned_candidates(self.plan)
            except BaseException:
                store.abandon(spec.name)  # nothing was run: the study is left as it was
                raise
            plan = self.plan
            if strategy.extra_splits:  # halving on rows: the subsamples too
                context = plan.context
                plan = replace(plan, context=replace(
                    context, splits=[*context.splits, *strategy.extra_splits]))
            status = FINISHED
            new: list[TrialRecord] = []
            results = None
            # never more workers than cores, nor than the fits left to run
            fits = planned_fits(self.plan)
            if fits is not None and not strategy.stepped:
                fits = max(1, fits - len(trials) * self.plan.folds)
            jobs = plan_workers(self.jobs, fits).workers
            try:
                with self._executor_factory(plan, jobs) as executor:
                    status = self._loop(store, study_id, strategy, executor, trials, new, total,
                                        started)
                    if status == CANCELLED:  # don't wait for fits nobody wants any more
                        executor.shutdown(cancel=True)
                if self.plan.held_out is not None and status != CANCELLED:
                    results = score_held_out(self.plan, best_trial(store.trials(spec.name)))
                    store.save_results(spec.name, results)
            except BaseException as exc:
                # Stopped by the user (Ctrl-C, a kill) or after storing trials: resumable.
                # Failed before it stored a trial (a damaged file): left as it was.
                if new or isinstance(exc, KeyboardInterrupt):
                    store.set_status(spec.name, "interrupted")
                else:
                    store.abandon(spec.name)
                raise
            store.set_status(spec.name, "finished" if status == FINISHED else status)
            trials = store.trials(spec.name)
            if results is None:
                results = store.results(spec.name)
        return StudyResult(spec.name, self.project, status, tuple(trials), len(new),
                           time.monotonic() - started, results)

    def _loop(
        self, store: ProjectStore, study_id: int, strategy: Strategy, executor: Executor,
        stored: list[TrialRecord], new: list[TrialRecord], total: int | None, started: float,
    ) -> str:
        """Ask -> dispatch -> tell -> store, until the budget is spent, the strategy has
        nothing more, the time is up or the caller stops it; returns how it ended."""
        spec = self.plan.spec
        folds = self.plan.folds
        # One candidate at a time inline (so time limits and cancels are checked between
        # candidates); in a pool, enough queued folds that no worker waits for the next.
        depth = folds if executor.workers == 1 else max(2 * executor.workers,
                                                        executor.workers + folds)
        run = _Loop(strategy, FoldDispatcher(executor, depth, skip_after=spec.trial_time_limit),
                    folds, total, stored)
        while True:
            if self._should_stop():
                # Futures are left to the executor's killing shutdown: cancelling them first
                # trips loky's manager thread before it has killed the workers.
                self._store(store, study_id, run, run.cancel(), new, cancelled=True)
                return CANCELLED
            elapsed = time.monotonic() - started
            time_up = spec.time_limit is not None and elapsed >= spec.time_limit
            if not time_up:
                run.ask_and_dispatch()
            if run.dispatch.idle:
                return TIME_UP if time_up and (total is None or run.done < total) else FINISHED
            for key, result in run.dispatch.collect(timeout=0.25):
                self._store(store, study_id, run, run.tell(key, result), new)
            _stop_if_nothing_works(stored, new)
            self._report(run.done, total, len(run.in_flight), started, len(new), run.best,
                         run.fits)

    def _store(self, store: ProjectStore, study_id: int, run: _Loop,
               records: list[TrialRecord], new: list[TrialRecord], *,
               cancelled: bool = False) -> None:
        """Commit the settled trials in one transaction, then tell the strategy and the
        caller (what was reported is what survives a crash). Cancelled trials are handed
        back to the strategy, to be asked again on resume."""
        if not records:
            return
        store.save_trials(study_id, records)
        for record in records:
            if cancelled:
                run.strategy.forget(record.number)
            else:
                run.stored(record)
                new.append(record)
            self._on_trial(record)

    def _report(
        self, done: int, total: int | None, running: int, started: float, new: int,
        best: TrialRecord | None, fits: _Fits | None = None,
    ) -> None:
        now = time.monotonic()
        elapsed = now - started
        eta = None
        if new and self._first_done is None:
            self._first_done = (now, new)
        if fits is not None:  # trials settle in bursts under halving: count the fits
            if fits.new:
                eta = elapsed / fits.new * fits.left
        elif new and total is not None:
            # The pace since the first trials ended: the workers' start-up and the first
            # wave's latency do not count (until more end, all that is known is theirs).
            since, first = self._first_done
            pace = (now - since) / (new - first) if new > first else elapsed / new
            eta = pace * max(0, total - done)
        if self.plan.spec.time_limit is not None:
            left = max(0.0, self.plan.spec.time_limit - elapsed)
            eta = left if eta is None else min(eta, left)
        self._on_progress(Progress(done, total, running, elapsed, eta, best))


class _Loop:
    """One run's trials in flight and what it has settled: the strategy's side of the
    loop (which candidates to ask, what a fold's result settles)."""

    def __init__(self, strategy: Strategy, dispatch: FoldDispatcher, folds: int,
                 total: int | None, stored: list[TrialRecord]) -> None:
        self.strategy, self.dispatch, self.folds, self.total = strategy, dispatch, folds, total
        self.in_flight: dict[int, _InFlight] = {}
        self.best = best_trial(stored)
        self.done = len(stored)
        self.exhausted = False
        self.fits = _Fits(strategy, stored) if strategy.stepped else None

    def ask_and_dispatch(self) -> None:
        """Ask for candidates and submit their splits while the dispatcher has room and the
        budget allows."""
        stepped, total = self.strategy.stepped, self.total
        while (
            not self.exhausted and self.dispatch.has_room()
            and (stepped or total is None or self.done + len(self.in_flight) < total)
        ):
            asked = self.strategy.ask(1)
            if not asked:
                # a stepped strategy has more to ask once the steps in flight are back
                self.exhausted = not stepped
                return
            candidate = asked[0]
            trial = self.in_flight.get(candidate.number)
            if trial is None:
                trial = self.in_flight[candidate.number] = _InFlight(candidate.params,
                                                                     time.time())
            splits = range(self.folds) if candidate.splits is None else candidate.splits
            trial.waiting = set(splits)
            for split in splits:
                self.dispatch.submit(candidate.number, trial.params, split)

    def tell(self, key: tuple[int, int], result: FoldResult) -> list[TrialRecord]:
        """A fold is back: the records of the trials that settles (once its step is whole,
        the strategy decides; a strategy that is not stepped settles the trial itself)."""
        number, split = key
        trial = self.in_flight[number]
        fold = split % self.folds  # splits past the folds are subsamples of fold t % folds
        trial.folds[fold] = result if fold == split else replace(result, fold=fold)
        trial.waiting.discard(split)
        if self.fits is not None:
            self.fits.add(split)
        if trial.waiting:
            return []
        settled = self.strategy.report(number, trial.score)
        return [_record(item, self.in_flight.pop(item.number)) for item in settled]

    def stored(self, record: TrialRecord) -> None:
        """A settled trial is committed: the strategy learns it, and it may be the best."""
        self.strategy.tell(outcome_of(record))
        self.done += 1
        if record.state is TrialState.COMPLETE and (
            self.best is None or record.mean_test_score > self.best.mean_test_score
        ):
            self.best = record

    def cancel(self) -> list[TrialRecord]:
        """The records of the trials still in flight when the run was stopped."""
        return [_cancelled(number, trial) for number, trial in self.in_flight.items()]


class _Fits:
    """Work done and planned, in full-data fits, for a stepped strategy's ETA (its trials
    settle in bursts, and on rows its early fits are small)."""

    def __init__(self, strategy: Strategy, stored: list[TrialRecord]) -> None:
        self._strategy = strategy
        self.planned = strategy.planned_work or 0.0
        # the work of the trials stored by earlier runs
        self.before = sum(stored_work(t)[1] for t in stored)
        self.new = 0.0  # work received in this run

    def add(self, split: int) -> None:
        self.new += self._strategy.work_of(split)

    @property
    def left(self) -> float:
        return max(0.0, self.planned - self.before - self.new)


def _record(settled: Settled, trial: _InFlight) -> TrialRecord:
    """The stored record of a settled trial: its folds so far, in the state decided."""
    record = trial_from_folds(settled.number, trial.params, list(trial.folds.values()),
                              trial.started_at, time.time())
    if settled.state == "PRUNED" and record.state is TrialState.COMPLETE:
        record = replace(record, state=TrialState.PRUNED)
    return replace(record, attrs=settled.attrs) if settled.attrs else record


def _cancelled(number: int, trial: _InFlight) -> TrialRecord:
    """The stored record of a trial still running when its study was cancelled."""
    record = trial_from_folds(number, trial.params, list(trial.folds.values()),
                              trial.started_at, time.time())
    return replace(record, state=TrialState.CANCELLED, error=(
        f"cancelled before it finished ({len(record.folds)} fold(s) had run); resuming "
        "the study runs it again"))


ALL_FAILED_STOP = 20  # trials of one run that all failed, with none ever completed


class AllTrialsFailed(RuntimeError):
    """Every trial of this run failed, and none ever completed: the study stops (its
    trials are kept; it is resumable) with the causes in one sentence."""


def _stop_if_nothing_works(stored: list[TrialRecord], new: list[TrialRecord]) -> None:
    """Stop a search that cannot work (a setting every model rejects, data no model can
    fit) after ALL_FAILED_STOP failures, instead of failing its whole budget."""
    if len(new) < ALL_FAILED_STOP or any(t.state is not TrialState.FAIL for t in new) or any(
            t.state is not TrialState.FAIL for t in stored):
        return
    from .failures import describe_failures, failure_causes

    causes = "; ".join(describe_failures(failure_causes(new), most=2))
    raise AllTrialsFailed(
        f"The study stopped: its first {len(new)} trials all failed ({causes}). Fix the "
        "cause (the data, the search space or the model) and run it again; the failed "
        "trials are kept with their reasons.")


def score_held_out(plan: StudyPlan, trial: TrialRecord | None) -> dict[str, Any]:
    """The chosen trial refit on all the searched rows and scored once on the held-out
    rows (the test set, or the outer fold of nested cross-validation)."""
    from .evaluate import evaluate_fold

    assert plan.held_out is not None
    train, test = plan.held_out.splits[0]
    results: dict[str, Any] = {
        "test_trial": None, "test_score": None, "test_train_score": None,
        "test_error": None, "test_rows": len(test), "train_rows": len(train),
    }
    if plan.spec.outer is not None:
        results.update(outer=plan.spec.outer, nested=plan.spec.nested)
    if trial is None:
        results["test_error"] = "No trial completed, so none was scored on the held-out rows."
        return results
    fold = evaluate_fold(plan.held_out, trial.number, trial.params, 0)
    results.update(test_trial=trial.number, test_score=fold.test_score,
                   test_train_score=fold.train_score, test_error=fold.error)
    return results


def run_study(plan: StudyPlan, project: str | Path, **options: Any) -> StudyResult:
    """Run (or resume) a planned study; see StudyRunner for the options."""
    return StudyRunner(plan, project, **options).run()
