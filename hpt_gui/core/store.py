"""The project file: one SQLite database holding studies, trials and per-fold results.

Schema (version 1)::

    meta(key TEXT PRIMARY KEY, value TEXT)            -- 'schema_version', 'created_by'
    studies(id INTEGER PRIMARY KEY, name TEXT UNIQUE, spec_json TEXT,   -- StudySpec JSON
            status TEXT, created_at REAL, updated_at REAL)
            -- status: 'running', 'finished', 'cancelled', 'interrupted', 'failed'
    trials(id INTEGER PRIMARY KEY, study_id INTEGER, number INTEGER,    -- number: per study
           state TEXT, params_json TEXT,                                -- COMPLETE | FAIL | PRUNED
           mean_test_score REAL, std_test_score REAL,
           mean_train_score REAL, std_train_score REAL,
           mean_fit_time REAL, std_fit_time REAL,
           mean_score_time REAL, std_score_time REAL,
           error TEXT, started_at REAL, finished_at REAL,
           UNIQUE(study_id, number))
    folds(trial_id INTEGER, fold INTEGER, test_score REAL, train_score REAL,
          fit_time REAL, score_time REAL, error TEXT, warning TEXT,
          PRIMARY KEY(trial_id, fold))

Only finished trials are written, each with its folds in one transaction, so a crash
or a pulled plug loses at most the trials still running. WAL mode lets the window read
while a run writes. The file holds JSON and numbers only: no pickles.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from .evaluate import FoldResult
from .spec import StudySpec

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS studies (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, spec_json TEXT NOT NULL,
    status TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS trials (
    id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies(id),
    number INTEGER NOT NULL, state TEXT NOT NULL, params_json TEXT NOT NULL,
    mean_test_score REAL, std_test_score REAL, mean_train_score REAL, std_train_score REAL,
    mean_fit_time REAL, std_fit_time REAL, mean_score_time REAL, std_score_time REAL,
    error TEXT, started_at REAL, finished_at REAL, UNIQUE(study_id, number));
CREATE TABLE IF NOT EXISTS folds (
    trial_id INTEGER NOT NULL REFERENCES trials(id), fold INTEGER NOT NULL,
    test_score REAL, train_score REAL, fit_time REAL, score_time REAL,
    error TEXT, warning TEXT, PRIMARY KEY (trial_id, fold));
"""


class StoreError(ValueError):
    """A project file that cannot be used, phrased for the user."""


class TrialState(StrEnum):
    """The state of a trial; only finished states are ever stored."""

    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    FAIL = "FAIL"
    PRUNED = "PRUNED"

    def is_finished(self) -> bool:
        return self is not TrialState.RUNNING


@dataclass(frozen=True)
class TrialRecord:
    """One finished trial with its per-fold results."""

    number: int
    state: TrialState
    params: dict[str, Any]
    folds: tuple[FoldResult, ...]
    started_at: float
    finished_at: float
    error: str | None = None

    @property
    def test_scores(self) -> list[float]:
        return [f.test_score for f in self.folds if f.test_score is not None]

    @property
    def train_scores(self) -> list[float]:
        return [f.train_score for f in self.folds if f.train_score is not None]

    @property
    def mean_test_score(self) -> float | None:
        return _mean(self.test_scores) if self.state is TrialState.COMPLETE else None

    @property
    def std_test_score(self) -> float | None:
        return _pstdev(self.test_scores) if self.state is TrialState.COMPLETE else None

    @property
    def mean_train_score(self) -> float | None:
        return _mean(self.train_scores) if self.state is TrialState.COMPLETE else None

    @property
    def std_train_score(self) -> float | None:
        return _pstdev(self.train_scores) if self.state is TrialState.COMPLETE else None



def _mean(values: Sequence[float]) -> float | None:
    # numpy's mean, as GridSearchCV's cv_results_ uses, so the last digit agrees.
    import numpy as np

    return float(np.mean(values)) if values else None


def _pstdev(values: Sequence[float]) -> float | None:
    import numpy as np

    return float(np.std(values)) if values else None


def trial_from_folds(
    number: int, params: dict[str, Any], folds: Sequence[FoldResult],
    started_at: float, finished_at: float,
) -> TrialRecord:
    """A trial fails when any of its folds failed; the first error says why."""
    folds = tuple(sorted(folds, key=lambda f: f.fold))
    errors = [f"fold {f.fold + 1}: {f.error}" for f in folds if f.error]
    state = TrialState.FAIL if errors else TrialState.COMPLETE
    return TrialRecord(number, state, dict(params), folds, started_at, finished_at,
                       errors[0] if errors else None)


@dataclass(frozen=True)
class StudyRow:
    """A study as listed in a project."""

    id: int
    name: str
    spec: StudySpec
    status: str
    created_at: float
    updated_at: float


class ProjectStore:
    """Read and write one project file. One instance per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"'{self.path}' is a folder; give a project file name.")
        if self.path.exists() and not _looks_like_sqlite(self.path):
            raise StoreError(
                f"'{self.path}' is not an hpt-gui project file; choose another name "
                "(it was not changed)."
            )
        try:
            self._db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"The project file '{self.path}' cannot be opened ({exc}).") from None

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            with self._transaction():
                self._db.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
        elif int(row[0]) > SCHEMA_VERSION:
            raise StoreError(
                f"The project file '{self.path}' was written by a newer hpt-gui; update hpt-gui "
                "to open it."
            )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # studies -----------------------------------------------------------------------

    def studies(self) -> list[StudyRow]:
        rows = self._db.execute(
            "SELECT id, name, spec_json, status, created_at, updated_at FROM studies ORDER BY id"
        ).fetchall()
        return [StudyRow(r[0], r[1], StudySpec.loads(r[2]), r[3], r[4], r[5]) for r in rows]

    def study(self, name: str) -> StudyRow:
        for row in self.studies():
            if row.name == name:
                return row
        names = ", ".join(f"'{r.name}'" for r in self.studies()) or "none"
        raise StoreError(f"The project has no study named '{name}' (its studies: {names}).")

    def open_study(self, spec: StudySpec) -> int:
        """Create the study, or resume it when its result-shaping settings are unchanged."""
        now = time.time()
        row = self._db.execute(
            "SELECT id, spec_json FROM studies WHERE name=?", (spec.name,)
        ).fetchone()
        if row is None:
            with self._transaction():
                cursor = self._db.execute(
                    "INSERT INTO studies (name, spec_json, status, created_at, updated_at) "
                    "VALUES (?, ?, 'running', ?, ?)", (spec.name, spec.dumps(), now, now),
                )
            return int(cursor.lastrowid)
        differences = spec.differences(StudySpec.loads(row[1]))
        if differences:
            raise StoreError(
                f"The project already has a study '{spec.name}' with different settings "
                f"({', '.join(differences)}). Give the new study another name to keep both, "
                "or repeat the original settings to continue it."
            )
        with self._transaction():
            self._db.execute(
                "UPDATE studies SET spec_json=?, status='running', updated_at=? WHERE id=?",
                (spec.dumps(), now, row[0]),
            )
        return int(row[0])

    def set_status(self, name: str, status: str) -> None:
        with self._transaction():
            self._db.execute(
                "UPDATE studies SET status=?, updated_at=? WHERE name=?",
                (status, time.time(), name),
            )

    # trials ------------------------------------------------------------------------

    def save_trial(self, study_id: int, trial: TrialRecord) -> None:
        """Write a finished trial and all its folds at once."""
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO trials (study_id, number, state, params_json, mean_test_score, "
                "std_test_score, mean_train_score, std_train_score, mean_fit_time, std_fit_time, "
                "mean_score_time, std_score_time, error, started_at, finished_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    study_id, trial.number, trial.state.value, json.dumps(trial.params),
                    trial.mean_test_score, trial.std_test_score,
                    trial.mean_train_score, trial.std_train_score,
                    _mean([f.fit_time for f in trial.folds]),
                    _pstdev([f.fit_time for f in trial.folds]),
                    _mean([f.score_time for f in trial.folds]),
                    _pstdev([f.score_time for f in trial.folds]),
                    trial.error, trial.started_at, trial.finished_at,
                ),
            )
            self._db.executemany(
                "INSERT INTO folds VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (cursor.lastrowid, f.fold, f.test_score, f.train_score, f.fit_time,
                     f.score_time, f.error, f.warning)
                    for f in trial.folds
                ],
            )
            self._db.execute(
                "UPDATE studies SET updated_at=? WHERE id=?", (time.time(), study_id)
            )

    def trials(self, name: str) -> list[TrialRecord]:
        """Every stored trial of a study, by number."""
        study_id = self.study(name).id
        rows = self._db.execute(
            "SELECT id, number, state, params_json, started_at, finished_at, error FROM trials "
            "WHERE study_id=? ORDER BY number", (study_id,),
        ).fetchall()
        folds: dict[int, list[FoldResult]] = {}
        for r in self._db.execute(
            "SELECT f.trial_id, t.number, f.fold, f.test_score, f.train_score, f.fit_time, "
            "f.score_time, f.error, f.warning FROM folds f JOIN trials t ON t.id = f.trial_id "
            "WHERE t.study_id=? ORDER BY f.trial_id, f.fold", (study_id,),
        ):
            folds.setdefault(r[0], []).append(FoldResult(*r[1:]))
        return [
            TrialRecord(r[1], TrialState(r[2]), json.loads(r[3]), tuple(folds.get(r[0], ())),
                        r[4], r[5], r[6])
            for r in rows
        ]


def _looks_like_sqlite(path: Path) -> bool:
    if path.stat().st_size == 0:
        return True
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def best_trial(trials: Sequence[TrialRecord]) -> TrialRecord | None:
    """The complete trial with the highest mean validation score (lowest number on ties)."""
    complete = [t for t in trials if t.state is TrialState.COMPLETE]
    if not complete:
        return None
    return max(complete, key=lambda t: (t.mean_test_score, -t.number))


def count_states(trials: Sequence[TrialRecord]) -> dict[str, int]:
    counts = {state.value: 0 for state in TrialState if state.is_finished()}
    for trial in trials:
        counts[trial.state.value] += 1
    return counts


__all__ = [
    "ProjectStore", "StoreError", "StudyRow", "TrialRecord", "TrialState", "best_trial",
    "count_states", "trial_from_folds",
]
