"""Responses as they arrive, for the national administrator: per trust against the quota (sorted and filtered as
asked), the national rates by sector and role, and the same as a CSV.

The response rate is the questionnaires submitted (and not revoked) as a share of those asked for: the
framework's quota for each sector and role, times the sectors, for each trust.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Count, Q

from selfassess.responses import csv_text
from selfassess.web.models import Respondent, Round, Trust
from selfassess.web.services import audit
from selfassess.web.services.audit import Action


def response_rate(submitted: int, target: int) -> int:
    """Submitted as a whole percentage of those asked for, rounded down (never 100 before the quota is met)."""
    return 100 * submitted // target if target else 0


SORTS = {"code": "trust", "submitted": "submitted", "rate": "rate", "in_progress": "in progress", "links": "links"}
SHOWS = {"all": "All trusts", "below-quota": "Below quota", "no-coordinator": "No coordinator yet"}


@dataclass(frozen=True)
class TrustRow:
    trust: Trust
    submitted: int
    in_progress: int
    links: int
    coordinators: int
    target: int

    @property
    def rate(self) -> int:
        return response_rate(self.submitted, self.target)


@dataclass(frozen=True)
class Rate:
    title: str
    submitted: int
    target: int

    @property
    def rate(self) -> int:
        return response_rate(self.submitted, self.target)


def trust_rows(round_: Round) -> list[TrustRow]:
    """Every trust of the round with its counts, by code (one query)."""
    framework = round_.framework
    target = sum(framework.quota.values()) * len(framework.sectors)
    live = Q(respondents__revoked_at__isnull=True)
    found = (
        Trust.objects.filter(round=round_)
        .annotate(
            submitted=Count("respondents", filter=live & Q(respondents__submitted_at__isnull=False), distinct=True),
            in_progress=Count(
                "respondents",
                filter=live & Q(respondents__submitted_at__isnull=True, respondents__started_at__isnull=False),
                distinct=True,
            ),
            links=Count("respondents", filter=live, distinct=True),
            coordinator_count=Count("coordinators", distinct=True),
        )
        .order_by("code")
    )
    return [TrustRow(t, t.submitted, t.in_progress, t.links, t.coordinator_count, target) for t in found]


def arranged(rows: list[TrustRow], sort: str = "code", descending: bool = False, show: str = "all") -> list[TrustRow]:
    """The rows a page shows: only those the filter keeps, sorted by a column (ties by code)."""
    if show == "below-quota":
        rows = [r for r in rows if r.submitted < r.target]
    elif show == "no-coordinator":
        rows = [r for r in rows if not r.coordinators]
    key = sort if sort in SORTS else "code"
    # Ties keep the trusts' order by code, whichever way the column is sorted.
    rows = sorted(rows, key=lambda r: r.trust.code)
    if key != "code":
        rows.sort(key=lambda r: getattr(r, key), reverse=descending)
    elif descending:
        rows.reverse()
    return rows


def national_rates(round_: Round) -> tuple[list[Rate], list[Rate]]:
    """The round's response rate by sector and by role: submitted, against the quota over every trust."""
    framework = round_.framework
    trusts = Trust.objects.filter(round=round_).count()
    counts = {
        (row["sector"], row["audience"]): row["n"]
        for row in Respondent.objects.filter(trust__round=round_)
        .counted()
        .values("sector", "audience")
        .annotate(n=Count("id"))
    }
    per_sector_quota = sum(framework.quota.values())
    sectors = [
        Rate(s.title, sum(n for (sector, _), n in counts.items() if sector == s.id), per_sector_quota * trusts)
        for s in framework.sectors
    ]
    roles = [
        Rate(
            a.title,
            sum(n for (_, audience), n in counts.items() if audience == a.id),
            framework.quota.get(a.id, 0) * len(framework.sectors) * trusts,
        )
        for a in framework.audiences
    ]
    return sectors, roles


CSV_COLUMNS = ("trust", "name", "submitted", "quota", "rate_percent", "in_progress", "links_and_forms", "coordinators")


def responses_csv(round_: Round, *, actor: Any) -> str:
    """Every trust's row, as the page shows them, safe to open in a spreadsheet; its download is recorded."""
    rows = [
        (r.trust.code, r.trust.name, r.submitted, r.target, r.rate, r.in_progress, r.links, r.coordinators)
        for r in trust_rows(round_)
    ]
    schema = {c: (pl.String if c in ("trust", "name") else pl.Int64) for c in CSV_COLUMNS}
    text = csv_text(pl.DataFrame(rows, schema=schema, orient="row"))
    audit.record(actor, Action.RESPONSES_DOWNLOADED, round_)
    return text
