"""Grid search: every combination of the space's grid values, in a fixed order."""

from __future__ import annotations

from typing import Any

from ..space import SearchSpace
from .base import Strategy


class GridStrategy(Strategy):
    """Trial number k is always the k-th grid point, so resuming skips exactly the done ones."""

    def __init__(self, space: SearchSpace) -> None:
        super().__init__()
        self._grid = space.grid()

    @property
    def size(self) -> int:
        return len(self._grid)

    def _propose(self, number: int) -> dict[str, Any] | None:
        return dict(self._grid[number]) if number < len(self._grid) else None
