"""A coordinator's invitations as a list: made from a file, links downloaded for a mail merge, reissued,
revoked and reinstated, e-mailed and reminded by a task worker; and what each does to counts and reports."""

from __future__ import annotations

import base64
import csv
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from selfassess.web.models import AuditEvent, EmailSend, Respondent
from selfassess.web.services import builds, data, invitations, questionnaire
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.rounds import SetupError
from tests.web.conftest import World, run_worker, signed_in

HEADER = "label,email,sector,role\n"


def upload(client: Client, text: str | bytes, name: str = "people.csv") -> Any:
    body = text.encode() if isinstance(text, str) else text
    file = io.BytesIO(body)
    file.name = name
    return client.post(reverse("trust_invitations_upload"), {"people": file})


def merge_file(page: str) -> list[dict[str, str]]:
    """The mail-merge CSV carried in the links page itself."""
    found = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', page)
    assert found, "no mail-merge file on the page"
    return list(csv.DictReader(io.StringIO(base64.b64decode(found.group(1)).decode())))


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def test_forty_people_from_a_file_with_a_mail_merge_file(world: World) -> None:
    lines = [f"Person {n},person{n}@example.org,{'Health' if n % 2 else 'youth'},Front line staff" for n in range(40)]
    lines[3] = "=HYPERLINK(1),,,"  # a label a spreadsheet would run
    response = upload(signed_in(world.coordinator_a), HEADER + "\r\n".join(lines) + "\r\n")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    rows = merge_file(response.content.decode())
    assert [r["label"] for r in rows][:3] == ["Person 0", "Person 1", "Person 2"]
    assert rows[3]["label"] == "'=HYPERLINK(1)" and rows[3]["sector"] == "" and rows[3]["role"] == ""
    assert rows[1]["sector"] == "Health" and rows[0]["role"] == "Front line staff"
    made = Respondent.objects.filter(trust=world.trust_a).exclude(pk=world.respondent_a.pk)
    assert made.count() == 40
    assert {r.email for r in made} >= {"person0@example.org", "person39@example.org"}
    assert made.get(label="Person 1").sector == "health" and made.get(label="Person 0").audience == "front_line"
    # Every link works and is derived, not stored: no column of any invitation holds it, nor the audit trail.
    links = [r["link"] for r in rows]
    assert len({token_of(link) for link in links}) == 40
    assert Client().get(links[0]).status_code == 200
    assert set(made.values_list("token_hash", flat=True)) == {None}
    stored = [str(v) for row in made.values_list() for v in row]
    assert not any(token_of(link) in value for link in links for value in stored)
    assert not any(token_of(links[0]) in e.detail for e in AuditEvent.objects.all())
    # The list's own mail-merge file carries the same links.
    again = signed_in(world.coordinator_a).get(reverse("trust_mail_merge"))
    assert again["Cache-Control"] == "no-store"
    listed = {r["label"]: r["link"] for r in csv.DictReader(io.StringIO(again.content.decode()))}
    assert all(listed[r["label"]] == r["link"] for r in rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEADER + "A,not-an-address,,\n", "line 2: 'not-an-address' is not an e-mail address"),
        (HEADER + "A,,Plumbing,\n", "line 2: sector 'Plumbing' is not one of Early years and childcare, Education"),
        (HEADER + "A,,,Chief\n", "line 2: role 'Chief' is not one of"),
        (HEADER + "A\x00B,,,\n", "line 2: the label contains a control character"),
        (HEADER + "x" * 101 + ",,,\n", "line 2: the label is 101 characters long"),
        (HEADER + "A,a@example.org,,\nB,a@example.org,,\n", "the e-mail address a@example.org is on more than one"),
        (HEADER + "A,,\n", "line 2: 3 fields, but the header has 4"),
        ("name,email\nA,a@example.org\n", "line 1: the header should be label,email,sector,role"),
        (HEADER, "The file has nobody under its header"),
        (HEADER + ",,,\n" * 501, "more than 500 people"),
        (b"PK\x03\x04rest", "is an Excel workbook"),
        (HEADER.encode() + b"\xff\xfe,,,\n", "not UTF-8"),
        (HEADER + "x,,,\n" * 60_000, "larger than 200 KB"),
    ],
)
def test_a_bad_file_is_refused_whole_with_the_line_named(world: World, text: str | bytes, expected: str) -> None:
    before = Respondent.objects.count()
    response = upload(signed_in(world.coordinator_a), text)
    assert response.status_code == 400
    page = response.content.decode()
    assert expected in page.replace("&#39;", "'")
    assert '<a href="#people">' in page  # the error summary leads to the file field
    assert "<title>Error: " in page
    assert Respondent.objects.count() == before


def test_every_problem_is_listed_at_once(world: World) -> None:
    text = HEADER + "A,bad,,\nB,,Nowhere,\nC,,,Nobody\n"
    with pytest.raises(SetupError) as refused:
        invitations.invitations_from_csv(world.trust_a, text.encode(), actor=COMMAND_LINE)
    assert [p.split(":")[0] for p in refused.value.problems] == ["line 2", "line 3", "line 4"]


def test_the_count_form_names_its_field(world: World) -> None:
    page = signed_in(world.coordinator_a).post(reverse("trust_invitations"), {"count": "0"}).content.decode()
    assert '<a href="#count">Enter a number of links between 1 and 500</a>' in page
    assert 'id="count"' in page and "govuk-input--error" in page


def test_a_reissued_link_replaces_the_old_one_and_the_answers_stay(world: World) -> None:
    framework = world.round.framework
    page = questionnaire.pages(framework, "front_line")[0]
    questionnaire.save_page(world.respondent_a, page, {page.questions[0].id: "4"})
    coordinator = signed_in(world.coordinator_a)
    url = reverse("trust_invitation_reissue", kwargs={"invitation": world.respondent_a.pk})
    response = coordinator.post(url)
    assert response.status_code == 200
    (row,) = merge_file(response.content.decode())
    old = Client().get(reverse("respond_start", kwargs={"token": world.token_a}))
    assert old.status_code == 404 and "ask whoever invited you" in old.content.decode().lower()
    new = Client().get(reverse("respond_section", kwargs={"token": token_of(row["link"]), "number": 1}))
    assert new.status_code == 200 and 'value="4" checked' in new.content.decode()
    assert AuditEvent.objects.filter(action="reissued an invitation link", detail=world.respondent_a.code).exists()


def test_another_trusts_invitation_cannot_be_touched(world: World) -> None:
    coordinator_b = signed_in(world.coordinator_b)
    for name in ("trust_invitation", "trust_invitation_reissue", "trust_invitation_revoke"):
        url = reverse(name, kwargs={"invitation": world.respondent_a.pk})
        assert coordinator_b.get(url).status_code == 404 and coordinator_b.post(url).status_code == 404
    world.respondent_a.refresh_from_db()
    assert world.respondent_a.revoked_at is None


def test_revoking_an_unstarted_invitation_takes_it_out_of_the_counts(world: World) -> None:
    coordinator = signed_in(world.coordinator_a)
    url = reverse("trust_invitation_revoke", kwargs={"invitation": world.respondent_a.pk})
    confirm = coordinator.get(url).content.decode()
    assert "Yes, revoke it" in confirm and "no longer count among your invitations" in confirm
    assert coordinator.post(url).status_code == 302
    totals = invitations.totals(world.trust_a)
    assert totals.by_status == {"not started": 0, "in progress": 0, "submitted": 0, "revoked": 1}
    grid = invitations.quota_grid(world.trust_a)
    assert sum(cell["made"] for row in grid for cell in row["cells"]) == 0  # type: ignore[attr-defined]
    assert Client().get(reverse("respond_start", kwargs={"token": world.token_a})).status_code == 404
    listed = coordinator.get(reverse("trust_invitations") + "?status=revoked").content.decode()
    assert world.respondent_a.code in listed
    unstarted = coordinator.get(reverse("trust_invitations") + "?status=not-started").content.decode()
    assert world.respondent_a.code not in unstarted


def test_a_revoked_submission_counts_in_no_report_until_reinstated(world: World) -> None:
    framework = world.round.framework
    for page in questionnaire.pages(framework, "front_line"):
        questionnaire.save_page(world.respondent_a, page, {q.id: "3" for q in page.questions})
    questionnaire.submit(world.respondent_a)
    world.round.refresh_from_db()
    counted = builds.data_version(world.round)
    assert data.table_for(world.round) is not None
    invitations.set_revoked(world.trust_a, world.respondent_a.pk, True, actor=COMMAND_LINE)
    world.round.refresh_from_db()
    assert data.table_for(world.round) is None  # the only submission, now out of every report
    assert builds.data_version(world.round) != counted
    assert invitations.totals(world.trust_a).submitted == 0
    invitations.set_revoked(world.trust_a, world.respondent_a.pk, False, actor=COMMAND_LINE)
    world.round.refresh_from_db()
    table = data.table_for(world.round)
    asked = sum(len(p.questions) for p in questionnaire.pages(framework, "front_line"))
    assert table is not None and len(table) == asked
    assert invitations.totals(world.trust_a).submitted == 1
    actions = list(AuditEvent.objects.filter(trust=world.trust_a).values_list("action", flat=True))
    assert "revoked an invitation" in actions and "reinstated an invitation" in actions


def test_invitations_and_reminders_are_emailed_by_a_worker_with_the_same_links(world: World) -> None:
    text = HEADER + "".join(f"P{n},p{n}@example.org,,\n" for n in range(3)) + "No address,,,\n"
    invitations.invitations_from_csv(world.trust_a, text.encode(), actor=COMMAND_LINE)
    coordinator = signed_in(world.coordinator_a)
    sent = coordinator.post(reverse("trust_send_emails"), {"kind": "invitation"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 0  # nothing in the request: a worker sends
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    message = mail.outbox[0]
    assert "Trust A" in message.subject and "Trust A" in message.body
    assert world.round.closes_on.strftime("%B %Y") in message.body
    links = {m.to[0]: re.search(r"http\S+/r/(\S+)/", m.body).group(1) for m in mail.outbox}  # type: ignore[union-attr]
    assert Client().get(reverse("respond_start", kwargs={"token": links["p0@example.org"]})).status_code == 200
    record = EmailSend.objects.get(kind=EmailSend.INVITATION)
    assert (record.recipients, record.sent) == (3, 3) and record.sent_at is not None
    # Nothing of the links is kept: not the record, the audit trail, or the stored task.
    from django_tasks_db.models import DBTaskResult

    kept = [str(t.args_kwargs) for t in DBTaskResult.objects.all()] + [e.detail for e in AuditEvent.objects.all()]
    assert not any(token in text for token in links.values() for text in kept)
    # A second invitation send has nobody to go to.
    again = coordinator.post(reverse("trust_send_emails"), {"kind": "invitation"})
    assert again.status_code == 400 and "Nobody is waiting for an invitation" in again.content.decode()

    # p1 submits; a reminder goes to p0 and p2 only, with the same links as the invitations and mail merge.
    p1 = invitations.respondent_for_token(links["p1@example.org"])
    assert p1 is not None
    questionnaire.set_about_you(p1, "health", "front_line")
    first = questionnaire.pages(world.round.framework, "front_line")[0]
    questionnaire.save_page(p1, first, {first.questions[0].id: "3"})
    questionnaire.submit(p1)
    mail.outbox.clear()
    coordinator.post(reverse("trust_send_emails"), {"kind": "reminder"})
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p2@example.org"]
    assert "Reminder" in mail.outbox[0].subject
    reminded = {m.to[0]: re.search(r"http\S+/r/(\S+)/", m.body).group(1) for m in mail.outbox}  # type: ignore[union-attr]
    assert reminded == {k: links[k] for k in ("p0@example.org", "p2@example.org")}
    merge = coordinator.get(reverse("trust_mail_merge")).content.decode()
    assert all(f"/r/{token}/" in merge for token in reminded.values())
    assert invitations.respondent_for_token(links["p0@example.org"]) is not None  # the invitation's link still works
    listing = coordinator.get(reverse("trust_invitations")).content.decode()
    assert "Reminders" in listing and "2 of 2" in listing
