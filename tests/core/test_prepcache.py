"""Reused preprocessing gives the scores of a whole-pipeline fit, bit for bit."""

import warnings

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core import evaluate as evaluate_module
from hpt_gui.core.evaluate import evaluate_fold
from hpt_gui.core.prepcache import PreparedFold, PreprocessCache
from hpt_gui.core.runner import run_study
from hpt_gui.core.space import SearchSpace
from hpt_gui.core.study import plan_study

C_VALUES = [0.01, 0.3, 10.0]


@pytest.fixture(scope="module")
def mixed_csv(tmp_path_factory):
    """Numbers and text, both with holes: imputation, one-hot and scaling all do work."""
    rng = np.random.default_rng(3)
    n = 90
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "income": rng.normal(50, 10, n),
        "visits": rng.poisson(3, n).astype(float),
        "city": rng.choice(["Lyon", "Paris", "Nice", "Lille"], n),
        "plan": rng.choice(["basic", "plus"], n),
    })
    frame["bought"] = np.where(frame["age"] / 10 + (frame["city"] == "Paris") * 2
                               + rng.normal(0, 1.5, n) > 6, "yes", "no")
    frame.loc[::6, "income"] = np.nan
    frame.loc[::9, "age"] = np.nan
    frame.loc[::7, "city"] = np.nan
    frame.loc[::11, "plan"] = np.nan
    path = tmp_path_factory.mktemp("mixed") / "shop.csv"
    frame.to_csv(path, index=False)
    return path


def _plan(data, **extra):
    space = SearchSpace.from_json({"C": {"type": "categorical", "choices": C_VALUES}})
    return plan_study(data=data, target="bought", model="LogisticRegression", space=space,
                      strategy="grid", cv=3, seed=4, scoring="accuracy", name="c", **extra)


def test_cached_folds_equal_uncached_and_gridsearchcv(mixed_csv, tmp_path):
    from sklearn.model_selection import GridSearchCV

    from hpt_gui.core.catalog import get_model
    from hpt_gui.core.pipeline import build_pipeline

    context = _plan(mixed_csv).context
    assert context.numeric and context.categorical
    cache = PreprocessCache()
    with_cache, without = {}, {}
    for number, c in enumerate(C_VALUES):
        for fold in range(len(context.splits)):
            with_cache[c, fold] = evaluate_fold(context, number, {"C": c}, fold, cache)
            without[c, fold] = evaluate_fold(context, number, {"C": c}, fold)
    assert (cache.misses, cache.hits) == (3, 6)  # one preparation per fold, then reuse
    assert [with_cache[c, 0].reused_preprocessing for c in C_VALUES] == [False, True, True]

    search = GridSearchCV(
        build_pipeline(get_model("LogisticRegression"), {}, 4, context.numeric,
                       context.categorical),
        {"model__C": C_VALUES}, cv=list(context.splits), scoring="accuracy",
        return_train_score=True, refit=False,
    ).fit(context.X, context.y)
    for i, params in enumerate(search.cv_results_["params"]):
        c = params["model__C"]
        for fold in range(len(context.splits)):
            ours, plain = with_cache[c, fold], without[c, fold]
            assert ours.error is None and plain.error is None
            assert ours.test_score == plain.test_score == \
                search.cv_results_[f"split{fold}_test_score"][i]
            assert ours.train_score == plain.train_score == \
                search.cv_results_[f"split{fold}_train_score"][i]

    # and through the study loop (inline executor: one process, so every later trial hits)
    seen = []
    result = run_study(_plan(mixed_csv), tmp_path / "p.hpt", on_trial=seen.append)
    by_c = {t.params["C"]: t for t in result.trials}
    for c in C_VALUES:
        assert [f.test_score for f in by_c[c].folds] == [
            without[c, fold].test_score for fold in range(3)]
    assert sum(f.reused_preprocessing for t in seen for f in t.folds) == 6


def _noisy(X):
    warnings.warn("preprocessing says hello", UserWarning, stacklevel=1)
    return X


def _pipeline_with_searched_imputation(monkeypatch, warn=False, step=_noisy):
    """Make the numeric imputation depend on a searched 'impute' parameter (the catalog
    has none yet), and optionally a preprocessing step that warns."""
    real = evaluate_module.build_pipeline

    def build(model, params, seed, numeric, categorical):
        params = dict(params)
        strategy = params.pop("impute", "median")
        pipeline = real(model, params, seed, numeric, categorical)
        pipeline.set_params(preprocess__numeric__impute__strategy=strategy)
        if warn:
            from sklearn.pipeline import Pipeline
            from sklearn.preprocessing import FunctionTransformer

            pipeline = Pipeline([("preprocess", pipeline[0]),
                                 ("noisy", FunctionTransformer(step)),
                                 ("model", pipeline[-1])])
        return pipeline

    monkeypatch.setattr(evaluate_module, "build_pipeline", build)


def test_searched_preprocessing_parameter_is_part_of_the_key(mixed_csv, monkeypatch):
    _pipeline_with_searched_imputation(monkeypatch)
    context = _plan(mixed_csv).context
    cache = PreprocessCache()
    trials = [{"C": 0.3, "impute": "median"}, {"C": 0.3, "impute": "mean"},
              {"C": 10.0, "impute": "median"}, {"C": 10.0, "impute": "mean"}]
    for fold in range(len(context.splits)):
        for number, params in enumerate(trials):
            ours = evaluate_fold(context, number, params, fold, cache)
            plain = evaluate_fold(context, number, params, fold)
            assert ours.reused_preprocessing == (number >= 2)
            assert (ours.test_score, ours.train_score) == (plain.test_score, plain.train_score)
    assert len(cache) == 2 * len(context.splits)
    # the two imputations really do differ on this data, so a shared entry would show
    medians = evaluate_fold(context, 0, {"C": 10.0, "impute": "median"}, 0)
    means = evaluate_fold(context, 0, {"C": 10.0, "impute": "mean"}, 0)
    assert medians.train_score != means.train_score


def test_a_reused_fold_reports_the_preprocessing_warning(mixed_csv, monkeypatch):
    _pipeline_with_searched_imputation(monkeypatch, warn=True)
    context = _plan(mixed_csv).context
    cache = PreprocessCache()
    first = evaluate_fold(context, 0, {"C": 0.3}, 0, cache)
    again = evaluate_fold(context, 1, {"C": 10.0}, 0, cache)
    plain = evaluate_fold(context, 1, {"C": 10.0}, 0)
    assert again.reused_preprocessing and not first.reused_preprocessing
    assert again.warning == plain.warning == "UserWarning: preprocessing says hello"
    assert again.test_score == plain.test_score


def test_preprocessing_that_cannot_be_hashed_is_simply_refit(mixed_csv, monkeypatch):
    def local(X):  # a local function cannot be pickled, so it cannot be hashed either
        return X

    _pipeline_with_searched_imputation(monkeypatch, warn=True, step=local)
    context = _plan(mixed_csv).context
    cache = PreprocessCache()
    ours = [evaluate_fold(context, n, {"C": c}, 0, cache) for n, c in enumerate(C_VALUES)]
    assert len(cache) == 0 and not any(r.reused_preprocessing or r.error for r in ours)
    assert ours[0].test_score == evaluate_fold(context, 0, {"C": C_VALUES[0]}, 0).test_score


def _prepared(nbytes):
    return PreparedFold(None, None, None, None, (), (), (), nbytes)


class _Context:
    """Stands in for an EvalContext: the cache only needs identity and a weak reference."""


def test_cache_keeps_a_studys_own_folds_and_evicts_others_first():
    cache = PreprocessCache(max_bytes=300)
    study, other = _Context(), _Context()
    cache.get_or_prepare(other, 0, "k", lambda: _prepared(100))
    for fold in range(3):
        cache.get_or_prepare(study, fold, "k", lambda: _prepared(100))
    # the other study's entry made room; the third fold of this study did not push out
    # the first two (a cycle over folds would otherwise never hit)
    assert cache.nbytes == 300 and len(cache) == 3
    assert cache.get_or_prepare(study, 0, "k", lambda: _prepared(100))[1]
    assert cache.get_or_prepare(study, 2, "k", lambda: _prepared(100))[1]
    # another preprocessing key of the same study evicts the least recently used entry
    cache.get_or_prepare(study, 0, "k2", lambda: _prepared(100))
    assert len(cache) == 3 and cache.get_or_prepare(study, 0, "k2", lambda: _prepared(1))[1]
    # too big to keep at all, and an off cache keeps nothing
    cache.get_or_prepare(study, 5, "k", lambda: _prepared(10_000))
    assert not cache.get_or_prepare(study, 5, "k", lambda: _prepared(10_000))[1]
    off = PreprocessCache(max_bytes=0)
    off.get_or_prepare(study, 0, "k", lambda: _prepared(1))
    assert len(off) == 0


def test_cache_lets_go_of_a_dead_studys_matrices():
    import gc

    cache = PreprocessCache(max_bytes=1000)
    study = _Context()
    cache.get_or_prepare(study, 0, "k", lambda: _prepared(100))
    assert len(cache) == 1
    del study
    gc.collect()
    assert len(cache) == 0 and cache.nbytes == 0


def test_a_reused_fold_is_charged_its_preprocessing_time():
    """Fit times read as a whole-pipeline fit's, whichever trial made the preparation."""
    plan = plan_study(data="demo:iris", target="target", model="LogisticRegression",
                      strategy="grid", cv=3, space=None)
    context, cache = plan.context, PreprocessCache()
    made = evaluate_fold(context, 0, {"C": 1.0}, 0, cache=cache)
    reused = evaluate_fold(context, 1, {"C": 2.0}, 0, cache=cache)
    assert not made.reused_preprocessing and reused.reused_preprocessing
    _, prepared = next(iter(cache._entries.values()))
    assert prepared.fit_seconds > 0 and reused.fit_time >= prepared.fit_seconds
    assert reused.score_time >= prepared.score_seconds
