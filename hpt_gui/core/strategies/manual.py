"""Manual: one hand-set trial (the user's values, the space's middle for the rest)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..space import SearchSpace
from .base import Strategy


class ManualStrategy(Strategy):
    """A single candidate: useful to score one configuration the analyst has in mind."""

    def __init__(self, space: SearchSpace, params: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        chosen = {**space.default(), **dict(params or {})}
        self._params = space.active(chosen) | {
            k: v for k, v in chosen.items() if k not in space.names
        }

    @property
    def size(self) -> int:
        return 1

    def _propose(self, number: int) -> dict[str, Any] | None:
        return dict(self._params) if number == 0 else None
