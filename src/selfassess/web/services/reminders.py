"""Reminders that send themselves: a round's reminder days (by default 7 and 2 days before it closes), each
sent once, by whichever task worker finds it due, to everyone e-mailed who has not submitted.

`send_due` is what a worker runs every minute or so (`selfassess worker` does, so the embedded set-up needs no
cron). It makes each trust's sending for the latest reminder date that has come (one, however late the worker
is: people get one reminder, not a pile), unique per trust and date, and takes up again any sending whose
worker died half way; the per-person records (models.EmailDelivery) keep anyone from getting it twice.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import dateformat, timezone

from selfassess.text import digits
from selfassess.web.models import EmailSend, Respondent, Round, Trust
from selfassess.web.services import audit, health, mailing
from selfassess.web.services.audit import Action
from selfassess.web.services.rounds import SetupError

logger = logging.getLogger(__name__)
MOST_REMINDERS = 5
LONGEST_NOTICE = 365  # days before closing


def reminder_dates(round_: Round) -> list[date]:
    """The round's reminder dates, earliest first."""
    return sorted({round_.closes_on - timedelta(days=days) for days in round_.reminder_days})


def upcoming(round_: Round) -> list[date]:
    """The reminder dates still to come (today's included) while the round is open or yet to open."""
    if round_.closed_at is not None:
        return []
    today = timezone.localdate()
    return [d for d in reminder_dates(round_) if today <= d and round_.opens_on <= d]


def due_date(round_: Round, today: date) -> date | None:
    """The latest reminder date that has come, if the round is open today."""
    if not round_.is_open:
        return None
    come = [d for d in reminder_dates(round_) if d <= today]
    return come[-1] if come else None


def send_due(now: Any = None) -> list[EmailSend]:
    """Make and queue each trust's due reminder that is not yet made, and queue again the sendings whose worker
    seems to have died (taken up over EMAIL_RETRY_MINUTES ago and not finished). Returns the sendings made."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    made = []
    for round_ in Round.objects.filter(closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today).defer(
        "framework_source"
    ):
        due = due_date(round_, today)
        if due is None:
            continue
        waiting = (
            Respondent.objects.filter(trust__round=round_, source=Respondent.ONLINE, emailed_at__isnull=False)
            .filter(revoked_at__isnull=True, submitted_at__isnull=True)
            .exclude(email="")
            .exclude(trust__email_sends__reminder_on=due)
            .values_list("trust_id", flat=True)
            .distinct()
        )
        for trust in Trust.objects.filter(pk__in=list(waiting)).select_related("round"):
            send = mailing.schedule_reminder(trust, due, settings.SITE_URL)
            if send is not None:
                made.append(send)
    _take_up_again(now)
    return made


def keep_sending_due(once: bool = False) -> None:
    """Look for due reminders now and then every REMINDER_CHECK_SECONDS, on a thread of the worker's process
    (daemon: it ends with the worker). A failure is logged and tried again at the next look."""

    def look() -> None:
        try:
            health.beat()  # the load balancer's health check counts workers by this
            send_due()
        except Exception:
            logger.exception("Looking for due reminders failed; trying again later")
        finally:
            connection.close()

    if once:
        look()
        return

    def clock() -> None:
        while True:
            close_old_connections()
            look()
            time.sleep(settings.REMINDER_CHECK_SECONDS)

    threading.Thread(target=clock, name="reminders", daemon=True).start()


def _take_up_again(now: Any) -> None:
    stale = now - timedelta(minutes=settings.EMAIL_RETRY_MINUTES)
    lost = EmailSend.objects.filter(sent_at__isnull=True).filter(
        Q(attempted_at__lt=stale) | Q(attempted_at__isnull=True, requested_at__lt=stale)
    )
    for send in lost:
        with transaction.atomic():
            # Only one worker takes it up: the one whose update finds it still lost.
            if EmailSend.objects.filter(pk=send.pk, attempted_at=send.attempted_at, sent_at__isnull=True).update(
                attempted_at=now
            ):
                mailing.enqueue(send)


@dataclass(frozen=True)
class Schedule:
    days: list[int]
    dates: list[date]


def schedule(round_: Round) -> Schedule:
    return Schedule(sorted(round_.reminder_days, reverse=True), reminder_dates(round_))


def set_reminder_days(round_: Round, text: str, *, actor: Any) -> Round:
    """Set the round's reminder days from what the administrator typed ("7, 2"; blank for none)."""
    days = parse_days(text)
    with transaction.atomic():
        round_.reminder_days = days
        round_.save(update_fields=["reminder_days"])
        shown = ", ".join(dateformat.format(d, "j F Y") for d in reminder_dates(round_)) or "none"
        audit.record(actor, Action.REMINDERS_SET, round_, detail=f"reminders: {shown}")
    return round_


def parse_days(text: str) -> list[int]:
    parts = [p.strip() for p in text.replace(" and ", ",").split(",") if p.strip()]
    if len(text) > 100 or len(parts) > MOST_REMINDERS:
        raise SetupError([f"Enter at most {MOST_REMINDERS} numbers of days, separated by commas"])
    days = []
    for part in parts:
        if not digits(part) or not 0 <= int(part) <= LONGEST_NOTICE:
            raise SetupError(
                [f"'{part[:20]}' is not a number of days from 0 to {LONGEST_NOTICE}: enter numbers such as 7, 2"]
            )
        days.append(int(part))
    return sorted(set(days), reverse=True)
