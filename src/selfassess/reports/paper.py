"""The paper questionnaire (PDF) and the workbook its answers are typed into (XLSX), both from the framework."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from selfassess.framework import Framework
from selfassess.reports.document import join_words
from selfassess.reports.render import _environment, css, write_pdf
from selfassess.reports.workbook import save_workbook
from selfassess.responses.files import IDENTITY
from selfassess.responses.workbook import DATA_SHEET

TEMPLATE_ROWS = 2000  # rows of the data-entry sheet with drop-down lists


def paper_form_html(framework: Framework, trust: str | None = None) -> str:
    # A stage meant for only some audiences says so on each of its questions, in the framework's words.
    meant_for = {
        s.id: join_words([a.title.lower() for a in framework.audiences if a.id in s.audiences])
        for s in framework.stages
        if len(s.audiences) < len(framework.audiences)
    }
    return (
        _environment()
        .get_template("paper.html")
        .render(
            framework=framework,
            trust=trust,
            css=css(),
            meant_for=meant_for,
            described=join_words(list(framework.described_scores)),
            unscored=[a.label.lower() for a in framework.scale if a.score is None],
        )
    )


def write_paper_form(framework: Framework, path: Path, trust: str | None = None) -> None:
    write_pdf(path, paper_form_html(framework, trust))


def write_paper_template(framework: Framework, path: Path) -> None:
    """The wide form of contract section 2, with a drop-down of allowed values on every cell that has one."""
    book = Workbook()
    guide = book.active
    guide.title = "Instructions"
    lines = [
        f"{framework.title}: data entry",
        "",
        f"Type one paper form per row on the '{DATA_SHEET}' sheet: the {framework.unit}, the respondent's number "
        "from the form, their sector and audience, then the answer to each question.",
        f"Answers: {_answer_words(framework)}. Leave a cell empty if the question was not answered.",
        "The drop-down lists show the values allowed. Upload the finished workbook; if anything is wrong, every "
        "problem is listed by cell and nothing is loaded until the workbook is right.",
        "",
        "Sectors:",
        *(f"  {s.id}  {s.title}" for s in framework.sectors),
        "Audiences:",
        *(f"  {a.id}  {a.title}" for a in framework.audiences),
    ]
    for line in lines:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110

    data = book.create_sheet(DATA_SHEET, 0)
    book.active = 0
    header = [*IDENTITY, *framework.question_ids]
    data.append(header)
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "E2"
    last = TEMPLATE_ROWS + 1
    lists = book.create_sheet("Lists")
    for row, (sector, audience, answer) in enumerate(
        _zip_longest(framework.sector_ids, framework.audience_ids, framework.answer_codes), start=1
    ):
        lists.cell(row, 1, sector)
        lists.cell(row, 2, audience)
        lists.cell(row, 3, answer)
    lists.sheet_state = "hidden"
    _validation(data, f"Lists!$A$1:$A${len(framework.sectors)}", f"C2:C{last}", "sector")
    _validation(data, f"Lists!$B$1:$B${len(framework.audiences)}", f"D2:D{last}", "audience")
    first, final = get_column_letter(len(IDENTITY) + 1), get_column_letter(len(header))
    _validation(data, f"Lists!$C$1:$C${len(framework.scale)}", f"{first}2:{final}{last}", "answer")
    save_workbook(book, path)


def _answer_words(framework: Framework) -> str:
    """'1 to 5, NA (not applicable) or DK (don't know)', from the framework's scale."""
    scored = [a for a in framework.scale if a.score is not None]
    words = [f"{scored[0].code} to {scored[-1].code}" if len(scored) > 1 else scored[0].code]
    words += [f"{a.code} ({a.label.lower()})" for a in framework.scale if a.score is None]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _validation(sheet: object, source: str, cells: str, what: str) -> None:
    rule = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True)
    rule.error = f"Choose a {what} from the list."
    rule.errorTitle = f"Not a {what}"
    rule.prompt = f"Choose a {what}"
    rule.add(cells)
    sheet.add_data_validation(rule)  # type: ignore[attr-defined]


def _zip_longest(*columns: tuple[str, ...]) -> list[tuple[str | None, ...]]:
    n = max(len(c) for c in columns)
    return [tuple(c[i] if i < len(c) else None for c in columns) for i in range(n)]
