"""The national administrator's pages: rounds, trusts, coordinators, the dashboard, closing, the national report."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.web.models import Round
from selfassess.web.services import audit
from selfassess.web.services import rounds as setup
from selfassess.web.services.data import export_rows, round_summary
from selfassess.web.services.reporting import national_files
from selfassess.web.views.access import administrator_required


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
        uploaded = request.FILES.get("framework")
        source = uploaded.read().decode("utf-8", errors="replace") if uploaded else None
        if opens is None or closes is None:
            errors.append("Enter the opening and closing dates, like 2026-10-01")
        else:
            try:
                created = setup.create_round(request.POST.get("name", ""), opens, closes, source)
                audit.record(request.user, "created round", created, detail=f"{opens} to {closes}")
                return redirect("national_round", round_id=created.pk)
            except setup.SetupError as error:
                errors = error.problems
    context = {"rounds": Round.objects.all(), "errors": errors, "today": dt.date.today()}
    return render(request, "administer/rounds.html", context, status=400 if errors else 200)


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
        uploaded = request.FILES.get("trusts")
        if uploaded:
            added = setup.add_trusts_from_csv(round, uploaded.read().decode("utf-8", errors="replace"))
        else:
            added = [setup.add_trust(round, request.POST.get("code", ""), request.POST.get("name", ""))]
    except setup.SetupError as error:
        return _round_page(request, round, trust_errors=error.problems)
    audit.record(request.user, "added trusts", round, detail=", ".join(t.code for t in added)[:500])
    return _round_page(request, round, added=len(added))


@administrator_required
@require_POST
def invite(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    trust = round.trusts.filter(pk=request.POST.get("trust") or 0).first()
    if trust is None:
        return _round_page(request, round, invite_errors=["Choose the trust they will coordinate"])
    try:
        link = setup.invite_coordinator(trust, request.POST.get("email", ""), request.build_absolute_uri("/"))
    except setup.SetupError as error:
        return _round_page(request, round, invite_errors=error.problems)
    audit.record(request.user, "invited coordinator", round, trust, detail=request.POST.get("email", "").strip())
    return _round_page(request, round, invited=(request.POST.get("email", "").strip(), trust, link))


@administrator_required
@require_POST
def close(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    setup.close_round(round)
    audit.record(request.user, "closed round", round)
    return redirect("national_round", round_id=round.pk)


@administrator_required
def report(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    written = national_files(round)
    if written is None:
        return render(request, "administer/no_report.html", {"round": round})
    audit.record(request.user, "read national report", round)
    return HttpResponse(written.files["html"].read_text(encoding="utf-8"))


DOWNLOADS = {
    "pdf": ("pdf", "national-report.pdf", "application/pdf"),
    "xlsx": ("xlsx", "national-tables.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("results", "results.json", "application/json"),
}


@administrator_required
def download(request: HttpRequest, round_id: int, kind: str) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    audit.record(request.user, f"downloaded {kind}", round)
    if kind == "answers.csv":
        response = HttpResponse(export_rows(round).write_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{round.name}-answers.csv"'
        return response
    if kind not in DOWNLOADS:
        raise Http404("No such download")
    written = national_files(round)
    if written is None:
        return render(request, "administer/no_report.html", {"round": round})
    key, name, content_type = DOWNLOADS[kind]
    return FileResponse(written.files[key].open("rb"), as_attachment=True, filename=name, content_type=content_type)


@administrator_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    return render(request, "administer/audit.html", {"events": audit.recent()})
