"""One study's diagnosis in one value: the choice, the verdict and the curves behind it.

``hpt-gui diagnose``, the HTML report and the window's verdict all read this, so they
always agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..catalog import get_model
from ..jsonable import Json, jsonable
from ..records import TrialFrame, TrialRecord
from ..spec import StudySpec
from .capacity import curve_regions, read_capacity
from .choice import Choice, choose
from .noise import noise_for
from .scores import ParamCurve, train_validation_by_param
from .verdict import Verdict, is_suspiciously_perfect, judge, metric_words, shown

if TYPE_CHECKING:  # the curves module pulls in the executor; a diagnosis only reads them
    from .curves import Curve


class DiagnosisError(ValueError):
    """A diagnosis that cannot be made, phrased for the user."""


@dataclass(frozen=True)
class Diagnosis:
    study: str
    scoring: str
    trial: int
    choice: Choice
    verdict: Verdict
    by_param: dict[str, ParamCurve]
    regions: dict[str, tuple[str, ...]]  # per curve point: underfitting / overfitting / ...
    learning: Curve | None = None  # when computed
    validation: Curve | None = None
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Json]:
        verdict = self.verdict.to_json()
        return {
            "study": self.study,
            "scoring": self.scoring,
            "trial": self.trial,
            "verdict": self.verdict.verdict,
            "train_score": _finite(self.verdict.train_score),
            "validation_score": _finite(self.verdict.validation_score),
            "gap": _finite(self.verdict.gap),
            "evidence": self.verdict.evidence,
            "advice": self.verdict.advice,
            "moves": [move.to_json() for move in self.verdict.moves],
            "details": jsonable(verdict),
            **self.choice.to_json(),
            "curves": {
                "by_param": {name: {**jsonable(curve.to_json()),
                                    "regions": list(self.regions.get(name, ()))}
                             for name, curve in self.by_param.items()},
                "learning": self.learning.to_json() if self.learning else None,
                "validation": self.validation.to_json() if self.validation else None,
            },
            "notes": list(self.notes),
        }


def diagnose(
    spec: StudySpec, trials: Sequence[TrialRecord], trial: int | None = None, *,
    frame: TrialFrame | None = None, baseline: float | None = None,
    learning: Curve | None = None, validation: Curve | None = None,
    notes: Sequence[str] = (), with_curves: bool = True, choice: Choice | None = None,
) -> Diagnosis:
    """The diagnosis of ``trial`` (default: the best) from the stored trials; without
    ``with_curves`` the per-hyperparameter curves are left out (the verdict alone)."""
    frame = frame if frame is not None else TrialFrame.from_trials(trials)
    choice = choice or choose(frame, spec.model, spec.scoring, noise_for(spec))
    if choice.best is None:
        raise DiagnosisError(f"The study '{spec.name}' has no completed trial to diagnose yet.")
    number = choice.best if trial is None else trial
    row = frame.index_of(number)
    if row is None:
        raise DiagnosisError(f"The study '{spec.name}' has no trial number {number}.")
    if not frame.scored[row]:
        raise DiagnosisError(f"Trial {number} did not complete, so it has no scores to judge.")
    best_validation = float(frame.mean_test[frame.index_of(choice.best)])
    train, test = float(frame.mean_train[row]), float(frame.mean_test[row])
    sizes = learning_validation = None
    if learning is not None:
        sizes, learning_validation = list(learning.x), list(learning.test_mean)
    noise = noise_for(spec)
    curves = {validation.param: validation} if validation is not None else {}
    readings = read_capacity(frame, row, spec.model, spec.space, noise, curves)
    verdict = judge(
        trial=number, train=train, validation=test, best_validation=best_validation,
        scoring=spec.scoring, readings=readings,
        standard_error=noise.standard_error(float(frame.std_test[row])),
        noise_words=noise.words(), baseline=baseline, learning_sizes=sizes,
        learning_validation=learning_validation, best_trial=choice.best,
        main_setting=(main := _main_setting(spec)), searched=main in spec.space.names,
    )
    by_param = {name: train_validation_by_param(frame, name, spec.space)
                for name in spec.space.names if name in frame.params} if with_curves else {}
    info = get_model(spec.model)
    known = {hp.name: hp for hp in info.hyperparameters}
    regions = {
        name: curve_regions(known.get(name), curve.x, curve.test_mean,
                            [noise.standard_error(s) for s in curve.test_std])
        for name, curve in by_param.items()
    }
    notes = [*notes, *perfect_note(spec.scoring, best_validation)]
    return Diagnosis(spec.name, spec.scoring, number, choice, verdict, by_param, regions,
                     learning, validation, tuple(notes))


def _main_setting(spec: StudySpec) -> str | None:
    """The model's first capacity setting (the catalog lists its main one first), searched
    ones first."""
    capacity = [hp.name for hp in get_model(spec.model).hyperparameters
                if hp.simpler is not None]
    searched = [name for name in capacity if name in spec.space.names]
    return (searched or capacity or [None])[0]


def perfect_note(scoring: str, best: float) -> list[str]:
    """The warning a near-perfect best validation score deserves (empty otherwise)."""
    if not is_suspiciously_perfect(scoring, best):
        return []
    return [f"Suspiciously perfect: the best validation {metric_words(scoring)} is "
            f"{shown(scoring, best)}. Real data rarely allows this; check for leakage (a "
            "column computed from the target, or known only after it) before trusting it."]


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)
