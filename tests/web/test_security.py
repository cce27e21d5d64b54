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

STATE_CHANGES = [
    "trust_invitations_upload",
    "national_invite_from_file",
    "trust_send_emails",
    "trust_invitation_reinstate",
    "trust_upload",
    "national_trust_edit",
    "national_coordinator_remove",
    "national_coordinator_password",
]


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
        if name.startswith("trust_invitation_"):
            kwargs = {"invitation": world.respondent_a.pk}
        if name.startswith(("national_trust", "national_coordinator")):
            kwargs["trust_id"] = world.trust_a.pk
        if name.startswith("national_coordinator"):
            kwargs["coordinator"] = world.coordination_a
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
        # The project's own deployment checks ask for e-mail that reaches people (web/checks.py).
        "SELFASSESS_EMAIL_HOST": "smtp.example.org",
        "SELFASSESS_FROM_EMAIL": "selfassess@example.org",
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


def _fail(client: Client, username: str, **headers: str) -> int:
    return int(client.post(reverse("login"), {"username": username, "password": "wrong"}, **headers).status_code)


def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another(world: World, settings: Any) -> None:
    """Behind the README's proxy every request comes from the proxy: locking by that address would let anyone
    lock an administrator out. With the proxy trusted, the client's own address is used."""
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert [_fail(Client(), "admin@example.org", **attacker) for _ in range(5)][-1] == 429
    # The administrator, through the same proxy from their own address, signs in.
    own = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    response = Client().post(reverse("login"), {"username": "admin@example.org", "password": PASSWORD}, **own)
    assert response.status_code == 302
    # A client's own claim further left in the header is not believed.
    spoofed = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.2, 203.0.113.7"}
    assert _fail(Client(), "admin@example.org", **spoofed) == 429


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(world: World, settings: Any) -> None:
    settings.TRUSTED_PROXIES = 0
    statuses = [
        _fail(Client(), "a@example.org", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        for i in range(5)
    ]
    assert statuses[-1] == 429  # a new made-up address each time did not escape the lock


def test_one_address_trying_many_user_names_is_paused(world: World, settings: Any) -> None:
    settings.ADDRESS_FAILURE_LIMIT = 6
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [_fail(client, f"user{i}@example.org") for i in range(6)] == [200] * 6
    locked = client.post(reverse("login"), {"username": "admin@example.org", "password": PASSWORD})
    assert locked.status_code == 429 and b"from this network" in locked.content
    other = Client(REMOTE_ADDR="198.51.100.3")
    assert other.post(reverse("login"), {"username": "admin@example.org", "password": PASSWORD}).status_code == 302


def test_error_pages_are_the_services_own(world: World) -> None:
    from django.test import RequestFactory

    from selfassess.web.views import errors

    missing = signed_in(world.coordinator_a).get("/no-such-page/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "<title>Page not found – selfassess</title>" in html and "Sign out" in html
    forbidden = signed_in(world.coordinator_a).get(reverse("national_rounds"))
    assert forbidden.status_code == 403 and "You cannot see this page" in forbidden.content.decode()
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    failed = errors.server_error(request)
    assert failed.status_code == 500
    assert "Sorry, there is a problem with the service" in failed.content.decode()
    assert errors.bad_request(request, ValueError()).status_code == 400


def test_sign_in_takes_the_address_in_any_case(world: World) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "  A@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302
    wrong = Client().post(reverse("login"), {"username": "a@example.org", "password": "not it"})
    html = wrong.content.decode()
    assert "Enter the e-mail address and password of your account" in html and "correct username" not in html
    assert "<title>Error: Sign in" in html
