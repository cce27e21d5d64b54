"""The paper questionnaire and its data-entry workbook come from the framework, and the workbook reads back."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.framework import Framework
from selfassess.responses import read_responses
from tests.conftest import run_cli


def test_paper_form_prints_every_question_with_descriptors(framework: Framework, tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    done = run_cli("paper-form", "--trust", "Northshire", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = " ".join(page.extract_text() for page in PdfReader(out).pages).replace("\n", " ")
    assert "Northshire" in text and "Respondent number" in text
    for sector in framework.sectors:
        assert sector.title in text
    for question in framework.questions:
        assert f"{question.id}. " in text
    q1 = framework.question_by_id["Q1"]
    assert q1.descriptors["1"] in text
    leader_only = sum(1 for q in framework.questions if framework.stage(q.stage).audiences == ("leader_manager",))
    assert text.count("– leaders and managers only") == leader_only == 10


def test_template_has_the_wide_header_and_drop_downs(framework: Framework, tmp_path: Path) -> None:
    out = tmp_path / "entry.xlsx"
    done = run_cli("paper-template", "--out", str(out))
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    sheet = book["Responses"]
    assert [c.value for c in sheet[1]] == ["trust", "respondent", "sector", "audience", *framework.question_ids]
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules["C2:C2001"].startswith("=Lists!$A$1")
    assert rules["D2:D2001"].startswith("=Lists!$B$1")
    assert rules["E2:BK2001"] == "=Lists!$C$1:$C$7"
    lists = book["Lists"]
    assert [lists.cell(i, 3).value for i in range(1, 8)] == list(framework.answer_codes)


def test_a_filled_template_reads_back(framework: Framework, tmp_path: Path) -> None:
    out = tmp_path / "entry.xlsx"
    assert run_cli("paper-template", "--out", str(out)).returncode == 0
    book = load_workbook(out)
    sheet = book["Responses"]
    sheet.append(["T1", "R1", "health", "front_line", 3, None, "NA"])
    book.save(out)
    table = read_responses(out, framework)
    assert sorted(tuple(str(v) for v in r) for r in table.answers.iter_rows()) == [
        ("T1", "R1", "health", "front_line", "Q1", "3"),
        ("T1", "R1", "health", "front_line", "Q3", "NA"),
    ]
