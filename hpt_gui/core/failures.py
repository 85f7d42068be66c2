"""Failed trials grouped by cause, so a summary can say why a search failed in a line or
two instead of listing every trial ("12 trials: ValueError: Input X contains infinity").

Messages that differ only in their numbers ("n_neighbors = 50 > n_samples = 30" and
"... = 40 > ... = 30") are one cause; the first trial's message stands for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .format import count
from .records import TrialRecord, TrialState

_NUMBERS = re.compile(r"[-+]?\d+(\.\d+)?(e[-+]?\d+)?", re.IGNORECASE)


@dataclass(frozen=True)
class FailureCause:
    """One reason trials failed: its message (from the first such trial), how many trials
    failed with it, and the first trial's number."""

    message: str
    trials: int
    example: int

    def to_json(self) -> dict[str, object]:
        return {"cause": self.message, "trials": self.trials, "example_trial": self.example}


def failure_causes(trials: Sequence[TrialRecord]) -> list[FailureCause]:
    """The causes of the failed trials, most frequent first."""
    groups: dict[str, tuple[str, list[int]]] = {}  # key -> (first message, trial numbers)
    for trial in sorted(trials, key=lambda t: t.number):
        if trial.state is not TrialState.FAIL:
            continue
        message = (trial.error or "no reason was recorded").strip().splitlines()[0]
        groups.setdefault(_NUMBERS.sub("#", message), (message, []))[1].append(trial.number)
    causes = [FailureCause(message, len(numbers), numbers[0])
              for message, numbers in groups.values()]
    return sorted(causes, key=lambda c: (-c.trials, c.example))


def describe_failures(causes: Sequence[FailureCause], most: int = 3) -> list[str]:
    """'12 trials (e.g. trial 3): ValueError: ...', one line per cause, the rest counted."""
    lines = [f"{count(c.trials, 'trial')} (e.g. trial {c.example}): {c.message}"
             for c in causes[:most]]
    rest = sum(c.trials for c in causes[most:])
    if rest:
        lines.append(f"{count(rest, 'more trial')} for "
                     f"{count(len(causes) - most, 'other reason')}")
    return lines


__all__ = ["FailureCause", "describe_failures", "failure_causes"]
