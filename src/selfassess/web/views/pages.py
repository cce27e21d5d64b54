"""Pieces that pages of more than one area share: the page shown while a report is prepared, and a report
page shown inside the service."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape

from selfassess.text import digits
from selfassess.web.jinja import date
from selfassess.web.services.builds import Ready


def whole_number(text: str) -> int | None:
    """A whole number typed or sent in a form or address, if that is what it is (and small enough for an id)."""
    text = text.strip()
    return int(text) if digits(text) and len(text) < 12 else None


def build_id(request: HttpRequest) -> int | None:
    """An earlier complete report set asked for by number (?build=N), if any."""
    return whole_number(request.GET.get("build", ""))


REFRESH_SECONDS = 5


def preparing(request: HttpRequest, ready: Ready, what: str, back_url: str) -> HttpResponse:
    """The page shown before any version is complete: when it was asked for and how far it has gone. It
    reloads itself every few seconds (the HTTP Refresh header: no script needed) until the files are there,
    unless the reader turns that off (?refresh=off), as WCAG 2.2.1 asks of anything timed."""
    manual = request.GET.get("refresh") == "off"
    failed = ready.preparing is not None and ready.preparing.status == "failed"
    query = request.GET.copy()
    query["refresh"] = "off"
    context = {
        "what": what,
        "preparing": ready.preparing,
        "refresh": 0 if manual or failed else REFRESH_SECONDS,
        "stop_url": f"{request.path}?{query.urlencode()}",
        "back_url": back_url,
        "retry_at": ready.preparing.requested_at + dt.timedelta(minutes=settings.REPORT_BUILD_STALE_MINUTES)
        if ready.preparing
        else None,
    }
    response = render(request, "preparing.html", context)
    if context["refresh"]:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def outdated_notice(ready: Ready) -> str:
    """What an earlier version holds, said while the current one is made ('' when it is current)."""
    if not ready.outdated or ready.build is None:
        return ""
    held = ready.build
    counted = "" if held.responses is None else f"{held.responses:,} questionnaire{'s' if held.responses != 1 else ''}"
    when = held.data_as_at or held.finished_at
    as_at = f" submitted by {date(when, 'H:i')} on {date(when, 'j F Y')}" if when else ""
    return (
        f"This version counts the {counted}{as_at}. An update with newer answers is being made: "
        "reload this page in a minute or two to see it."
        if counted
        else f"This is the version made{as_at}. An update is being made: reload this page in a minute or two."
    )


def with_way_back(report: str, url: str, label: str, notice: str = "") -> str:
    """A report page (a whole document of its own, made by a worker) with the service's way back at its top,
    and a notice (such as what an earlier version holds) if given."""
    said = (
        f'<p role="status" style="margin:.5em 0 0;padding:.5em;border-left:5px solid #1d70b8;background:#f3f2f1">'
        f"{escape(notice)}</p>"
        if notice
        else ""
    )
    bar = (
        '<nav class="app-way-back" aria-label="Service" style="font-family:sans-serif;padding:.5em 1em;'
        f'border-bottom:1px solid #b1b4b6"><a href="{escape(url)}">{escape(label)}</a>{said}</nav>'
    )
    head, found, rest = report.partition("<body")
    if not found:
        return bar + report
    tag_end = rest.index(">") + 1
    return head + found + rest[:tag_end] + bar + rest[tag_end:]
