"""How deeply a JSON text nests, found without parsing it.

Python's JSON parser recurses once per bracket, so a text nested some thousands deep
ends in RecursionError instead of a sentence. Files the user gives (a search space, a
manual trial's parameters) nest a few levels at most; deeper ones are refused before
they are parsed.
"""

from __future__ import annotations

import re

MAX_NESTING = 20  # a search space nests 4 deep: range, choices, a choice that is a list

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str, stop_at: int = MAX_NESTING + 1) -> int:
    """The deepest nesting of brackets outside strings (counted up to ``stop_at``)."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest >= stop_at:
                break
        else:
            depth -= 1
    return deepest


def too_deep(text: str, limit: int = MAX_NESTING) -> bool:
    """True when ``text`` nests deeper than ``limit``."""
    return nesting_depth(text, stop_at=limit + 1) > limit
