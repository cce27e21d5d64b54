"""The national report's change chapter: its numbers are the comparison's, its sentences follow the rules."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from selfassess.analysis import build_cube, results
from selfassess.analysis.comparison import compare
from selfassess.analysis.contract import as_results
from selfassess.framework import Framework
from selfassess.reports.change import change_chapter
from selfassess.reports.national import national_report
from selfassess.reports.workbook import write_workbook
from tests.conftest import round_table


@pytest.fixture(scope="module")
def both(framework: Framework) -> dict[str, Any]:
    earlier, later = (build_cube(round_table(framework, trusts=12, seed=s)) for s in (1, 2))
    found = results(later)
    found["comparison"] = compare(earlier, later, "June")
    return found


def test_the_chapter_follows_the_conclusion_and_its_numbers_are_the_comparisons(
    framework: Framework, both: dict[str, Any]
) -> None:
    report = national_report(framework, both)
    titles = [s.title for s in report.sections]
    assert titles[-2] == "10. Change since June" and titles[-3].startswith("9.")
    scopes = both["comparison"]["scopes"]
    tables = {t.id: t for t in report.tables()}
    practices = tables["data-10.1"]
    for row in practices.rows:
        entry = scopes[row[0].value]["responses"]["all"]
        assert [c.value for c in row[1:4]] == [entry["earlier_mean"], entry["later_mean"], entry["change"]]
        assert [row[4].value, row[5].value] == entry["change_ci95"]
    stages = tables["data-10.2"]
    assert [r[3].value for r in stages.rows] == [
        scopes["overall"]["stage_change"]["all"][s]["change"] for s in framework.stage_ids
    ]
    sectors = tables["table-10.2"]
    assert [r[3].value for r in sectors.rows] == [
        scopes["overall"]["sector_change"]["all"][s]["change"] for s in framework.sector_ids
    ]
    bands = tables["table-10.3"]
    transitions = scopes["overall"]["band_transitions"]
    assert [[c.value for c in r[1:-1]] for r in bands.rows] == [list(row.values()) for row in transitions.values()]
    assert sum(int(r[-1].text) for r in bands.rows) == scopes["overall"]["matched"]["trusts"]


def _set(found: dict[str, Any], practice: str, change: float, ci: list[float]) -> None:
    entry = found["comparison"]["scopes"][practice]["responses"]["all"]
    entry.update(change=change, change_ci95=ci, earlier_mean=3.0, later_mean=3.0 + change)


def test_sentences_in_the_2009_voice(framework: Framework, both: dict[str, Any]) -> None:
    found = copy.deepcopy(both)
    for practice in framework.practice_ids:
        _set(found, practice, 0.03, [-0.02, 0.08])  # rose, not clearly
    _set(found, "information_sharing", 0.12, [0.05, 0.19])
    _set(found, "lead_professional", -0.04, [-0.1, 0.02])
    text = change_chapter(framework, as_results(found), 10).paragraphs()
    assert (
        "Mean scores rose in four of the five practices and fell in one; the rise was clear for information sharing, "
        "+0.12 (95% interval +0.05 to +0.19); no fall was clear of chance." in text
    )
    _set(found, "lead_professional", 0.0001, [-0.05, 0.05])
    assert "Mean scores rose in five of the five practices; the rise was clear for information sharing" in " ".join(
        change_chapter(framework, as_results(found), 10).paragraphs()
    )


def test_a_change_that_rounds_to_nothing_is_not_negative(framework: Framework, both: dict[str, Any]) -> None:
    found = copy.deepcopy(both)
    _set(found, "caf", -0.001, [-0.05, 0.05])
    practices = next(t for t in change_chapter(framework, as_results(found), 10).tables() if t.id == "data-10.1")
    assert next(r for r in practices.rows if r[0].value == "caf")[3].text == "0.00"


def test_the_workbook_has_the_comparison_tables(framework: Framework, both: dict[str, Any], tmp_path: Path) -> None:
    report = national_report(framework, both)
    write_workbook(report, tmp_path / "tables.xlsx", [])
    book = load_workbook(tmp_path / "tables.xlsx", read_only=True)
    for title in ("Numbers for graph 10.1", "Table 10.1", "Numbers for graph 10.2", "Table 10.2", "Table 10.3"):
        assert title in book.sheetnames
    rows = list(book["Table 10.3"].iter_rows(values_only=True))
    transitions = both["comparison"]["scopes"]["overall"]["band_transitions"]
    counts = [list(r[1:-1]) for r in rows if r and r[0] in {b.title for b in framework.bands}]
    assert counts == [list(row.values()) for row in transitions.values()]
