"""Hardening: Argon2 passwords, throttled sign-in, security headers, deploy checks, POST-only state changes."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.web.conftest import PASSWORD, World, signed_in

STATE_CHANGES = ["trust_invitations", "trust_upload", "national_add_trusts", "national_invite", "national_close"]


def test_passwords_are_hashed_with_argon2(world: World) -> None:
    world.admin.refresh_from_db()
    assert world.admin.password.startswith("argon2$")
    assert PASSWORD not in world.admin.password


def test_sign_in_is_throttled_after_five_failures(world: World) -> None:
    client = Client()
    statuses = [
        client.post(reverse("login"), {"username": "a@example.org", "password": "wrong"}).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = client.post(reverse("login"), {"username": "a@example.org", "password": PASSWORD})
    assert locked.status_code == 429 and b"Too many attempts" in locked.content
    # Another person's sign-in from the same place is not affected.
    assert Client().post(reverse("login"), {"username": "b@example.org", "password": PASSWORD}).status_code == 302


def test_pages_carry_security_headers(world: World) -> None:
    response = Client().get(reverse("respond_start", kwargs={"token": world.token_a}))
    policy = response["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sessions_expire() -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_state_changes_only_by_post(world: World) -> None:
    admin, coordinator = signed_in(world.admin), signed_in(world.coordinator_a)
    for name in STATE_CHANGES:
        client = coordinator if name.startswith("trust") else admin
        kwargs: dict[str, Any] = {"round_id": world.round.pk} if name.startswith("national") else {}
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 405, name
    world.round.refresh_from_db()
    assert world.round.closed_at is None


def test_deploy_checks_pass_under_production_settings(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "selfassess.web.settings_production",
        "SELFASSESS_SECRET_KEY": secrets.token_urlsafe(64),
        "SELFASSESS_ALLOWED_HOSTS": "selfassess.example.org",
        "SELFASSESS_VAR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests' own process; never in deployment
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
