"""Query budgets: how many database round trips each respondent page and each dashboard costs, pinned, so a
change that adds one is seen (as Zulip's tests assert query counts). Counts include the transaction's own
statements where a save takes a lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfassess.web.services import questionnaire as q
from tests.web.conftest import World, signed_in


def queries(call: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured.captured_queries), result


def test_respondent_pages_cost_what_they_need(world: World) -> None:
    client = Client()
    token = world.token_a  # sector and role set when the link was made
    url = {
        "start": reverse("respond_start", kwargs={"token": token}),
        "about": reverse("respond_about_you", kwargs={"token": token}),
        "section": reverse("respond_section", kwargs={"token": token, "number": 2}),
        "check": reverse("respond_check", kwargs={"token": token}),
    }
    page = q.pages(world.round.framework, "front_line")[1]
    answers = {question.id: "3" for question in page.questions} | {"then": "next"}
    counts = {
        "start": queries(lambda: client.get(url["start"]))[0],
        "about you": queries(lambda: client.get(url["about"]))[0],
        "section": queries(lambda: client.get(url["section"]))[0],
        "save a section": queries(lambda: client.post(url["section"], answers))[0],
        "save again": queries(lambda: client.post(url["section"], answers))[0],
        "check your answers": queries(lambda: client.get(url["check"]))[0],
        "submit": queries(lambda: client.post(url["check"]))[0],
    }
    assert counts == {
        "start": 1,  # the link (respondent, trust and round in one join; never the framework's text)
        "about you": 1,
        "section": 2,  # the link, the answers given so far
        "save a section": 7,  # the link; in a savepoint: lock, delete the page's answers, insert, mark active
        "save again": 7,  # the same: the coordinator sees when each person was last active
        "check your answers": 2,
        "submit": 6,  # the link; in a savepoint: lock, is anything answered, mark submitted
    }


def test_dashboards_cost_what_they_need(world: World) -> None:
    coordinator, admin = signed_in(world.coordinator_a), signed_in(world.admin)
    counts = {
        "trust dashboard": queries(lambda: coordinator.get(reverse("trust_dashboard")))[0],
        "rounds": queries(lambda: admin.get(reverse("national_rounds")))[0],
        "round": queries(lambda: admin.get(reverse("national_round", kwargs={"round_id": world.round.pk})))[0],
        "audit": queries(lambda: admin.get(reverse("national_audit")))[0],
    }
    assert counts == {
        "trust dashboard": 5,  # session, user, coordinator with trust and round, quota counts, invitations
        "rounds": 3,  # session, user, rounds
        "round": 4,  # session, user, round, per-trust counts (coordinators among them)
        "audit": 3,  # session, user, events with their rounds and trusts
    }
