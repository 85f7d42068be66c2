"""Successive halving against the full grid: the same candidates, the same folds.

Runs the grid (every candidate on every fold), then successive halving on folds and on
rows over the very same grid points and splits, and prints for each halving its wall
time ratio (grid / halving; goal >= 3) and the points of best score it lost (grid's best
mean CV score minus halving's best, x 100; goal <= 0.5). Halving's best is a complete
trial, scored on every fold with every row, so the two bests compare directly. Run from
the repository root:

    python bench/halving.py            # a few minutes on 2 cores
    python bench/halving.py --quick    # a few seconds, to check it runs
    python bench/halving.py --cv 10    # ten folds: three rungs on folds
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's hpt_gui


def make_data(folder: Path, rows: int) -> Path:
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=rows, n_features=20, n_informative=8,
                               flip_y=0.05, random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["label"] = y
    path = folder / "bench.csv"
    frame.to_csv(path, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, help="worker processes (default 2; 1 with --quick, "
                        "where starting a pool would take longer than the fits)")
    parser.add_argument("--factor", type=float, default=3)
    parser.add_argument("--cv", type=int, help="folds (default 5; 3 with --quick): with "
                        "more folds, halving on folds has more rungs to save on")
    parser.add_argument("--rows", type=int, help="rows of the made-up table (default 4,000)")
    args = parser.parse_args()
    args.jobs = args.jobs or (1 if args.quick else 2)

    from hpt_gui.core.runner import run_study
    from hpt_gui.core.space import SearchSpace
    from hpt_gui.core.strategies.halving import describe_saving, halving_saving
    from hpt_gui.core.study import describe_cost, plan_study

    rows = args.rows or (600 if args.quick else 4000)
    grid = ({"n_estimators": [10, 20], "max_depth": [2, 8], "min_samples_leaf": [1, 20]}
            if args.quick else
            {"n_estimators": [25, 50, 100], "max_depth": [2, 4, 8],
             "min_samples_leaf": [1, 5, 20], "max_features": ["sqrt", 0.5, 1.0]})
    folds, seed = args.cv or (3 if args.quick else 5), 7
    space = SearchSpace.from_json(
        {name: {"type": "categorical", "choices": values} for name, values in grid.items()})
    factor = int(args.factor) if args.factor == int(args.factor) else args.factor
    with tempfile.TemporaryDirectory() as tmp:
        data = make_data(Path(tmp), rows)

        def plan(strategy: str, **options: object) -> object:
            return plan_study(data=data, target="label", model="RandomForestClassifier",
                              space=space, strategy=strategy, cv=folds, seed=seed,
                              scoring="accuracy", name=strategy,
                              options={"factor": factor, **options} if options else None)

        runs = {"grid": plan("grid"),
                "halving on folds": plan("halving", resource="folds"),
                "halving on rows": plan("halving", resource="rows")}
        print(f"{rows:,} rows x 20 features, RandomForestClassifier, {len(space.grid())} "
              f"candidates, {folds}-fold CV, {args.jobs} jobs")
        results = {}
        for name, study in runs.items():
            print(f"  {name}: {describe_cost(study)}")
            started = time.perf_counter()
            result = run_study(study, Path(tmp) / f"{name.replace(' ', '_')}.hpt",
                               jobs=args.jobs)
            results[name] = (time.perf_counter() - started, result)
        grid_time, grid_result = results["grid"]
        grid_best = grid_result.best.mean_test_score
        print(f"grid: {grid_time:.1f} s, best accuracy {grid_best:.4f} "
              f"(trial {grid_result.best.number})")
        for name in ("halving on folds", "halving on rows"):
            seconds, result = results[name]
            best = result.best
            saving = describe_saving(halving_saving(runs[name].spec, result.trials))
            lost = 100 * (grid_best - best.mean_test_score)
            print(f"{name}: {seconds:.1f} s, best accuracy {best.mean_test_score:.4f} "
                  f"(trial {best.number}); {saving}")
            print(f"  speed-up (grid time / halving time): {grid_time / seconds:.2f}x "
                  f"(goal >= 3); points lost: {lost:+.2f} (goal <= 0.5)")


if __name__ == "__main__":
    main()
