"""Assemble a study from the user's choices, refusing impossible ones with a sentence.

``plan_study`` loads the data, checks that the model suits the task, that the metric
exists and suits the task, and that the search space names real hyperparameters; it
returns the spec with the evaluation context (the fixed splits and the data to ship).
The window and the command line both build a ``request.StudyRequest`` and plan it here.
The rows are split by ``validation.study_rows``: a held-out test set or outer fold first,
then the search's folds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .catalog import CatalogError, check_params, check_values, get_model
from .cost import Cost, searches_of
from .dataset import Dataset, load_dataset
from .evaluate import EvalContext, check_model_scoring, check_scoring
from .machine import check_halving_start
from .request import StudyRequest
from .spec import ENGINE_VERSION, SpecError, StudySpec
from .validation import StudyRows, study_rows


@dataclass(frozen=True)
class StudyPlan:
    """A study ready to run: its spec, its data and its fixed splits.

    ``context`` holds only the rows the search sees (with folds within them); when rows
    are held out (a test set, an outer fold), ``held_out`` is the one split "all searched
    rows -> the held-out rows" on which the chosen trial is scored once, at the end.
    """

    spec: StudySpec
    dataset: Dataset
    context: EvalContext
    rows: StudyRows | None = None
    held_out: EvalContext | None = None

    @property
    def folds(self) -> int:
        return len(self.context.splits)


def plan_study(request: StudyRequest | None = None, /, **choices: Any) -> StudyPlan:
    """Check every choice of ``request`` against the data and the catalog, then build the
    plan (the choices may be given as keywords instead, the fields of a StudyRequest).

    With ``nested``, this is the plan of the final search on all the rows (and
    ``outer=k`` the plan of outer fold k's search); ``nested.run_nested`` runs them all.
    ``keep`` names columns to learn from although the data checks set them aside;
    ``engine`` is the engine whose rules read the data (a stored study's, to resume it
    as it ran: see ``stored_engine``). The spec records every column the checks set aside
    as probable leakage, and the role of every column kept, so reading its data again
    gives the same columns.
    """
    if request is None:
        if "keep" in choices:
            choices["keep"] = tuple(choices["keep"])
        request = StudyRequest(**choices)
    elif choices:
        request = replace(request, **choices)
    return _plan(request)


def _plan(request: StudyRequest) -> StudyPlan:
    data, target, model, roles = request.data, request.target, request.model, request.roles
    space, strategy, trials = request.space, request.strategy, request.trials
    manual_params, validation, dataset = request.manual_params, request.validation, \
        request.dataset
    engine = request.engine if request.engine is not None else ENGINE_VERSION
    info = get_model(model)
    if dataset is None:
        dataset = load_dataset(data, target, roles=dict(roles) if roles else None,
                               task=request.task, keep=request.keep, rules=engine)
    roles = _recorded_roles(dataset, roles)
    group = (validation or {}).get("group") if (validation or {}).get("scheme") == "group" \
        else None
    if isinstance(group, str) and group in dataset.frame.columns and group != dataset.target:
        dataset, roles = _set_aside_group(dataset, group, roles)
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
    spec = StudySpec(
        name=request.name or f"{info.name}-{strategy}",
        data=data_reference(data),
        target=dataset.target,
        model=info.name,
        space=space,
        task=dataset.task,
        strategy=strategy,
        trials=trials,
        time_limit=request.time_limit,
        cv=request.cv,
        scoring=request.scoring or "",
        seed=request.seed,
        manual_params=dict(manual_params) if manual_params else None,
        roles=dict(roles) if roles else None,
        data_fingerprint=dataset.fingerprint,
        engine=dataset.rules,
        options=dict(request.options) if request.options else None,
        validation=dict(validation) if validation else None,
        test_size=request.test_size,
        nested=request.nested,
        outer=request.outer,
        trial_time_limit=request.trial_time_limit,
    )
    check_scoring(spec.scoring, spec.task, dataset.y())
    check_model_scoring(info, spec.scoring)
    if strategy == "halving" and trials is not None:  # before any work: see machine.py
        check_halving_start(trials)
    return plan_for(spec, dataset)


def plan_for(spec: StudySpec, dataset: Dataset) -> StudyPlan:
    """The plan of a checked spec on its dataset: its rows, folds and held-out split."""
    context, rows = build_context(spec, dataset)
    if spec.nested is not None and spec.outer is None:  # refuse now, before any search runs
        for outer in range(1, spec.nested + 1):
            study_rows(replace(spec, outer=outer), dataset)
    held_out = None
    if rows.held_out is not None:
        # the chosen trial's final refit is not held to the per-trial limit
        held_out = replace(context, X=dataset.X(), y=dataset.y(), fit_time_limit=None,
                           splits=[(rows.searched(dataset.n_rows), rows.held_out)])
    return StudyPlan(spec, dataset, context, rows, held_out)


def build_context(spec: StudySpec, dataset: Dataset) -> tuple[EvalContext, StudyRows]:
    """The EvalContext of the rows the study searches (SpecError when they cannot be
    split as asked), with the split of the whole table it came from."""
    from sklearn.utils import _safe_indexing

    rows = study_rows(spec, dataset)
    X, y = dataset.X(), dataset.y()
    if rows.rows is not None:
        X = _safe_indexing(X, rows.rows).reset_index(drop=True)
        y = _safe_indexing(y, rows.rows)
    context = EvalContext(
        X=X,
        y=y,
        splits=rows.splits,
        model=get_model(spec.model).name,
        numeric=tuple(dataset.numeric_features),
        categorical=tuple(dataset.categorical_features),
        scoring=spec.scoring,
        seed=spec.seed,
        fit_time_limit=spec.trial_time_limit,
    )
    return context, rows


def _recorded_roles(dataset: Dataset, roles: Mapping[str, str] | None
                    ) -> dict[str, str] | None:
    """The roles a study records: the caller's, plus the columns set aside as probable
    leakage and the columns kept against the checks (None when there are none)."""
    recorded = dict(roles or {})
    for column in dataset.columns:
        if column.role == "leakage" or column.name in dataset.kept:
            recorded[column.name] = column.role
    return recorded or None


def stored_engine(project: str | Path, name: str) -> int:
    """The engine of the study ``name`` stored in ``project`` (so running it again resumes
    it with the rules it ran with), or the current engine for a study not stored yet."""
    from .store import ProjectStore

    path = Path(project)
    if not path.is_file():
        return ENGINE_VERSION
    with ProjectStore(path) as store:
        row = store.find_study(name)
    return ENGINE_VERSION if row is None else row.spec.engine


def _set_aside_group(dataset: Dataset, group: str, roles: Mapping[str, str] | None
                     ) -> tuple[Dataset, dict[str, str]]:
    """The group column of a group k-fold is never a feature: its role becomes 'group'
    (and a leakage note about it is dropped: it is not learned from either way)."""
    roles = {**(roles or {}), group: "group"}
    columns = tuple(replace(c, role="group") if c.name == group else c
                    for c in dataset.columns)
    dropped = {leak.note for leak in dataset.leaks if leak.column == group}
    dataset = replace(dataset, columns=columns,
                      leaks=tuple(leak for leak in dataset.leaks if leak.column != group),
                      notes=tuple(note for note in dataset.notes if note not in dropped))
    if not dataset.feature_names:
        raise SpecError(
            f"The group column '{group}' is the only feature, so nothing would be left to "
            "learn from; choose another group column or add feature columns.")
    return dataset, roles


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


def planned_candidates(plan: StudyPlan) -> int | None:
    """How many trials the study will run in all (None when only a time limit bounds it)."""
    from .strategies import make_strategy

    size = make_strategy(plan.spec, plan.context).size
    if plan.spec.trials is None:
        return size
    return plan.spec.trials if size is None else min(size, plan.spec.trials)


def planned_fits(plan: StudyPlan) -> int | None:
    """How many fits the study runs at most (None when only a time limit bounds it): what
    caps the worker processes worth starting (``machine.plan_workers``)."""
    candidates = planned_candidates(plan)
    if candidates is None:
        return None
    if plan.spec.strategy == "halving":
        from .strategies import make_strategy

        strategy: Any = make_strategy(plan.spec, plan.context)
        return max(1, int(strategy.planned_fits))
    return max(1, candidates * plan.folds)


def plan_cost(plan: StudyPlan) -> Cost:
    """The cost of a planned study, exactly: its strategy's candidates and rungs (the same
    rules as ``cost.request_cost``, which the window uses before planning)."""
    spec = plan.spec
    searches = searches_of(spec.nested, spec.outer)
    candidates = planned_candidates(plan)
    if candidates is None:
        return Cost(None, plan.folds, searches, None, None)
    if spec.strategy != "halving":
        fits = candidates * plan.folds * searches
        return Cost(candidates, plan.folds, searches, fits, float(fits))
    from .strategies import make_strategy

    strategy: Any = make_strategy(spec, plan.context)
    return Cost(candidates, plan.folds, searches, int(strategy.planned_fits) * searches,
                float(strategy.planned_work) * searches)


def describe_cost(plan: StudyPlan) -> str:
    """'6 candidates x 5 folds = 30 fits', the sentence shown before a run (with the
    searches of nested cross-validation and the held-out refits when there are any)."""
    cost = plan_cost(plan)
    candidates, searches, spec = cost.candidates, cost.searches, plan.spec
    folds = describe_folds(spec, plan.folds)
    if candidates is None:
        text = f"as many candidates as fit in {spec.time_limit:g} s, x {folds}"
        if searches > 1:
            text += (f", in each of {searches} searches ({spec.nested} outer folds and the "
                     "final one)")
    elif spec.strategy == "halving":
        text, fits = describe_halving(plan, candidates, folds)
        if searches > 1:
            text += f" per search, x {searches} searches ({spec.nested} outer folds and the " \
                "final one)"
    else:
        fits = candidates * plan.folds
        text = (f"{candidates:,} candidate{'s' if candidates != 1 else ''} x {folds} = "
                f"{fits:,} fits")
        if searches > 1:
            text += (f" per search, x {searches} searches ({spec.nested} outer folds and "
                     f"the final one) = {cost.fits:,} fits")
    if searches > 1:
        text += f", + {spec.nested} refits scored on the outer folds"
    elif plan.held_out is not None:
        what = "its outer fold" if spec.outer is not None else "the test set"
        text += f", + 1 refit scored once on {what}"
    return text


def describe_halving(plan: StudyPlan, candidates: int, folds: str) -> tuple[str, int]:
    """'27 candidates halved by 3 in 2 rungs (1, then 5 of 5 folds) = at most 63 fits, of
    the 135 a full evaluation takes': the honest count of fits under successive halving
    (with that count)."""
    from .strategies import make_strategy

    strategy: Any = make_strategy(plan.spec, plan.context)
    rungs, full = strategy.rungs, candidates * plan.folds
    plural = "s" if candidates != 1 else ""
    sizes = ", then ".join(f"{r.resource:,}" for r in rungs)
    if strategy.resource == "rows":
        return (f"{candidates:,} candidate{plural} halved by {strategy.factor:g} in "
                f"{len(rungs)} rung{'s' if len(rungs) != 1 else ''} ({sizes} training rows) "
                f"x {folds} = at most {strategy.planned_fits:,} fits, the work of "
                f"{strategy.planned_work:,.0f} of the {full:,} full fits a full evaluation "
                "takes", strategy.planned_fits)
    return (f"{candidates:,} candidate{plural} halved by {strategy.factor:g} in {len(rungs)} "
            f"rung{'s' if len(rungs) != 1 else ''} ({sizes} of {folds}) = at most "
            f"{strategy.planned_fits:,} fits, of the {full:,} a full evaluation takes",
            strategy.planned_fits)


def describe_folds(spec: Any, splits: int) -> str:
    """'5 folds', '6 splits (2 x 3 folds)', '1 split': what each candidate is fitted on
    (``spec``: a StudySpec, or a StudyRequest with its validation and cv)."""
    scheme = (spec.validation or {}).get("scheme", "kfold")
    if scheme in ("kfold", "group"):
        return f"{splits} folds"
    noun = f"{splits} split{'s' if splits != 1 else ''}"
    if scheme == "repeated":
        return f"{noun} ({spec.validation['repeats']} x {spec.cv} folds)"
    return noun
