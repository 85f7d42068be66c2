"""Regularization paths: a linear model's coefficients as its penalty strength moves.

Each strength is one fit on all of the study's rows (no folds: the path shows what the
model keeps, not how well it scores; the score along the same strengths is
``curves.validation_curve``). Linear fits are cheap, so they run in the calling thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..catalog import get_model
from ..evaluate import EvalContext, describe_error
from ..jsonable import Json, jsonable
from ..pipeline import MODEL_STEP, build_pipeline
from .curves import CurveCancelled, Progress, Stop
from .inspector import feature_names

# The catalog's linear models and the argument that sets how strongly they are kept simple.
_STRENGTH = {"LogisticRegression": "C", "Ridge": "alpha", "Lasso": "alpha", "ElasticNet": "alpha"}


@dataclass(frozen=True)
class RegularizationPath:
    """The final estimator's coefficients at each regularization strength.

    ``coefficients[i][j]`` belongs to ``values[i]`` and ``feature_names[j]``. With
    ``signed`` False (logistic regression on three or more classes) each entry is the L2
    norm of the feature's coefficients across the classes: one line per input column,
    zero exactly when the input is dropped for every class. A failed fit leaves a row of
    None and its reason in ``errors``.
    """

    param: str
    values: tuple[Any, ...]
    feature_names: tuple[str, ...]
    coefficients: tuple[tuple[float | None, ...], ...]
    zero_counts: tuple[int | None, ...]
    signed: bool
    errors: tuple[str | None, ...]

    def to_json(self) -> dict[str, Json]:
        return {key: jsonable(value) for key, value in {
            "param": self.param, "values": self.values, "feature_names": self.feature_names,
            "coefficients": self.coefficients, "zero_counts": self.zero_counts,
            "signed": self.signed, "errors": self.errors,
        }.items()}


def is_linear(model_name: str) -> str | None:
    """The regularization strength's name for a catalog linear model, else None."""
    return _STRENGTH.get(model_name)


def regularization_path(
    context: EvalContext,
    params: Mapping[str, Any],
    name: str,
    values: Sequence[Any],
    should_stop: Stop | None = None,
    on_progress: Progress | None = None,
) -> RegularizationPath:
    """The coefficients at each strength, each from one fit on all of the context's rows.

    Linear fits are cheap, so they run in the calling thread (never the window's); the
    validation score along the path is ``validation_curve`` with the same name and values.
    """
    stop = should_stop or (lambda: False)
    report = on_progress or (lambda done, total: None)
    rows: list[np.ndarray | None] = []
    errors: list[str | None] = []
    names: tuple[str, ...] = ()
    signed = True
    report(0, len(values))
    for i, value in enumerate(values):
        if stop():
            raise CurveCancelled()
        try:
            pipeline = _fit_all_rows(context, {**params, name: value})
        except Exception as exc:  # one strength that fails must not lose the others
            rows.append(None)
            errors.append(describe_error(exc))
        else:
            coefficients, signed = _coefficient_sizes(pipeline)
            names = names or tuple(feature_names(pipeline))
            rows.append(coefficients)
            errors.append(None)
        report(i + 1, len(values))
    width = len(names)
    return RegularizationPath(
        param=name,
        values=tuple(values),
        feature_names=names,
        coefficients=tuple(
            (None,) * width if row is None else tuple(float(c) for c in row) for row in rows
        ),
        zero_counts=tuple(None if row is None else int(np.sum(row == 0.0)) for row in rows),
        signed=signed,
        errors=tuple(errors),
    )


def _fit_all_rows(context: EvalContext, params: Mapping[str, Any]) -> Any:
    import warnings

    pipeline = build_pipeline(get_model(context.model), params, context.seed, context.numeric,
                              context.categorical)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a ConvergenceWarning at one strength is expected
        return pipeline.fit(context.X, context.y)


def _coefficient_sizes(pipeline: Any) -> tuple[np.ndarray, bool]:
    """One number per input column: the coefficient, or its L2 norm across classes."""
    estimator = pipeline.named_steps[MODEL_STEP]
    estimator = getattr(estimator, "regressor_", estimator)
    coef = np.atleast_2d(np.asarray(estimator.coef_, dtype=float))
    if coef.shape[0] == 1:
        return coef[0], True
    return np.sqrt((coef**2).sum(axis=0)), False


__all__ = ["RegularizationPath", "is_linear", "regularization_path"]
