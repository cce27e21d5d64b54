"""A round on the second built-in framework, chosen on the web: its respondent pages carry nothing of 2009."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from selfassess.framework import builtin_path
from selfassess.web.models import Round
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.invitations import create_invitations
from selfassess.web.services.rounds import add_trust
from tests.reports.test_any_framework import _text, found_2009
from tests.web.conftest import World, date_fields, signed_in


def test_an_administrator_runs_a_round_on_the_early_help_framework(world: World) -> None:
    admin = signed_in(world.admin)
    page = admin.get(reverse("national_rounds")).content.decode()
    assert '<option value="early-help.yaml">Early help partnership self-assessment</option>' in page
    today = dt.date.today()
    made = admin.post(
        reverse("national_rounds"),
        {
            "name": "Early help 2027",
            "builtin": "early-help.yaml",
            **date_fields(opens_on=str(today), closes_on=str(today + dt.timedelta(days=30))),
        },
    )
    assert made.status_code == 302
    round = Round.objects.get(name="Early help 2027")
    framework = round.framework
    assert framework.id == "early-help"
    trust = add_trust(round, "P1", "Northtown partnership", actor=COMMAND_LINE)
    (link,) = create_invitations(trust, 1, "health", "practitioner", actor=COMMAND_LINE)
    pages = {"start": Client().get(reverse("respond_start", kwargs={"token": link.token}))}
    pages["section"] = Client().get(reverse("respond_section", kwargs={"token": link.token, "number": 1}))
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = _text(response.content.decode())
        assert not found_2009(text, framework), (name, found_2009(text, framework)[:3])
    start = _text(pages["start"].content.decode())
    assert "Your Partnership is assessing itself" in start
    assert 'from 1 (not in place) to 4 (exemplary), or "not applicable"' in start
    assert "what 1, 2, 3 and 4 look like" in start


def test_a_framework_upload_with_problems_lists_each_by_line_and_column(world: World) -> None:
    lines = builtin_path().with_name("early-help.yaml").read_text(encoding="utf-8").splitlines()
    midpoint = next(i for i, line in enumerate(lines) if line.startswith("midpoint:"))
    lines[midpoint] = "midpoint: 7"
    today = dt.date.today()
    page = signed_in(world.admin).post(
        reverse("national_rounds"),
        {
            "name": "Broken",
            "framework": SimpleUploadedFile("framework.yaml", "\n".join(lines).encode()),
            **date_fields(opens_on=str(today), closes_on=str(today + dt.timedelta(days=30))),
        },
    )
    assert page.status_code == 400
    text = _text(page.content.decode())
    # The same words as `selfassess framework check` prints.
    assert f"line {midpoint + 1}, column 11: midpoint: 7 should lie between the lowest and highest scores" in text
    assert not Round.objects.filter(name="Broken").exists()
