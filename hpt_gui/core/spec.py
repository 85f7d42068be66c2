"""StudySpec: everything that defines a study, as one JSON-serialisable value.

A study is stored with its spec; running a study again on the same project resumes it
only when the settings that shape the results (data, target, model, space, strategy and
its options, validation, metric, seed) are unchanged. The budget may grow between runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from .space import SearchSpace

STRATEGIES = ("manual", "grid", "random", "tpe", "evolution")
# How each strategy is named in a sentence ("A random search needs a budget").
STRATEGY_NAMES = {
    "manual": "manual trial", "grid": "grid search", "random": "random search",
    "tpe": "Bayesian (TPE) search", "evolution": "evolutionary search",
}
# Strategies that never run out of candidates, so need a number of trials or a time limit.
UNBOUNDED_STRATEGIES = ("random", "tpe", "evolution")
# The options a strategy takes, with their defaults (filled in, so a stored spec says all).
EVOLUTION_ALGORITHMS = ("auto", "cmaes", "nsga2")
DEFAULT_POPULATION = 16
MAX_POPULATION = 10_000
STRATEGY_OPTIONS: dict[str, dict[str, Any]] = {
    "evolution": {"population": DEFAULT_POPULATION, "algorithm": "auto"},
}
# Bumped whenever a rule that shapes results changes (grid spreading, a model's fixed
# settings, preprocessing), so a study is never resumed by an engine that would run its
# remaining trials differently.
ENGINE_VERSION = 1
DEFAULT_SCORING = {"classification": "accuracy", "regression": "r2"}


class SpecError(ValueError):
    """Study settings that cannot work together, phrased for the user."""


@dataclass(frozen=True)
class StudySpec:
    """What to search, how, and on which data."""

    name: str
    data: str
    target: str
    model: str
    space: SearchSpace
    task: str
    strategy: str = "grid"
    trials: int | None = None
    time_limit: float | None = None
    cv: int = 5
    scoring: str = ""
    seed: int = 0
    manual_params: dict[str, Any] | None = None
    roles: dict[str, str] | None = None
    data_fingerprint: str = ""
    engine: int = ENGINE_VERSION
    options: dict[str, Any] | None = None  # the strategy's options, e.g. {"population": 16}

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise SpecError("Give the study a name.")
        if self.strategy not in STRATEGIES:
            raise SpecError(
                f"Unknown search strategy '{self.strategy}'; choose one of {', '.join(STRATEGIES)}."
            )
        if self.trials is not None and self.trials < 1:
            raise SpecError("The number of trials must be at least 1.")
        if self.time_limit is not None and not self.time_limit > 0:
            raise SpecError("The time limit must be more than 0 seconds.")
        if self.cv < 2:
            raise SpecError("Cross-validation needs at least 2 folds.")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not (
            0 <= self.seed < 2**32
        ):
            raise SpecError(f"The seed must be a whole number from 0 to {2**32 - 1:,}.")
        if (self.strategy in UNBOUNDED_STRATEGIES and self.trials is None
                and self.time_limit is None):
            raise SpecError(
                f"{_a(STRATEGY_NAMES[self.strategy])} needs a budget: a number of trials or a "
                "time limit."
            )
        object.__setattr__(self, "options", _checked_options(self.strategy, self.options))
        if not self.scoring:
            object.__setattr__(self, "scoring", DEFAULT_SCORING.get(self.task, "accuracy"))

    def with_budget(self, trials: int | None, time_limit: float | None) -> StudySpec:
        return replace(self, trials=trials, time_limit=time_limit)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "data": self.data,
            "data_fingerprint": self.data_fingerprint,
            "target": self.target,
            "task": self.task,
            "roles": self.roles,
            "model": self.model,
            "space": self.space.to_json(),
            "strategy": self.strategy,
            "manual_params": self.manual_params,
            "trials": self.trials,
            "time_limit": self.time_limit,
            "cv": self.cv,
            "scoring": self.scoring,
            "seed": self.seed,
            "engine": self.engine,
            "options": self.options,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StudySpec:
        fields = dict(data)
        fields["space"] = SearchSpace.from_json(fields["space"])
        return cls(**fields)

    def dumps(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> StudySpec:
        return cls.from_json(json.loads(text))

    def differences(self, other: StudySpec) -> list[str]:
        """The result-shaping settings that differ from ``other`` (budget excluded)."""
        mine, theirs = self.to_json(), other.to_json()
        labels = {
            "data_fingerprint": "the data file's contents",
            "target": "the target column",
            "task": "the task",
            "roles": "the column roles",
            "model": "the model",
            "space": "the search space",
            "strategy": "the search strategy",
            "options": "the search strategy's options",
            "manual_params": "the hand-set parameters",
            "cv": "the number of folds",
            "scoring": "the metric",
            "seed": "the seed",
            "engine": "the hpt-gui engine that ran it (its rules for grids and models changed)",
        }
        return [label for key, label in labels.items() if mine[key] != theirs[key]]


def _a(noun: str) -> str:
    return f"{'An' if noun[0] in 'aeiou' else 'A'} {noun}"


def _checked_options(strategy: str, options: Any) -> dict[str, Any] | None:
    """The strategy's options with every default filled in (None for a strategy without
    options), or a SpecError that says what is wrong."""
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise SpecError(
            'The search strategy\'s options must be a JSON object, e.g. {"population": 16}.')
    defaults = STRATEGY_OPTIONS.get(strategy)
    name = STRATEGY_NAMES[strategy]
    if defaults is None:
        if options:
            raise SpecError(
                f"{_a(name)} takes no options, but "
                f"{', '.join(sorted(map(str, options)))} {'was' if len(options) == 1 else 'were'}"
                " given; population and algorithm are options of the evolutionary search."
            )
        return None
    unknown = sorted(str(key) for key in options if key not in defaults)
    if unknown:
        raise SpecError(
            f"The {name} has no option {', '.join(unknown)}; its options are "
            f"{' and '.join(defaults)}."
        )
    chosen = {**defaults, **options}
    population = chosen.get("population", 2)
    if isinstance(population, bool) or not isinstance(population, int) or not (
        2 <= population <= MAX_POPULATION
    ):
        raise SpecError(
            f"The population size must be a whole number from 2 to {MAX_POPULATION:,}, "
            f"not {population!r}."
        )
    if chosen.get("algorithm", "auto") not in EVOLUTION_ALGORITHMS:
        raise SpecError(
            f"The evolutionary algorithm must be auto, cmaes or nsga2, not "
            f"{chosen['algorithm']!r}."
        )
    return chosen
