"""Reading the paper-entry workbook (XLSX): one row per respondent, problems named by sheet and cell."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import polars as pl
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from selfassess.framework import Framework
from selfassess.responses.files import IDENTITY, canonical_questions, check_header, validate_wide
from selfassess.responses.problems import InvalidResponses, Problem
from selfassess.responses.table import ResponseTable

DATA_SHEET = "Responses"  # the sheet read when a workbook has several; otherwise the first


def read_wide_xlsx(path: Path, framework: Framework) -> ResponseTable:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InvalidResponses([Problem(str(path), "no such file")]) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidResponses(
            [Problem(str(path), "is not an Excel workbook (.xlsx); save it as 'Excel Workbook' and try again")]
        ) from None
    try:
        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        name = sheet.title
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        header = [_text(v) or "" for v in first or ()]
        while header and not header[-1]:
            header.pop()  # spreadsheets often report empty columns past the data
        if not header:
            raise InvalidResponses(
                [Problem(f"sheet '{name}', row 1", "the sheet is empty: row 1 should be the header")]
            )
        header = canonical_questions([h.lower() for h in header], framework)
        check_header(header, (*IDENTITY, *framework.question_ids), f"sheet '{name}', row 1")
        columns: dict[str, list[str | None]] = {h: [] for h in header}
        numbers: list[int] = []
        for number, values in enumerate(rows, start=2):
            values = tuple(values) + (None,) * max(len(header) - len(values), 0)
            for h, value in zip(header, values, strict=False):
                columns[h].append(_text(value))
            numbers.append(number)
    finally:
        book.close()
    frame = pl.DataFrame(columns, schema={h: pl.String for h in header})
    position = {h: i + 1 for i, h in enumerate(header)}

    def cell(row: int, column: str) -> str:
        return f"sheet '{name}', cell {get_column_letter(position[column])}{row}"

    return validate_wide(frame, numbers, cell, framework)


def _text(value: object) -> str | None:
    """A cell as the text a person sees: 3.0 typed as a number reads as '3'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()
