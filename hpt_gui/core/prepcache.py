"""Fitted preprocessing kept in each worker, so trials that change only the estimator's
hyperparameters do not refit the same imputation, one-hot encoding and scaling.

Every (trial, fold) task of a study fits the pipeline's preprocessing on that fold's
training rows. When the preprocessing is the same (same fold, same unfitted steps, so
the same searched preprocessing parameters if there are any), the fit is deterministic
and gives the same matrices, so the worker keeps them and fits only the estimator.
``GridSearchCV`` refits them for every candidate; that is where the engine wins.

What is kept is exactly what the whole pipeline would compute: the training matrix from
``fit_transform`` (what the estimator is fit on), the validation matrix from
``transform``, and the training matrix from ``transform`` (what ``predict`` sees when the
train score is taken; usually identical to the first and then stored once). Warnings
raised while preparing are kept too, so a reused fold reports what a refit would have.

The key is (the context object, the fold, a hash of the unfitted preprocessing steps):
any searched parameter that changes a preprocessing step changes the hash. Memory is
bounded by bytes; see ``PreprocessCache`` for the eviction rule.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

# Per worker process. Each worker holds its own copy, so a pool of N workers may use
# N times this. HPT_GUI_PREPROCESS_CACHE_MB=0 turns the cache off (for comparisons).
DEFAULT_MAX_BYTES = 256 * 2**20
MAX_ENTRIES = 64


def default_max_bytes() -> int:
    """The byte budget per worker: HPT_GUI_PREPROCESS_CACHE_MB if set, else 256 MB."""
    text = os.environ.get("HPT_GUI_PREPROCESS_CACHE_MB", "").strip()
    try:
        return max(0, int(float(text) * 2**20)) if text else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class PreparedFold:
    """One fold's fitted preprocessing and the matrices it produced."""

    preprocessor: Any
    train: Any  # fit_transform(X_train, y_train): what the estimator is fit on
    test: Any  # transform(X_test)
    train_for_score: Any  # transform(X_train): what predict sees for the train score
    fit_warnings: tuple[warnings.WarningMessage, ...]
    test_warnings: tuple[warnings.WarningMessage, ...]
    train_warnings: tuple[warnings.WarningMessage, ...]
    nbytes: int
    # Seconds the preparation took: charged to every trial that uses it, so fit and score
    # times read as a whole-pipeline fit's (comparable across trials, as in cv_results_).
    fit_seconds: float = 0.0
    score_seconds: float = 0.0


def preprocessing_key(preprocessor: Any) -> str | None:
    """A hash of the unfitted preprocessing steps and all their parameters, or None when
    they cannot be hashed (a step holding a local function): then nothing is reused."""
    import joblib

    try:
        return joblib.hash(preprocessor)
    except Exception:
        return None


def prepare_fold(
    preprocessor: Any, X_train: Any, y_train: Any, X_test: Any, *, train_score: bool
) -> PreparedFold:
    """Fit the preprocessing as ``Pipeline.fit`` would and transform as ``predict`` would."""
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as fit_caught:
        warnings.simplefilter("always")
        train = preprocessor.fit_transform(X_train, y_train)
    fitted = time.perf_counter()
    with warnings.catch_warnings(record=True) as test_caught:
        warnings.simplefilter("always")
        test = preprocessor.transform(X_test)
    train_caught: list[warnings.WarningMessage] = []
    train_for_score = None
    if train_score:
        with warnings.catch_warnings(record=True) as train_caught:
            warnings.simplefilter("always")
            train_for_score = preprocessor.transform(X_train)
        if _same(train, train_for_score):
            train_for_score = train  # store it once
    for matrix in (train, test, train_for_score):
        if isinstance(matrix, np.ndarray):
            # Reused by later trials: an estimator writing into its input would change
            # them, so writes raise instead (scikit-learn estimators accept read-only
            # input, as GridSearchCV's memory-mapped data is read-only too).
            matrix.flags.writeable = False
    nbytes = sum(_nbytes(m) for m in {id(m): m for m in (train, test, train_for_score)
                                     if m is not None}.values())
    return PreparedFold(preprocessor, train, test, train_for_score, tuple(fit_caught),
                        tuple(test_caught), tuple(train_caught), nbytes,
                        fitted - start, time.perf_counter() - fitted)


def _same(a: Any, b: Any) -> bool:
    """Bit for bit (0.0 and -0.0 differ here), so sharing one copy changes no score."""
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
        return False
    if a.shape != b.shape or a.dtype != b.dtype or a.dtype.kind == "O":
        return False
    return a.tobytes() == b.tobytes()


def _nbytes(matrix: Any) -> int:
    if isinstance(matrix, np.ndarray):
        if matrix.dtype.kind == "O":
            return matrix.size * 64  # a guess: the objects themselves are not counted
        return int(matrix.nbytes)
    if hasattr(matrix, "data") and hasattr(matrix, "indices"):  # scipy sparse
        return int(sum(getattr(matrix, name).nbytes for name in ("data", "indices", "indptr")
                       if hasattr(getattr(matrix, name, None), "nbytes")))
    if hasattr(matrix, "memory_usage"):  # pandas
        return int(matrix.memory_usage(deep=True).sum())
    return int(getattr(matrix, "nbytes", 0))


class PreprocessCache:
    """Prepared folds by (context, fold, preprocessing key), bounded by bytes.

    Eviction: entries of another context or another preprocessing key go first, least
    recently used first. A new fold of the same context and key does not push out its
    siblings: a study visits its folds in a cycle, and under a cycle larger than the
    budget plain LRU would evict each fold just before it is needed again (no hits at
    all), whereas keeping what is there gives a hit on every fold that fits.
    """

    def __init__(self, max_bytes: int | None = None, max_entries: int = MAX_ENTRIES) -> None:
        self.max_bytes = default_max_bytes() if max_bytes is None else max(0, max_bytes)
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[int, int, str], tuple[Any, PreparedFold]] = \
            OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # a Dask worker runs tasks in several threads

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0 and self.max_entries > 0

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_prepare(
        self, context: Any, fold: int, key: str, prepare: Callable[[], PreparedFold]
    ) -> tuple[PreparedFold, bool]:
        """The prepared fold and whether it was reused; ``prepare`` runs on a miss (its
        exceptions propagate and nothing is kept)."""
        slot = (id(context), fold, key)
        with self._lock:
            self._drop_dead()
            found = self._entries.get(slot)
            if found is not None and found[0]() is context:
                self._entries.move_to_end(slot)
                self.hits += 1
                return found[1], True
            if found is not None:  # a dead context whose id was reused
                self._remove(slot)
            self.misses += 1
        prepared = prepare()
        with self._lock:
            self._admit(slot, context, prepared)
        return prepared, False

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _remove(self, slot: tuple[int, int, str]) -> None:
        _, prepared = self._entries.pop(slot)
        self._bytes -= prepared.nbytes

    def _admit(self, slot: tuple[int, int, str], context: Any, prepared: PreparedFold) -> None:
        if not self.enabled or prepared.nbytes > self.max_bytes or slot in self._entries:
            return
        self._drop_dead()
        siblings = (slot[0], slot[2])
        while (self._bytes + prepared.nbytes > self.max_bytes
               or len(self._entries) >= self.max_entries):
            victim = next((s for s in self._entries if (s[0], s[2]) != siblings), None)
            if victim is None:
                return  # only this study's own folds are kept: keep them, skip this one
            self._remove(victim)
        if not any(s[0] == slot[0] for s in self._entries):
            # Free the matrices as soon as the study's data goes (a long-lived Dask worker).
            weakref.finalize(context, self._forget, slot[0])
        self._entries[slot] = (weakref.ref(context), prepared)
        self._bytes += prepared.nbytes

    def _forget(self, context_id: int) -> None:
        # Called by the garbage collector, possibly inside a method holding the lock: then
        # the dead entries are dropped by the next call instead.
        if not self._lock.acquire(blocking=False):
            return
        try:
            self._drop_dead()
        finally:
            self._lock.release()

    def _drop_dead(self) -> None:
        for slot in [s for s, (ref, _) in self._entries.items() if ref() is None]:
            self._remove(slot)


_PROCESS_CACHE: PreprocessCache | None = None
_PROCESS_LOCK = threading.Lock()


def process_cache() -> PreprocessCache:
    """The cache of this worker process (made on first use)."""
    global _PROCESS_CACHE
    with _PROCESS_LOCK:
        if _PROCESS_CACHE is None:
            _PROCESS_CACHE = PreprocessCache()
        return _PROCESS_CACHE
