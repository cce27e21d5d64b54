"""The national report: its numbers are the results JSON's, its sentences follow the data, its files open."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.analysis import analyse
from selfassess.framework import Framework
from selfassess.reports import Written
from selfassess.reports.document import Report
from selfassess.reports.national import national_report
from tests.conftest import round_table


def _report(framework: Framework, results: dict[str, Any]) -> Report:
    return national_report(framework, results)


def test_results_json_is_the_analysis(written: Written) -> None:
    assert json.loads(written.files["results"].read_text()) == json.loads(json.dumps(written.results))


def test_response_tables_carry_the_results_exactly(framework: Framework, written: Written) -> None:
    report = _report(framework, written.results)
    tables = {t.id: t for t in report.tables()}
    for number, scope in enumerate(framework.scopes, start=3):
        table = tables[f"table-{number}.2"]
        responses = written.results["scopes"][scope]["responses"]
        for row in table.rows:
            key = row[0].value
            if key in framework.answer_codes or key in ("total", "scored"):
                assert [c.value for c in row[1:4]] == [
                    responses[g][key] for g in ("leader_manager", "front_line", "all")
                ]
            if key == "mean":
                assert [c.value for c in row[1:4]] == [
                    responses[g]["mean"] for g in ("leader_manager", "front_line", "all")
                ]
        # Large counts are shown to the nearest 1,000, and the table says so; smaller ones exactly.
        total = responses["all"]["total"]
        shown = next(r for r in table.rows if r[0].value == "total")[3].text
        if total >= 10_000:
            assert shown == f"{round(total, -3):,}" and table.notes
        else:
            assert shown == f"{total:,}" and not table.notes


def test_small_data_sets_are_shown_exactly(framework: Framework) -> None:
    results = analyse(round_table(framework, trusts=2, seed=1, scale=0.2))
    table = next(t for t in _report(framework, results).tables() if t.id == "table-3.2")
    total = results["scopes"]["overall"]["responses"]["all"]["total"]
    assert total < 10_000
    assert next(r for r in table.rows if r[0].value == "total")[3].text == f"{total:,}"
    assert not table.notes


def test_band_tables_and_chart_numbers_equal_the_results(framework: Framework, written: Written) -> None:
    report = _report(framework, written.results)
    tables = {t.id: t for t in report.tables()}
    bands = [b.id for b in framework.bands] + ["at_or_above_midpoint"]
    for number, scope in enumerate(framework.scopes, start=3):
        row = tables[f"table-{number}.1"].rows[0]
        assert [c.value for c in row[1:]] == [written.results["scopes"][scope]["trust_bands"][b] for b in bands]
    summary = tables["table-1-2"]
    assert [r[0].value for r in summary.rows] == [*framework.practice_ids, "overall"]
    charts = {c.id: c for c in report.charts()}
    overall = written.results["scopes"]["overall"]
    stages = charts["graph-3.3"].data
    assert [c.value for c in stages.column("Leaders and managers")] == [
        overall["stage_means"]["leader_manager"][s] for s in framework.stage_ids
    ]
    assert [c.value for c in stages.column("Front line staff")] == [
        overall["stage_means"]["front_line"][s] for s in framework.stage_ids
    ]
    ma = written.results["scopes"]["multi_agency"]["sector_means"]
    assert [c.value for c in charts["graph-4.4"].data.column("All")] == [ma["all"][s] for s in framework.sector_ids]
    for chart in report.charts():
        assert chart.svg.startswith("<svg") and 'role="img"' in chart.svg and chart.caption
        assert chart.data.rows


def _interval_of(table: Any, title: str) -> list[list[float] | None]:
    """The 95% intervals a table shows beside the column `title`, row by row (None where it shows none)."""
    low, high = table.column(f"{title}: 95% from"), table.column(f"{title}: 95% to")
    return [None if a.value is None else [a.value, b.value] for a, b in zip(low, high, strict=True)]


def test_every_interval_the_report_shows_is_the_results_json(framework: Framework, written: Written) -> None:
    results = written.results
    report = _report(framework, results)
    tables, charts = {t.id: t for t in report.tables()}, {c.id: c for c in report.charts()}
    groups = {a.title: a.id for a in framework.audiences} | {"All": "all"}
    for number, scope in enumerate(framework.scopes, start=3):
        stats = results["scopes"][scope]
        for title, group in groups.items():
            assert _interval_of(charts[f"graph-{number}.3"].data, title) == [
                stats["stage_ci95"][group][s] for s in framework.stage_ids
            ]
            sector_graph = f"graph-{number}.5" if scope == "overall" else f"graph-{number}.4"
            assert _interval_of(charts[sector_graph].data, title) == [
                stats["sector_ci95"][group][s] for s in framework.sector_ids
            ]
        rows = {r[0].value: r for r in tables[f"table-{number}.2"].rows}
        assert [[rows["ci95_0"][i].value, rows["ci95_1"][i].value] for i in (1, 2, 3)] == [
            stats["responses"][g]["ci95"] for g in ("leader_manager", "front_line", "all")
        ]
    for title, group in groups.items():
        assert _interval_of(charts["graph-3.4"].data, title) == [
            results["scopes"][p]["responses"][group]["ci95"] for p in framework.practice_ids
        ]
    for practice in framework.practices:
        appendix = tables[f"table-a-{practice.id}"]
        assert _interval_of(appendix, "Mean, all") == [
            results["questions"][q.id]["responses"]["all"]["ci95"] for q in practice.questions
        ]
    # The charts draw them: a whisker per interval on the spider diagram, error bars on the bar charts.
    drawn = sum(
        1
        for a in framework.audience_ids
        for s in framework.stage_ids
        if results["scopes"]["overall"]["stage_ci95"][a][s]
    )
    assert charts["graph-3.3"].svg.count('class="interval"') == drawn
    for graph in ("graph-3.4", "graph-3.5"):
        assert charts[graph].svg.count("LineCollection") >= len(framework.audiences)  # one set of bars each
    assert "LineCollection" not in charts["graph-3.7"].svg  # the distribution has no intervals


def test_the_methods_section_gives_the_results_design_effects_and_alphas(
    framework: Framework, written: Written
) -> None:
    results = written.results
    report = _report(framework, results)
    table = next(t for t in report.tables() if t.id == "table-2-1")
    rows = {r[0].value: r for r in table.rows}
    for scope in framework.scopes:
        stats = results["scopes"][scope]
        row = rows[scope]
        assert row[table.columns.index("Design effect")].value == stats["design_effect"]
        assert row[table.columns.index("Cronbach's alpha")].value == stats["alpha"]
        assert row[table.columns.index("Intraclass correlation")].value == stats["icc"]
        assert row[table.columns.index("Respondents behind alpha")].value == stats["alpha_n"]
    methods = next(s for s in report.sections[1].subsections if s.id == "how-sure")
    text = " ".join(methods.paragraphs())
    assert f"for all questions together it is {results['scopes']['overall']['design_effect']:.1f}" in text
    for practice in framework.practices:
        alpha = results["scopes"][practice.id]["alpha"]
        if alpha is not None:
            assert f"{practice.title.lower()} ({alpha:.2f})" in text


def test_notable_findings_say_which_are_clear(framework: Framework, written: Written) -> None:
    results = written.results
    report = _report(framework, results)
    table = next(t for t in report.tables() if t.id.endswith("-1") and t.title.startswith("Table 9.1"))
    for row in table.rows:
        notable = results["scopes"][row[0].value]["notable"]
        for column, key in ((1, "sectors_above"), (2, "sectors_below"), (3, "stages_above"), (4, "stages_below")):
            assert row[column].text.count("(clear)") == len(notable["clear"][key])
            assert set(notable["clear"][key]) <= set(notable[key])


def test_spider_diagrams_leave_out_front_line_answers_to_leader_stages(framework: Framework, written: Written) -> None:
    chart = next(c for c in _report(framework, written.results).charts() if c.id == "graph-3.3")
    front_line = chart.data.columns.index("Front line staff")
    assert [r[front_line].text for r in chart.data.rows if r[0].value in ("A", "H")] == ["–", "–"]
    assert "leave out the answers of front line staff at the defined and continually improved stages" in chart.caption


def test_the_chapters_of_2009(framework: Framework, written: Written) -> None:
    titles = [s.title for s in _report(framework, written.results).sections]
    assert titles[:3] == ["1. Executive summary", "2. Background and method", "3. Overall findings"]
    assert titles[3:8] == [f"{n}. Findings by practice – {p.title}" for n, p in enumerate(framework.practices, start=4)]
    # The test round has benchmark groups, which add a chapter after 2009's own.
    assert titles[8:] == ["9. Conclusion", "10. By region", "Appendix: results by question"]


def test_findings_change_with_the_data(framework: Framework) -> None:
    low = analyse(round_table(framework, trusts=6, seed=1))
    high = analyse(round_table(framework, trusts=9, seed=2, scale=1.4))
    a, b = _report(framework, low).paragraphs(), _report(framework, high).paragraphs()
    assert a != b
    first = next(p for p in a if "had a mean score at or above the midpoint" in p)
    n = sum(1 for m in low["scopes"]["overall"]["trust_means"].values() if m is not None)
    at = low["scopes"]["overall"]["trust_bands"]["at_or_above_midpoint"]
    assert first.startswith(f"{at} of {n} Children's Trusts ({round(100 * at / n)} per cent)")
    mean = low["scopes"]["overall"]["responses"]["all"]["mean"]
    assert any(p.startswith(f"The mean score was {mean:.2f}.") for p in a)


def test_html_is_one_self_contained_page(written: Written) -> None:
    page = written.files["html"].read_text()
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert page.count("<svg") >= 20
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "every id on the page is unique"

    class Headings(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.levels: list[int] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if re.fullmatch(r"h[1-6]", tag):
                self.levels.append(int(tag[1]))

    parser = Headings()
    parser.feed(page)
    assert parser.levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(parser.levels, parser.levels[1:], strict=False)), "no heading level skipped"


def test_pdf_has_the_report_with_page_numbers(written: Written) -> None:
    reader = PdfReader(written.files["pdf"])
    pages = len(reader.pages)
    assert 30 < pages < 120
    first = reader.pages[0].extract_text()
    assert "national report" in first and "Contents" in first and "Page 1 of" in first
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Table 3.1" in text and "Table 9.1" in text and "Graph 3.3" in text
    overall = written.results["scopes"]["overall"]["responses"]["all"]["mean"]
    assert f"The mean score was {overall:.2f}." in text.replace("\n", " ")


def test_workbook_has_a_sheet_per_table_with_unrounded_numbers(framework: Framework, written: Written) -> None:
    book = load_workbook(written.files["xlsx"], read_only=True)
    assert book.sheetnames[0] == "Notes"
    report = _report(framework, written.results)
    assert len(book.sheetnames) == len(report.tables()) + 1
    sheet = book["Table 3.2"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Table 3.2")
    total = next(r for r in rows if r[0] == "Total responses")
    everyone = written.results["scopes"]["overall"]["responses"]
    assert total[1:4] == (
        everyone["leader_manager"]["total"],
        everyone["front_line"]["total"],
        everyone["all"]["total"],
    )
    mean = next(r for r in rows if r[0] == "Mean point score")
    assert mean[3] == pytest.approx(everyone["all"]["mean"], abs=0)  # unrounded
