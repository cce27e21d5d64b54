"""Hand-worked small cases for every statistic of contract section 3.

Each expected value below was worked out by hand from the rows written next to it.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from selfassess.analysis import analyse, band_of
from selfassess.framework import Framework
from tests.analysis.naive import Row
from tests.analysis.test_properties import table_of

MA = [f"Q{i}" for i in range(2, 13)]  # multi-agency questions of stages B to G (everyone's stages)


def answers(trust: str, respondent: str, scores: list[str], sector: str = "health", audience: str = "leader_manager"):
    return [Row(trust, respondent, sector, audience, q, a) for q, a in zip(MA, scores, strict=False)]


def test_trusts_exactly_on_band_edges_fall_in_the_upper_band() -> None:
    rows = [
        *answers("T1", "R1", ["2", "3"]),  # 2.5
        *answers("T2", "R1", ["3", "3", "3", "3", "2"]),  # 14/5 = 2.8
        *answers("T3", "R1", ["3"]),  # 3.0
        *answers("T4", "R1", ["3", "3", "3", "3", "4"]),  # 16/5 = 3.2
        *answers("T5", "R1", ["3", "4"]),  # 3.5
        *answers("T6", "R1", ["2", "3", "3"]),  # 8/3 = 2.67
        *answers("T7", "R1", ["1", "2", "2", "3"]),  # 2.0
    ]
    stats = analyse(table_of(rows))["scopes"]["multi_agency"]
    assert stats["trust_bands"] == {
        "below_2.5": 1,  # T7
        "2.5_to_2.8": 2,  # T1, T6
        "2.8_to_3.0": 1,  # T2
        "3.0_to_3.2": 1,  # T3
        "3.2_to_3.5": 1,  # T4
        "3.5_and_above": 1,  # T5
        "at_or_above_midpoint": 3,  # T3, T4, T5
        "no_score": 0,
    }
    assert stats["trust_means"] == {"T1": 2.5, "T2": 2.8, "T3": 3.0, "T4": 3.2, "T5": 3.5, "T6": 8 / 3, "T7": 2.0}
    assert stats["trust_mean_min"] == 2.0 and stats["trust_mean_max"] == 3.5


def test_band_edges_are_decided_in_integers(framework: Framework) -> None:
    # 28/10 and 2.8 as a float are "equal" only approximately; the decision must be exact.
    assert band_of(28, 10, framework.bands) == "2.8_to_3.0"
    assert band_of(27_999_999, 10_000_000, framework.bands) == "2.5_to_2.8"
    assert band_of(3 * 10**12, 10**12, framework.bands) == "3.0_to_3.2"
    assert band_of(3 * 10**12 - 1, 10**12, framework.bands) == "2.8_to_3.0"
    assert band_of(1, 1, framework.bands) == "below_2.5" and band_of(5, 1, framework.bands) == "3.5_and_above"


def test_front_line_answers_to_leader_stages_count_everywhere_but_stage_means() -> None:
    rows = [
        Row("T1", "L1", "health", "leader_manager", "Q1", "4"),  # stage A
        Row("T1", "L1", "health", "leader_manager", "Q2", "2"),  # stage B
        Row("T1", "L1", "health", "leader_manager", "Q13", "3"),  # stage H
        Row("T1", "F1", "health", "front_line", "Q1", "2"),  # A, but front line: not in stage means
        Row("T1", "F1", "health", "front_line", "Q2", "4"),
        Row("T1", "F1", "health", "front_line", "Q13", "1"),  # H, front line
    ]
    stats = analyse(table_of(rows))["scopes"]["multi_agency"]
    stage = stats["stage_means"]
    assert (stage["leader_manager"]["A"], stage["leader_manager"]["B"], stage["leader_manager"]["H"]) == (4, 2, 3)
    assert (stage["front_line"]["A"], stage["front_line"]["B"], stage["front_line"]["H"]) == (None, 4, None)
    assert (stage["all"]["A"], stage["all"]["B"], stage["all"]["H"]) == (4, 3, 3)  # A and H: leaders alone
    assert stage["all"]["C"] is None  # no answers at all
    # ...but the front line's 2 and 1 count in every other statistic:
    assert stats["responses"]["front_line"]["mean"] == pytest.approx(7 / 3)
    assert stats["responses"]["all"]["mean"] == pytest.approx(16 / 6)
    assert stats["trust_means"]["T1"] == pytest.approx(16 / 6)
    assert stats["sector_means"]["all"]["health"] == pytest.approx(16 / 6)
    assert stats["sector_means"]["front_line"]["health"] == pytest.approx(7 / 3)
    assert stats["sector_means"]["all"]["youth"] is None
    # 16/6 < 2.8: health is notably below; stage A (4, leaders only) notably above; B and H at 3 are neither.
    # One trust: no interval (it needs two clusters), so nothing is clear.
    empty: dict[str, list[str]] = {"sectors_above": [], "sectors_below": [], "stages_above": [], "stages_below": []}
    assert stats["notable"] == {
        "sectors_above": [],
        "sectors_below": ["health"],
        "stages_above": ["A"],
        "stages_below": [],
        "clear": empty,
    }


def test_a_trust_with_leaders_and_managers_only() -> None:
    rows = [
        *answers("T1", "L1", ["3", "4"]),
        *answers("T1", "F1", ["2", "2"], audience="front_line"),
        *answers("T2", "L1", ["5"]),
        *answers("T2", "L2", ["1", "NA"], sector="youth"),
    ]
    results = analyse(table_of(rows))
    assert results["counts"] == {
        "trusts": 2,
        "trusts_with_both_audiences": 1,
        "respondents": {"leader_manager": 3, "front_line": 1, "all": 4},
    }
    stats = results["scopes"]["overall"]
    assert stats["trust_means"] == {"T1": 11 / 4, "T2": 3.0}
    assert stats["responses"]["front_line"]["total"] == 2
    assert stats["sector_means"]["front_line"]["youth"] is None
    assert stats["sector_means"]["leader_manager"]["youth"] == 1.0


def test_a_practice_answered_only_na_and_dk_by_one_trust() -> None:
    rows = [
        Row("T1", "R1", "health", "front_line", "Q39", "NA"),  # team around the child
        Row("T1", "R1", "health", "front_line", "Q40", "DK"),
        Row("T1", "R1", "health", "front_line", "Q2", "3"),
        Row("T2", "R1", "health", "front_line", "Q40", "2"),
        Row("T2", "R1", "health", "front_line", "Q41", "4"),
    ]
    results = analyse(table_of(rows))
    tac = results["scopes"]["tac"]
    assert tac["trust_means"] == {"T1": None, "T2": 3.0}
    assert tac["trust_bands"]["no_score"] == 1
    assert sum(v for k, v in tac["trust_bands"].items() if k not in ("no_score", "at_or_above_midpoint")) == 1
    assert tac["trust_mean_min"] == tac["trust_mean_max"] == 3.0
    everyone = tac["responses"]["all"]
    assert (everyone["NA"], everyone["DK"], everyone["2"], everyone["4"]) == (1, 1, 1, 1)
    assert (everyone["total"], everyone["scored"], everyone["pct_scored"]) == (4, 2, 50.0)
    # In the overall scope T1 has its answer to Q2, so it is scored there.
    assert results["scopes"]["overall"]["trust_means"]["T1"] == 3.0
    assert results["scopes"]["overall"]["trust_bands"]["no_score"] == 0
    # A practice nobody answered: everything null or zero, nothing divided by zero.
    lead = results["scopes"]["lead_professional"]
    assert lead["responses"]["all"]["mean"] is None and lead["responses"]["all"]["pct_scored"] is None
    assert lead["trust_bands"]["no_score"] == 2 and lead["trust_mean_min"] is None


def test_notable_sectors_and_stages_at_the_edges() -> None:
    rows = [
        *answers("T1", "R1", ["3", "3", "3", "3", "4"], sector="early_years"),  # 3.2: notably above
        *answers("T1", "R2", ["3", "3", "3", "3", "2"], sector="education"),  # 2.8: not notably below
        *answers("T1", "R3", ["3", "3", "3", "2"], sector="youth"),  # 2.75: notably below
        *answers("T1", "R4", ["4", "3", "3", "3", "3", "3"], sector="health"),  # 19/6 = 3.17: neither
    ]
    notable = analyse(table_of(rows))["scopes"]["multi_agency"]["notable"]
    assert notable["sectors_above"] == ["early_years"]
    assert notable["sectors_below"] == ["youth"]


def test_notable_lists_are_in_framework_order() -> None:
    rows = [
        *answers("T1", "R1", ["5"], sector="youth"),
        *answers("T1", "R2", ["5"], sector="early_years"),
        *answers("T1", "R3", ["5"], sector="justice"),
    ]
    assert analyse(table_of(rows))["scopes"]["overall"]["notable"]["sectors_above"] == [
        "early_years",
        "justice",
        "youth",
    ]


def test_response_counts_and_per_question_results() -> None:
    rows = [
        Row("T1", "R1", "health", "front_line", "Q5", "1"),
        Row("T1", "R2", "health", "leader_manager", "Q5", "5"),
        Row("T1", "R3", "youth", "front_line", "Q5", "DK"),
        Row("T2", "R1", "youth", "front_line", "Q5", "4"),
        Row("T2", "R1", "youth", "front_line", "Q6", "2"),
    ]
    results = analyse(table_of(rows))
    q5 = results["questions"]["Q5"]
    assert (q5["practice"], q5["stage"]) == ("multi_agency", "C")
    assert q5["responses"]["front_line"] == {
        "1": 1,
        "2": 0,
        "3": 0,
        "4": 1,
        "5": 0,
        "NA": 0,
        "DK": 1,
        "total": 3,
        "scored": 2,
        "mean": 2.5,
        "pct_scored": pytest.approx(200 / 3),
        # By hand: clusters T1 (one answer, 1) and T2 (one, 4); mean 2.5; e = -1.5 and 1.5; G = 2;
        # se = sqrt(2/1 * 4.5) / 2 = 1.5; t on 1 degree of freedom is tan(0.475 pi) = 12.7062...
        "se": pytest.approx(1.5),
        "ci95": pytest.approx([2.5 - 12.706204736174707 * 1.5, 2.5 + 12.706204736174707 * 1.5]),
    }
    assert q5["trust_means"] == {"T1": 3.0, "T2": 4.0}
    # T1's own figure rests on two respondents (1 and 5): mean 3, e = -2 and 2, se = sqrt(2 * 8) / 2 = 2.
    assert q5["trust_ci95"]["T1"] == pytest.approx([3 - 12.706204736174707 * 2, 3 + 12.706204736174707 * 2])
    assert q5["trust_ci95"]["T2"] is None  # one respondent: no interval
    assert q5["trust_bands"]["3.0_to_3.2"] == 1 and q5["trust_bands"]["3.5_and_above"] == 1
    assert q5["sector_means"]["all"] == {**{s: None for s in q5["sector_means"]["all"]}, "health": 3.0, "youth": 4.0}
    assert set(q5) >= {"practice", "stage", "responses", "trust_means", "trust_bands", "sector_means"}
    overall = results["scopes"]["overall"]
    assert overall["questions"] == 59 and results["scopes"]["caf"]["questions"] == 14
    assert overall["responses"]["all"]["mean"] == pytest.approx(Fraction(12, 4))


def test_results_follow_the_contract_shape(framework: Framework) -> None:
    results = analyse(table_of(answers("T1", "R1", ["3"])))
    assert list(results) == ["schema", "framework", "counts", "scopes", "questions"]
    assert results["schema"] == "selfassess.results/1"
    assert results["framework"] == {"id": "drilldown-2009", "title": framework.title}
    assert list(results["scopes"]) == ["overall", *framework.practice_ids]
    scope = results["scopes"]["overall"]
    assert list(scope) == [
        "questions",
        "responses",
        "trust_means",
        "trust_band",  # added: each trust's band, decided exactly (reports read it, never a float)
        "trust_bands",
        "trust_counts",  # added: trusts in the ranges the findings count, decided exactly
        "trust_mean_min",
        "trust_mean_max",
        "stage_means",
        "sector_means",
        "notable",
        "audience_gaps_notable",  # added: where the audiences' means are the notable difference apart
        # contract 3b: how sure the figures are
        "trust_ci95",
        "stage_ci95",
        "sector_ci95",
        "trust_means_standardised",
        "design_effect",
        "icc",
        "alpha",
        "alpha_n",
    ]
    assert list(scope["responses"]["all"])[-2:] == ["se", "ci95"]
    assert list(scope["notable"]) == ["sectors_above", "sectors_below", "stages_above", "stages_below", "clear"]
    assert list(results["questions"]["Q1"])[-2:] == ["trust_ci95", "sector_ci95"]
    assert list(scope["responses"]) == ["leader_manager", "front_line", "all"]
    assert list(scope["stage_means"]["all"]) == list("ABCDEFGH")
    assert list(results["questions"]) == list(framework.question_ids)
