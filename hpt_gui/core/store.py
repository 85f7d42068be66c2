"""The project file: one SQLite database holding studies, trials and per-fold results.

Schema (version 1)::

    meta(key TEXT PRIMARY KEY, value TEXT)            -- 'schema_version', 'created_by'
    studies(id INTEGER PRIMARY KEY, name TEXT UNIQUE, spec_json TEXT,   -- StudySpec JSON
            status TEXT, created_at REAL, updated_at REAL,
            owner_pid INTEGER, owner_host TEXT)   -- the process running it, while it runs
            -- status: 'running', 'finished', 'cancelled', 'interrupted',
            --         'time limit reached'
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

Only finished trials are written, each with its folds in one transaction (synchronous
commits), so a crash or a pulled plug loses at most the trials still running. WAL mode
lets the window read while a run writes. One process runs a study at a time: it records
itself as the owner, and a second process is refused while the owner is alive (a
crashed owner is taken over). The file holds JSON and numbers only: no pickles.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
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
CREATED_BY = "hpt-gui"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS studies (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, spec_json TEXT NOT NULL,
    status TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
    owner_pid INTEGER, owner_host TEXT);
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
            self._refuse_foreign_database()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"The project file '{self.path}' cannot be opened ({exc}).") from None

    def _refuse_foreign_database(self) -> None:
        """Another program's SQLite file is left untouched (no tables, no WAL switch)."""
        tables = {r[0] for r in self._db.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return
        marker = None
        if "meta" in tables:
            marker = self._db.execute(
                "SELECT value FROM meta WHERE key='created_by'").fetchone()
        if marker is None or marker[0] != CREATED_BY:
            self._db.close()
            raise StoreError(
                f"'{self.path}' is a database of another program, not an hpt-gui project "
                "file; choose another name (it was not changed)."
            )

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            with self._transaction():
                self._db.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
                self._db.execute("INSERT INTO meta VALUES ('created_by', ?)", (CREATED_BY,))
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

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the main file, so a copy of it is complete."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

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
        """Create the study, or resume it when its result-shaping settings are unchanged.

        The caller becomes the study's owner until ``set_status`` ends the run.
        """
        now, me, host = time.time(), os.getpid(), socket.gethostname()
        with self._transaction():  # BEGIN IMMEDIATE: two processes cannot both claim it
            row = self._db.execute(
                "SELECT id, spec_json, status, owner_pid, owner_host, updated_at FROM studies "
                "WHERE name=?",
                (spec.name,),
            ).fetchone()
            if row is None:
                cursor = self._db.execute(
                    "INSERT INTO studies (name, spec_json, status, created_at, updated_at, "
                    "owner_pid, owner_host) VALUES (?, ?, 'running', ?, ?, ?, ?)",
                    (spec.name, spec.dumps(), now, now, me, host),
                )
                return int(cursor.lastrowid)
            study_id, stored, status, owner_pid, owner_host, updated_at = row
            differences = spec.differences(StudySpec.loads(stored))
            if differences:
                raise StoreError(
                    f"The project already has a study '{spec.name}' with different settings "
                    f"({', '.join(differences)}). Give the new study another name to keep "
                    "both, or repeat the original settings to continue it."
                )
            if status == "running" and owner_pid not in (None, me) and _owner_alive(
                owner_pid, owner_host, host, now - updated_at
            ):
                raise StoreError(
                    f"The study '{spec.name}' is being run right now by another hpt-gui "
                    f"(process {owner_pid} on {owner_host}); wait for it to finish or stop "
                    "it, then run it again."
                )
            self._db.execute(
                "UPDATE studies SET spec_json=?, status='running', updated_at=?, owner_pid=?, "
                "owner_host=? WHERE id=?", (spec.dumps(), now, me, host, study_id),
            )
        return int(study_id)

    def set_status(self, name: str, status: str) -> None:
        """Record how a run ended and release the study."""
        with self._transaction():
            self._db.execute(
                "UPDATE studies SET status=?, updated_at=?, owner_pid=NULL, owner_host=NULL "
                "WHERE name=?", (status, time.time(), name),
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


def _owner_alive(pid: int, owner_host: str | None, host: str, quiet_for: float) -> bool:
    """Is the process that claimed a study still running?

    On another machine (a shared folder) it cannot be asked: a study that has stored
    nothing for six hours is taken to be abandoned.
    """
    if owner_host != host:
        return quiet_for < 6 * 3600
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
