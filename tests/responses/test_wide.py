"""The paper-entry ("wide") layout, as CSV and as XLSX: same answers as the long form, problems by cell."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from selfassess.framework import Framework
from tests.conftest import long_csv, problems, read, run_cli

IDENTITY = ["trust", "respondent", "sector", "audience"]


def _header(framework: Framework) -> list[str]:
    return IDENTITY + list(framework.question_ids)


def _row(framework: Framework, who: list[object], answers: dict[str, object]) -> list[object]:
    return who + [answers.get(q) for q in framework.question_ids]


def _as_typed(rows: list[list[object]]) -> list[list[object]]:
    """Forms as typed into a CSV: text, with a number like 4.0 written 4."""
    return [[None if v is None else str(int(v)) if isinstance(v, float) else str(v) for v in row] for row in rows]


def _wide_csv(framework: Framework, rows: list[list[object]]) -> str:
    lines = [",".join(_header(framework))]
    lines += [",".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def _xlsx(path: Path, header: Sequence[object], rows: Sequence[Sequence[object]], sheet: str = "Responses") -> Path:
    book = Workbook()
    book.active.title = "Instructions"
    book.active["A1"] = "Type one form per row on the Responses sheet."
    data = book.create_sheet(sheet)
    data.append(header)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def _tidy(table) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in table.answers.iter_rows())


def _forms(framework: Framework) -> list[list[object]]:
    return [
        _row(framework, ["T1", "R1", "health", "front_line"], {"Q2": 3, "Q3": "na", "Q59": 5}),
        _row(framework, ["T1", "R2", "education", "leader_manager"], {"Q1": 4.0, "Q13": "DK"}),
    ]


EXPECTED = [
    ("T1", "R1", "health", "front_line", "Q2", "3"),
    ("T1", "R1", "health", "front_line", "Q3", "NA"),
    ("T1", "R1", "health", "front_line", "Q59", "5"),
    ("T1", "R2", "education", "leader_manager", "Q1", "4"),
    ("T1", "R2", "education", "leader_manager", "Q13", "DK"),
]


def test_wide_csv_reads_as_the_long_form(tmp_path: Path, framework: Framework) -> None:
    table = read(tmp_path, _wide_csv(framework, _as_typed(_forms(framework))), framework)
    assert _tidy(table) == sorted(EXPECTED)
    assert _tidy(table) == _tidy(read(tmp_path, long_csv(EXPECTED), framework, "long.csv"))


def test_wide_xlsx_reads_as_the_long_form(tmp_path: Path, framework: Framework) -> None:
    # A blank row between forms, and lower-case question headings, are fine.
    rows: list[list[object]] = [_forms(framework)[0], [None] * 63, _forms(framework)[1]]
    header = [h.lower() for h in _header(framework)]
    path = _xlsx(tmp_path / "forms.xlsx", header, rows)
    assert _tidy(read(tmp_path, path.read_bytes(), framework, "forms.xlsx")) == sorted(EXPECTED)


def test_xlsx_problems_name_sheet_and_cell(tmp_path: Path, framework: Framework) -> None:
    rows = [
        _row(framework, ["T1", "R1", "helth", "front_line"], {"Q1": 3}),
        _row(framework, ["T1", "R2", "health", "front_line"], {"Q1": 3, "Q3": 7, "Q59": "maybe"}),
        _row(framework, ["", "R3", "health", "front_line"], {"Q1": 3}),
    ]
    path = _xlsx(tmp_path / "forms.xlsx", _header(framework), rows)
    found = problems(tmp_path, path.read_bytes(), framework, "forms.xlsx")
    assert found == [
        "sheet 'Responses', cell C2: sector 'helth' is not recognised; use one of early_years, education, health, "
        "justice, social_family_community, sport_culture, youth or third_sector",
        "sheet 'Responses', cell A4: the trust is blank",
        "sheet 'Responses', cell G3: answer '7' is not allowed; use 1, 2, 3, 4, 5, NA or DK",
        "sheet 'Responses', cell BK3: answer 'maybe' is not allowed; use 1, 2, 3, 4, 5, NA or DK",
    ]


def test_xlsx_answer_problems_name_their_cells(tmp_path: Path, framework: Framework) -> None:
    rows = [
        _row(framework, ["T1", "R1", "health", "front_line"], {"Q1": 3}),
        _row(framework, ["T1", "R2", "health", "front_line"], {"Q1": 3, "Q3": 7, "Q59": "maybe"}),
    ]
    path = _xlsx(tmp_path / "forms.xlsx", _header(framework), rows)
    assert problems(tmp_path, path.read_bytes(), framework, "forms.xlsx") == [
        "sheet 'Responses', cell G3: answer '7' is not allowed; use 1, 2, 3, 4, 5, NA or DK",
        "sheet 'Responses', cell BK3: answer 'maybe' is not allowed; use 1, 2, 3, 4, 5, NA or DK",
    ]


def test_a_form_entered_twice_and_an_empty_form_are_refused(tmp_path: Path, framework: Framework) -> None:
    rows = [
        _row(framework, ["T1", "R1", "health", "front_line"], {"Q1": 3}),
        _row(framework, ["T1", "R2", "health", "front_line"], {}),
        _row(framework, ["T1", "R1", "youth", "front_line"], {"Q2": 3}),
    ]
    path = _xlsx(tmp_path / "forms.xlsx", _header(framework), rows)
    assert problems(tmp_path, path.read_bytes(), framework, "forms.xlsx") == [
        "sheet 'Responses', cell E3: no answers on this row; a form with no answers cannot be entered",
        "sheet 'Responses', cell B4: respondent 'R1' of trust 'T1' is entered again "
        "(first at sheet 'Responses', cell B2); enter each form once",
    ]


def test_wide_csv_problems_name_line_and_column(tmp_path: Path, framework: Framework) -> None:
    rows = [_row(framework, ["T1", "R1", "health", "front_line"], {"Q1": 3, "Q7": 0})]
    found = problems(tmp_path, _wide_csv(framework, rows), framework)
    assert found == ["line 2, column Q7: answer '0' is not allowed; use 1, 2, 3, 4, 5, NA or DK"]


def test_a_wide_header_missing_questions_is_refused(tmp_path: Path, framework: Framework) -> None:
    header = _header(framework)[:-2]
    path = _xlsx(tmp_path / "forms.xlsx", header, [["T1", "R1", "health", "front_line", 3]])
    assert problems(tmp_path, path.read_bytes(), framework, "forms.xlsx") == [
        "sheet 'Responses', row 1: missing columns: Q58 or Q59"
    ]


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path, framework: Framework) -> None:
    found = problems(tmp_path, b"not a zip file", framework, "forms.xlsx")
    assert found[0].endswith("is not an Excel workbook (.xlsx); save it as 'Excel Workbook' and try again")


def test_the_first_sheet_is_read_when_there_is_no_responses_sheet(tmp_path: Path, framework: Framework) -> None:
    book = Workbook()
    book.active.title = "Forms"
    book.active.append(_header(framework))
    book.active.append(_row(framework, ["T1", "R1", "health", "front_line"], {"Q1": "x"}))
    book.save(tmp_path / "forms.xlsx")
    assert problems(tmp_path, (tmp_path / "forms.xlsx").read_bytes(), framework, "forms.xlsx") == [
        "sheet 'Forms', cell E2: answer 'x' is not allowed; use 1, 2, 3, 4, 5, NA or DK"
    ]


@pytest.mark.parametrize("name", ["forms.xlsx", "forms.csv"])
def test_the_command_analyses_a_paper_entry_file(tmp_path: Path, framework: Framework, name: str) -> None:
    rows = _forms(framework)
    if name.endswith(".xlsx"):
        path = _xlsx(tmp_path / name, _header(framework), rows)
    else:
        path = tmp_path / name
        path.write_text(_wide_csv(framework, _as_typed(rows)))
    done = run_cli("analyse", str(path), "--json", str(tmp_path / "results.json"))
    assert done.returncode == 0, done.stderr
    assert "1 trusts (1 with both audiences), 2 respondents" in done.stdout
