"""Administration that can correct things: trusts renamed, re-coded while nothing is submitted, removed when
empty; coordinators of several trusts (never moved silently), removed, sent a new link; rounds with GOV.UK
date inputs, closed after a confirmation, reopened or extended, and a round not yet open saying when it opens."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfassess.web.models import AuditEvent, Coordinator, Round, Trust
from selfassess.web.services import questionnaire
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.rounds import invite_coordinator
from tests.web.conftest import World, date_fields, make_trust, run_worker, signed_in


def url(name: str, world: World, **kwargs: int) -> str:
    return str(reverse(name, kwargs={"round_id": world.round.pk, **kwargs}))


def submit_one(world: World) -> None:
    page = questionnaire.pages(world.round.framework, "front_line")[0]
    questionnaire.save_page(world.respondent_a, page, {page.questions[0].id: "3"})
    questionnaire.submit(world.respondent_a)


def test_a_trust_is_renamed_and_recoded_until_something_is_submitted(world: World) -> None:
    admin = signed_in(world.admin)
    edit = url("national_trust_edit", world, trust_id=world.trust_a.pk)
    assert admin.post(edit, {"name": "Trust A North"}).status_code == 302
    assert admin.post(edit, {"code": "TAN"}).status_code == 302
    world.trust_a.refresh_from_db()
    assert (world.trust_a.name, world.trust_a.code) == ("Trust A North", "TAN")
    clash = admin.post(edit, {"code": "TB"})
    assert (
        clash.status_code == 400 and '<a href="#code">There is already a trust with the id TB' in clash.content.decode()
    )
    submit_one(world)
    refused = admin.post(edit, {"code": "TA2"}).content.decode()
    assert "questionnaires from this trust have been submitted" in refused
    world.trust_a.refresh_from_db()
    assert world.trust_a.code == "TAN"
    details = list(AuditEvent.objects.filter(action="changed trust").values_list("detail", flat=True))
    assert "name: Trust A -> Trust A North" in details and "id: TA -> TAN" in details


def test_only_an_empty_trust_is_removed_and_only_after_confirming(world: World) -> None:
    admin = signed_in(world.admin)
    empty = make_trust(world.round, "TC", "Trust C")
    remove = url("national_trust_remove", world, trust_id=empty.pk)
    assert "Yes, remove it" in admin.get(remove).content.decode()
    assert Trust.objects.filter(pk=empty.pk).exists()  # asking is not doing
    assert admin.post(remove).status_code == 302
    assert not Trust.objects.filter(pk=empty.pk).exists()
    refused = admin.post(url("national_trust_remove", world, trust_id=world.trust_a.pk))
    assert refused.status_code == 400 and "cannot be removed" in refused.content.decode()
    assert Trust.objects.filter(pk=world.trust_a.pk).exists()


def test_a_coordinator_of_two_trusts_works_on_one_at_a_time_and_sees_no_third(world: World) -> None:
    admin = signed_in(world.admin)
    invited = admin.post(url("national_invite", world), {"email": "A@example.org", "trust": world.trust_b.pk})
    assert invited.status_code == 200
    assert set(Coordinator.objects.filter(user=world.coordinator_a).values_list("trust__code", flat=True)) == {
        "TA",
        "TB",
    }  # added, not moved
    assert Coordinator.objects.filter(trust=world.trust_b).count() == 2  # B keeps its own coordinator too
    third = make_trust(world.round, "TC", "Trust C")
    coordinator = signed_in(world.coordinator_a)
    first = coordinator.get(reverse("trust_dashboard"))
    assert first.status_code == 302 and first["Location"] == reverse("trust_choose")
    choose = coordinator.get(reverse("trust_choose")).content.decode()
    assert "Trust A" in choose and "Trust B" in choose and third.name not in choose
    assert coordinator.post(reverse("trust_choose"), {"trust": str(third.pk)}).status_code == 400  # not theirs
    coordinator.post(reverse("trust_choose"), {"trust": str(world.trust_b.pk)})
    a, b = (f'href="/trust/invitations/{r.pk}/"' for r in (world.respondent_a, world.respondent_b))
    page = coordinator.get(reverse("trust_invitations")).content.decode()
    assert b in page and a not in page
    assert "Working on Trust B" in page
    coordinator.post(reverse("trust_choose"), {"trust": str(world.trust_a.pk)})
    page = coordinator.get(reverse("trust_invitations")).content.decode()
    assert a in page and b not in page


def test_inviting_an_existing_coordinator_again_says_so(world: World) -> None:
    admin = signed_in(world.admin)
    again = admin.post(url("national_invite", world), {"email": "a@example.org", "trust": world.trust_a.pk})
    assert again.status_code == 400
    assert '<a href="#email">a@example.org already coordinates Trust A</a>' in again.content.decode()


def test_a_coordinator_is_removed_from_one_trust_and_sent_a_new_link(world: World) -> None:
    invite_coordinator(world.trust_b, "a@example.org", "http://testserver/", actor=COMMAND_LINE)
    run_worker()
    mail.outbox.clear()
    admin = signed_in(world.admin)
    row = Coordinator.objects.get(user=world.coordinator_a, trust=world.trust_a)
    sent = admin.post(url("national_coordinator_password", world, trust_id=world.trust_a.pk, coordinator=row.pk))
    assert sent.status_code == 200 and "A new set-password link was e-mailed" in sent.content.decode()
    run_worker()
    assert [m.to for m in mail.outbox] == [["a@example.org"]] and "/set-password/" in mail.outbox[0].body
    admin.post(url("national_coordinator_remove", world, trust_id=world.trust_a.pk, coordinator=row.pk))
    assert list(Coordinator.objects.filter(user=world.coordinator_a).values_list("trust__code", flat=True)) == ["TB"]
    assert signed_in(world.coordinator_a).get(reverse("trust_dashboard")).status_code == 200  # on to their other
    assert AuditEvent.objects.filter(action="removed coordinator", detail="a@example.org").exists()


def test_dates_are_entered_as_day_month_and_year_with_errors_by_the_field(world: World) -> None:
    admin = signed_in(world.admin)
    fields = {"name": "2027", **date_fields(opens_on="2027-01-01", closes_on="2027-03-01")}
    missing = admin.post(reverse("national_rounds"), {**fields, "closes_on-month": ""}).content.decode()
    assert '<a href="#closes_on-month">The closing date must include a month</a>' in missing
    unreal = admin.post(reverse("national_rounds"), {**fields, "opens_on-day": "31", "opens_on-month": "2"})
    assert '<a href="#opens_on-day">The opening date must be a real date' in unreal.content.decode()
    assert "<title>Error: Rounds" in unreal.content.decode()
    assert not Round.objects.filter(name="2027").exists()
    assert admin.post(reverse("national_rounds"), fields).status_code == 302
    made = Round.objects.get(name="2027")
    assert (made.opens_on, made.closes_on) == (dt.date(2027, 1, 1), dt.date(2027, 3, 1))


def test_closing_asks_first_and_a_closed_round_is_reopened_with_a_new_date(world: World) -> None:
    admin = signed_in(world.admin)
    confirm = admin.get(url("national_close", world)).content.decode()
    assert "Yes, close the round" in confirm
    world.round.refresh_from_db()
    assert world.round.closed_at is None
    admin.post(url("national_close", world))
    world.round.refresh_from_db()
    assert world.round.closed_at is not None
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    refused = admin.post(url("national_dates", world), date_fields(closes_on=past))
    assert refused.status_code == 400 and "must be today or later" in refused.content.decode()
    later = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    reopened = admin.post(url("national_dates", world), date_fields(closes_on=later))
    assert reopened.status_code == 302 and reopened["Location"].endswith("?done=reopened")
    world.round.refresh_from_db()
    assert world.round.is_open and world.round.closes_on.isoformat() == later
    further = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert admin.post(url("national_dates", world), date_fields(closes_on=further))["Location"].endswith("extended")
    actions = list(AuditEvent.objects.filter(round=world.round).values_list("action", flat=True))
    assert {"closed round", "reopened round", "changed closing date"} <= set(actions)


def test_a_round_not_yet_open_says_when_it_opens(world: World) -> None:
    opens = timezone.localdate() + dt.timedelta(days=10)
    Round.objects.filter(pk=world.round.pk).update(opens_on=opens, closes_on=opens + dt.timedelta(days=30))
    page = Client().get(reverse("respond_start", kwargs={"token": world.token_a})).content.decode()
    assert "This questionnaire is not open yet" in page and "closed" not in page.lower()
    assert f"opens on {opens.day} {opens:%B %Y}" in page
    dashboard = signed_in(world.coordinator_a).get(reverse("trust_dashboard")).content.decode()
    assert f"opens on {opens.day} {opens:%B %Y}" in dashboard


def test_the_round_is_a_task_list_and_the_report_has_a_way_back(world: World) -> None:
    admin = signed_in(world.admin)
    page = admin.get(url("national_round", world)).content.decode()
    assert page.count('class="govuk-task-list__item') == 8
    for name in (
        "national_add_trusts",
        "national_invite",
        "national_previous",
        "national_groups",
        "national_responses",
        "national_reports",
    ):
        assert f'href="{url(name, world)}"' in page
        assert 'class="govuk-back-link"' in admin.get(url(name, world)).content.decode()
    submit_one(world)
    admin.get(url("national_report", world))
    run_worker()
    report = admin.get(url("national_report", world)).content.decode()
    assert f'<a href="{url("national_reports", world)}">Back to the round</a>' in report
