"""Reports for a round, from the database: the same engine and report code as the command line.

The national set is made once per state of the data (submitted answers, open or closed) and kept on disk,
since the PDF takes a while; a later request for the same state is served from there.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from selfassess.analysis import build_cube, results
from selfassess.analysis.trusts import trust_profiles
from selfassess.reports import Written, render, trust_report, write_reports
from selfassess.web.models import Respondent, Round, Trust
from selfassess.web.services.data import table_for


def data_version(round: Round) -> str:
    state = Respondent.objects.filter(trust__round=round, submitted_at__isnull=False).aggregate(
        n=Count("id"), last=Max("submitted_at")
    )
    text = f"{round.pk}:{state['n']}:{state['last']}:{round.closed_at}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def national_files(round: Round) -> Written | None:
    """The national report files for the round as it stands (None before anyone has submitted)."""
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(round.pk) / data_version(round)
    if (folder / "national-report.pdf").exists():  # made already for this state of the data: no need to read it
        found = json.loads((folder / "results.json").read_text())
        written = Written(found)
        for key, name in (
            ("results", "results.json"),
            ("html", "national-report.html"),
            ("pdf", "national-report.pdf"),
            ("xlsx", "national-tables.xlsx"),
        ):
            written.files[key] = folder / name
        return written
    table = table_for(round)
    if table is None:
        return None
    return write_reports(table, folder, threshold=settings.SUPPRESSION_THRESHOLD, provisional=round.is_open)


def trust_report_html(round: Round, trust: Trust) -> str | None:
    table = table_for(round)
    if table is None or trust.code not in table.trusts:
        return None
    cube = build_cube(table)
    profiles = trust_profiles(table, cube, results(cube))
    report = trust_report(round.framework, profiles[trust.code], settings.SUPPRESSION_THRESHOLD, round.is_open)
    return render.html(report, footer=f"{trust.name}, {round.name}.")


def trust_report_pdf(round: Round, trust: Trust) -> bytes | None:
    page = trust_report_html(round, trust)
    return None if page is None else render.pdf_bytes(page)
