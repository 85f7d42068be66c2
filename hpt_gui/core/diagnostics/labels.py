"""The verdict's words for one trial, shared by the verdict and the capacity curves (which
label each point of a curve by the same rule) without either importing the other back."""

from __future__ import annotations

UNDERFITTING, OVERFITTING, GOOD_FIT = "underfitting", "overfitting", "good fit"
NOT_ENOUGH_EVIDENCE = "not enough evidence"
UNKNOWN = "unknown"  # no training score to compare with
LABELS = (UNDERFITTING, OVERFITTING, GOOD_FIT, NOT_ENOUGH_EVIDENCE, UNKNOWN)
