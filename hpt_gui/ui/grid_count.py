"""How many candidates a grid search of a space tries: counted once per space (the space
editor and the window share the answers) and, when the grid may be large, off the GUI
thread through :mod:`hpt_gui.ui.tasks`."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.space import SearchSpace, SpaceError
from .tasks import TaskRunner, TaskState

_COUNTS: dict[str, int | None] = {}  # space.dumps(): its grid's size (None: not a grid)
PENDING = object()  # the count is being made off the GUI thread
COUNT_NOW_UP_TO = 500  # a grid that may be larger is counted off the GUI thread


def grid_upper_bound(space: SearchSpace) -> int | None:
    """The product of the dimensions' grid sizes (None: one alone is too large)."""
    total = 1
    try:
        for dim in space:
            total *= len(dim.grid())
    except SpaceError:
        return None
    return total


def count_grid(space: SearchSpace) -> int | None:
    """The number of candidates of the grid (None: too many, or not a grid)."""
    try:
        return len(space.grid())
    except SpaceError:
        return None


def known_count(key: str) -> object:
    """The count already made for ``key`` (a space's ``dumps()``), else ``PENDING``."""
    return _COUNTS.get(key, PENDING)


def remember(key: str, count: int | None) -> None:
    _COUNTS[key] = count


def count_now_if_small(space: SearchSpace, up_to: int = COUNT_NOW_UP_TO) -> object:
    """The count, made here when the grid cannot exceed ``up_to`` candidates (cheap),
    else ``PENDING``; a known count is answered at once."""
    key = space.dumps()
    known = known_count(key)
    if known is not PENDING:
        return known
    bound = grid_upper_bound(space)
    if bound is None:
        remember(key, None)
        return None
    if bound > up_to:
        return PENDING
    count = count_grid(space)
    remember(key, count)
    return count


def _count_all(spaces: dict[str, SearchSpace], state: TaskState) -> dict[str, int | None]:
    counts = {}
    for key, space in spaces.items():
        state.check()
        counts[key] = count_grid(space)
    return counts


class GridCounter(QObject):
    """Counts large grids off the GUI thread, a short pause after the last request.

    Only the latest request is counted (typing makes many); each answer is remembered
    and comes back as ``counted(key, count)`` on the GUI thread.
    """

    counted = Signal(str, object)

    def __init__(self, parent: QObject | None = None, delay_ms: int = 250) -> None:
        super().__init__(parent)
        self._wanted: dict[str, SearchSpace] = {}
        self._tasks = TaskRunner(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)

    def request(self, key: str, space: SearchSpace) -> None:
        self.request_all({key: space})

    def request_all(self, spaces: dict[str, SearchSpace]) -> None:
        self._wanted = dict(spaces)
        self._timer.start()

    def is_busy(self) -> bool:
        return self._timer.isActive() or self._tasks.is_running()

    def shutdown(self) -> None:
        self._timer.stop()
        self._tasks.shutdown()

    def _start(self) -> None:
        wanted, self._wanted = self._wanted, {}
        if wanted:
            self._tasks.start(partial(_count_all, wanted), on_done=self._on_counted,
                              on_error=lambda _sentence: None)

    def _on_counted(self, counts: dict[str, int | None]) -> None:
        for key, count in counts.items():
            remember(key, count)
        for key, count in counts.items():
            self.counted.emit(key, count)
