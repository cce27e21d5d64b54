"""A whole round to a folder and back: round.json (the round, trusts, respondents, link fingerprints),
framework.yaml, and answers.csv in the long form of contract section 2, which any tool can read."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from django.db import transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from selfassess.framework import parse_framework
from selfassess.responses import InvalidResponses, Problem, read_responses, write_csv
from selfassess.web.models import Answer, Respondent, Round
from selfassess.web.services import audit, organisations
from selfassess.web.services.data import answer_rows
from selfassess.web.services.reminders import parse_days
from selfassess.web.services.rounds import SetupError

SCHEMA = "selfassess.round/1"


def export_round(round: Round, folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    respondents = list(
        Respondent.objects.filter(trust__round=round).select_related("trust").order_by("trust__code", "code")
    )
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "name": round.name,
        "opens_on": round.opens_on.isoformat(),
        "closes_on": round.closes_on.isoformat(),
        "closed_at": round.closed_at.isoformat() if round.closed_at else None,
        "reminder_days": round.reminder_days,
        "trusts": [{"code": t.code, "name": t.name} for t in round.trusts.order_by("code")],
        "respondents": [
            {
                "trust": r.trust.code,
                "respondent": r.code,
                "sector": r.sector,
                "audience": r.audience,
                "source": r.source,
                "token_hash": r.token_hash,
                "link_id": r.link_id,
                "link_version": r.link_version,
                "label": r.label,
                "email": r.email,
                "section_reached": r.section_reached,
                **{f: _when(getattr(r, f)) for f in ("started_at", "last_active_at", "submitted_at", "revoked_at")},
            }
            for r in respondents
        ],
    }
    answers = answer_rows(round, submitted_only=False)  # in-progress answers too: a backup keeps everything
    _write(folder / "framework.yaml", round.framework_source)
    _write(folder / "round.json", json.dumps(data, indent=1, ensure_ascii=False))
    write_csv(answers, folder / "answers.csv")
    audit.record(audit.COMMAND_LINE, audit.Action.ROUND_EXPORTED, round, detail=str(folder))
    return {"trusts": len(data["trusts"]), "respondents": len(respondents), "answers": answers.height}


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parsed(value: str | None) -> dt.datetime | None:
    return parse_datetime(value) if value else None


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def is_round_folder(path: Path) -> bool:
    return path.is_dir() and (path / "round.json").exists()


def _check_links(respondents: list[dict[str, object]]) -> None:
    """Each invitation's link id and version as the service makes them, or the export is refused."""
    problems = []
    for number, r in enumerate(respondents, start=1):
        link_id, version = r.get("link_id"), r.get("link_version", 1)
        if link_id is not None and not (isinstance(link_id, str) and re.fullmatch(r"[0-9a-z]{12}", link_id)):
            problems.append(Problem("round.json", f"respondent {number}: link_id is not 12 letters and digits"))
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 1_000_000:
            problems.append(Problem("round.json", f"respondent {number}: link_version is not a whole number 1-1000000"))
    if problems:
        raise InvalidResponses(problems[:20])


def import_round(folder: Path, name: str | None = None) -> tuple[Round, dict[str, int]]:
    """Recreate a round exported by `export_round`, all or nothing."""
    data = json.loads((folder / "round.json").read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise InvalidResponses([Problem("round.json", f"is not a selfassess round export ({SCHEMA})")])
    source = (folder / "framework.yaml").read_text(encoding="utf-8")
    framework = parse_framework(yaml.safe_load(source), "framework.yaml")
    name = name or data["name"]
    if Round.objects.filter(name=name).exists():
        raise InvalidResponses(
            [Problem("round", f"there is already a round called {name}; choose another with --round")]
        )
    _check_links(data["respondents"])
    hashes = [r["token_hash"] for r in data["respondents"] if r["token_hash"]]
    link_ids = [r["link_id"] for r in data["respondents"] if r.get("link_id")]
    if Respondent.objects.filter(Q(token_hash__in=hashes) | Q(link_id__in=link_ids)).exists():
        raise InvalidResponses(
            [Problem("round.json", "its invitation links are already in this database: restore it into another one")]
        )
    has_answers = (folder / "answers.csv").stat().st_size > len("trust,respondent,sector,audience,question,answer\n")
    table = read_responses(folder / "answers.csv", framework) if has_answers else None
    days = data.get("reminder_days", [7, 2])
    try:
        reminder_days = parse_days(", ".join(str(d) for d in days) if isinstance(days, list) else "?")
    except SetupError as error:
        raise InvalidResponses([Problem("round.json", f"reminder_days: {error.problems[0]}")]) from None
    with transaction.atomic():
        round = Round.objects.create(
            reminder_days=reminder_days,
            name=name,
            framework_source=source,
            opens_on=dt.date.fromisoformat(data["opens_on"]),
            closes_on=dt.date.fromisoformat(data["closes_on"]),
            closed_at=parse_datetime(data["closed_at"]) if data["closed_at"] else None,
        )
        trusts = {t["code"]: organisations.new_trust(round, t["code"], t["name"]) for t in data["trusts"]}
        for trust in trusts.values():
            trust.save()
        made = Respondent.objects.bulk_create(
            [
                Respondent(
                    trust=trusts[r["trust"]],
                    code=r["respondent"],
                    sector=r["sector"],
                    audience=r["audience"],
                    source=r["source"],
                    token_hash=r["token_hash"],
                    # Backups made before derived links, or before invitations had labels, lack these.
                    link_version=r.get("link_version", 1),
                    **({"link_id": r["link_id"]} if r.get("link_id") else {}),
                    label=r.get("label", ""),
                    email=r.get("email", ""),
                    section_reached=r.get("section_reached", 0),
                    **{f: _parsed(r.get(f)) for f in ("started_at", "last_active_at", "submitted_at", "revoked_at")},
                )
                for r in data["respondents"]
            ]
        )
        ids = {(m.trust.code, m.code): m.pk for m in made}
        count = 0
        if table is not None:
            answers = table.answers.select(
                pl.col(c).cast(pl.String) for c in ("trust", "respondent", "question", "answer")
            )
            Answer.objects.bulk_create(
                [Answer(respondent_id=ids[(t, r)], question=q, answer=a) for t, r, q, a in answers.iter_rows()],
                batch_size=5000,
            )
            count = answers.height
        audit.record(audit.COMMAND_LINE, audit.Action.ROUND_IMPORTED, round, detail=str(folder))
    return round, {"trusts": len(trusts), "respondents": len(made), "answers": count}
