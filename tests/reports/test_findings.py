"""The findings follow the report's rules: each case below is data built to land on one side of a rule."""

from __future__ import annotations

from selfassess.analysis import analyse
from selfassess.analysis.contract import Scope, as_results
from selfassess.framework import Framework
from selfassess.reports import findings
from tests.analysis.naive import Row
from tests.analysis.test_properties import table_of

QUESTIONS = [f"Q{i}" for i in range(2, 13)]


def answers(trust: str, respondent: str, scores: list[str], audience: str = "leader_manager", sector: str = "health"):
    return [Row(trust, respondent, sector, audience, q, a) for q, a in zip(QUESTIONS, scores, strict=False)]


def overall(rows: list[Row]) -> Scope:
    return as_results(analyse(table_of(rows)))["scopes"]["multi_agency"]


def test_no_trust_near_either_end(framework: Framework) -> None:
    text = " ".join(
        findings.bands(framework, overall([*answers("T1", "R1", ["3", "4"]), *answers("T2", "R1", ["2", "3"])]))
    )
    assert "1 of 2 Children's Trusts (50 per cent) had a mean score at or above the midpoint" in text
    assert "no Children's Trust felt it was closer to the end of the process" in text
    assert "no Children's Trust, on average, felt that it was closer to the beginning" in text


def test_trusts_closer_to_an_end_are_counted(framework: Framework) -> None:
    rows = [*answers("T1", "R1", ["5", "4"]), *answers("T2", "R1", ["1", "2"]), *answers("T3", "R1", ["1"])]
    text = " ".join(findings.bands(framework, overall(rows)))
    assert "The highest score of any Children's Trust was 4.50. One Children's Trust averaged 4 or above" in text
    assert "The lowest average score was 1.00. Two Children's Trusts had an average score below 2" in text
    assert "they were, on average, closer to a fragmented service" in text
    assert (
        "More Children's Trusts averaged under 2.5 (2, 67 per cent) than averaged 3.5 or above (1, 33 per cent)" in text
    )


def test_audience_differences_are_notable_only_at_0_2(framework: Framework) -> None:
    small = [
        *answers("T1", "L1", ["3", "3", "3", "3", "4"]),
        *answers("T1", "F1", ["3", "3", "3", "3", "3"], "front_line"),
    ]
    text = " ".join(findings.audiences(framework, overall(small)))
    assert (
        "higher for leaders and managers (3.20) than for front line staff (3.00): a notable difference of 0.20" in text
    )
    smaller = [*answers("T1", "L1", ["3"] * 9 + ["4"]), *answers("T1", "F1", ["3"] * 10, "front_line")]
    text = " ".join(findings.audiences(framework, overall(smaller)))
    assert "a difference of 0.10, too small to be notable (under 0.2)" in text


def test_notable_stages_and_sectors_are_named(framework: Framework) -> None:
    rows = [
        *answers("T1", "R1", ["4", "4", "2", "2"], sector="justice"),  # stages B, B, C, C
        *answers("T1", "R2", ["4", "4", "2", "2"], sector="youth"),
    ]
    stats = overall(rows)
    text = " ".join(findings.stages(framework, stats))
    assert "Stages notably above the midpoint (a mean of 3.2 or more): owned (4.00)." in text
    assert "Stages notably below the midpoint (under 2.8): developed (2.00)." in text
    sectors = " ".join(findings.sectors(framework, stats))
    assert "Justice and crime prevention" not in sectors or "notably" not in sectors  # both at 3.00: neither


def test_non_response_mostly_dont_know(framework: Framework) -> None:
    rows = [*answers("T1", "R1", ["3", "DK", "DK", "NA"])]
    text = " ".join(findings.audiences(framework, overall(rows)))
    assert "75 per cent of answers gave no score" in text
    assert 'Most of these were "don\'t know" rather than "not applicable".' in text


def test_the_highest_and_lowest_stages_name_every_tie_and_never_one_stage_twice() -> None:
    titles = {"a": "identified", "b": "owned", "c": "developed", "d": "shared"}
    words = findings._highest_and_lowest
    assert (
        words({"a": 3.0, "b": 4.0}, titles)
        == "Scores are highest for the owned stage and lowest for the identified stage."
    )
    assert words({"a": 3.0, "b": 3.0}, titles) == "Scores are the same for every stage scored (3.00)."
    assert (
        words({"a": 3.0, "b": 3.0, "c": 3.0, "d": 3.0}, titles) == "Scores are the same for every stage scored (3.00)."
    )
    assert words({"a": 4.0, "b": 4.0, "c": 2.5}, titles) == (
        "Scores are highest for the identified and owned stages and lowest for the developed stage."
    )
    assert words({"a": 4.0, "b": 2.0, "c": 2.0, "d": 2.0}, titles) == (
        "Scores are highest for the identified stage and lowest for the owned, developed and shared stages."
    )
