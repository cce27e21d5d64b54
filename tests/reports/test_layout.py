"""Every PDF the project writes fits its pages and is a tagged PDF/UA document, and no sentence of the reports
has the shape of a broken one, for each built-in framework and for a third of another shape (random frameworks
are checked in tests/framework/test_random_frameworks.py): the national report, a trust's report and the paper
form, read back character by character."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from selfassess.framework import Framework, builtin_frameworks, load_framework
from selfassess.reports import Written, render, write_reports
from selfassess.reports.paper import paper_form_html
from tests.conftest import round_table, some_groups
from tests.reports.pdf_layout import outside, page_count, sparse_pages, stranded_headings, ua_problems
from tests.reports.sentence_checks import broken

THIRD = Path(__file__).with_name("frameworks") / "third-shape.yaml"
FRAMEWORKS = {path.name: path for path in builtin_frameworks()} | {THIRD.name: THIRD}


@dataclass
class Documents:
    framework: Framework
    pdfs: dict[str, tuple[Path, str, bool]]  # name: the PDF, the HTML it was made from, chapters start pages


def _documents(framework: Framework, written: Written, folder: Path) -> Documents:
    national = written.files["pdf"]
    trust_html = next(iter(written.trust_files.values())).read_text(encoding="utf-8")
    render.write_pdf(folder / "trust.pdf", trust_html)
    paper = paper_form_html(framework, "A unit with a long name, to see that it wraps")
    render.write_pdf(folder / "paper.pdf", paper)
    return Documents(
        framework,
        {
            "national": (national, written.files["html"].read_text(encoding="utf-8"), True),
            "trust": (folder / "trust.pdf", trust_html, False),
            "paper": (folder / "paper.pdf", paper, True),
        },
    )


@pytest.fixture(scope="module", params=sorted(FRAMEWORKS))
def documents(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Documents:
    framework = load_framework(FRAMEWORKS[request.param])
    folder = tmp_path_factory.mktemp("documents")
    table = round_table(framework, trusts=10, seed=5)
    written = write_reports(table, folder / "reports", groups=some_groups(table))
    return _documents(framework, written, folder)


@pytest.mark.parametrize("name", ["national", "trust", "paper"])
def test_nothing_is_drawn_outside_the_printable_area(documents: Documents, name: str) -> None:
    path, _, _ = documents.pdfs[name]
    assert outside(path) == []


@pytest.mark.parametrize("name", ["national", "trust", "paper"])
def test_no_page_is_less_than_a_quarter_used_but_a_chapters_last(documents: Documents, name: str) -> None:
    path, _, chapters = documents.pdfs[name]
    assert sparse_pages(path, chapters) == []


@pytest.mark.parametrize("name", ["national", "trust", "paper"])
def test_every_pdf_is_tagged_pdf_ua(documents: Documents, name: str) -> None:
    path, page, _ = documents.pdfs[name]
    assert ua_problems(path, page) == []


@pytest.mark.parametrize("name", ["national", "trust", "paper"])
def test_a_heading_keeps_with_what_it_heads(documents: Documents, name: str) -> None:
    path, page, _ = documents.pdfs[name]
    assert stranded_headings(path, page) == []


@pytest.mark.parametrize("name", ["national", "trust"])
def test_every_table_header_cell_names_its_column_or_row(documents: Documents, name: str) -> None:
    _, page, _ = documents.pdfs[name]
    headers = re.findall(r"<th\b[^>]*>(.*?)</th>", page, flags=re.S)
    assert headers and all(re.sub(r"<[^>]+>", "", h).strip() for h in headers)


@pytest.mark.parametrize("name", ["national", "trust"])
def test_no_sentence_has_the_shape_of_a_broken_one(documents: Documents, name: str) -> None:
    _, page, _ = documents.pdfs[name]
    assert broken(page, documents.framework) == []


def test_the_trust_report_is_short_and_the_national_report_has_no_lone_pages(documents: Documents) -> None:
    # A trust's report flows from section to section; the national report's chapters start pages, and a chart,
    # its numbers and the text around it share pages: fewer pages than it has charts and tables.
    trust = documents.pdfs["trust"][0]
    reader = PdfReader(trust)
    appendix = next(e for e in reader.outline[1] if not isinstance(e, list) and e.title == "Results by question")
    # The summary page, then at most five (four, and the table against its benchmark group).
    assert (reader.get_destination_page_number(appendix) or 0) + 1 <= 6
    national = documents.pdfs["national"][1]
    assert page_count(documents.pdfs["national"][0]) < national.count("<table ") + national.count("<svg ")


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    """The layout and tagging checks fail on a page that is too wide, left nearly empty, or untagged."""
    wide = "<html lang='en'><title>Wide</title><body><p style='width: 260mm'>" + "x" * 400 + "</p></body></html>"
    render.write_pdf(tmp_path / "wide.pdf", wide)
    assert outside(tmp_path / "wide.pdf")
    key_past_the_edge = (
        "<html lang='en'><title>Chart</title><body><svg viewBox='0 0 100 50' style='width: 100%'>"
        "<title>A chart</title><text x='150' y='20'>lost</text></svg></body></html>"
    )
    render.write_pdf(tmp_path / "chart.pdf", key_past_the_edge)
    assert outside(tmp_path / "chart.pdf")  # the word drawn past the chart's right-hand edge
    empty = "<html lang='en'><title>Gaps</title><body><p>one</p><p style='break-before: page'>two</p></body></html>"
    render.write_pdf(tmp_path / "gaps.pdf", empty)
    [sparse] = sparse_pages(tmp_path / "gaps.pdf", chapters_start_pages=False)
    assert sparse.startswith("page 1 of 2 is ")
    stranded = (
        "<html lang='en'><title>Stranded</title><body><p style='height: 230mm'>text</p><h2>Left behind</h2>"
        "<p style='break-before: page'>what it heads</p></body></html>"
    )
    render.write_pdf(tmp_path / "stranded.pdf", stranded)
    assert stranded_headings(tmp_path / "stranded.pdf", stranded) == ["page 1: 'Left behind'"]
    HTML(string=empty).write_pdf(tmp_path / "untagged.pdf")
    assert "not marked as tagged" in ua_problems(tmp_path / "untagged.pdf", empty)
