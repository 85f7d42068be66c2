import json

import numpy as np
import pytest

from hpt_gui.core.space import (
    Categorical,
    FloatRange,
    IntRange,
    SearchSpace,
    SpaceError,
)

ISSUE_EXAMPLE = {
    "max_depth": {"type": "int", "low": 1, "high": 12},
    "criterion": {"type": "categorical", "choices": ["gini", "entropy"]},
    "C": {"type": "float", "low": 0.001, "high": 1000, "log": True},
}


def test_issue_example_round_trips():
    space = SearchSpace.from_json(ISSUE_EXAMPLE)
    assert space.names == ["max_depth", "criterion", "C"]
    again = SearchSpace.loads(space.dumps())
    assert again == space
    assert json.loads(space.dumps())["C"] == {"type": "float", "low": 0.001, "high": 1000.0,
                                               "log": True}


def test_grid_of_each_dimension():
    assert IntRange("d", 1, 4).grid() == [1, 2, 3, 4]
    assert IntRange("d", 0, 10, step=5).grid() == [0, 5, 10]
    assert IntRange("d", 1, 1000, log=True, grid_points=4).grid() == [1, 10, 100, 1000]
    assert FloatRange("a", 0.0, 1.0, grid_points=3).grid() == [0.0, 0.5, 1.0]
    assert FloatRange("a", 0.1, 0.3, step=0.1).grid() == [0.1, 0.2, 0.3]
    assert FloatRange("C", 0.01, 100, log=True, grid_points=5).grid() == [0.01, 0.1, 1.0, 10.0,
                                                                           100.0]


@pytest.mark.parametrize(
    "data, phrase",
    [
        ({"a": {"type": "int", "low": 5, "high": 1}}, "above high"),
        ({"a": {"type": "float", "low": 0, "high": 1, "log": True}}, "log scale needs low above 0"),
        ({"a": {"type": "int", "low": 1.5, "high": 3}}, "whole number"),
        ({"a": {"type": "categorical", "choices": []}}, "at least one choice"),
        ({"a": {"type": "categorical", "choices": [1, 1]}}, "listed twice"),
        ({"a": {"type": "range", "low": 1, "high": 2}}, "type must be"),
        ({"a": {"type": "int", "low": 1, "high": 2, "lo": 3}}, "unknown key"),
        ({"a": {"type": "float", "low": 0, "high": 1, "step": 2}}, "wider than the range"),
        ({"a": {"type": "float", "high": 1}}, "needs 'low'"),
        ({"a": {"type": "int", "low": 1, "high": 3, "when": {"b": [1]}}},
         "not in the search space"),
        ({}, "empty"),
    ],
)
def test_bad_spaces_fail_at_construction_with_a_sentence(data, phrase):
    with pytest.raises(SpaceError, match=phrase) as info:
        SearchSpace.from_json(data)
    assert str(info.value).endswith(".")


def test_condition_on_a_value_the_parent_never_takes():
    with pytest.raises(SpaceError, match="never takes those values"):
        SearchSpace.from_json({
            "penalty": {"type": "categorical", "choices": ["l1", "l2"]},
            "l1_ratio": {"type": "float", "low": 0, "high": 1, "when": {"penalty": ["elasticnet"]}},
        })


def test_cyclic_conditions_are_refused():
    with pytest.raises(SpaceError, match="circle"):
        SearchSpace((
            Categorical("a", (1, 2), when=None),
            Categorical("b", (1, 2), when=None),
        )).__class__.from_json({
            "a": {"type": "categorical", "choices": [1, 2], "when": {"b": [1]}},
            "b": {"type": "categorical", "choices": [1, 2], "when": {"a": [1]}},
        })


CONDITIONAL = {
    "penalty": {"type": "categorical", "choices": ["l2", "l1", "elasticnet"]},
    "l1_ratio": {"type": "float", "low": 0.1, "high": 0.9, "grid_points": 3,
                 "when": {"penalty": ["elasticnet"]}},
    "C": {"type": "float", "low": 0.1, "high": 10, "log": True, "grid_points": 3},
}


def test_grid_with_conditions_leaves_inactive_dimensions_out():
    space = SearchSpace.from_json(CONDITIONAL)
    grid = space.grid()
    # l2 and l1: 3 values of C each; elasticnet: 3 l1_ratio x 3 C
    assert len(grid) == 3 + 3 + 9
    assert all(("l1_ratio" in p) == (p["penalty"] == "elasticnet") for p in grid)
    assert len({json.dumps(p, sort_keys=True) for p in grid}) == len(grid)
    assert list(grid[-1]) == ["penalty", "l1_ratio", "C"]


def test_samples_respect_ranges_and_conditions():
    space = SearchSpace.from_json({**CONDITIONAL, "n": {"type": "int", "low": 2, "high": 50,
                                                          "log": True}})
    rng = np.random.default_rng(0)
    for _ in range(300):
        params = space.sample(rng)
        assert ("l1_ratio" in params) == (params["penalty"] == "elasticnet")
        space.validate_params(params)
        assert 2 <= params["n"] <= 50
        assert 0.1 <= params["C"] <= 10


def test_active_drops_parameters_whose_condition_fails():
    space = SearchSpace.from_json(CONDITIONAL)
    assert space.active({"penalty": "l2", "l1_ratio": 0.5, "C": 1.0}) == {"penalty": "l2",
                                                                          "C": 1.0}


def test_default_is_in_the_middle():
    space = SearchSpace.from_json(CONDITIONAL)
    assert space.default() == {"penalty": "l2", "C": 1.0}


def test_condition_does_not_confuse_true_with_one():
    space = SearchSpace.from_json({
        "flag": {"type": "categorical", "choices": [True, False]},
        "x": {"type": "int", "low": 1, "high": 2, "when": {"flag": [True]}},
    })
    assert space.active({"flag": True, "x": 1}) == {"flag": True, "x": 1}
    assert space.active({"flag": 1, "x": 1}) == {"flag": 1}


def test_load_reports_bad_json_with_file_name(tmp_path):
    path = tmp_path / "space.json"
    path.write_text('{"a": {"type": "int", "low": 1,}}')
    with pytest.raises(SpaceError, match=r"In 'space.json': .*not valid JSON"):
        SearchSpace.load(path)
    with pytest.raises(SpaceError, match="does not exist"):
        SearchSpace.load(tmp_path / "missing.json")


def test_save_and_load(tmp_path):
    space = SearchSpace.from_json(CONDITIONAL)
    space.save(tmp_path / "s.json")
    assert SearchSpace.load(tmp_path / "s.json") == space
