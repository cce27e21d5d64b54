"""The national administrator's pages: rounds, trusts, coordinators, the dashboard, closing, the national report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from selfassess.framework import builtin_frameworks
from selfassess.framework.loader import MAX_BYTES as FRAMEWORK_BYTES
from selfassess.text import digits
from selfassess.web.models import Round, Trust
from selfassess.web.services import audit, organisations, reminders, reporting
from selfassess.web.services import responses as response_service
from selfassess.web.services import rounds as setup
from selfassess.web.services.builds import Ready
from selfassess.web.services.questionnaire import Problem
from selfassess.web.uploads import refused, uploaded_csv
from selfassess.web.views.access import administrator_required
from selfassess.web.views.pages import build_id, outdated_notice, preparing, whole_number, with_way_back


def posted_date(post: Any, name: str, what: str) -> tuple[dt.date | None, list[Problem]]:
    """A date from a GOV.UK date input (fields name-day, name-month, name-year), or the problem in its words:
    "The closing date must include a month", "... must be a real date"."""
    parts = {part: post.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")}
    field = f"{name}-day"
    if not any(parts.values()):
        return None, [(field, f"Enter the {what}")]
    missing = [part for part, text in parts.items() if not text]
    if missing:
        return None, [(f"{name}-{missing[0]}", f"The {what} must include a {' and a '.join(missing)}")]
    if not all(digits(text) and len(text) <= 4 for text in parts.values()) or len(parts["year"]) != 4:
        return None, [(field, f"The {what} must be a real date, like 27 3 2027")]
    try:
        return dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"])), []
    except ValueError:
        return None, [(field, f"The {what} must be a real date, like 27 3 2027")]


@administrator_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest) -> HttpResponse:
    errors: list[Problem | str] = []
    if request.method == "POST":
        opens, opens_problems = posted_date(request.POST, "opens_on", "opening date")
        closes, closes_problems = posted_date(request.POST, "closes_on", "closing date")
        try:
            _check_upload(request)
            source = _framework_text(request.FILES.get("framework")) or _builtin_text(request.POST.get("builtin", ""))
            if opens is None or closes is None:
                raise setup.SetupError([])
            created = setup.create_round(request.POST.get("name", ""), opens, closes, source, actor=request.user)
            return redirect("national_round", round_id=created.pk)
        except setup.SetupError as error:
            named = [("framework" if "framework" in p.lower() else "name", p) for p in error.problems]
            errors = [*opens_problems, *closes_problems, *named]
    context = {
        "rounds": Round.objects.all(),
        "errors": errors,
        "today": dt.date.today(),
        "builtin": {path.name: framework.title for path, framework in builtin_frameworks().items()},
    }
    return render(request, "administer/rounds.html", context, status=400 if errors else 200)


def _builtin_text(name: str) -> str | None:
    """The text of the built-in framework chosen by its file name (None: the default, the first)."""
    chosen = next((path for path in builtin_frameworks() if path.name == name), None)
    return None if chosen is None else chosen.read_text(encoding="utf-8")


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


def _round(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("previous"), pk=round_id)


@administrator_required
@require_GET
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round as a list of tasks (GOV.UK "complete multiple tasks"), each on its own page."""
    round = _round(round_id)
    rows = response_service.trust_rows(round)
    context = {
        "round": round,
        "trusts": len(rows),
        "with_coordinators": sum(1 for r in rows if r.coordinators),
        "submitted": sum(r.submitted for r in rows),
        "links": sum(r.links for r in rows),
    }
    return render(request, "administer/round.html", context)


def _trusts_page(request: HttpRequest, round: Round, status: int = 200, **extra: object) -> HttpResponse:
    context = {"round": round, "trusts": round.trusts.annotate(listed=Count("respondents")), **extra}
    return render(request, "administer/trusts.html", context, status=status)


@administrator_required
@require_http_methods(["GET", "POST"])
def add_trusts(request: HttpRequest, round_id: int) -> HttpResponse:
    """GET: the round's trusts. POST: add one, or many from a CSV."""
    round = _round(round_id)
    if request.method == "GET":
        return _trusts_page(request, round)
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
        field = "trusts" if request.FILES.get("trusts") else "code"
        return _trusts_page(request, round, 400, errors=[(field, p) for p in error.problems])
    return _trusts_page(request, round, added=len(added))


def _coordinators_page(request: HttpRequest, round: Round, status: int = 200, **extra: object) -> HttpResponse:
    trusts = round.trusts.prefetch_related("coordinators__user")
    return render(request, "administer/coordinators.html", {"round": round, "trusts": trusts, **extra}, status=status)


@administrator_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, round_id: int) -> HttpResponse:
    """GET: who coordinates each trust. POST: invite someone to coordinate a trust (added to any they have)."""
    round = _round(round_id)
    if request.method == "GET":
        return _coordinators_page(request, round)
    trust = round.trusts.filter(pk=whole_number(request.POST.get("trust", "")) or 0).first()
    if trust is None:
        return _coordinators_page(request, round, 400, errors=[("trust", "Choose the trust they will coordinate")])
    email = request.POST.get("email", "")
    try:
        link = setup.invite_coordinator(trust, email, request.build_absolute_uri("/"), actor=request.user)
    except setup.SetupError as error:
        return _coordinators_page(request, round, 400, errors=[("email", p) for p in error.problems])
    return _coordinators_page(request, round, invited=(email.strip().lower(), trust, link))


@administrator_required
@require_POST
def invite_from_file(request: HttpRequest, round_id: int) -> HttpResponse:
    """Invite coordinators from a CSV of code,email: all or nothing, every problem by line."""
    round = _round(round_id)
    data, problem = uploaded_csv(request, "coordinators", setup.COORDINATOR_CSV_BYTES, "code,email")
    if problem is not None:
        return _coordinators_page(request, round, 400, file_errors=[("coordinators", problem)])
    try:
        count = setup.invite_coordinators_from_csv(round, data, request.build_absolute_uri("/"), actor=request.user)
    except setup.SetupError as error:
        return _coordinators_page(request, round, 400, file_errors=[("coordinators", p) for p in error.problems])
    return _coordinators_page(request, round, invited_many=count)


@administrator_required
@require_GET
def responses(request: HttpRequest, round_id: int) -> HttpResponse:
    """Responses as they arrive: per trust against the quota, sorted and filtered as asked; national rates by
    sector and role."""
    round = _round(round_id)
    sort = request.GET.get("sort", "code")
    sort = sort if sort in response_service.SORTS else "code"
    descending = request.GET.get("order") == "descending"
    show = request.GET.get("show", "all")
    show = show if show in response_service.SHOWS else "all"
    every = response_service.trust_rows(round)
    sectors, roles = response_service.national_rates(round)
    context = {
        "round": round,
        "rows": response_service.arranged(every, sort, descending, show),
        "totals": {key: sum(getattr(r, key) for r in every) for key in ("submitted", "in_progress", "links", "target")},
        "trusts": len(every),
        "sort": sort,
        "descending": descending,
        "show": show,
        "sorts": response_service.SORTS,
        "shows": response_service.SHOWS,
        "sectors": sectors,
        "roles": roles,
    }
    return render(request, "administer/responses.html", context)


@administrator_required
@require_GET
def responses_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    round = _round(round_id)
    response = HttpResponse(response_service.responses_csv(round, actor=request.user), content_type="text/csv")
    response["Content-Disposition"] = content_disposition_header(True, f"{round.name}-responses.csv")
    return response


@administrator_required
@require_GET
def reports(request: HttpRequest, round_id: int) -> HttpResponse:
    return render(request, "administer/reports.html", {"round": _round(round_id)})


@administrator_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, round_id: int) -> HttpResponse:
    """GET: are you sure? POST: close the round."""
    round = _round(round_id)
    if request.method == "GET":
        return render(request, "administer/close.html", {"round": round})
    setup.close_round(round, actor=request.user)
    return redirect(reverse("national_round", kwargs={"round_id": round.pk}) + "?done=closed")


@administrator_required
@require_http_methods(["GET", "POST"])
def dates(request: HttpRequest, round_id: int) -> HttpResponse:
    """Change the closing date: to extend an open round, or to reopen a closed one."""
    round = _round(round_id)
    errors: list[Problem | str] = []
    if request.method == "POST":
        closes, problems = posted_date(request.POST, "closes_on", "closing date")
        errors = list(problems)
        if closes is not None:
            reopening = round.closed_at is not None
            try:
                setup.set_closing_date(round, closes, actor=request.user)
            except setup.SetupError as error:
                errors = [("closes_on-day", p) for p in error.problems]
            else:
                done = "reopened" if reopening else "extended"
                return redirect(reverse("national_round", kwargs={"round_id": round.pk}) + f"?done={done}")
    return render(request, "administer/dates.html", {"round": round, "errors": errors}, status=400 if errors else 200)


@administrator_required
@require_http_methods(["GET", "POST"])
def reminder_days(request: HttpRequest, round_id: int) -> HttpResponse:
    """Set how many days before the round closes reminders go by themselves."""
    round = _round(round_id)
    errors: list[Problem | str] = []
    typed = ", ".join(str(d) for d in reminders.schedule(round).days)
    if request.method == "POST":
        typed = request.POST.get("days", "")[:200]
        try:
            reminders.set_reminder_days(round, typed, actor=request.user)
        except setup.SetupError as error:
            errors = [("days", p) for p in error.problems]
        else:
            return redirect(reverse("national_round", kwargs={"round_id": round.pk}) + "?done=reminders")
    context = {"round": round, "errors": errors, "typed": typed, "schedule": reminders.schedule(round)}
    return render(request, "administer/reminders.html", context, status=400 if errors else 200)


@administrator_required
@require_http_methods(["GET", "POST"])
def previous(request: HttpRequest, round_id: int) -> HttpResponse:
    """Choose the earlier round the round's reports compare with."""
    round = _round(round_id)
    choices = organisations.choices(round)
    errors: list[Problem | str] = []
    if request.method == "POST":
        wanted = request.POST.get("previous", "")
        chosen = next((r for r in choices if str(r.pk) == wanted), None)
        if chosen is None and wanted != "none":
            errors = [("previous", "Choose an earlier round, or no earlier round")]
        else:
            try:
                organisations.set_previous(round, chosen, actor=request.user)
            except organisations.PreviousRoundError as error:
                errors = [("previous", str(error))]
            else:
                return redirect(reverse("national_round", kwargs={"round_id": round.pk}) + "?done=previous")
    context = {"round": round, "choices": choices, "errors": errors}
    return render(request, "administer/previous.html", context, status=400 if errors else 200)


@administrator_required
@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest, round_id: int) -> HttpResponse:
    """Choose the organisations' attribute whose values make the round's benchmark groups, or none."""
    round = _round(round_id)
    found = organisations.round_attributes(round)
    errors: list[Problem | str] = []
    if request.method == "POST":
        wanted = request.POST.get("attribute", "")
        if wanted not in found and wanted != "none":
            errors = [("attribute", "Choose an attribute, or no benchmark groups")]
        else:
            organisations.set_group_attribute(round, "" if wanted == "none" else wanted, actor=request.user)
            return redirect(reverse("national_round", kwargs={"round_id": round.pk}) + "?done=groups")
    trusts = round.trusts.count()
    context = {"round": round, "attributes": found, "trusts": trusts, "errors": errors}
    return render(request, "administer/groups.html", context, status=400 if errors else 200)


@administrator_required
@require_POST
def trust_attribute(request: HttpRequest, round_id: int, trust_id: int) -> HttpResponse:
    """Set one attribute of the trust's organisation (a blank value removes it)."""
    trust = _trust(round_id, trust_id)
    name, value = request.POST.get("attribute", ""), request.POST.get("value", "")
    try:
        organisations.set_attribute(trust, name, value, actor=request.user)
    except organisations.AttributeProblem as error:
        errors = [("value" if "attribute's value" in p else "attribute", p) for p in error.problems]
        return _trust_page(request, trust, 400, errors=errors, typed=(name, value))
    return redirect(reverse("national_trust", kwargs={"round_id": round_id, "trust_id": trust_id}) + "?done=attribute")


def _trust(round_id: int, trust_id: int) -> Trust:
    return get_object_or_404(Trust.objects.select_related("round", "organisation"), pk=trust_id, round_id=round_id)


def _trust_page(request: HttpRequest, trust: Trust, status: int = 200, **extra: object) -> HttpResponse:
    context = {
        "round": trust.round,
        "trust": trust,
        "coordinators": trust.coordinators.select_related("user"),
        "submitted": trust.respondents.filter(submitted_at__isnull=False).exists(),
        "empty": not trust.respondents.exists(),
        "attributes": trust.organisation.attributes,
        "done": request.GET.get("done", ""),
        **extra,
    }
    return render(request, "administer/trust.html", context, status=status)


@administrator_required
@require_GET
def trust_detail(request: HttpRequest, round_id: int, trust_id: int) -> HttpResponse:
    return _trust_page(request, _trust(round_id, trust_id))


@administrator_required
@require_GET
def trust_report(request: HttpRequest, round_id: int, trust_id: int) -> HttpResponse:
    """Any trust's report, as its coordinator sees it (figures withheld alike)."""
    trust = _trust(round_id, trust_id)
    back = reverse("national_trust", kwargs={"round_id": round_id, "trust_id": trust_id})
    ready = reporting.trust_reports(trust, build_id(request))
    if ready is None:
        return render(request, "administer/no_report.html", {"round": trust.round, "trust": trust})
    if ready.build is None:
        return preparing(request, ready, f"{trust.name}'s report", back)
    page = reporting.trust_report_page(ready.build, trust, request.user)
    if page is None:  # the last complete version was made before this trust's first answers
        if ready.preparing is not None:
            return preparing(request, ready, f"{trust.name}'s report", back)
        return render(request, "administer/no_report.html", {"round": trust.round, "trust": trust})
    return HttpResponse(with_way_back(page, back, f"Back to {trust.name}", outdated_notice(ready)))


@administrator_required
@require_GET
def trust_report_pdf(request: HttpRequest, round_id: int, trust_id: int) -> HttpResponse:
    trust = _trust(round_id, trust_id)
    ready = reporting.trust_report_pdf(trust)
    if ready is None:
        return render(request, "administer/no_report.html", {"round": trust.round, "trust": trust})
    if ready.build is None:
        back = reverse("national_trust", kwargs={"round_id": round_id, "trust_id": trust_id})
        return preparing(request, ready, f"{trust.name}'s report (PDF)", back)
    pdf = reporting.trust_pdf_file(ready.build, request.user)
    return FileResponse(pdf, as_attachment=True, filename=f"{trust.code}-report.pdf", content_type="application/pdf")


@administrator_required
@require_GET
def trust_pdfs(request: HttpRequest, round_id: int) -> HttpResponse:
    """Every trust's report PDF in one zip, made by a task worker and streamed from its file."""
    round = get_object_or_404(Round, pk=round_id)
    ready = reporting.trust_pdfs(round)
    if ready is None:
        return render(request, "administer/no_report.html", {"round": round, "trust": None})
    if ready.build is None:
        return preparing(request, ready, "every trust's report (PDF)", reverse("national_reports", args=[round.pk]))
    bundle = reporting.trust_pdfs_file(ready.build, request.user)
    name = f"trust-reports-round-{round.pk}.zip"
    return FileResponse(bundle, as_attachment=True, filename=name, content_type="application/zip")


@administrator_required
@require_POST
def trust_edit(request: HttpRequest, round_id: int, trust_id: int) -> HttpResponse:
    """Rename the trust, or change its id (while nothing is submitted)."""
    trust = _trust(round_id, trust_id)
    field = "code" if "code" in request.POST else "name"
    try:
        if field == "code":
            setup.change_trust_code(trust, request.POST["code"], actor=request.user)
        else:
            setup.rename_trust(trust, request.POST.get("name", ""), actor=request.user)
    except setup.SetupError as error:
        trust.refresh_from_db()
        return _trust_page(request, trust, 400, errors=[(field, p) for p in error.problems])
    return redirect(reverse("national_trust", kwargs={"round_id": round_id, "trust_id": trust_id}) + "?done=" + field)


@administrator_required
@require_http_methods(["GET", "POST"])
def trust_remove(request: HttpRequest, round_id: int, trust_id: int) -> HttpResponse:
    """GET: are you sure? POST: remove the (empty) trust."""
    trust = _trust(round_id, trust_id)
    if request.method == "GET":
        return render(request, "administer/remove_trust.html", {"round": trust.round, "trust": trust})
    try:
        setup.remove_trust(trust, actor=request.user)
    except setup.SetupError as error:
        return _trust_page(request, trust, 400, errors=error.problems)
    return redirect(reverse("national_add_trusts", kwargs={"round_id": round_id}) + "?removed=" + trust.code)


@administrator_required
@require_POST
def coordinator_remove(request: HttpRequest, round_id: int, trust_id: int, coordinator: int) -> HttpResponse:
    trust = _trust(round_id, trust_id)
    try:
        setup.remove_coordinator(trust, coordinator, actor=request.user)
    except setup.SetupError as error:
        return _trust_page(request, trust, 400, errors=error.problems)
    return redirect(reverse("national_trust", kwargs={"round_id": round_id, "trust_id": trust_id}) + "?done=removed")


@administrator_required
@require_POST
def coordinator_password(request: HttpRequest, round_id: int, trust_id: int, coordinator: int) -> HttpResponse:
    trust = _trust(round_id, trust_id)
    try:
        link = setup.resend_password_link(trust, coordinator, request.build_absolute_uri("/"), actor=request.user)
    except setup.SetupError as error:
        return _trust_page(request, trust, 400, errors=error.problems)
    return _trust_page(request, trust, sent_link=link)


def _national(request: HttpRequest, round: Round) -> Ready | HttpResponse:
    """The national set to serve, or the page to show instead."""
    wanted = build_id(request)
    ready = reporting.national_reports(round, wanted)
    if ready is None and wanted is not None:
        raise Http404("That version of the report is no longer kept")
    if ready is None:
        return render(request, "administer/no_report.html", {"round": round, "trust": None})
    if ready.build is None:
        back = reverse("national_reports", kwargs={"round_id": round.pk})
        return preparing(request, ready, "the national report", back)
    return ready


@administrator_required
def report(request: HttpRequest, round_id: int) -> HttpResponse:
    found = _national(request, get_object_or_404(Round, pk=round_id))
    if isinstance(found, HttpResponse):
        return found
    assert found.build is not None
    page = reporting.national_report_page(found.build, request.user)
    back = reverse("national_reports", kwargs={"round_id": round_id})
    return HttpResponse(with_way_back(page, back, "Back to the round", outdated_notice(found)))


@administrator_required
def download(request: HttpRequest, round_id: int, kind: str) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    if kind == reporting.ANSWERS:  # streamed: it starts at once and needs the same memory however large
        pieces = reporting.answers_csv(round, request.user)
        streamed = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
        streamed["Content-Disposition"] = content_disposition_header(True, f"{round.name}-answers.csv")
        return streamed
    if kind == reporting.ANSWERS_PARQUET:
        response = HttpResponse(
            reporting.answers_parquet(round, request.user), content_type="application/vnd.apache.parquet"
        )
        response["Content-Disposition"] = content_disposition_header(True, f"{round.name}-answers.parquet")
        return response
    if kind not in reporting.DOWNLOADS:
        raise Http404("No such download")
    found = _national(request, round)
    if isinstance(found, HttpResponse):
        return found
    assert found.build is not None
    try:
        download, file = reporting.national_download(found.build, kind, request.user)
    except reporting.DownloadNotYet:
        back = reverse("national_reports", kwargs={"round_id": round.pk})
        what = "the national report's PDF" if kind == "pdf" else "the national tables workbook"
        return preparing(request, Ready(None, found.build), what, back)
    return FileResponse(file, as_attachment=True, filename=download.name, content_type=download.content_type)


@administrator_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    return render(request, "administer/audit.html", {"events": audit.recent()})
