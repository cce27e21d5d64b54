"""Reminders that send themselves: due on the round's reminder days, made once per trust and date, sent once per
person; nothing sent for a closed round, with the reason recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from selfassess.web.models import EmailDelivery, EmailSend, Respondent
from selfassess.web.services import invitations, mailing, reminders
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.rounds import SetupError
from tests.web.conftest import World, run_worker

HEADER = "label,email,sector,role\n"


def invited(world: World, n: int) -> list[Respondent]:
    """n people of trust A with addresses, sent their invitation already."""
    text = HEADER + "".join(f"P{i},p{i}@example.org,,\n" for i in range(n))
    made = invitations.invitations_from_csv(world.trust_a, text.encode(), actor=COMMAND_LINE)
    Respondent.objects.filter(pk__in=[m.respondent.pk for m in made]).update(emailed_at=timezone.now())
    return [m.respondent for m in made]


def closing_in(world: World, days: int) -> None:
    world.round.closes_on = timezone.localdate() + dt.timedelta(days=days)
    world.round.save(update_fields=["closes_on"])


def test_a_round_reminds_seven_and_two_days_before_it_closes_by_default(world: World) -> None:
    closes = world.round.closes_on
    assert reminders.reminder_dates(world.round) == [closes - dt.timedelta(days=7), closes - dt.timedelta(days=2)]


def test_a_due_reminder_is_made_once_and_sent_once_to_those_waiting(world: World) -> None:
    people = invited(world, 3)
    closing_in(world, 10)
    assert reminders.send_due() == []  # 7 and 2 days before: not yet
    closing_in(world, 2)
    Respondent.objects.filter(pk=people[1].pk).update(submitted_at=timezone.now(), started_at=timezone.now())
    (made,) = reminders.send_due()
    assert (made.kind, made.trust, made.recipients, made.reminder_on) == (
        EmailSend.REMINDER,
        world.trust_a,
        2,
        world.round.closes_on - dt.timedelta(days=2),
    )
    assert reminders.send_due() == []  # the same date again makes nothing
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p2@example.org"]
    # The reminder carries the person's lasting link.
    assert f"/r/{invitations.link_token(people[0])}/" in next(m.body for m in mail.outbox if m.to == ["p0@example.org"])
    assert EmailDelivery.objects.filter(send=made, sent_at__isnull=False).count() == 2
    made.refresh_from_db()
    assert (made.sent, made.sent_at is not None) == (2, True)
    # Taken up again (as after a worker died), it writes to nobody twice.
    mail.outbox.clear()
    EmailSend.objects.filter(pk=made.pk).update(sent_at=None)
    assert mailing.deliver(made.pk, [], made.site) == 2  # the two sent before; nobody new
    assert mail.outbox == []


def test_a_late_worker_sends_one_reminder_not_two(world: World) -> None:
    invited(world, 1)
    closing_in(world, 1)  # both the 7-day and the 2-day dates have passed
    (made,) = reminders.send_due()
    assert made.reminder_on == world.round.closes_on - dt.timedelta(days=2)
    assert reminders.send_due() == []


def test_a_sending_that_finds_its_round_closed_sends_nothing_and_says_why(world: World) -> None:
    invited(world, 2)
    send = mailing.request_emails(world.trust_a, EmailSend.REMINDER, "http://testserver/", actor=COMMAND_LINE)
    world.round.closed_at = timezone.now()
    world.round.save(update_fields=["closed_at"])
    run_worker()
    assert mail.outbox == []
    send.refresh_from_db()
    assert send.sent == 0 and send.sent_at is not None and send.note.startswith("Not sent: the round had closed")
    assert reminders.send_due() == []  # and a closed round has no reminder due


@pytest.mark.parametrize(
    ("typed", "days"), [("7, 2", [7, 2]), ("2,7,7", [7, 2]), ("", []), ("14 and 1", [14, 1]), ("0", [0])]
)
def test_reminder_days_are_read_from_what_an_administrator_types(world: World, typed: str, days: list[int]) -> None:
    reminders.set_reminder_days(world.round, typed, actor=COMMAND_LINE)
    world.round.refresh_from_db()
    assert world.round.reminder_days == days


@pytest.mark.parametrize("typed", ["seven", "-1", "366", "1,2,3,4,5,6", "٣", "1" * 200])
def test_reminder_days_refused_in_words(world: World, typed: str) -> None:
    with pytest.raises(SetupError) as refused:
        reminders.set_reminder_days(world.round, typed, actor=COMMAND_LINE)
    assert "days" in refused.value.problems[0]


def test_an_administrator_sets_the_reminder_days_on_a_page(world: World) -> None:
    from django.urls import reverse

    from tests.web.conftest import signed_in

    admin = signed_in(world.admin)
    url = reverse("national_reminders", kwargs={"round_id": world.round.pk})
    page = admin.get(url).content.decode()
    assert 'value="7, 2"' in page and world.round.closes_on.strftime("%B %Y") in page
    refused = admin.post(url, {"days": "soon"})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    done = admin.post(url, {"days": "10, 3"})
    assert done.status_code == 302
    world.round.refresh_from_db()
    assert world.round.reminder_days == [10, 3]
    assert "Reminders now go by themselves 10 and 3 days" in admin.get(done["Location"]).content.decode()
