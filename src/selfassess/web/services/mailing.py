"""Invitation and reminder e-mails, sent by a task worker through Django's e-mail framework.

Every e-mail carries the person's lasting link (services.invitations.link_token): the same as the mail-merge
file and any earlier e-mail. What is recorded is when, which kind and how many (models.EmailSend), and for each
person a record made before their e-mail is handed to the mail server (models.EmailDelivery), so that a sending
taken up again after its worker was killed, or by a second worker, never writes to anyone twice. Never a link:
a task's stored arguments hold only ids.

A sending that finds its round closed (or not yet open) sends nothing and says why.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from selfassess.web.models import EmailDelivery, EmailSend, Respondent, Round, Trust
from selfassess.web.services import audit
from selfassess.web.services.audit import Action
from selfassess.web.services.invitations import link_token
from selfassess.web.services.rounds import SetupError

SUBJECTS = {
    EmailSend.INVITATION: "{trust}: your invitation to the {round}",
    EmailSend.REMINDER: "Reminder: {trust}'s {round} closes on {closes}",
}


def recipients(trust: Trust, kind: str) -> QuerySet[Respondent]:
    """Who an e-mail of this kind would go to: online invitations with an e-mail address, not revoked and not
    submitted; an invitation to those never e-mailed, a reminder to those e-mailed before."""
    found = Respondent.objects.filter(
        trust=trust, source=Respondent.ONLINE, revoked_at__isnull=True, submitted_at__isnull=True
    ).exclude(email="")
    return found.filter(emailed_at__isnull=kind == EmailSend.INVITATION)


def person_link(site: str, respondent: Respondent) -> str:
    """The person's lasting link, starting with the service's address."""
    return site.rstrip("/") + reverse("respond_start", kwargs={"token": link_token(respondent)})


def request_emails(trust: Trust, kind: str, site: str, *, actor: Any) -> EmailSend:
    """Record the sending and queue it for a worker; `site` is the address links start with."""
    if kind not in SUBJECTS:
        raise SetupError(["Choose invitations or reminders"])
    if not trust.round.is_open:
        raise SetupError(["The round is not open, so there is nothing to invite anyone to"])
    count = recipients(trust, kind).count()
    if not count:
        raise SetupError(
            ["Nobody is waiting for an invitation: every invitation with an e-mail address has been sent one"]
            if kind == EmailSend.INVITATION
            else ["Nobody needs a reminder: everyone e-mailed has submitted, or was never sent an invitation"]
        )
    with transaction.atomic():
        send = EmailSend.objects.create(
            trust=trust, kind=kind, requested_by=audit.actor_name(actor), recipients=count, site=site
        )
        audit.record(actor, Action.EMAILS_REQUESTED, trust=trust, detail=f"{kind}: {count}")
        enqueue(send)
    return send


def enqueue(send: EmailSend) -> None:
    """Queue the sending for a worker (by the task's name, so that this module does not import the tasks')."""
    from selfassess.web.tasks import deliver_emails

    deliver_emails.enqueue(send.pk, [], send.site)


def schedule_reminder(trust: Trust, due: date, site: str) -> EmailSend | None:
    """The scheduled reminder of `due` for the trust, recorded and queued once however many workers find it
    due at once (the sending is unique per trust and date); None if it was already made or nobody needs it."""
    count = recipients(trust, EmailSend.REMINDER).count()
    if not count:
        return None
    try:
        with transaction.atomic():
            send = EmailSend.objects.create(
                trust=trust,
                kind=EmailSend.REMINDER,
                requested_by=f"reminder of {dateformat.format(due, 'j F Y')}",
                recipients=count,
                site=site,
                reminder_on=due,
            )
            audit.record("reminder schedule", Action.EMAILS_REQUESTED, trust=trust, detail=f"reminder: {count}")
            enqueue(send)
    except IntegrityError:  # another worker made it first
        return None
    return send


def deliver(send_id: int, respondent_ids: list[int], site: str) -> int:
    """Write and send the sending's e-mails, one person at a time, each recorded before it is handed to the mail
    server (a person recorded by an earlier attempt is skipped). `respondent_ids`: whom an earlier version of
    the service queued it for; empty, everyone the kind of e-mail goes to now. Returns how many were sent."""
    send = EmailSend.objects.select_related("trust__round").get(pk=send_id)
    if send.sent_at is not None:
        return 0
    EmailSend.objects.filter(pk=send_id).update(attempted_at=timezone.now())
    trust, round_ = send.trust, send.trust.round
    closed = _not_open(round_)
    if closed:
        EmailSend.objects.filter(pk=send_id).update(sent_at=timezone.now(), note=closed)
        return 0
    subject = SUBJECTS[send.kind].format(
        trust=trust.name, round=round_.assessment, closes=dateformat.format(round_.closes_on, "j F Y")
    )
    wanted = recipients(trust, send.kind).exclude(deliveries__send=send)
    if respondent_ids:
        wanted = wanted.filter(pk__in=respondent_ids)
    with get_connection() as connection:
        for respondent in wanted.order_by("pk"):
            delivery = _claim(send, respondent)
            if delivery is None:
                continue
            link = person_link(send.site or site, respondent)
            body = render_to_string(f"email/{send.kind}.txt", {"trust": trust, "round": round_, "link": link})
            if EmailMessage(subject, body, to=[respondent.email], connection=connection).send():
                now = timezone.now()
                EmailDelivery.objects.filter(pk=delivery.pk).update(sent_at=now)
                Respondent.objects.filter(pk=respondent.pk).update(emailed_at=now)
                _count_sent(send)
    return _count_sent(send, finished=True)


def _count_sent(send: EmailSend, finished: bool = False) -> int:
    """How many of the sending's e-mails the mail server has accepted, counted from the per-person records (so
    that two workers taking it up at once count each other's)."""
    sent = EmailDelivery.objects.filter(send=send, sent_at__isnull=False).count()
    done = {"sent_at": timezone.now()} if finished else {}
    EmailSend.objects.filter(pk=send.pk).update(sent=sent, **done)
    return sent


def _claim(send: EmailSend, respondent: Respondent) -> EmailDelivery | None:
    """Record that this person's e-mail is about to go; None if someone already recorded it."""
    try:
        with transaction.atomic():
            return EmailDelivery.objects.create(send=send, respondent=respondent)
    except IntegrityError:
        return None


def _not_open(round_: Round) -> str:
    """Why nothing may be sent for the round now, or '' if it is open."""
    if round_.is_open:
        return ""
    if round_.opens_after_today:
        return f"Not sent: the round opens on {dateformat.format(round_.opens_on, 'j F Y')}"
    return f"Not sent: the round had closed ({dateformat.format(round_.closes_on, 'j F Y')})"


def history(trust: Trust) -> list[EmailSend]:
    return list(EmailSend.objects.filter(trust=trust)[:20])
