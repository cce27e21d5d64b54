"""Pieces that pages of more than one area share: the page shown while a report is prepared, and a report
page shown inside the service."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape

from selfassess.web.services.builds import Ready


def whole_number(text: str) -> int | None:
    """A whole number typed or sent in a form or address, if that is what it is (and small enough for an id)."""
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def build_id(request: HttpRequest) -> int | None:
    """An earlier complete report set asked for by number (?build=N), if any."""
    return whole_number(request.GET.get("build", ""))


def preparing(request: HttpRequest, ready: Ready, what: str, back_url: str, previous_url: str = "") -> HttpResponse:
    """The page shown while a worker makes the files: when it was asked for, and the last complete version."""
    context = {
        "what": what,
        "preparing": ready.preparing,
        "previous": ready.previous,
        "previous_url": previous_url if ready.previous else "",
        "back_url": back_url,
        "retry_at": ready.preparing.requested_at + dt.timedelta(minutes=settings.REPORT_BUILD_STALE_MINUTES)
        if ready.preparing
        else None,
    }
    return render(request, "preparing.html", context)


def with_way_back(report: str, url: str, label: str) -> str:
    """A report page (a whole document of its own, made by a worker) with the service's way back at its top."""
    bar = (
        '<nav class="app-way-back" aria-label="Service" style="font-family:sans-serif;padding:.5em 1em;'
        f'border-bottom:1px solid #b1b4b6"><a href="{escape(url)}">{escape(label)}</a></nav>'
    )
    head, found, rest = report.partition("<body")
    if not found:
        return bar + report
    tag_end = rest.index(">") + 1
    return head + found + rest[:tag_end] + bar + rest[tag_end:]
