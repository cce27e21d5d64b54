"""The audit trail: one call per thing worth recording."""

from __future__ import annotations

from typing import Any

from selfassess.web.models import AuditEvent, Round, Trust

COMMAND_LINE = "command line"


def record(actor: Any, action: str, round: Round | None = None, trust: Trust | None = None, detail: str = "") -> None:
    """`actor` is a user, or a description such as COMMAND_LINE."""
    name = actor if isinstance(actor, str) else getattr(actor, "username", "") or "anonymous"
    if trust is not None and round is None:
        round = trust.round
    AuditEvent.objects.create(actor=name, action=action, round=round, trust=trust, detail=detail[:500])


def recent(limit: int = 500) -> list[AuditEvent]:
    return list(AuditEvent.objects.select_related("round", "trust")[:limit])
