"""StudySpec: everything that defines a study, as one JSON-serialisable value.

A study is stored with its spec; running a study again on the same project resumes it
only when the settings that shape the results (data, target, model, space, strategy,
validation, metric, seed) are unchanged. The budget may grow between runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from .space import SearchSpace

STRATEGIES = ("manual", "grid", "random")
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
        if self.strategy == "random" and self.trials is None and self.time_limit is None:
            raise SpecError("A random search needs a budget: a number of trials or a time limit.")
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
            "manual_params": "the hand-set parameters",
            "cv": "the number of folds",
            "scoring": "the metric",
            "seed": "the seed",
            "engine": "the hpt-gui engine that ran it (its rules for grids and models changed)",
        }
        return [label for key, label in labels.items() if mine[key] != theirs[key]]
