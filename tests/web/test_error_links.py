"""Every form's errors follow the GOV.UK pattern: an error summary whose links each lead to a field on the same
page, "Error: " at the start of the title, and the message beside the field."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import World, date_fields, signed_in


def csv_file(text: str) -> io.BytesIO:
    file = io.BytesIO(text.encode())
    file.name = "list.csv"
    return file


# (who posts, the route and its arguments, what is posted): each refused.
CASES: dict[str, tuple[str, Callable[[World], str], Callable[[World], dict[str, Any]]]] = {
    "about you": ("link", lambda w: reverse("respond_about_you", kwargs={"token": w.token_b}), lambda w: {}),
    "a section": (
        "link",
        lambda w: reverse("respond_section", kwargs={"token": w.token_a, "number": 1}),
        lambda w: {"Q2": "7"},
    ),
    "submitting nothing": ("link", lambda w: reverse("respond_check", kwargs={"token": w.token_a}), lambda w: {}),
    "making links": ("coordinator", lambda w: reverse("trust_invitations"), lambda w: {"count": "x"}),
    "a list of people": (
        "coordinator",
        lambda w: reverse("trust_invitations_upload"),
        lambda w: {"people": csv_file("label,email,sector,role\nA,bad,,\n")},
    ),
    "a filled workbook": (
        "coordinator",
        lambda w: reverse("trust_upload"),
        lambda w: {"workbook": csv_file("trust,respondent\n")},
    ),
    "choosing a trust": ("coordinator", lambda w: reverse("trust_choose"), lambda w: {"trust": "0"}),
    "a new round": (
        "administrator",
        lambda w: reverse("national_rounds"),
        lambda w: {"name": "", **date_fields(opens_on="2027-02-30", closes_on="2027-03-01")},
    ),
    "a trust": ("administrator", lambda w: reverse("national_add_trusts", args=[w.round.pk]), lambda w: {"code": "x"}),
    "a list of trusts": (
        "administrator",
        lambda w: reverse("national_add_trusts", args=[w.round.pk]),
        lambda w: {"trusts": csv_file("id,title\n")},
    ),
    "a coordinator": (
        "administrator",
        lambda w: reverse("national_invite", args=[w.round.pk]),
        lambda w: {"email": "nobody", "trust": str(w.trust_a.pk)},
    ),
    "a trust's id": (
        "administrator",
        lambda w: reverse("national_trust_edit", args=[w.round.pk, w.trust_a.pk]),
        lambda w: {"code": "TB"},
    ),
    "a closing date": (
        "administrator",
        lambda w: reverse("national_dates", args=[w.round.pk]),
        lambda w: date_fields(closes_on="2001-01-01"),
    ),
    "signing in": ("anonymous", lambda w: reverse("login"), lambda w: {"username": "a@example.org", "password": "x"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_error_in_the_summary_leads_to_its_field(world: World, case: str) -> None:
    who, route, posted = CASES[case]
    client = {
        "link": Client(),
        "anonymous": Client(),
        "coordinator": signed_in(world.coordinator_a),
        "administrator": signed_in(world.admin),
    }[who]
    if who == "coordinator" and case == "choosing a trust":
        from selfassess.web.services.rounds import invite_coordinator

        invite_coordinator(world.trust_b, "a@example.org", "http://testserver/", actor="test")
    response = client.post(route(world), posted(world))
    html = response.content.decode()
    assert response.status_code in (200, 400), response.status_code
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, f"{case}: no error summary"
    targets = re.findall(r'<a href="#([^"]+)">', summary.group(0))
    assert targets, f"{case}: the summary's errors lead nowhere"
    for target in targets:
        assert f'id="{target}"' in html, f"{case}: the summary links to #{target}, which is not on the page"
    assert "<title>Error: " in html, f"{case}: the title does not start with Error:"
