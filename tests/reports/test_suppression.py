"""Small cells are withheld, and no withheld figure can be worked out from what is shown."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.analysis import build_cube, results
from selfassess.analysis.groups import group_results
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import Framework
from selfassess.reports import Written
from selfassess.reports.suppression import suppress
from selfassess.reports.trust import trust_report
from tests.analysis.naive import Row
from tests.analysis.test_properties import FRAMEWORK, table_of
from tests.conftest import round_table

ROWS, COLUMNS = ["a", "b", "c", "all"], ["x", "y", "all"]


def grid_lines() -> list[list[tuple[str, str]]]:
    lines = [[(r, c) for c in COLUMNS] for r in ROWS]
    lines += [[(r, c) for r in ROWS] for c in COLUMNS]
    return lines


def determined(hidden: set[Any], lines: list[list[Any]], known_zero: set[Any]) -> set[Any]:
    """Hidden cells an attacker can solve for exactly from the line sums (shown totals, shown parts).

    Each line says: total - sum(parts) = 0. Shown cells are known numbers; hidden cells are unknowns. A hidden
    cell is determined when its unit vector lies in the row space of the system restricted to the unknowns.
    """
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {c: i for i, c in enumerate(unknowns)}
    matrix = []
    for line in lines:
        row = np.zeros(len(unknowns))
        for k, cell in enumerate(line):
            if cell in index:
                row[index[cell]] = 1 if k == len(line) - 1 else -1
        if row.any():
            matrix.append(row)
    if not matrix:
        return set()
    a = np.array(matrix)
    rank = np.linalg.matrix_rank(a)
    found = set()
    for cell, i in index.items():
        unit = np.zeros(len(unknowns))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(cell)
    return found - known_zero


def test_a_small_cell_and_its_complement_are_withheld() -> None:
    respondents = {
        ("a", "x"): 3,
        ("a", "y"): 9,
        ("a", "all"): 12,
        ("b", "x"): 8,
        ("b", "y"): 7,
        ("b", "all"): 15,
        ("c", "x"): 6,
        ("c", "y"): 6,
        ("c", "all"): 12,
        ("all", "x"): 17,
        ("all", "y"): 22,
        ("all", "all"): 39,
    }
    hidden = suppress(respondents, grid_lines(), threshold=5)
    assert ("a", "x") in hidden
    assert ("a", "y") in hidden  # else a's total minus y gives x
    assert len(hidden & {("b", "x"), ("c", "x")}) >= 1  # else column x's total minus the others gives it
    assert determined(hidden, grid_lines(), set()) == set()


def test_nothing_is_withheld_when_every_cell_is_large_enough() -> None:
    respondents = {(r, c): 10 for r in ROWS for c in COLUMNS}
    assert suppress(respondents, grid_lines(), threshold=5) == set()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=6, max_size=6), st.integers(2, 8))
def test_no_withheld_cell_can_be_worked_out(parts: list[int], threshold: int) -> None:
    """Random tables of respondents (rows a-c by columns x-y, with totals): an attacker with linear algebra
    over every row and column sum cannot solve for any withheld cell."""
    grid = {(r, c): parts[i * 2 + j] for i, r in enumerate(ROWS[:3]) for j, c in enumerate(COLUMNS[:2])}
    for r in ROWS[:3]:
        grid[(r, "all")] = grid[(r, "x")] + grid[(r, "y")]
    for c in COLUMNS:
        grid[("all", c)] = sum(grid[(r, c)] for r in ROWS[:3])
    hidden = suppress(grid, grid_lines(), threshold)
    assert {cell for cell, n in grid.items() if 0 < n < threshold} <= hidden
    empty = {cell for cell, n in grid.items() if n == 0}  # known to hold nothing: not a secret
    assert determined(hidden, grid_lines(), empty) == set()


def test_trust_reports_never_show_a_withheld_figure(framework: Framework, written: Written) -> None:
    """Read back every trust page: each 'withheld' cell's real value appears nowhere in the sector table."""
    table = round_table(framework, trusts=24, seed=3)
    cube = build_cube(table)
    profiles = trust_profiles(table, cube, results(cube))
    for trust, path in written.trust_files.items():
        page = Path(path).read_text()
        sector_table = page[page.index('id="trust-sectors"') : page.index("</table>", page.index('id="trust-sectors"'))]
        profile = profiles[trust]["sectors"]
        shown = re.findall(r"<td[^>]*>([^<]*)", sector_table)
        cells = [(s, g) for s in [*framework.sector_ids, "all"] for g in [*framework.audience_ids, "all"]]
        assert len(shown) == len(cells)
        for (sector, group), text in zip(cells, shown, strict=True):
            real = profile[sector][group]
            if text == "withheld":
                assert real["mean"] is not None
            else:
                assert real["respondents"] >= 5 or real["mean"] is None
                assert text == ("–" if real["mean"] is None else f"{real['mean']:.2f}")


def test_a_lower_threshold_shows_more(framework: Framework) -> None:
    table = round_table(framework, trusts=3, seed=4)
    cube = build_cube(table)
    profile = next(iter(trust_profiles(table, cube, results(cube)).values()))

    def withheld(threshold: int) -> int:
        report = trust_report(framework, profile, threshold=threshold)
        return sum(1 for t in report.tables() for row in t.rows for cell in row if cell.flag == "suppressed")

    assert withheld(5) > withheld(2) >= withheld(1) == 0


# --- the trust report and the national figures its coordinator sees with it -------------------------------


def _profile(
    framework: Framework, rows: list[Row], trust: str, groups: dict[str, str] | None = None, min_trusts: int = 3
) -> dict[str, Any]:
    table = table_of(rows)
    cube = build_cube(table)
    found = results(cube)
    if groups is not None:
        found["groups"] = group_results(cube, found, groups, "region", min_trusts)
    return trust_profiles(table, cube, found)[trust]


def _figures(report: Any) -> dict[tuple[str, ...], str]:
    """Every figure a trust report shows or withholds, by the same keys the attacker below uses."""
    tables = {t.id: t for t in report.tables()}
    out: dict[tuple[str, ...], str] = {}
    for table, kind in ((tables["trust-practices"], "scope"), (tables["trust-stages"], "stage")):
        mine, national = table.columns.index("This trust"), table.columns.index("National")
        for row in table.rows:
            out[("trust", kind, row[0].value)] = row[mine].text
            out[("national", kind, row[0].value)] = row[national].text
    for table in (t for id, t in tables.items() if id.startswith("trust-questions-")):
        mine, national = table.columns.index("This trust"), table.columns.index("National")
        for row in table.rows:
            out[("trust", "question", row[0].value)] = row[mine].text
            out[("national", "question", row[0].value)] = row[national].text
    if "trust-group" in tables:  # the group's mean, best and lowest, practice by practice and stage by stage
        table = tables["trust-group"]
        for row in table.rows:
            kind = "scope" if row[0].value in FRAMEWORK.scopes else "stage"
            for column, whose in (("Group", "group"), ("Group best", "group best"), ("Group lowest", "group lowest")):
                out[(whose, kind, row[0].value)] = row[table.columns.index(column)].text
        for table in (t for id, t in tables.items() if id.startswith("trust-questions-")):
            for row in table.rows:
                out[("group", "question", row[0].value)] = row[table.columns.index("Group")].text
    groups = [*FRAMEWORK.audience_ids, "all"]
    for row in tables["trust-sectors"].rows:
        for group, cell in zip(groups, row[1:], strict=True):
            key = (
                ("trust", "scope", "overall")
                if row[0].value == group == "all"
                else ("trust", "sector", row[0].value, group)
            )
            out[key] = cell.text
    return out


def _naive_respondents(rows: list[Row], trust: str, groups: dict[str, str]) -> dict[tuple[str, ...], int]:
    """Distinct respondents with a scored answer behind each figure, counted row by row from the answers."""
    practice_of = {q.id: q.practice for q in FRAMEWORK.questions}
    stage_of = {q.id: q.stage for q in FRAMEWORK.questions}
    scored = [r for r in rows if r.answer not in ("NA", "DK")]

    def count(keep: Any) -> int:
        return len({(r.trust, r.respondent) for r in scored if keep(r)})

    out: dict[tuple[str, ...], int] = {}
    for scope in FRAMEWORK.scopes:

        def in_scope(r: Row, scope: str = scope) -> bool:
            return scope == "overall" or practice_of[r.question] == scope

        out[("trust", "scope", scope)] = count(lambda r: in_scope(r) and r.trust == trust)
        out[("national", "scope", scope)] = count(in_scope)
    for stage in FRAMEWORK.stages:

        def at_stage(r: Row, stage: Any = stage) -> bool:
            return stage_of[r.question] == stage.id and r.audience in stage.audiences

        out[("trust", "stage", stage.id)] = count(lambda r: at_stage(r) and r.trust == trust)
        out[("national", "stage", stage.id)] = count(at_stage)

    for question in FRAMEWORK.question_ids:
        out[("trust", "question", question)] = count(lambda r, q=question: r.question == q and r.trust == trust)
        out[("national", "question", question)] = count(lambda r, q=question: r.question == q)

    def outside(r: Row) -> bool:  # an answer at a stage not meant for the respondent's audience
        return r.audience not in FRAMEWORK.stage(stage_of[r.question]).audiences

    out[("trust", "outside")] = count(lambda r: outside(r) and r.trust == trust)
    out[("national", "outside")] = count(outside)
    for sector in [*FRAMEWORK.sector_ids, "all"]:
        for group in [*FRAMEWORK.audience_ids, "all"]:
            if sector == group == "all":
                continue
            out[("trust", "sector", sector, group)] = count(
                lambda r, s=sector, g=group: r.trust == trust and s in ("all", r.sector) and g in ("all", r.audience)
            )
    for key in [k for k in out if k[0] == "national"]:
        out[("rest", *key[1:])] = out[key] - out[("trust", *key[1:])]
    if trust in groups:
        out |= _naive_group_respondents(rows, trust, groups, count)
    return out


def _figure_keys() -> list[tuple[tuple[str, ...], Any]]:
    """Each practice, stage and question (and the answers outside their stages), with which answers it holds."""
    practice_of = {q.id: q.practice for q in FRAMEWORK.questions}
    stage_of = {q.id: q.stage for q in FRAMEWORK.questions}
    keys: list[tuple[tuple[str, ...], Any]] = []
    for scope in FRAMEWORK.scopes:
        keys.append((("scope", scope), lambda r, s=scope: s == "overall" or practice_of[r.question] == s))
    for stage in FRAMEWORK.stages:
        keys.append(
            (("stage", stage.id), lambda r, s=stage: stage_of[r.question] == s.id and r.audience in s.audiences)
        )
    for question in FRAMEWORK.question_ids:
        keys.append((("question", question), lambda r, q=question: r.question == q))
    keys.append((("outside",), lambda r: r.audience not in FRAMEWORK.stage(stage_of[r.question]).audiences))
    return keys


def _naive_group_respondents(
    rows: list[Row], trust: str, groups: dict[str, str], count: Any
) -> dict[tuple[str, ...], int]:
    """The group's cells: the group, the rest of it, the country outside it, each other member trust, and the
    group's best and lowest means (each the mean of one trust: this one where it shares it, else the first by
    code; the attacker is taken to know which)."""
    members = sorted({r.trust for r in rows if groups.get(r.trust) == groups[trust]})
    out: dict[tuple[str, ...], int] = {}
    for key, holds in _figure_keys():
        group = count(lambda r, h=holds: h(r) and r.trust in members)
        out[("group", *key)] = group
        out[("group rest", *key)] = group - count(lambda r, h=holds: h(r) and r.trust == trust)
        out[("beyond", *key)] = count(holds) - group
        if key[0] in ("scope", "stage", "outside"):
            for member in members:
                out[("member", member, *key)] = count(lambda r, h=holds, m=member: h(r) and r.trust == m)
        if key[0] in ("scope", "stage"):
            found = {m: _naive_mean(rows, m, holds) for m in members}
            means = {m: v for m, v in found.items() if v is not None}
            with_mean = sorted(means, key=lambda m: (m != trust, m))
            for end, pick in (("group best", max), ("group lowest", min)):
                if with_mean:
                    holder = pick(with_mean, key=lambda m: means[m])
                    out[(end, *key)] = out[("member", holder, *key)]
                    out[("holder", end, *key)] = holder  # type: ignore[assignment]
    return out


def _naive_mean(rows: list[Row], trust: str, holds: Any) -> Fraction | None:
    scores = [int(r.answer) for r in rows if r.trust == trust and r.answer not in ("NA", "DK") and holds(r)]
    return Fraction(sum(scores), len(scores)) if scores else None


def _attacker_lines() -> list[list[tuple[str, ...]]]:
    """What a coordinator can add up: national = this trust + the rest of the country (every scope, stage and
    question); a practice = its questions; overall = the practices, and overall = the stages plus the answers
    given at stages not meant for the respondent's audience (for each of the three); the sector table's rows and
    columns."""
    lines: list[list[tuple[str, ...]]] = []
    for kind, ids in (("scope", FRAMEWORK.scopes), ("stage", FRAMEWORK.stage_ids)):
        lines += [[("trust", kind, i), ("rest", kind, i), ("national", kind, i)] for i in ids]
    lines.append([("trust", "outside"), ("rest", "outside"), ("national", "outside")])
    lines += [
        [("trust", "question", q), ("rest", "question", q), ("national", "question", q)] for q in FRAMEWORK.question_ids
    ]
    for whose in ("trust", "rest", "national"):
        lines.append([*((whose, "scope", p) for p in FRAMEWORK.practice_ids), (whose, "scope", "overall")])
        for practice in FRAMEWORK.practices:  # a practice's answers are its questions' answers
            lines.append([*((whose, "question", q.id) for q in practice.questions), (whose, "scope", practice.id)])
        stages = [(whose, "stage", s) for s in FRAMEWORK.stage_ids]
        lines.append([*stages, (whose, "outside"), (whose, "scope", "overall")])
    sectors, groups = [*FRAMEWORK.sector_ids, "all"], [*FRAMEWORK.audience_ids, "all"]

    def cell(s: str, g: str) -> tuple[str, ...]:
        return ("trust", "scope", "overall") if s == g == "all" else ("trust", "sector", s, g)

    lines += [[cell(s, g) for g in groups] for s in sectors]
    lines += [[cell(s, g) for s in sectors] for g in groups]
    return lines


def _attacker_group_lines(respondents: dict[tuple[str, ...], Any]) -> list[list[tuple[str, ...]]]:
    """With a benchmark group: group = this trust + the rest of the group and national = group + the country
    outside it, for every figure; the rest of the group = its other trusts, for practices and stages; the group's
    best and lowest = their holders' means; and the same sums within the group, its rest, the outside and each
    member as within this trust."""
    if not any(k[0] == "group" for k in respondents):
        return []
    lines: list[list[tuple[str, ...]]] = []
    members = sorted({k[1] for k in respondents if k[0] == "member"} - {None})
    for key, _ in _figure_keys():
        lines.append([("trust", *key), ("group rest", *key), ("group", *key)])
        lines.append([("group", *key), ("beyond", *key), ("national", *key)])
        if key[0] in ("scope", "stage"):
            others = [
                ("member", m, *key) for m in members if ("member", m, *key) in respondents and m != _me(respondents)
            ]
            lines.append([*others, ("group rest", *key)])
            for end in ("group best", "group lowest"):
                holder = respondents.get(("holder", end, *key))
                if holder is not None:
                    held = ("trust", *key) if holder == _me(respondents) else ("member", holder, *key)
                    lines.append([held, (end, *key)])

    def adding_up(prefix: tuple[str, ...], questions: bool) -> None:
        lines.append([*((*prefix, "scope", p) for p in FRAMEWORK.practice_ids), (*prefix, "scope", "overall")])
        stages = [(*prefix, "stage", s) for s in FRAMEWORK.stage_ids]
        lines.append([*stages, (*prefix, "outside"), (*prefix, "scope", "overall")])
        if questions:
            for practice in FRAMEWORK.practices:
                lines.append(
                    [*((*prefix, "question", q.id) for q in practice.questions), (*prefix, "scope", practice.id)]
                )

    for whose in ("group", "group rest", "beyond"):
        adding_up((whose,), True)
    for member in members:
        if member != _me(respondents):
            adding_up(("member", member), False)
    return lines


def _me(respondents: dict[tuple[str, ...], Any]) -> str:
    return str(respondents[("me",)])


# A few questions in two practices and at both leaders-only stages, so scopes, stages and sectors all vary.
ASKED = ["Q1", "Q2", "Q3", "Q13", "Q14", "Q15", "Q24"]


@st.composite
def small_rounds(draw: st.DrawFn) -> tuple[list[Row], dict[str, str] | None, int]:
    """A few trusts' answers, each trust in one of two benchmark groups or none (or no groups asked for), and the
    fewest trusts with a mean a group needs to be shown (below 3 only for checking, as here)."""
    rows = []
    trusts = draw(st.integers(1, 4))
    for t in range(trusts):
        for r in range(draw(st.integers(1, 9))):
            sector = draw(st.sampled_from(FRAMEWORK.sector_ids[:3]))
            audience = draw(st.sampled_from(FRAMEWORK.audience_ids))
            for question in draw(st.lists(st.sampled_from(ASKED), min_size=1, max_size=4, unique=True)):
                rows.append(
                    Row(f"T{t}", f"R{r}", sector, audience, question, draw(st.sampled_from(["2", "3", "4", "NA"])))
                )
    groups = None
    if draw(st.booleans()) or draw(st.booleans()):
        placed = draw(st.lists(st.sampled_from(["G1", "G2", ""]), min_size=trusts, max_size=trusts))
        groups = {f"T{t}": g for t, g in enumerate(placed) if g}
    return rows, groups, draw(st.integers(1, 3))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_rounds(), st.integers(2, 6))
def test_no_figure_a_coordinator_sees_can_be_worked_back_to_fewer_than_the_threshold(
    drawn: tuple[list[Row], dict[str, str] | None, int], threshold: int
) -> None:
    """Each trust's report with the national and group figures beside it: every figure shown rests on at least
    the threshold, and an attacker with linear algebra over every sum that ties them (the rest of the country, the
    rest of the group and each other trust of the group included, which no report shows) cannot solve for a
    withheld figure or a small unseen one."""
    rows, groups, min_trusts = drawn
    for trust in sorted({r.trust for r in rows}):
        profile = _profile(FRAMEWORK, rows, trust, groups, min_trusts)
        shown = _figures(trust_report(FRAMEWORK, profile, threshold=threshold))
        respondents: dict[tuple[str, ...], Any] = _naive_respondents(rows, trust, groups or {})
        lines = _attacker_lines() + _attacker_group_lines({**respondents, ("me",): trust})
        for key in [k for k in respondents if k[0] == "holder"]:
            del respondents[key]
        for key, text in shown.items():
            if text == "none responded":  # says only that nobody answered there, which the attacker knows anyway
                assert respondents[key] == 0, (trust, key, respondents[key])
            elif text not in ("withheld", "–"):
                assert respondents[key] >= threshold, (trust, key, text, respondents[key])
        withheld = {k for k, text in shown.items() if text == "withheld"}
        unseen = {k for k in respondents if k[0] in ("rest", "group rest", "beyond", "member") or "outside" in k}
        empty = {k for k, n in respondents.items() if n == 0}
        # The group's best and lowest are another trust's mean under another name: that trust's cell is protected.
        protect = {k for k in withheld if k[0] not in ("group best", "group lowest")}
        protect |= {k for k in unseen if 0 < respondents[k] < threshold}
        solved = determined((withheld | unseen) - empty, lines, empty)
        assert not solved & protect, (trust, sorted(solved & protect))


def test_one_person_in_the_country_is_not_shown_as_the_national_picture(framework: Framework) -> None:
    """The case that leaked: one person submitted nationally; the national column was exactly their means."""
    rows = [Row("T1", "R1", "health", "leader_manager", q, a) for q, a in zip(ASKED, "3423432", strict=True)]
    report = trust_report(framework, _profile(framework, rows, "T1"), threshold=5)
    figures = _figures(report)
    assert {text for key, text in figures.items() if key[0] == "national"} <= {"withheld", "–"}
    assert figures[("national", "scope", "overall")] == "withheld"


def test_the_rest_of_the_country_must_clear_the_threshold_too(framework: Framework) -> None:
    big = [Row("T1", f"R{i}", "health", "front_line", q, "3") for i in range(10) for q in ("Q2", "Q3")]
    small = [Row("T2", f"R{i}", "health", "front_line", q, "4") for i in range(2) for q in ("Q2", "Q3")]
    figures = _figures(trust_report(framework, _profile(framework, big + small, "T1"), threshold=5))
    # Shown beside T1's own 3.00, the national mean would give away the two people of T2.
    assert figures[("trust", "scope", "overall")] == "3.00"
    assert figures[("national", "scope", "overall")] == "withheld"
    more = [Row("T2", f"R{i}", "health", "front_line", q, "4") for i in range(5) for q in ("Q2", "Q3")]
    figures = _figures(trust_report(framework, _profile(framework, big + more, "T1"), threshold=5))
    assert figures[("national", "scope", "overall")] == "3.33"
