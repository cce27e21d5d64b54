"""Reports to files: HTML (self-contained: styles and charts inline), and PDF made from that same HTML."""

from __future__ import annotations

import logging
import os
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from selfassess.reports.document import Report

TEMPLATES = resources.files("selfassess") / "reports" / "templates"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )


def css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def html(report: Report, footer: str = "") -> str:
    return _environment().get_template("report.html").render(report=report, css=css(), footer=footer)


def write_text(path: Path, text: str) -> None:
    """Whole file or nothing: written beside, then renamed."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


# Reports carry everything inline (styles, SVG charts): a PDF never needs to fetch anything, so any address in
# a page (one smuggled in through a trust's name, say) is refused rather than read from the disk or the network.
EMBEDDED_ONLY = frozenset({"data"})


def pdf_bytes(page: str) -> bytes:
    from weasyprint import HTML  # imported here: it is slow to import and only the PDF needs it
    from weasyprint.urls import URLFetcher

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols=EMBEDDED_ONLY, allow_redirects=False, timeout=1)
    # PDF/UA-1: tagged (a structure tree in reading order, header cells, each chart's alternative text from its
    # <title>), with the document's language and title, as public bodies must publish.
    data: bytes = HTML(string=page, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
    return data


def write_pdf(path: Path, page: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(pdf_bytes(page))
    os.replace(partial, path)
