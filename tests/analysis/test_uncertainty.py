"""The intervals, design effect, intraclass correlation, alpha and standardised means of contract 3b, against
values worked out another way: statsmodels' cluster-robust fit (kept in results/ with the script that made them,
and run afresh on random data), SciPy's t quantile, hand-worked cases, and the naive implementation (naive.py,
compared over every key by test_properties)."""

from __future__ import annotations

import json
import math
import statistics
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import t as student_t

from selfassess.analysis import analyse
from selfassess.analysis.uncertainty import t975
from tests.analysis.naive import Row
from tests.analysis.results.make_uncertainty_reference import SEEDS, cluster_fit, data_set
from tests.analysis.test_properties import table_of

REFERENCE = json.loads((Path(__file__).parent / "results" / "uncertainty_reference.json").read_text())


def test_the_t_quantile_is_scipys() -> None:
    for df in range(1, 400):
        assert t975(df) == pytest.approx(float(student_t.ppf(0.975, df)), rel=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_intervals_equal_the_stored_statsmodels_values(seed: int) -> None:
    rows = [Row(*r) for r in data_set(seed)]
    overall = analyse(table_of(rows))["scopes"]["overall"]
    expected = REFERENCE[str(seed)]
    national = expected["national"]
    assert overall["responses"]["all"]["mean"] == pytest.approx(national["mean"], rel=1e-12)
    assert overall["responses"]["all"]["se"] == pytest.approx(national["se"], rel=1e-9)
    assert overall["responses"]["all"]["ci95"] == pytest.approx(national["ci95"], rel=1e-9)
    assert overall["design_effect"] == pytest.approx(national["design_effect"], rel=1e-9)
    assert overall["trust_ci95"]["T1"] is None  # one respondent: no interval
    assert overall["trust_ci95"]["T2"] is None  # nothing scored
    for trust, found in expected["trusts"].items():
        assert overall["trust_ci95"][trust] == pytest.approx(found["ci95"], rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.integers(10, 10_000))
def test_intervals_equal_statsmodels_on_random_data(seed: int) -> None:
    rows = [Row(*r) for r in data_set(seed)]
    scored = [r for r in rows if r.answer.isdigit()]
    if len({r.trust for r in scored}) < 2:
        return
    results = analyse(table_of(rows))
    overall = results["scopes"]["overall"]
    fitted = cluster_fit([int(r.answer) for r in scored], [r.trust for r in scored])
    assert overall["responses"]["all"]["se"] == pytest.approx(fitted["se"], rel=1e-9)
    assert overall["responses"]["all"]["ci95"] == pytest.approx(fitted["ci95"], rel=1e-9)
    # One audience, and one question: the same estimator on fewer answers.
    front = [r for r in scored if r.audience == "front_line"]
    if len({r.trust for r in front}) >= 2:
        fitted = cluster_fit([int(r.answer) for r in front], [r.trust for r in front])
        assert overall["responses"]["front_line"]["ci95"] == pytest.approx(fitted["ci95"], rel=1e-9)
    q2 = [r for r in scored if r.question == "Q2"]
    if len({r.trust for r in q2}) >= 2:
        fitted = cluster_fit([int(r.answer) for r in q2], [r.trust for r in q2])
        assert results["questions"]["Q2"]["responses"]["all"]["ci95"] == pytest.approx(fitted["ci95"], rel=1e-9)


def test_the_intraclass_correlation_by_hand() -> None:
    # Two trusts of two answers each: T1 scores 1 and 3, T2 scores 4 and 4; grand mean 3.
    rows = [
        Row("T1", "R1", "health", "front_line", "Q2", "1"),
        Row("T1", "R2", "health", "front_line", "Q2", "3"),
        Row("T2", "R1", "health", "front_line", "Q2", "4"),
        Row("T2", "R2", "health", "front_line", "Q2", "4"),
    ]
    # MSB = (2·(2−3)² + 2·(4−3)²)/1 = 4; MSW = ((1−2)² + (3−2)² + 0 + 0)/2 = 1; n0 = (4 − 8/4)/1 = 2;
    # icc = (4 − 1)/(4 + 1·1) = 0.6.
    assert analyse(table_of(rows))["scopes"]["overall"]["icc"] == pytest.approx(0.6)


def test_alpha_against_its_formula_and_a_perfectly_consistent_scale() -> None:
    # Thirty leaders in one trust answer the eleven information-sharing questions; one leaves a question
    # unscored and is left out (listwise).
    questions = [f"Q{i}" for i in range(14, 25)]
    k = len(questions)
    rng = np.random.default_rng(7)
    scores = rng.integers(1, 6, size=(30, k))
    rows = [
        Row("T1", f"R{p}", "health", "leader_manager", q, "DK" if (p, i) == (3, 2) else str(scores[p, i]))
        for p in range(30)
        for i, q in enumerate(questions)
    ]
    complete = np.delete(scores, 3, axis=0).astype(float)
    expected = k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / complete.sum(axis=1).var(ddof=1))
    found = analyse(table_of(rows))["scopes"]["information_sharing"]
    assert found["alpha_n"] == 29
    assert found["alpha"] == pytest.approx(expected, rel=1e-12)
    # Exactly the rational value rounded once, so the same answers give the same last digit every time.
    whole = [[int(v) for v in row] for row in np.delete(scores, 3, axis=0)]
    items = sum(statistics.variance([Fraction(row[i]) for row in whole]) for i in range(k))
    total = statistics.variance([Fraction(sum(row)) for row in whole])
    assert found["alpha"] == float(Fraction(k, k - 1) * (1 - items / total))
    # Every question scored alike by each person: alpha is 1. One person alone: no alpha.
    same = [Row("T1", f"R{p}", "health", "leader_manager", q, str(p)) for p in range(1, 6) for q in questions]
    assert analyse(table_of(same))["scopes"]["information_sharing"]["alpha"] == pytest.approx(1.0, rel=1e-12)
    one = analyse(table_of(same[:k]))["scopes"]["information_sharing"]
    assert (one["alpha"], one["alpha_n"]) == (None, 1)


def test_the_standardised_mean_of_a_hand_worked_trust() -> None:
    # T1 recruited one leader (5) and three front line staff (2 each) in health: raw mean (5 + 6)/4 = 2.75.
    # Cells: health/leaders 5 (quota weight 2), health/front line 2 (weight 3): (2·5 + 3·2)/5 = 3.2.
    rows = [Row("T1", "L1", "health", "leader_manager", "Q2", "5")] + [
        Row("T1", f"F{i}", "health", "front_line", "Q2", "2") for i in range(3)
    ]
    overall = analyse(table_of(rows))["scopes"]["overall"]
    assert overall["trust_means"]["T1"] == pytest.approx(2.75)
    assert overall["trust_means_standardised"]["T1"] == pytest.approx(3.2)


def test_clear_needs_the_interval_wholly_past_the_midpoint() -> None:
    # Youth far above the midpoint in every trust: notable and clear. Health above on average, but one trust
    # far below: notable, not clear.
    rows = []
    for t, health in (("T1", "5"), ("T2", "5"), ("T3", "1"), ("T4", "5")):
        for p in range(3):
            rows.append(Row(t, f"Y{p}", "youth", "front_line", "Q2", "5"))
            rows.append(Row(t, f"H{p}", "health", "front_line", "Q2", health))
    notable = analyse(table_of(rows))["scopes"]["overall"]["notable"]
    assert notable["sectors_above"] == ["health", "youth"]
    assert notable["clear"]["sectors_above"] == ["youth"]


def test_the_design_effect_is_one_when_clusters_do_not_matter() -> None:
    # Each trust one respondent with one answer: clusters are the answers themselves; se² = s²/n · G/(G−1)·(n−1)/n.
    rows = [Row(f"T{i}", "R1", "health", "front_line", "Q2", str(v)) for i, v in enumerate([1, 2, 4, 5, 3])]
    effect = analyse(table_of(rows))["scopes"]["overall"]["design_effect"]
    assert effect == pytest.approx(5 / 4 * 4 / 5)  # = 1: the cluster estimator is then the plain one
    assert math.isfinite(effect)


def test_a_trusts_interval_is_its_mean_alone_when_its_respondents_agree() -> None:
    """Two respondents with the same mean, 5/3, which no float holds exactly: the spread between them is nought,
    so the interval is the mean itself. Summing squares before taking away the mean's share leaves a rounding
    error of about 1e-15, whose square root, times t on one degree of freedom, was an interval 1e-7 wide."""
    scores = {"R0": ["1", "2", "2", "1", "2", "2"], "R1": ["1", "2", "2"]}
    questions = ["Q1", "Q2", "Q5", "Q20", "Q26", "Q44"]
    rows = [
        Row("T1", person, "health", "front_line", question, answer)
        for person, answers in scores.items()
        for question, answer in zip(questions, answers, strict=False)
    ]
    overall = analyse(table_of(rows))["scopes"]["overall"]
    assert overall["trust_means"]["T1"] == pytest.approx(5 / 3, rel=1e-15)
    low, high = overall["trust_ci95"]["T1"]
    assert low == high == overall["trust_means"]["T1"]
