"""Search strategies behind one ask/tell interface; ``make_strategy`` picks one by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..spec import StudySpec
from .base import Candidate, Outcome, Settled, Strategy, stored_work
from .grid import GridStrategy
from .manual import ManualStrategy
from .random import RandomStrategy

if TYPE_CHECKING:
    from ..evaluate import EvalContext


def make_strategy(spec: StudySpec, context: EvalContext | None = None) -> Strategy:
    """The strategy a study asks for, built from its spec (successive halving also needs
    the study's splits: without ``context`` it assumes the spec's number of folds, and
    cannot halve on rows)."""
    if spec.strategy == "grid":
        return GridStrategy(spec.space)
    if spec.strategy == "random":
        return RandomStrategy(spec.space, spec.seed)
    if spec.strategy == "manual":
        return ManualStrategy(spec.space, spec.manual_params)
    if spec.strategy == "tpe":  # Optuna is loaded only by the strategies that use it
        from .tpe import TpeStrategy

        return TpeStrategy(spec.space, spec.seed)
    if spec.strategy == "evolution":
        from .evolution import EvolutionStrategy

        options = spec.options or {}
        return EvolutionStrategy(spec.space, spec.seed, **options)
    if spec.strategy == "halving":
        from .halving import HalvingStrategy, fold_count

        options = spec.options or {}
        splits = context.splits if context is not None else None
        return HalvingStrategy(
            spec.space, spec.seed, candidates=spec.trials,
            folds=len(splits) if splits is not None else fold_count(spec),
            factor=options.get("factor", 3), resource=options.get("resource", "folds"),
            min_resource=options.get("min_resource"), splits=splits,
            y=context.y if context is not None else None, task=spec.task)
    raise ValueError(f"Unknown search strategy '{spec.strategy}'.")


__all__ = ["Candidate", "Outcome", "Settled", "Strategy", "make_strategy", "stored_work"]
