"""The frame reads the settings by name when every trial has the same ones, and trial by
trial otherwise: the columns are ``param_column``'s either way."""

from __future__ import annotations

import pytest

from hpt_gui.core.records import (
    TrialFrame,
    TrialRecord,
    TrialState,
    param_column,
    param_names,
)


def _trials(params):
    return [TrialRecord(n, TrialState.COMPLETE, p, (), 0.0, 1.0) for n, p in enumerate(params)]


@pytest.mark.parametrize("params", [
    [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}],  # the same settings
    [{"a": 1, "b": "x"}, {"b": "y", "a": None}],  # the same, in another order
    [{"a": 1}, {"a": 2, "b": 0.5}],  # a condition added one
    [{"a": 1, "b": 2}, {"a": 2, "c": 3}],  # as many, not the same
    [{"a": [1, 2]}, {"a": [3, 4]}],  # a value that is a list
    [{}, {}],
    [],
])
def test_the_frames_settings_are_param_columns(params):
    trials = _trials(params)
    frame = TrialFrame.from_trials(trials)
    assert list(frame.params) == param_names(trials)
    for name in param_names(trials):
        values, has = param_column(trials, name)
        assert frame.params[name].tolist() == values.tolist()
        assert frame.has[name].tolist() == has.tolist()
