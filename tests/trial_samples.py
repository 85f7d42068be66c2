"""Trials of every shape, for the tests of the records and of the views that show them."""

import dataclasses
import random

from hpt_gui.core.evaluate import FoldResult
from hpt_gui.core.records import TrialState, trial_from_folds
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.spec import StudySpec
from hpt_gui.core.store import ProjectStore


def trial(number, scores, state=None, params=None, attrs=None, train=0.9):
    """A trial with one fold per validation score (None: a fold that scored none)."""
    folds = [FoldResult(number, k, s, train if s is not None else None, 0.1 * (k + 1), 0.01)
             for k, s in enumerate(scores)]
    made = trial_from_folds(number, params if params is not None else {"C": number},
                            folds, float(number), number + 0.5)
    if state is not None:
        made = dataclasses.replace(made, state=state)
    if attrs is not None:
        made = dataclasses.replace(made, attrs=attrs)
    return made


def spec(name):
    """A small study's settings, named ``name``."""
    return StudySpec(name=name, data="demo:iris", target="target", model="SVC",
                     space=SearchSpace.from_json({"C": {"type": "float", "low": 0.1,
                                                        "high": 10}}),
                     task="classification", strategy="grid", cv=5, seed=1)


def mixed_trials():
    """Complete, failed, pruned on folds and on rows, cancelled, unscored, conditional and
    odd hyperparameters (None, text, a list, a flag)."""
    rng = random.Random(5)
    trials = []
    for n in range(30):
        scores = [rng.uniform(-2.0, 1.0) for _ in range(1 + n % 4)]
        params = {"C": rng.choice([0.1, 1, 10.0, None])}
        if n % 3:
            params["kernel"] = rng.choice(["rbf", "linear"])
        if n % 5 == 0:
            params["layers"] = [n, 2]
            params["flag"] = bool(n % 2)
        state = attrs = None
        if n % 7 == 3:
            state, attrs = TrialState.PRUNED, {"folds": len(scores)}
        elif n % 7 == 4:
            state, attrs = TrialState.PRUNED, {"rows": 40}
        elif n % 11 == 5:
            state = TrialState.CANCELLED
        if n % 6 == 1:
            scores[0] = None  # a fold without a validation score: still complete
        made = trial(n, scores, state, params, attrs)
        if n % 8 == 2:  # a failed fold fails the trial
            made = trial_from_folds(n, params, [*made.folds[:-1], dataclasses.replace(
                made.folds[-1], test_score=None, train_score=None, error="ValueError: x")],
                float(n), n + 0.5)
        trials.append(made)
    trials.append(trial(30, [None, None]))  # complete, no validation score at all
    return trials


def stored(tmp_path, trials):
    """The trials as a project file gives them back (the store's own records)."""
    with ProjectStore(tmp_path / "p.hpt") as project:
        study = project.open_study(spec("a"))
        project.save_trials(study, trials)
    with ProjectStore(tmp_path / "p.hpt") as project:
        return project.trials("a")




def project_with_failed_trial(folder, spec, trials, params):
    """A project holding ``spec``'s ``trials`` and trial 99, failed on every fold with
    ``params`` (the commands refuse to judge or predict with it)."""
    project = folder / "failed.hpt"
    with ProjectStore(project) as store:
        study_id = store.open_study(spec)
        for made in trials:
            store.save_trial(study_id, made)
        folds = tuple(FoldResult(99, k, None, None, 0.0, 0.0, error="ValueError: no")
                      for k in range(3))
        store.save_trial(study_id, trial_from_folds(99, params, folds, 0.0, 1.0))  # failed
        store.set_status(spec.name, "finished")
    return project
