"""A trust coordinator's invitations: the list, making them (by number or from a file), the links made, one
invitation's page (reissue, revoke, reinstate), and e-mailing invitations and reminders."""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from selfassess.web.models import EmailSend, Respondent, Trust
from selfassess.web.services import invitations as service
from selfassess.web.services import mailing, reminders
from selfassess.web.services.rounds import SetupError
from selfassess.web.uploads import uploaded_csv
from selfassess.web.views.access import View, coordinator_required
from selfassess.web.views.pages import whole_number

FILTERS = {status.replace(" ", "-"): status for status in service.STATUSES}


def _list(request: HttpRequest, trust: Trust, status: int = 200, **extra: object) -> HttpResponse:
    chosen = FILTERS.get(request.GET.get("status", ""), "")
    search = request.GET.get("search", "")[: service.LABEL_LENGTH]
    page = service.invitation_page(trust, chosen, search, whole_number(request.GET.get("page", "")) or 1)
    framework = trust.round.framework
    context = {
        "trust": trust,
        "round": trust.round,
        "framework": framework,
        "page": page,
        "invitations": page.invitations,
        "search": search,
        "totals": service.totals(trust),
        "chosen": chosen,
        "filters": FILTERS,
        "to_invite": mailing.recipients(trust, EmailSend.INVITATION).count(),
        "to_remind": mailing.recipients(trust, EmailSend.REMINDER).count(),
        "sends": mailing.history(trust),
        "reminder_dates": reminders.upcoming(trust.round),
        "sector_title": {s.id: s.title for s in framework.sectors},
        "audience_title": {a.id: a.title for a in framework.audiences},
        **extra,
    }
    return render(request, "coordinate/invitations.html", context, status=status)


@coordinator_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, trust: Trust) -> HttpResponse:
    """GET: the list. POST: make a number of links (for one sector and role, or for the person to choose)."""
    if request.method == "GET":
        return _list(request, trust)
    count = whole_number(request.POST.get("count", "")) or 0  # the service says which numbers it takes
    try:
        made = service.create_invitations(
            trust, count, request.POST.get("sector", ""), request.POST.get("audience", ""), actor=request.user
        )
    except SetupError as error:
        return _list(request, trust, 400, errors=[("count", p) for p in error.problems])
    return _links(request, trust, made, "made")


@coordinator_required
@require_POST
def upload(request: HttpRequest, trust: Trust) -> HttpResponse:
    """Make one invitation per line of a CSV: label,email,sector,role."""
    data, problem = uploaded_csv(request, "people", service.CSV_BYTES, "label,email,sector,role")
    if problem is not None:
        return _list(request, trust, 400, upload_errors=[("people", problem)])
    replace = request.POST.get("replace") == "yes"
    try:
        made = service.invitations_from_csv(trust, data, replace=replace, actor=request.user)
    except SetupError as error:
        return _list(request, trust, 400, upload_errors=[("people", p) for p in error.problems])
    return _links(request, trust, made, "made")


def _link(request: HttpRequest) -> Callable[[str], str]:
    def link(token: str) -> str:
        return request.build_absolute_uri(reverse("respond_start", kwargs={"token": token}))

    return link


def _links(request: HttpRequest, trust: Trust, made: list[service.Invitation], how: str) -> HttpResponse:
    """The links just made, with the same as a CSV to download for a mail merge (in the page itself, a data:
    address). They are the links every e-mail to these people will carry."""
    link = _link(request)
    merge = service.mail_merge_csv(made, link, trust.round.framework)
    context = {
        "trust": trust,
        "how": how,
        "links": [(i.respondent, link(i.token)) for i in made],
        "merge_file": "data:text/csv;charset=utf-8;base64," + base64.b64encode(merge.encode()).decode("ascii"),
    }
    response = render(request, "coordinate/links.html", context)
    response["Cache-Control"] = "no-store"  # links are keys: no copy kept by the browser
    return response


@coordinator_required
@require_GET
def mail_merge(request: HttpRequest, trust: Trust) -> HttpResponse:
    """Every invitation still waiting for answers, with its link, for a mail merge."""
    return _csv(service.mail_merge(trust, _link(request), actor=request.user), f"invitation-links-{trust.code}.csv")


@coordinator_required
@require_GET
def export(request: HttpRequest, trust: Trust) -> HttpResponse:
    """The list of invitations with their statuses, never their links."""
    return _csv(service.list_csv(trust, actor=request.user), f"invitations-{trust.code}.csv")


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response


def own_invitation(view: View) -> View:
    """The view gets one of the coordinator's own trust's invitations, found before anything else is looked at:
    another trust's invitation is not found, whatever the method."""

    @wraps(view)
    def wrapped(request: HttpRequest, trust: Trust, invitation: int) -> HttpResponse:
        respondent = service.invitation(trust, invitation)
        if respondent is None:
            raise Http404("No such invitation")
        return view(request, trust, respondent)

    return wrapped


@coordinator_required
@own_invitation
@require_GET
def detail(request: HttpRequest, trust: Trust, respondent: Respondent) -> HttpResponse:
    framework = trust.round.framework
    working = not respondent.revoked_at and not respondent.submitted_at
    context = {
        "trust": trust,
        "respondent": respondent,
        "link": _link(request)(service.link_token(respondent)) if working else "",
        "sections": len(framework.practices),
        "sector": next((s.title for s in framework.sectors if s.id == respondent.sector), ""),
        "audience": next((a.title for a in framework.audiences if a.id == respondent.audience), ""),
    }
    response = render(request, "coordinate/invitation.html", context)
    response["Cache-Control"] = "no-store"
    return response


@coordinator_required
@own_invitation
@require_http_methods(["GET", "POST"])
def reissue(request: HttpRequest, trust: Trust, respondent: Respondent) -> HttpResponse:
    """GET: are you sure (the old link stops working)? POST: make the new link."""
    if request.method == "GET":
        return render(request, "coordinate/reissue.html", {"trust": trust, "respondent": respondent})
    try:
        made = service.reissue(trust, respondent.pk, actor=request.user)
    except SetupError as error:
        context = {"trust": trust, "errors": error.problems}
        return render(request, "coordinate/invitation_refused.html", context, status=400)
    return _links(request, trust, [made], "reissued")


@coordinator_required
@own_invitation
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, trust: Trust, respondent: Respondent) -> HttpResponse:
    """GET: are you sure? POST: revoke."""
    if request.method == "GET":
        return render(request, "coordinate/revoke.html", {"trust": trust, "respondent": respondent})
    service.set_revoked(trust, respondent.pk, True, actor=request.user)
    return redirect(reverse("trust_invitation", kwargs={"invitation": respondent.pk}) + "?done=revoked")


@coordinator_required
@own_invitation
@require_POST
def reinstate(request: HttpRequest, trust: Trust, respondent: Respondent) -> HttpResponse:
    service.set_revoked(trust, respondent.pk, False, actor=request.user)
    return redirect(reverse("trust_invitation", kwargs={"invitation": respondent.pk}) + "?done=reinstated")


@coordinator_required
@require_POST
def send_emails(request: HttpRequest, trust: Trust) -> HttpResponse:
    kind = request.POST.get("kind", "")
    try:
        send = mailing.request_emails(trust, kind, request.build_absolute_uri("/"), actor=request.user)
    except SetupError as error:
        return _list(request, trust, 400, email_errors=[("send", p) for p in error.problems])
    return redirect(reverse("trust_invitations") + f"?sent={send.kind}")
