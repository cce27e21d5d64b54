"""Organisations that last from round to round, and the rounds that follow one another.

A trust id names the same organisation in every round; the first round to use an id makes the organisation.
When an organisation joins a new round, its coordinators in the latest round it took part in carry over (they
can be changed afterwards, as in any round). A round compares with the round it names as `previous`: by default
the latest round opening before it whose framework shares a question with its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from selfassess.web.models import Coordinator, Organisation, Round, Trust
from selfassess.web.services import audit
from selfassess.web.services.audit import Action


class PreviousRoundError(Exception):
    pass


def new_trust(round: Round, code: str, name: str) -> Trust:
    """An unsaved trust of the round, taking part as the organisation with its id (made if new)."""
    organisation, _ = Organisation.objects.get_or_create(code=code, defaults={"name": name})
    return Trust(round=round, organisation=organisation, code=code, name=name)


def carry_over_coordinators(trusts: Iterable[Trust]) -> None:
    """Each newly added trust's coordinators: its organisation's in the latest earlier round it took part in."""
    made = []
    for trust in trusts:
        earlier = (
            Trust.objects.filter(organisation_id=trust.organisation_id)
            .exclude(pk=trust.pk)
            .order_by("-round__created_at")
            .first()
        )
        if earlier is not None:
            made += [Coordinator(user_id=c.user_id, trust=trust) for c in earlier.coordinators.all()]
    Coordinator.objects.bulk_create(made, ignore_conflicts=True)


def move_to_organisation(trust: Trust, code: str) -> None:
    """A trust re-coded takes part as the organisation with its new id (made if new)."""
    trust.organisation, _ = Organisation.objects.get_or_create(code=code, defaults={"name": trust.name})


def choices(round: Round) -> list[Round]:
    """The rounds this one may compare with, latest first: those that open before it (or on the same day and
    were made before it) and whose framework shares a question id with its own."""
    ids = set(round.framework.question_ids)
    earlier = Round.objects.exclude(pk=round.pk).filter(
        Q(opens_on__lt=round.opens_on) | Q(opens_on=round.opens_on, created_at__lt=round.created_at)
    )
    return [r for r in earlier.order_by("-opens_on", "-created_at") if ids & set(r.framework.question_ids)]


def default_previous(round: Round) -> Round | None:
    """The latest of the rounds it may compare with."""
    found = choices(round)
    return found[0] if found else None


def set_previous(round: Round, previous: Round | None, *, actor: Any) -> None:
    """Name the earlier round the round's reports compare with (None: none)."""
    if previous is not None and previous not in choices(round):
        raise PreviousRoundError("Choose a round made before this one that shares questions with it")
    with transaction.atomic():
        round.previous = previous
        round.save(update_fields=["previous"])  # the reports' state moves with it (builds.data_version)
        detail = f"compares with {previous.name}" if previous else "compares with no earlier round"
        audit.record(actor, Action.PREVIOUS_ROUND_SET, round, detail=detail)
