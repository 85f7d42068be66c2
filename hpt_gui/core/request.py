"""StudyRequest: what the user chose, before anything is loaded or planned.

Both front ends build one: the window's settings panel and the command line's arguments.
``problems()`` gives the sentences that say why a request cannot run (live in the window,
exit 2 on the command line); each rule is written once and names the settings as the front
end calls them (``Wording``: 'a number of trials' in the window, '--trials' on the command
line). ``study.plan_study`` turns a request into a plan; ``from_spec`` makes the request
that resumes a stored study. A StudySpec stays the stored record of what ran.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cost import Cost, request_cost, searches_of, splits_of
from .spec import budget_problem, group_problem, nested_test_problem

if TYPE_CHECKING:
    from .space import SearchSpace
    from .spec import StudySpec

# What `dask scheduler` prints: tcp://HOST:PORT (tls:// with certificates; [v6] hosts).
# HOST:PORT alone is taken as tcp, as Dask does.
CLUSTER_ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+):\d{1,5}/?")


@dataclass(frozen=True)
class Wording:
    """How a front end names the settings a problem is about."""

    budget: str
    nested: str
    test_set: str
    group: str
    jobs_and_cluster: str


# The window's words (and the plain ones), and the command line's flags.
PLAIN = Wording(budget="a number of trials or a time limit", nested="Nested cross-validation",
                test_set="held-out test set", group="a group column",
                jobs_and_cluster="A number of workers and a Dask cluster")
FLAGS = Wording(budget="--trials or --time-limit", nested="--nested", test_set="--test-size",
                group="--group COLUMN", jobs_and_cluster="--jobs and --cluster")


@dataclass(frozen=True)
class StudyRequest:
    """Everything needed to plan and run a study, as the user chose it."""

    name: str = ""  # "" for the default, MODEL-STRATEGY
    data: str = ""  # a data file or demo:NAME
    target: str | None = None
    model: str = ""
    project: Path | None = None
    space: SearchSpace | None = None  # None for the model's default
    strategy: str = "grid"
    trials: int | None = None
    time_limit: float | None = None
    cv: int = 5
    scoring: str | None = None
    seed: int = 0
    task: str | None = None
    roles: dict[str, str] | None = None
    manual_params: dict[str, Any] | None = None  # the manual strategy's hand-set values
    options: dict[str, Any] | None = None  # the strategy's options (evolution, halving)
    validation: dict[str, Any] | None = None  # the validation scheme (None: k-fold)
    test_size: float | None = None  # share of rows held out, scored once at the end
    nested: int | None = None  # outer folds: the whole search in each, then on all rows
    outer: int | None = None  # resuming one outer search of a nested study
    trial_time_limit: float | None = None  # seconds one fit may take before it is stopped
    jobs: int | None = None  # worker processes (None: one; not with a cluster)
    cluster: str | None = None  # a Dask scheduler's address: run the fits there, not here
    engine: int | None = None  # resuming a stored study: the engine whose rules it ran with
    keep: tuple[str, ...] = ()  # columns learned from although the data checks set them aside
    dataset: Any = field(default=None, compare=False)  # a loaded Dataset, to skip reloading
    run_id: int = 0  # set by the window's queue: which run a cancel is meant for

    @property
    def workers(self) -> int:
        """The worker processes asked for (one when not said)."""
        return self.jobs or 1

    @property
    def splits(self) -> int:
        """How many fits each candidate costs in one search."""
        return splits_of(self.cv, self.validation)

    @property
    def searches(self) -> int:
        """Nested CV runs the search once per outer fold, then once on all the rows."""
        return searches_of(self.nested, self.outer)

    def problems(self, wording: Wording = PLAIN) -> list[str]:
        """Why this request cannot run, as sentences (empty when it can). Only what is
        known without the data: the data, the model and the space are checked when the
        study is planned."""
        found = [
            budget_problem(self.strategy, self.trials, self.time_limit, wording.budget),
            nested_test_problem(self.nested, self.test_size, wording.nested,
                                wording.test_set),
            group_problem(self.validation, wording.group),
            self._cluster_problem(wording),
        ]
        return [sentence for sentence in found if sentence]

    def _cluster_problem(self, wording: Wording) -> str | None:
        if self.cluster is None:
            return None
        if self.jobs is not None:
            return (f"{wording.jobs_and_cluster} do not go together: on a cluster, the "
                    "workers' threads set how many fits run at once.")
        address = self.cluster if "://" in self.cluster else f"tcp://{self.cluster}"
        if address.split("://")[0] in ("tcp", "tls") and not CLUSTER_ADDRESS.fullmatch(
                address):
            return ("Give the Dask scheduler's address as tcp://HOST:PORT, as `dask "
                    "scheduler` prints it (for example tcp://10.0.0.5:8786).")
        return None

    def cost(self, grid: int | None, rows: int | None = None) -> Cost:
        """The fits this request runs, given its space's grid size (see core/cost.py)."""
        return request_cost(self, grid, rows)

    def with_random_search(self, trials: int) -> StudyRequest:
        """The same request as a random search of ``trials`` (the cheaper search offered
        for a long one): a random search takes no strategy options."""
        return replace(self, strategy="random", trials=trials, options=None)

    @classmethod
    def from_spec(cls, spec: StudySpec, *, project: Path | None = None,
                  jobs: int | None = None, cluster: str | None = None) -> StudyRequest:
        """The request that runs a stored study again (resumes it): every choice as it
        was stored, and its engine's rules; where it runs is chosen anew."""
        return cls(
            name=spec.name, data=spec.data, target=spec.target, model=spec.model,
            project=project, space=spec.space, strategy=spec.strategy, trials=spec.trials,
            time_limit=spec.time_limit, cv=spec.cv, scoring=spec.scoring, seed=spec.seed,
            task=spec.task, roles=spec.roles, manual_params=spec.manual_params,
            options=spec.options, validation=spec.validation, test_size=spec.test_size,
            nested=spec.nested, outer=spec.outer, trial_time_limit=spec.trial_time_limit,
            jobs=jobs, cluster=cluster, engine=spec.engine,
        )


__all__ = ["CLUSTER_ADDRESS", "FLAGS", "PLAIN", "StudyRequest", "Wording"]
