"""Every band, notable flag and edge in the reports is the engine's exact decision, never a float's.

Means such as 14/5 are not exact in binary: 2.8 as a float is a little under 14/5, and 2.9 - 2.7 comes to a
little under 0.2. Each case below puts a mean exactly on an edge; the expected side was worked out by hand.
"""

from __future__ import annotations

from typing import Any

from selfassess.analysis import analyse, build_cube, results
from selfassess.analysis.contract import as_results
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import Framework
from selfassess.reports import findings
from selfassess.reports.document import Table
from selfassess.reports.national import distribution_chart, national_report
from selfassess.reports.trust import trust_report
from tests.analysis.naive import Row
from tests.analysis.test_properties import table_of

MA = [f"Q{i}" for i in range(2, 13)]  # multi-agency questions of stages B to G (everyone's stages)


def person(
    trust: str, who: str, scores: list[int], sector: str = "health", audience: str = "leader_manager"
) -> list[Row]:
    return [Row(trust, who, sector, audience, q, str(a)) for q, a in zip(MA, scores, strict=False)]


def people(trust: str, scores: list[int], n: int, **kwargs: Any) -> list[Row]:
    """n respondents, each giving the same scores."""
    return [row for i in range(n) for row in person(trust, f"{trust}-R{i}", scores, **kwargs)]


def _table(tables: list[Table], id: str) -> Table:
    return next(t for t in tables if t.id == id)


def test_a_trust_mean_of_exactly_14_5_is_in_the_band_from_2_8(framework: Framework) -> None:
    rows = [*person("T1", "R1", [3, 3, 3, 3, 2]), *person("T2", "R1", [2, 3]), *person("T3", "R1", [3])]
    stats = analyse(table_of(rows))["scopes"]["multi_agency"]
    assert stats["trust_band"] == {"T1": "2.8_to_3.0", "T2": "2.5_to_2.8", "T3": "3.0_to_3.2"}
    data = distribution_chart(framework, as_results(analyse(table_of(rows))), "multi_agency", "4.4").data
    rows_by_band = {row[0].value: row for row in data.rows}
    assert [c.text for c in rows_by_band["2.8_to_3.0"][1:]] == ["1", "2.80", "2.80"]  # lowest and highest: T1
    assert [c.text for c in rows_by_band["2.5_to_2.8"][1:]] == ["1", "2.50", "2.50"]  # T2 only, not T1


def test_table_9_2_flags_sectors_exactly_on_the_notable_edges(framework: Framework) -> None:
    rows = [
        *person("T1", "R1", [3, 3, 3, 3, 2], sector="health"),  # 14/5: not notably below (under 2.8 is)
        *person("T1", "R2", [3, 3, 3, 3, 4], sector="education"),  # 16/5: notably above
        *person("T1", "R3", [3, 3, 3, 3, 3, 3, 3, 3, 3, 2], sector="youth"),  # 29/10: neither
        *person("T1", "R4", [3, 3, 3, 2, 2], sector="justice"),  # 13/5: below
    ]
    found = analyse(table_of(rows))
    matrix = _table(national_report(framework, found).tables(), "table-9-2")
    column = 1 + framework.practice_ids.index("multi_agency")
    flags = {row[0].value: row[column].flag for row in matrix.rows}
    assert flags["health"] == "" and flags["education"] == "above" and flags["youth"] == ""
    assert flags["justice"] == "below"
    table_9_1 = _table(national_report(framework, found).tables(), "table-9-1")
    ma = next(row for row in table_9_1.rows if row[0].value == "multi_agency")
    assert ma[1].value == "education" and ma[2].value == "justice"  # the two tables agree


def test_a_trust_exactly_the_notable_difference_above_the_nation_is_flagged(framework: Framework) -> None:
    # T1: five people, 29/10 overall; T2: five people, 25/10; the nation: 54/20 = 2.7. 2.9 - 2.7 is exactly 0.2,
    # and a little under 0.2 in floating point.
    rows = [
        *people("T1", [3, 3], 4),
        *person("T1", "T1-R9", [3, 2]),
        *people("T2", [3, 2], 5),
    ]
    table = table_of(rows)
    cube = build_cube(table)
    profile = trust_profiles(table, cube, results(cube))["T1"]
    scope = profile["scopes"]["multi_agency"]
    assert (scope["mean"], scope["national"]) == (2.9, 2.7) and scope["mean"] - scope["national"] < 0.2
    assert scope["difference"] == "above"
    report = trust_report(framework, profile, threshold=5)
    practices = _table(report.tables(), "trust-practices")
    row = next(r for r in practices.rows if r[0].value == "multi_agency")
    assert row[practices.columns.index("Difference")].flag == "above"
    differences = next(s for s in report.sections if s.id == "differences")
    assert "Multi-agency working: 2.90 against 2.70 nationally" in str(differences.blocks[0])


def test_audiences_exactly_the_notable_difference_apart_differ_notably(framework: Framework) -> None:
    rows = [
        *person("T1", "L1", [3, 3, 3, 3, 3, 3, 3, 3, 3, 2]),  # leaders 29/10
        *person("T1", "F1", [3, 3, 3, 3, 3, 3, 3, 2, 2, 2], audience="front_line"),  # front line 27/10
    ]
    stats = analyse(table_of(rows))["scopes"]["multi_agency"]
    assert stats["audience_gaps_notable"]["overall"] is True
    assert "a notable difference of 0.20" in findings.audiences(framework, stats)[0]


def test_findings_count_trusts_on_each_edge_on_the_rule_side(framework: Framework) -> None:
    rows = [
        *person("T1", "R1", [3, 3, 3, 3, 4]),  # 16/5: notably above the midpoint
        *person("T2", "R1", [4]),  # 4: nearer the top than the midpoint
        *person("T3", "R1", [2]),  # 2: not nearer the bottom (under 2 is)
        *person("T4", "R1", [3, 3, 3, 3, 2]),  # 14/5: within 0.2 of the midpoint
        *person("T5", "R1", [1, 2]),  # 1.5: nearer the bottom
    ]
    stats = analyse(table_of(rows))["scopes"]["multi_agency"]
    assert stats["trust_counts"] == {
        "notably_above_midpoint": 2,  # T1, T2
        "within_notable_of_midpoint": 1,  # T4
        "nearer_top_than_midpoint": 1,  # T2
        "nearer_bottom_than_midpoint": 1,  # T5
    }
    text = " ".join(findings.bands(framework, stats))
    assert "two (40 per cent) scored 3.2 or above" in text
    assert "One Children's Trust averaged 4 or above" in text
    assert "One Children's Trust had an average score below 2" in text
