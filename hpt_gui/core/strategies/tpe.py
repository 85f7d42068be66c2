"""Bayesian optimization with Optuna's TPE sampler (Tree-structured Parzen Estimator).

TPE splits the finished trials into the best few and the rest, models where each group's
settings lie, and proposes where "good" is most likely relative to "rest". It is seeded,
multivariate (settings are modelled jointly), grouped (each set of dimensions that occur
together, such as ``gamma`` with ``kernel=rbf``, is modelled on its own) and uses a
constant liar, so candidates asked while others still run are told apart from them. The
first 10 trials are random (Optuna's default), then TPE takes over.
"""

from __future__ import annotations

from typing import Any

from ..space import SearchSpace
from .sampled import SamplerStrategy


class TpeStrategy(SamplerStrategy):
    """Optuna's TPESampler, with J trials in flight known to it as running."""

    def __init__(self, space: SearchSpace, seed: int) -> None:
        super().__init__(space)
        self._seed = seed

    def _make_sampler(self) -> Any:
        from optuna.samplers import TPESampler

        return TPESampler(seed=self._seed, constant_liar=True, multivariate=True, group=True)
