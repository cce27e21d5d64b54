"""Each journey end to end in Debian's Chromium against a live server, with axe-core on the respondent pages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from selfassess.web.models import Respondent
from selfassess.web.services import questionnaire as q
from selfassess.web.services.data import table_for
from selfassess.web.services.invitations import respondent_for_token
from tests.browser.conftest import screenshot
from tests.web.conftest import PASSWORD, World, make_world, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def live_world(transactional_db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "files"
    return make_world()  # the same round, trusts, people and links as the view tests


def found(token: str) -> Respondent:
    respondent = respondent_for_token(token)
    assert respondent is not None
    return respondent


def accessible(page: Page, name: str) -> None:
    """axe-core finds no serious or critical problem on the page."""
    if page.evaluate("typeof axe === 'undefined'"):  # once a page: the same page checked again needs no second copy
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: " + json.dumps([(v["id"], v["help"], len(v["nodes"])) for v in serious])


def choose(page: Page, question: str, code: str) -> None:
    page.locator(f"label[for='{question}-{code}']").click()


def test_respondent_completes_leaves_resumes_and_submits(page: Page, live_server: Any, live_world: World) -> None:
    link = f"{live_server.url}/r/{live_world.token_b}/"
    page.goto(link)
    accessible(page, "start")
    screenshot(page, "respondent-1-start")
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()  # nothing chosen: refused
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the sector you work in")
    accessible(page, "about you with errors")
    page.get_by_role("link", name="Select your role (leaders and managers or front line staff)").click()
    expect(page.locator("#audience")).to_be_focused()  # the summary's link goes to the field itself
    page.get_by_label("Youth").check()
    page.get_by_label("Front line staff").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Section 1 of 5")
    accessible(page, "section 1")
    page.set_viewport_size({"width": 375, "height": 800})  # on a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "respondent-1b-section-on-a-phone")
    page.set_viewport_size({"width": 1100, "height": 900})
    choose(page, "Q2", "4")
    choose(page, "Q3", "NA")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("heading", name="Your answers are saved")).to_be_visible()

    # Later, in a fresh browser: the same link carries on where they left off.
    browser = page.context.browser
    assert browser is not None
    later = browser.new_context(bypass_csp=True).new_page()  # a fresh browser: no cookies, nothing remembered
    later.goto(link)
    respondent = Respondent.objects.get(pk=live_world.respondent_b.pk)
    sections = q.pages(live_world.round.framework, respondent.audience)
    # A task list of the sections, with what is done; "Carry on" goes to the first question left, scrolled to.
    expect(later.locator("#section-1-status")).to_have_text(f"2 of {len(sections[0].questions)} answered")
    expect(later.locator("#section-2-status")).to_have_text("Not started")
    accessible(later, "returning start page")
    later.get_by_role("button", name="Carry on").click()
    expect(later.locator(".govuk-caption-l")).to_have_text("Section 1 of 5")
    first_left = next(question for question in sections[0].questions if question.id not in ("Q2", "Q3"))
    assert later.url.endswith(f"#question-{first_left.id}")
    expect(later.locator(f"#question-{first_left.id}")).to_be_in_viewport()
    expect(later.locator("#Q2-4")).to_be_checked()
    later.goto(link.rstrip("/") + "/section/2/")
    for page_of_questions in sections[1:]:
        for question in page_of_questions.questions:
            choose(later, question.id, "3")
        later.get_by_role("button", name="Save and continue").click()
    expect(later.get_by_role("heading", name="Check your answers before you submit them")).to_be_visible()
    accessible(later, "check your answers")
    # Section 1 was left part done: the check page says what is unanswered, and its link goes back there.
    left = [question.id for question in sections[0].questions if question.id not in ("Q2", "Q3")]
    expect(later.locator("#unanswered")).to_contain_text(f"You have not answered {len(left)} questions")
    later.locator("#unanswered").get_by_role("link", name=left[0], exact=True).click()
    expect(later.locator("#Q2-4")).to_be_checked()
    expect(later.locator("#Q3-NA")).to_be_checked()
    for question_id in left:
        choose(later, question_id, "3")
    later.get_by_role("button", name="Save and continue").click()
    expect(later.get_by_role("heading", name="Check your answers before you submit them")).to_be_visible()
    expect(later.locator("#unanswered")).to_have_count(0)
    screenshot(later, "respondent-2-check")
    later.get_by_role("button", name="Submit").click()
    expect(later.get_by_role("heading", name="Answers submitted")).to_be_visible()
    accessible(later, "confirmation")
    screenshot(later, "respondent-3-submitted")
    table = table_for(live_world.round)
    assert table is not None and len(table) == 49
    later.goto(link)
    expect(later.get_by_role("heading", name="You have already submitted your answers")).to_be_visible()


def sign_in(page: Page, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def workbook(path: Path, answer: object, world: World) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["trust", "respondent", "sector", "audience", *world.round.framework.question_ids])
    for n in range(6):
        sheet.append(["TA", f"P{n}", "health", "front_line", *([answer] + [4] * 58)])
    book.save(path)
    return path


def test_coordinator_invites_uploads_and_reads_the_report(
    page: Page, live_server: Any, live_world: World, tmp_path: Path
) -> None:
    sign_in(page, live_server, "a@example.org")
    expect(page.get_by_role("heading", name="Trust A")).to_be_visible()
    page.get_by_role("link", name="Make, send and chase invitations").click()
    page.get_by_label("How many links").fill("3")
    page.get_by_label("Sector").select_option("education")
    page.get_by_role("button", name="Make links").click()
    expect(page.get_by_role("heading", name="3 invitation links made")).to_be_visible()
    assert page.locator(".app-token").count() == 3
    screenshot(page, "coordinator-1-links")
    page.get_by_role("link", name="Back to invitations").last.click()
    page.get_by_role("link", name="Back to Trust A").click()
    page.get_by_label("Upload a filled data-entry workbook").set_input_files(
        str(workbook(tmp_path / "bad.xlsx", 9, live_world))
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cell E2: answer '9' is not allowed")
    screenshot(page, "coordinator-2-upload-error")
    page.get_by_label("Upload a filled data-entry workbook").set_input_files(
        str(workbook(tmp_path / "good.xlsx", 3, live_world))
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Loaded 6 paper forms")
    page.get_by_role("link", name="Read the report").click()
    expect(page.locator("h1")).to_contain_text("Your trust's report is being prepared")  # by a task worker
    accessible(page, "report being prepared")
    run_worker()
    # The waiting page reloads itself (the HTTP Refresh header, no script) and shows the report once made.
    expect(page.locator("h1")).to_contain_text("TA: self assessment report", timeout=15_000)
    expect(page.locator(".provisional")).to_be_visible()
    screenshot(page, "coordinator-3-trust-report")


def test_administrator_creates_a_round_closes_it_and_opens_the_national_report(
    page: Page, live_server: Any, live_world: World
) -> None:
    for token in (live_world.token_a,):
        respondent = found(token)
        for p in q.pages(live_world.round.framework, respondent.audience):
            q.save_page(respondent, p, {question.id: "4" for question in p.questions})
        q.submit(respondent)
    sign_in(page, live_server, "admin@example.org")
    expect(page.get_by_role("heading", name="Rounds")).to_be_visible()
    accessible(page, "rounds")
    page.get_by_label("Name").fill("2027 round")
    page.get_by_role("group", name="Opens on").get_by_label("Day").fill("4")
    page.get_by_role("group", name="Opens on").get_by_label("Month").fill("1")
    page.get_by_role("group", name="Opens on").get_by_label("Year").fill("2027")
    page.get_by_role("group", name="Closes on").get_by_label("Day").fill("26")
    page.get_by_role("group", name="Closes on").get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Create round").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The closing date must include a month")
    accessible(page, "rounds with errors")
    page.get_by_role("link", name="The closing date must include a month").click()
    expect(page.locator("#closes_on-month")).to_be_focused()
    page.locator("#closes_on-month").fill("3")
    page.get_by_role("button", name="Create round").click()
    expect(page.get_by_role("heading", name="2027 round")).to_be_visible()
    expect(page.get_by_text("opens on 4 January 2027")).to_be_visible()
    accessible(page, "round task list")
    page.get_by_role("link", name="Set up trusts").click()
    page.get_by_label("Trust id").fill("N1")
    page.get_by_label("Name", exact=True).fill("Northshire")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 trust added")
    accessible(page, "trusts")
    page.get_by_role("link", name="Northshire").click()
    page.get_by_label("Name", exact=True).fill("Northshire and Wolds")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("heading", name="Northshire and Wolds")).to_be_visible()
    accessible(page, "one trust")
    page.get_by_role("link", name="Back to trusts").click()
    page.get_by_role("link", name="Back to 2027 round").click()
    page.get_by_role("link", name="Close the round").click()
    accessible(page, "close confirmation")
    page.get_by_role("button", name="Yes, close the round").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The round is closed")
    screenshot(page, "administrator-1-closed-round")

    # The test round: a second coordinator for Trust A, then closed and reopened with a later date.
    page.goto(f"{live_server.url}/national/rounds/{live_world.round.pk}/")
    page.get_by_role("link", name="Invite coordinators").click()
    accessible(page, "coordinators")
    page.get_by_label("E-mail address").fill("second@example.org")
    page.get_by_label("Trust").select_option(label="TA: Trust A")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "second@example.org invited to coordinate Trust A"
    )
    expect(page.locator("table")).to_contain_text("a@example.org, second@example.org")
    page.get_by_role("link", name="Back to Test round").click()
    page.get_by_role("link", name="Close the round").click()
    page.get_by_role("button", name="Yes, close the round").click()
    page.get_by_role("link", name="Reopen or extend the round").click()
    later = live_world.round.closes_on + dt.timedelta(days=14)
    page.get_by_label("Day").fill(str(later.day))
    page.get_by_label("Month").fill(str(later.month))
    page.get_by_label("Year").fill(str(later.year))
    accessible(page, "reopen")
    page.get_by_role("button", name="Reopen the round").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The round is open again")
    page.get_by_role("link", name="Watch responses").click()
    accessible(page, "responses")
    page.get_by_role("link", name="Back to Test round").click()
    page.get_by_role("link", name="Reports").click()
    accessible(page, "reports")
    page.get_by_role("link", name="Read the national report").click()
    expect(page.locator("h1")).to_contain_text("The national report is being prepared")
    run_worker()
    # The waiting page reloads itself every 5 s: the report, once made (its heading also says "national report").
    expect(page.get_by_text("The mean score was 4.00.").first).to_be_visible(timeout=15_000)
    expect(page.locator("h1")).not_to_contain_text("being prepared")
    page.get_by_role("link", name="Back to the round").click()
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    screenshot(page, "administrator-2-national-report")


def test_a_coordinator_of_two_trusts_switches_between_them(page: Page, live_server: Any, live_world: World) -> None:
    from selfassess.web.services.rounds import invite_coordinator

    invite_coordinator(live_world.trust_b, "a@example.org", live_server.url, actor="test")
    sign_in(page, live_server, "a@example.org")
    expect(page.get_by_role("heading", name="Which trust are you working on?")).to_be_visible()
    accessible(page, "choose a trust")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the trust to work on")
    page.get_by_label("Trust B").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Trust B")).to_be_visible()
    expect(page.get_by_text("Working on Trust B")).to_be_visible()
    accessible(page, "dashboard of the second trust")
    page.get_by_role("link", name="Change the trust you are working on").click()
    page.get_by_label("Trust A").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Trust A")).to_be_visible()
    screenshot(page, "coordinator-4-two-trusts")
