"""Any result as strict JSON: what ``json.dumps(..., allow_nan=False)`` accepts.

Diagnoses, curves and importances hold numpy numbers, tuples and NaN (a fold that
failed); every ``to_json`` and the command line's ``--json`` pass their values through
:func:`jsonable` so that any JSON parser reads what they print.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypeAlias

import numpy as np

Json: TypeAlias = "None | bool | int | float | str | list[Json] | dict[str, Json]"


def jsonable(value: object) -> Json:
    """``value`` as plain JSON data.

    Mappings become dicts with text keys; tuples, lists and numpy arrays become lists;
    numpy scalars become Python numbers; NaN and infinities become None; any other
    object becomes its ``repr``.
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())  # a 0-d array gives its scalar
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if value is None or isinstance(value, bool | int | str):
        return value
    return repr(value)


__all__ = ["Json", "jsonable"]
