"""The findings' rules on the second built-in framework, worked out by hand on its own scale (1-4, midpoint 2.5),
notable difference (0.25), bands (edges 2.0, 2.5, 3.0), three audiences and one unscored answer."""

from __future__ import annotations

from selfassess.analysis import analyse, build_cube, results
from selfassess.analysis.contract import Scope, as_results
from selfassess.analysis.trusts import trust_profiles
from selfassess.reports import findings
from selfassess.reports.trust import trust_report
from tests.analysis.naive import Row
from tests.analysis.test_properties import EARLY_HELP, table_of

QUESTIONS = ["E2", "E3", "E4", "E5", "E6"]  # spotting needs early, stages S2 to S6: meant for every audience


def answers(trust: str, who: str, scores: list[str], audience: str = "manager", sector: str = "health") -> list[Row]:
    return [Row(trust, who, sector, audience, q, a) for q, a in zip(QUESTIONS, scores, strict=False)]


def stats(rows: list[Row]) -> Scope:
    return as_results(analyse(table_of(rows, EARLY_HELP)))["scopes"]["identification"]


def test_bands_are_spoken_of_in_the_frameworks_numbers() -> None:
    # P1 averages 3.5 (nearer the top than the midpoint: 3.25 or above), P2 1.5 (below 1.75), P3 2.75: notably
    # above the midpoint (2.5 + 0.25) exactly.
    rows = [
        *answers("P1", "R1", ["4", "3"]),
        *answers("P2", "R1", ["1", "2"]),
        *answers("P3", "R1", ["3", "3", "2", "3"]),
    ]
    text = " ".join(findings.bands(EARLY_HELP, stats(rows)))
    assert "2 of 3 Partnerships (67 per cent) had a mean score at or above the midpoint" in text
    assert "Of these, two (67 per cent) scored 2.75 or above and one (33 per cent) scored 3 or above." in text
    assert "One Partnership averaged 3.25 or above, closer to the end of the process (a score of 4, exemplary)" in text
    assert (
        "One Partnership had an average score below 1.75, meaning it was, on average, closer to a not in place" in text
    )
    assert "within 0.25 of the midpoint, between 2.25 and 2.75" in text


def test_three_audiences_compare_the_highest_with_the_lowest() -> None:
    rows = [
        *answers("P1", "S1", ["4", "3"], "strategic_leader"),  # 3.5
        *answers("P1", "M1", ["3", "3"], "manager"),  # 3.0
        *answers("P1", "W1", ["3", "3", "3", "2"], "practitioner"),  # 2.75
    ]
    text = " ".join(findings.audiences(EARLY_HELP, stats(rows)))
    assert (
        "highest for strategic leaders (3.50) and lowest for practitioners (2.75): a notable difference of 0.75" in text
    )
    close = [
        *answers("P1", "S1", ["3", "3", "3", "2"], "strategic_leader"),
        *answers("P1", "W1", ["3"] * 4, "practitioner"),
    ]
    text = " ".join(findings.audiences(EARLY_HELP, stats(close)))
    assert "than for strategic leaders (2.75): a notable difference of 0.25" in text  # exactly 0.25: notable
    closer = [
        *answers("P1", "S1", ["3"] * 4, "strategic_leader"),
        *answers("P1", "W1", ["3", "3", "3", "2"], "practitioner"),
    ]
    closer += answers("P1", "W2", ["3", "3", "3", "3", "3"], "practitioner")
    text = " ".join(findings.audiences(EARLY_HELP, stats(closer)))
    assert "too small to be notable (under 0.25)" in text


def test_non_response_names_the_one_unscored_answer() -> None:
    text = " ".join(findings.audiences(EARLY_HELP, stats(answers("P1", "R1", ["3", "NA", "NA", "NA"]))))
    assert "75 per cent of answers gave no score (not applicable)" in text
    assert "Most of these" not in text
    assert "per cent of responses indicated that services were still not in place" in text
    assert "at the midpoint" not in text  # 2.5 is not a score


def test_notable_stages_and_sectors_are_named_by_its_rules() -> None:
    # Stage S2 (E2) scored 3 by everyone: 3.0, notably above 2.5 + 0.25; stage S3 (E3) scored 2 by everyone:
    # notably below 2.25. Every audience gives the same at each stage, so no audiences differ; health and
    # schools both average 2.5 (health, first, is named highest).
    rows = [
        *answers("P1", "R1", ["3", "2"], "strategic_leader", "health"),
        *answers("P1", "R2", ["3", "2"], "practitioner", "health"),
        *answers("P2", "R1", ["3", "2"], "manager", "schools"),
    ]
    found = stats(rows)
    text = " ".join(findings.stages(EARLY_HELP, found))
    assert "Stages notably above the midpoint (a mean of 2.75 or more): resourced (3.00)." in text
    assert "Stages notably below the midpoint (under 2.25): with families (2.00)." in text
    assert "strategic leaders, managers and practitioners are within 0.25 of each other" in text
    sectors = " ".join(findings.sectors(EARLY_HELP, found))
    assert "The highest mean score is for health services (2.50)" in sectors


def test_a_trust_report_on_the_framework_speaks_of_partnerships() -> None:
    rows = [r for i in range(6) for r in answers("P1", f"R{i}", ["4", "4"], "practitioner")]
    rows += [r for i in range(6) for r in answers("P2", f"R{i}", ["2", "2"], "practitioner")]
    table = table_of(rows, EARLY_HELP)
    cube = build_cube(table)
    profile = trust_profiles(table, cube, results(cube))["P1"]
    text = " ".join(trust_report(EARLY_HELP, profile, threshold=5).paragraphs())
    assert "This partnership differs from the national picture by 0.25 or more" in text
    assert "Spotting needs early: 4.00 against 3.00 nationally (+1.00" in text
