"""How many fits each search strategy needs to come within 0.5 points of the full grid's best.

For each case (a scikit-learn bundled data set written to CSV, a model of the catalog,
a space of a few hundred grid candidates) and each seed, the engine first runs the whole
grid (the seed sets the folds and the model's random_state, so the grid is run per seed);
then each strategy runs on the same space, folds and seed, with at most as many trials
as the grid has candidates, and stops as soon as its running best (the best mean
validation score of a trial evaluated on every fold) is within 0.5 points of the grid's
best (0.005 on scikit-learn's 0-1 scale). What counts is the fits it ran until then:
every (trial, fold) fit the executor finished, including those of trials not settled
yet, so a strategy that stops weak trials after a few folds (halving) is charged for
exactly what it ran, not trials x folds. With one job this count is exact; with more,
it may include the odd fit that finished in the same instant.

Ints are ranges whose grid is every value; floats are log ranges whose grid takes
``grid_points`` log-spread values, while the other strategies draw from the continuous
range (as a user would set them up). Printed: per case, each strategy's median over the
seeds of (fits to reach / the grid's fits), how many seeds reached it, and whether the
goal (TPE at most 0.25 of the grid's fits) is met. A strategy the engine does not know
(yet) is reported as not available and skipped. Run from the repository root:

    python bench/efficiency.py            # 5 seeds, 4 cases; about 4 minutes on 2 cores
    python bench/efficiency.py --quick    # 3 seeds, smaller grids; about a minute
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The strategies compared with the grid; adding one is adding its name here.
STRATEGIES = ["random", "tpe", "evolution", "halving"]
GOAL_STRATEGY, GOAL = "tpe", 0.25
WITHIN = 0.005  # 0.5 percentage points on scikit-learn's 0-1 scale


@dataclass(frozen=True)
class Case:
    """One data set, one model, one space."""

    name: str
    loader: str  # a sklearn.datasets loader
    model: str
    space: dict[str, Any]
    scoring: str


def cases(quick: bool) -> list[Case]:
    """Three classifiers and a regressor on bundled data; smaller grids with ``--quick``."""
    def ints(low: int, high: int) -> dict[str, Any]:
        return {"type": "int", "low": low, "high": high, "grid_points": high - low + 1}

    def logs(low: float, high: float, points: int) -> dict[str, Any]:
        return {"type": "float", "low": low, "high": high, "log": True, "grid_points": points}

    knn = {"n_neighbors": ints(1, 25 if quick else 50),
           "weights": {"type": "categorical", "choices": ["uniform", "distance"]}}
    if not quick:
        knn["p"] = {"type": "categorical", "choices": [2, 1]}
    return [
        Case("SVC / wine", "load_wine", "SVC",
             {"C": logs(1e-2, 1e3, 8 if quick else 15),
              "gamma": logs(1e-4, 1e1, 8 if quick else 15)}, "accuracy"),
        Case("k-NN / breast cancer", "load_breast_cancer", "KNeighborsClassifier", knn,
             "accuracy"),
        Case("tree / digits", "load_digits", "DecisionTreeClassifier",
             {"max_depth": ints(1, 8 if quick else 15),
              "min_samples_leaf": ints(1, 8)}, "accuracy"),
    ] + ([] if quick else [
        Case("tree / diabetes", "load_diabetes", "DecisionTreeRegressor",
             {"max_depth": ints(1, 10), "min_samples_leaf": ints(1, 30)}, "r2"),
    ])


def write_data(case: Case, folder: Path) -> Path:
    """The bundled data set as the CSV a user would load."""
    import sklearn.datasets

    frame = getattr(sklearn.datasets, case.loader)(as_frame=True).frame
    path = folder / f"{case.loader}.csv"
    if not path.exists():
        frame.to_csv(path, index=False)
    return path


def available(strategy: str) -> str | None:
    """None when the engine knows the strategy, else why it is skipped."""
    from hpt_gui.core.spec import STRATEGIES as KNOWN

    return None if strategy in KNOWN else "not available (unknown to this engine)"


@dataclass
class Run:
    """One strategy on one seed: fits until the target was reached (None: never)."""

    fits_to_reach: int | None
    fits_run: int
    best: float | None
    seconds: float


def run_search(
    case: Case, data: Path, strategy: str, seed: int, folder: Path, jobs: int,
    trials: int | None, target: float | None,
) -> tuple[Run, Any]:
    """Run one study; stop once a complete trial scores at least ``target``."""
    from hpt_gui.core.executor import make_executor
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.space import SearchSpace
    from hpt_gui.core.store import TrialState
    from hpt_gui.core.study import plan_study

    plan = plan_study(data=data, target="target", model=case.model,
                      space=SearchSpace.from_json(case.space), strategy=strategy,
                      trials=trials, cv=5, seed=seed, scoring=case.scoring,
                      name=f"{strategy}-{seed}")
    fits = 0  # fold fits that have finished, whether or not their trial is settled yet
    best: float | None = None
    reached: list[int] = []

    def count(future: Future) -> None:
        nonlocal fits
        if not future.cancelled():
            fits += 1

    def counting_executor(plan: Any, jobs: int) -> Any:
        """The runner's own executor, counting every fit it finishes: a halving trial
        is reported only once settled, after fits of trials still in the race ran."""
        executor = make_executor(plan.context, jobs)
        submit = executor.submit

        def counted(number: int, params: Any, fold: int) -> Future:
            future = submit(number, params, fold)
            future.add_done_callback(count)
            return future

        executor.submit = counted  # type: ignore[method-assign]
        return executor

    def on_trial(trial: Any) -> None:
        nonlocal best
        score = trial.mean_test_score
        # Only a complete trial scored on every fold counts: a pruned one's mean is partial.
        if (score is not None and trial.state is TrialState.COMPLETE
                and len(trial.folds) == plan.folds and (best is None or score > best)):
            best = score
        if target is not None and not reached and best is not None and best >= target:
            reached.append(fits)

    start = time.perf_counter()
    project = Path(tempfile.mkstemp(suffix=".hpt", dir=folder)[1])  # a fresh study each time
    project.unlink()
    run_study(plan, project, jobs=jobs, on_trial=on_trial, should_stop=lambda: bool(reached),
              executor_factory=counting_executor)
    run = Run(reached[0] if reached else None, fits, best, time.perf_counter() - start)
    return run, plan


def bench_case(case: Case, seeds: list[int], folder: Path, jobs: int,
               say: Callable[[str], None]) -> dict[str, Any]:
    """Every strategy on every seed of one case: fractions of the grid's fits."""
    from hpt_gui.core.space import SearchSpace

    data = write_data(case, folder)
    size = len(SearchSpace.from_json(case.space).grid())
    grid_fits = size * 5
    say(f"\n[{case.name}] {case.model}, {size} grid candidates x 5 folds = {grid_fits} fits; "
        f"seeds {seeds}")
    fractions: dict[str, list[float]] = {name: [] for name in STRATEGIES}
    skipped: dict[str, str] = {}
    grid_best = []
    for seed in seeds:
        grid, _ = run_search(case, data, "grid", seed, folder, jobs, None, None)
        assert grid.best is not None and grid.fits_run == grid_fits
        grid_best.append(grid.best)
        target = grid.best - WITHIN
        line = [f"seed {seed}: grid best {grid.best:.4f} ({grid.seconds:.1f} s)"]
        for strategy in STRATEGIES:
            why = skipped.get(strategy) or available(strategy)
            if why is not None:
                skipped[strategy] = why
                continue
            try:
                run, _ = run_search(case, data, strategy, seed, folder, jobs, size, target)
            except ValueError as exc:  # the engine refused its settings: say so, go on
                skipped[strategy] = f"not available ({exc})"
                continue
            fraction = math.inf if run.fits_to_reach is None else run.fits_to_reach / grid_fits
            fractions[strategy].append(fraction)
            shown = "never" if run.fits_to_reach is None else f"{run.fits_to_reach}"
            line.append(f"{strategy} {shown} ({run.seconds:.1f} s)")
        say(", ".join(line))
    return {"case": case, "grid_fits": grid_fits, "fractions": fractions,
            "skipped": skipped, "grid_best": grid_best}


def summarize(results: list[dict[str, Any]], say: Callable[[str], None]) -> bool:
    """The table of median fractions; True when the goal is met on every case."""
    say("\nfits to come within 0.5 points of the grid's best, as a fraction of the grid's "
        "fits (median over seeds; [reached in k of n seeds]):")
    say(f"{'case':<22}" + "".join(f"{name:>18}" for name in STRATEGIES))
    met_everywhere = True
    goal_medians = []
    for result in results:
        cells = []
        for name in STRATEGIES:
            values = result["fractions"][name]
            if name in result["skipped"] and not values:
                cells.append("n/a")
                continue
            median = statistics.median(values)
            reached = sum(math.isfinite(v) for v in values)
            shown = "never" if not math.isfinite(median) else f"{median:.3f}"
            cells.append(f"{shown} [{reached}/{len(values)}]")
            if name == GOAL_STRATEGY:
                goal_medians.append(median)
                met_everywhere &= median <= GOAL
        say(f"{result['case'].name:<22}" + "".join(f"{cell:>18}" for cell in cells))
    for name, why in sorted({(n, w) for r in results for n, w in r["skipped"].items()}):
        say(f"{name}: {why}")
    for result in results:
        for name in STRATEGIES:
            values = result["fractions"][name]
            if values and not any(math.isfinite(v) for v in values):
                say(f"{name} never came within 0.5 points on {result['case'].name}.")
    if goal_medians:
        overall = statistics.median(goal_medians)
        say(f"\ngoal: {GOAL_STRATEGY} needs at most {GOAL:g} of the grid's fits: median "
            f"over cases {overall:.3f}; per case "
            + ", ".join(f"{v:.3f}" if math.isfinite(v) else "never" for v in goal_medians)
            + f" -> {'met on every case' if met_everywhere else 'NOT met on every case'}")
    return met_everywhere


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seeds", type=int, default=None, help="default 5 (3 with --quick)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="worker processes per study (default 1: these fits take "
                             "milliseconds, and one job keeps each run deterministic)")
    args = parser.parse_args()
    seeds = list(range(args.seeds or (3 if args.quick else 5)))
    started = time.perf_counter()
    # One native thread per fit (set before scikit-learn loads its OpenMP runtime): these
    # fits take milliseconds, and on a machine whose cores are busy OpenMP's waiting
    # threads made k-NN ten times slower (measured).
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    with tempfile.TemporaryDirectory() as tmp:
        results = [bench_case(case, seeds, Path(tmp), args.jobs, print)
                   for case in cases(args.quick)]
    summarize(results, print)
    print(f"({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
