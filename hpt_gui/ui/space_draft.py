"""What the user types into the space editor, as plain-Python drafts (no Qt).

:class:`ParamDraft` and :class:`SpaceDraft` keep every field as typed, parse the text, build
the :class:`~hpt_gui.core.space.SearchSpace` and say which field a
:class:`~hpt_gui.core.space.SpaceError` is about. Kept apart from the widgets so they can be
used, and tested, without Qt: this module imports neither PySide6 nor pyqtgraph.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..core.catalog import ModelInfo
from ..core.space import (
    Categorical,
    Condition,
    Dimension,
    FloatRange,
    IntRange,
    SearchSpace,
    SpaceError,
)

KINDS = ("int", "float", "categorical")
PRESETS = ("default", "quick", "thorough")
CUSTOM = "custom"
PRESET_GRID_POINTS = {"quick": 3, "thorough": 8}
RANGE_FIELDS = ("low", "high", "log", "step", "grid_points")

_INTEGER = re.compile(r"[+-]?\d+\Z")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")
_FIELD_WORDS = re.compile(r"\b(low|high|step|grid_points|log)\b")
_QUOTED_NAME = re.compile(r"'([^']+)'")


# ---------------------------------------------------------------------------------------
# Text <-> values (no Qt)


def parse_value(text: str) -> Any:
    """One typed value: a number, true/false, null, or text ("quoted" to force text)."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] == '"':
        try:
            value = json.loads(t)
        except ValueError:
            value = t[1:-1]
        return value if isinstance(value, str) else t[1:-1]
    lowered = t.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered in ("null", "none"):
        return None
    if _INTEGER.match(t):
        return int(t)
    if _NUMBER.match(t):
        return float(t)
    return t


def split_choices(text: str) -> list[str]:
    """Comma-separated pieces; a comma inside "double quotes" stays in its piece."""
    pieces, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return [p.strip() for p in pieces if p.strip()]


def format_value(value: Any) -> str:
    """A value the way :func:`parse_value` reads it back unchanged."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    plain = (text == text.strip() and "," not in text and '"' not in text
             and parse_value(text) == text and isinstance(parse_value(text), str))
    return text if plain else json.dumps(text)


def format_choices(values: Iterable[Any]) -> str:
    return ", ".join(format_value(v) for v in values)


def format_number(value: float) -> str:
    """A range bound: 1000.0 shows as 1000, 0.0001 as 0.0001, 1e-12 as 1e-12."""
    text = format_value(value)
    return text[:-2] if isinstance(value, float) and text.endswith(".0") else text


def condition_text(when: Condition | None) -> str:
    """'only when kernel is rbf or poly' (empty without a condition)."""
    return "" if when is None else f"only when {when.describe()}"


def plain_label(name: str, label: str) -> str:
    """'Penalty for errors (C)' for C -> 'penalty for errors'; '' if it only repeats the name
    ('Kernel' for kernel, 'Hidden layers' for hidden_layers)."""
    suffix = f" ({name})"
    if label.endswith(suffix):
        label = label[: -len(suffix)]
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        label = label[0].lower() + label[1:]
    if label.lower() == name.lower().replace("_", " "):
        return ""
    return label


def name_and_label(name: str, label: str) -> str:
    """'C — penalty for errors', or just the name when the label adds nothing."""
    plain = plain_label(name, label)
    return f"{name} — {plain}" if plain else name


def preset_space(model: ModelInfo, preset: str) -> SearchSpace:
    """The catalog's space; 'quick' and 'thorough' set every range's grid points (3 / 8)."""
    if preset == "default":
        return model.default_space
    if preset not in PRESET_GRID_POINTS:
        raise ValueError(f"Unknown preset '{preset}'; use {', '.join(PRESETS)}.")
    points = PRESET_GRID_POINTS[preset]
    return SearchSpace(tuple(
        dataclasses.replace(d, grid_points=points) if isinstance(d, IntRange | FloatRange)
        else d
        for d in model.default_space
    ))


def _fits(value: Any, kind: str) -> bool:
    if kind == "categorical":
        return True
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return kind == "float" or isinstance(value, int)


# ---------------------------------------------------------------------------------------
# Drafts: what the user typed, and the space it makes (no Qt)


class FieldError(SpaceError):
    """A SpaceError with the hyperparameter and the fields (low, high, ...) it is about."""

    def __init__(self, message: str, name: str, fields: Iterable[str]) -> None:
        super().__init__(message)
        self.name = name
        self.fields = tuple(fields)


@dataclass
class ParamDraft:
    """One row of the editor: every field as typed, whether or not it is in use.

    ``search`` False means the value in ``fixed`` is kept (a one-choice Categorical); an
    empty ``fixed`` leaves the hyperparameter out, so the model keeps its own default.
    """

    name: str
    kind: str
    when: Condition | None = None
    search: bool = True
    fixed: str = ""
    choices: str = ""
    low: str = ""
    high: str = ""
    log: bool = False
    step: str = ""
    grid_points: str = ""

    def load_dimension(self, dim: Dimension) -> None:
        """Show ``dim`` in the fields; the fields it does not use keep their text."""
        self.when = dim.when
        if isinstance(dim, Categorical):
            if len(dim.choices) == 1 and _fits(dim.choices[0], self.kind):
                self.search = False
                self.fixed = format_value(dim.choices[0])
            else:
                self.kind, self.search = "categorical", True
                self.choices = format_choices(dim.choices)
            return
        self.kind, self.search = dim.kind, True
        self.low, self.high, self.log = format_number(dim.low), format_number(dim.high), dim.log
        default_step = 1 if isinstance(dim, IntRange) else None
        self.step = "" if dim.step == default_step else format_number(dim.step)
        self.grid_points = "" if dim.grid_points is None else str(dim.grid_points)

    def value_fields(self) -> tuple[str, ...]:
        if not self.search:
            return ("fixed",)
        return ("choices",) if self.kind == "categorical" else ("low", "high")

    def set_search(self, search: bool) -> None:
        """Switch between searched and fixed; a new fixed value starts at the middle."""
        self.search = search
        if not search and not self.fixed.strip():
            try:
                dim = self._searched()
            except SpaceError:
                return
            self.fixed = format_value(dim.default())

    def set_kind(self, kind: str) -> None:
        """Change the type, carrying over what fits (range values <-> choices)."""
        if kind == self.kind or kind not in KINDS:
            return
        try:
            old = self._searched() if self.kind != "categorical" or self.choices else None
        except SpaceError:
            old = None
        if kind == "categorical":
            if old is not None and not self.choices.strip():
                try:
                    self.choices = format_choices(old.grid(limit=50))
                except SpaceError:
                    pass
        elif isinstance(old, Categorical):
            numbers = [v for v in old.choices if _fits(v, "float")]
            if numbers:
                low, high = min(numbers), max(numbers)
                if kind == "int":
                    low, high = math.ceil(low), math.floor(high)
                self.low, self.high = format_number(low), format_number(high)
        self.kind = kind

    def dimension(self) -> Dimension | None:
        """The dimension the fields describe; None when left at the model's default."""
        return self._searched() if self.search else self._fixed()

    def _fixed(self) -> Dimension | None:
        text = self.fixed.strip()
        if not text:
            return None
        if len(split_choices(text)) > 1:
            raise FieldError(
                f"'{self.name}': type one fixed value, not a list (tick Search to try "
                "several).", self.name, ("fixed",))
        value = parse_value(text)
        if self.kind == "int" and isinstance(value, float) and value.is_integer():
            value = int(value)
        if not _fits(value, self.kind):
            what = "a whole number" if self.kind == "int" else "a number"
            raise FieldError(f"'{self.name}': the fixed value must be {what}, not "
                             f"{json.dumps(text)} (for a word or null, set the type to "
                             "categorical).", self.name, ("fixed",))
        try:
            return Categorical(self.name, (value,), when=self.when)
        except SpaceError as exc:
            raise FieldError(str(exc), self.name, ("fixed",)) from None

    def _searched(self) -> Dimension:
        if self.kind == "categorical":
            pieces = split_choices(self.choices)
            if not pieces:
                raise FieldError(
                    f"'{self.name}': type at least one choice, separated by commas "
                    "(e.g. rbf, linear).", self.name, ("choices",))
            try:
                return Categorical(self.name, tuple(parse_value(p) for p in pieces),
                                   when=self.when)
            except SpaceError as exc:
                raise FieldError(str(exc), self.name, ("choices",)) from None
        low = self._number("low", self.low, required=True)
        high = self._number("high", self.high, required=True)
        step = self._number("step", self.step, required=False)
        points = self._number("grid_points", self.grid_points, required=False)
        cls = IntRange if self.kind == "int" else FloatRange
        try:
            return cls(self.name, low, high, log=self.log, step=step, grid_points=points,
                       when=self.when)
        except SpaceError as exc:
            raise FieldError(str(exc), self.name, _fields_in(str(exc))) from None

    def _number(self, key: str, text: str, required: bool) -> int | float | None:
        t = text.strip()
        shown = key.replace("_", " ")
        if not t:
            if required:
                raise FieldError(f"'{self.name}': {shown} is empty; type a number.",
                                 self.name, (key,))
            return None
        value = parse_value(t)
        if not _fits(value, "float"):
            hint = " (write decimals with a point, e.g. 0.5)" if "," in t else ""
            raise FieldError(f"'{self.name}': {shown} must be a number, not "
                             f"{json.dumps(t)}{hint}.", self.name, (key,))
        return value


def _fields_in(message: str) -> tuple[str, ...]:
    """Which range fields a core message names ('low (5) is above high (1)' -> low, high)."""
    _, _, rest = message.partition(": ")
    found = tuple(dict.fromkeys(_FIELD_WORDS.findall(rest or message)))
    return found or ("low", "high")


@dataclass(frozen=True)
class BuiltSpace:
    """The result of checking a draft: the space (None if invalid) and why not."""

    space: SearchSpace | None
    errors: dict[str, FieldError]  # hyperparameter -> its error, in row order
    unused: frozenset[str]  # searched, but their condition can never hold

    @property
    def first_error(self) -> FieldError | None:
        return next(iter(self.errors.values()), None)


class SpaceDraft:
    """All rows of one model: the catalog's hyperparameters, then any extra ones loaded."""

    def __init__(self, model: ModelInfo, space: SearchSpace | None = None,
                 preset: str = "default") -> None:
        self.model = model
        self.preset = preset
        if space is None:
            space = preset_space(model, preset)
        self.params: list[ParamDraft] = []
        catalog = [h.name for h in model.hyperparameters]
        for hp in model.hyperparameters:
            draft = ParamDraft(hp.name, hp.dimension.kind)
            draft.load_dimension(hp.dimension)  # every field starts at the catalog's value
            if hp.name in space.names:
                draft.load_dimension(space[hp.name])
            else:
                draft.search, draft.fixed = False, ""
            self.params.append(draft)
        for dim in space:
            if dim.name not in catalog:
                draft = ParamDraft(dim.name, dim.kind)
                draft.load_dimension(dim)
                self.params.append(draft)
        # The space keeps the order it was given in (a loaded file's order round-trips).
        self.order = space.names + [n for n in catalog if n not in space.names]

    def param(self, name: str) -> ParamDraft:
        for draft in self.params:
            if draft.name == name:
                return draft
        raise KeyError(name)

    def build(self) -> BuiltSpace:
        errors: dict[str, FieldError] = {}
        dims: dict[str, Dimension] = {}
        for draft in self.params:
            try:
                dim = draft.dimension()
            except FieldError as exc:
                errors[draft.name] = exc
                continue
            if dim is not None:
                dims[draft.name] = dim
        unused: set[str] = set()
        if not errors:
            self._drop_unreachable(dims, unused, errors)
        space = None
        if not errors:
            try:
                space = SearchSpace(tuple(dims[n] for n in self.order if n in dims))
            except SpaceError as exc:
                names = [n for n in _QUOTED_NAME.findall(str(exc)) if n in dims]
                name = names[0] if names else next(iter(dims), self.params[0].name)
                errors[name] = FieldError(str(exc), name, self.param(name).value_fields())
        ordered = {d.name: errors[d.name] for d in self.params if d.name in errors}
        return BuiltSpace(space, ordered, frozenset(unused))

    def _drop_unreachable(self, dims: dict[str, Dimension], unused: set[str],
                          errors: dict[str, FieldError]) -> None:
        """Leave out what can never be active (gamma when kernel is fixed to linear).

        A condition on a hyperparameter left at the model's default cannot be judged, so
        that hyperparameter's fixed field is marked and asked for a value.
        """
        changed = True
        while changed:
            changed = False
            for name, dim in list(dims.items()):
                if dim.when is None:
                    continue
                for parent, values in dim.when.requires:
                    parent_dim = dims.get(parent)
                    if parent_dim is None and parent in unused:
                        pass
                    elif parent_dim is None:
                        if parent not in errors and any(p.name == parent for p in self.params):
                            errors[parent] = FieldError(
                                f"'{name}' is used {condition_text(dim.when)}, so '{parent}' "
                                f"needs a value here (or leave '{name}' at the default too).",
                                parent, ("fixed",))
                        continue
                    elif any(parent_dim.contains(v) for v in values):
                        continue
                    del dims[name]
                    unused.add(name)
                    changed = True
                    break


__all__ = [
    "CUSTOM", "KINDS", "PRESETS", "PRESET_GRID_POINTS", "RANGE_FIELDS", "BuiltSpace",
    "FieldError", "ParamDraft", "SpaceDraft", "condition_text", "format_choices",
    "format_number", "format_value", "name_and_label", "parse_value", "plain_label",
    "preset_space", "split_choices",
]
