"""The questionnaire on the second built-in framework, in a real browser: three roles, a 1-4 scale, one stage
meant for two of the roles, every answer saved and submitted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfassess.framework import builtin_path
from selfassess.web.services import questionnaire as q
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.data import table_for
from selfassess.web.services.invitations import create_invitations
from selfassess.web.services.rounds import add_trust, create_round
from tests.browser.conftest import screenshot
from tests.browser.test_journeys import accessible, choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_answers_the_early_help_questionnaire(page: Page, live_server: Any, settings: Any) -> None:
    today = dt.date.today()
    source = builtin_path().with_name("early-help.yaml").read_text(encoding="utf-8")
    round = create_round("Early help", today, today + dt.timedelta(days=30), source, actor=COMMAND_LINE)
    trust = add_trust(round, "P1", "Northtown partnership", actor=COMMAND_LINE)
    (link,) = create_invitations(trust, 1, actor=COMMAND_LINE)
    framework = round.framework

    page.goto(f"{live_server.url}/r/{link.token}/")
    expect(page.locator("body")).to_contain_text("from 1 (not in place) to 4 (exemplary)")
    accessible(page, "early help start")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Health services").check()
    page.get_by_label("Practitioners").check()
    page.get_by_role("button", name="Save and continue").click()
    sections = q.pages(framework, "practitioner")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Section 1 of {len(sections)}")
    accessible(page, "early help section 1")
    screenshot(page, "early-help-section-1")
    for number, section in enumerate(sections, start=1):
        for question in section.questions:
            choose(page, question.id, "4" if number == 1 else "NA" if question.id == "E7" else "2")
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before you submit them")).to_be_visible()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Answers submitted")).to_be_visible()
    table = table_for(round)
    assert table is not None and len(table) == sum(len(s.questions) for s in sections)
    later = {question.id for section in sections[1:] for question in section.questions}
    expected = {"4", "2"} | ({"NA"} if "E7" in later else set())
    assert set(table.answers["answer"].cast(str).to_list()) == expected
