"""The one JSON cleaner: numpy values, tuples and NaN as strict JSON."""

import json
import math

import numpy as np

from hpt_gui.core.jsonable import jsonable


def test_numpy_tuples_and_non_finite_numbers_become_strict_json():
    value = {
        1: (np.float64(0.5), np.int64(3), np.bool_(True), None, "a"),
        "array": np.array([[1.0, np.nan], [np.inf, 2.0]]),
        "scalar": np.array(4.0),
        "nested": [{"x": float("-inf")}, (math.nan,)],
    }
    plain = jsonable(value)
    assert plain == {
        "1": [0.5, 3, True, None, "a"],
        "array": [[1.0, None], [None, 2.0]],
        "scalar": 4.0,
        "nested": [{"x": None}, [None]],
    }
    assert type(plain["1"][0]) is float and type(plain["1"][1]) is int
    assert type(plain["1"][2]) is bool
    assert json.loads(json.dumps(plain, allow_nan=False)) == plain


def test_other_objects_become_their_repr():
    class Thing:
        def __repr__(self) -> str:
            return "Thing()"

    assert jsonable([Thing(), b"x"]) == ["Thing()", "b'x'"]
