"""Sentences built by rule say only what is true, at counts of none, one, two and many, in the framework's own
words: counts with their nouns, an audience of one, shares, stage restrictions stage by stage, and a trust whose
every figure is withheld."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from selfassess.analysis import build_cube, results
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import Framework, load_framework
from selfassess.reports.document import count_words, counted_words, join_words
from selfassess.reports.national import _of_audience, _one_in, national_report
from selfassess.reports.trust import trust_report
from tests.conftest import round_table

THIRD = Path(__file__).with_name("frameworks") / "third-shape.yaml"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "no consortia"), (1, "one consortium"), (2, "two consortia"), (10, "ten consortia"), (82, "82 consortia")],
)
def test_counts_take_the_units_singular_or_plural(n: int, expected: str) -> None:
    assert counted_words(n, "consortium", "consortia") == expected


def test_counts_standing_alone_and_lists() -> None:
    assert [count_words(n) for n in (0, 1, 2, 11, 1500)] == ["none", "one", "two", "11", "1,500"]
    assert [join_words(items) for items in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == [
        "none",
        "A",
        "A and B",
        "A, B and C",
    ]


def test_an_audience_of_one_and_shares_not_whole() -> None:
    framework = load_framework(THIRD)
    assert _of_audience(framework, "board", 1) == "one of the board members"
    assert _of_audience(framework, "manager", 2) == "two service managers"
    assert _one_in(Fraction(1, 5)) == "one in five"
    assert _one_in(Fraction(3, 10)) == "30 in a hundred"


def test_stage_restrictions_are_said_stage_by_stage() -> None:
    framework = load_framework(THIRD)
    table = round_table(framework, trusts=6, seed=4)
    report = national_report(framework, results(build_cube(table)))
    [sentence] = [p for p in report.paragraphs() if p.startswith("Some stages were meant for some audiences only")]
    assert (
        "the plan together stage for board members and service managers, the lead and resource stage for board "
        "members, the deliver stage for service managers, youth workers and volunteers and the work with families "
        "stage for youth workers and volunteers"
    ) in sentence


def test_a_trust_with_every_figure_withheld_is_told_so(framework: Framework) -> None:
    table = round_table(framework, trusts=6, seed=4)
    cube = build_cube(table)
    found = results(cube)
    profile = next(iter(trust_profiles(table, cube, found).values()))
    withheld = trust_report(framework, profile, threshold=10_000)
    text = " ".join(withheld.paragraphs())
    assert "every figure for this trust is withheld or missing" in text
    assert "This trust's overall mean score is withheld" in text  # the summary says so too
    assert "No practice or stage can be set against the national mean: their figures are withheld." in text
    assert "within 0.2 of the national picture" not in text
