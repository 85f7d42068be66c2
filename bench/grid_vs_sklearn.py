"""The same grid through hpt-gui's engine and through GridSearchCV(n_jobs=2), same splits.

Prints the wall-time ratio (engine / scikit-learn; goal <= 1.05) and the largest per-fold
score difference (should be 0). Both sides compute train scores and neither refits, so
they do the same work. Run from the repository root:

    python bench/grid_vs_sklearn.py            # about half a minute per side on 2 cores
    python bench/grid_vs_sklearn.py --quick    # a few seconds, to check it runs
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_data(folder: Path, rows: int) -> Path:
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=rows, n_features=20, n_informative=8,
                               random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["label"] = y
    path = folder / "bench.csv"
    frame.to_csv(path, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()

    from joblib.externals.loky import get_reusable_executor
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    from hpt_gui.core.runner import run_study
    from hpt_gui.core.space import SearchSpace
    from hpt_gui.core.study import plan_study

    rows = 800 if args.quick else 4000
    grid = {"n_estimators": [20, 60] if args.quick else [100, 200],
            "max_depth": [4, 8, None], "min_samples_leaf": [1, 5]}
    seed, folds = 7, 5
    space = SearchSpace.from_json(
        {name: {"type": "categorical", "choices": values} for name, values in grid.items()}
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = make_data(Path(tmp), rows)
        frame = pd.read_csv(data)
        y = frame.pop("label")
        plan = plan_study(data=data, target="label", model="RandomForestClassifier", space=space,
                          strategy="grid", cv=folds, seed=seed, scoring="accuracy", name="bench")
        fits = len(space.grid()) * folds
        print(f"{rows:,} rows x 20 features, RandomForestClassifier, {len(space.grid())} "
              f"candidates x {folds} folds = {fits} fits, {args.jobs} jobs")
        ratios = []
        for repeat in range(args.repeats):
            def run_sklearn():
                # Both sides start their worker processes cold, as a user's first search does.
                get_reusable_executor().shutdown(wait=True, kill_workers=True)
                return GridSearchCV(
                    RandomForestClassifier(random_state=seed), grid, scoring="accuracy",
                    cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
                    n_jobs=args.jobs, return_train_score=True, refit=False,
                ).fit(frame, y)

            def run_engine(project=Path(tmp) / f"bench{repeat}.hpt"):
                return run_study(plan, project, jobs=args.jobs)

            # Alternate which side goes first, so neither always gets a warmer machine.
            order = [run_sklearn, run_engine] if repeat % 2 == 0 else [run_engine, run_sklearn]
            seconds = {}
            for side in order:
                start = time.perf_counter()
                outcome = side()
                seconds[side] = time.perf_counter() - start
                if side is run_sklearn:
                    search = outcome
                else:
                    result = outcome
            sklearn_seconds, engine_seconds = seconds[run_sklearn], seconds[run_engine]

            ours = {tuple(t.params[n] for n in grid): t for t in result.trials}
            worst = 0.0
            for i, params in enumerate(search.cv_results_["params"]):
                trial = ours[tuple(params[n] for n in grid)]
                for k, fold in enumerate(trial.folds):
                    worst = max(worst, abs(fold.test_score
                                           - search.cv_results_[f"split{k}_test_score"][i]))
            ratio = engine_seconds / sklearn_seconds
            ratios.append(ratio)
            print(f"run {repeat + 1}: scikit-learn {sklearn_seconds:.2f} s, hpt-gui "
                  f"{engine_seconds:.2f} s, ratio {ratio:.3f}, largest score difference "
                  f"{worst:.1e}")
        print(f"ratio (hpt-gui / scikit-learn): {np.median(ratios):.3f} "
              f"(median of {len(ratios)}; goal <= 1.05)")


if __name__ == "__main__":
    main()
