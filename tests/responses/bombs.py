"""Hostile workbooks, made as an attacker would: a valid paper-entry workbook whose sheet XML is rewritten.

- `far_row`: one cell declared twenty million rows down (about 2 KB on disk).
- `far_column`: a row of cells out at the last column Excel has.
- `compressed_rows`: millions of rows that compress to a few megabytes (gigabytes unpacked).
- `lying_dimension`: the sheet's <dimension> says it reaches row 20,000,000.
- `many_forms`: more filled rows than an upload may hold.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from selfassess.framework import Framework

SHEET = "xl/worksheets/sheet1.xml"


def _base(framework: Framework, rows: int = 1) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["trust", "respondent", "sector", "audience", *framework.question_ids])
    for i in range(rows):
        sheet.append(["T1", f"R{i}", "health", "front_line", *(["3"] * len(framework.question_ids))])
    return book


def _rewrite(path: Path, change: Callable[[str], str]) -> Path:
    """Rewrite the sheet's XML inside the archive with `change(xml) -> xml`."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[SHEET] = change(parts[SHEET].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def far_row(framework: Framework, path: Path, row: int = 20_000_000) -> Path:
    _base(framework).save(path)
    cell = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>T1</t></is></c></row>'
    return _rewrite(path, lambda xml: xml.replace("</sheetData>", cell + "</sheetData>"))


def lying_dimension(framework: Framework, path: Path) -> Path:
    _base(framework).save(path)
    return _rewrite(path, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:BK20000000"', xml))


def far_column(framework: Framework, path: Path, rows: int = 200) -> Path:
    _base(framework).save(path)
    cells = "".join(f'<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(3, 3 + rows))
    return _rewrite(path, lambda xml: xml.replace("</sheetData>", cells + "</sheetData>"))


def compressed_rows(framework: Framework, path: Path, rows: int = 2_000_000) -> Path:
    """Millions of rows of one filled cell with no <dimension>, streamed into the archive (deflate shrinks
    them some fifteenfold): the file is a few megabytes, its sheet a hundred and more."""
    _base(framework).save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    head, tail = re.sub(r"<dimension [^>]*/>", "", parts.pop(SHEET).decode()).split("</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name, data in parts.items():
            out.writestr(name, data)
        with out.open(SHEET, "w") as sheet:
            sheet.write(head.encode())
            for start in range(3, 3 + rows, 10_000):
                chunk = range(start, min(start + 10_000, 3 + rows))
                sheet.write(
                    "".join(
                        f'<row r="{r}"><c r="E{r}" t="inlineStr"><is><t> </t></is></c></row>' for r in chunk
                    ).encode()
                )
            sheet.write(("</sheetData>" + tail).encode())
    return path


def damaged(framework: Framework, path: Path) -> Path:
    """A sheet whose XML breaks off half way."""
    _base(framework, 3).save(path)
    return _rewrite(path, lambda xml: xml[: len(xml) // 2])


def many_forms(framework: Framework, path: Path, rows: int) -> Path:
    _base(framework, rows).save(path)
    return path
