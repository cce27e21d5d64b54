"""Security headers Django 5.2 does not set itself: a content security policy and a permissions policy.

No page needs a script, a plugin, or anything from another site: the policy says so. Styles may be inline
because reports are self-contained files (their charts carry style attributes).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'none'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS)
        return response


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, for throttling sign-ins (django-axes asks this).

    Behind a reverse proxy every request arrives from the proxy, so one person's wrong passwords would lock
    everybody out. With SELFASSESS_TRUSTED_PROXIES=N (the proxies in front of the service, each appending the
    address it was reached from to X-Forwarded-For), the client is the Nth address from the right; anything a
    client wrote further left is its own claim and ignored. With no trusted proxy the header is ignored
    entirely, so a client cannot choose its own address.
    """
    proxies = settings.TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def address_throttled(request: HttpRequest) -> bool:
    """Has this address failed to sign in too often lately, whatever user names it tried? (django-axes locks a
    user name at one address; this stops one address from trying many user names.)"""
    from axes.models import AccessAttempt

    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = AccessAttempt.objects.filter(ip_address=client_address(request), attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return (failures or 0) >= settings.ADDRESS_FAILURE_LIMIT


LINK_IN_PATH = re.compile(r"/r/[^/\s\"?]+")


def hide_links(text: str) -> str:
    """A log line with any respondent's link token cut out: /r/<token>/... becomes /r/…/..."""
    return LINK_IN_PATH.sub("/r/\u2026", text)


class HideLinks(logging.Filter):
    """A logging filter: the record's message, arguments included, with links cut out (a request line, a
    'Not Found: /r/…' warning, an error's path). Also for gunicorn's access log (see the README)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_links(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True
