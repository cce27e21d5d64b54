"""Small cells are withheld, and no withheld figure can be worked out from what is shown."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.analysis import build_cube, results
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import Framework
from selfassess.reports import Written
from selfassess.reports.suppression import suppress
from selfassess.reports.trust import trust_report
from tests.conftest import round_table

ROWS, COLUMNS = ["a", "b", "c", "all"], ["x", "y", "all"]


def grid_lines() -> list[list[tuple[str, str]]]:
    lines = [[(r, c) for c in COLUMNS] for r in ROWS]
    lines += [[(r, c) for r in ROWS] for c in COLUMNS]
    return lines


def determined(
    hidden: set[tuple[str, str]], lines: list[list[tuple[str, str]]], known_zero: set[tuple[str, str]]
) -> set[tuple[str, str]]:
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
