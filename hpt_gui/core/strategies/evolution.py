"""Evolutionary search: Optuna's CMA-ES for numeric spaces, its NSGA-II genetic sampler
where categories are involved.

``algorithm`` is ``"cmaes"``, ``"nsga2"`` or ``"auto"``; auto takes CMA-ES when every
dimension is a number range and none is conditional, NSGA-II otherwise. CMA-ES adapts a
multivariate normal distribution over the numeric dimensions, one generation of
``population`` trials at a time; it cannot model categorical dimensions, nor dimensions
that come and go with a condition: those are drawn at random (seeded) instead, and when a
condition changes which dimensions a trial has, CMA-ES falls back to random draws for
every dimension. NSGA-II keeps a population of ``population`` trials, breeds children by
uniform crossover of two parents and mutates some of their values; a dimension that is
missing in some trials (conditional) is drawn at random.

Failed trials are left out of both algorithms' populations (see ``sampled``), so a
generation completes only with enough successful trials.
"""

from __future__ import annotations

from typing import Any

from ..space import SearchSpace
from ..spec import DEFAULT_POPULATION
from .sampled import SamplerStrategy


def evolution_algorithm(space: SearchSpace, algorithm: str = "auto") -> str:
    """The algorithm that ``auto`` stands for on this space (others are returned as given)."""
    if algorithm != "auto":
        return algorithm
    numeric = all(dim.kind != "categorical" and dim.when is None for dim in space)
    return "cmaes" if numeric else "nsga2"


def describe_evolution(space: SearchSpace, population: int = DEFAULT_POPULATION,
                       algorithm: str = "auto") -> str:
    """'CMA-ES, population 16', with what it cannot model said out loud."""
    chosen = evolution_algorithm(space, algorithm)
    if chosen == "nsga2":
        return f"NSGA-II (genetic), population {population}"
    unmodelled = [dim.name for dim in space if dim.kind == "categorical" or dim.when is not None]
    text = f"CMA-ES, population {population}"
    if unmodelled:
        text += (f"; {', '.join(unmodelled)} {'is' if len(unmodelled) == 1 else 'are'} "
                 "categorical or conditional, which CMA-ES cannot model: drawn at random")
    return text


class EvolutionStrategy(SamplerStrategy):
    """CMA-ES or NSGA-II, seeded, with a fixed population size."""

    replay_through_sampler = True

    def __init__(self, space: SearchSpace, seed: int, population: int = DEFAULT_POPULATION,
                 algorithm: str = "auto") -> None:
        super().__init__(space)
        self._seed = seed
        self.population = population
        self.algorithm = evolution_algorithm(space, algorithm)

    def _make_sampler(self) -> Any:
        from optuna.samplers import CmaEsSampler, NSGAIISampler, RandomSampler

        if self.algorithm == "cmaes":
            return CmaEsSampler(seed=self._seed, popsize=self.population,
                                independent_sampler=RandomSampler(seed=self._seed),
                                warn_independent_sampling=False)
        return NSGAIISampler(seed=self._seed, population_size=self.population)
