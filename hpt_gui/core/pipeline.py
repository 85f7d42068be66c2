"""Preprocessing + estimator as one scikit-learn Pipeline.

Imputation, one-hot encoding and scaling are steps of the pipeline, so they are fit
inside every cross-validation fold on that fold's training rows only, and the exported
model carries them whole. Numeric columns keep their order, so a tree sees exactly the
columns a plain scikit-learn search would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .catalog import ModelInfo

MODEL_STEP = "model"


def build_preprocessor(
    numeric: Sequence[str], categorical: Sequence[str], *, scale: bool
) -> Any:
    """Impute (median / most frequent), one-hot encode categories, scale when asked."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    transformers = []
    if numeric:
        steps: list[tuple[str, Any]] = [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True))
        ]
        if scale:
            steps.append(("scale", StandardScaler()))
        transformers.append(("numeric", Pipeline(steps), list(numeric)))
    if categorical:
        steps = [
            ("impute", SimpleImputer(strategy="most_frequent", keep_empty_features=True)),
            ("one_hot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]
        if scale:
            steps.append(("scale", StandardScaler()))
        transformers.append(("categorical", Pipeline(steps), list(categorical)))
    return ColumnTransformer(
        transformers, remainder="drop", sparse_threshold=0.0, verbose_feature_names_out=False
    )


def build_pipeline(
    model: ModelInfo,
    params: Mapping[str, Any],
    seed: int | None,
    numeric: Sequence[str],
    categorical: Sequence[str],
) -> Any:
    """The whole pipeline for one trial, unfitted."""
    from sklearn.pipeline import Pipeline

    estimator = model.make_estimator(params, seed)
    if model.scale_target:
        from sklearn.compose import TransformedTargetRegressor
        from sklearn.preprocessing import StandardScaler

        estimator = TransformedTargetRegressor(regressor=estimator, transformer=StandardScaler())
    return Pipeline([
        ("preprocess", build_preprocessor(numeric, categorical, scale=model.needs_scaling)),
        (MODEL_STEP, estimator),
    ])


def describe_pipeline(model: ModelInfo, numeric: Sequence[str], categorical: Sequence[str]) -> str:
    """A few lines that tell the user what runs inside each fold."""
    lines = []
    if numeric:
        scale = ", then scale to mean 0 and spread 1" if model.needs_scaling else ""
        lines.append(
            f"{len(numeric)} numeric column(s): fill missing values with the median{scale}"
        )
    if categorical:
        lines.append(
            f"{len(categorical)} categorical column(s): fill missing values with the most "
            "frequent, then one-hot encode (unseen categories are ignored)"
        )
    target = ", on the target scaled to mean 0 and spread 1" if model.scale_target else ""
    lines.append(f"model: {model.label} ({model.name}){target}")
    return "\n".join(lines)
