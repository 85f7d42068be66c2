"""The project file: one SQLite database holding studies, trials and per-fold results.

The schema and its queries only: the records it writes and reads (``TrialRecord``,
``TrialState``, ``StudyRow``, ``best_trial``, ...) are ``records.py``'s, imported here
also so that ``from hpt_gui.core.store import TrialRecord`` goes on working.

Schema (version 2)::

    meta(key TEXT PRIMARY KEY, value TEXT)            -- 'schema_version', 'created_by'
    studies(id INTEGER PRIMARY KEY, name TEXT UNIQUE, spec_json TEXT,   -- StudySpec JSON
            status TEXT, created_at REAL, updated_at REAL,
            owner_pid INTEGER, owner_host TEXT)   -- the process running it, while it runs
            -- status: 'running', 'finished', 'cancelled', 'interrupted',
            --         'time limit reached'
    trials(id INTEGER PRIMARY KEY, study_id INTEGER, number INTEGER,    -- number: per study
           state TEXT, params_json TEXT,              -- COMPLETE | FAIL | PRUNED | CANCELLED
           mean_test_score REAL, std_test_score REAL,
           mean_train_score REAL, std_train_score REAL,
           mean_fit_time REAL, std_fit_time REAL,
           mean_score_time REAL, std_score_time REAL,
           error TEXT, started_at REAL, finished_at REAL, attrs_json TEXT,
           UNIQUE(study_id, number))
          -- attrs_json: what a strategy records about the trial beyond its folds, as
          -- JSON or NULL (successive halving: the rung and resource a trial reached).
          -- Added within version 1: a file without the column gets it when opened, and
          -- an older hpt-gui, which names its columns, reads and writes around it.
    folds(trial_id INTEGER, fold INTEGER, test_score REAL, train_score REAL,
          fit_time REAL, score_time REAL, error TEXT, warning TEXT,
          PRIMARY KEY(trial_id, fold))
    results(study_id INTEGER PRIMARY KEY, results_json TEXT, updated_at REAL)
          -- what a run measured beyond its trials, as JSON: the chosen trial's score on
          -- the held-out test set or outer fold, nested cross-validation's outer scores.
          -- Added within version 1: a file without it gets it when opened, and an older
          -- hpt-gui that does not know it leaves it alone.
    predictions(study_id INTEGER, trial INTEGER, payload BLOB, updated_at REAL,
                PRIMARY KEY(study_id, trial))
          -- one trial's out-of-fold predictions (``predictions.Predictions.to_json``):
          -- zlib-compressed JSON, its arrays as base64 of their little-endian bytes.
          -- Added within version 2, as ``results`` was within version 1: a file without
          -- it gets it when opened; an older hpt-gui leaves it alone.

Version 2 adds the CANCELLED state (a trial cut short by a cancel, with the folds it
finished; deleted when its study runs again) and the spec's ``trial_time_limit``. A
version-1 file is read as it is and becomes version 2 when a study is next run in it, so
an older hpt-gui refuses it with a sentence instead of failing on what it does not know.

A trial PRUNED by successive halving holds the folds it ran, and its means are over those
folds (a partial score, never a candidate for the best trial: see ``best_trial``).

Only finished trials are written, each with its folds in one transaction (synchronous
commits), so a crash or a pulled plug loses at most the trials still running. WAL mode
lets the window read while a run writes. The file holds JSON and numbers only: no pickles.

One process runs a study at a time. It records itself as the owner (process id and
computer) and holds the study's lock file beside the project while it runs (``run_lock``):
the operating system drops the lock when the process ends, however it ends, so a crashed
owner is recognised even after its process id has gone to another program, and its study
is taken over. A second process is refused while the lock is held. A study recorded as
running on another computer (a shared folder, where locks may not reach) cannot be proved
alive or gone: it is refused with a sentence offering to take it over (``take_over``),
until it has stored nothing for six hours. An hpt-gui older than the lock files holds none:
do not run one on the same project at the same time as this one.

Errors become sentences (StoreError): another program holding the file locked
(ProjectBusy, after at most ``BUSY_SECONDS``), a damaged file (ProjectDamaged, naming what
cannot be read; nothing is written), a study another process runs (StudyRunningElsewhere).

A write the disk refuses (read-only file or folder, full disk, I/O error) is rolled back
whole and raised as a StoreError saying what to do; the trials committed before stay. A
project in a folder that cannot be written opens read-only (``read_only``), to look at.

Reading a study (``ProjectStore.trials``) reads the trials table only, with the means
``save_trial`` stored; its folds are read from the file again when first used, so the file
must still be there then (else ``folds`` raises StoreError).
"""

from __future__ import annotations

import functools
import gc
import json
import os
import socket
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import FrozenInstanceError, fields
from enum import Enum
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from .evaluate import FoldResult
from .records import (
    StudyRow,
    TrialRecord,
    TrialState,
    best_trial,
    count_states,
    trial_from_folds,
)
from .records import mean as _mean
from .records import pstdev as _pstdev
from .run_lock import RunLock, probe
from .spec import StudySpec

SCHEMA_VERSION = 2
CREATED_BY = "hpt-gui"
_T = TypeVar("_T")

# How long an operation waits for another program's lock on the file before it says so.
# Saving a run's trials waits longer (PATIENT_SECONDS): a long run should not stop because
# a backup tool held the file for a few seconds.
BUSY_SECONDS = 5.0
PATIENT_SECONDS = 60.0
# A run on another computer that has stored nothing for this long is taken to be abandoned.
ABANDONED_AFTER = 6 * 3600

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
    error TEXT, started_at REAL, finished_at REAL, attrs_json TEXT,
    UNIQUE(study_id, number));
CREATE TABLE IF NOT EXISTS folds (
    trial_id INTEGER NOT NULL REFERENCES trials(id), fold INTEGER NOT NULL,
    test_score REAL, train_score REAL, fit_time REAL, score_time REAL,
    error TEXT, warning TEXT, PRIMARY KEY (trial_id, fold));
CREATE TABLE IF NOT EXISTS results (
    study_id INTEGER PRIMARY KEY REFERENCES studies(id), results_json TEXT NOT NULL,
    updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS predictions (
    study_id INTEGER NOT NULL REFERENCES studies(id), trial INTEGER NOT NULL,
    payload BLOB NOT NULL, updated_at REAL NOT NULL, PRIMARY KEY (study_id, trial));
"""


class StoreError(ValueError):
    """A project file that cannot be used, phrased for the user."""


class ProjectBusy(StoreError):
    """Another program holds the project file locked."""


class ProjectDamaged(StoreError):
    """Part of the project file cannot be read; the sentence names which."""


class StudyRunningElsewhere(StoreError):
    """Another process runs the study. ``can_take_over``: it runs on another computer, so
    whether it still runs cannot be told from here, and the user may take the study over."""

    def __init__(self, message: str, study: str, can_take_over: bool) -> None:
        super().__init__(message)
        self.study = study
        self.can_take_over = can_take_over


def _sentences(method: Callable[..., _T]) -> Callable[..., _T]:
    """A ProjectStore method whose SQLite errors become sentences (``_as_sentences``)."""
    @functools.wraps(method)
    def with_sentences(self: ProjectStore, *args: Any, **kwargs: Any) -> _T:
        with self._as_sentences():
            return method(self, *args, **kwargs)

    return with_sentences


class ProjectStore:
    """Read and write one project file. One instance per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"'{self.path}' is a folder; give a project file name.")
        if self.path.exists() and not _looks_like_sqlite(self.path):
            raise StoreError(
                f"'{self.path}' is not an hpt-gui project file, or it is damaged beyond "
                "reading (it does not even start as one: file is not a database); choose "
                "another file (it was not changed)."
            )
        # How reading connections open the file (the folds' loader): read-only, and also
        # immutable when the file's folder cannot be written (see _connect).
        self._read_uri = f"{self.path.resolve().as_uri()}?mode=ro"  # escapes '?', '#', '%'
        self.read_only = False  # True: opened only to look, its folder cannot be written
        self._locks: dict[str, RunLock] = {}  # the studies this store runs, by name
        self._before: dict[str, str | None] = {}  # their status before (None: new study)
        try:
            self._db = self._connect()
            self._refuse_foreign_database()
            if not self.read_only:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._has_attrs = self._has_results = self._has_predictions = True
            self._create_schema()
            self._check_version()
        except sqlite3.DatabaseError as exc:
            if hasattr(self, "_db"):
                self._db.close()
            raise _store_error(self.path, exc) from None

    def _connect(self) -> sqlite3.Connection:
        """A connection to the file; to an existing file in a folder that cannot be written
        (SQLite cannot make the WAL's '-shm' file beside it), a read-only one, so the
        project can still be looked at. Writing through it raises the read-only sentence.
        """
        existed = self.path.exists()
        try:
            return _first_read(sqlite3.connect(str(self.path), timeout=BUSY_SECONDS,
                                               isolation_level=None))
        except sqlite3.OperationalError as exc:
            if not existed or _trouble_code(exc) not in (_READONLY, _CANTOPEN):
                raise
        self.read_only = True
        try:
            return _first_read(sqlite3.connect(self._read_uri, uri=True, timeout=BUSY_SECONDS,
                                               isolation_level=None))
        except sqlite3.OperationalError as exc:
            if _trouble_code(exc) not in (_READONLY, _CANTOPEN):
                raise
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                f"The project file '{self.path}' cannot be read where it is: its folder is "
                f"read-only and its last changes are still in '{wal.name}' beside it; copy "
                "both files to a folder you can write, and open the copy.")
        # Nothing waits in a WAL, and no one can write here: the file is read as it is.
        self._read_uri += "&immutable=1"
        return sqlite3.connect(self._read_uri, uri=True, timeout=BUSY_SECONDS,
                               isolation_level=None)

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

    def _create_schema(self) -> None:
        """Create what is missing: every table for a new file; for a file written before
        them, the ``results`` table and ``trials.attrs_json`` (NULL in old rows), both
        within schema version 1, and the ``predictions`` table (within version 2). A
        read-only old file is read as it is (no results, no attributes, no predictions)
        instead of refused: viewing, exporting and reporting never write."""
        tables = {r[0] for r in self._db.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(trials)")}
        if {"meta", "studies", "trials", "folds", "results", "predictions"} <= tables and \
                "attrs_json" in columns:
            return  # nothing to write
        try:
            self._db.executescript(_SCHEMA)
            if "trials" in tables and "attrs_json" not in columns:
                self._db.execute("ALTER TABLE trials ADD COLUMN attrs_json TEXT")
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc).replace(" ", "") or "trials" not in tables:
                raise
            self._has_results = "results" in tables
            self._has_predictions = "predictions" in tables
            self._has_attrs = "attrs_json" in columns

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
    def _transaction(self, patient: bool = False) -> Iterator[None]:
        """All of the body's writes or none; a disk that cannot take them, or a damaged
        file, is a sentence (StoreError), and the file is left as the last commit made it.
        ``patient``: wait up to PATIENT_SECONDS, not BUSY_SECONDS, for another program's
        lock (a run's trials and its end)."""
        with self._as_sentences():
            if patient:
                self._db.execute(f"PRAGMA busy_timeout={int(PATIENT_SECONDS * 1000)}")
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    self._rollback()
                    raise
                self._db.execute("COMMIT")
            finally:
                if patient:
                    self._db.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")

    def _rollback(self) -> None:
        # SQLite may have rolled back already (a full disk, an I/O error), and a rollback
        # on a failing disk may fail too: the journal undoes what it must on next open.
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    @contextmanager
    def _as_sentences(self) -> Iterator[None]:
        """SQLite's errors as what to do about them: a disk that cannot take a write,
        another program's lock, a damaged file (``_store_error``)."""
        try:
            yield
        except sqlite3.ProgrammingError:
            raise  # a mistake of this code, not of the file
        except sqlite3.DatabaseError as exc:
            if self._db.in_transaction:  # a failed COMMIT leaves its transaction open
                self._rollback()
            raise _store_error(self.path, exc) from None

    def close(self) -> None:
        """Close the file, and let go of any study still held (its status stays: a run
        that did not end its study was stopped, and the next run takes it over)."""
        for lock in self._locks.values():
            lock.release()
        self._locks.clear()
        self._db.close()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the main file, so a copy of it is complete."""
        if self.read_only:
            return  # nothing can have been written through it
        with self._as_sentences():
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # studies -----------------------------------------------------------------------

    @_sentences
    def studies(self) -> list[StudyRow]:
        rows = self._db.execute(
            "SELECT id, name, spec_json, status, created_at, updated_at FROM studies ORDER BY id"
        ).fetchall()
        return [StudyRow(r[0], r[1], _spec_of(self.path, r[1], r[2]), r[3], r[4], r[5])
                for r in rows]

    @_sentences
    def study(self, name: str) -> StudyRow:
        """The study named so (StoreError naming the studies there are, if none)."""
        row = self.find_study(name)
        if row is None:
            raise self._no_study(name)
        return row

    @_sentences
    def find_study(self, name: str) -> StudyRow | None:
        """The study named so, or None: found by a query on its name, and only its own
        settings decoded, so another study's damaged settings do not hide it."""
        row = self._db.execute(
            "SELECT id, name, spec_json, status, created_at, updated_at FROM studies "
            "WHERE name=?", (name,)).fetchone()
        if row is None:
            return None
        return StudyRow(row[0], row[1], _spec_of(self.path, name, row[2]), *row[3:])

    def _study_id(self, name: str) -> int:
        """The study's id, by its name alone (its settings are not decoded)."""
        row = self._db.execute("SELECT id FROM studies WHERE name=?", (name,)).fetchone()
        if row is None:
            raise self._no_study(name)
        return int(row[0])

    def _no_study(self, name: str) -> StoreError:
        names = ", ".join(f"'{r[0]}'" for r in self._db.execute(
            "SELECT name FROM studies ORDER BY id")) or "none"
        return StoreError(f"The project has no study named '{name}' (its studies: {names}).")

    @_sentences
    def open_study(self, spec: StudySpec) -> int:
        """Create the study, or resume it when its result-shaping settings are unchanged.

        The caller becomes the study's owner, and holds its lock, until ``set_status``
        ends the run (or ``abandon`` takes the claim back). Raises StudyRunningElsewhere
        while another process runs it.
        """
        held = self._locks.get(spec.name)
        if held is None and not self.read_only:  # read-only: the write below says so
            held = self._lock(spec.name)
        try:
            study_id, before = self._claim(spec, held)
        except BaseException:
            if spec.name in self._locks and spec.name not in self._before:
                self._locks.pop(spec.name).release()
            raise
        self._before.setdefault(spec.name, before)
        return study_id

    def _lock(self, name: str) -> RunLock:
        try:
            lock = RunLock.acquire(self.path, name)
        except OSError as exc:
            raise StoreError(
                f"The study '{name}' cannot be run in '{self.path}': the small lock file "
                "that marks a running study cannot be made beside the project "
                f"({exc.strerror or exc}); choose a folder you can write.") from None
        if lock is None:
            pid, host = self._owner(name)
            raise _running_elsewhere(name, pid, host, can_take_over=False)
        self._locks[name] = lock
        return lock

    def _owner(self, name: str) -> tuple[int | None, str | None]:
        row = self._db.execute("SELECT owner_pid, owner_host FROM studies WHERE name=?",
                               (name,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def _claim(self, spec: StudySpec, lock: RunLock | None) -> tuple[int, str | None]:
        """Record this process as the study's owner: (study id, status before)."""
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
                self._mark_version()
                return int(cursor.lastrowid), None
            study_id, stored, status, owner_pid, owner_host, updated_at = row
            differences = spec.differences(_spec_of(self.path, spec.name, stored))
            if differences:
                raise StoreError(
                    f"The project already has a study '{spec.name}' with different settings "
                    f"({', '.join(differences)}). Give the new study another name to keep "
                    "both, or repeat the original settings to continue it."
                )
            if status == "running" and owner_pid is not None and \
                    (owner_pid, owner_host) != (me, host):
                # Holding the lock, this process knows no other here runs it.
                locked = False if lock is not None and lock.held else None
                owner = _owner_state(owner_pid, owner_host, host, now - updated_at, locked)
                if owner is not _Owner.GONE:
                    raise _running_elsewhere(spec.name, owner_pid, owner_host,
                                             can_take_over=owner is _Owner.UNSURE)
            self._db.execute(
                "UPDATE studies SET spec_json=?, status='running', updated_at=?, owner_pid=?, "
                "owner_host=? WHERE id=?", (spec.dumps(), now, me, host, study_id),
            )
            self._mark_version()
        return int(study_id), status

    def _mark_version(self) -> None:
        """Running a study may write what only this version reads (see the schema)."""
        self._db.execute(
            "UPDATE meta SET value=? WHERE key='schema_version' AND CAST(value AS INTEGER) < ?",
            (str(SCHEMA_VERSION), SCHEMA_VERSION))

    def _others(self, study: str | None = None) -> list[tuple[str, int, str, _Owner]]:
        """(study, process, host, state) of the studies recorded as running by another
        process, and whether that process runs them still; ``study``: only that study and
        its nested searches."""
        now, me, host = time.time(), os.getpid(), socket.gethostname()
        rows = self._db.execute(
            "SELECT name, owner_pid, owner_host, updated_at FROM studies WHERE "
            "status='running' AND owner_pid IS NOT NULL").fetchall()
        return [(name, pid, owner, _owner_state(pid, owner, host, now - updated,
                                                probe(self.path, name)))
                for name, pid, owner, updated in rows
                if not (pid == me and owner == host)
                and (study is None or name == study or name.startswith(f"{study} [outer "))]

    @_sentences
    def running_elsewhere(self) -> list[tuple[str, int, str]]:
        """(study, process, host) of the studies another live hpt-gui is running now (or,
        on another computer, may be): this process may read them, but cannot run them
        until that run ends (or it takes them over)."""
        return [(name, pid, host) for name, pid, host, owner in self._others()
                if owner is not _Owner.GONE]

    @_sentences
    def can_take_over(self, name: str) -> bool:
        """Whether the study (or one of its nested searches) is recorded as running on
        another computer, where this one cannot tell whether that run still goes on."""
        return any(owner is _Owner.UNSURE for *_, owner in self._others(name))

    @_sentences
    def take_over(self, name: str) -> int:
        """Release the study (and its nested searches) from a run this computer cannot see,
        so that the next run here claims it: for a user sure that run has ended (its
        computer crashed, or was switched off). A run provably going on (its lock is held)
        is never taken over: StudyRunningElsewhere. Returns how many studies were released.
        """
        others = self._others(name)
        for study, pid, host, owner in others:
            if owner is _Owner.RUNNING:
                raise _running_elsewhere(study, pid, host, can_take_over=False)
        with self._transaction():
            for study, *_ in others:
                self._db.execute(
                    "UPDATE studies SET status='interrupted', owner_pid=NULL, "
                    "owner_host=NULL WHERE name=? AND status='running'", (study,))
        return len(others)

    @_sentences
    def set_status(self, name: str, status: str) -> None:
        """Record how a run ended and release the study."""
        with self._transaction(patient=True):
            self._db.execute(
                "UPDATE studies SET status=?, updated_at=?, owner_pid=NULL, owner_host=NULL "
                "WHERE name=?", (status, time.time(), name),
            )
        self._release(name)

    @_sentences
    def abandon(self, name: str) -> None:
        """Take back this store's claim on a study whose run stored nothing (it failed
        before its first trial): the study is left as it was, with the status it had, and
        one this run created is removed. Nothing happens to a study not claimed here."""
        if name not in self._before:
            return
        before = self._before[name]
        with self._transaction(patient=True):
            if before is None:
                self._db.execute(
                    "DELETE FROM studies WHERE name=? AND NOT EXISTS (SELECT 1 FROM trials "
                    "WHERE trials.study_id = studies.id)", (name,))
            self._db.execute(
                "UPDATE studies SET status=?, owner_pid=NULL, owner_host=NULL WHERE name=?",
                (before or "interrupted", name))
        self._release(name)

    def _release(self, name: str) -> None:
        self._before.pop(name, None)
        lock = self._locks.pop(name, None)
        if lock is not None:
            lock.release()

    @_sentences
    def save_results(self, name: str, results: dict[str, Any]) -> None:
        """Record what the study's last run measured beyond its trials (replacing what an
        earlier run recorded): held-out test score, nested cross-validation's estimate."""
        study_id = self._study_id(name)
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO results (study_id, results_json, updated_at) "
                "VALUES (?, ?, ?)", (study_id, json.dumps(results), time.time()))

    @_sentences
    def results(self, name: str) -> dict[str, Any] | None:
        """What ``save_results`` recorded for the study, or None."""
        if not self._has_results:  # an old file opened read-only
            return None
        row = self._db.execute(
            "SELECT results_json FROM results JOIN studies ON studies.id = results.study_id "
            "WHERE studies.name=?", (name,)).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except ValueError as exc:
            raise _damaged(self.path, f"the study '{name}' has results (held-out or nested "
                                      f"scores) that cannot be read ({exc})") from None

    @_sentences
    def save_predictions(self, name: str, trial: int, payload: dict[str, Any]) -> None:
        """Keep a trial's out-of-fold predictions (``Predictions.to_json``), compressed,
        replacing any kept before."""
        study_id = self._study_id(name)
        blob = zlib.compress(json.dumps(payload, allow_nan=False).encode(), 6)
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO predictions (study_id, trial, payload, updated_at) "
                "VALUES (?, ?, ?, ?)", (study_id, int(trial), blob, time.time()))

    @_sentences
    def predictions(self, name: str, trial: int) -> dict[str, Any] | None:
        """What ``save_predictions`` kept for the study's trial, or None."""
        if not self._has_predictions:  # an old file opened read-only
            return None
        row = self._db.execute(
            "SELECT payload FROM predictions JOIN studies ON studies.id = "
            "predictions.study_id WHERE studies.name=? AND predictions.trial=?",
            (name, int(trial))).fetchone()
        if row is None:
            return None
        try:
            return json.loads(zlib.decompress(row[0]))
        except (ValueError, zlib.error) as exc:
            raise _damaged(self.path, f"the out-of-fold predictions of trial {trial} of the "
                                      f"study '{name}' cannot be read ({exc})") from None

    @_sentences
    def fit_seconds(self, studies: Sequence[str]) -> tuple[float, int] | None:
        """Mean seconds one fold took (fit and score) over the completed trials of these
        studies, and how many trials that is; None without any (a time estimate's basis)."""
        if not studies:
            return None
        marks = ", ".join("?" * len(studies))
        row = self._db.execute(
            "SELECT AVG(mean_fit_time + COALESCE(mean_score_time, 0)), COUNT(*) FROM trials "
            f"JOIN studies ON studies.id = trials.study_id WHERE studies.name IN ({marks}) "
            "AND trials.state = 'COMPLETE' AND mean_fit_time IS NOT NULL", tuple(studies),
        ).fetchone()
        return (float(row[0]), int(row[1])) if row and row[1] else None

    # trials ------------------------------------------------------------------------

    def save_trial(self, study_id: int, trial: TrialRecord) -> None:
        """Write a finished trial and all its folds at once."""
        self.save_trials(study_id, [trial])

    @_sentences
    def save_trials(self, study_id: int, trials: Sequence[TrialRecord]) -> None:
        """Write finished trials and their folds in one transaction: all or none (the
        trials successive halving prunes at the end of a rung are one decision)."""
        with self._transaction(patient=True):
            for trial in trials:
                self._insert_trial(study_id, trial)
            self._db.execute(
                "UPDATE studies SET updated_at=? WHERE id=?", (time.time(), study_id)
            )

    def _insert_trial(self, study_id: int, trial: TrialRecord) -> None:
        cursor = self._db.execute(
            "INSERT INTO trials (study_id, number, state, params_json, mean_test_score, "
            "std_test_score, mean_train_score, std_train_score, mean_fit_time, std_fit_time, "
            "mean_score_time, std_score_time, error, started_at, finished_at, attrs_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                study_id, trial.number, trial.state.value, json.dumps(trial.params),
                trial.mean_test_score, trial.std_test_score,
                trial.mean_train_score, trial.std_train_score,
                trial.mean_fit_time,
                _pstdev([f.fit_time for f in trial.folds]),
                _mean([f.score_time for f in trial.folds]),
                _pstdev([f.score_time for f in trial.folds]),
                trial.error, trial.started_at, trial.finished_at,
                json.dumps(trial.attrs) if trial.attrs else None,
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

    @_sentences
    def drop_cancelled(self, name: str) -> int:
        """Delete the study's cancelled trials (and their folds) before it runs again:
        they are not finished work, and their numbers are run again. Returns how many."""
        study_id = self._study_id(name)
        with self._transaction():
            self._db.execute(  # predictions kept of those numbers are not of their reruns
                "DELETE FROM predictions WHERE study_id=? AND trial IN (SELECT number FROM "
                "trials WHERE study_id=? AND state=?)",
                (study_id, study_id, TrialState.CANCELLED.value))
            self._db.execute(
                "DELETE FROM folds WHERE trial_id IN (SELECT id FROM trials WHERE "
                "study_id=? AND state=?)", (study_id, TrialState.CANCELLED.value))
            return self._db.execute("DELETE FROM trials WHERE study_id=? AND state=?",
                                    (study_id, TrialState.CANCELLED.value)).rowcount

    @_sentences
    def trials(self, name: str) -> list[TrialRecord]:
        """Every stored trial of a study, by number.

        Made to open 100,000 trials quickly, in one query of the trials table: the
        hyperparameters are decoded in one pass, and the means and standard deviations
        are the ones ``save_trial`` stored (computed there by the same properties, so
        equal to the last digit). The folds are not read here: the first time any
        record's ``folds`` are used, those of every trial read are read at once
        (``_FoldLoader``). The records equal, and behave as, those ``save_trial`` wrote,
        except that

        - a NaN mean or standard deviation (only non-finite scores give one, and
          ``evaluate_fold`` fails a fold that scores one) reads as None: SQLite stores
          NaN as NULL;
        - ``folds`` raises StoreError when the project file cannot be read again by
          then (removed, moved or no longer a database).
        """
        study_id = self._study_id(name)
        with _gc_paused():
            rows = self._db.execute(
                "SELECT id, number, state, params_json, started_at, finished_at, error, "
                "mean_test_score, std_test_score, mean_train_score, std_train_score, "
                "mean_fit_time, " + ("attrs_json" if self._has_attrs else "NULL") +
                " FROM trials WHERE study_id=? ORDER BY number",
                (study_id,),
            ).fetchall()
            if not rows:
                return []
            loader = _FoldLoader(self.path, dict(map(itemgetter(0, 1), rows)),
                                 self._read_uri)
            try:
                return _stored_trials(rows, loader)
            except (ValueError, KeyError, TypeError, RecursionError) as exc:
                raise _damaged(self.path, f"the study '{name}' has trials that cannot be "
                                          f"read ({_reason(exc)})") from None


# reading many trials ------------------------------------------------------------------------

_STATES = {state.value: state for state in TrialState}


class _FoldLoader:
    """The folds of the trials one ``ProjectStore.trials`` call read, read when asked for.

    The first few trials asked for (a selected row, the best trial's standard error) are
    read one by one, each an indexed query of a few rows; once more are wanted (a plot of
    the top trials' folds, an export), the folds of every trial are read at once, in one
    query. Each trial's rows become FoldResults when that trial is asked for, then kept.

    Shared by those records, it opens its own short-lived read-only connection (the
    store that read the trials may be closed by then, or belong to another thread), and
    a lock makes a second thread (the GUI's and a worker's) wait for the same reading
    and get the same tuples. Only the trials read are served: the folds of a trial
    stored since are read with it, by the next ``trials`` call.
    """

    ONE_BY_ONE = 64  # trials read one at a time before the whole study is read

    def __init__(self, path: Path, numbers: dict[int, int], uri: str | None = None) -> None:
        self.path = path
        self._uri = uri or f"{path.resolve().as_uri()}?mode=ro"  # escapes '?', '#', '%'
        self._numbers = numbers  # trial id -> trial number
        self._ids = {number: trial_id for trial_id, number in numbers.items()}
        self._lock = threading.Lock()
        self._rows: dict[int, list[tuple[Any, ...]]] | None = None  # by number, as read
        self._folds: dict[int, tuple[FoldResult, ...]] = {}  # by number, once asked for
        self.reads = 0  # how many times the whole study was read (for the tests)

    def folds(self, number: int) -> tuple[FoldResult, ...]:
        with self._lock:
            folds = self._folds.get(number)
            if folds is None and number not in self._ids:
                return ()  # stored after the trials were read
            if folds is None:
                if self._rows is None and len(self._folds) < self.ONE_BY_ONE:
                    rows = self._query(
                        "WHERE trial_id=? ORDER BY fold", (self._ids[number],))
                else:
                    if self._rows is None:
                        self._rows = self._read_all()
                    rows = self._rows.pop(number, [])
                folds = self._folds[number] = tuple(
                    [FoldResult(number, *row[1:]) for row in rows])
            return folds

    def _read_all(self) -> dict[int, list[tuple[Any, ...]]]:
        ids = self._numbers
        # A range of the folds' primary key (cheaper than a join with trials): folds of
        # another study's trials inside the range are skipped below.
        rows = self._query("WHERE trial_id BETWEEN ? AND ? ORDER BY trial_id, fold",
                           (min(ids), max(ids)))
        self.reads += 1
        return {ids[trial_id]: list(group)
                for trial_id, group in groupby(rows, itemgetter(0)) if trial_id in ids}

    def _query(self, where: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        try:
            db = sqlite3.connect(self._uri, uri=True)
            try:
                return db.execute(
                    "SELECT trial_id, fold, test_score, train_score, fit_time, score_time, "
                    f"error, warning FROM folds {where}", args,
                ).fetchall()
            finally:
                db.close()
        except sqlite3.Error as exc:
            raise StoreError(
                f"The project file '{self.path}' could not be read again to show the folds: "
                f"{exc}."
            ) from None


class _LoaderFolds:
    """``_StoredTrial.folds``: the trial's folds as its ``_FoldLoader`` holds them.

    The loader is the lazy part: it reads the folds when first asked and keeps them, so
    every use returns the same tuple, and the record itself is never written after it is
    made. A non-data descriptor: a copy made by ``dataclasses.replace`` holds its own
    folds in its ``__dict__``, found first (as for a record made by ``TrialRecord(...)``).
    """

    def __get__(self, trial: Any, owner: type | None = None) -> Any:
        if trial is None:
            return self
        return trial._loader.folds(trial.number)


class _FromFolds:
    """A mean or standard deviation of a ``_StoredTrial``: the value stored with it sits
    in its ``__dict__`` and is found before this non-data descriptor; a copy made by
    ``dataclasses.replace`` has none there and computes it from its own folds, as
    TrialRecord's property does (each time, never written back)."""

    def __init__(self, stored: property) -> None:
        self._compute = stored.fget

    def __get__(self, trial: Any, owner: type | None = None) -> Any:
        if trial is None:
            return self
        return self._compute(trial)


class _StoredTrial(TrialRecord):
    """A TrialRecord read from a project file, cheap to make by the hundred thousand.

    It equals (``==``), prints, pickles and copies as the TrialRecord with the same fields.
    Made whole by ``_made`` from one trials-table row: its fields but the folds, the
    means and standard deviations and mean fit time stored with it (``_FromFolds``), and
    its study's ``_FoldLoader`` (``_loader``), which reads its folds when first used
    (``_LoaderFolds``). Nothing is written to it after: it is as frozen as a TrialRecord.
    """

    folds = _LoaderFolds()  # type: ignore[assignment]
    mean_test_score = _FromFolds(TrialRecord.mean_test_score)  # type: ignore[assignment]
    std_test_score = _FromFolds(TrialRecord.std_test_score)  # type: ignore[assignment]
    mean_train_score = _FromFolds(TrialRecord.mean_train_score)  # type: ignore[assignment]
    std_train_score = _FromFolds(TrialRecord.std_train_score)  # type: ignore[assignment]
    mean_fit_time = _FromFolds(TrialRecord.mean_fit_time)  # type: ignore[assignment]

    @classmethod
    def _made(cls, values: dict[str, Any]) -> _StoredTrial:
        """A record holding ``values`` (field and stored-mean names, and ``_loader``):
        what a frozen dataclass's ``__init__`` does one ``object.__setattr__`` at a time,
        in one step, since ``ProjectStore.trials`` makes them by the hundred thousand."""
        trial = object.__new__(cls)
        object.__setattr__(trial, "__dict__", values)
        return trial

    def _fields(self) -> tuple[Any, ...]:
        return (self.number, self.state, self.params, self.folds, self.started_at,
                self.finished_at, self.error, self.attrs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TrialRecord):
            return self._fields() == _StoredTrial._fields(other)  # type: ignore[arg-type]
        return NotImplemented

    __hash__ = TrialRecord.__hash__

    def __repr__(self) -> str:
        return "TrialRecord(" + ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in fields(TrialRecord) if f.repr) + ")"

    def __reduce__(self) -> tuple[Any, ...]:
        return TrialRecord, self._fields()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No garbage collection while a study's trials are read: they make half a million
    objects (records, their dicts, hyperparameters), none in a reference cycle, and
    collections triggered by them would walk them all again and again (a fifth of the
    reading time at 100,000 trials)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stored_trials(rows: list[tuple[Any, ...]], loader: _FoldLoader) -> list[TrialRecord]:
    """Records from trial rows (id, number, state, params_json, started_at, finished_at,
    error, then the stored means: test, std, train, train std, fit time; then attrs_json)."""
    try:
        states = list(map(_STATES.__getitem__, map(itemgetter(2), rows)))
    except KeyError:
        states = [TrialState(r[2]) for r in rows]  # raises as reading one would
    params = _decode_params(list(map(itemgetter(3), rows)))
    made = _StoredTrial._made
    trials: list[TrialRecord] = []
    append = trials.append
    for (_, number, _, _, started, finished, error, test, test_std, train, train_std,
         fit, attrs), state, values in zip(rows, states, params, strict=True):
        append(made({
            "number": number, "state": state, "params": values, "started_at": started,
            "finished_at": finished, "error": error, "_loader": loader,
            "mean_test_score": test, "std_test_score": test_std,
            "mean_train_score": train, "std_train_score": train_std, "mean_fit_time": fit,
            "attrs": json.loads(attrs) if attrs else None,
        }))
    return trials


def _decode_params(texts: list[str]) -> list[Any]:
    """``json.loads`` of each text, in one call for all (half the time of one per text)."""
    try:
        decoded = json.loads("[" + ",".join(texts) + "]")
    except ValueError:
        decoded = None
    if not isinstance(decoded, list) or len(decoded) != len(texts):
        decoded = [json.loads(text) for text in texts]  # raises as reading one would
    return decoded


class _Owner(Enum):
    """What is known of the process recorded as running a study."""

    RUNNING = "running"  # it holds the study's lock (or, without locks, is alive)
    GONE = "gone"  # provably ended: its lock is free, here
    UNSURE = "unsure"  # on another computer, recently: cannot be told from here


def _owner_state(pid: int, owner_host: str | None, host: str, quiet_for: float,
                 locked: bool | None) -> _Owner:
    """Is the process that claimed a study still running? ``locked``: whether the study's
    lock is held (None: this file system has no locks).

    A held lock is a live run. A free one is a run ended, if it was on this computer; on
    another (a shared folder) the lock may not reach here, and a study that stored
    something in the last six hours may still be running. Without locks, a process on
    this computer is asked by its id (which a later process may have been given).
    """
    if locked:
        return _Owner.RUNNING
    if owner_host != host:
        return _Owner.UNSURE if quiet_for < ABANDONED_AFTER else _Owner.GONE
    if locked is None and _owner_alive(pid):
        return _Owner.RUNNING
    return _Owner.GONE


def _running_elsewhere(study: str, pid: int | None, host: str | None,
                       can_take_over: bool) -> StudyRunningElsewhere:
    if can_take_over:
        return StudyRunningElsewhere(
            f"The study '{study}' was started by hpt-gui on another computer ({host}, "
            f"process {pid}), which may still be running it: this computer cannot tell. "
            "Wait for it to finish; or, if you are sure no other hpt-gui runs it (that "
            "computer stopped or crashed), take it over (Take over in the window, "
            "--take-over on the command line).", study, can_take_over=True)
    by = f"another hpt-gui (process {pid} on {host})" if pid is not None else \
        "another hpt-gui"
    return StudyRunningElsewhere(
        f"The study '{study}' is being run right now by {by}; wait for it to finish or "
        "stop it, then run it again.", study, can_take_over=False)


def _owner_alive(pid: int) -> bool:
    """Is a process with this id running on this computer (any program)?"""
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


def _first_read(db: sqlite3.Connection) -> sqlite3.Connection:
    """The connection, once it has read the file (SQLite opens lazily: a folder that
    cannot hold the WAL's '-shm' file fails here, not at connect); closed if it fails."""
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        db.close()
        raise
    return db


# SQLite's primary result codes for a disk that cannot take a write.
_READONLY, _IOERR, _FULL, _CANTOPEN = 8, 10, 13, 14
# ... for another connection's lock, and for a damaged file.
_BUSY, _LOCKED, _CORRUPT, _NOTADB = 5, 6, 11, 26
_TROUBLE_TEXT = {"readonly database": _READONLY, "disk I/O error": _IOERR,
                 "database or disk is full": _FULL, "unable to open database file": _CANTOPEN}


def _trouble_code(exc: sqlite3.Error) -> int | None:
    """The primary code of an error that is the disk's, not the data's; else None."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        code &= 0xFF  # SQLITE_READONLY_DIRECTORY -> SQLITE_READONLY, and so on
        return code if code in _TROUBLE_TEXT.values() else None
    return next((c for text, c in _TROUBLE_TEXT.items() if text in str(exc)), None)


def _disk_trouble(path: Path, exc: sqlite3.Error) -> str | None:
    """What happened and what to do, for a write the disk refused; None for any other
    error. The run that hit it has saved every trial it finished before."""
    code = _trouble_code(exc)
    if code == _READONLY:
        return (f"The project file '{path}' cannot be written (the file or its folder is "
                "read-only): copy it somewhere you can write, or open it to look only.")
    if code == _FULL:
        return (f"The disk holding '{path}' is full: free some space and run the study "
                "again; the trials finished so far are saved.")
    if code == _IOERR:
        return (f"The project file '{path}' could not be written (a disk I/O error: the "
                "disk or network share may be failing or gone): check it and run the study "
                "again; the trials finished so far are saved.")
    if code == _CANTOPEN:
        return (f"The project file '{path}' cannot be opened (its folder is missing or "
                "cannot be written, or the file cannot be read): choose a folder you can "
                "write, or copy the project there.")
    return None


def _store_error(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """The sentence for an SQLite error: the disk's trouble, another program's lock, or
    a damaged file."""
    sentence = _disk_trouble(path, exc)
    if sentence is not None:
        return StoreError(sentence)
    code = getattr(exc, "sqlite_errorcode", None)
    code = code & 0xFF if code is not None else None
    text = str(exc)
    if code in (_BUSY, _LOCKED) or "database is locked" in text or "is busy" in text:
        return ProjectBusy(
            f"Another program has the project file '{path}' open and is keeping it locked "
            "(a database viewer, a backup or synchronisation tool, or another hpt-gui "
            "saving): close it, or try again in a moment.")
    if isinstance(exc, sqlite3.IntegrityError):
        return _damaged(path, f"it holds records that contradict each other ({exc})")
    if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return _damaged(path, f"part of it cannot be read ({exc})")
    return _damaged(path, f"it cannot be read as an hpt-gui project ({exc})")


def _damaged(path: Path, what: str) -> ProjectDamaged:
    return ProjectDamaged(
        f"The project file '{path}' is damaged: {what}. It was left as it is; use a backup "
        "copy of it, or run the study in a new project.")


def _spec_of(path: Path, study: str, text: str) -> StudySpec:
    """A stored study's settings; settings that cannot be read are damage, named."""
    try:
        return StudySpec.loads(text)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise _damaged(path, f"the study '{study}' has settings that cannot be read "
                             f"({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    """Why stored text could not be read, without a raw exception name where avoidable."""
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return str(exc) or type(exc).__name__


def is_project_file(path: str | Path) -> bool:
    """Whether a file is an hpt-gui project, by its content, whatever its name: an SQLite
    file holding the project's tables and hpt-gui's mark (``hpt-gui churn.hpt`` and
    ``hpt-gui churn.csv`` both open the window, each with what it is). Only read."""
    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size == 0 or not _looks_like_sqlite(path):
            return False
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"meta", "studies", "trials"} <= tables:
                return False
            mark = db.execute("SELECT value FROM meta WHERE key='created_by'").fetchone()
        finally:
            db.close()
    except (OSError, sqlite3.Error):
        return False
    fold_in_wal(path)  # the read-only look may have left '-wal'/'-shm' files beside it
    return mark is not None and mark[0] == CREATED_BY


def fold_in_wal(path: str | Path) -> None:
    """Remove the '-wal' and '-shm' files beside a project when no one else has it open.

    A read-only connection (the folds' loader, reading after the store closed) creates
    them and cannot remove them. A writing connection that is the file's last user folds
    the log into the file and removes both on close; while another connection (the
    window, a run) has the file open, closing leaves them, so no reader is disturbed.
    Anything that fails here leaves the files as they were: they are harmless."""
    path = Path(path)
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    if not path.is_file() or not (wal.exists() or shm.exists()):
        return
    try:
        db = sqlite3.connect(str(path), timeout=0, isolation_level=None)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        pass


def _looks_like_sqlite(path: Path) -> bool:
    if path.stat().st_size == 0:
        return True
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


__all__ = [
    "ProjectBusy", "ProjectDamaged", "ProjectStore", "StoreError", "StudyRow",
    "StudyRunningElsewhere", "TrialRecord", "TrialState", "best_trial", "count_states",
    "trial_from_folds",
]
