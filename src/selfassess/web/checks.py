"""The project's own deployment checks, run with Django's by `selfassess check --deploy` (Django's cover the
HTTPS settings: HSTS, secure cookies, the SSL redirect, DEBUG and ALLOWED_HOSTS)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

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
def files(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Report sets, uploads and backups are written under MEDIA_ROOT: it must exist and take a file."""
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".check-"):
            pass
    except OSError as error:
        return [
            Error(
                f"The folder for report files, {root}, cannot be written to ({error.strerror or error}).",
                hint="Set SELFASSESS_VAR to a folder the service's user can write to.",
                id="selfassess.E004",
            )
        ]
    return []
