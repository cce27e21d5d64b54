"""Reports for a round, from the database: the same engine and report code as the command line.

The national set is made once per state of the data (submitted answers, open or closed) and kept on disk,
since the PDF takes a while; a later request for the same state is served from there, and the sets made for
earlier states are removed once a newer one is complete. Reading or downloading a report is recorded here,
after the request has been found valid.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from selfassess.analysis import build_cube, results
from selfassess.analysis.trusts import trust_profiles
from selfassess.reports import Written, render, trust_report, write_reports
from selfassess.responses import csv_text
from selfassess.web.models import Respondent, Round, Trust
from selfassess.web.services import audit
from selfassess.web.services.audit import Action
from selfassess.web.services.data import answer_rows, table_for

FILES = {
    "results": "results.json",
    "html": "national-report.html",
    "pdf": "national-report.pdf",
    "xlsx": "national-tables.xlsx",
}


@dataclass(frozen=True)
class Download:
    key: str  # in FILES
    name: str
    content_type: str


DOWNLOADS = {
    "pdf": Download("pdf", "national-report.pdf", "application/pdf"),
    "xlsx": Download(
        "xlsx", "national-tables.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "json": Download("results", "results.json", "application/json"),
}
ANSWERS = "answers.csv"


class NoSuchDownload(LookupError):
    pass


def data_version(round: Round) -> str:
    state = Respondent.objects.filter(trust__round=round, submitted_at__isnull=False).aggregate(
        n=Count("id"), last=Max("submitted_at")
    )
    text = f"{round.pk}:{state['n']}:{state['last']}:{round.closed_at}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _round_folder(round: Round) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / str(round.pk)


def national_files(round: Round) -> Written | None:
    """The national report files for the round as it stands (None before anyone has submitted)."""
    folder = _round_folder(round) / data_version(round)
    if (folder / FILES["pdf"]).exists():  # made already for this state of the data: no need to read it
        written = Written(json.loads((folder / FILES["results"]).read_text()))
        written.files.update({key: folder / name for key, name in FILES.items()})
        return written
    table = table_for(round)
    if table is None:
        return None
    written = write_reports(table, folder, threshold=settings.SUPPRESSION_THRESHOLD, provisional=round.is_open)
    _remove_superseded(folder)
    return written


def _remove_superseded(current: Path) -> None:
    """Sets made for earlier states of the data will never be served again."""
    for folder in current.parent.iterdir():
        if folder != current and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def national_report_page(round: Round, actor: Any) -> str | None:
    written = national_files(round)
    if written is None:
        return None
    audit.record(actor, Action.NATIONAL_REPORT_READ, round)
    return written.files["html"].read_text(encoding="utf-8")


def national_download(round: Round, kind: str, actor: Any) -> tuple[Download, Path] | None:
    """The file of that kind (NoSuchDownload for a kind there is none of; None before anyone has submitted)."""
    download = DOWNLOADS.get(kind)
    if download is None:
        raise NoSuchDownload(kind)
    written = national_files(round)
    if written is None:
        return None
    audit.record(actor, Action.NATIONAL_REPORT_DOWNLOADED, round, detail=kind)
    return download, written.files[download.key]


def answers_csv(round: Round, actor: Any) -> str:
    """Every submitted answer in the long form, safe to open in a spreadsheet."""
    text = csv_text(answer_rows(round))
    audit.record(actor, Action.ANSWERS_DOWNLOADED, round)
    return text


def trust_report_html(round: Round, trust: Trust) -> str | None:
    table = table_for(round)
    if table is None or trust.code not in table.trusts:
        return None
    cube = build_cube(table)
    profiles = trust_profiles(table, cube, results(cube))
    report = trust_report(round.framework, profiles[trust.code], settings.SUPPRESSION_THRESHOLD, round.is_open)
    return render.html(report, footer=f"{trust.name}, {round.name}.")


def trust_report_page(trust: Trust, actor: Any) -> str | None:
    page = trust_report_html(trust.round, trust)
    if page is not None:
        audit.record(actor, Action.TRUST_REPORT_READ, trust=trust)
    return page


def trust_report_pdf(trust: Trust, actor: Any) -> bytes | None:
    page = trust_report_html(trust.round, trust)
    if page is None:
        return None
    data = render.pdf_bytes(page)
    audit.record(actor, Action.TRUST_REPORT_DOWNLOADED, trust=trust)
    return data
