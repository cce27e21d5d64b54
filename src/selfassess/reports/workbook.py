"""A report's tables as an Excel workbook: one sheet per table, numbers unrounded, and a notes sheet."""

from __future__ import annotations

import os
import re
from pathlib import Path

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
    contents.append([report.title])
    contents.append([report.subtitle])
    contents.append([])
    for note in notes:
        contents.append([note])
    contents.append([])
    contents.append(["Sheet", "Table"])
    for name, title in index:
        contents.append([name, title])
    for name, table in sheets:
        sheet = book.create_sheet(name)
        sheet.append([table.title])
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            # The first column names the row as shown; the others hold the unrounded values.
            sheet.append([row[0].text, *(c.value for c in row[1:])])
        for note in table.notes:
            sheet.append([note])
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    os.replace(partial, path)
