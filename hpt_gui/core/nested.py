"""Nested cross-validation: the whole search run inside each outer fold, for an honest
estimate of how good the tuned model is.

For each of the K outer folds, the study's search (same strategy, budget, validation
scheme and seed) runs on the outer fold's training rows only, as a study of its own named
``NAME [outer k/K]``; its best trial is refit on those rows and scored once on the outer
fold (``runner.score_held_out``). The K outer scores are the estimate: their mean and
spread. Then the same search runs on all the rows as the study ``NAME``, which gives the
model to keep; the estimate is stored with it (``ProjectStore.save_results``). Every
search is an ordinary study in the project file, so a nested run that is stopped resumes
where it was, study by study, by running it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from .records import TrialRecord
from .runner import CANCELLED, FINISHED, TIME_UP, Progress, StudyResult, run_study
from .store import ProjectStore
from .study import StudyPlan, plan_for, planned_candidates


def outer_name(name: str, outer: int, folds: int) -> str:
    return f"{name} [outer {outer}/{folds}]"


def outer_plans(plan: StudyPlan) -> list[StudyPlan]:
    """The plans of the K outer searches of a nested plan (checked now, before any runs)."""
    spec = plan.spec
    if spec.nested is None or spec.outer is not None:
        raise ValueError("outer_plans needs the plan of a nested study's final search")
    return [
        plan_for(replace(spec, name=outer_name(spec.name, k, spec.nested), outer=k),
                 plan.dataset)
        for k in range(1, spec.nested + 1)
    ]


def nested_estimate(outer: list[StudyResult]) -> dict[str, Any]:
    """The outer folds' scores, their mean and standard deviation (as ``std_test_score``:
    numpy's, over the folds that have a score)."""
    scores = [result.test_score for result in outer]
    present = [score for score in scores if score is not None]
    return {
        "nested_scores": scores,
        "nested_mean": float(np.mean(present)) if present else None,
        "nested_std": float(np.std(present)) if present else None,
        "nested_trials": [result.test_trial for result in outer],
        "nested_params": [_params(result) for result in outer],
        "nested_studies": [result.spec_name for result in outer],
    }


def _params(result: StudyResult) -> dict[str, Any] | None:
    chosen = next((t for t in result.trials if t.number == result.test_trial), None)
    return chosen.params if chosen is not None else None


def _already_done(step: StudyPlan, project: str | Path) -> StudyResult | None:
    """The stored result of a search that ended (its budget or its time limit) with the
    same budget, or None. A resumed nested run goes on where it stopped: a search that
    ran out of time is not given another time limit, which would tune the outer folds
    unequally."""
    if not Path(project).is_file():
        return None
    name = step.spec.name
    with ProjectStore(project) as store:
        row = store.find_study(name)
        if row is None or row.status not in (FINISHED, TIME_UP) or \
                (row.spec.trials, row.spec.time_limit) != (step.spec.trials,
                                                           step.spec.time_limit):
            return None
        results = store.results(name)
        if step.held_out is not None and results is None:
            return None  # ended before its outer fold was scored
        trials = tuple(store.trials(name))
    return StudyResult(name, Path(project), row.status, trials, 0, 0.0, results)


def run_nested(
    plan: StudyPlan,
    project: str | Path,
    *,
    jobs: int = 1,
    on_trial: Callable[[str, TrialRecord], None] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    on_study: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    executor_factory: Callable[[StudyPlan, int], Any] | None = None,
) -> StudyResult:
    """Run (or resume) the K outer searches, then the final one; the final study's result
    carries the estimate in ``results``. A cancelled run returns the result of the search
    it stopped in (status ``cancelled``).

    ``on_trial`` gets the name of the study each trial belongs to; ``on_progress`` counts
    the trials of all K + 1 searches together; ``on_study`` is told each study's name as
    it starts.
    """
    plans = [*outer_plans(plan), plan]
    per_search = planned_candidates(plan)
    total = per_search * len(plans) if per_search is not None else None
    report = on_progress or (lambda progress: None)
    outer: list[StudyResult] = []
    finished_trials = 0
    elapsed = 0.0
    for index, step in enumerate(plans):
        name = step.spec.name
        if on_study is not None:
            on_study(name)

        def progress(p: Progress, before: int = finished_trials, spent: float = elapsed,
                     searches_done: int = index) -> None:
            done = before + p.done
            eta = None
            if p.eta is not None:  # the searches still to come take as long as these did
                left = len(plans) - searches_done - 1
                eta = p.eta + left * (spent + p.elapsed) / (searches_done + 1)
            report(Progress(done, total, p.running, spent + p.elapsed, eta, p.best))

        result = _already_done(step, project) or run_study(
            step, project, jobs=jobs,
            on_trial=(lambda trial, name=name: on_trial(name, trial)) if on_trial else None,
            on_progress=progress, should_stop=should_stop, executor_factory=executor_factory,
        )
        if result.status == CANCELLED:
            return result
        finished_trials += len(result.trials)
        elapsed += result.elapsed
        if step is not plan:
            outer.append(result)
    estimate = nested_estimate(outer)
    with ProjectStore(project) as store:
        store.save_results(plan.spec.name, estimate)
    return replace(result, results=estimate, elapsed=elapsed)


__all__ = ["nested_estimate", "outer_name", "outer_plans", "run_nested"]
