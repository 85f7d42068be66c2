"""The model inspector's work: the trial refit on all rows, then what it learned.

A plain function of picklable arguments, so the window can run it in a worker process
(``isolated.run_isolated``) and a model that crashes cannot take the window down.
"""

from __future__ import annotations

from typing import Any

from ..spec import StudySpec
from .inspector import LearnedFact, hyperparameters_set, inspect_model
from .model_picture import FeatureImportances, feature_importances


def inspect_trial(spec: StudySpec, params: dict[str, Any]
                  ) -> tuple[list[tuple[str, str, Any]], list[LearnedFact],
                             FeatureImportances | None]:
    """(what the user set, what the model learned, its feature importances if it has
    any) for a trial refit on the study's data."""
    from ..export import fit_final_pipeline, load_study_data
    from ..records import TrialRecord, TrialState

    record = TrialRecord(-1, TrialState.COMPLETE, dict(params), (), 0.0, 0.0)
    pipeline = fit_final_pipeline(spec, record, load_study_data(spec))
    return (hyperparameters_set(spec.model, params), inspect_model(pipeline, spec.model),
            feature_importances(pipeline))
