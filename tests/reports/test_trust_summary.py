"""The trust report's summary page: its choice of strengths and priorities worked by hand (none, one, two and many
clear ones; ties; none clear), and on real reports it comes first, says who responded and fits its page."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from selfassess.analysis import build_cube, results
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import Framework
from selfassess.reports import render
from selfassess.reports.trust import Standing, strengths_and_priorities, trust_report
from tests.conftest import round_table


def standing(name: str, mean: float, national: float, clear: bool, order: int) -> Standing:
    return Standing(name, mean, national, None, clear, order)


def test_clear_differences_are_chosen_largest_first_three_at_most() -> None:
    found = [
        standing("a", 3.5, 3.0, True, 0),  # +0.5
        standing("b", 3.2, 3.0, True, 1),  # +0.2
        standing("c", 3.9, 3.0, True, 2),  # +0.9
        standing("d", 3.3, 3.0, True, 3),  # +0.3
        standing("e", 3.8, 3.0, False, 4),  # +0.8 but not clear: not a strength
        standing("f", 2.5, 3.0, True, 5),  # −0.5
        standing("g", 2.9, 3.0, False, 6),
    ]
    strengths, clear_up, priorities, clear_down = strengths_and_priorities(found)
    assert [f.name for f in strengths] == ["c", "a", "d"] and clear_up
    assert [f.name for f in priorities] == ["f"] and clear_down


def test_failing_clear_ones_the_highest_and_lowest_are_given_and_never_twice() -> None:
    found = [standing("a", 3.1, 3.0, False, 0), standing("b", 2.9, 3.0, False, 1), standing("c", 3.0, 3.0, False, 2)]
    strengths, clear_up, priorities, clear_down = strengths_and_priorities(found)
    assert [f.name for f in strengths] == ["a", "c", "b"] and not clear_up
    assert priorities == [] and not clear_down  # all three are already named as the highest
    one = [standing("a", 3.1, 3.0, False, 0)]
    assert strengths_and_priorities(one) == (one, False, [], False)
    assert strengths_and_priorities([]) == ([], False, [], False)


def test_ties_go_to_the_frameworks_order() -> None:
    found = [standing("late", 3.5, 3.0, True, 5), standing("early", 3.5, 3.0, True, 1)]
    assert [f.name for f in strengths_and_priorities(found)[0]] == ["early", "late"]


def test_the_summary_comes_first_and_fits_the_first_page(framework: Framework, tmp_path: Path) -> None:
    table = round_table(framework, trusts=10, seed=5)
    cube = build_cube(table)
    profile = next(iter(trust_profiles(table, cube, results(cube)).values()))
    report = trust_report(framework, profile)
    summary = report.sections[0]
    assert summary.id == "summary"
    last = summary.blocks[-1]
    assert isinstance(last, str) and " responded against the " in last
    render.write_pdf(tmp_path / "trust.pdf", render.html(report))
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "trust.pdf").pages]
    assert last[:60] in pages[0]
    assert report.sections[1].title not in pages[0] and report.sections[1].title in pages[1]
