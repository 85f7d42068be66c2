"""Search strategies behind one ask/tell interface; ``make_strategy`` picks one by name."""

from __future__ import annotations

from ..spec import StudySpec
from .base import Candidate, Outcome, Strategy
from .grid import GridStrategy
from .manual import ManualStrategy
from .random import RandomStrategy


def make_strategy(spec: StudySpec) -> Strategy:
    """The strategy a study asks for, built from its spec."""
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
    raise ValueError(f"Unknown search strategy '{spec.strategy}'.")


__all__ = ["Candidate", "Outcome", "Strategy", "make_strategy"]
