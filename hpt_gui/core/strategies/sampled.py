"""Strategies that let an Optuna sampler choose, driven through Optuna's ask/tell interface.

Each strategy keeps one in-memory Optuna study (the project file stays ours; nothing of
Optuna's is stored). A candidate is an ``study.ask()`` followed by define-by-run suggestions
in the search space's dependency order, so a parent is drawn before its conditional
children and a child whose condition does not hold is never suggested (nor in the params).
Categorical dimensions are suggested as the index of their choice, so any JSON scalar
(``null``, ``true``, ``1`` next to ``1.0``) is a valid choice.

How outcomes reach the sampler:

- **Completed** trials are told with their mean validation score (the study maximizes).
- **Failed** trials (score ``None``, or not a finite number) are told as ``PRUNED`` with no
  intermediate value. TPE then ranks them below every completed trial, so it learns to stay
  away from settings that fail; CMA-ES and NSGA-II leave them out of their populations.
  Either way, asking goes on.
- **Cancelled** candidates (``forget``) are told as ``FAIL``: every Optuna sampler ignores
  failed trials, which is right for a trial that says nothing about its settings. The
  trial number is then free again and the next ``ask`` draws a fresh candidate under it.
- **Replayed** outcomes (told for numbers never asked in this process, i.e. stored trials
  on resume) are enqueued with their parameters as fixed values, asked, suggested and told
  like live trials, so a sampler that keeps its own bookkeeping in the trials (CMA-ES and
  NSGA-II assign generations) learns from them as if it had proposed them.

While a candidate runs, its Optuna trial stays ``RUNNING``; TPE's ``constant_liar`` makes
the sampler count running trials as poor ones, so J candidates in flight are spread out
instead of piling onto the same promising spot.
"""

from __future__ import annotations

import math
import warnings
from abc import abstractmethod
from typing import TYPE_CHECKING, Any

from ..space import Categorical, Dimension, IntRange, SearchSpace
from .base import Outcome, Strategy

if TYPE_CHECKING:  # Optuna is imported on first use: a grid search never loads it
    import optuna


class SamplerStrategy(Strategy):
    """An ask/tell strategy whose candidates come from an Optuna sampler."""

    # True when replayed trials must pass through the sampler's own hooks (generations).
    replay_through_sampler = False

    def __init__(self, space: SearchSpace) -> None:
        super().__init__()
        self._space = space
        self._order: list[Dimension] = space._order()
        self._study: optuna.Study | None = None
        self._distributions: dict[str, Any] = {}
        self._running: dict[int, optuna.Trial] = {}
        self._fed: set[int] = set()  # numbers whose outcome the sampler has been told

    @abstractmethod
    def _make_sampler(self) -> optuna.samplers.BaseSampler:
        """The seeded Optuna sampler (Optuna is imported by then)."""

    @property
    def study(self) -> optuna.Study:
        """The in-memory Optuna study, created on first use."""
        if self._study is None:
            import optuna

            optuna.logging.set_verbosity(optuna.logging.WARNING)
            with warnings.catch_warnings():
                # constant_liar, multivariate and group were experimental in Optuna 4
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                sampler = self._make_sampler()
                self._distributions = {dim.name: _distribution(dim) for dim in self._order}
            self._study = optuna.create_study(direction="maximize", sampler=sampler)
        return self._study

    def _propose(self, number: int) -> dict[str, Any]:
        trial = self.study.ask()
        self._running[number] = trial
        return self._suggest(trial)

    def tell(self, outcome: Outcome) -> None:
        super().tell(outcome)
        if outcome.number in self._fed:
            return
        self._fed.add(outcome.number)
        score = outcome.score
        if score is None or not math.isfinite(score):
            score = None
        trial = self._running.pop(outcome.number, None)
        if trial is None:
            self._replay(outcome.params, score)
        else:
            self._finish(trial, score)

    def forget(self, number: int) -> None:
        super().forget(number)
        trial = self._running.pop(number, None)
        if trial is not None:
            from optuna.trial import TrialState

            self.study.tell(trial, state=TrialState.FAIL)

    # ------------------------------------------------------------------------ internals

    def _suggest(self, trial: optuna.Trial) -> dict[str, Any]:
        """Define-by-run: parents first, a child only when its condition holds."""
        params: dict[str, Any] = {}
        for dim in self._order:
            if dim.when is None or dim.when.holds(params):
                params[dim.name] = self._suggest_one(trial, dim)
        return {name: params[name] for name in self._space.names if name in params}

    def _suggest_one(self, trial: optuna.Trial, dim: Dimension) -> Any:
        dist = self._distributions[dim.name]
        if isinstance(dim, Categorical):
            return dim.choices[trial.suggest_categorical(dim.name, dist.choices)]
        if isinstance(dim, IntRange):
            return int(trial.suggest_int(dim.name, dist.low, dist.high, step=dist.step,
                                         log=dist.log))
        value = float(trial.suggest_float(dim.name, dist.low, dist.high, step=dist.step,
                                          log=dist.log))
        if dim.step is not None:  # 0.30000000000000004 -> 0.3, as the space's own values
            value = _tidy(value)
        return min(max(value, dim.low), dim.high)

    def _finish(self, trial: optuna.Trial, score: float | None) -> None:
        from optuna.trial import TrialState

        if score is None:
            self.study.tell(trial, state=TrialState.PRUNED)
        else:
            self.study.tell(trial, float(score))

    def _replay(self, params: dict[str, Any], score: float | None) -> None:
        """Teach the sampler a trial it did not propose (a stored one, on resume)."""
        study = self.study
        fixed = self._fixed_values(params)
        if fixed is None:  # settings outside today's space: nothing to learn from
            return
        study.enqueue_trial(fixed, skip_if_exists=False)
        trial = study.ask()
        if self.replay_through_sampler:
            trial.relative_params  # noqa: B018 -- lets the sampler assign the trial's generation
        self._suggest(trial)  # every value is fixed, so this records exactly ``params``
        self._finish(trial, score)

    def _fixed_values(self, params: dict[str, Any]) -> dict[str, Any] | None:
        """``params`` as Optuna values (choice indices), or None if one does not fit."""
        names = set(self._space.names)
        active = self._space.active({k: v for k, v in params.items() if k in names})
        fixed: dict[str, Any] = {}
        for name, value in active.items():
            dim, dist = self._space[name], self._distributions[name]
            if isinstance(dim, Categorical):
                index = _choice_index(dim, value)
                if index is None:
                    return None
                fixed[name] = index
            elif isinstance(dim, IntRange):
                if not dim.contains(value):
                    return None
                fixed[name] = int(value)
            else:
                if not dim.contains(value):
                    return None
                value = min(max(float(value), dist.low), dist.high)
                if dist.step is not None:
                    k = round((value - dist.low) / dist.step)
                    if abs(dist.low + k * dist.step - value) > 1e-9 * max(1.0, abs(value)):
                        return None
                fixed[name] = value
        return fixed


def _distribution(dim: Dimension) -> Any:
    """The Optuna distribution of a dimension (built once, so every trial agrees)."""
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    if isinstance(dim, Categorical):
        return CategoricalDistribution(tuple(range(len(dim.choices))))
    if isinstance(dim, IntRange):
        return IntDistribution(dim.low, dim.low + (dim.size - 1) * dim.step, log=dim.log,
                               step=dim.step)
    if dim.step is None:
        return FloatDistribution(dim.low, dim.high, log=dim.log)
    steps = int(math.floor((dim.high - dim.low) / dim.step + 1e-9))
    with warnings.catch_warnings():  # Optuna trims a top that its decimals find off-step
        warnings.simplefilter("ignore")
        return FloatDistribution(dim.low, _tidy(dim.low + steps * dim.step), step=dim.step)


def _choice_index(dim: Categorical, value: Any) -> int | None:
    """Where ``value`` is among the choices: same type first (True is not 1), then equal
    numbers (1 and 1.0, as JSON may give them back)."""
    for i, choice in enumerate(dim.choices):
        if type(choice) is type(value) and choice == value:
            return i
    for i, choice in enumerate(dim.choices):
        if _is_number(choice) and _is_number(value) and choice == value:
            return i
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _tidy(value: float) -> float:
    return float(f"{value:.12g}")
