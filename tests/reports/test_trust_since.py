"""A trust report's 'Since' section: the trust's own changes and the national ones, withheld as either round is."""

from __future__ import annotations

from functools import partial
from typing import Any

from hypothesis import HealthCheck, given, settings

from selfassess.analysis import build_cube, results
from selfassess.analysis.comparison import compare, trust_stage_changes
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import Framework
from selfassess.reports import changes_since
from selfassess.reports.trust import trust_report
from tests.analysis.naive import Row, _change, _counted, _estimate
from tests.analysis.test_properties import FRAMEWORK, assert_same, rounds, table_of
from tests.reports.test_edges import _table, people


def _since_table(framework: Framework, earlier: list[Row], later: list[Row], trust: str) -> dict[str, Any]:
    e_table, l_table = table_of(earlier), table_of(later)
    e_cube, l_cube = build_cube(e_table), build_cube(l_table)
    found = results(l_cube)
    found["comparison"] = compare(e_cube, l_cube, "June")
    since = changes_since(e_table, e_cube, l_cube, found["comparison"])(trust)
    profile = trust_profiles(l_table, l_cube, found)[trust]
    report = trust_report(framework, profile, threshold=5, since=since)
    table = _table(report.tables(), "trust-since")
    return {"rows": {r[0].value: r for r in table.rows}, "columns": table.columns, "report": report, "found": found}


def test_the_changes_shown_are_the_comparisons(framework: Framework) -> None:
    earlier = people("T1", [3, 3], 6) + people("T2", [2, 3], 6)
    later = people("T1", [4, 4], 6) + people("T2", [3, 3], 6)
    shown = _since_table(framework, earlier, later, "T1")
    rows, columns = shown["rows"], shown["columns"]
    scopes = shown["found"]["comparison"]["scopes"]
    ma = rows["multi_agency"]
    assert ma[columns.index("Change")].value == scopes["multi_agency"]["trust_change"]["T1"]["change"] == 1.0
    assert ma[columns.index("National change")].value == scopes["multi_agency"]["responses"]["all"]["change"]
    words = " ".join(shown["report"].paragraphs())
    assert "this trust's went from 3.00 to 4.00, +1.00" in words


def test_a_change_is_withheld_where_the_earlier_round_withheld_the_figure(framework: Framework) -> None:
    # T1 had three respondents in June (withheld then) and six now (shown now): its change stays withheld.
    earlier = people("T1", [3, 3], 3) + people("T2", [2, 3], 6)
    later = people("T1", [4, 4], 6) + people("T2", [3, 3], 6)
    shown = _since_table(framework, earlier, later, "T1")
    row = shown["rows"]["overall"]
    assert row[shown["columns"].index("Change")].text == "withheld"
    assert "went from" not in " ".join(shown["report"].paragraphs())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds(), rounds())
def test_trust_stage_changes_agree_with_the_naive_reading(earlier: list[Row], later: list[Row]) -> None:
    engine = trust_stage_changes(build_cube(table_of(earlier)), build_cube(table_of(later)))
    score = {a.code: a.score for a in FRAMEWORK.scale if a.score is not None}
    for trust, stages in engine.items():
        for stage, found in stages.items():
            pairs = [
                [(r.respondent, score[r.answer]) for r in rows if r.trust == trust and r.answer in score and counted(r)]
                for rows in (earlier, later)
                for counted in [partial(_counted, f=FRAMEWORK, audience="all", stage=stage)]
            ]
            assert_same(found, _change(*(_estimate(p) for p in pairs)))
