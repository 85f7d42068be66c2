"""Assemble a study from the user's choices, refusing impossible ones with a sentence.

``plan_study`` loads the data, checks that the model suits the task, that the metric
exists and suits the task, and that the search space names real hyperparameters; it
returns the spec with the evaluation context (the fixed splits and the data to ship).
The window and the command line both go through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import CatalogError, check_params, check_values, get_model
from .dataset import Dataset, load_dataset
from .evaluate import EvalContext, check_model_scoring, check_scoring, make_splits
from .space import SearchSpace
from .spec import SpecError, StudySpec


@dataclass(frozen=True)
class StudyPlan:
    """A study ready to run: its spec, its data and its fixed splits."""

    spec: StudySpec
    dataset: Dataset
    context: EvalContext

    @property
    def folds(self) -> int:
        return len(self.context.splits)


def plan_study(
    *,
    data: str | Path,
    target: str | None,
    model: str,
    name: str | None = None,
    space: SearchSpace | None = None,
    strategy: str = "grid",
    trials: int | None = None,
    time_limit: float | None = None,
    cv: int = 5,
    scoring: str | None = None,
    seed: int = 0,
    task: str | None = None,
    roles: Mapping[str, str] | None = None,
    manual_params: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
    dataset: Dataset | None = None,
) -> StudyPlan:
    """Check every choice against the data and the catalog, then build the plan."""
    info = get_model(model)
    if dataset is None:
        dataset = load_dataset(data, target, roles=dict(roles) if roles else None, task=task)
    if info.task != dataset.task:
        alternatives = "a classifier" if dataset.task == "classification" else "a regressor"
        raise SpecError(
            f"{info.name} is a {'classifier' if info.task == 'classification' else 'regressor'}, "
            f"but the target '{dataset.target}' makes this a {dataset.task} task; "
            f"choose {alternatives} (see 'hpt-gui models')."
        )
    users_space = space is not None
    space = space if users_space else info.default_space
    try:
        check_params(info, {name: None for name in space.names})
        check_values(info, {dim.name: _values_to_check(dim) for dim in space})
        if manual_params:
            check_params(info, manual_params)
            check_values(info, {name: [value] for name, value in manual_params.items()})
    except CatalogError as exc:
        raise SpecError(str(exc).strip("\"'")) from None
    if manual_params and users_space:  # the default ranges are suggestions, not limits
        space.validate_params(manual_params)
    scoring = scoring or ""
    spec = StudySpec(
        name=name or f"{info.name}-{strategy}",
        data=data_reference(data),
        target=dataset.target,
        model=info.name,
        space=space,
        task=dataset.task,
        strategy=strategy,
        trials=trials,
        time_limit=time_limit,
        cv=cv,
        scoring=scoring,
        seed=seed,
        manual_params=dict(manual_params) if manual_params else None,
        roles=dict(roles) if roles else None,
        data_fingerprint=dataset.fingerprint,
        options=dict(options) if options else None,
    )
    check_scoring(spec.scoring, spec.task, dataset.y())
    check_model_scoring(info, spec.scoring)
    _check_folds(dataset, cv)
    context = EvalContext(
        X=dataset.X(),
        y=dataset.y(),
        splits=make_splits(dataset.y(), dataset.task, cv, seed),
        model=info.name,
        numeric=tuple(dataset.numeric_features),
        categorical=tuple(dataset.categorical_features),
        scoring=spec.scoring,
        seed=seed,
    )
    return StudyPlan(spec, dataset, context)


def _values_to_check(dimension: Any) -> list[Any]:
    """A categorical's choices, or a range's two ends."""
    if dimension.kind == "categorical":
        return list(dimension.choices)
    return [dimension.low, dimension.high] if dimension.kind == "float" else [
        int(dimension.low), int(dimension.high)]


def data_reference(data: str | Path) -> str:
    """How a study remembers its data: demo names as given, files by absolute path.

    An absolute path lets the study be resumed or exported from any folder; the stored
    fingerprint still guards the contents.
    """
    text = str(data)
    if text.strip().lower().startswith("demo:"):
        return text.strip()
    return str(Path(text).expanduser().resolve())


def _check_folds(dataset: Dataset, cv: int) -> None:
    if cv > dataset.n_rows:
        raise SpecError(
            f"{cv} folds need at least {cv} rows, but the data has {dataset.n_rows}; "
            "use fewer folds."
        )
    if dataset.task == "classification":
        import pandas as pd

        counts = pd.Series(dataset.y()).value_counts()
        smallest = counts.idxmin()
        if counts.min() < cv:
            raise SpecError(
                f"The class '{smallest}' has only {counts.min()} row(s), fewer than the {cv} "
                f"folds; use at most {max(counts.min(), 2)} folds or gather more rows of it."
            )


def planned_candidates(plan: StudyPlan) -> int | None:
    """How many trials the study will run in all (None when only a time limit bounds it)."""
    from .strategies import make_strategy

    size = make_strategy(plan.spec).size
    if plan.spec.trials is None:
        return size
    return plan.spec.trials if size is None else min(size, plan.spec.trials)


def describe_cost(plan: StudyPlan) -> str:
    """'6 candidates x 5 folds = 30 fits', the sentence shown before a run."""
    candidates = planned_candidates(plan)
    if candidates is None:
        return f"as many candidates as fit in {plan.spec.time_limit:g} s, x {plan.folds} folds"
    return (
        f"{candidates:,} candidate{'s' if candidates != 1 else ''} x {plan.folds} folds = "
        f"{candidates * plan.folds:,} fits"
    )
