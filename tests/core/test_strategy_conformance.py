"""One conformance suite for every search strategy on the ask/tell interface.

Each strategy is driven the way the study loop drives it (candidates asked one or a few at
a time, two in flight, outcomes told as they finish, some of them failures) on an SVC-like
space with conditional dimensions. Then: an end-to-end study with TPE on a small CSV with
missing values and a text column, and a check that TPE really learns.
"""

import math
import statistics
import warnings

import pytest

from hpt_gui.core.executor import Executor, LocalProcessExecutor
from hpt_gui.core.runner import FINISHED, run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.store import TrialState
from hpt_gui.core.strategies import Outcome
from hpt_gui.core.strategies.evolution import EvolutionStrategy, evolution_algorithm
from hpt_gui.core.strategies.grid import GridStrategy
from hpt_gui.core.strategies.halving import HalvingStrategy
from hpt_gui.core.strategies.manual import ManualStrategy
from hpt_gui.core.strategies.random import RandomStrategy
from hpt_gui.core.strategies.sampled import SamplerStrategy
from hpt_gui.core.strategies.tpe import TpeStrategy
from hpt_gui.core.study import plan_study

SPACE = SearchSpace.from_json({
    "C": {"type": "float", "low": 0.01, "high": 100, "log": True},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear", "poly"]},
    "gamma": {"type": "float", "low": 1e-4, "high": 10, "log": True,
              "when": {"kernel": ["rbf", "poly"]}},
    "degree": {"type": "int", "low": 2, "high": 5, "when": {"kernel": ["poly"]}},
    "tol": {"type": "float", "low": 0, "high": 1, "step": 0.1},
    "shrinking": {"type": "categorical", "choices": [True, False, None]},
})

STRATEGIES = {
    "grid": lambda seed: GridStrategy(SPACE),
    "random": lambda seed: RandomStrategy(SPACE, seed),
    "manual": lambda seed: ManualStrategy(SPACE, {"kernel": "poly", "degree": 3}),
    "tpe": lambda seed: TpeStrategy(SPACE, seed),
    "evolution-cmaes": lambda seed: EvolutionStrategy(SPACE, seed, 4, "cmaes"),
    "evolution-nsga2": lambda seed: EvolutionStrategy(SPACE, seed, 4, "nsga2"),
    "halving": lambda seed: HalvingStrategy(SPACE, seed, candidates=40, folds=5),
}
SEEDED = ("random", "tpe", "evolution-cmaes", "evolution-nsga2", "halving")
LEARNING = ("tpe", "evolution-cmaes", "evolution-nsga2")


def score_of(params):
    """A smooth, deterministic stand-in for a validation score; linear kernels fail."""
    if params["kernel"] == "linear":
        return None
    return -abs(math.log10(params["C"]) - 1) - 0.1 * params.get("degree", 0)


def drive(strategy, trials, in_flight=2, score=score_of):
    """Ask and tell as the study loop does: up to ``in_flight`` candidates running, the
    oldest told first (a stepped strategy's steps reported, and the trials that settles
    told). Returns the candidates in the order they were asked."""
    asked, running = [], []
    while len(asked) < trials or running:
        while len(asked) < trials and len(running) < in_flight:
            got = strategy.ask(1)
            if not got:
                trials = len(asked)  # exhausted
                break
            asked += got
            running += got
        if not running:
            break
        done = running.pop(0)
        if strategy.stepped:
            params = {c.number: c.params for c in asked}
            for settled in strategy.report(done.number, score(done.params)):
                strategy.tell(Outcome(settled.number, params[settled.number],
                                      score(params[settled.number]), settled.state,
                                      settled.attrs))
            continue
        strategy.tell(Outcome(done.number, done.params, score(done.params),
                              "COMPLETE" if score(done.params) is not None else "FAIL"))
    return asked


def outcomes(candidates, score=score_of):
    return [Outcome(c.number, c.params, score(c.params), "COMPLETE") for c in candidates]


def assert_valid(params):
    SPACE.validate_params(params)  # every value within its dimension
    assert SPACE.active(params) == params  # no inactive child, declared order kept
    assert ("gamma" in params) == (params["kernel"] in ("rbf", "poly"))
    assert ("degree" in params) == (params["kernel"] == "poly")
    assert {"C", "kernel", "tol", "shrinking"} <= set(params)


@pytest.fixture(autouse=True)
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # quiet: no Experimental/User/Future warnings leak
        yield


@pytest.mark.parametrize("name", STRATEGIES)
class TestConformance:
    def test_proposals_respect_conditions_and_ranges(self, name):
        asked = drive(STRATEGIES[name](0), 24)
        assert len(asked) == (1 if name == "manual" else 24)
        for candidate in asked:
            assert_valid(candidate.params)
        if name in SEEDED:  # every branch of the condition is reached
            assert {c.params["kernel"] for c in asked} == {"rbf", "linear", "poly"}

    def test_numbers_are_distinct_across_asks(self, name):
        strategy = STRATEGIES[name](0)
        batches = [strategy.ask(3), strategy.ask(1), strategy.ask(2)]
        for candidate in batches[0]:
            strategy.tell(outcomes([candidate])[0])
        batches.append(strategy.ask(4))
        numbers = [c.number for batch in batches for c in batch]
        assert len(numbers) == len(set(numbers))
        assert len(numbers) == (1 if name == "manual" else 10)

    def test_deterministic_for_a_seed(self, name):
        first = [c.params for c in drive(STRATEGIES[name](7), 20)]
        again = [c.params for c in drive(STRATEGIES[name](7), 20)]
        assert first == again
        if name in SEEDED:
            assert [c.params for c in drive(STRATEGIES[name](8), 20)] != first

    def test_failures_do_not_stop_the_search(self, name):
        strategy = STRATEGIES[name](0)
        asked = drive(strategy, 16, score=lambda params: None)  # every trial fails
        more = strategy.ask(2)
        if name == "manual":
            assert len(asked) == 1 and more == []
            return
        assert len(asked) == 16 and len(more) == 2
        for candidate in asked + more:
            assert_valid(candidate.params)

    def test_resume_by_replaying_told_outcomes(self, name):
        k = 1 if name == "manual" else 12
        done = drive(STRATEGIES[name](3), k)
        resumed = STRATEGIES[name](3)
        for outcome in outcomes(done):
            resumed.tell(outcome)
        fresh = resumed.ask(3)
        told = {c.number for c in done}
        assert all(c.number >= k for c in fresh)
        assert not told & {c.number for c in fresh}
        for candidate in fresh:
            assert_valid(candidate.params)
        if name == "grid":  # the grid goes on exactly where it stopped
            assert [c.params for c in fresh] == [c.params for c in GridStrategy(SPACE).ask(15)[12:]]

    def test_forgotten_number_is_asked_again(self, name):
        strategy = STRATEGIES[name](0)
        first, *rest = strategy.ask(1 if name == "manual" else 3)
        strategy.forget(first.number)
        again = strategy.ask(1)[0]
        assert again.number == first.number
        assert_valid(again.params)
        if name not in LEARNING:  # a pure function of the number
            assert again == first
        strategy.tell(outcomes([again])[0])
        for candidate in rest:
            strategy.tell(outcomes([candidate])[0])
        later = strategy.ask(2)
        assert not {c.number for c in later} & {first.number, *(c.number for c in rest)}


@pytest.mark.parametrize("name", LEARNING)
def test_replayed_trials_reach_the_sampler(name):
    """On resume the sampler sees every stored trial: values for completed ones, failures
    as PRUNED (ranked worst by TPE), with the stored parameters."""
    done = drive(STRATEGIES[name](3), 10)
    resumed = STRATEGIES[name](3)
    for outcome in outcomes(done):
        resumed.tell(outcome)
    study = resumed.study
    assert len(study.trials) == 10
    for candidate, trial in zip(done, study.trials, strict=True):
        score = score_of(candidate.params)
        if score is None:
            assert trial.state.name == "PRUNED"
        else:
            assert trial.state.name == "COMPLETE" and trial.value == pytest.approx(score)
        assert set(trial.params) == set(candidate.params)
        assert trial.params["C"] == pytest.approx(candidate.params["C"])
        assert SPACE["kernel"].choices[trial.params["kernel"]] == candidate.params["kernel"]
    if name.startswith("evolution"):  # generations assigned as if it had proposed them
        # (CMA-ES models only the numeric dimensions that every trial so far has had:
        # none before the first trial, so that one has no generation)
        complete = [t for t in study.trials if t.state.name == "COMPLETE"]
        with_generation = [t for t in complete
                           if any(key.endswith("generation") for key in t.system_attrs)]
        assert len(with_generation) >= len(complete) - 1 >= 4


def test_running_trials_are_known_and_cancelled_ones_ignored():
    strategy = TpeStrategy(SPACE, 0)
    first, second = strategy.ask(2)
    states = [t.state.name for t in strategy.study.trials]
    assert states == ["RUNNING", "RUNNING"]  # the constant liar sees both
    strategy.forget(first.number)
    strategy.tell(outcomes([second])[0])
    assert [t.state.name for t in strategy.study.trials] == ["FAIL", "COMPLETE"]


def test_categorical_choices_of_every_json_kind():
    space = SearchSpace.from_json({
        "v": {"type": "categorical", "choices": [None, True, 1, 1.0, "1"]},
    })
    for strategy in (TpeStrategy(space, 0), EvolutionStrategy(space, 0, 4, "nsga2")):
        seen = drive(strategy, 30, score=lambda params: 0.0)
        kinds = {(type(c.params["v"]), c.params["v"]) for c in seen}
        assert kinds == {(type(None), None), (bool, True), (int, 1), (float, 1.0), (str, "1")}
        resumed = type(strategy)(space, 0)
        for outcome in outcomes(seen, score=lambda params: 0.0):
            resumed.tell(outcome)
        assert len(resumed.study.trials) == 30  # each choice found again by type


def test_evolution_algorithm_auto():
    numeric = SearchSpace.from_json({
        "x": {"type": "float", "low": 0, "high": 1},
        "n": {"type": "int", "low": 1, "high": 9},
    })
    assert evolution_algorithm(numeric) == "cmaes"
    assert evolution_algorithm(SPACE) == "nsga2"  # categories and conditions
    assert evolution_algorithm(SPACE, "cmaes") == "cmaes"
    assert EvolutionStrategy(numeric, 0).population == 16


def test_tpe_learns_a_smooth_optimum():
    """On score = -(x - 7.3)^2 over [0, 10], 30 trials of TPE land within 0.1 of the
    optimum for most seeds, and more often than random search's 30 trials."""
    space = SearchSpace.from_json({"x": {"type": "float", "low": 0, "high": 10}})

    def best_error(strategy):
        candidates = drive(strategy, 30, in_flight=1,
                           score=lambda params: -(params["x"] - 7.3) ** 2)
        return min(abs(c.params["x"] - 7.3) for c in candidates)

    tpe = [best_error(TpeStrategy(space, seed)) for seed in range(10)]
    rand = [best_error(RandomStrategy(space, seed)) for seed in range(10)]
    tpe_hits, random_hits = sum(e < 0.1 for e in tpe), sum(e < 0.1 for e in rand)
    assert tpe_hits >= 7 and tpe_hits > random_hits
    assert statistics.median(tpe) < statistics.median(rand) / 2


def test_tpe_learns_to_avoid_failing_settings():
    """Failures are told as the worst trials: after 20 trials, TPE proposes settings that
    fail (k = "a", or x below 5: two thirds of the space fail) far less often than random
    search does. (Had failures been told as FAIL, TPE would ignore them and do worse.)"""
    space = SearchSpace.from_json({
        "x": {"type": "float", "low": 0, "high": 10},
        "k": {"type": "categorical", "choices": ["a", "b", "c"]},
    })

    def score(params):
        return None if params["k"] == "a" or params["x"] < 5 else 0.5 + 0.01 * params["x"]

    def failing_late(strategy):
        candidates = drive(strategy, 40, in_flight=1, score=score)
        return sum(score(c.params) is None for c in candidates[20:])

    tpe = sum(failing_late(TpeStrategy(space, seed)) for seed in range(5))
    rand = sum(failing_late(RandomStrategy(space, seed)) for seed in range(5))
    assert tpe < rand / 2


def test_sampler_strategies_share_one_base():
    assert issubclass(TpeStrategy, SamplerStrategy)
    assert issubclass(EvolutionStrategy, SamplerStrategy)


# --------------------------------------------------------------------------- end to end


class _Borrowed(Executor):
    """A pool lent to one run: the run's end does not stop it."""

    def __init__(self, pool):
        self.pool, self.workers = pool, pool.workers

    def submit(self, number, params, fold):
        return self.pool.submit(number, params, fold)

    def shutdown(self, *, cancel=False):
        pass


@pytest.mark.parametrize("strategy, options", [("tpe", None),
                                               ("evolution", {"population": 4})])
@pytest.mark.parametrize("task, model", [("classification", "LogisticRegression"),
                                         ("regression", "DecisionTreeRegressor")])
def test_a_study_with_two_jobs_resumes_to_the_budget(tmp_path, mixed_csv, task, model,
                                                     strategy, options):
    """TPE and evolution on a CSV with gaps and text, 2 worker processes, resumed."""
    data = mixed_csv(task)
    project = tmp_path / "p.hpt"

    def plan(trials):
        return plan_study(data=data, target="y", model=model, strategy=strategy,
                          trials=trials, cv=3, seed=1, name=strategy, options=options)

    # Both runs use one pool of 2 real worker processes (starting one takes seconds).
    with LocalProcessExecutor(plan(5).context, 2) as pool:
        first = run_study(plan(5), project, jobs=2,
                          executor_factory=lambda plan, jobs: _Borrowed(pool))
        assert first.status == FINISHED and [t.number for t in first.trials] == list(range(5))
        second = run_study(plan(8), project, jobs=2,
                           executor_factory=lambda plan, jobs: _Borrowed(pool))
    assert second.status == FINISHED and second.new_trials == 3
    assert [t.number for t in second.trials] == list(range(8))
    kept = {t.number: t for t in second.trials}
    for trial in first.trials:
        assert kept[trial.number].params == trial.params
        assert kept[trial.number].mean_test_score == trial.mean_test_score
    space = plan(8).spec.space
    for trial in second.trials:
        assert trial.state is TrialState.COMPLETE, trial.error
        space.validate_params(trial.params)
        assert space.active(trial.params) == trial.params
    assert run_study(plan(8), project).new_trials == 0  # the budget is spent
