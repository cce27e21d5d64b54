"""Work done by task workers, not in a request: report sets, PDFs and e-mail (Django's tasks API, run by
django-tasks-db's worker from the database). Each task is a thin call into a service; its arguments are
plain values, as the queue stores them as JSON."""

from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def build_reports(build_id: int) -> None:
    from selfassess.web.services.builds import run_build

    run_build(build_id)


# The national PDF and workbook take seconds a report set's pages do not: a queue of their own, so that a
# deployment can give them workers of their own (`selfassess worker --queue downloads`), and below the default
# priority, so that a worker taking both makes a newer set's pages before an older set's PDF.
@task(queue_name="downloads", priority=-10)
def national_pdf(build_id: int) -> None:
    from selfassess.web.services.builds import make_national_downloads

    make_national_downloads(build_id)


@task()
def send_email(subject: str, body: str, to: list[str]) -> int:
    """Kept so that an e-mail queued by an earlier version still goes; nothing queues it now."""
    sent: int = send_mail(subject, body, None, to)
    return sent


@task()
def deliver_emails(send_id: int, respondent_ids: list[int], site: str) -> int:
    from selfassess.web.services.mailing import deliver

    return deliver(send_id, respondent_ids, site)


@task()
def send_password_email(trust_id: int, user_id: int, site: str, first: bool) -> int:
    from selfassess.web.services.rounds import deliver_password_email

    return deliver_password_email(trust_id, user_id, site, first)


@task()
def send_password_reset(user_id: int, site: str) -> int:
    from selfassess.web.services.rounds import deliver_password_reset

    return deliver_password_reset(user_id, site)
