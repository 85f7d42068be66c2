"""Default study names: a study's name says which data it ran on once a project holds
studies on more than one data file, so two "RandomForestClassifier random" studies on
different files are told apart in the study list, the queue and the comparison."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

_DEMO_PREFIX = "demo:"
SEPARATOR = " · "


def data_stem(data: str) -> str:
    """'demo:iris' -> 'iris', '/home/ann/churn.csv' -> 'churn': the data's short name."""
    if data.startswith(_DEMO_PREFIX):
        return data[len(_DEMO_PREFIX):]
    return PurePath(data).stem or data


def same_data(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """Whether two (data, fingerprint) pairs are the same data: by contents when both
    have a fingerprint (a file moved or renamed is still the same data), else by path."""
    (data_a, print_a), (data_b, print_b) = first, second
    if print_a and print_b:
        return print_a == print_b
    return data_a == data_b


def default_study_name(model: str, strategy: str, data: tuple[str, str],
                       others: Iterable[tuple[str, str]]) -> str:
    """'<model> <strategy>', with the data's stem added when any of ``others`` (the
    (data, fingerprint) of the project's studies) ran on other data."""
    base = f"{model} {strategy}"
    if any(not same_data(data, other) for other in others):
        return f"{base}{SEPARATOR}{data_stem(data[0])}"
    return base


__all__ = ["SEPARATOR", "data_stem", "default_study_name", "same_data"]
