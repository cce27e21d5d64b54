"""A report's tables as an Excel workbook: one sheet per table, numbers unrounded, and a notes sheet."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from selfassess.reports.document import Report, Table

NOTES = "Notes"


def sheet_name(table: Table, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name, and names must differ."""
    base = re.sub(r"[\[\]:*?/\\]", "", table.title.split(" – ")[0])[:31] or "Table"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def text_not_formula(cell: Any) -> Any:
    """openpyxl stores a text starting with '=' as a formula, which a spreadsheet runs on opening: a trust or
    framework title such as '=HYPERLINK(...)' must stay text (OWASP, "CSV Injection": type such cells as text)."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _cells(sheet: Any, values: list[Any]) -> list[WriteOnlyCell]:
    return [text_not_formula(WriteOnlyCell(sheet, value=value)) for value in values]


def save_workbook(book: Workbook, path: Path) -> None:
    """Every cell as text where it is text, then the whole file or nothing."""
    if not book.write_only:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    text_not_formula(cell)
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    _without_clock(partial)
    os.replace(partial, path)


FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _without_clock(path: Path) -> None:
    """The same workbook gives the same bytes: openpyxl stamps the file's parts and its properties with the
    time of saving, so they are set to one fixed time instead (nobody reads them; the cover gives the date of
    the data)."""
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            target.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)


def write_workbook(report: Report, path: Path, notes: list[str]) -> None:
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    used = {NOTES.lower()}
    index = []
    sheets = []
    for table in report.tables():
        name = sheet_name(table, used)
        index.append((name, table.title))
        sheets.append((name, table))
    contents = book.create_sheet(NOTES)
    lines = [[report.title], [report.subtitle], [], *([note] for note in notes), [], ["Sheet", "Table"]]
    for line in [*lines, *([name, title] for name, title in index)]:
        contents.append(_cells(contents, line))
    for name, table in sheets:
        sheet = book.create_sheet(name)
        sheet.append(_cells(sheet, [table.title]))
        header = _cells(sheet, list(table.columns))
        for cell in header:
            cell.font = bold
        sheet.append(header)
        for row in table.rows:
            # The first column names the row as shown; the others hold the unrounded values.
            sheet.append(_cells(sheet, [row[0].text, *(c.value for c in row[1:])]))
        for note in table.notes:
            sheet.append(_cells(sheet, [note]))
    save_workbook(book, path)
