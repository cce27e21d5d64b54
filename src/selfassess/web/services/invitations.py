"""Invitation links: unguessable tokens (192 random bits), of which only a hash is kept."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from selfassess.web.models import Respondent, Trust
from selfassess.web.services import audit
from selfassess.web.services.audit import Action
from selfassess.web.services.rounds import SetupError

TOKEN_BYTES = 24  # 192 bits


@dataclass(frozen=True)
class Invitation:
    respondent: Respondent
    token: str  # shown once, when made; afterwards only its hash exists


def create_invitations(
    trust: Trust, count: int, sector: str = "", audience: str = "", *, actor: Any
) -> list[Invitation]:
    framework = trust.round.framework
    problems = []
    if not 1 <= count <= 500:
        problems.append("Make between 1 and 500 links at a time")
    if sector and sector not in framework.sector_ids:
        problems.append("Choose a sector from the list")
    if audience and audience not in framework.audience_ids:
        problems.append("Choose an audience from the list")
    if problems:
        raise SetupError(problems)
    made = []
    with transaction.atomic():
        taken = set(Respondent.objects.filter(trust=trust).values_list("code", flat=True))
        number = len(taken)
        for _ in range(count):
            number += 1
            while f"W{number:04d}" in taken:
                number += 1
            token = secrets.token_urlsafe(TOKEN_BYTES)
            respondent = Respondent.objects.create(
                trust=trust,
                code=f"W{number:04d}",
                token_hash=Respondent.hash_token(token),
                sector=sector,
                audience=audience,
            )
            made.append(Invitation(respondent, token))
        audit.record(actor, Action.LINKS_MADE, trust=trust, detail=f"{count} link{'s' if count != 1 else ''}")
    return made


def respondent_for_token(token: str) -> Respondent | None:
    """One query, by the unique hash, without the framework's text (Round.framework is kept per process)."""
    if not token or len(token) > 100:
        return None
    found = (
        Respondent.objects.select_related("trust__round")
        .defer("trust__round__framework_source")
        .filter(token_hash=Respondent.hash_token(token))
        .order_by()  # unique: no need to sort (first() would)
    )
    return next(iter(found[:1]), None)


def quota_grid(trust: Trust) -> list[dict[str, object]]:
    """For each sector: per audience, how many links there are, how many submitted, and the target."""
    framework = trust.round.framework
    counts = {
        (row["sector"], row["audience"]): row
        for row in Respondent.objects.filter(trust=trust)
        .values("sector", "audience")
        .annotate(made=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False)))
    }
    rows = []
    for sector in framework.sectors:
        cells = []
        for audience in framework.audiences:
            found = counts.get((sector.id, audience.id), {})
            cells.append(
                {
                    "audience": audience,
                    "made": found.get("made", 0),
                    "submitted": found.get("submitted", 0),
                    "target": framework.quota.get(audience.id, 0),
                }
            )
        rows.append({"sector": sector, "cells": cells})
    return rows
