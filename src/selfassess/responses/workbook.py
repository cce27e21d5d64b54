"""Reading the paper-entry workbook (XLSX): one row per respondent, problems named by sheet and cell.

The sheet is streamed: only the rows and cells the file holds are read (openpyxl's read-only sheets pad every
missing row and column, so one cell declared twenty million rows down would cost gigabytes), cells beyond
the header's columns are ignored, blank rows are skipped, and the rows of forms are counted as they come
(limits.Limits).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from selfassess.framework import Framework
from selfassess.responses.files import IDENTITY, canonical_questions, check_header, validate_wide
from selfassess.responses.limits import COMMAND_LINE, EXCEL_ROWS, Limits, too_many_forms
from selfassess.responses.problems import InvalidResponses, Problem
from selfassess.responses.table import ResponseTable

DATA_SHEET = "Responses"  # the sheet read when a workbook has several; otherwise the first


def read_wide_xlsx(path: Path, framework: Framework, limits: Limits = COMMAND_LINE) -> ResponseTable:
    if not path.is_file():
        raise InvalidResponses([Problem(str(path), "no such file")])
    limits.check_size(path)
    limits.check_archive(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidResponses(
            [Problem(str(path), "is not an Excel workbook (.xlsx); save it as 'Excel Workbook' and try again")]
        ) from None
    try:
        name, header, columns, numbers = _read_sheet(book, framework, limits)
    except InvalidResponses:
        raise
    except (SyntaxError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:  # ElementTree's ParseError too
        damaged = f"the workbook is damaged and cannot be read ({type(exc).__name__}); open it, save it, and try again"
        raise InvalidResponses([Problem(path.name, damaged)]) from None
    finally:
        book.close()
    frame = pl.DataFrame(columns, schema={h: pl.String for h in header})
    position = {h: i + 1 for i, h in enumerate(header)}

    def cell(row: int, column: str) -> str:
        return f"sheet '{name}', cell {get_column_letter(position[column])}{row}"

    return validate_wide(frame, numbers, cell, framework)


def _read_sheet(
    book: Any, framework: Framework, limits: Limits
) -> tuple[str, list[str], dict[str, list[str | None]], list[int]]:
    """The data sheet's name, header, values by column, and the row number of each form."""
    sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
    name = sheet.title
    max_rows = limits.rows_allowed()
    # The header, then the forms, with room for blank rows between them; the forms themselves are counted below.
    last_row = EXCEL_ROWS if max_rows is None else min(EXCEL_ROWS, 4 * max_rows + 1)
    _check_extent(sheet.max_row, name, last_row)
    rows = _present_rows(book, sheet, last_row)
    number, first = next(rows, (0, {}))
    header = _header(first if number == 1 else {})
    if not header:
        raise InvalidResponses([Problem(f"sheet '{name}', row 1", "the sheet is empty: row 1 should be the header")])
    header = canonical_questions([h.lower() for h in header], framework)
    check_header(header, (*IDENTITY, *framework.question_ids), f"sheet '{name}', row 1")
    columns: dict[str, list[str | None]] = {h: [] for h in header}
    numbers: list[int] = []
    for number, cells in rows:
        values = [_text(cells.get(i)) for i in range(1, len(header) + 1)]
        if not any(values):
            continue  # a blank row, or one holding only formatting
        if max_rows is not None and len(numbers) >= max_rows:
            raise too_many_forms(f"sheet '{name}', row {number}", max_rows)
        for h, value in zip(header, values, strict=True):
            columns[h].append(value)
        numbers.append(number)
    return name, header, columns, numbers


def _check_extent(row: int | None, sheet: str, last_row: int) -> None:
    """A sheet of forms has no business reaching further down than the forms allowed (or than Excel can)."""
    if row is not None and row > last_row:
        raise InvalidResponses(
            [
                Problem(
                    f"sheet '{sheet}'",
                    f"reaches down to row {row:,}, further than a workbook of forms can (row {last_row:,}); "
                    "delete the rows below your forms, save, and upload it again",
                )
            ]
        )


def _present_rows(book: Any, sheet: Any, last_row: int) -> Iterator[tuple[int, dict[int, Any]]]:
    """(row number, {column number: value}) for each row the sheet's XML holds, and nothing for rows it does not.

    openpyxl's own parser reads the XML as a stream; we take its rows as they come instead of through
    `iter_rows`, which fills in every row and column missing between those present.
    """
    with book._archive.open(sheet._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            values = {c["column"]: c["value"] for c in cells if c["value"] is not None}
            if values:
                _check_extent(number, sheet.title, last_row)  # the declared extent can lie
                yield number, values


def _header(cells: dict[int, Any]) -> list[str]:
    """Row 1's names, up to the last one given (spreadsheets often report empty columns past the data)."""
    named = [column for column, value in cells.items() if _text(value)]
    if not named:
        return []
    last = max(named)
    return [_text(cells.get(i)) or "" for i in range(1, last + 1)]


def _text(value: object) -> str | None:
    """A cell as the text a person sees: 3.0 typed as a number reads as '3'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    text = str(value).strip()
    return text or None
