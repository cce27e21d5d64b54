"""A trust coordinator's pages: the quota, invitation links, paper forms, uploads, and the trust's report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from selfassess.reports.paper import write_paper_template
from selfassess.responses import InvalidResponses
from selfassess.web.models import Trust
from selfassess.web.services import reporting
from selfassess.web.services.imports import import_paper_forms
from selfassess.web.services.invitations import quota_grid, totals
from selfassess.web.uploads import refused
from selfassess.web.views.access import WORKING_ON, coordinated, coordinator_required
from selfassess.web.views.pages import build_id, outdated_notice, preparing, with_way_back


def _dashboard(request: HttpRequest, trust: Trust, **extra: object) -> HttpResponse:
    framework = trust.round.framework
    context = {
        "trust": trust,
        "round": trust.round,
        "framework": framework,
        "grid": quota_grid(trust),
        "totals": totals(trust),
        **extra,
    }
    failed = any(key.endswith("errors") and value for key, value in extra.items())
    return render(request, "coordinate/dashboard.html", context, status=400 if failed else 200)


@coordinator_required
@require_GET
def dashboard(request: HttpRequest, trust: Trust) -> HttpResponse:
    return _dashboard(request, trust)


@login_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    """For someone who coordinates several trusts: which to work on now."""
    trusts = coordinated(request)
    if not trusts:
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        wanted = request.POST.get("trust", "")
        found = next((t for t in trusts if str(t.pk) == wanted), None)
        if found is not None:
            request.session[WORKING_ON] = found.pk
            return redirect("trust_dashboard")
        errors = [("trust-" + str(trusts[0].pk), "Choose the trust to work on")]
    current = request.session.get(WORKING_ON)
    context = {"trusts": trusts, "current": current, "errors": errors}
    return render(request, "coordinate/choose.html", context, status=400 if errors else 200)


def _file(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@coordinator_required
@require_GET
def paper_form(request: HttpRequest, trust: Trust) -> HttpResponse:
    ready = reporting.paper_form(trust)
    if ready.build is None:
        return preparing(request, ready, "the paper form", reverse("trust_dashboard"))
    return _download(reporting.paper_form_file(ready.build), "paper-form.pdf", "application/pdf")


def _download(file: File, name: str, content_type: str) -> FileResponse:
    return FileResponse(file, as_attachment=True, filename=name, content_type=content_type)


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
    too_large = refused(request)
    if too_large:
        return _dashboard(request, trust, upload_errors=[too_large])
    uploaded = request.FILES.get("workbook")
    if uploaded is None:
        return _dashboard(request, trust, upload_errors=["Choose a filled data-entry workbook to upload"])
    try:
        loaded = import_paper_forms(trust, uploaded.name or "", uploaded.chunks(), actor=request.user)
    except InvalidResponses as invalid:
        return _dashboard(request, trust, upload_errors=invalid.lines())
    return _dashboard(request, trust, uploaded=loaded)


@coordinator_required
@require_GET
def report(request: HttpRequest, trust: Trust) -> HttpResponse:
    ready = reporting.trust_reports(trust, build_id(request))
    if ready is None:
        return render(request, "coordinate/no_report.html", {"trust": trust}, status=404 if build_id(request) else 200)
    if ready.build is None:
        return preparing(request, ready, "your trust's report", reverse("trust_dashboard"))
    page = reporting.trust_report_page(ready.build, trust, request.user)
    if page is None:  # the last complete version was made before this trust's first answers
        if ready.preparing is not None:
            return preparing(request, ready, "your trust's report", reverse("trust_dashboard"))
        return render(request, "coordinate/no_report.html", {"trust": trust})
    return HttpResponse(
        with_way_back(page, reverse("trust_dashboard"), f"Back to {trust.name}", outdated_notice(ready))
    )


@coordinator_required
@require_GET
def report_pdf(request: HttpRequest, trust: Trust) -> HttpResponse:
    ready = reporting.trust_report_pdf(trust)
    if ready is None:
        return render(request, "coordinate/no_report.html", {"trust": trust})
    if ready.build is None:
        return preparing(request, ready, "your trust's report (PDF)", reverse("trust_dashboard"))
    return _download(reporting.trust_pdf_file(ready.build, request.user), f"{trust.code}-report.pdf", "application/pdf")
