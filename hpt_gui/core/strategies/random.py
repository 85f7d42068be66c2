"""Random search: each trial number draws its own configuration from a seeded stream."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..space import SearchSpace
from .base import Strategy


class RandomStrategy(Strategy):
    """Trial k's configuration depends only on (seed, k): a resumed study repeats nothing."""

    def __init__(self, space: SearchSpace, seed: int) -> None:
        super().__init__()
        self._space = space
        self._seed = seed

    def _propose(self, number: int) -> dict[str, Any] | None:
        rng = np.random.default_rng([self._seed, number])
        return self._space.sample(rng)
