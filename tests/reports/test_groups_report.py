"""Benchmark groups in the national report and its workbook: the figures are the results JSON's, a group below
its minimum shows nothing but its size, and `report --groups` carries them through; the synthetic regions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from openpyxl import load_workbook

from selfassess.analysis import build_cube, results
from selfassess.analysis.groups import group_results
from selfassess.framework import Framework
from selfassess.reports.national import national_report
from selfassess.responses import write_long_csv
from selfassess.synth import simple_round
from selfassess.synth.regions import regions
from tests.conftest import round_table, run_cli


def test_the_group_chapter_gives_the_results_figures_and_withholds_small_groups(framework: Framework) -> None:
    table = round_table(framework, trusts=9, seed=4)
    cube = build_cube(table)
    found = results(cube)
    groups = {t: ("Big" if i < 7 else "Pair") for i, t in enumerate(cube.trusts)}
    found["groups"] = group_results(cube, found, groups, "region")
    report = national_report(framework, found)
    chapter = next(s for s in report.sections if s.title.endswith("By region"))
    table1 = next(t for t in chapter.tables() if t.title.endswith("Mean score by region"))
    rows = {r[0].value: r for r in table1.rows}
    big = found["groups"]["of"]["Big"]["scopes"]["overall"]
    assert rows["Big"][1].value == 7 and rows["Big"][2].value == big["responses"]["all"]["mean"]
    assert [c.value for c in rows["Big"][5:8]] == [big["trust_means"][k] for k in ("best", "median", "lowest")]
    assert rows["Pair"][1].value == 2 and {c.text for c in rows["Pair"][2:]} == {"withheld"}
    table2 = next(t for t in chapter.tables() if "by practice" in t.title)
    assert {c.text for c in next(r for r in table2.rows if r[0].value == "Pair")[1:]} == {"withheld"}


def test_report_with_groups_writes_them_to_the_json_the_report_and_the_workbook(
    framework: Framework, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.csv"
    write_long_csv(simple_round(framework, trusts=12, seed=2), answers)
    trusts = [f"T{i:03d}" for i in range(1, 13)]
    groups = tmp_path / "groups.csv"
    groups.write_text("trust,group\n" + "".join(f"{t},{'North' if i % 2 else 'South'}\n" for i, t in enumerate(trusts)))
    out = tmp_path / "out"
    done = run_cli("report", str(answers), "--groups", str(groups), "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = (out / "national-report.html").read_text(encoding="utf-8")
    assert "Mean score by group" in page
    book = load_workbook(out / "national-tables.xlsx", read_only=True)
    titles = [sheet.title for sheet in book.worksheets]
    assert any("by group" in str(sheet.cell(1, 1).value) for sheet in book.worksheets), titles


def test_synthetic_regions_are_nine_of_unequal_size() -> None:
    sizes = Counter(regions([f"T{i:03d}" for i in range(150)]).values())
    assert len(sizes) == 9 and sum(sizes.values()) == 150 and len(set(sizes.values())) > 5
    assert min(sizes.values()) >= 3  # every region is shown
    assert Counter(regions(["A", "B"]).values()).total() == 2
