"""Is a new study the same search as a stored one? The metric counts even when one of
the two leaves it to the task's default."""

from dataclasses import replace

from hpt_gui.core.catalog import get_model
from hpt_gui.core.repeat_run import is_same_search, scoring_of
from hpt_gui.core.spec import StudySpec


def _spec(**changes) -> StudySpec:
    base = StudySpec(name="tree grid", data="demo:iris", target="target",
                     model="DecisionTreeClassifier", task="classification", strategy="grid",
                     cv=5, seed=0, space=get_model("DecisionTreeClassifier").default_space)
    return replace(base, **changes)


class _Request:
    """The window's request: no task of its own, the metric often left unnamed."""

    def __init__(self, spec: StudySpec, scoring: str | None) -> None:
        for name in ("data", "model", "target", "strategy", "trials", "time_limit", "cv",
                     "seed", "space", "test_size", "nested", "options", "validation"):
            setattr(self, name, getattr(spec, name))
        self.scoring = scoring


def test_an_unnamed_metric_is_the_tasks_default():
    spec = _spec()
    assert scoring_of(_Request(spec, None)) == "accuracy"
    assert is_same_search(_Request(spec, None), spec)
    assert is_same_search(_Request(spec, "accuracy"), spec)


def test_a_different_metric_against_the_default_is_another_search():
    spec = _spec()  # scored by accuracy, the classification default
    assert not is_same_search(_Request(spec, "f1_macro"), spec)
    assert not is_same_search(spec, _Request(spec, "balanced_accuracy"))


def test_a_different_seed_is_another_search():
    assert not is_same_search(_Request(_spec(seed=1), None), _spec())
