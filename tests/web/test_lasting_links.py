"""Links that last: derived from the secret and the invitation's id and version, so another id, version or secret
never validates; a rotated secret in the fallbacks keeps links working; reissue and revoke end them; links made
before the change (stored as hashes) keep working until reissued; no log shows a link."""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from selfassess.web.models import Respondent
from selfassess.web.security import HideLinks, hide_links
from selfassess.web.services import invitations
from selfassess.web.services.audit import COMMAND_LINE
from tests.web.conftest import World, signed_in


def works(token: str) -> bool:
    status: int = Client().get(reverse("respond_start", kwargs={"token": token})).status_code
    return status == 200


def test_a_link_is_its_invitation_s_alone(world: World) -> None:
    a, b = world.respondent_a, world.respondent_b
    assert world.token_a == invitations.link_token(a) and works(world.token_a)
    signature = world.token_a.split("-")[1]
    # A's signature under B's id, or with one character changed, finds nothing.
    assert invitations.respondent_for_token(f"{b.link_id}-{signature}") is None
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    assert invitations.respondent_for_token(f"{a.link_id}-{flipped}") is None
    # The same id at the next version is another link.
    a.link_version += 1
    assert invitations.link_token(a) != world.token_a


def test_another_secret_never_validates_and_a_fallback_keeps_links(world: World, settings: Any) -> None:
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a new secret for the service, long and random enough"
    assert not works(world.token_a)  # made under the old secret, which is no longer known
    settings.SECRET_KEY_FALLBACKS = [old]
    assert works(world.token_a)  # rotation: the old secret is a fallback
    assert invitations.link_token(world.respondent_a) != world.token_a  # new e-mails carry the new secret's link
    assert works(invitations.link_token(world.respondent_a))


def test_the_same_link_until_reissued_or_revoked(world: World) -> None:
    coordinator = signed_in(world.coordinator_a)
    page = coordinator.get(reverse("trust_invitation", kwargs={"invitation": world.respondent_a.pk}))
    assert world.token_a in page.content.decode() and page["Cache-Control"] == "no-store"
    # Reissue asks first, saying who loses what; then the old link ends and the new one works.
    url = reverse("trust_invitation_reissue", kwargs={"invitation": world.respondent_a.pk})
    asked = coordinator.get(url).content.decode()
    assert "will stop working" in asked and "Anything the person has saved is kept" in asked
    assert works(world.token_a)  # asking changed nothing
    made = coordinator.post(url).content.decode()
    assert not works(world.token_a)
    new = invitations.link_token(Respondent.objects.get(pk=world.respondent_a.pk))
    assert f"/r/{new}/" in made and works(new)
    # Revoke ends it for good: reinstating gives another link again.
    revoke = reverse("trust_invitation_revoke", kwargs={"invitation": world.respondent_a.pk})
    assert "lose their link for good" in coordinator.get(revoke).content.decode()
    coordinator.post(revoke)
    assert not works(new)
    coordinator.post(reverse("trust_invitation_reinstate", kwargs={"invitation": world.respondent_a.pk}))
    assert not works(new)
    newest = invitations.link_token(Respondent.objects.get(pk=world.respondent_a.pk))
    assert newest != new and works(newest)


def test_a_link_made_before_derived_links_works_until_reissued(world: World) -> None:
    Respondent.objects.filter(pk=world.respondent_a.pk).update(token_hash=Respondent.hash_token("an-old-random-link"))
    assert works("an-old-random-link") and works(world.token_a)  # both, until someone ends the link
    invitations.reissue(world.trust_a, world.respondent_a.pk, actor=COMMAND_LINE)
    assert not works("an-old-random-link") and not works(world.token_a)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_old_links_working() -> None:
    """A database at 0007 with a respondent reached by a random link (stored as its hash), migrated: the link
    still works, and the invitation has a derived link too."""
    executor = MigrationExecutor(connection)
    executor.migrate([("selfassess", "0007_organisation_required_and_previous_rounds")])
    old = executor.loader.project_state([("selfassess", "0007_organisation_required_and_previous_rounds")]).apps
    round_ = old.get_model("selfassess", "Round").objects.create(
        name="Before", framework_source=_framework_text(), opens_on="2026-01-01", closes_on="2099-01-01"
    )
    organisation = old.get_model("selfassess", "Organisation").objects.create(code="T1", name="Trust 1")
    trust = old.get_model("selfassess", "Trust").objects.create(
        round=round_, organisation=organisation, code="T1", name="Trust 1"
    )
    old.get_model("selfassess", "Respondent").objects.create(
        trust=trust, code="W0001", token_hash=Respondent.hash_token("made-before-0008"), source="online"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert works("made-before-0008")
    respondent = Respondent.objects.get(code="W0001")
    assert respondent.link_version == 1 and len(respondent.link_id) == 12 and works(invitations.link_token(respondent))


def _framework_text() -> str:
    from selfassess.framework import builtin_path

    return Path(builtin_path()).read_text()


def test_logs_show_no_link() -> None:
    token = "abcdefghij12-0123456789abcdef0123456789abcdef"
    line = f'"GET /r/{token}/section/2/?from=check HTTP/1.1" 200 1234'
    assert hide_links(line) == '"GET /r/\u2026/section/2/?from=check HTTP/1.1" 200 1234'
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Not Found: %s", (f"/r/{token}/",), None)
    HideLinks().filter(record)
    assert token not in record.getMessage() and "/r/\u2026/" in record.getMessage()


def test_gunicorn_s_access_log_shows_the_path_without_the_link(tmp_path: Path) -> None:
    """The service's gunicorn settings, on a real gunicorn: the request is logged, its token is not."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "access.log"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    env = {"SELFASSESS_VAR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "selfassess.web.settings"}

    process = subprocess.Popen(
        [gunicorn, "-c", "python:selfassess.web.gunicorn", "-b", f"127.0.0.1:{port}", "selfassess.web.wsgi"],
        env={**os.environ, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    token = "abcdefghij12-0123456789abcdef0123456789abcdef"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/r/{token}/", timeout=2)
            except urllib.error.HTTPError:  # 404 or 500: either way the request reached the server
                break
            except OSError:
                time.sleep(0.1)
            else:
                break
        time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=20)
    text = log.read_text()
    assert "GET /r/\u2026/ HTTP/1.1" in text
    assert token not in text


def test_the_development_server_s_request_log_shows_no_link() -> None:
    """`selfassess serve` logs each request through the 'django.server' logger, and errors through
    'django.request', which the service's logging configures: the lines it writes hold no token."""
    token = "abcdefghij12-0123456789abcdef0123456789abcdef"
    written = io.StringIO()
    configured = [h for name in ("django.server", "django.request") for h in logging.getLogger(name).handlers]
    handlers = {h for h in configured if any(isinstance(f, HideLinks) for f in h.filters)}
    # Each logger writes through the service's console handler, which carries the filter.
    for name in ("django.server", "django.request"):
        assert any(h in handlers for h in logging.getLogger(name).handlers), name
    old = {h: h.setStream(written) for h in handlers}  # type: ignore[attr-defined]
    try:
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /r/{token}/section/1/ HTTP/1.1", "200", "512")
        logging.getLogger("django.request").error("Internal Server Error: %s", f"/r/{token}/check/")
    finally:
        for handler, stream in old.items():
            handler.setStream(stream)  # type: ignore[attr-defined]
    text = written.getvalue()
    assert "GET /r/\u2026/section/1/ HTTP/1.1" in text and "Internal Server Error: /r/\u2026/check/" in text
    assert token not in text
