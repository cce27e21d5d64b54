"""What a printed page must be, read back from a PDF as a reader would get it: every character, rule, shape and
image inside the printable area, and no page left mostly empty except where a chapter ends. Also the PDF/UA
marks: a structure tree in the order things are printed, the language and title, header cells in every table,
and each chart's alternative text.

The printable area is the page less the side margins the report's style sets (so a table or chart reaching into
them is caught before it reaches the paper's edge) and less a strip at top and bottom that printers cannot reach.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf.generic import ArrayObject, DictionaryObject

MM = 72 / 25.4
SIDE = 14 * MM - 2  # the style's side margin, less two points for a rule's own width and rounding
EDGE = 5 * MM  # what a printer cannot reach, top and bottom
TOP, BOTTOM = 15 * MM, 17 * MM  # the style's margins: the page's body lies between them
QUARTER = 0.25


@dataclass(frozen=True)
class Layout:
    outside: list[str]  # everything drawn outside the printable area, page by page
    used: list[float]  # how far down each page's body its content reaches, as a share of the body's height
    last_lines: list[str]  # the text of each page's lowest line of body text


Box = tuple[float, float, float, float]  # left, bottom, right, top, in the page's coordinates (up from the foot)


def _drawn(objects: Any, matrix: pdfium.PdfMatrix) -> Iterator[tuple[Any, Box]]:
    """Every drawn object (text run, path, image) with its box on the page. Objects inside a form (a chart is
    one) report their box in the form's own space, so each form's matrix is applied on the way down."""
    for o in objects:
        box = matrix.on_rect(*o.get_bounds())
        if o.type != pdfium_c.FPDF_PAGEOBJ_FORM:
            yield o, box
            continue
        inner = o.get_matrix().multiply(matrix)
        count = pdfium_c.FPDFFormObj_CountObjects(o.raw)
        children = [
            pdfium.PdfObject(pdfium_c.FPDFFormObj_GetObject(o.raw, i), page=o.page, pdf=o.pdf, level=o.level + 1)
            for i in range(count)
        ]
        yield from _drawn(children, inner)


@cache
def layout(path: Path) -> Layout:
    """One reading of a PDF's drawn objects, for both checks. The page number at the foot is not content."""
    found, used, last_lines = [], [], []
    pdf = pdfium.PdfDocument(path)
    try:
        for number, page in enumerate(pdf, start=1):
            width, height = page.get_size()
            lowest_body, lowest_text = height, height
            text = page.get_textpage()
            for o, (left, bottom, right, top) in _drawn(page.get_objects(max_depth=0), pdfium.PdfMatrix()):
                if left < SIDE or right > width - SIDE or bottom < EDGE or top > height - EDGE:
                    what = text.get_text_bounded(left, bottom, right, top)[:40] or "a drawing"
                    found.append(f"page {number}: {what!r} at x {left:.0f}–{right:.0f}, y {height - top:.0f}")
                if bottom >= BOTTOM - 2:
                    lowest_body = min(lowest_body, bottom)
                    if o.type == pdfium_c.FPDF_PAGEOBJ_TEXT and o.level == 0:  # words of the page, not of a chart
                        lowest_text = min(lowest_text, bottom)
            used.append((height - TOP - lowest_body) / (height - TOP - BOTTOM) if lowest_body < height else 0.0)
            line = text.get_text_bounded(SIDE, lowest_text - 1, width - SIDE, lowest_text + 6)
            last_lines.append(" ".join(line.split()))
    finally:
        pdf.close()
    return Layout(found, used, last_lines)


def outside(path: Path) -> list[str]:
    """Everything drawn outside the printable area, page by page (an empty list when all is inside)."""
    return layout(path).outside


def chapter_starts(path: Path) -> set[int]:
    """The pages (from 1) where a chapter begins: the bookmarks one level below the document's title."""
    reader = pypdf.PdfReader(path)
    starts: set[int] = set()
    for entry in reader.outline:
        if isinstance(entry, list):
            starts |= {(reader.get_destination_page_number(e) or 0) + 1 for e in entry if not isinstance(e, list)}
    return starts


def _forced_starts(path: Path) -> set[int]:
    """Where a flowing report starts a page on purpose: after its summary, and at its appendix by question."""
    reader = pypdf.PdfReader(path)
    starts: set[int] = set()
    for entry in reader.outline:
        if isinstance(entry, list):
            for e in entry:
                if not isinstance(e, list) and e.title in ("Summary", "Results by question"):
                    page = (reader.get_destination_page_number(e) or 0) + 1
                    starts.add(page + 1 if e.title == "Summary" else page)
    return starts


def sparse_pages(path: Path, chapters_start_pages: bool = True) -> list[str]:
    """Pages less than a quarter used, other than the last and, where chapters start new pages, a chapter's
    last page. In a report that flows on, the pages its style ends on purpose are exempt too: a summary that is
    its first page alone, and the page before an appendix."""
    starts = chapter_starts(path) if chapters_start_pages else _forced_starts(path)
    shares = layout(path).used
    last = len(shares)
    return [
        f"page {number} of {last} is {share:.0%} used"
        for number, share in enumerate(shares, start=1)
        if share < QUARTER and number != last and number + 1 not in starts
    ]


def stranded_headings(path: Path, page: str) -> list[str]:
    """Headings and table captions printed as the last line of a page, away from what they head."""
    headings = {
        " ".join(re.sub(r"<[^>]+>", "", h).split())
        for h in re.findall(r"<(?:h[2-4]|caption)\b[^>]*>(.*?)</(?:h[2-4]|caption)>", page, flags=re.S)
    }
    lines = layout(path).last_lines
    return [f"page {n}: {line!r}" for n, line in enumerate(lines[:-1], start=1) if _unescape(line) in headings]


def page_count(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


# --- PDF/UA ----------------------------------------------------------------------------------------------


def structure(path: Path) -> list[tuple[str, DictionaryObject]]:
    """The structure tree's elements in order (depth first, as a screen reader reads), with their types."""
    root: Any = pypdf.PdfReader(path).trailer["/Root"]
    found: list[tuple[str, DictionaryObject]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append((str(node["/S"]), node))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"]["/K"])
    return found


def html_order(page: str) -> list[str]:
    """The structure a tagged PDF of this HTML must keep: headings, tables and charts, in document order. A short
    report's contents list is not printed (the style leaves it to the PDF's bookmarks)."""
    if 'class="chapters-start-pages"' not in page:
        page = re.sub(r'<nav class="contents".*?</nav>', "", page, flags=re.S)
    tags = re.findall(r"<(h[1-6]|table|svg)\b", page)
    return ["/" + ("Figure" if t == "svg" else "Table" if t == "table" else t.upper()) for t in tags]


def chart_titles(page: str) -> list[str]:
    """Each chart's alternative text, as its <title> gives it."""
    return [_unescape(t) for t in re.findall(r"<svg[^>]*>\s*<title>([^<]*)</title>", page)]


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def ua_problems(path: Path, page: str) -> list[str]:
    """What keeps a PDF from being the tagged PDF/UA document its HTML should give."""
    reader = pypdf.PdfReader(path)
    root: Any = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root or not root.get("/MarkInfo", {}).get("/Marked"):
        return ["not marked as tagged"]
    problems = []
    if root.get("/Lang") != "en":
        problems.append(f"language is {root.get('/Lang')!r}")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
        problems.append("the viewer is not asked to show the title")
    title = re.search(r"<title>([^<]*)</title>", page)
    if title is None or reader.metadata is None or reader.metadata.title != _unescape(title.group(1)):
        problems.append("the document's title is missing")
    if "/Metadata" not in root or b"pdfuaid:part" not in root["/Metadata"].get_object().get_data():
        problems.append("no PDF/UA identification in the metadata")
    elements = structure(path)
    if _printed_order(elements) != html_order(page):
        problems.append("headings, tables and charts are not tagged in the order they are printed")
    figures = [str(node.get("/Alt", "")) for kind, node in elements if kind == "/Figure"]
    if figures != chart_titles(page):
        problems.append(f"charts' alternative texts {figures[:3]} are not their titles")
    tables = [node for kind, node in elements if kind == "/Table"]
    headed = sum(1 for table in tables if _has(table, "/TH"))
    if headed != len(tables):
        problems.append(f"{len(tables) - headed} of {len(tables)} tables have no header cells")
    return problems


def _printed_order(elements: list[tuple[str, DictionaryObject]]) -> list[str]:
    """Headings, tables and charts as tagged. A table that runs on to another page is tagged once per page; every
    table of ours has a caption, printed (and tagged) on its first page only, so a part without one is the
    continuation of the table before."""
    order = []
    for kind, node in elements:
        if kind == "/Table" and not _has(node, "/Caption"):
            continue
        if kind in ("/H1", "/H2", "/H3", "/H4", "/Table", "/Figure"):
            order.append(kind)
    return order


def _has(table: DictionaryObject, wanted: str) -> bool:
    """Whether a table's structure holds an element of the type wanted (not looking inside its cells)."""
    stack: list[Any] = [table]
    while stack:
        node = stack.pop().get_object()
        if isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, DictionaryObject):
            if node.get("/S") == wanted:
                return True
            if "/K" in node and node.get("/S") not in ("/TD", "/TH"):
                stack.append(node["/K"])
    return False
