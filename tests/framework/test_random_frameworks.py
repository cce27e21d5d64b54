"""A framework that loads is one that every command can analyse and report: random frameworks of every shape
the loader accepts, each through a synthetic round, the statistics, the full set of reports (HTML, PDF,
workbook, every unit's page), the paper form and the data-entry workbook, with nothing raised; and every PDF
(national, a unit's, the paper form) fits its pages and is tagged, and no paragraph has the shape of a broken
sentence."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from selfassess.framework import framework_from_text
from selfassess.reports import render, write_reports
from selfassess.reports.paper import write_paper_form, write_paper_template
from selfassess.responses import read_responses, write_long_csv
from selfassess.synth import simple_round
from tests.conftest import some_groups
from tests.framework.random_frameworks import framework_texts
from tests.reports.pdf_layout import outside, sparse_pages, ua_problems
from tests.reports.sentence_checks import broken


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(framework_texts())
def test_every_framework_the_loader_accepts_can_be_analysed_and_reported(text: str) -> None:
    framework = framework_from_text(text, "random.yaml")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        write_long_csv(simple_round(framework, trusts=8, seed=1), out / "answers.csv")
        table = read_responses(out / "answers.csv", framework)
        written = write_reports(table, out / "reports", groups=some_groups(table))  # benchmark groups of each kind
        assert written.files["pdf"].stat().st_size > 0 and written.trust_files
        write_paper_form(framework, out / "paper.pdf", "A unit")
        write_paper_template(framework, out / "entry.xlsx")
        assert (out / "paper.pdf").stat().st_size > 0 and (out / "entry.xlsx").stat().st_size > 0
        trust_page = next(iter(written.trust_files.values())).read_text(encoding="utf-8")
        render.write_pdf(out / "trust.pdf", trust_page)
        for pdf, chapters in ((written.files["pdf"], True), (out / "trust.pdf", False), (out / "paper.pdf", True)):
            assert outside(pdf) == [], pdf.name
            assert sparse_pages(pdf, chapters) == [], pdf.name
        assert ua_problems(written.files["pdf"], written.files["html"].read_text(encoding="utf-8")) == []
        assert ua_problems(out / "trust.pdf", trust_page) == []
        assert broken(written.files["html"].read_text(encoding="utf-8"), framework) == []
        assert all(broken(p.read_text(encoding="utf-8"), framework) == [] for p in written.trust_files.values())
