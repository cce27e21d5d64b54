"""A coordinator runs invitations in Debian's Chromium: forty people from a file, the mail-merge file downloaded,
invitations and a reminder e-mailed by a task worker (read from the file backend's outbox) with the same links
as the mail-merge file, a link reissued after a confirmation, one revoked; axe-core on every page of it."""

from __future__ import annotations

import csv
import re
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfassess.web.models import Respondent
from selfassess.web.services import questionnaire as q
from selfassess.web.services.invitations import respondent_for_token
from tests.browser.conftest import screenshot
from tests.browser.test_journeys import accessible, live_world, sign_in
from tests.web.conftest import World, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["live_world"]  # the fixture, used here too


def outbox(folder: Path) -> list[Any]:
    """Every message the file backend wrote, parsed."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk))
    return messages


def test_coordinator_invites_forty_sends_reminds_reissues_and_revokes(
    page: Page, live_server: Any, live_world: World, settings: Any, tmp_path: Path
) -> None:
    mail = tmp_path / "outbox"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mail)
    people = tmp_path / "people.csv"
    with people.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["label", "email", "sector", "role"])
        writer.writerows([f"Person {n}", f"person{n}@example.org", "Health", "Front line staff"] for n in range(40))

    sign_in(page, live_server, "a@example.org")
    page.get_by_role("link", name="Make, send and chase invitations").click()
    accessible(page, "invitations")
    page.get_by_label("Upload a CSV file of the people to invite").set_input_files(str(people))
    page.get_by_role("button", name="Make invitations").click()
    expect(page.get_by_role("heading", name="40 invitation links made")).to_be_visible()
    accessible(page, "links made")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the links as a CSV file for a mail merge").click()
    rows = list(csv.DictReader(Path(waiting.value.path()).read_text().splitlines()))
    assert len(rows) == 40 and rows[0]["email"] == "person0@example.org" and rows[0]["link"].startswith(live_server.url)
    screenshot(page, "invitations-1-made")

    page.get_by_role("link", name="Back to invitations").last.click()
    page.get_by_role("button", name="Send invitations (40 people)").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The invitations are being sent")
    run_worker()
    sent = outbox(mail)
    assert sorted(m["To"] for m in sent) == sorted(f"person{n}@example.org" for n in range(40))
    # Person 0 answers and submits with the link from their e-mail; the reminder goes to the other 39.
    body = next(m for m in sent if m["To"] == "person0@example.org").get_payload(decode=True).decode()
    token = re.search(r"/r/([^/\s]+)/", body).group(1)  # type: ignore[union-attr]
    merged = {row["email"]: row["link"] for row in rows}
    assert merged["person0@example.org"].endswith(f"/r/{token}/")  # the e-mail carries the mail merge's link
    person0 = respondent_for_token(token)
    assert person0 is not None
    q.set_about_you(person0, "health", "front_line")
    first = q.pages(live_world.round.framework, "front_line")[0]
    q.save_page(person0, first, {first.questions[0].id: "3"})
    q.submit(person0)
    page.reload()
    page.get_by_role("button", name="Send a reminder (39 people)").click()
    run_worker()
    reminders = [m for m in outbox(mail) if m["Subject"].startswith("Reminder")]
    assert len(reminders) == 39 and "person0@example.org" not in {m["To"] for m in reminders}
    page.goto(f"{live_server.url}/trust/invitations/")
    expect(page.locator("table").last).to_contain_text("39 of 39")
    accessible(page, "invitations after sending")
    screenshot(page, "invitations-2-sent")

    # Person 1's link was seen by someone else: a new link, after a confirmation; the old one says to ask.
    reminder1 = next(m for m in reminders if m["To"] == "person1@example.org").get_payload(decode=True).decode()
    old_link = re.search(r"http\S+/r/\S+/", reminder1).group(0)  # type: ignore[union-attr]
    assert old_link == merged["person1@example.org"]  # the reminder, the invitation and the mail merge: one link
    page.get_by_role("link", name="Person 1", exact=True).click()
    accessible(page, "one invitation")
    expect(page.locator(".app-token")).to_have_text(old_link)
    page.get_by_role("link", name="Make a new link").click()
    accessible(page, "reissue confirmation")
    expect(page.locator("main")).to_contain_text("The link it has now will stop working")
    page.get_by_role("button", name="Yes, make a new link").click()
    expect(page.get_by_role("heading", name="1 invitation link reissued")).to_be_visible()
    page.goto(old_link)
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    accessible(page, "link that does not work")

    # Person 2 was invited by mistake: revoked, after a confirmation page.
    page.goto(f"{live_server.url}/trust/invitations/")
    page.get_by_role("link", name="Person 2", exact=True).click()
    page.get_by_role("link", name="Revoke this invitation").click()
    accessible(page, "revoke confirmation")
    page.get_by_role("button", name="Yes, revoke it").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The invitation is revoked")
    assert Respondent.objects.get(label="Person 2").revoked_at is not None
    page.goto(f"{live_server.url}/trust/invitations/?status=revoked")
    expect(page.get_by_role("link", name="Person 2", exact=True)).to_be_visible()
    screenshot(page, "invitations-3-revoked")
