"""The national administrator's pages: rounds, trusts, coordinators, the dashboard, closing, the national report."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.framework.loader import MAX_BYTES as FRAMEWORK_BYTES
from selfassess.web.models import Round
from selfassess.web.services import audit, reporting
from selfassess.web.services import rounds as setup
from selfassess.web.services.builds import Ready
from selfassess.web.services.data import round_summary
from selfassess.web.uploads import refused
from selfassess.web.views.access import administrator_required
from selfassess.web.views.pages import build_id, preparing


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@administrator_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        opens, closes = _date(request.POST.get("opens_on", "")), _date(request.POST.get("closes_on", ""))
        try:
            _check_upload(request)
            source = _framework_text(request.FILES.get("framework"))
            if opens is None or closes is None:
                raise setup.SetupError(["Enter the opening and closing dates, like 2026-10-01"])
            created = setup.create_round(request.POST.get("name", ""), opens, closes, source, actor=request.user)
            return redirect("national_round", round_id=created.pk)
        except setup.SetupError as error:
            errors = error.problems
    context = {"rounds": Round.objects.all(), "errors": errors, "today": dt.date.today()}
    return render(request, "administer/rounds.html", context, status=400 if errors else 200)


def _check_upload(request: HttpRequest) -> None:
    too_large = refused(request)
    if too_large:
        raise setup.SetupError([too_large])


def _framework_text(uploaded: UploadedFile | None) -> str | None:
    """An uploaded framework file's text, measured before it is read."""
    if uploaded is None:
        return None
    if uploaded.size is None or uploaded.size > FRAMEWORK_BYTES:
        raise setup.SetupError([f"The framework file is larger than {FRAMEWORK_BYTES // 1_000_000} MB"])
    try:
        return uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise setup.SetupError(
            ["The framework file's text is not UTF-8: save it as UTF-8 and upload it again"]
        ) from None


def _round_page(request: HttpRequest, round: Round, **extra: object) -> HttpResponse:
    summary = round_summary(round)
    context = {
        "round": round,
        "summary": summary,
        "submitted": sum(r["submitted"] for r in summary),
        "trusts": round.trusts.all(),
        **extra,
    }
    failed = any(key.endswith("errors") and value for key, value in extra.items())
    return render(request, "administer/round.html", context, status=400 if failed else 200)


@administrator_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    return _round_page(request, get_object_or_404(Round, pk=round_id))


@administrator_required
@require_POST
def add_trusts(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    try:
        _check_upload(request)
        uploaded = request.FILES.get("trusts")
        if uploaded:
            text = setup.trusts_csv_text(uploaded)
            added = setup.add_trusts_from_csv(round, text, actor=request.user)
        else:
            code, name = request.POST.get("code", ""), request.POST.get("name", "")
            added = [setup.add_trust(round, code, name, actor=request.user)]
    except setup.SetupError as error:
        return _round_page(request, round, trust_errors=error.problems)
    return _round_page(request, round, added=len(added))


@administrator_required
@require_POST
def invite(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    trust = round.trusts.filter(pk=request.POST.get("trust") or 0).first()
    if trust is None:
        return _round_page(request, round, invite_errors=["Choose the trust they will coordinate"])
    email = request.POST.get("email", "")
    try:
        link = setup.invite_coordinator(trust, email, request.build_absolute_uri("/"), actor=request.user)
    except setup.SetupError as error:
        return _round_page(request, round, invite_errors=error.problems)
    return _round_page(request, round, invited=(request.POST.get("email", "").strip(), trust, link))


@administrator_required
@require_POST
def close(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    setup.close_round(round, actor=request.user)
    return redirect("national_round", round_id=round.pk)


def _national(request: HttpRequest, round: Round) -> Ready | HttpResponse:
    """The national set to serve, or the page to show instead."""
    wanted = build_id(request)
    ready = reporting.national_reports(round, wanted)
    if ready is None and wanted is not None:
        raise Http404("That version of the report is no longer kept")
    if ready is None:
        return render(request, "administer/no_report.html", {"round": round})
    if ready.build is None:
        previous = f"{request.path}?build={ready.previous.pk}" if ready.previous else ""
        back = reverse("national_round", kwargs={"round_id": round.pk})
        return preparing(request, ready, "the national report", back, previous)
    return ready


@administrator_required
def report(request: HttpRequest, round_id: int) -> HttpResponse:
    found = _national(request, get_object_or_404(Round, pk=round_id))
    if isinstance(found, HttpResponse):
        return found
    assert found.build is not None
    return HttpResponse(reporting.national_report_page(found.build, request.user))


@administrator_required
def download(request: HttpRequest, round_id: int, kind: str) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    if kind == reporting.ANSWERS:
        response = HttpResponse(reporting.answers_csv(round, request.user), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{round.name}-answers.csv")
        return response
    if kind not in reporting.DOWNLOADS:
        raise Http404("No such download")
    found = _national(request, round)
    if isinstance(found, HttpResponse):
        return found
    assert found.build is not None
    download, path = reporting.national_download(found.build, kind, request.user)
    return FileResponse(path.open("rb"), as_attachment=True, filename=download.name, content_type=download.content_type)


@administrator_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    return render(request, "administer/audit.html", {"events": audit.recent()})
