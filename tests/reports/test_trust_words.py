"""The trust report's plain words: nobody in a group is said as such (never 'withheld'), and the change since the
earlier round comes first in one sentence, with rows where nothing changed clearly folded into one."""

from __future__ import annotations

from selfassess.analysis import build_cube, results
from selfassess.analysis.comparison import compare
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import Framework
from selfassess.reports import changes_since
from selfassess.reports.trust import trust_report
from tests.analysis.naive import Row
from tests.analysis.test_properties import table_of
from tests.reports.test_edges import _table, people, person


def test_no_leaders_or_managers_is_said_and_not_withheld(framework: Framework) -> None:
    # 35 front line staff and no leader: the leaders' column and the leaders-only stages have nobody to withhold.
    rows = people("T1", [3, 4, 3], 35, audience="front_line") + people("T2", [2, 3, 3], 8)
    cube = build_cube(table_of(rows))
    profile = trust_profiles(table_of(rows), cube, results(cube))["T1"]
    report = trust_report(framework, profile, threshold=5)
    words = " ".join(report.paragraphs())
    assert "No leaders and managers responded." in words
    sectors = _table(report.tables(), "trust-sectors")
    leaders = sectors.column("Leaders and managers")
    assert {c.text for c in leaders} == {"none responded"}
    stages = _table(report.tables(), "trust-stages")
    leader_only = [r for r in stages.rows if r[0].value in ("A", "H")]
    assert leader_only and all(r[1].text == "none responded" for r in leader_only)
    # T2 has leaders only: it is told of its missing front line staff, not of leaders.
    other = " ".join(trust_report(framework, trust_profiles(table_of(rows), cube, results(cube))["T2"]).paragraphs())
    assert "No front line staff responded." in other and "No leaders and managers" not in other


def _since(earlier: list[Row], later: list[Row], trust: str, framework: Framework) -> list[str]:
    e_table, l_table = table_of(earlier), table_of(later)
    e_cube, l_cube = build_cube(e_table), build_cube(l_table)
    found = results(l_cube)
    found["comparison"] = compare(e_cube, l_cube, "June")
    since = changes_since(e_table, e_cube, l_cube, found["comparison"])(trust)
    report = trust_report(framework, trust_profiles(l_table, l_cube, found)[trust], threshold=5, since=since)
    section = next(s for s in report.sections if s.id == "since")
    return [b if isinstance(b, str) else f"<{type(b).__name__.lower()}>" for b in section.blocks]


def test_the_change_comes_first_in_plain_words_and_unclear_rows_fold(framework: Framework) -> None:
    # Everyone rises by exactly one point: clear for the trust and the country, in every practice and stage asked.
    earlier = people("T1", [3, 3], 6) + people("T2", [2, 3], 6) + people("T3", [3, 2], 6)
    later = people("T1", [4, 4], 6) + people("T2", [3, 4], 6) + people("T3", [4, 3], 6)
    blocks = _since(earlier, later, "T1", framework)
    assert blocks[0].startswith("Since June, the national mean rose (+1.00, ")
    assert "; this trust's went from 3.00 to 4.00, +1.00 (95% interval +1.00 to +1.00): a clear rise." in blocks[0]
    assert blocks[-1] == "<table>"


def test_a_trust_that_did_not_move_is_told_so_and_its_rows_fold(framework: Framework) -> None:
    # T1 answers the same both times with some spread; the others rise: the country moves, the trust does not.
    same = [row for i in range(6) for row in person("T1", f"R{i}", [2 + i % 3, 3])]
    earlier = same + people("T2", [2, 2], 6) + people("T3", [2, 3], 6)
    later = same + people("T2", [4, 4], 6) + people("T3", [4, 4], 6)
    blocks = _since(earlier, later, "T1", framework)
    assert "this trust's went from 3.00 to 3.00, 0.00" in blocks[0] and blocks[0].endswith(": no clear change.")
    assert any(b.startswith("No practice or stage changed clearly for this trust") for b in blocks)
    # Neither the trust nor the country moved clearly anywhere: one sentence names them all, and no table is left.
    folded = next(b for b in blocks if b.startswith("Neither this trust nor the country changed clearly in "))
    assert "overall" in folded and "multi-agency working" in folded and "they are not in the table" in folded
    assert "<table>" not in blocks
