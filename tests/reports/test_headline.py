"""The executive summary leads with the headline: each rule worked by hand on small results, at none, one, two
and many, and on real rounds of every built-in framework."""

from __future__ import annotations

import pytest

from selfassess.analysis import build_cube, results
from selfassess.analysis.contract import Results, as_results
from selfassess.framework import builtin_frameworks, load_framework
from selfassess.reports.headline import _extremes, change, headline
from selfassess.reports.national import national_report
from tests.conftest import round_table


def _comparison(change_: float | None, ci: list[float] | None, earlier: float = 3.0) -> Results:
    later = None if change_ is None else earlier + change_
    found = {"change": change_, "change_ci95": ci, "earlier_mean": earlier, "later_mean": later}
    return as_results(
        {"comparison": {"earlier": {"label": "June"}, "scopes": {"overall": {"responses": {"all": found}}}}}
    )


@pytest.mark.parametrize(
    ("moved", "ci", "expected"),
    [
        (
            0.11,
            [0.05, 0.17],
            "Since June the national mean rose, from 3.00 to 3.11, a change of +0.11"
            " (95% interval +0.05 to +0.17): a clear rise.",
        ),
        (
            -0.04,
            [-0.1, 0.02],
            "Since June the national mean fell, from 3.00 to 2.96, a change of -0.04 (95% interval -0.10 to "
            "+0.02): not clear of chance.",
        ),
        (
            0.001,
            [-0.02, 0.02],
            "Since June the national mean barely moved, from 3.00 to 3.00, a change of 0.00 (95% interval "
            "-0.02 to +0.02): not clear of chance.",
        ),
        (
            -0.3,
            [-0.4, -0.2],
            "Since June the national mean fell, from 3.00 to 2.70, a change of -0.30"
            " (95% interval -0.40 to -0.20): a clear fall.",
        ),
    ],
)
def test_the_change_since_the_earlier_round(moved: float, ci: list[float], expected: str) -> None:
    assert change(_comparison(moved, ci)) == expected


def test_no_earlier_round_or_nothing_to_compare() -> None:
    assert change(as_results({})) is None
    assert change(_comparison(None, None)) == "No scored answers can be compared with June."


def test_highest_and_lowest_at_none_one_two_and_many() -> None:
    assert _extremes({}) is None
    assert _extremes({"a": 3.0, "b": None}) is None  # one mean: nothing to compare
    assert _extremes({"a": 3.0, "b": 2.5}) == ("a (3.00)", "b (2.50)")
    assert _extremes({"a": 3.0, "b": 3.4, "c": 2.1, "d": 3.4}) == ("b (3.40)", "c (2.10)")  # a tie: the first


@pytest.mark.parametrize("name", sorted(path.name for path in builtin_frameworks()))
def test_the_summary_opens_with_the_headline(name: str) -> None:
    framework = next(f for p, f in builtin_frameworks().items() if p.name == name)
    found = as_results(results(build_cube(round_table(framework, trusts=8, seed=6))))
    summary = national_report(framework, found).sections[0]
    points = headline(framework, found, [])
    assert summary.blocks[0] == points[0]
    mean = found["scopes"]["overall"]["responses"]["all"]["mean"]
    at = found["scopes"]["overall"]["trust_bands"]["at_or_above_midpoint"]
    assert points[0].startswith(f"The national mean score is {mean:.2f} (95% interval ")
    assert f"; {at} of eight {framework.unit_titles} (" in points[0]
    stage_means = found["scopes"]["overall"]["stage_means"]["all"]
    best = max(framework.stages, key=lambda s: stage_means[s.id] or float("-inf"))
    expected = f"By stage, progress is greatest at the {best.short.lower()} stage ({stage_means[best.id]:.2f})"
    assert expected in " ".join(points)


def test_a_framework_of_one_sector_says_nothing_of_sectors_apart() -> None:
    framework = load_framework()
    found = as_results(results(build_cube(round_table(framework, trusts=4, seed=6))))
    only = framework.sectors[0].id
    means = found["scopes"]["overall"]["sector_means"]["all"]
    found["scopes"]["overall"]["sector_means"]["all"] = {s: (m if s == only else None) for s, m in means.items()}
    assert not any(p.startswith("Sectors' mean scores") for p in headline(framework, found, []))
