"""Hostile files are normal input: bounded before and while they are parsed, and refused in words.

Workbook bombs, files over the caps, control characters and over-long ids, a workbook posing as a CSV, a
damaged workbook; and the spreadsheet's text marker, which our own exports write, read back as text.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from selfassess.framework import Framework
from selfassess.responses import InvalidResponses, read_responses
from selfassess.responses.limits import UPLOAD, Limits
from tests.conftest import long_csv, problems, write
from tests.responses import bombs

CONTROL = "contains a control character"
SMALL = Limits(max_bytes=None, max_forms=10, max_unpacked=5_000_000)


def refused(path: Path, framework: Framework, limits: Limits = UPLOAD) -> list[str]:
    with pytest.raises(InvalidResponses) as caught:
        read_responses(path, framework, limits)
    return caught.value.lines()


def test_a_cell_declared_twenty_million_rows_down_is_refused_at_once(tmp_path: Path, framework: Framework) -> None:
    path = bombs.far_row(framework, tmp_path / "far.xlsx")
    assert path.stat().st_size < 10_000
    started = time.monotonic()
    for limits in (UPLOAD, Limits(None, None, None)):  # the command line too: no padding, Excel's own limit
        (message,) = refused(path, framework, limits)
        assert "row 20,000,000" in message and "delete the rows below your forms" in message
    assert time.monotonic() - started < 5  # it used to pad every row: minutes, and gigabytes


def test_a_sheet_that_says_it_reaches_row_twenty_million_is_refused(tmp_path: Path, framework: Framework) -> None:
    (message,) = refused(bombs.lying_dimension(framework, tmp_path / "dim.xlsx"), framework)
    assert message.startswith("sheet 'Responses': reaches down to row 20,000,000")


def test_a_workbook_that_unpacks_to_far_more_than_forms_need_is_refused(tmp_path: Path, framework: Framework) -> None:
    path = bombs.compressed_rows(framework, tmp_path / "zip.xlsx", rows=100_000)
    (message,) = refused(path, framework, SMALL)
    assert "unpacks to" in message and "copy the forms alone into a new workbook" in message


def test_cells_beyond_the_header_are_ignored_not_padded(tmp_path: Path, framework: Framework) -> None:
    table = read_responses(bombs.far_column(framework, tmp_path / "wide.xlsx"), framework, UPLOAD)
    assert len(table) == len(framework.question_ids)  # the one form; the cells at column XFD were never data


def test_rows_of_forms_are_counted_and_blank_rows_are_not(tmp_path: Path, framework: Framework) -> None:
    ten = bombs.many_forms(framework, tmp_path / "ten.xlsx", 10)
    assert read_responses(ten, framework, SMALL).respondents.height == 10
    (message,) = refused(bombs.many_forms(framework, tmp_path / "eleven.xlsx", 11), framework, SMALL)
    assert message == "sheet 'Responses', row 12: there are more than 10 rows of answers; upload at most 10 at a time"
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["trust", "respondent", "sector", "audience", *framework.question_ids])
    for i in range(10):
        sheet.append(["T1", f"R{i}", "health", "front_line", "3"])
        sheet.append([None] * 5)  # blank rows between the forms
    book.save(tmp_path / "gaps.xlsx")
    assert read_responses(tmp_path / "gaps.xlsx", framework, SMALL).respondents.height == 10


def test_a_damaged_workbook_is_refused_in_words(tmp_path: Path, framework: Framework) -> None:
    (message,) = refused(bombs.damaged(framework, tmp_path / "cut.xlsx"), framework)
    assert "the workbook is damaged" in message


def test_csv_uploads_are_bounded_in_size_and_rows(tmp_path: Path, framework: Framework) -> None:
    rows = [("T1", f"R{i}", "health", "front_line", q, "3") for i in range(2) for q in framework.question_ids]
    path = write(tmp_path, long_csv(rows))
    assert read_responses(path, framework, Limits(None, 2, None)).respondents.height == 2
    (message,) = refused(path, framework, Limits(None, 1, None))  # one form's worth: 59 answer rows
    assert message == "line 61: there are more than 59 rows of answers; upload at most 59 at a time"
    (message,) = refused(path, framework, Limits(1_000, None, None))
    assert message.startswith("file: is 0.0 MB; a file can be at most 0.0 MB") or "a file can be at most" in message
    header = ",".join(["trust", "respondent", "sector", "audience", *framework.question_ids])
    blanks = "," * (len(framework.question_ids) - 1)
    text = f"{header}\nT1,R1,health,front_line,3{blanks}\nT1,R2,health,front_line,3{blanks}\n"
    wide = write(tmp_path, text, "wide.csv")
    (message,) = refused(wide, framework, Limits(None, 1, None))
    assert message.startswith("line 3: there are more than 1 rows")


def test_a_workbook_named_csv_is_told_apart(tmp_path: Path, framework: Framework) -> None:
    xlsx = bombs.many_forms(framework, tmp_path / "forms.xlsx", 1)
    (message,) = refused(write(tmp_path, xlsx.read_bytes(), "forms.csv"), framework)
    assert (
        message == "file: is an Excel workbook, not a CSV file; give it a name ending .xlsx, or save it as 'CSV UTF-8'"
    )


@pytest.mark.parametrize(
    ("trust", "respondent", "expected"),
    [
        ("T\x001", "R1", "line 2: the trust id contains a control character (\\x00); type it again without it"),
        ("T1", "R\x1b1", "line 2: the respondent id contains a control character (\\x1b); type it again without it"),
        (
            "T1",
            "R\u20281",
            "line 2: the respondent id contains a control character (\\u2028); type it again without it",
        ),
        ("T" * 81, "R1", "line 2: the trust id is 81 characters long; it can be at most 80"),
        ("T1", "R" * 200, "line 2: the respondent id is 200 characters long; it can be at most 80"),
    ],
)
def test_control_characters_and_long_ids_are_refused_with_their_place(
    tmp_path: Path, framework: Framework, trust: str, respondent: str, expected: str
) -> None:
    text = long_csv([(trust, respondent, "health", "front_line", "Q2", "3")])
    assert problems(tmp_path, text, framework) == [expected]
    questions = framework.question_ids
    wide = f"trust,respondent,sector,audience,{','.join(questions)}\n{trust},{respondent},health,front_line,3"
    (message,) = problems(tmp_path, wide + "," * (len(questions) - 1) + "\n", framework, "wide.csv")
    assert message.startswith("line 2, column ") and message.endswith(expected.split(": ", 1)[1])


def test_a_line_break_typed_in_a_workbook_cell_is_refused_by_cell(tmp_path: Path, framework: Framework) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["trust", "respondent", "sector", "audience", *framework.question_ids])
    sheet.append(["T1", "R\n1", "health", "front_line", "3"])  # Alt+Enter in Excel
    book.save(tmp_path / "break.xlsx")
    (message,) = refused(tmp_path / "break.xlsx", framework)
    assert message == (
        "sheet 'Responses', cell B2: the respondent id contains a control character (\\n); type it again without it"
    )


def test_values_our_exports_mark_as_text_read_back_as_they_were(tmp_path: Path, framework: Framework) -> None:
    text = long_csv(
        [
            ("'=T1", "'@R1", "health", "front_line", "Q2", "3"),
            ("'=T1", "''-R2", "health", "front_line", "Q2", "3"),  # an id that itself began with an apostrophe
            ("T3", "'plain", "health", "front_line", "Q2", "3"),  # no formula after it: the apostrophe is the id's
        ]
    )
    respondents = read_responses(write(tmp_path, text), framework).respondents
    assert sorted(zip(respondents["trust"].cast(str), respondents["respondent"], strict=True)) == [
        ("=T1", "'-R2"),
        ("=T1", "@R1"),
        ("T3", "'plain"),
    ]


def test_a_broken_quoted_field_is_refused_not_misread(tmp_path: Path, framework: Framework) -> None:
    """Found by the fuzz test: parsed straight into Categoricals, Polars took this file and handed back text
    that was not UTF-8 (a panic, a traceback, exit 1). Parsed as text, it is refused with its place."""
    data = (
        b"trust,respondent,sector,audience,questio"
        b'n,answer\r\n\xc2\x9e,",3,\xc2\xaea\x06\xf1\xb4\xab\xb1\xc3\xac,\xef\xbb\xbf,\xc2\x82,\xc3\xbeXN\xc2'
        b"\xb8}\xc3\x91\xf3\xbb\xac\xb5O,z\x7f\x1c\xf1\x81\xa3\x80\xc3\x83\xc3\xb1\xf2\x8f\x98\xaf\xc2\x8a\r\n\r\n$\x1cM\xc2\xb8\xf0\xa7\xae\xaf"
        b'z\x0e\xc3\xaf,",health, R2 ,leader_manager, \r\n""\r'
        b'\n",\r\nQ1,N\xc2\x85m\xf2\xa9\xaf\x8b\xc2\x86\xf2\xb1\xbb\xa9\xc2\xa9\xc2\x83'
    )
    lines = refused(write(tmp_path, data), framework, UPLOAD)
    assert lines and all(line.startswith(("line ", "file")) for line in lines)
