"""A round with two trusts (A and B), a coordinator for each, an administrator, and invitation links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from selfassess.web.models import Coordinator, Organisation, Respondent, Round, Trust
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.invitations import create_invitations
from selfassess.web.services.organisations import new_trust
from selfassess.web.services.rounds import create_round

PASSWORD = "a long test password 2009"


@dataclass
class World:
    round: Round
    trust_a: Trust
    trust_b: Trust
    admin: Any
    coordinator_a: Any
    coordinator_b: Any
    token_a: str
    token_b: str
    respondent_a: Respondent
    respondent_b: Respondent
    coordination_a: int = 0  # the row that makes coordinator A coordinate trust A


def make_trust(round: Round, code: str, name: str) -> Trust:
    """A trust of the round, as the organisation with its id."""
    trust = new_trust(round, code, name)
    trust.save()
    return trust


@pytest.fixture(autouse=True)
def report_files(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"


def make_user(email: str, staff: bool = False) -> Any:
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    user.is_staff = staff
    user.save()
    return user


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def make_world() -> World:
    today = dt.date.today()
    round = create_round("Test round", today - dt.timedelta(days=1), today + dt.timedelta(days=30), actor=COMMAND_LINE)
    trust_a = make_trust(round, "TA", "Trust A")
    trust_b = make_trust(round, "TB", "Trust B")
    Organisation.objects.filter(pk=trust_a.organisation_id).update(attributes={"region": "North"})
    trust_a.organisation.refresh_from_db()
    coordinator_a, coordinator_b = make_user("a@example.org"), make_user("b@example.org")
    coordination_a = Coordinator.objects.create(user=coordinator_a, trust=trust_a)
    Coordinator.objects.create(user=coordinator_b, trust=trust_b)
    (link_a,) = create_invitations(trust_a, 1, "health", "front_line", actor=COMMAND_LINE)
    (link_b,) = create_invitations(trust_b, 1, actor=COMMAND_LINE)
    return World(
        round,
        trust_a,
        trust_b,
        make_user("admin@example.org", staff=True),
        coordinator_a,
        coordinator_b,
        link_a.token,
        link_b.token,
        link_a.respondent,
        link_b.respondent,
        coordination_a.pk,
    )


def run_worker(downloads: bool = False) -> None:
    """The task framework's real worker, in this process, until no work is left (a page asked for a report
    set, a PDF or an e-mail; a worker makes it). The national PDF and workbook, on a queue of their own, only
    with `downloads`: the tests that read them ask, and the rest do not wait the seconds they take.

    A worker recycles its database connections between tasks (close_old_connections). Inside a test the
    connection holds the test's own transaction, which PostgreSQL would lose with it (SQLite's in-memory test
    database is never closed), so here that one step is left out; the worker claims and runs tasks as ever.
    """
    with patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        queues = ",".join(django_settings.TASKS["default"]["QUEUES"]) if downloads else "default"
        options = ["--queue-name", queues, "--batch", "--no-startup-delay", "--interval", "0"]
        call_command("db_worker", *options, verbosity=0)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def date_fields(**dates: str) -> dict[str, str]:
    """GOV.UK date input fields for each date given as YYYY-MM-DD: opens_on="2027-01-31" -> opens_on-day=31..."""
    fields = {}
    for name, text in dates.items():
        year, month, day = text.split("-")
        fields.update({f"{name}-day": day, f"{name}-month": month, f"{name}-year": year})
    return fields
