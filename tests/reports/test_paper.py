"""The paper questionnaire and its data-entry workbook come from the framework, and the workbook reads back: on
every built-in framework."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pypdf import PdfReader

from selfassess.framework import Framework, builtin_frameworks
from selfassess.reports.document import join_words
from selfassess.responses import read_responses
from tests.conftest import run_cli

BUILT_IN = builtin_frameworks()


@pytest.fixture(params=[path.name for path in BUILT_IN])
def built_in(request: pytest.FixtureRequest) -> tuple[Path, Framework]:
    return next((path, framework) for path, framework in BUILT_IN.items() if path.name == request.param)


def test_paper_form_prints_every_question_with_descriptors(built_in: tuple[Path, Framework], tmp_path: Path) -> None:
    path, framework = built_in
    out = tmp_path / "form.pdf"
    done = run_cli("paper-form", "--framework", str(path), "--trust", "Northshire", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = " ".join(page.extract_text() for page in PdfReader(out).pages).replace("\n", " ")
    assert "Northshire" in text and "Respondent number" in text and f"{framework.unit_title}:" in text
    for sector in framework.sectors:
        assert sector.title in text
    for question in framework.questions:
        assert f"{question.id}. " in text
    first = framework.questions[0]
    assert next(iter(first.descriptors.values())) in text
    # Each question names its stage by title; one of a stage not meant for every audience says whom it is for.
    marks: dict[str, int] = {}
    for question in framework.questions:
        stage = framework.stage(question.stage)
        assert stage.title in text
        if len(stage.audiences) < len(framework.audiences):
            meant = join_words([a.title.lower() for a in framework.audiences if a.id in stage.audiences])
            marks[meant] = marks.get(meant, 0) + 1
    assert marks and all(text.count(f"– for {meant} only") == n for meant, n in marks.items())


def test_template_has_the_wide_header_and_drop_downs(built_in: tuple[Path, Framework], tmp_path: Path) -> None:
    path, framework = built_in
    out = tmp_path / "entry.xlsx"
    done = run_cli("paper-template", "--framework", str(path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    sheet = book["Responses"]
    assert [c.value for c in sheet[1]] == ["trust", "respondent", "sector", "audience", *framework.question_ids]
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules["C2:C2001"].startswith("=Lists!$A$1")
    assert rules["D2:D2001"].startswith("=Lists!$B$1")
    last = get_column_letter(4 + len(framework.question_ids))
    assert rules[f"E2:{last}2001"] == f"=Lists!$C$1:$C${len(framework.answer_codes)}"
    lists = book["Lists"]
    codes = [lists.cell(i, 3).value for i in range(1, len(framework.answer_codes) + 1)]
    assert codes == list(framework.answer_codes)


def test_a_filled_template_reads_back(built_in: tuple[Path, Framework], tmp_path: Path) -> None:
    path, framework = built_in
    out = tmp_path / "entry.xlsx"
    assert run_cli("paper-template", "--framework", str(path), "--out", str(out)).returncode == 0
    book = load_workbook(out)
    sheet = book["Responses"]
    scored = next(a.code for a in framework.scale if a.score is not None)
    unscored = next(a.code for a in framework.scale if a.score is None)
    sector, audience = framework.sector_ids[0], framework.audience_ids[-1]
    sheet.append(["T1", "R1", sector, audience, scored, None, unscored])
    book.save(out)
    table = read_responses(out, framework)
    q = framework.question_ids
    assert sorted(tuple(str(v) for v in r) for r in table.answers.iter_rows()) == sorted(
        [("T1", "R1", sector, audience, q[0], scored), ("T1", "R1", sector, audience, q[2], unscored)]
    )
