"""Checks that a file we write is safe to open in a spreadsheet (OWASP, "CSV Injection").

Written apart from the code that neutralises values, so a mistake there shows here: a CSV field may not start
with anything a spreadsheet runs as a formula, and no workbook cell may be a formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_fields(text: str) -> list[str]:
    return [field for row in csv.reader(io.StringIO(text, newline="")) for field in row]


def assert_csv_safe(text: str) -> None:
    live = [field for field in csv_fields(text) if field.startswith(TRIGGERS)]
    assert not live, f"fields a spreadsheet would run: {live[:5]}"


def assert_no_formulas(path: Path) -> list[str]:
    """Every cell's text; fails on a cell stored as a formula."""
    book = load_workbook(path)  # not read-only: cell types as stored
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts
