"""Every route, requested as every kind of visitor. The routes come from the URL configuration itself, so a
new route without a rule here fails the suite."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from selfassess.web.models import Respondent
from tests.web.conftest import World, signed_in

VISITORS = ["anonymous", "respondent_a", "respondent_b", "coordinator_a", "coordinator_b", "administrator"]

# Who may use each route: "everyone", "link" (whoever holds that respondent's link), "coordinator",
# "coordinator_a" (the coordinator of trust A only: the route names respondent A's invitation), "administrator".
RULES = {
    "home": "everyone",
    "login": "everyone",
    "logout": "everyone",
    "password_reset_confirm": "everyone",
    "password_reset": "everyone",
    "password_reset_done": "everyone",
    "respond_start": "link",
    "respond_about_you": "link",
    "respond_section": "link",
    "respond_check": "link",
    "respond_submitted": "link",
    "trust_dashboard": "coordinator",
    "trust_choose": "coordinator",
    "trust_invitations": "coordinator",
    "trust_invitations_upload": "coordinator",
    "trust_send_emails": "coordinator",
    "trust_mail_merge": "coordinator",
    "trust_invitations_export": "coordinator",
    "trust_invitation": "coordinator_a",
    "trust_invitation_reissue": "coordinator_a",
    "trust_invitation_revoke": "coordinator_a",
    "trust_invitation_reinstate": "coordinator_a",
    "trust_paper_form": "coordinator",
    "trust_data_entry": "coordinator",
    "trust_upload": "coordinator",
    "trust_report": "coordinator",
    "trust_report_pdf": "coordinator",
    "national_rounds": "administrator",
    "national_audit": "administrator",
    "national_round": "administrator",
    "national_add_trusts": "administrator",
    "national_invite": "administrator",
    "national_invite_from_file": "administrator",
    "national_close": "administrator",
    "national_dates": "administrator",
    "national_previous": "administrator",
    "national_groups": "administrator",
    "national_reminders": "administrator",
    "national_responses": "administrator",
    "national_responses_csv": "administrator",
    "national_reports": "administrator",
    "national_trust_pdfs": "administrator",
    "national_trust": "administrator",
    "national_trust_attribute": "administrator",
    "national_trust_edit": "administrator",
    "national_trust_report": "administrator",
    "national_trust_report_pdf": "administrator",
    "national_trust_remove": "administrator",
    "national_coordinator_remove": "administrator",
    "national_coordinator_password": "administrator",
    "national_report": "administrator",
    "national_download": "administrator",
}


def routes() -> list[URLPattern]:
    return [p for p in get_resolver().url_patterns if isinstance(p, URLPattern)]


def test_every_route_has_a_rule() -> None:
    names = {p.name for p in routes()}
    assert names == set(RULES), (
        f"routes without a rule: {names - set(RULES)}; rules without a route: {set(RULES) - names}"
    )


def client_for(visitor: str, world: World) -> Client:
    users = {"coordinator_a": world.coordinator_a, "coordinator_b": world.coordinator_b, "administrator": world.admin}
    return signed_in(users[visitor]) if visitor in users else Client()


def url_for(name: str, visitor: str, world: World) -> str:
    tokens = {"respondent_a": world.token_a, "respondent_b": world.token_b}
    kwargs: dict[str, Any] = {}
    pattern = next(p for p in routes() if p.name == name)
    for key in pattern.pattern.converters:
        kwargs[key] = {
            "token": tokens.get(visitor, secrets.token_urlsafe(24)),  # others can only guess
            "number": 1,
            "round_id": world.round.pk,
            "kind": "json",
            "invitation": world.respondent_a.pk,
            "trust_id": world.trust_a.pk,
            "coordinator": world.coordination_a,
            "uidb64": "MQ",
            "token_": "x",
        }.get(key, "x")
    return str(reverse(name, kwargs=kwargs))


def allowed(response: Any) -> bool:
    if response.status_code in (403, 404):
        return False
    if response.status_code == 302:
        return "/sign-in/" not in response["Location"]
    return response.status_code in (200, 405, 400)


def expected(rule: str, visitor: str) -> bool:
    return {
        "everyone": True,
        "link": visitor.startswith("respondent"),
        "coordinator": visitor.startswith("coordinator"),
        "coordinator_a": visitor == "coordinator_a",
        "administrator": visitor == "administrator",
    }[rule]


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_route_as_every_visitor(world: World, visitor: str) -> None:
    Respondent.objects.filter(pk=world.respondent_b.pk).update(sector="youth", audience="leader_manager")
    wrong = []
    for pattern in routes():
        name = pattern.name
        assert name is not None
        url = url_for(name, visitor, world)
        for method in ("get", "post"):
            response = getattr(client_for(visitor, world), method)(url)
            if allowed(response) != expected(RULES[name], visitor):
                wrong.append(f"{method.upper()} {url} as {visitor}: {response.status_code}")
            if not response.streaming and b"bound method" in response.content:  # a template forgot the ()
                wrong.append(f"{method.upper()} {url} as {visitor}: prints a method instead of calling it")
    assert not wrong, "\n".join(wrong)


def test_a_coordinator_sees_only_their_own_trust(world: World) -> None:
    page = signed_in(world.coordinator_a).get(reverse("trust_invitations")).content.decode()
    assert "Trust A" in page and "Trust B" not in page
    assert world.respondent_a.code in page and world.respondent_b.code not in page.replace(world.respondent_a.code, "")
    made = signed_in(world.coordinator_a).post(reverse("trust_invitations"), {"count": "2"})
    assert made.status_code == 200
    assert Respondent.objects.filter(trust=world.trust_b).count() == 1  # nothing made in B


def test_invitation_status_shows_no_answers(world: World) -> None:
    from selfassess.web.services import questionnaire as q

    page = q.pages(world.round.framework, "front_line")[0]
    q.save_page(world.respondent_a, page, {question.id: "5" for question in page.questions})
    html = signed_in(world.coordinator_a).get(reverse("trust_invitations")).content.decode()
    # The CSRF tokens are random text that can contain "Q2" by chance (this test once failed so): leave them out.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    assert "in progress" in html
    assert page.questions[0].id not in html and "integrated and high quality" not in html


def test_every_form_needs_the_csrf_token(world: World) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.coordinator_a)
    assert strict.post(reverse("trust_invitations"), {"count": "1"}).status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    url = reverse("respond_about_you", kwargs={"token": world.token_a})
    assert anonymous.post(url, {"sector": "health", "audience": "front_line"}).status_code == 403
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(world.admin)
    assert admin.post(reverse("national_close", kwargs={"round_id": world.round.pk})).status_code == 403
    world.round.refresh_from_db()
    assert world.round.closed_at is None


def test_links_are_derived_and_stored_nowhere(world: World) -> None:
    """A link carries 128 bits of HMAC under the server's secret; no column of the database holds it."""
    assert len(world.token_a.split("-")[1]) == 32
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM selfassess_respondent")
        assert not any(world.token_a in str(value) for row in cursor.fetchall() for value in row)
