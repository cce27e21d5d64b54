"""A trust coordinator's pages: the quota, invitation links, paper forms, uploads, and the trust's report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from selfassess.reports.paper import write_paper_form, write_paper_template
from selfassess.responses import InvalidResponses, read_responses
from selfassess.web.models import Respondent, Trust
from selfassess.web.services import audit
from selfassess.web.services.data import import_table
from selfassess.web.services.invitations import create_invitations, quota_grid
from selfassess.web.services.reporting import trust_report_html, trust_report_pdf
from selfassess.web.services.rounds import SetupError
from selfassess.web.views.access import coordinator_required


def _dashboard(request: HttpRequest, trust: Trust, **extra: object) -> HttpResponse:
    respondents = Respondent.objects.filter(trust=trust).only(
        "code", "sector", "audience", "source", "started_at", "submitted_at"
    )
    framework = trust.round.framework
    context = {
        "trust": trust,
        "round": trust.round,
        "framework": framework,
        "grid": quota_grid(trust),
        "respondents": respondents,
        "sectors": framework.sectors,
        "audiences": framework.audiences,
        **extra,
    }
    failed = any(key.endswith("errors") and value for key, value in extra.items())
    return render(request, "coordinate/dashboard.html", context, status=400 if failed else 200)


@coordinator_required
@require_GET
def dashboard(request: HttpRequest, trust: Trust) -> HttpResponse:
    return _dashboard(request, trust)


@coordinator_required
@require_POST
def invitations(request: HttpRequest, trust: Trust) -> HttpResponse:
    try:
        count = int(request.POST.get("count", "1"))
    except ValueError:
        count = 0
    try:
        made = create_invitations(trust, count, request.POST.get("sector", ""), request.POST.get("audience", ""))
    except SetupError as error:
        return _dashboard(request, trust, errors=error.problems)
    audit.record(request.user, "made invitation links", trust=trust, detail=f"{len(made)} links")
    links = [(i.respondent, request.build_absolute_uri(f"/r/{i.token}/")) for i in made]
    return render(request, "coordinate/links.html", {"trust": trust, "links": links})


def _file(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@coordinator_required
@require_GET
def paper_form(request: HttpRequest, trust: Trust) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.pdf"
        write_paper_form(trust.round.framework, path, trust.name)
        return _file(path.read_bytes(), "paper-form.pdf", "application/pdf")


@coordinator_required
@require_GET
def data_entry(request: HttpRequest, trust: Trust) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data-entry.xlsx"
        write_paper_template(trust.round.framework, path)
        return _file(
            path.read_bytes(), "data-entry.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


@coordinator_required
@require_POST
def upload(request: HttpRequest, trust: Trust) -> HttpResponse:
    uploaded = request.FILES.get("workbook")
    if uploaded is None:
        return _dashboard(request, trust, upload_errors=["Choose a filled data-entry workbook to upload"])
    suffix = ".xlsx" if uploaded.name.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            table = read_responses(path, trust.round.framework)
            loaded = import_table(trust.round, table, Respondent.PAPER, only_trust=trust)
        except InvalidResponses as invalid:
            return _dashboard(request, trust, upload_errors=invalid.lines())
    audit.record(
        request.user, "imported paper forms", trust=trust, detail=f"{loaded['respondents']} forms, {uploaded.name}"
    )
    return _dashboard(request, trust, uploaded=loaded)


@coordinator_required
@require_GET
def report(request: HttpRequest, trust: Trust) -> HttpResponse:
    page = trust_report_html(trust.round, trust)
    if page is None:
        return render(request, "coordinate/no_report.html", {"trust": trust})
    audit.record(request.user, "read trust report", trust=trust)
    return HttpResponse(page)


@coordinator_required
@require_GET
def report_pdf(request: HttpRequest, trust: Trust) -> HttpResponse:
    data = trust_report_pdf(trust.round, trust)
    if data is None:
        return render(request, "coordinate/no_report.html", {"trust": trust})
    audit.record(request.user, "downloaded trust report PDF", trust=trust)
    return _file(data, f"{trust.code}-report.pdf", "application/pdf")
