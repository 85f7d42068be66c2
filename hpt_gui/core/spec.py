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

STRATEGIES = ("manual", "grid", "random", "tpe", "evolution", "halving")
# How each strategy is named in a sentence ("A random search needs a budget").
STRATEGY_NAMES = {
    "manual": "manual trial", "grid": "grid search", "random": "random search",
    "tpe": "Bayesian (TPE) search", "evolution": "evolutionary search",
    "halving": "successive halving",
}
# Strategies that never run out of candidates, so need a number of trials or a time limit.
UNBOUNDED_STRATEGIES = ("random", "tpe", "evolution")
# The options a strategy takes, with their defaults (filled in, so a stored spec says all).
EVOLUTION_ALGORITHMS = ("auto", "cmaes", "nsga2")
DEFAULT_POPULATION = 16
MAX_POPULATION = 10_000
# Successive halving: each rung keeps the best 1/factor of its candidates and gives them
# factor times the resource (folds, or training rows per fold); min_resource None is the
# default for the resource (1 fold; for rows, see strategies.halving.default_min_rows).
HALVING_RESOURCES = ("folds", "rows")
DEFAULT_FACTOR = 3
MAX_FACTOR = 100
STRATEGY_OPTIONS: dict[str, dict[str, Any]] = {
    "evolution": {"population": DEFAULT_POPULATION, "algorithm": "auto"},
    "halving": {"factor": DEFAULT_FACTOR, "resource": "folds", "min_resource": None},
}
# Validation schemes: how the rows the search sees are split into training and validation
# folds (hpt_gui/core/validation.py makes the splits with scikit-learn's splitters).
SCHEMES = ("kfold", "repeated", "shuffle", "group", "time")
SCHEME_NAMES = {
    "kfold": "k-fold", "repeated": "repeated k-fold", "shuffle": "shuffle-split",
    "group": "group k-fold", "time": "time-series split",
}
DEFAULT_REPEATS = 3
DEFAULT_HOLDOUT = 0.2
MAX_REPEATS = 100
MAX_NESTED = 50
# Each scheme's options with their defaults (None: required, no default).
SCHEME_OPTIONS: dict[str, dict[str, Any]] = {
    "kfold": {}, "repeated": {"repeats": DEFAULT_REPEATS},
    "shuffle": {"holdout": DEFAULT_HOLDOUT}, "group": {"group": None}, "time": {},
}
# Bumped whenever a rule that shapes results changes (grid spreading, a model's fixed
# settings, preprocessing, which columns are learned from), so a study is never resumed by
# an engine that would run its remaining trials differently. Version 2 added the data
# checks (probable leakage, row numbers with gaps; dataset.load_dataset's ``rules``): a
# study's data is always read again with its own engine's rules, and an engine-1 study is
# resumed with them (study.stored_engine).
ENGINE_VERSION = 2
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
    # How the searched rows are split, e.g. {"scheme": "repeated", "repeats": 3}; None (old
    # studies) is plain k-fold. Filled in with every default, so a stored spec says all.
    validation: dict[str, Any] | None = None
    test_size: float | None = None  # share of rows held out, scored once at the end
    nested: int | None = None  # outer folds of nested cross-validation
    outer: int | None = None  # which outer fold (1..nested) this study searches, if one
    # Seconds one fit (one fold of one trial) may take; a slower one fails the trial. A
    # run setting like the budget: not part of the study's identity.
    trial_time_limit: float | None = None

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
        if self.trial_time_limit is not None and not self.trial_time_limit > 0:
            raise SpecError("The time limit per trial must be more than 0 seconds.")
        object.__setattr__(self, "validation", _checked_validation(self.validation))
        scheme = self.validation["scheme"]
        if isinstance(self.cv, bool) or not isinstance(self.cv, int):
            raise SpecError(f"The number of folds must be a whole number, not {self.cv!r}.")
        if scheme == "shuffle" and self.cv < 1:
            raise SpecError("A shuffle-split needs at least 1 split.")
        if scheme != "shuffle" and self.cv < 2:
            kind = "" if scheme == "kfold" else f" ({SCHEME_NAMES[scheme]})"
            raise SpecError(f"Cross-validation{kind} needs at least 2 folds.")
        _check_test_and_nested(self.test_size, self.nested, self.outer)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not (
            0 <= self.seed < 2**32
        ):
            raise SpecError(f"The seed must be a whole number from 0 to {2**32 - 1:,}.")
        problem = budget_problem(self.strategy, self.trials, self.time_limit)
        if problem:
            raise SpecError(problem)
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
            "validation": self.validation,
            "test_size": self.test_size,
            "nested": self.nested,
            "outer": self.outer,
            "trial_time_limit": self.trial_time_limit,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StudySpec:
        fields = dict(data)
        fields["space"] = SearchSpace.from_json(fields["space"])
        fields.setdefault("engine", 1)  # stored before engines had numbers: the first
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
            "validation": "the validation scheme",
            "test_size": "the held-out test set",
            "nested": "the nested cross-validation",
            "outer": "the outer fold",
            "scoring": "the metric",
            "seed": "the seed",
            "engine": "the hpt-gui engine that ran it (its rules for grids, models or columns "
                      "changed)",
        }
        found = [label for key, label in labels.items() if mine[key] != theirs[key]]
        if self.strategy == other.strategy == "halving" and self.trials != other.trials:
            # Halving's trials are its starting candidates: they set every rung's size.
            found.append("the number of starting candidates (halving's rungs depend on it)")
        return found


# The rules a study request and a stored spec share (core/request.py words them for each
# front end: ``words`` names the settings as the window or the command line calls them).


def budget_problem(strategy: str, trials: int | None, time_limit: float | None,
                   words: str = "a budget: a number of trials or a time limit") -> str | None:
    """'A random search needs ...' when a strategy that never runs out of candidates has
    neither a number of trials nor a time limit."""
    if strategy in UNBOUNDED_STRATEGIES and not trials and not time_limit:
        return f"{_a(STRATEGY_NAMES[strategy])} needs {words}."
    return None


def nested_test_problem(nested: Any, test_size: Any,
                        nested_words: str = "Nested cross-validation",
                        test_words: str = "held-out test set") -> str | None:
    """Nested CV's outer folds are its test sets: it takes no other."""
    if nested is not None and test_size is not None:
        return (f"{nested_words} already scores each tuned model on rows its search never "
                f"saw, so it takes no {test_words}; drop one of them.")
    return None


def group_problem(validation: dict[str, Any] | None,
                  words: str = "the group column") -> str | None:
    """A group k-fold without its group column."""
    validation = validation or {}
    group = validation.get("group")
    if validation.get("scheme") == "group" and (not isinstance(group, str)
                                                or not group.strip()):
        return (f"A group k-fold needs {words}: the column that says which rows belong "
                "together (a patient, a site), so they stay in one fold.")
    return None


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
                " given; population and algorithm are options of the evolutionary search, "
                "factor, resource and min_resource of successive halving."
            )
        return None
    unknown = sorted(str(key) for key in options if key not in defaults)
    if unknown:
        raise SpecError(
            f"The {name} has no option {', '.join(unknown)}; its options are "
            f"{_and(list(defaults))}."
        )
    chosen = {**defaults, **options}
    if strategy == "halving":
        _check_halving(chosen)
        return chosen
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


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _check_halving(chosen: dict[str, Any]) -> None:
    """Successive halving's factor, resource and minimum resource, or a SpecError."""
    factor = chosen["factor"]
    if isinstance(factor, bool) or not isinstance(factor, int | float) or not (
        1 < factor <= MAX_FACTOR
    ):
        raise SpecError(
            f"The halving factor must be a number above 1 and at most {MAX_FACTOR} (3 keeps "
            f"the best third of the candidates at each rung), not {factor!r}.")
    if chosen["resource"] not in HALVING_RESOURCES:
        raise SpecError(
            f"Successive halving's resource must be folds (weak candidates stop after a few "
            f"folds) or rows (weak candidates stop after training on fewer rows), not "
            f"{chosen['resource']!r}.")
    least = chosen["min_resource"]
    if least is not None and (isinstance(least, bool) or not isinstance(least, int)
                              or least < 1):
        unit = "folds" if chosen["resource"] == "folds" else "training rows"
        raise SpecError(
            f"The minimum resource must be a whole number of {unit}, at least 1 (or left "
            f"out for the default), not {least!r}.")


def _checked_validation(validation: Any) -> dict[str, Any]:
    """The validation scheme with its options' defaults filled in, or a SpecError."""
    if validation is None:
        validation = {}
    if not isinstance(validation, dict):
        raise SpecError(
            'The validation scheme must be a JSON object, e.g. {"scheme": "repeated", '
            '"repeats": 3}.')
    scheme = validation.get("scheme", "kfold")
    if scheme not in SCHEMES:
        raise SpecError(
            f"Unknown validation scheme {scheme!r}; choose one of {', '.join(SCHEMES)}.")
    defaults = SCHEME_OPTIONS[scheme]
    name = SCHEME_NAMES[scheme]
    unknown = sorted(str(key) for key in validation if key != "scheme" and key not in defaults)
    if unknown:
        takes = (f"its option is {', '.join(defaults)}" if defaults else "it takes none")
        belongs = {"repeats": "repeated k-fold", "holdout": "shuffle-split",
                   "group": "group k-fold"}
        owners = "; ".join(f"{key} belongs to the {belongs[key]}" for key in unknown
                           if key in belongs)
        raise SpecError(
            f"The {name} has no option {', '.join(unknown)} ({takes})"
            f"{'; ' + owners if owners else ''}.")
    chosen = {"scheme": scheme, **defaults, **{k: v for k, v in validation.items()
                                               if k != "scheme"}}
    repeats = chosen.get("repeats", 2)
    if isinstance(repeats, bool) or not isinstance(repeats, int) or not (
            2 <= repeats <= MAX_REPEATS):
        raise SpecError(
            f"The number of repeats must be a whole number from 2 to {MAX_REPEATS} (one "
            f"repeat is plain k-fold), not {repeats!r}.")
    holdout = chosen.get("holdout", 0.5)
    if not _is_share(holdout):
        raise SpecError(
            f"The shuffle-split's validation share must be a number between 0 and 1 (e.g. "
            f"0.2 for a fifth of the rows), not {holdout!r}.")
    problem = group_problem(chosen)
    if problem:
        raise SpecError(problem)
    return chosen


def _is_share(value: Any) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float)
            and 0 < value < 1)


def _check_test_and_nested(test_size: Any, nested: Any, outer: Any) -> None:
    if test_size is not None and not _is_share(test_size):
        raise SpecError(
            f"The test set's share must be a number between 0 and 1 (e.g. 0.2 for a fifth "
            f"of the rows), not {test_size!r}.")
    if nested is not None and (isinstance(nested, bool) or not isinstance(nested, int)
                               or not 2 <= nested <= MAX_NESTED):
        raise SpecError(
            f"Nested cross-validation needs a whole number of outer folds from 2 to "
            f"{MAX_NESTED}, not {nested!r}.")
    problem = nested_test_problem(nested, test_size)
    if problem:
        raise SpecError(problem)
    if outer is not None and (nested is None or isinstance(outer, bool)
                              or not isinstance(outer, int) or not 1 <= outer <= nested):
        raise SpecError("The outer fold must be a number from 1 to the number of outer folds.")
