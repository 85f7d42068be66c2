"""Grid sizes are counted once per space, and a grid that may be large off the GUI thread
(through ui/tasks), for the space editor and the window alike."""

import threading

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QWidget  # noqa: E402

from hpt_gui.core.space import SearchSpace  # noqa: E402
from hpt_gui.ui import grid_count  # noqa: E402


def _space(points: int, choices: int) -> SearchSpace:
    return SearchSpace.from_json({
        "alpha": {"type": "float", "low": 0.001, "high": 1.0, "log": True,
                  "grid_points": points},
        "kind": {"type": "categorical", "choices": [f"k{i}" for i in range(choices)]},
    })


def test_a_small_grid_is_counted_at_once_and_remembered():
    space = _space(3, 4)
    assert grid_count.count_now_if_small(space, 500) == 12
    assert grid_count.known_count(space.dumps()) == 12


def test_a_large_grid_is_counted_off_the_gui_thread(qtbot, monkeypatch):
    space = _space(40, 17)  # 680 candidates: more than counted at once
    assert grid_count.count_now_if_small(space, 500) is grid_count.PENDING
    threads = []
    count_grid = grid_count.count_grid

    def counting(space):
        threads.append(threading.current_thread() is threading.main_thread())
        return count_grid(space)

    monkeypatch.setattr(grid_count, "count_grid", counting)
    owner = QWidget()
    qtbot.addWidget(owner)
    counter = grid_count.GridCounter(owner, delay_ms=0)
    with qtbot.waitSignal(counter.counted, timeout=10_000) as signal:
        counter.request(space.dumps(), space)
    assert signal.args == [space.dumps(), 680]
    assert threads == [False]
    assert grid_count.count_now_if_small(space, 500) == 680  # remembered
    owner.close()
