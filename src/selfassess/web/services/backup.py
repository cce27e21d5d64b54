"""A whole round to a folder and back: round.json (the round, trusts, respondents, link fingerprints),
framework.yaml, and answers.csv in the long form of contract section 2, which any tool can read. The folder is
on this machine, or in the service's storage (its folder or bucket: `files`), under backups/, where any of the
service's machines can read it back."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from selfassess.framework import Framework, FrameworkError, framework_from_text
from selfassess.framework.loader import MAX_BYTES as FRAMEWORK_BYTES
from selfassess.responses import InvalidResponses, Problem, read_responses, write_csv
from selfassess.text import ID_LENGTH, problem_with
from selfassess.web.models import Answer, Respondent, Round
from selfassess.web.services import audit, files, organisations
from selfassess.web.services.data import answer_rows
from selfassess.web.services.reminders import parse_days
from selfassess.web.services.rounds import SetupError, address_problems, checked, trust_problems

SCHEMA = "selfassess.round/1"
BACKUP_FILES = ("answers.csv", "framework.yaml", "round.json")
STORED = "storage:"  # a location beginning so is a backup's name in the service's storage
BACKUP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}(/[A-Za-z0-9][A-Za-z0-9._-]{0,99}){0,4}")


def stored_backup(location: str) -> str | None:
    """The storage folder a `storage:NAME` location names (None for a path on this machine). Names are plain
    (letters, digits, dot, dash, underscore; up to five parts), so none reaches outside backups/."""
    if not location.startswith(STORED):
        return None
    name = location.removeprefix(STORED).strip("/")
    if not BACKUP_NAME.fullmatch(name) or ".." in name:
        plain = "name a backup with letters, digits, dots, dashes and underscores, e.g. storage:2026-12"
        raise InvalidResponses([Problem(location, plain)])
    return f"backups/{name}"


def export_round_stored(round: Round, folder: str) -> dict[str, int]:
    """`export_round` into the service's storage: written here first, then copied."""
    with tempfile.TemporaryDirectory(prefix="selfassess-backup-") as scratch:
        written = export_round(round, Path(scratch), where=folder)
        files.save_folder(Path(scratch), folder)
    return written


def import_round_stored(folder: str, name: str | None = None) -> tuple[Round, dict[str, int]]:
    """`import_round` from the service's storage: its files copied here first."""
    with tempfile.TemporaryDirectory(prefix="selfassess-backup-") as scratch:
        try:
            files.fetch(folder, BACKUP_FILES, Path(scratch))
        except FileNotFoundError as missing:
            raise InvalidResponses([Problem(folder, f"is not a whole backup ({missing})")]) from None
        return import_round(Path(scratch), name, where=folder)


def export_round(round: Round, folder: Path, where: str = "") -> dict[str, int]:
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
        "group_attribute": round.group_attribute,
        "trusts": [
            {"code": t.code, "name": t.name, "attributes": t.organisation.attributes}
            for t in round.trusts.select_related("organisation").order_by("code")
        ],
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
    audit.record(audit.COMMAND_LINE, audit.Action.ROUND_EXPORTED, round, detail=where or str(folder))
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


def _framework_source(path: Path) -> str:
    if path.stat().st_size > FRAMEWORK_BYTES:
        raise InvalidResponses([Problem("framework.yaml", f"is larger than {FRAMEWORK_BYTES // 1_000_000} MB")])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidResponses([Problem("framework.yaml", "is not UTF-8 text")]) from None


def _export_problems(data: dict[str, Any], framework: Framework, name: str) -> list[Problem]:
    """What the web would refuse in the same values, each named by its place in round.json."""
    found = [
        Problem("round.json", p) for p in checked(name, "round's name", ID_LENGTH, blank="the round has no name")[1]
    ]
    dates = {}
    for key in ("opens_on", "closes_on"):
        try:
            dates[key] = dt.date.fromisoformat(str(data.get(key)))
        except ValueError:
            found.append(Problem("round.json", f"{key} is not a date (YYYY-MM-DD)"))
    if len(dates) == 2 and dates["closes_on"] < dates["opens_on"]:
        found.append(Problem("round.json", "closes_on is before opens_on"))
    if data.get("closed_at") is not None and _moment(data["closed_at"]) is None:
        found.append(Problem("round.json", "closed_at is not a date and time"))
    trusts, respondents = data.get("trusts"), data.get("respondents")
    if not isinstance(trusts, list) or not isinstance(respondents, list):
        return [*found, Problem("round.json", "trusts and respondents should be lists")]
    codes: set[str] = set()
    for n, trust in enumerate(trusts):
        code, title = (str(trust.get(k, "")) if isinstance(trust, dict) else "" for k in ("code", "name"))
        found += [Problem("round.json", p) for p in trust_problems(code, title, f"trusts[{n}]: ")]
        if code in codes:
            found.append(Problem("round.json", f"trusts[{n}]: the code {code} is used twice"))
        codes.add(code)
        found += [Problem("round.json", p) for p in _attributes_problems(trust, f"trusts[{n}]: ")]
    grouping = data.get("group_attribute", "")
    if not isinstance(grouping, str) or organisations.attribute_problems(grouping or "x", ""):
        found.append(Problem("round.json", "group_attribute should be an attribute's name, or empty"))
    people: set[tuple[str, str]] = set()
    for n, person in enumerate(respondents):
        where = f"respondents[{n}]: "
        if not isinstance(person, dict):
            found.append(Problem("round.json", f"{where}should be a mapping of fields"))
            continue
        found += [Problem("round.json", where + p) for p in _person_problems(person, framework, codes)]
        pair = (str(person.get("trust")), str(person.get("respondent")))
        if pair in people:
            found.append(Problem("round.json", f"{where}{pair[1]} of {pair[0]} is listed twice"))
        people.add(pair)
    return found


def _attributes_problems(trust: Any, where: str) -> list[str]:
    """What is wrong with an exported trust's attributes (absent in exports made before there were any)."""
    attributes = trust.get("attributes", {}) if isinstance(trust, dict) else {}
    if not isinstance(attributes, dict) or len(attributes) > organisations.ATTRIBUTES_MOST:
        return [f"{where}attributes should be at most {organisations.ATTRIBUTES_MOST} names with their values"]
    problems = []
    for name, value in attributes.items():
        if not isinstance(value, str) or not value:
            problems.append(f"{where}attributes: {name} should have a value")
        else:
            problems += organisations.attribute_problems(str(name), value, f"{where}attributes: ")
    return problems


def _person_problems(person: dict[str, Any], framework: Framework, trusts: set[str]) -> list[str]:
    problems = []
    if person.get("trust") not in trusts:
        problems.append(f"trust {str(person.get('trust'))[:40]!r} is not one of the round's")
    for key, what, most in (("respondent", "respondent id", ID_LENGTH), ("label", "label", 100)):
        value = person.get(key, "")
        problem = problem_with(value, what, most) if isinstance(value, str) else f"{key} should be text"
        if problem or (key == "respondent" and not value):
            problems.append(problem or "the respondent id is empty")
    email = person.get("email", "")
    problems += address_problems(email) if isinstance(email, str) and email else []
    if not isinstance(email, str):
        problems.append("email should be text")
    if person.get("sector", "") not in ("", *framework.sector_ids):
        problems.append(f"sector {str(person.get('sector'))[:40]!r} is not one of the framework's")
    if person.get("audience", "") not in ("", *framework.audience_ids):
        problems.append(f"audience {str(person.get('audience'))[:40]!r} is not one of the framework's")
    if person.get("source") not in (Respondent.ONLINE, Respondent.PAPER, Respondent.IMPORTED):
        problems.append("source should be online, paper or imported")
    reached = person.get("section_reached", 0)
    if not isinstance(reached, int) or isinstance(reached, bool) or not 0 <= reached <= len(framework.practices):
        problems.append(f"section_reached should be a whole number from 0 to {len(framework.practices)}")
    token_hash = person.get("token_hash")
    if token_hash is not None and not (isinstance(token_hash, str) and re.fullmatch(r"[0-9a-f]{64}", token_hash)):
        problems.append("token_hash is not a link's fingerprint")
    for key in ("started_at", "last_active_at", "submitted_at", "revoked_at"):
        if person.get(key) is not None and _moment(person[key]) is None:
            problems.append(f"{key} is not a date and time")
    return problems


def _moment(value: object) -> dt.datetime | None:
    try:
        return parse_datetime(value) if isinstance(value, str) and len(value) < 40 else None
    except ValueError:
        return None


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


ROUND_JSON_BYTES = 100_000_000  # a national round's respondents take a few megabytes


def import_round(folder: Path, name: str | None = None, where: str = "") -> tuple[Round, dict[str, int]]:
    """Recreate a round exported by `export_round`, all or nothing. Everything in the export is checked as the
    web checks the same values when they are typed or uploaded (the framework, the round's name and dates,
    trusts, respondents' ids, labels and addresses), every problem named by its place, before anything is made."""
    if (folder / "round.json").stat().st_size > ROUND_JSON_BYTES:
        raise InvalidResponses([Problem("round.json", f"is larger than {ROUND_JSON_BYTES // 1_000_000} MB")])
    try:
        data = json.loads((folder / "round.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidResponses([Problem("round.json", f"cannot be read as JSON ({str(exc)[:100]})")]) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InvalidResponses([Problem("round.json", f"is not a selfassess round export ({SCHEMA})")])
    source = _framework_source(folder / "framework.yaml")
    try:
        framework = framework_from_text(source, "framework.yaml")
    except FrameworkError as error:
        raise InvalidResponses([Problem("framework.yaml", p) for p in error.problems[:20]]) from None
    name = name or data.get("name")
    problems = _export_problems(data, framework, name if isinstance(name, str) else "")
    if problems:
        raise InvalidResponses(problems[:20])
    assert isinstance(name, str)
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
            group_attribute=data.get("group_attribute", ""),
        )
        trusts = {t["code"]: organisations.new_trust(round, t["code"], t["name"]) for t in data["trusts"]}
        for exported in data["trusts"]:
            trust = trusts[exported["code"]]
            if exported.get("attributes"):  # onto the organisation, over any value it has for the same name
                organisation = trust.organisation
                organisation.attributes = {**organisation.attributes, **exported["attributes"]}
                organisation.save(update_fields=["attributes"])
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
        audit.record(audit.COMMAND_LINE, audit.Action.ROUND_IMPORTED, round, detail=where or str(folder))
    return round, {"trusts": len(trusts), "respondents": len(made), "answers": count}
