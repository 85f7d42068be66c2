"""Every strategy obeys the same ask/tell contract (one suite, each strategy plugged in)."""

import pytest

from hpt_gui.core.space import SearchSpace
from hpt_gui.core.strategies import Outcome
from hpt_gui.core.strategies.grid import GridStrategy
from hpt_gui.core.strategies.manual import ManualStrategy
from hpt_gui.core.strategies.random import RandomStrategy

SPACE = SearchSpace.from_json({
    "kernel": {"type": "categorical", "choices": ["rbf", "linear"]},
    "gamma": {"type": "float", "low": 0.01, "high": 1, "log": True, "grid_points": 3,
              "when": {"kernel": ["rbf"]}},
    "C": {"type": "categorical", "choices": [0.1, 1.0, 10.0]},
})

STRATEGIES = {
    "grid": lambda: GridStrategy(SPACE),
    "random": lambda: RandomStrategy(SPACE, seed=3),
    "manual": lambda: ManualStrategy(SPACE, {"C": 10.0}),
}


def _tell(strategy, candidate, score=0.5):
    strategy.tell(Outcome(candidate.number, candidate.params, score, "COMPLETE"))


@pytest.mark.parametrize("name", STRATEGIES)
class TestStrategyContract:
    def test_numbers_are_unique_and_params_valid(self, name):
        strategy = STRATEGIES[name]()
        asked = strategy.ask(5) + strategy.ask(5)
        numbers = [c.number for c in asked]
        assert len(set(numbers)) == len(numbers)
        for candidate in asked:
            SPACE.validate_params(candidate.params)
            assert SPACE.active(candidate.params) == {
                k: v for k, v in candidate.params.items() if k in SPACE.names
            }

    def test_replayed_trials_are_never_asked_again(self, name):
        first = STRATEGIES[name]()
        done = first.ask(3)
        resumed = STRATEGIES[name]()
        for candidate in done:
            _tell(resumed, candidate)
        again = resumed.ask(3)
        assert not {c.number for c in again} & {c.number for c in done}

    def test_same_number_same_params_after_resume(self, name):
        fresh = {c.number: c.params for c in STRATEGIES[name]().ask(6)}
        resumed = STRATEGIES[name]()
        for candidate in resumed.ask(2):
            _tell(resumed, candidate)
        for candidate in resumed.ask(4):
            assert candidate.params == fresh[candidate.number]

    def test_forgotten_candidate_is_asked_again(self, name):
        strategy = STRATEGIES[name]()
        candidate = strategy.ask(1)[0]
        strategy.forget(candidate.number)
        assert strategy.ask(1)[0] == candidate


def test_grid_is_exhausted_after_every_point():
    strategy = GridStrategy(SPACE)
    assert strategy.size == 3 * 3 + 3  # rbf: 3 gamma x 3 C; linear: 3 C
    assert len(strategy.ask(100)) == strategy.size
    assert strategy.ask(1) == []


def test_manual_is_one_trial_with_the_users_values():
    strategy = ManualStrategy(SPACE, {"C": 10.0, "kernel": "linear"})
    assert [c.params for c in strategy.ask(5)] == [{"kernel": "linear", "C": 10.0}]


def test_random_depends_on_the_seed():
    a = [c.params for c in RandomStrategy(SPACE, 1).ask(5)]
    b = [c.params for c in RandomStrategy(SPACE, 2).ask(5)]
    assert a != b
    assert a == [c.params for c in RandomStrategy(SPACE, 1).ask(5)]
