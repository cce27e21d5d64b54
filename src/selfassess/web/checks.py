"""The project's own deployment checks, run with Django's by `selfassess check --deploy` (Django's cover the
HTTPS settings: HSTS, secure cookies, the SSL redirect, DEBUG and ALLOWED_HOSTS)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from selfassess.web.services import files

DEVELOPMENT_KEY = "insecure-development-key-set-SELFASSESS_SECRET_KEY"
NOT_SENT = ("console.EmailBackend", "locmem.EmailBackend", "filebased.EmailBackend", "dummy.EmailBackend")


@register(Tags.security, deploy=True)
def secret_key(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.SECRET_KEY == DEVELOPMENT_KEY or len(settings.SECRET_KEY) < 32:
        return [
            Error(
                "The secret key is the development one, or too short: invitation links and sessions could be forged.",
                hint="Set SELFASSESS_SECRET_KEY to at least 32 random characters, the same on every server.",
                id="selfassess.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def email(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.EMAIL_BACKEND.endswith(NOT_SENT):
        return [
            Error(
                f"E-mail is not sent anywhere ({settings.EMAIL_BACKEND}): invitations, reminders and set-password "
                "links would reach nobody.",
                hint="Set SELFASSESS_EMAIL_HOST (an SMTP server) or SELFASSESS_EMAIL_BACKEND, and DEFAULT_FROM_EMAIL.",
                id="selfassess.E002",
            )
        ]
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        return [
            Error(
                f"E-mail would come from {settings.DEFAULT_FROM_EMAIL}, which no one can reply to.",
                hint="Set DEFAULT_FROM_EMAIL (or SELFASSESS_FROM_EMAIL) to the service's address.",
                id="selfassess.E003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def storage(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Report sets, uploads and backups are kept through the storage API: a file must go in and come back."""
    problem = files.unreachable()
    if problem:
        return [
            Error(
                problem,
                hint="Set SELFASSESS_VAR to a folder the service's user can write to, or SELFASSESS_S3_BUCKET (and "
                "its endpoint and credentials) to a bucket it can reach.",
                id="selfassess.E004",
            )
        ]
    return []
