"""The questionnaire, reached by an invitation link: start, about you, one page per practice, check, submit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from selfassess.framework import Framework
from selfassess.web.models import Respondent
from selfassess.web.services import questionnaire as q
from selfassess.web.services.invitations import respondent_for_token

View = Callable[..., HttpResponse]


def respondent_required(view: View) -> View:
    """The link is the respondent's only key: an unknown token is simply not found, and a questionnaire that
    is submitted or whose round has closed says so instead of showing the page."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        respondent = respondent_for_token(token)
        if respondent is None:
            # Mistyped, cut short by an e-mail program, replaced by a newer link, or revoked: one answer.
            return render(request, "respond/no_link.html", status=404)
        try:
            q.check_open(respondent)
        except q.Closed as closed:
            return _closed(request, respondent, closed)
        return view(request, respondent, token, *args, **kwargs)

    return wrapped


def _closed(request: HttpRequest, respondent: Respondent, closed: q.Closed) -> HttpResponse:
    context = {"respondent": respondent, "message": str(closed), "not_yet": isinstance(closed, q.NotOpenYet)}
    return render(request, "respond/closed.html", context, status=200)


def _context(respondent: Respondent, token: str, **extra: Any) -> dict[str, Any]:
    framework = respondent.trust.round.framework
    return {
        "respondent": respondent,
        "token": token,
        "framework": framework,
        "round": respondent.trust.round,
        "threshold": settings.SUPPRESSION_THRESHOLD,
        **extra,
    }


@respondent_required
def start(request: HttpRequest, respondent: Respondent, token: str) -> HttpResponse:
    """A new person's start page; a returning person's is their task list, with where to carry on."""
    framework = respondent.trust.round.framework
    known = bool(respondent.sector and respondent.audience)
    answers = q.answers_of(respondent) if known and respondent.started_at else {}
    pages = q.pages(framework, respondent.audience) if known else []
    context = _context(
        respondent,
        token,
        counts=[] if any(p.questions for p in pages) else _counts_by_role(framework),
        questions=sum(len(p.questions) for p in pages),
        sections=q.sections(pages, answers) if answers else [],
        onward=_onward(respondent, token, pages, answers),
    )
    return render(request, "respond/start.html", context)


def _counts_by_role(framework: Framework) -> list[int]:
    """How many questions each role is asked, for a person who has not said theirs yet."""
    return sorted({sum(len(p.questions) for p in q.pages(framework, a.id)) for a in framework.audiences})


def _onward(respondent: Respondent, token: str, pages: list[q.Page], answers: dict[str, str]) -> str:
    """Where "Start now" or "Carry on" goes: about you first, then the first question not yet answered (its
    section, scrolled to it), or checking the answers once every question has one."""
    if not pages:
        return reverse("respond_about_you", kwargs={"token": token})
    found = q.carry_on_at(pages, answers)
    if found is None:
        return reverse("respond_check", kwargs={"token": token})
    page, question = found
    section = reverse("respond_section", kwargs={"token": token, "number": page.number})
    return section if question == page.questions[0] else f"{section}#question-{question.id}"


@respondent_required
@require_http_methods(["GET", "POST"])
def about_you(request: HttpRequest, respondent: Respondent, token: str) -> HttpResponse:
    errors: list[q.Problem] = []
    if request.method == "POST":
        errors = q.set_about_you(respondent, request.POST.get("sector", ""), request.POST.get("audience", ""))
        if not errors:
            return redirect("respond_section", token=token, number=1)
    return render(
        request, "respond/about_you.html", _context(respondent, token, errors=errors), status=400 if errors else 200
    )


@respondent_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, respondent: Respondent, token: str, number: int) -> HttpResponse:
    if not respondent.sector or not respondent.audience:
        return redirect("respond_about_you", token=token)
    pages = q.pages(respondent.trust.round.framework, respondent.audience)
    if not 1 <= number <= len(pages):
        raise Http404("No such section")
    page = pages[number - 1]
    errors: list[q.Problem] = []
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {question.id: request.POST.get(question.id, "") for question in page.questions}
        errors = q.save_page(respondent, page, posted)
        if not errors:  # saved: on to the next page, without reading anything back
            if request.POST.get("then") == "later":
                return render(request, "respond/saved.html", _context(respondent, token))
            if request.GET.get("from") == "check" or number == len(pages):
                return redirect("respond_check", token=token)
            return redirect("respond_section", token=token, number=number + 1)
    answers = {**q.answers_of(respondent), **posted}
    form = q.page_form(respondent.trust.round.framework, page, answers, q.numbering(pages))
    total = sum(len(p.questions) for p in pages)
    context = _context(respondent, token, page=page, pages=len(pages), questions=form, total=total, errors=errors)
    return render(request, "respond/section.html", context, status=400 if errors else 200)


@respondent_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, respondent: Respondent, token: str) -> HttpResponse:
    if not respondent.sector or not respondent.audience:
        return redirect("respond_about_you", token=token)
    errors: list[q.Problem] = []
    if request.method == "POST":
        try:
            q.submit(respondent)
        except q.Closed as closed:
            return _closed(request, respondent, closed)
        except q.NothingToSubmit as empty:
            errors = [("section-1", str(empty))]
        else:
            return redirect("respond_submitted", token=token)
    framework = respondent.trust.round.framework
    answers = q.answers_of(respondent)
    labels = {a.code: a.label for a in framework.scale}
    summary = [
        {
            "page": page,
            "rows": [
                (question, labels.get(answers.get(question.id, ""), "Not answered")) for question in page.questions
            ],
        }
        for page in q.pages(framework, respondent.audience)
    ]
    sector = next(s.title for s in framework.sectors if s.id == respondent.sector)
    audience = next(a.title for a in framework.audiences if a.id == respondent.audience)
    missing = q.unanswered(framework, respondent.audience, answers)
    context = _context(
        respondent, token, summary=summary, sector=sector, audience=audience, unanswered=missing, errors=errors
    )
    return render(request, "respond/check.html", context, status=400 if errors else 200)


def submitted(request: HttpRequest, token: str) -> HttpResponse:
    respondent = respondent_for_token(token)
    if respondent is None:
        return render(request, "respond/no_link.html", status=404)
    if not respondent.submitted_at:
        return redirect("respond_start", token=token)
    return render(request, "respond/submitted.html", _context(respondent, token))
