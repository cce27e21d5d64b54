"""The audit trail: who did what, when. Never an answer.

Each service that changes something (or hands out data) writes its own record, inside its own transaction and
after its checks have passed, with an action from the one list below (as Zulip's actions write RealmAuditLog
rows with event types named as constants): a refused request leaves no record, and a record never outlives a
change that was rolled back.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from selfassess.web.models import AuditEvent, Round, Trust

COMMAND_LINE = "command line"


class Action(StrEnum):
    ROUND_CREATED = "created round"
    ROUND_CLOSED = "closed round"
    ROUND_REOPENED = "reopened round"
    ROUND_EXTENDED = "changed closing date"
    PREVIOUS_ROUND_SET = "chose the round to compare with"
    GROUPS_CHOSEN = "chose the benchmark groups"
    ATTRIBUTE_SET = "set an organisation's attribute"
    TRUST_CHANGED = "changed trust"
    TRUST_REMOVED = "removed trust"
    COORDINATOR_REMOVED = "removed coordinator"
    PASSWORD_LINK_SENT = "sent set-password link"
    TRUSTS_ADDED = "added trusts"
    COORDINATOR_INVITED = "invited coordinator"
    LINKS_MADE = "made invitation links"
    LINK_REISSUED = "reissued an invitation link"
    INVITATION_REVOKED = "revoked an invitation"
    INVITATION_REINSTATED = "reinstated an invitation"
    EMAILS_REQUESTED = "asked for e-mails to be sent"
    INVITATIONS_REPLACED = "replaced invitations from a list"
    REMINDERS_SET = "set reminder dates"
    MAIL_MERGE_DOWNLOADED = "downloaded the mail-merge file"
    INVITATIONS_EXPORTED = "downloaded the list of invitations"
    PAPER_FORMS_IMPORTED = "imported paper forms"
    FILE_IMPORTED = "imported file"
    ROUND_EXPORTED = "exported round"
    ROUND_IMPORTED = "imported round"
    NATIONAL_REPORT_READ = "read national report"
    NATIONAL_REPORT_DOWNLOADED = "downloaded national report"
    ANSWERS_DOWNLOADED = "downloaded answers.csv"
    ANSWERS_PARQUET_DOWNLOADED = "downloaded answers.parquet"
    RESPONSES_DOWNLOADED = "downloaded the responses by trust"
    COORDINATORS_INVITED = "invited coordinators from a list"
    TRUST_REPORT_READ = "read trust report"
    TRUST_REPORT_DOWNLOADED = "downloaded trust report PDF"
    TRUST_REPORTS_DOWNLOADED = "downloaded every trust's report PDF"


def record(
    actor: Any, action: Action, round: Round | None = None, trust: Trust | None = None, detail: str = ""
) -> None:
    """`actor` is a user, or a description such as COMMAND_LINE. Call it inside the service's transaction."""
    name = actor_name(actor)
    if trust is not None and round is None:
        round = trust.round
    AuditEvent.objects.create(actor=name[:200], action=action.value, round=round, trust=trust, detail=detail[:500])


def actor_name(actor: Any) -> str:
    name: str = actor if isinstance(actor, str) else getattr(actor, "username", "") or "anonymous"
    return name[:200]


def recent(limit: int = 500) -> list[AuditEvent]:
    return list(AuditEvent.objects.select_related("round", "trust")[:limit])
