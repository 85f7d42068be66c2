"""The first look at the data: plain types, missing shares, pictures and class balance,
checked against hand counts and pandas/NumPy on small frames and a scikit-learn data set."""

import numpy as np
import pandas as pd
import pytest

from hpt_gui.core.column_summary import (
    HISTOGRAM_BINS,
    SAMPLE_ROWS,
    class_balance,
    distribution,
    number_target_sentence,
    percent_text,
    plain_type,
    summarize_columns,
)


@pytest.mark.parametrize(("values", "expected"), [
    ([1.5, 2.25, None], "number"),
    ([1, 2, 3, 40], "whole number"),
    ([1.0, 2.0, None, 7.0], "whole number"),  # stored as float because of the gap
    (["Paris", "Lyon", "Paris", "Nice"], "category"),
    ([f"note {i}" for i in range(200)], "text"),
    (["2024-01-02", "2024-02-03", None], "date"),
    (pd.to_datetime(["2024-01-02", "2024-03-04"]), "date"),
    ([True, False, True], "yes/no"),
    (["yes", "no", "no", None], "yes/no"),
    ([0, 1, 1, 0], "yes/no"),
    ([0, 1, 2], "whole number"),
])
def test_plain_type_never_says_int64_or_float64(values, expected):
    assert plain_type(pd.Series(values)) == expected


@pytest.mark.parametrize(("share", "text"), [
    (0.0, "0 %"), (0.18, "18 %"), (0.004, "< 1 %"), (0.5, "50 %"), (0.999, "> 99 %"),
    (1.0, "100 %"), (0.125, "12 %"),
])
def test_percent_text(share, text):
    assert percent_text(share) == text


def test_missing_share_and_type_of_each_column_of_a_hand_checked_frame():
    frame = pd.DataFrame({
        "income": [1.5, np.nan, 3.0, np.nan, 2.0, 8.5, np.nan, 4.0, 1.0, 2.5] * 5,  # 30 %
        "rooms": [1, 2, 2, 3, 3, 3, 4, 4, 4, 4] * 5,
        "city": ["Paris", "Lyon", None, "Paris", "Nice", "Paris", "Lyon", "Paris", "Nice",
                 "Paris"] * 5,  # 10 %
    })
    summaries = {summary.name: summary for summary in summarize_columns(frame)}
    assert [s.plain_type for s in summaries.values()] == ["number", "whole number", "category"]
    assert summaries["income"].n_missing == 15 and summaries["income"].missing_share == 0.3
    assert percent_text(summaries["income"].missing_share) == "30 %"
    assert summaries["rooms"].missing_share == 0
    assert percent_text(summaries["city"].missing_share) == "10 %"
    # few whole numbers: one bar per value, in their order
    rooms = summaries["rooms"].distribution
    assert (rooms.kind, rooms.labels, rooms.counts) == ("bars", ("1", "2", "3", "4"),
                                                       (5, 10, 15, 20))
    # categories: most common first, missing not counted
    city = summaries["city"].distribution
    assert (city.labels, city.counts, city.other) == (("Paris", "Lyon", "Nice"), (25, 10, 10), 0)
    # numbers: NumPy's histogram of the values present
    income = summaries["income"].distribution
    counts, edges = np.histogram(frame["income"].dropna(), bins=HISTOGRAM_BINS)
    assert income.kind == "histogram" and income.sampled is None
    assert income.counts == tuple(counts) and np.allclose(income.edges, edges)
    assert sum(income.counts) == 35


def test_many_categories_are_counted_together_as_other():
    values = pd.Series(list("abcdefghijkl") * 3 + ["a"] * 4)
    bars = distribution(values)
    assert bars.labels[0] == "a" and bars.counts[0] == 7
    assert len(bars.labels) == 8 and sum(bars.counts) + bars.other == len(values)


def test_a_sklearn_data_set_summarised_like_pandas_computes_it():
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame
    summaries = summarize_columns(frame)
    assert len(summaries) == frame.shape[1]
    for summary in summaries[:-1]:
        values = frame[summary.name]
        assert summary.plain_type == "number" and summary.missing_share == 0
        counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
        assert summary.distribution.counts == tuple(counts)
        assert np.allclose(summary.distribution.edges, edges)
    assert summaries[-1].plain_type == "yes/no"  # the 0/1 target
    balance = class_balance(frame["target"], "target")
    expected = frame["target"].value_counts()
    assert balance.labels == tuple(str(label) for label in expected.index) == ("1", "0")
    assert balance.counts == tuple(expected) == (357, 212)
    assert balance.n_rows == 569 and balance.n_classes == 2
    assert np.allclose(balance.shares, expected / 569)
    # 212 / 357 = 59 % of the largest, 37 % of the rows: not imbalanced
    assert not balance.imbalanced and "balanced enough" in balance.sentence


def test_an_imbalanced_target_gets_a_sentence_saying_what_the_app_does():
    values = pd.Series(["ok"] * 90 + ["fraud"] * 10)  # 10 % of rows, 11 % of the largest
    balance = class_balance(values, "label")
    assert balance.imbalanced
    assert balance.labels == ("ok", "fraud") and balance.counts == (90, 10)
    assert balance.shares == (0.9, 0.1)
    sentence = balance.sentence
    assert "'fraud', has 10 rows (10 %)" in sentence
    assert "stratified" in sentence and "balanced accuracy" in sentence and "F1" in sentence
    assert "Always predicting 'ok' would already be 90 % accurate" in sentence


@pytest.mark.parametrize(("counts", "imbalanced"), [
    ((50, 50), False),
    ((80, 17), False),  # 21 % of the largest, 18 % of the rows
    ((80, 15), True),  # 19 % of the largest
    ((100,) * 5 + (30,), True),  # 30 % of the largest but 6 % of the rows
    ((100,) * 11 + (60,), False),  # 5 % of the rows, but 12 classes: over half an equal share
    ((100,) * 12, False),  # 8 % of the rows each: equal
    ((100,) * 11 + (20,), True),
])
def test_imbalance_thresholds(counts, imbalanced):
    labels = [f"c{i}" for i in range(len(counts))]
    balance = class_balance(pd.Series(np.repeat(labels, counts)))
    assert balance.imbalanced is imbalanced
    assert balance.n_classes == len(counts) and sum(balance.counts) + balance.other == sum(counts)


def test_a_long_table_is_pictured_from_a_sample_but_its_missing_share_counts_every_row():
    rng = np.random.default_rng(0)
    n = 1_000_000
    frame = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(8)})
    frame["city"] = rng.choice(["Paris", "Lyon", "Nice"], n)
    frame["y"] = rng.choice(["a", "b"], n, p=[0.95, 0.05])
    frame.loc[::5, "x0"] = np.nan
    summaries = summarize_columns(frame)  # measured: about 0.5 s with the class balance
    balance = class_balance(frame["y"], "y")
    assert summaries[0].missing_share == 0.2 and summaries[0].n_missing == 200_000
    assert summaries[0].distribution.sampled == SAMPLE_ROWS
    assert sum(summaries[1].distribution.counts) == SAMPLE_ROWS
    assert balance.n_rows == n and balance.imbalanced


def test_a_number_target_is_told_by_its_range_and_median():
    from sklearn.datasets import load_diabetes

    target = load_diabetes(as_frame=True).frame["target"]
    assert number_target_sentence(target, "progression") == (
        f"'progression' runs from {target.min():.3g} to {target.max():.3g}; half the rows "
        f"are below {target.median():.3g}.")
