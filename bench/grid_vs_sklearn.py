"""The same grid through hpt-gui's engine and through GridSearchCV(n_jobs=2), same splits.

Two cases, each printing the wall-time ratio (engine / scikit-learn) and the largest
per-fold score difference, test and train (should be 0):

- plain: numbers only, a random forest grid; the work is the same on both sides
  (goal: ratio <= 1.05);
- preprocessing: a mixed table of numbers and text with missing values, so imputation
  and one-hot encoding run inside every fold, and a cheap decision-tree grid. Both sides
  run hpt-gui's own Pipeline/ColumnTransformer; GridSearchCV refits it for every
  (candidate, fold), the engine's workers fit it once per fold and reuse it
  (``hpt_gui.core.prepcache``); goal: ratio below 1.0. The share of fits that reused
  their preprocessing is printed beside the best possible share (each worker has to
  prepare each fold once).

Both sides compute train scores and neither refits, so they do the same work apart from
what the cache saves. Beside the wall time, the CPU time of each side (its process and
its worker processes) is compared: on a machine others are using too, wall times swing
from run to run, CPU times much less. Run from the repository root:

    python bench/grid_vs_sklearn.py              # two to three minutes on 2 cores
    python bench/grid_vs_sklearn.py --quick      # a few seconds, to check it runs
    python bench/grid_vs_sklearn.py --case preprocessing --without-cache
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class Case:
    """One comparison: the data, the model on both sides and its grid."""

    name: str
    data: Path
    model: str  # the catalog name the engine uses
    grid: dict[str, list[Any]]
    goal: float
    describe: str


def plain_case(folder: Path, quick: bool) -> Case:
    """Numbers only, a random forest: both sides do exactly the same work."""
    from sklearn.datasets import make_classification

    rows = 800 if quick else 4000
    X, y = make_classification(n_samples=rows, n_features=20, n_informative=8,
                               random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["label"] = y
    path = folder / "plain.csv"
    frame.to_csv(path, index=False)
    grid = {"n_estimators": [20, 60] if quick else [100, 200],
            "max_depth": [4, 8, None], "min_samples_leaf": [1, 5]}
    return Case("plain", path, "RandomForestClassifier", grid, 1.05,
                f"{rows:,} rows x 20 numbers, RandomForestClassifier")


def preprocessing_case(folder: Path, quick: bool) -> Case:
    """Numbers and text with holes: preprocessing costs more than the tree it feeds."""
    rows = 1500 if quick else 10_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"num{i}": rng.normal(size=rows) for i in range(8)})
    for j in range(8):
        frame[f"cat{j}"] = rng.choice([f"level_{j}_{k}" for k in range(25)], rows)
    signal = (frame["num0"] + 0.5 * frame["num1"] - 0.7 * frame["num2"]
              + frame["cat0"].isin(["level_0_1", "level_0_2", "level_0_3"]) * 1.5
              + rng.normal(0, 1, rows))
    for column in list(frame.columns):
        frame.loc[rng.random(rows) < 0.08, column] = np.nan
    frame["label"] = np.where(signal > 0, "yes", "no")
    path = folder / "mixed.csv"
    frame.to_csv(path, index=False)
    grid = ({"max_depth": [2, 4, None], "min_samples_leaf": [1, 20]} if quick else
            {"max_depth": [2, 3, 4, 5, 6, 8, 10, None], "min_samples_leaf": [1, 5, 20, 50]})
    return Case("preprocessing", path, "DecisionTreeClassifier", grid, 1.0,
                f"{rows:,} rows x (8 numbers + 8 text columns, 8% missing), impute + one-hot,"
                " DecisionTreeClassifier")


def compare(case: Case, folder: Path, jobs: int, repeats: int, folds: int,
            without_cache: bool) -> float:
    """Run the case's grid on both sides ``repeats`` times; print and return the median
    ratio (engine / scikit-learn)."""
    from joblib.externals.loky import get_reusable_executor
    from sklearn.model_selection import GridSearchCV

    from hpt_gui.core.catalog import get_model
    from hpt_gui.core.pipeline import build_pipeline
    from hpt_gui.core.runner import run_study
    from hpt_gui.core.space import SearchSpace
    from hpt_gui.core.study import plan_study

    seed = 7
    space = SearchSpace.from_json(
        {name: {"type": "categorical", "choices": values} for name, values in case.grid.items()}
    )
    plan = plan_study(data=case.data, target="label", model=case.model, space=space,
                      strategy="grid", cv=folds, seed=seed, scoring="accuracy", name=case.name)
    context = plan.context
    candidates = len(space.grid())
    fits = candidates * folds
    print(f"\n[{case.name}] {case.describe}: {candidates} candidates x {folds} folds = "
          f"{fits} fits, {jobs} jobs")
    # Both sides get the engine's table, pipeline and splits, so the scores can be equal.
    pipeline = build_pipeline(get_model(case.model), {}, seed, context.numeric,
                              context.categorical)
    sklearn_grid = {f"model__{name}": values for name, values in case.grid.items()}

    def run_sklearn() -> Any:
        return GridSearchCV(pipeline, sklearn_grid, scoring="accuracy",
                            cv=list(context.splits), n_jobs=jobs, return_train_score=True,
                            refit=False).fit(context.X, context.y)

    ratios: list[float] = []
    cpu_ratios: list[float] = []
    for repeat in range(repeats):
        reused: list[bool] = []

        def run_engine(project: Path = folder / f"{case.name}{repeat}.hpt",
                       reused: list[bool] = reused) -> Any:
            return run_study(plan, project, jobs=jobs, on_trial=lambda trial: reused.extend(
                fold.reused_preprocessing for fold in trial.folds))

        # Alternate which side goes first, so neither always gets a warmer machine.
        order = [run_sklearn, run_engine] if repeat % 2 == 0 else [run_engine, run_sklearn]
        seconds: dict[Callable[[], Any], float] = {}
        cpu: dict[Callable[[], Any], float] = {}
        outcomes = {}
        for side in order:
            # Both sides start their worker processes cold, as a user's first search does.
            get_reusable_executor().shutdown(wait=True, kill_workers=True)
            cpu_start = cpu_seconds()
            start = time.perf_counter()
            outcomes[side] = side()
            seconds[side] = time.perf_counter() - start
            # The engine's pool has ended by now; end scikit-learn's (untimed) so that its
            # workers' CPU time is counted too.
            get_reusable_executor().shutdown(wait=True)
            cpu[side] = cpu_seconds() - cpu_start
        search, result = outcomes[run_sklearn], outcomes[run_engine]
        worst = largest_difference(search, result, case.grid)
        ratio = seconds[run_engine] / seconds[run_sklearn]
        ratios.append(ratio)
        cpu_ratios.append(cpu[run_engine] / cpu[run_sklearn])
        hit = sum(reused) / len(reused) if reused else 0.0
        best_hit = max(0.0, 1 - min(jobs, candidates) * folds / fits)
        print(f"run {repeat + 1}: scikit-learn {seconds[run_sklearn]:.2f} s, hpt-gui "
              f"{seconds[run_engine]:.2f} s, ratio {ratio:.3f}, largest score difference "
              f"{worst:.1e}; CPU {cpu[run_sklearn]:.1f} s vs {cpu[run_engine]:.1f} s, ratio "
              f"{cpu_ratios[-1]:.3f}; preprocessing reused in {hit:.0%} of fits (at best "
              f"{best_hit:.0%})")
    if without_cache:
        before = os.environ.get("HPT_GUI_PREPROCESS_CACHE_MB")
        os.environ["HPT_GUI_PREPROCESS_CACHE_MB"] = "0"  # the workers inherit it
        try:
            start = time.perf_counter()
            run_study(plan, folder / f"{case.name}-nocache.hpt", jobs=jobs)
            print(f"hpt-gui without the preprocessing cache: "
                  f"{time.perf_counter() - start:.2f} s")
        finally:
            if before is None:
                del os.environ["HPT_GUI_PREPROCESS_CACHE_MB"]
            else:
                os.environ["HPT_GUI_PREPROCESS_CACHE_MB"] = before
    median = float(np.median(ratios))
    print(f"[{case.name}] ratio (hpt-gui / scikit-learn): wall time {median:.3f}, CPU time "
          f"{float(np.median(cpu_ratios)):.3f} (medians of {len(ratios)}; goal "
          f"{'below' if case.goal == 1.0 else '<='} {case.goal:g})")
    return median


def cpu_seconds() -> float:
    """User + system CPU time of this process and its ended children (the worker pools):
    a measure of the work done that other programs on a busy machine do not inflate."""
    import resource

    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def largest_difference(search: Any, result: Any, grid: dict[str, list[Any]]) -> float:
    """The largest |engine - GridSearchCV| over every fold's test and train score."""
    ours = {tuple(t.params[n] for n in grid): t for t in result.trials}
    worst = 0.0
    for i, params in enumerate(search.cv_results_["params"]):
        trial = ours[tuple(params[f"model__{n}"] for n in grid)]
        for k, fold in enumerate(trial.folds):
            for kind, value in (("test", fold.test_score), ("train", fold.train_score)):
                theirs = search.cv_results_[f"split{k}_{kind}_score"][i]
                worst = max(worst, abs(value - theirs) if value is not None else np.inf)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--case", choices=("plain", "preprocessing", "both"), default="both")
    parser.add_argument("--without-cache", action="store_true",
                        help="also time the engine with the preprocessing cache off")
    args = parser.parse_args()
    folds = 3 if args.quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        makers = {"plain": plain_case, "preprocessing": preprocessing_case}
        names = list(makers) if args.case == "both" else [args.case]
        ratios = {}
        for name in names:
            case = makers[name](folder, args.quick)
            ratios[name] = (compare(case, folder, args.jobs, args.repeats, folds,
                                    args.without_cache), case.goal)
    print("\nsummary (hpt-gui / scikit-learn):")
    for name, (ratio, goal) in ratios.items():
        met = ratio < goal if goal == 1.0 else ratio <= goal
        print(f"  {name:<14} {ratio:.3f}  goal {'<' if goal == 1.0 else '<='} {goal:g}: "
              f"{'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
