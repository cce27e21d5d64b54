"""A trust report's intervals, differences and standardised means are the engine's, and say how sure they are."""

from __future__ import annotations

import numpy as np
import pytest

from selfassess.analysis import build_cube, results
from selfassess.analysis.trusts import _free_groups, trust_profiles
from selfassess.framework import Framework
from selfassess.reports.document import interval_text
from selfassess.reports.trust import trust_report
from tests.analysis.naive import Row
from tests.analysis.results.make_uncertainty_reference import cluster_fit
from tests.analysis.test_properties import table_of
from tests.conftest import round_table
from tests.reports.test_edges import MA, _table, people, person


def test_the_practices_table_shows_the_results_intervals_and_standardised_places(framework: Framework) -> None:
    table = round_table(framework, trusts=12, seed=5)
    cube = build_cube(table)
    found = results(cube)
    checked = 0
    for trust, profile in trust_profiles(table, cube, found).items():
        practices = _table(trust_report(framework, profile, threshold=5).tables(), "trust-practices")
        column = {name: practices.columns.index(name) for name in practices.columns}
        for row in practices.rows:
            stats = found["scopes"][row[0].value]
            if row[column["This trust"]].text == "withheld":
                assert row[column["95% interval"]].text == "withheld"
                continue
            own, national = stats["trust_ci95"][trust], stats["responses"]["all"]["mean"]
            assert row[column["95% interval"]].text == interval_text(own)
            low, high = own[0] - national, own[1] - national
            clear = "clear" if low > 0 or high < 0 else "unclear"
            assert row[column["How sure"]].text == f"{low:+.2f} to {high:+.2f}, {clear}"
            standardised = stats["trust_means_standardised"]
            assert row[column["Standardised"]].value == standardised[trust]
            higher = sum(1 for m in standardised.values() if m is not None and m > standardised[trust])
            assert row[column["Place among trusts"]].value == 1 + higher
            checked += 1
    assert checked >= 12


def test_a_notable_gap_on_few_and_scattered_answers_is_called_unclear(framework: Framework) -> None:
    # T1: five people scoring 5, 5, 5, 1 and 5 (mean 4.2); T2 and T3: ten people each scoring 3. T1 is notably
    # above the nation (about 3.2), but on five scattered answers: its interval, 4.2 ± 2.78 × 0.8, reaches 3.2.
    # T2 is notably below the nation on answers that agree: clear.
    rows = [row for i, s in enumerate([5, 5, 5, 1, 5]) for row in person("T1", f"P{i}", [s])]
    rows += people("T2", [3], 10) + people("T3", [3], 10, sector="education")
    table = table_of(rows)
    cube = build_cube(table)
    profiles = trust_profiles(table, cube, results(cube))
    t1 = profiles["T1"]["scopes"]["multi_agency"]
    assert t1["difference"] == "above" and t1["clear"] == ""
    assert t1["difference_ci95"][0] < 0 < t1["difference_ci95"][1]
    text = " ".join(trust_report(framework, profiles["T1"], threshold=5).paragraphs())
    assert "but not clearly" in text and "Multi-agency working: 4.20 against" in text
    t2 = profiles["T2"]["scopes"]["multi_agency"]
    assert t2["difference"] == "below" and t2["clear"] == "below"
    text = " ".join(trust_report(framework, profiles["T2"], threshold=5).paragraphs())
    assert "clearly (the 95% interval of the difference leaves out zero)" in text and "but not clearly" not in text


def test_free_groups_are_what_the_row_and_column_totals_leave_free() -> None:
    # The naive way: cells less the rank of the equations "row total" and "column total" over them.
    rng = np.random.default_rng(11)
    for _ in range(300):
        present = rng.random((rng.integers(1, 4), rng.integers(1, 9))) < rng.random()
        cells = list(zip(*np.nonzero(present), strict=True))
        equations = [[1.0 if c[0] == a else 0.0 for c in cells] for a in range(present.shape[0])]
        equations += [[1.0 if c[1] == s else 0.0 for c in cells] for s in range(present.shape[1])]
        rank = np.linalg.matrix_rank(np.array(equations)) if cells else 0
        assert _free_groups(present) == len(cells) - rank


def _standardised_cell(framework: Framework, rows: list[Row]) -> str:
    table = table_of(rows)
    cube = build_cube(table)
    profile = trust_profiles(table, cube, results(cube))["T1"]
    practices = _table(trust_report(framework, profile, threshold=5).tables(), "trust-practices")
    overall = next(r for r in practices.rows if r[0].value == "overall")
    assert overall[practices.columns.index("This trust")].text != "withheld"
    place = overall[practices.columns.index("Place among trusts")].text
    shown = overall[practices.columns.index("Standardised")].text
    assert (place == "withheld") == (shown == "withheld")
    return shown


def _group(sector: str, audience: str, score: int) -> list[Row]:
    return [Row("T1", f"{sector}-{audience}-{i}", sector, audience, q, str(score)) for i in range(3) for q in MA[:2]]


def test_the_standardised_mean_is_shown_only_where_it_cannot_pin_a_group(framework: Framework) -> None:
    # One sector, both audiences: the raw and standardised means together give away both groups' means, each
    # resting on three people. Three sectors, one of them with leaders only: still pinned. Both audiences in three
    # sectors: the groups can move two ways with every total fixed, and the standardised mean is shown.
    others = people("T2", [3], 10)
    both = ("leader_manager", "front_line")
    one = [r for a, score in zip(both, (4, 2), strict=True) for r in _group("health", a, score)]
    assert _standardised_cell(framework, one + others) == "withheld"
    sectors = ("health", "education", "youth")
    partial = [r for s in sectors for a in both if (s, a) != ("youth", "front_line") for r in _group(s, a, 3)]
    assert _standardised_cell(framework, partial + others) == "withheld"
    full = [r for s in sectors for a, score in zip(both, (4, 2), strict=True) for r in _group(s, a, score)]
    assert _standardised_cell(framework, full + others) != "withheld"


def test_a_trusts_stage_intervals_equal_statsmodels_clustered_by_its_respondents(framework: Framework) -> None:
    # Only the audiences a stage is meant for count in it, as in the stage means.
    answers = round_table(framework, trusts=4, seed=9, scale=0.5).answers
    table = table_of([Row(*(str(v) for v in row)) for row in answers.select(Row._fields).iter_rows()])
    cube = build_cube(table)
    profiles = trust_profiles(table, cube, results(cube))
    stage_of = {q.id: q.stage for q in framework.questions}
    meant = {s.id: s.audiences for s in framework.stages}
    scores = {a.code: a.score for a in framework.scale if a.score is not None}
    rows = [Row(*(str(v) for v in row)) for row in answers.select(Row._fields).iter_rows()]
    checked = 0
    for trust, profile in profiles.items():
        for stage in framework.stage_ids:
            chosen = [
                r
                for r in rows
                if r.trust == trust
                and stage_of[r.question] == stage
                and r.audience in meant[stage]
                and r.answer in scores
            ]
            found = profile["stages"][stage]["ci95"]
            if len({r.respondent for r in chosen}) < 2:
                assert found is None
                continue
            fitted = cluster_fit([float(scores[r.answer]) for r in chosen], [r.respondent for r in chosen])
            assert found == pytest.approx(fitted["ci95"], rel=1e-9)
            checked += 1
    assert checked >= 4 * len(framework.stages) - 2
