"""Invitation and reminder e-mails, sent by a task worker through Django's e-mail framework.

A link exists in full only at the moment it is made (services.invitations), so an e-mail cannot carry one made
earlier: the worker makes each person a fresh link as it writes their e-mail (the earlier link stops working;
saved answers stay). What is recorded is when, which kind and how many (models.EmailSend), never a link, and
a task's stored arguments hold only ids.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from selfassess.web.models import EmailSend, Respondent, Trust
from selfassess.web.services import audit
from selfassess.web.services.audit import Action
from selfassess.web.services.invitations import new_token
from selfassess.web.services.rounds import SetupError

SUBJECTS = {
    EmailSend.INVITATION: "{trust}: your invitation to the {round} self assessment",
    EmailSend.REMINDER: "Reminder: {trust}'s {round} self assessment closes on {closes}",
}


def recipients(trust: Trust, kind: str) -> QuerySet[Respondent]:
    """Who an e-mail of this kind would go to: online invitations with an e-mail address, not revoked and not
    submitted; an invitation to those never e-mailed, a reminder to those e-mailed before."""
    found = Respondent.objects.filter(
        trust=trust, source=Respondent.ONLINE, revoked_at__isnull=True, submitted_at__isnull=True
    ).exclude(email="")
    return found.filter(emailed_at__isnull=kind == EmailSend.INVITATION)


def request_emails(trust: Trust, kind: str, site: str, *, actor: Any) -> EmailSend:
    """Record the sending and queue it for a worker; `site` is the address links start with."""
    from selfassess.web.tasks import deliver_emails

    if kind not in SUBJECTS:
        raise SetupError(["Choose invitations or reminders"])
    if not trust.round.is_open:
        raise SetupError(["The round is not open, so there is nothing to invite anyone to"])
    ids = list(recipients(trust, kind).values_list("pk", flat=True))
    if not ids:
        raise SetupError(
            ["Nobody is waiting for an invitation: every invitation with an e-mail address has been sent one"]
            if kind == EmailSend.INVITATION
            else ["Nobody needs a reminder: everyone e-mailed has submitted, or was never sent an invitation"]
        )
    with transaction.atomic():
        send = EmailSend.objects.create(
            trust=trust, kind=kind, requested_by=audit.actor_name(actor), recipients=len(ids)
        )
        audit.record(actor, Action.EMAILS_REQUESTED, trust=trust, detail=f"{kind}: {len(ids)}")
        deliver_emails.enqueue(send.pk, ids, site)
    return send


def deliver(send_id: int, respondent_ids: list[int], site: str) -> int:
    """Write and send each e-mail with a fresh link, one person at a time: a person's link changes only if their
    e-mail was accepted by the mail server. Returns how many were sent."""
    send = EmailSend.objects.select_related("trust__round").get(pk=send_id)
    trust, round = send.trust, send.trust.round
    subject = SUBJECTS[send.kind].format(
        trust=trust.name, round=round.name, closes=dateformat.format(round.closes_on, "j F Y")
    )
    sent = 0
    with get_connection() as connection:
        for respondent_id in respondent_ids:
            with transaction.atomic():
                # Still someone to write to: not revoked, submitted or given an address-less life since.
                respondent = recipients(trust, send.kind).select_for_update().filter(pk=respondent_id).first()
                if respondent is None:
                    continue
                token = new_token()
                link = f"{site.rstrip('/')}/r/{token}/"
                body = render_to_string(f"email/{send.kind}.txt", {"trust": trust, "round": round, "link": link})
                respondent.token_hash = Respondent.hash_token(token)
                respondent.emailed_at = timezone.now()
                respondent.save(update_fields=["token_hash", "emailed_at"])
                sent += EmailMessage(subject, body, to=[respondent.email], connection=connection).send()
    EmailSend.objects.filter(pk=send_id).update(sent=sent, sent_at=timezone.now())
    return sent


def history(trust: Trust) -> list[EmailSend]:
    return list(EmailSend.objects.filter(trust=trust)[:20])
