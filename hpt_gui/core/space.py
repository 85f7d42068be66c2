"""Search spaces: what values each hyperparameter may take.

Dimensions are validated value objects (a bad range fails at construction with a
sentence the user can act on) with a JSON round trip. The JSON file format is the one
``hpt-gui run --space FILE`` reads::

    {
      "max_depth": {"type": "int", "low": 1, "high": 12},
      "criterion": {"type": "categorical", "choices": ["gini", "entropy"]},
      "C": {"type": "float", "low": 0.001, "high": 1000, "log": true, "grid_points": 7},
      "l1_ratio": {"type": "float", "low": 0, "high": 1,
                   "when": {"penalty": ["elasticnet"]}}
    }

Keys of a dimension:

- ``type``: ``"int"``, ``"float"`` or ``"categorical"``.
- ``low``, ``high`` (int/float): inclusive bounds, written as JSON numbers (not text);
  whole numbers for an int range, within plus or minus 2**53.
- ``log`` (int/float, optional): ``true`` or ``false``; sample and grid on a log scale;
  needs ``low > 0``.
- ``step`` (int/float, optional): values are ``low + k * step`` (a whole number for an int
  range); not with ``log``.
- ``grid_points`` (optional, default 5): how many evenly spread values (log-spread with
  ``log``) a grid search tries. A float range without a step always uses it; an int
  range uses every value when it holds at most 10, else ``grid_points`` values. A grid
  search refuses a dimension with more than 200,000 grid values.
- ``choices`` (categorical): a list of values (numbers, text, true/false, null).
- ``when`` (any, optional): ``{"other_name": [values...]}``; the dimension is active
  only when each named hyperparameter takes one of the listed values. An inactive
  dimension is left out of the trial's parameters (the model keeps its default).

An optional key set to ``null`` counts as left out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .input_files import InputFileError, check_ordinary_file, read_ordinary_file
from .json_depth import MAX_NESTING, too_deep

DEFAULT_GRID_POINTS = 5
ALL_INT_VALUES_UP_TO = 10
MAX_GRID_SIZE = 200_000
_MAX_WHOLE = 2**53  # beyond this, floats (and JSON readers) lose whole numbers
_SCALAR = (bool, int, float, str, type(None))


class SpaceError(ValueError):
    """A search space that cannot be searched, phrased for the user."""


@dataclass(frozen=True)
class Condition:
    """Active only when every named parent takes one of the listed values."""

    requires: tuple[tuple[str, tuple[Any, ...]], ...]

    @classmethod
    def from_json(cls, name: str, data: Any) -> Condition:
        if not isinstance(data, Mapping) or not data:
            raise SpaceError(
                f"'{name}': 'when' must name another hyperparameter and its values, "
                'e.g. {"penalty": ["elasticnet"]}.'
            )
        requires = []
        for parent, values in data.items():
            if not isinstance(values, list | tuple):
                values = [values]
            if not values:
                raise SpaceError(f"'{name}': the condition on '{parent}' lists no values.")
            requires.append((str(parent), tuple(values)))
        return cls(tuple(requires))

    def to_json(self) -> dict[str, list[Any]]:
        return {parent: list(values) for parent, values in self.requires}

    @property
    def parents(self) -> tuple[str, ...]:
        return tuple(parent for parent, _ in self.requires)

    def describe(self) -> str:
        """In words, for the window, the report and the command line alike:
        "kernel is rbf or poly", "solver is sgd and early_stopping is true"."""
        def alternatives(values: tuple[Any, ...]) -> str:
            words = [v if isinstance(v, str) else _show(v) for v in values]
            return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"

        return " and ".join(f"{parent} is {alternatives(values)}"
                            for parent, values in self.requires)

    def holds(self, params: Mapping[str, Any]) -> bool:
        return all(
            parent in params and _value_in(params[parent], values)
            for parent, values in self.requires
        )


def _value_in(value: Any, values: Iterable[Any]) -> bool:
    # 1 == True in Python; a condition on [1] must not match True, nor "1" match 1.
    return any(type(value) is type(v) and value == v for v in values) or any(
        isinstance(value, int | float) and not isinstance(value, bool)
        and isinstance(v, int | float) and not isinstance(v, bool) and value == v
        for v in values
    )


@dataclass(frozen=True)
class IntRange:
    """Whole numbers from ``low`` to ``high`` inclusive."""

    name: str
    low: int
    high: int
    log: bool = False
    step: int = 1
    grid_points: int | None = None
    when: Condition | None = None
    kind: str = field(default="int", init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", _whole(self.name, "low", self.low))
        object.__setattr__(self, "high", _whole(self.name, "high", self.high))
        step = 1 if self.step is None else _whole(self.name, "step", self.step)
        object.__setattr__(self, "step", step)
        object.__setattr__(self, "log", _flag(self.name, "log", self.log))
        _check_bounds(self.name, self.low, self.high, self.log, self.step)
        if self.log and self.step != 1:
            raise SpaceError(f"'{self.name}': use either a log scale or a step, not both.")
        object.__setattr__(self, "grid_points", _grid_points(self.name, self.grid_points))

    @property
    def size(self) -> int:
        """How many values the range holds (computed, never listed)."""
        return (self.high - self.low) // self.step + 1

    def _snap(self, value: float) -> int:
        k = round((value - self.low) / self.step)
        return self.low + min(max(k, 0), self.size - 1) * self.step

    def grid(self, limit: int = MAX_GRID_SIZE) -> list[int]:
        size = self.size
        points = self.grid_points
        if points is None:
            points = size if size <= ALL_INT_VALUES_UP_TO else DEFAULT_GRID_POINTS
        _check_grid_size(self.name, min(size, points), limit)
        if size <= points:
            return list(range(self.low, self.high + 1, self.step))
        if self.log:
            spread = np.geomspace(self.low, self.high, points)
        else:
            spread = np.linspace(self.low, self.high, points)
        return sorted({self._snap(float(v)) for v in spread})

    def sample(self, rng: np.random.Generator) -> int:
        if self.log:
            value = math.exp(rng.uniform(math.log(self.low), math.log(self.high + 1)))
            return int(min(max(math.floor(value), self.low), self.high))
        return self.low + int(rng.integers(self.size)) * self.step

    def default(self) -> int:
        if self.log:
            middle = math.sqrt(self.low * self.high)
        else:
            middle = (self.low + self.high) / 2
        return self._snap(middle)

    def contains(self, value: Any) -> bool:
        return (
            isinstance(value, int | np.integer) and not isinstance(value, bool)
            and self.low <= value <= self.high and (value - self.low) % self.step == 0
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "int", "low": self.low, "high": self.high}
        if self.log:
            data["log"] = True
        if self.step != 1:
            data["step"] = self.step
        if self.grid_points is not None:
            data["grid_points"] = self.grid_points
        return _with_condition(data, self.when)


@dataclass(frozen=True)
class FloatRange:
    """Real numbers from ``low`` to ``high`` inclusive."""

    name: str
    low: float
    high: float
    log: bool = False
    step: float | None = None
    grid_points: int = DEFAULT_GRID_POINTS
    when: Condition | None = None
    kind: str = field(default="float", init=False)

    def __post_init__(self) -> None:
        for key in ("low", "high"):
            object.__setattr__(self, key, float(_number(self.name, key, getattr(self, key))))
        if self.step is not None:
            object.__setattr__(self, "step", float(_number(self.name, "step", self.step)))
        object.__setattr__(self, "log", _flag(self.name, "log", self.log))
        _check_bounds(self.name, self.low, self.high, self.log, self.step)
        if not math.isfinite(self.high - self.low):
            raise SpaceError(
                f"'{self.name}': the range from {self.low:g} to {self.high:g} is too wide to "
                "compute with; narrow it."
            )
        if self.log and self.step is not None:
            raise SpaceError(f"'{self.name}': use either a log scale or a step, not both.")
        points = _grid_points(self.name, self.grid_points)
        object.__setattr__(self, "grid_points", DEFAULT_GRID_POINTS if points is None else points)
        if self.step is not None and not (self.high - self.low) / self.step < _MAX_WHOLE:
            raise SpaceError(
                f"'{self.name}': the step ({self.step:g}) is too fine for the range "
                f"{self.low:g} to {self.high:g}; use a larger step or none."
            )

    def _step_count(self) -> int:
        assert self.step is not None
        return int(math.floor((self.high - self.low) / self.step + 1e-9)) + 1

    def grid(self, limit: int = MAX_GRID_SIZE) -> list[float]:
        if self.step is not None:
            count = self._step_count()
            _check_grid_size(self.name, count, limit)
            return [_tidy(self.low + k * self.step) for k in range(count)]
        _check_grid_size(self.name, self.grid_points, limit)
        if self.grid_points == 1:
            return [self.default()]
        if self.log:
            values = np.geomspace(self.low, self.high, self.grid_points)
        else:
            values = np.linspace(self.low, self.high, self.grid_points)
        return [_tidy(float(v)) for v in values]

    def sample(self, rng: np.random.Generator) -> float:
        if self.step is not None:
            return _tidy(self.low + int(rng.integers(self._step_count())) * self.step)
        if self.log:
            return float(math.exp(rng.uniform(math.log(self.low), math.log(self.high))))
        return float(rng.uniform(self.low, self.high))

    def default(self) -> float:
        if self.log:
            return _tidy(math.sqrt(self.low * self.high))
        middle = (self.low + self.high) / 2
        if self.step is not None:
            middle = self.low + round((middle - self.low) / self.step) * self.step
        return _tidy(middle)

    def contains(self, value: Any) -> bool:
        return (
            isinstance(value, int | float | np.number) and not isinstance(value, bool)
            and self.low - 1e-12 <= float(value) <= self.high + 1e-12
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "float", "low": self.low, "high": self.high}
        if self.log:
            data["log"] = True
        if self.step is not None:
            data["step"] = self.step
        if self.grid_points != DEFAULT_GRID_POINTS:
            data["grid_points"] = self.grid_points
        return _with_condition(data, self.when)


@dataclass(frozen=True)
class Categorical:
    """One of a fixed list of values."""

    name: str
    choices: tuple[Any, ...]
    when: Condition | None = None
    kind: str = field(default="categorical", init=False)

    def __post_init__(self) -> None:
        if not isinstance(self.choices, list | tuple):
            raise SpaceError(
                f"'{self.name}': choices must be a list of values, e.g. [\"gini\", \"entropy\"], "
                f"not {_show(self.choices)}."
            )
        choices = tuple(self.choices)
        if not choices:
            raise SpaceError(f"'{self.name}': give at least one choice.")
        for choice in choices:
            if not isinstance(choice, _SCALAR):
                raise SpaceError(
                    f"'{self.name}': the choice {choice!r} is not a number, text, "
                    "true/false or null."
                )
        if len({(type(c), c) for c in choices}) != len(choices):
            raise SpaceError(f"'{self.name}': a choice is listed twice.")
        object.__setattr__(self, "choices", choices)

    def grid(self, limit: int = MAX_GRID_SIZE) -> list[Any]:
        _check_grid_size(self.name, len(self.choices), limit, "list fewer choices")
        return list(self.choices)

    def sample(self, rng: np.random.Generator) -> Any:
        return self.choices[int(rng.integers(len(self.choices)))]

    def default(self) -> Any:
        return self.choices[0]

    def contains(self, value: Any) -> bool:
        return _value_in(value, self.choices)

    def to_json(self) -> dict[str, Any]:
        return _with_condition({"type": "categorical", "choices": list(self.choices)}, self.when)


Dimension = IntRange | FloatRange | Categorical


def _show(value: Any) -> str:
    """A value as the user wrote it in JSON (null, true, "text"), else its repr."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _number(name: str, key: str, value: Any) -> int | float:
    """A finite JSON number (not text, true/false or null), or a SpaceError."""
    if not _is_number(value):
        hint = " (write numbers without quotes)" if isinstance(value, str) else ""
        raise SpaceError(f"'{name}': {key} must be a number, not {_show(value)}{hint}.")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise SpaceError(f"'{name}': {key} must be a finite number, not {_show(value)}.")
    return value


def _whole(name: str, key: str, value: Any) -> int:
    """A whole number within plus or minus 2**53, or a SpaceError."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        whole = int(value)
    else:
        value = _number(name, key, value)
        if not float(value).is_integer():
            raise SpaceError(f"'{name}': {key} must be a whole number, not {_show(value)}.")
        whole = int(value)
    if abs(whole) > _MAX_WHOLE:
        raise SpaceError(
            f"'{name}': {key} ({whole:,}) is too large; whole numbers must lie within "
            f"plus or minus {_MAX_WHOLE:,}."
        )
    return whole


def _flag(name: str, key: str, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool | np.bool_):
        raise SpaceError(f"'{name}': {key} must be true or false, not {_show(value)}.")
    return bool(value)


def _grid_points(name: str, value: Any) -> int | None:
    if value is None:
        return None
    whole = isinstance(value, int | np.integer) or (
        _is_number(value) and math.isfinite(value) and float(value).is_integer()
    )
    if not _is_number(value) or not whole or value < 1:
        raise SpaceError(
            f"'{name}': grid_points must be a whole number of at least 1, not {_show(value)}."
        )
    return int(value)


def _check_grid_size(
    name: str, count: int, limit: int, fix: str = "use a larger step, lower grid_points"
) -> None:
    if count > limit:
        raise SpaceError(
            f"'{name}': its grid would hold {count:,} values, too many to search (the limit "
            f"is {limit:,}); {fix}, or use random search."
        )


def _check_bounds(name: str, low: float, high: float, log: bool, step: float | None) -> None:
    if low > high:
        raise SpaceError(f"'{name}': low ({low:g}) is above high ({high:g}); swap them.")
    if log and low <= 0:
        raise SpaceError(
            f"'{name}': a log scale needs low above 0 (it is {low:g}); raise low or turn log off."
        )
    if step is not None and not step > 0:
        raise SpaceError(f"'{name}': step must be above 0 (it is {step:g}).")
    if step is not None and step > high - low and high > low:
        raise SpaceError(
            f"'{name}': step ({step:g}) is wider than the range {low:g} to {high:g}."
        )


def _tidy(value: float) -> float:
    """Round away float noise such as 0.30000000000000004, keeping 12 significant digits."""
    return float(f"{value:.12g}")


def _with_condition(data: dict[str, Any], when: Condition | None) -> dict[str, Any]:
    if when is not None:
        data["when"] = when.to_json()
    return data


_KEYS = {
    "int": {"type", "low", "high", "log", "step", "grid_points", "when", "help"},
    "float": {"type", "low", "high", "log", "step", "grid_points", "when", "help"},
    "categorical": {"type", "choices", "when", "help"},
}


def dimension_from_json(name: str, data: Any) -> Dimension:
    """Build one dimension from its JSON description, with a sentence on error."""
    if not isinstance(data, Mapping):
        raise SpaceError(
            f"'{name}': describe it as an object with a type, e.g. "
            '{"type": "int", "low": 1, "high": 10}.'
        )
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in _KEYS:
        raise SpaceError(
            f"'{name}': type must be \"int\", \"float\" or \"categorical\", not {kind!r}."
        )
    unknown = set(data) - _KEYS[kind]
    if unknown:
        raise SpaceError(
            f"'{name}': unknown key(s) {', '.join(sorted(unknown))} for a {kind} dimension; "
            f"allowed are {', '.join(sorted(_KEYS[kind] - {'help'}))}."
        )
    when = Condition.from_json(name, data["when"]) if data.get("when") is not None else None
    if kind == "categorical":
        if "choices" not in data:
            raise SpaceError(f"'{name}': a categorical dimension needs a list of choices.")
        return Categorical(name, data["choices"], when=when)
    for key in ("low", "high"):
        if key not in data:
            raise SpaceError(f"'{name}': a {kind} range needs '{key}'.")
    cls = IntRange if kind == "int" else FloatRange
    # An optional key given as null counts as left out (each class fills in its default).
    return cls(
        name, data["low"], data["high"], log=data.get("log"), step=data.get("step"),
        grid_points=data.get("grid_points"), when=when,
    )


@dataclass(frozen=True)
class SearchSpace:
    """An ordered set of dimensions; conditions refer to earlier-or-later names freely."""

    dimensions: tuple[Dimension, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", tuple(self.dimensions))
        names = [d.name for d in self.dimensions]
        if len(set(names)) != len(names):
            raise SpaceError("A hyperparameter is listed twice in the search space.")
        by_name = dict(zip(names, self.dimensions, strict=True))
        for dim in self.dimensions:
            if dim.when is None:
                continue
            for parent, values in dim.when.requires:
                if parent == dim.name:
                    raise SpaceError(f"'{dim.name}': a condition cannot refer to itself.")
                if parent not in by_name:
                    raise SpaceError(
                        f"'{dim.name}' depends on '{parent}', which is not in the search space."
                    )
                parent_dim = by_name[parent]
                if not any(parent_dim.contains(v) for v in values):
                    raise SpaceError(
                        f"'{dim.name}' is active only when '{parent}' is one of "
                        f"{list(values)}, but '{parent}' never takes those values."
                    )
        self._order()  # rejects cycles

    def __iter__(self):
        return iter(self.dimensions)

    def __len__(self) -> int:
        return len(self.dimensions)

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.dimensions]

    def __getitem__(self, name: str) -> Dimension:
        for dim in self.dimensions:
            if dim.name == name:
                return dim
        raise KeyError(name)

    def _order(self) -> list[Dimension]:
        """Dimensions with every parent before its children (conditions form no cycle)."""
        ordered: list[Dimension] = []
        placed: set[str] = set()
        pending = list(self.dimensions)
        while pending:
            ready = [d for d in pending if d.when is None or set(d.when.parents) <= placed]
            if not ready:
                raise SpaceError(
                    "The conditions between "
                    + ", ".join(f"'{d.name}'" for d in pending)
                    + " go round in a circle."
                )
            for dim in ready:
                ordered.append(dim)
                placed.add(dim.name)
                pending.remove(dim)
        return ordered

    def active(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Keep only the parameters whose conditions hold, in dependency order."""
        kept: dict[str, Any] = {}
        for dim in self._order():
            if dim.name in params and (dim.when is None or dim.when.holds(kept)):
                kept[dim.name] = params[dim.name]
        return kept

    def sample(self, rng: np.random.Generator) -> dict[str, Any]:
        """One random configuration, respecting conditions."""
        params: dict[str, Any] = {}
        for dim in self._order():
            if dim.when is None or dim.when.holds(params):
                params[dim.name] = dim.sample(rng)
        return self._in_declared_order(params)

    def default(self) -> dict[str, Any]:
        """A middle-of-the-road configuration (for a manual trial)."""
        params: dict[str, Any] = {}
        for dim in self._order():
            if dim.when is None or dim.when.holds(params):
                params[dim.name] = dim.default()
        return self._in_declared_order(params)

    def grid(self, limit: int = MAX_GRID_SIZE) -> list[dict[str, Any]]:
        """Every combination, with inactive dimensions left out and no duplicates.

        Raises SpaceError past ``limit`` combinations, before memory runs out.
        """
        configs: list[dict[str, Any]] = [{}]
        for dim in self._order():
            grown: list[dict[str, Any]] = []
            values = dim.grid(limit)
            for params in configs:
                if dim.when is None or dim.when.holds(params):
                    grown.extend({**params, dim.name: value} for value in values)
                else:
                    grown.append(params)
                if len(grown) > limit:
                    raise SpaceError(
                        f"The grid has more than {limit:,} combinations, too many to search; "
                        "narrow the ranges, lower grid_points, or use random search."
                    )
            configs = grown
        seen: set[str] = set()
        unique = []
        for params in configs:
            key = json.dumps(self._in_declared_order(params), sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                unique.append(self._in_declared_order(params))
        return unique

    def validate_params(self, params: Mapping[str, Any]) -> None:
        """Raise SpaceError if a hand-set configuration lies outside the space."""
        for name, value in params.items():
            if name not in self.names:
                continue
            if not self[name].contains(value):
                raise SpaceError(f"'{name}' = {value!r} lies outside its search range.")

    def _in_declared_order(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return {name: params[name] for name in self.names if name in params}

    def to_json(self) -> dict[str, Any]:
        return {dim.name: dim.to_json() for dim in self.dimensions}

    @classmethod
    def from_json(cls, data: Any) -> SearchSpace:
        if not isinstance(data, Mapping):
            raise SpaceError(
                "A search space file must hold one JSON object mapping each hyperparameter "
                'to its range, e.g. {"max_depth": {"type": "int", "low": 1, "high": 12}}.'
            )
        if not data:
            raise SpaceError("The search space is empty: give at least one hyperparameter.")
        return cls(tuple(dimension_from_json(str(n), d) for n, d in data.items()))

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)

    @classmethod
    def loads(cls, text: str) -> SearchSpace:
        if too_deep(text):  # the JSON parser would recurse past Python's limit
            raise SpaceError(
                f"The search space is nested too deeply (more than {MAX_NESTING} levels of "
                "brackets); a search space needs a few: each hyperparameter's range, its "
                "list of choices and its condition."
            )
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpaceError(
                f"The search space is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                f"{exc.msg})."
            ) from None
        return cls.from_json(data)

    @classmethod
    def load(cls, path: str | Path) -> SearchSpace:
        path = Path(path)
        try:  # a named pipe or a device would hang the read
            check_ordinary_file(path, "search space file")
            text = read_ordinary_file(path, "search space file").decode("utf-8-sig")
        except InputFileError as exc:
            raise SpaceError(str(exc)) from None
        except FileNotFoundError:
            raise SpaceError(f"The search space file '{path}' does not exist.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SpaceError(f"The search space file '{path}' cannot be read ({exc}).") from None
        try:
            return cls.loads(text)
        except SpaceError as exc:
            raise SpaceError(f"In '{path.name}': {exc}") from None

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.dumps() + "\n", encoding="utf-8")

    def restricted_to(self, names: Iterable[str]) -> SearchSpace:
        """Only the named dimensions (conditions on the others must not remain)."""
        names = set(names)
        return SearchSpace(tuple(d for d in self.dimensions if d.name in names))


__all__ = [
    "Categorical", "Condition", "Dimension", "FloatRange", "IntRange", "SearchSpace",
    "SpaceError", "dimension_from_json",
]
