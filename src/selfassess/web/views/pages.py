"""Pieces that pages of more than one area share: the page shown while a report is prepared."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from selfassess.web.services.builds import Ready


def build_id(request: HttpRequest) -> int | None:
    """An earlier complete report set asked for by number (?build=N), if any."""
    text = request.GET.get("build", "")
    return int(text) if text.isdigit() and len(text) < 12 else None


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
