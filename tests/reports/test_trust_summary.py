"""The trust report's summary page: its choice of strengths and priorities worked by hand (none, one, two and many
clear ones; ties; none clear), and on real reports it comes first, says who responded and fits its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from selfassess.analysis import build_cube, results
from selfassess.analysis.groups import group_results
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import load_framework
from selfassess.reports import render
from selfassess.reports.trust import Against, Standing, _figure, strengths_and_priorities, trust_report
from tests.conftest import round_table, some_groups
from tests.reports.test_layout import FRAMEWORKS


def against(which: str, mean: float, benchmark: float, clear: bool, half: float = 0.1) -> Against:
    """A benchmark with the difference's interval a fixed half-width either side of the difference."""
    gap = mean - benchmark
    side = ("above" if gap > 0 else "below") if clear else ""
    return Against(which, benchmark, [gap - half, gap + half], side)


def standing(name: str, mean: float, national: float, clear: bool, order: int, question: bool = False) -> Standing:
    return Standing(name, mean, (against("national", mean, national, clear),), order, question)


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


def test_the_clearest_come_first_not_the_widest() -> None:
    # A practice 0.3 above with a narrow interval (ratio 6) is clearer than a question 0.6 above with a wide one
    # (ratio 2): the practice comes first.
    wide = Standing("q", 3.6, (against("national", 3.6, 3.0, True, half=0.3),), 0, question=True)
    narrow = Standing("p", 3.3, (against("national", 3.3, 3.0, True, half=0.05),), 1)
    assert [f.name for f in strengths_and_priorities([wide, narrow])[0]] == ["p", "q"]


def test_a_group_is_a_benchmark_as_the_nation_is() -> None:
    # Not clearly above the national mean, but clearly above its group's: a strength, said against the group only.
    both = (against("national", 3.1, 3.0, False), against("group", 3.1, 2.8, True))
    up = Standing("information sharing", 3.1, both, 0)
    # Clearly above the nation and clearly below its group: a strength and a priority, each said as such.
    split = Standing(
        "the owned stage", 3.0, (against("national", 3.0, 2.65, True), against("group", 3.0, 3.4, True)), 1
    )
    strengths, clear_up, priorities, clear_down = strengths_and_priorities([up, split])
    assert [f.name for f in strengths] == ["the owned stage", "information sharing"] and clear_up
    assert [f.name for f in priorities] == ["the owned stage"] and clear_down
    assert _figure(up, "above") == "information sharing: 3.10, 0.30 above its group's 2.80"
    assert _figure(split, "below") == "the owned stage: 3.00, 0.40 below its group's 3.40"
    assert _figure(split, "above") == "the owned stage: 3.00, 0.35 above the national 2.65"
    assert _figure(up, None) == "information sharing: 3.10 (national 3.00, group 2.80)"


def test_questions_are_named_only_when_clear() -> None:
    # Nothing is clear: the highest practices and stages are named, never a question, however high.
    found = [standing("q", 4.5, 3.0, False, 0, question=True), standing("p", 3.2, 3.0, False, 1)]
    strengths, clear_up, priorities, _ = strengths_and_priorities(found)
    assert [f.name for f in strengths] == ["p"] and not clear_up and priorities == []
    found = [standing("q", 4.5, 3.0, True, 0, question=True), standing("p", 3.2, 3.0, False, 1)]
    assert [f.name for f in strengths_and_priorities(found)[0]] == ["q"]


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_the_summary_comes_first_and_fits_the_first_page(name: str, tmp_path: Path) -> None:
    """On every built-in framework and the third shape, with a benchmark group: the summary is page one."""
    framework = load_framework(FRAMEWORKS[name])
    table = round_table(framework, trusts=10, seed=5)
    cube = build_cube(table)
    found = results(cube)
    groups = some_groups(table)
    found["groups"] = group_results(cube, found, groups.of, groups.attribute)
    profile = next(iter(trust_profiles(table, cube, found).values()))
    report = trust_report(framework, profile)
    assert profile["group"] is not None and " is in its benchmark group, " in str(report.sections[0].blocks)
    summary = report.sections[0]
    assert summary.id == "summary"
    last = summary.blocks[-1]
    assert isinstance(last, str) and " responded against the " in last
    render.write_pdf(tmp_path / "trust.pdf", render.html(report))
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "trust.pdf").pages]
    assert last[:60] in pages[0]
    assert report.sections[1].title not in pages[0] and report.sections[1].title in pages[1]
