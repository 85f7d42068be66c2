"""What this machine can do, said before a study starts: how many worker processes are
worth starting, and how many candidates a study may hold at once.

Both front ends ask here, so the window and ``hpt-gui run`` lower and refuse alike:

- **Workers**: more processes than cores only queue for the same cores while each holds
  its own copy of the data (``--jobs 1000`` once started about 200 processes and 21 GB for
  a 10-fit study), and more than there are fits to run start processes that never get
  one. ``plan_workers`` lowers the request and says so in a sentence.
- **Candidates held at once**: successive halving must score every starting candidate
  before its first decision, so its first rung is held in memory in full (the candidates,
  their scores, the stored trials); ``check_candidates`` refuses a start the machine
  cannot hold (``--trials 1000000000`` once grew to 23 GB). A grid is bounded by
  ``space.MAX_GRID_SIZE`` before it is listed. Random, Bayesian (TPE) and evolutionary
  searches are *not* refused: each candidate is drawn when a worker is free for it, so
  their memory grows with the trials that finish, never with the budget, and a budget of
  ten million with a time limit costs what the trials run in that time cost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .spec import SpecError

# Fixed ceiling on the candidates a study holds at once: beyond it a first rung alone takes
# longer to run than any analyst waits, whatever the memory.
MAX_CANDIDATES_AT_ONCE = 1_000_000
# What one starting candidate of successive halving costs until its rung is decided (its
# settings, score and bookkeeping in the strategy and the runner, and its stored record),
# measured at about 2 KB; doubled for safety.
BYTES_PER_CANDIDATE = 4096
# The share of the machine's memory a study's candidates may take (the rest is for the
# data, the workers and everything else the analyst runs).
MEMORY_SHARE = 0.25


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class WorkerPlan:
    """How many worker processes to start, and the sentence saying why it is fewer than
    asked (None when it is what was asked)."""

    workers: int
    note: str | None = None


def plan_workers(asked: int, fits: int | None = None) -> WorkerPlan:
    """``asked`` worker processes lowered to the machine's cores and to ``fits`` (the fits
    the study can run at most; None when only a time limit bounds it)."""
    asked = max(1, int(asked))
    cores = available_cores()
    workers = min(asked, cores)
    if fits is not None:
        workers = max(1, min(workers, fits))
    if workers == asked:
        return WorkerPlan(workers)
    if fits is not None and fits < min(asked, cores):
        reason = f"the study has only {fits:,} fit{'s' if fits != 1 else ''} to run"
    else:
        reason = (f"this machine has {cores} core{'s' if cores != 1 else ''}, and more "
                  "processes than cores only wait for each other while each holds a copy "
                  "of the data")
    processes = f"{workers} worker process{'es' if workers != 1 else ''}"
    return WorkerPlan(workers, f"{asked:,} worker processes were asked for, but {reason}; "
                               f"running {processes}.")


def physical_memory() -> int | None:
    """The machine's memory in bytes, or None when the system does not say."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        pass
    try:  # Windows
        import ctypes

        class _Status(ctypes.Structure):
            _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong),
                        ("total", ctypes.c_ulonglong), ("available", ctypes.c_ulonglong),
                        ("rest", ctypes.c_ulonglong * 5)]

        status = _Status()
        status.length = ctypes.sizeof(_Status)
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
            return int(status.total)
    except (AttributeError, OSError, ValueError):
        pass
    return None


def candidate_limit() -> int:
    """How many candidates a study may hold at once on this machine: a share of its memory
    over what one costs, and never more than MAX_CANDIDATES_AT_ONCE. The machine's total
    memory (not what is free this minute) sets it, so the same study is refused or run
    alike from one day to the next."""
    memory = physical_memory()
    if memory is None:
        return MAX_CANDIDATES_AT_ONCE
    by_memory = int(memory * MEMORY_SHARE) // BYTES_PER_CANDIDATE
    return max(1_000, min(MAX_CANDIDATES_AT_ONCE, by_memory))


class TooManyCandidates(SpecError):
    """A study would hold more candidates at once than the machine can: the sentence says
    the limit and what to do instead."""


def check_halving_start(candidates: int) -> None:
    """Refuse a successive halving that starts from more candidates than it can hold."""
    limit = candidate_limit()
    if candidates > limit:
        raise TooManyCandidates(
            f"Successive halving can start from at most {limit:,} candidates on this "
            "machine: it holds every one until its first rung is decided, and "
            f"{candidates:,} would take more memory than that; lower the number of trials "
            "(the starting candidates), or use a random or Bayesian (TPE) search, which "
            "draws each candidate only when it runs.")
