"""Invitations: a trust's list of links. A coordinator makes them (a number at once, or one per line of a CSV),
labels them to chase, reissues a link, revokes one sent in error, and reinstates it.

A link lasts: it is derived, as Django derives password-reset tokens, from the server's secret and the
invitation's id and link version (an HMAC), so every e-mail, reminder and mail-merge file carries the same link,
and the database alone reveals none. Only a reissue or a revocation moves the version on and so ends the link.
Links made before this (random tokens of which only a hash was kept) keep working until reissued or revoked.
Rotating the secret: put the old one in SECRET_KEY_FALLBACKS and links made with it keep working.

Only the coordinator sees a label or an e-mail address; no report shows either. A revoked invitation keeps its
answers, which count in no report until it is reinstated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from selfassess.framework import Framework
from selfassess.responses import csv_text
from selfassess.text import problem_with, shown
from selfassess.web.models import Respondent, Round, Trust
from selfassess.web.services import audit
from selfassess.web.services.audit import Action
from selfassess.web.services.responses import response_rate
from selfassess.web.services.rounds import SetupError, address_problems, csv_rows

LINK_SALT = "selfassess.web.invitation-link"
LINK_TOKEN = re.compile(r"([0-9a-z]{12})-([0-9a-f]{32})")  # the invitation's link id, then the HMAC
AT_ONCE = 500  # invitations made in one go, by number or by file
LABEL_LENGTH = 100
CSV_BYTES = 200_000  # 500 lines of label, e-mail, sector and role are a few tens of kilobytes
CSV_HEADER = ("label", "email", "sector", "role")
STATUSES = (Respondent.NOT_STARTED, Respondent.IN_PROGRESS, Respondent.SUBMITTED, Respondent.REVOKED)


@dataclass(frozen=True)
class Invitation:
    respondent: Respondent
    token: str  # the person's link is /r/<token>/


def link_token(respondent: Respondent) -> str:
    """The invitation's link token: its link id, and an HMAC of that id and the link version under the server's
    secret (128 bits, as Django's password-reset tokens)."""
    signature = _link_hmac(respondent.link_id, respondent.link_version, settings.SECRET_KEY)
    return f"{respondent.link_id}-{signature}"


def _link_hmac(link_id: str, version: int, secret: str) -> str:
    return salted_hmac(LINK_SALT, f"{link_id}:{version}", secret=secret, algorithm="sha256").hexdigest()[::2]


def _link_matches(respondent: Respondent, signature: str) -> bool:
    """Whether the link was made for this invitation's current version, under the secret or any fallback
    (compared in constant time, every secret tried, so the time taken says nothing of which)."""
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    found = False
    for secret in secrets:
        found |= constant_time_compare(signature, _link_hmac(respondent.link_id, respondent.link_version, secret))
    return found


def invitation_of(respondent: Respondent) -> Invitation:
    return Invitation(respondent, link_token(respondent))


@dataclass(frozen=True)
class Person:
    """What a coordinator may say of an invitation before it is sent: all optional."""

    label: str = ""
    email: str = ""
    sector: str = ""
    audience: str = ""
    line: int = 0  # of the file it came from, if any


def create_invitations(
    trust: Trust, count: int, sector: str = "", audience: str = "", *, actor: Any
) -> list[Invitation]:
    """`count` unlabelled invitations, each for the sector and role given (blank: the person chooses)."""
    framework = trust.round.framework
    problems = []
    if not 1 <= count <= AT_ONCE:
        problems.append(f"Enter a number of links between 1 and {AT_ONCE}")
    if sector and sector not in framework.sector_ids:
        problems.append("Choose a sector from the list")
    if audience and audience not in framework.audience_ids:
        problems.append("Choose a role from the list")
    if problems:
        raise SetupError(problems)
    return _make(trust, [Person(sector=sector, audience=audience)] * count, actor=actor)


def invitations_from_csv(trust: Trust, data: bytes, *, replace: bool = False, actor: Any) -> list[Invitation]:
    """One invitation per line of a CSV with the header label,email,sector,role (each may be blank; sector and
    role by title or id, as the framework has them). All or nothing: every problem is named by line.

    Nobody is invited twice: a line whose e-mail address is already on the trust's list (and not revoked) is
    refused by line; or, with `replace`, its label (and its sector and role, if the person has not started)
    replace the existing invitation's, which keeps its link."""
    people = people_from_csv(trust.round.framework, data)
    with transaction.atomic():
        listed = {
            r.email: r
            for r in Respondent.objects.select_for_update().filter(
                trust=trust, source=Respondent.ONLINE, revoked_at__isnull=True, email__in=[p.email for p in people]
            )
        }
        already = [p for p in people if p.email and p.email in listed]
        if already and not replace:
            raise SetupError(
                _at_most_20(
                    [
                        f"line {p.line}: {p.email} is already invited ({listed[p.email].code}); "
                        "choose to replace existing invitations to update it instead"
                        for p in already
                    ]
                )
            )
        for person in already:
            _replace(listed[person.email], person)
        new = [p for p in people if not (p.email and p.email in listed)]
        made = _make(trust, new, actor=actor) if new else []
        if already:
            audit.record(actor, Action.INVITATIONS_REPLACED, trust=trust, detail=f"{len(already)} replaced")
    return [*made, *(invitation_of(listed[p.email]) for p in already)]


def _replace(respondent: Respondent, person: Person) -> None:
    respondent.label = person.label
    if not respondent.started_at:
        respondent.sector, respondent.audience = person.sector, person.audience
    respondent.save(update_fields=["label", "sector", "audience"])


def _at_most_20(problems: list[str]) -> list[str]:
    return problems[:20] + ([f"and {len(problems) - 20} more problems"] if len(problems) > 20 else [])


def people_from_csv(framework: Framework, data: bytes) -> list[Person]:
    rows = csv_rows(data, CSV_BYTES, AT_ONCE, CSV_HEADER, "people")
    sectors = _by_name(framework.sectors)
    roles = _by_name(framework.audiences)
    people, problems = [], []
    for number, row in rows:
        if len(row) != len(CSV_HEADER):
            problems.append(f"line {number}: {len(row)} fields, but the header has {len(CSV_HEADER)}")
            continue
        label, email, sector, role = (cell.strip() for cell in row)
        found = _person_problems(label, email)
        if sector and sector.lower() not in sectors:
            found.append(f"sector '{shown(sector)}' is not one of {', '.join(s.title for s in framework.sectors)}")
        if role and role.lower() not in roles:
            found.append(f"role '{shown(role)}' is not one of {', '.join(a.title for a in framework.audiences)}")
        problems += [f"line {number}: {p}" for p in found]
        people.append(
            Person(label, email.lower(), sectors.get(sector.lower(), ""), roles.get(role.lower(), ""), number)
        )
    repeated = [e for e, n in Counter(p.email for p in people if p.email).items() if n > 1]
    problems += [f"the e-mail address {e} is on more than one line" for e in repeated[:5]]
    if problems:
        raise SetupError(_at_most_20(problems))
    if not people:
        raise SetupError(["The file has nobody under its header"])
    return people


def _by_name(items: Iterable[Any]) -> dict[str, str]:
    """Each item's id, found by its id or its title, in any case."""
    return {name.lower(): item.id for item in items for name in (item.id, item.title)}


def _person_problems(label: str, email: str) -> list[str]:
    problem = problem_with(label, "label", LABEL_LENGTH)
    return ([problem] if problem else []) + (address_problems(email) if email else [])


def _make(trust: Trust, people: list[Person], *, actor: Any) -> list[Invitation]:
    made = []
    with transaction.atomic():
        taken = set(Respondent.objects.filter(trust=trust).values_list("code", flat=True))
        number = len(taken)
        for person in people:
            number += 1
            while f"W{number:04d}" in taken:
                number += 1
            respondent = Respondent.objects.create(
                trust=trust,
                code=f"W{number:04d}",
                label=person.label,
                email=person.email,
                sector=person.sector,
                audience=person.audience,
            )
            made.append(invitation_of(respondent))
        audit.record(actor, Action.LINKS_MADE, trust=trust, detail=f"{len(made)} link{'s' if len(made) != 1 else ''}")
    return made


def mail_merge_csv(invitations: list[Invitation], link: Callable[[str], str], framework: Framework) -> str:
    """label,email,sector,role,link for each invitation: the same links as the e-mails carry. Safe to open in a
    spreadsheet."""
    sector = {s.id: s.title for s in framework.sectors}
    role = {a.id: a.title for a in framework.audiences}
    rows = [
        (
            i.respondent.label,
            i.respondent.email,
            sector.get(i.respondent.sector, ""),
            role.get(i.respondent.audience, ""),
            link(i.token),
        )
        for i in invitations
    ]
    return csv_text(pl.DataFrame(rows, schema={c: pl.String for c in (*CSV_HEADER, "link")}, orient="row"))


def mail_merge(trust: Trust, link: Callable[[str], str], *, actor: Any) -> str:
    """The mail-merge file of every invitation still waiting for answers (not revoked, not submitted), with the
    same links as the e-mails carry; its download is recorded."""
    waiting = Respondent.objects.filter(
        trust=trust, source=Respondent.ONLINE, revoked_at__isnull=True, submitted_at__isnull=True
    ).order_by("code")
    text = mail_merge_csv([invitation_of(r) for r in waiting], link, trust.round.framework)
    audit.record(actor, Action.MAIL_MERGE_DOWNLOADED, trust=trust)
    return text


LIST_COLUMNS = ("invitation", "label", "email", "sector", "role", "status", "made", "last_active", "last_emailed")


def list_csv(trust: Trust, *, actor: Any) -> str:
    """The trust's invitations with their statuses (never a link), safe to open in a spreadsheet."""
    framework = trust.round.framework
    sector = {s.id: s.title for s in framework.sectors}
    role = {a.id: a.title for a in framework.audiences}

    def when(moment: Any) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = [
        (
            r.code,
            r.label,
            r.email,
            sector.get(r.sector, ""),
            role.get(r.audience, ""),
            r.status,
            when(r.created_at),
            when(r.last_active_at),
            when(r.emailed_at),
        )
        for r in invitation_list(trust)
    ]
    text = csv_text(pl.DataFrame(rows, schema={c: pl.String for c in LIST_COLUMNS}, orient="row"))
    audit.record(actor, Action.INVITATIONS_EXPORTED, trust=trust)
    return text


def invitation(trust: Trust, respondent_id: int) -> Respondent | None:
    """One of the trust's online invitations (never another trust's)."""
    return Respondent.objects.filter(trust=trust, pk=respondent_id, source=Respondent.ONLINE).first()


def reissue(trust: Trust, respondent_id: int, *, actor: Any) -> Invitation:
    """A new link for the invitation; the old one stops working (its version moves on, and a link made before
    links were derived is forgotten) and the answers stay with the person."""
    with transaction.atomic():
        found = Respondent.objects.select_for_update().filter(trust=trust, pk=respondent_id, source=Respondent.ONLINE)
        respondent = found.first()
        if respondent is None:
            raise SetupError(["There is no such invitation"])
        if respondent.revoked_at:
            raise SetupError(["This invitation is revoked: reinstate it before making it a new link"])
        if respondent.submitted_at:
            raise SetupError(["This person has already submitted their answers, so needs no new link"])
        _end_link(respondent)
        audit.record(actor, Action.LINK_REISSUED, trust=trust, detail=respondent.code)
    return invitation_of(respondent)


def _end_link(respondent: Respondent) -> None:
    respondent.link_version += 1
    respondent.token_hash = None
    respondent.save(update_fields=["link_version", "token_hash"])


def set_revoked(trust: Trust, respondent_id: int, revoked: bool, *, actor: Any) -> Respondent:
    """Revoke an invitation (its link ends for good; answers, if any, count in no report) or reinstate it (with
    a new link, shown on the invitation's page)."""
    with transaction.atomic():
        respondent = Respondent.objects.select_for_update().filter(trust=trust, pk=respondent_id).first()
        if respondent is None or respondent.source != Respondent.ONLINE:
            raise SetupError(["There is no such invitation"])
        if bool(respondent.revoked_at) != revoked:
            respondent.revoked_at = timezone.now() if revoked else None
            respondent.save(update_fields=["revoked_at"])
            if revoked:
                _end_link(respondent)
            # Which answers count has changed: the reports' state moves on (builds.data_version).
            Round.objects.filter(pk=trust.round_id).update(revision=F("revision") + 1)
            action = Action.INVITATION_REVOKED if revoked else Action.INVITATION_REINSTATED
            audit.record(actor, action, trust=trust, detail=respondent.code)
    return respondent


@dataclass(frozen=True)
class Totals:
    by_status: dict[str, int]  # the trust's online invitations, counted by status
    submitted: int  # questionnaires that count (online, paper and imported alike)
    quota: int  # how many the framework asks each trust for

    @property
    def rate(self) -> int:
        return response_rate(self.submitted, self.quota)


def totals(trust: Trust) -> Totals:
    framework = trust.round.framework
    counts = Respondent.objects.filter(trust=trust).aggregate(
        **{s.replace(" ", "_"): Count("id", filter=Q(source=Respondent.ONLINE) & _status_filter(s)) for s in STATUSES},
        counted=Count("id", filter=Q(submitted_at__isnull=False, revoked_at__isnull=True)),
    )
    return Totals(
        {s: counts[s.replace(" ", "_")] for s in STATUSES},
        counts["counted"],
        sum(framework.quota.values()) * len(framework.sectors),
    )


PER_PAGE = 50


def invitation_list(trust: Trust, status: str = "", search: str = "") -> list[Respondent]:
    """The trust's online invitations, newest first; only those of one status, and whose label, e-mail address
    or code holds `search`, if given."""
    return list(_listed(trust, status, search))


def _listed(trust: Trust, status: str, search: str) -> Any:
    online = Respondent.objects.filter(trust=trust, source=Respondent.ONLINE)
    listed = online.filter(_status_filter(status)) if status else online
    search = search.strip()[:LABEL_LENGTH]
    if search:
        listed = listed.filter(Q(label__icontains=search) | Q(email__icontains=search) | Q(code__icontains=search))
    return listed.order_by("-created_at", "-id")


@dataclass(frozen=True)
class ListPage:
    invitations: list[Respondent]
    number: int  # from 1
    pages: int
    total: int  # invitations matching, on every page


def invitation_page(trust: Trust, status: str = "", search: str = "", number: int = 1) -> ListPage:
    """One page of PER_PAGE invitations of the list as filtered (a page past the last shows the last)."""
    listed = _listed(trust, status, search)
    total = listed.count()
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(number, 1), pages)
    start = (number - 1) * PER_PAGE
    return ListPage(list(listed[start : start + PER_PAGE]), number, pages, total)


def _status_filter(status: str) -> Q:
    return {
        Respondent.NOT_STARTED: Q(revoked_at__isnull=True, started_at__isnull=True),
        Respondent.IN_PROGRESS: Q(revoked_at__isnull=True, submitted_at__isnull=True, started_at__isnull=False),
        Respondent.SUBMITTED: Q(revoked_at__isnull=True, submitted_at__isnull=False),
        Respondent.REVOKED: Q(revoked_at__isnull=False),
    }.get(status, Q())


def respondent_for_token(token: str) -> Respondent | None:
    """The invitation a link is for, in one query, without the framework's text (Round.framework is kept per
    process): by the link id the link carries, then checked against its HMAC; or, for a link made before links
    were derived, by its hash. A revoked invitation's link finds nothing, as an old link after a reissue does."""
    if not token or len(token) > 100:
        return None
    online = (
        Respondent.objects.select_related("trust__round")
        .defer("trust__round__framework_source")
        .filter(revoked_at__isnull=True, source=Respondent.ONLINE)
        .order_by()  # unique: no need to sort (first() would)
    )
    derived = LINK_TOKEN.fullmatch(token)
    if derived:
        respondent = next(iter(online.filter(link_id=derived[1])[:1]), None)
        if respondent is not None and _link_matches(respondent, derived[2]):
            return respondent
    return next(iter(online.filter(token_hash=Respondent.hash_token(token))[:1]), None)


def quota_grid(trust: Trust) -> list[dict[str, object]]:
    """For each sector: per audience, how many invitations are listed, how many count, and the target."""
    framework = trust.round.framework
    counts = {
        (row["sector"], row["audience"]): row
        for row in Respondent.objects.filter(trust=trust)
        .listed()
        .values("sector", "audience")
        .annotate(
            made=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False, revoked_at__isnull=True))
        )
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
