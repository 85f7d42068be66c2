"""Python source for plain data, safe to paste into generated code.

Names from the data or the user (a study called ``x\"\"\"; import os``, a column called
``site\\N``) must reach an exported script as data, never as code. ``repr`` alone is not
enough: a ``str`` subclass or a NumPy scalar may repr as anything. Here every value is
first reduced to a plain ``None``/``bool``/``int``/``float``/``str`` (or a list, tuple or
dict of them) and rendered with the built-in types' own ``__repr__``, which always gives
a valid literal that evaluates back to the same value.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Mapping
from typing import Any

import numpy as np


def python_literal(value: Any) -> str:
    """Source that evaluates to ``value``; TypeError for anything but plain data.

    Floats keep every digit; NaN and infinities become ``float("nan")``/``float("inf")``.
    """
    if value is None:
        return "None"
    if isinstance(value, bool | np.bool_):
        return "True" if value else "False"
    if isinstance(value, str):
        return str.__repr__(str.__str__(value))  # a plain copy, repr'd as str, not as subclass
    if isinstance(value, numbers.Integral):
        return int.__repr__(operator.index(value))
    if isinstance(value, numbers.Real):
        return _float_literal(float(value))
    if isinstance(value, Mapping):
        items = ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, tuple):
        items = [python_literal(item) for item in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    raise TypeError(f"{type(value).__name__} is not plain data and cannot be written as a "
                    "Python literal")


def dict_literal(values: Mapping[str, Any]) -> str:
    """A dict literal with one item a line, easier to read and edit for a long dict."""
    if not values:
        return "{}"
    items = "".join(f"    {python_literal(k)}: {python_literal(v)},\n" for k, v in values.items())
    return "{\n" + items + "}"


def _float_literal(value: float) -> str:
    if math.isnan(value):
        return 'float("nan")'
    if math.isinf(value):
        return 'float("inf")' if value > 0 else '-float("inf")'
    return float.__repr__(value)
