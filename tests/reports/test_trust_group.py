"""The trust report against its benchmark group: every group figure it prints is checked against a naive reading
of the answers (the group's mean, best and lowest trust means and this trust's place, practice by practice, stage
by stage and question by question), and the words for a trust in no group and a group too small to show."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from selfassess.analysis import build_cube, results
from selfassess.analysis.groups import group_results
from selfassess.analysis.trusts import trust_profiles
from selfassess.reports.document import Chart, Report
from selfassess.reports.trust import trust_report
from tests.analysis.naive import Row
from tests.analysis.test_properties import FRAMEWORK, table_of

GROUPS = {"T0": "Coast", "T1": "Coast", "T2": "Coast", "T3": "Hills", "T4": "Hills"}  # T5 is in no group


def _rows(seed: int) -> list[Row]:
    pick = random.Random(seed)
    rows = []
    for t in range(6):
        for r in range(8):
            sector, audience = pick.choice(FRAMEWORK.sector_ids), pick.choice(FRAMEWORK.audience_ids)
            for question in pick.sample(FRAMEWORK.question_ids, 12):
                rows.append(
                    Row(f"T{t}", f"R{r}", sector, audience, question, pick.choice(["1", "2", "3", "4", "5", "NA"]))
                )
    return rows


def _reports(rows: list[Row], min_trusts: int = 3) -> dict[str, Report]:
    table = table_of(rows)
    cube = build_cube(table)
    found = results(cube)
    found["groups"] = group_results(cube, found, GROUPS, "region", min_trusts)
    # A threshold of one: nothing is withheld for too few respondents, so every group figure can be checked.
    return {trust: trust_report(FRAMEWORK, p, threshold=1) for trust, p in trust_profiles(table, cube, found).items()}


def _naive_mean(rows: list[Row], trusts: set[str], holds: Any) -> Fraction | None:
    scores = [int(r.answer) for r in rows if r.trust in trusts and r.answer != "NA" and holds(r)]
    return Fraction(sum(scores), len(scores)) if scores else None


def _holds(kind: str, key: str) -> Any:
    question = {q.id: q for q in FRAMEWORK.questions}
    if kind == "scope":
        return lambda r: key == "overall" or question[r.question].practice == key
    if kind == "stage":
        audiences = FRAMEWORK.stage(key).audiences
        return lambda r: question[r.question].stage == key and r.audience in audiences
    return lambda r: r.question == key


def _text(value: Fraction | None) -> str:
    return "–" if value is None else f"{float(value):.2f}"


def test_every_group_figure_is_the_naive_one() -> None:
    for seed in range(3):
        rows = _rows(seed)
        reports = _reports(rows)
        for trust in ("T0", "T1", "T2"):
            members = {t for t, g in GROUPS.items() if g == GROUPS[trust]}
            tables = {t.id: t for t in reports[trust].tables()}
            table = tables["trust-group"]
            column = {name: i for i, name in enumerate(table.columns)}
            for row in table.rows:
                key = str(row[0].value)
                holds = _holds("scope" if key in FRAMEWORK.scopes else "stage", key)
                means = {t: _naive_mean(rows, {t}, holds) for t in members}
                present = [m for m in means.values() if m is not None]
                mine, group = means[trust], _naive_mean(rows, members, holds)
                assert mine is not None and group is not None
                assert row[column["Group"]].text == _text(group), (seed, trust, key)
                assert row[column["Group best"]].text == _text(max(present)), (seed, trust, key)
                assert row[column["Group lowest"]].text == _text(min(present)), (seed, trust, key)
                place = 1 + len([m for m in present if m > mine])
                assert row[column["Place in group"]].text.startswith(f"{place}"), (seed, trust, key)
                assert row[column["Place in group"]].text.endswith(f" of {len(present)}")
                gap = float(mine) - float(group)
                assert row[column["Difference"]].text == f"{gap:+.2f}"
            for question_table in (t for id, t in tables.items() if id.startswith("trust-questions-")):
                in_group = question_table.columns.index("Group")
                for row in question_table.rows:
                    holds = _holds("question", str(row[0].value))
                    expected = _naive_mean(rows, members, holds)
                    # A question answered in fewer than three of the group's trusts is not shown.
                    answered = len([t for t in members if _naive_mean(rows, {t}, holds) is not None])
                    shown = _text(expected) if answered >= 3 else "withheld"
                    assert row[in_group].text == shown, (seed, row[0].value)


def test_a_group_too_small_to_show_and_a_trust_in_no_group_are_said_so() -> None:
    reports = _reports(_rows(7))
    hills = {t.id: t for t in reports["T3"].tables()}["trust-group"]
    assert {cell.text for row in hills.rows for cell in row[2:]} == {"withheld"}
    words = " ".join(b for b in reports["T3"].sections[0].blocks if isinstance(b, str))
    assert "Fewer than 3 of the group's trusts have a mean score" in words
    alone = next(s for s in reports["T5"].sections if s.id == "group")
    assert alone.blocks == ["This trust is in no benchmark group, so there is no group to compare."]
    assert "trust-group" not in {t.id for t in reports["T5"].tables()}
    # With two trusts enough (for checking only), the pair is shown, and the summary's chart brackets its range.
    shown = _reports(_rows(7), min_trusts=2)["T3"]
    chart = next(b for b in shown.sections[0].blocks if isinstance(b, Chart))
    assert "its group (" in chart.svg and "The bracket beneath spans its group's trusts" in chart.caption


def test_the_group_sentence_at_one_two_and_many() -> None:
    """The summary's sentence on the group, for a group of one, two and three trusts, shown or not."""
    rows = _rows(3)
    for groups, min_trusts, said, then in (
        (
            {"T0": "Solo"},
            1,
            "Solo (region; one trust): the group's mean is ",
            "the only one of them with a mean score.",
        ),
        ({"T0": "Duo", "T1": "Duo"}, 3, "Duo (region; two trusts). Fewer than 3 of", "the fewest for which"),
        ({"T0": "Duo", "T1": "Duo"}, 2, "Duo (region; two trusts): the group's mean is ", " of the two by mean score."),
        (
            {"T0": "Trio", "T1": "Trio", "T2": "Trio"},
            3,
            "Trio (region; three trusts): the group",
            " of the three by mean",
        ),
    ):
        table = table_of(rows)
        cube = build_cube(table)
        found = results(cube)
        found["groups"] = group_results(cube, found, groups, "region", min_trusts)
        report = trust_report(FRAMEWORK, trust_profiles(table, cube, found)["T0"], threshold=1)
        words = " ".join(b for b in report.sections[0].blocks if isinstance(b, str))
        assert f"This trust is in its benchmark group, {said}" in words, words
        assert then in words, words
