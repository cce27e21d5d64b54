"""Rounds over time in a real browser: an administrator links two rounds; a coordinator reads what changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfassess.web.models import Respondent
from selfassess.web.services import organisations
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.data import import_table
from selfassess.web.services.rounds import add_trusts_from_csv, create_round
from tests.analysis.naive import Row
from tests.analysis.test_properties import table_of
from tests.browser.conftest import screenshot
from tests.browser.test_journeys import accessible, live_world, sign_in  # noqa: F401  (live_world: a fixture)
from tests.web.conftest import World, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answers(score: int) -> list[Row]:
    """Six people in each of trusts A and B, each giving `score` to the multi-agency questions of every
    audience's stages."""
    return [
        Row(trust, f"P{i}", "health", "front_line", f"Q{q}", str(score))
        for trust in ("TA", "TB")
        for i in range(6)
        for q in range(2, 13)
    ]


def test_an_administrator_links_two_rounds_and_a_coordinator_reads_the_change(
    page: Page,
    live_server: Any,
    live_world: World,  # noqa: F811
) -> None:
    earlier = live_world.round
    import_table(earlier, table_of(answers(2)), Respondent.IMPORTED)
    today = dt.date.today()
    later = create_round("Next round", today, today + dt.timedelta(days=30), actor=COMMAND_LINE)
    organisations.set_previous(later, None, actor=COMMAND_LINE)  # the administrator links them below
    add_trusts_from_csv(later, "code,name\nTA,Trust A\nTB,Trust B\n", actor=COMMAND_LINE)  # coordinators carry over
    import_table(later, table_of(answers(4)), Respondent.IMPORTED)

    sign_in(page, live_server, live_world.admin.username)
    page.get_by_role("link", name="Next round").click()
    page.get_by_role("link", name="Compare with an earlier round").click()
    accessible(page, "choose the earlier round")
    page.get_by_label(earlier.name).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"what changed since {earlier.name}")
    screenshot(page, "rounds-1-linked")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "a@example.org")
    expect(page.get_by_role("heading", name="Which trust are you working on?")).to_be_visible()
    page.locator("label", has_text="Trust A").last.click()  # the new round's Trust A
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Read the report").click()
    run_worker()
    since = page.locator("#since")
    expect(since).to_be_visible(timeout=15_000)  # the waiting page reloads itself once the report is made
    expect(since.get_by_role("heading", name=f"Since {earlier.name}")).to_be_visible()
    expect(since).to_contain_text("this trust's went from 2.00 to 4.00, +2.00")
    accessible(page, "trust report with the change")
    screenshot(page, "rounds-2-trust-change")
