"""Bad search-space input ends in a SpaceError sentence; huge ranges stay cheap."""

import json
import math
import time

import numpy as np
import pytest

from hpt_gui.core.space import (
    MAX_GRID_SIZE,
    FloatRange,
    IntRange,
    SearchSpace,
    SpaceError,
)


def _int(**keys):
    return {"depth": {"type": "int", "low": 1, "high": 3, **keys}}


def _float(**keys):
    return {"rate": {"type": "float", "low": 0.1, "high": 1.0, **keys}}


@pytest.mark.parametrize(
    "data, phrase",
    [
        (_int(low=None), "low must be a number, not null"),
        (_int(low="abc"), 'low must be a number, not "abc"'),
        (_int(low="1"), 'low must be a number, not "1" .*without quotes'),
        (_int(high=[3]), "high must be a number"),
        (_int(low=True), "low must be a number, not true"),
        (_int(low=float("nan")), "low must be a finite number"),
        (_int(high=float("inf")), "high must be a finite number"),
        (_int(low=1.5), "low must be a whole number, not 1.5"),
        (_int(high=10**400), "high .* is too large"),
        (_int(high=2**60), "high .* is too large"),
        (_int(step=2.5), "step must be a whole number, not 2.5"),
        (_int(step="x"), 'step must be a number, not "x"'),
        (_int(step=0), "step must be above 0"),
        (_int(grid_points="x"), 'grid_points must be a whole number of at least 1, not "x"'),
        (_int(grid_points=2.5), "grid_points must be a whole number of at least 1, not 2.5"),
        (_int(grid_points=True), "grid_points must be a whole number of at least 1, not true"),
        (_int(grid_points=0), "grid_points must be a whole number of at least 1, not 0"),
        (_int(log="yes"), 'log must be true or false, not "yes"'),
        (_int(log=1), "log must be true or false, not 1"),
        (_float(low=None), "low must be a number, not null"),
        (_float(low="0.1"), 'low must be a number, not "0.1"'),
        (_float(high=float("nan")), "high must be a finite number"),
        (_float(low=-1e308, high=1e308), "too wide"),
        (_float(step="x"), 'step must be a number, not "x"'),
        (_float(step=True), "step must be a number, not true"),
        (_float(step=float("nan")), "step must be a finite number"),
        (_float(step=-0.1), "step must be above 0"),
        (_float(low=0, high=1e300, step=1e-300), "step .* is too fine"),
        (_float(grid_points="x"), "grid_points must be a whole number"),
        (_float(grid_points=2.5), "grid_points must be a whole number"),
        (_float(grid_points=False), "grid_points must be a whole number"),
        (_float(log="true"), "log must be true or false"),
        ({"c": {"type": "categorical", "choices": "abc"}}, "choices must be a list"),
        ({"c": {"type": ["int"], "low": 1, "high": 2}}, "type must be"),
    ],
)
def test_bad_values_end_in_a_sentence_naming_the_dimension(data, phrase):
    with pytest.raises(SpaceError, match=phrase) as info:
        SearchSpace.from_json(data)
    message = str(info.value)
    assert message.startswith(f"'{next(iter(data))}': ")
    assert message.endswith(".")


def test_bad_values_from_a_file_name_the_file(tmp_path):
    path = tmp_path / "space.json"
    path.write_text('{"max_depth": {"type": "int", "low": NaN, "high": 3}}')
    with pytest.raises(SpaceError, match=r"In 'space.json': 'max_depth': low must be a finite"):
        SearchSpace.load(path)


def test_null_optional_keys_count_as_left_out():
    space = SearchSpace.from_json({
        "depth": {"type": "int", "low": 1, "high": 3, "step": None, "log": None,
                  "grid_points": None, "when": None},
        "rate": {"type": "float", "low": 0, "high": 1, "step": None, "grid_points": None},
    })
    assert space["depth"] == IntRange("depth", 1, 3)
    assert space["rate"] == FloatRange("rate", 0.0, 1.0)


def test_whole_valued_floats_are_accepted_for_whole_numbers():
    dim = SearchSpace.from_json(_int(low=1.0, high=9.0, step=2.0, grid_points=3.0))["depth"]
    assert (dim.low, dim.high, dim.step, dim.grid_points) == (1, 9, 2, 3)
    assert all(type(v) is int for v in (dim.low, dim.high, dim.step, dim.grid_points))


def _quickly(func, seconds=1.0):
    start = time.perf_counter()
    result = func()
    assert time.perf_counter() - start < seconds
    return result


def test_a_huge_int_range_grids_and_samples_instantly():
    dim = IntRange("n", 1, 10**12)
    grid = _quickly(dim.grid)
    assert len(grid) == 5 and grid[0] == 1 and grid[-1] == 10**12 and grid == sorted(grid)
    assert all(isinstance(v, int) for v in grid)
    rng = np.random.default_rng(0)
    samples = _quickly(lambda: [dim.sample(rng) for _ in range(1000)])
    assert all(1 <= v <= 10**12 and isinstance(v, int) for v in samples)
    assert abs(_quickly(dim.default) - 5 * 10**11) <= 1
    assert _quickly(lambda: dim.contains(10**12) and not dim.contains(10**12 + 1))
    log = IntRange("n", 1, 10**12, log=True, grid_points=4)
    assert _quickly(log.grid) == [1, 10000, 100000000, 1000000000000]
    stepped = IntRange("n", 0, 10**12, step=3, grid_points=3)
    assert all(v % 3 == 0 and 0 <= v <= 10**12 for v in _quickly(stepped.grid))
    space = SearchSpace.from_json({"n": {"type": "int", "low": 1, "high": 10**12}})
    assert len(_quickly(space.grid)) == 5


def test_int_grid_snaps_to_the_step_inside_the_range():
    # 0..11 by 3 holds 0, 3, 6, 9: the top of the spread must not snap to 12
    assert IntRange("n", 0, 11, step=3, grid_points=2).grid() == [0, 9]
    assert IntRange("n", 0, 11, step=3).grid() == [0, 3, 6, 9]
    assert IntRange("n", 0, 11, step=3).default() in (3, 6)


def test_a_grid_too_large_is_refused_not_built():
    fine = FloatRange("rate", 0.0, 1.0, step=1e-12)
    with pytest.raises(SpaceError, match=r"'rate': its grid would hold 1,000,000,000,001 values"):
        _quickly(fine.grid)
    rng = np.random.default_rng(0)
    assert 0.0 <= _quickly(lambda: fine.sample(rng)) <= 1.0  # random search still works
    for dim in (IntRange("n", 1, 10**12, grid_points=10**9),
                FloatRange("rate", 0.0, 1.0, grid_points=10**9)):
        with pytest.raises(SpaceError, match="too many to search"):
            _quickly(dim.grid)
    with pytest.raises(SpaceError, match="'rate': its grid would hold"):
        _quickly(SearchSpace((fine,)).grid)
    assert len(IntRange("n", 1, MAX_GRID_SIZE, grid_points=MAX_GRID_SIZE).grid()) == MAX_GRID_SIZE


VALID = [
    {"max_depth": {"type": "int", "low": 1, "high": 12}},
    {"n": {"type": "int", "low": 2, "high": 512, "log": True, "grid_points": 4}},
    {"n": {"type": "int", "low": -10, "high": 10, "step": 5}},
    {"n": {"type": "int", "low": 1, "high": 10**12}},
    {"n": {"type": "int", "low": 3, "high": 3}},
    {"C": {"type": "float", "low": 0.001, "high": 1000, "log": True, "grid_points": 7}},
    {"a": {"type": "float", "low": 0, "high": 1, "step": 0.25}},
    {"a": {"type": "float", "low": -1.5, "high": 2.5, "grid_points": 1}},
    {"c": {"type": "categorical", "choices": ["x", 1, 2.5, True, None]}},
    {
        "penalty": {"type": "categorical", "choices": ["l2", "elasticnet"]},
        "l1_ratio": {"type": "float", "low": 0, "high": 1, "when": {"penalty": ["elasticnet"]}},
    },
]


@pytest.mark.parametrize("data", VALID)
def test_valid_spaces_round_trip(data):
    space = SearchSpace.from_json(data)
    assert SearchSpace.from_json(space.to_json()) == space
    assert SearchSpace.loads(space.dumps()) == space
    assert json.loads(space.dumps()) == space.to_json()
    rng = np.random.default_rng(1)
    for params in [space.default(), *(space.sample(rng) for _ in range(20)), *space.grid()]:
        space.validate_params(params)
        assert all(not isinstance(v, float) or math.isfinite(v) for v in params.values())
