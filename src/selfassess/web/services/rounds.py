"""Setting up a round: the round itself, its trusts, their coordinators; and closing it."""

from __future__ import annotations

import csv
import io
from datetime import date

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from selfassess.framework import FrameworkError, builtin_path, parse_framework
from selfassess.web.models import Coordinator, Round, Trust


class SetupError(ValueError):
    """Something asked of the set-up that cannot be done; the message says what, in plain words."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def create_round(name: str, opens_on: date, closes_on: date, framework_source: str | None = None) -> Round:
    name = name.strip()
    source = framework_source if framework_source is not None else builtin_path().read_text(encoding="utf-8")
    problems = []
    if not name:
        problems.append("Enter a name for the round")
    elif Round.objects.filter(name=name).exists():
        problems.append(f"There is already a round called {name}")
    if closes_on < opens_on:
        problems.append("The closing date must be on or after the opening date")
    try:
        parse_framework(yaml.safe_load(source), "the framework file")
    except (FrameworkError, yaml.YAMLError) as exc:
        problems.append(f"The framework file cannot be used: {exc}")
    if problems:
        raise SetupError(problems)
    return Round.objects.create(name=name, framework_source=source, opens_on=opens_on, closes_on=closes_on)


def add_trust(round: Round, code: str, name: str) -> Trust:
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise SetupError(["Enter the trust's id and its name"])
    try:
        with transaction.atomic():
            return Trust.objects.create(round=round, code=code, name=name)
    except IntegrityError:
        raise SetupError([f"There is already a trust with the id {code} in this round"]) from None


def add_trusts_from_csv(round: Round, text: str) -> list[Trust]:
    """A CSV with the header `code,name`; all or nothing, problems named by line."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or [h.strip().lower() for h in rows[0]] != ["code", "name"]:
        raise SetupError(["line 1: the header should be code,name"])
    problems, seen = [], set(Trust.objects.filter(round=round).values_list("code", flat=True))
    wanted = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            problems.append(f"line {number}: give an id and a name")
        elif row[0].strip() in seen:
            problems.append(f"line {number}: the id {row[0].strip()} is already used")
        else:
            seen.add(row[0].strip())
            wanted.append(Trust(round=round, code=row[0].strip(), name=row[1].strip()))
    if problems:
        raise SetupError(problems[:20])
    with transaction.atomic():
        return Trust.objects.bulk_create(wanted)


def invite_coordinator(trust: Trust, email: str, site: str) -> str:
    """Make (or reuse) the user, link them to the trust, and return the set-password link, which is e-mailed too."""
    email = email.strip().lower()
    if "@" not in email:
        raise SetupError(["Enter an e-mail address, like name@example.org"])
    users = get_user_model()
    user, _ = users.objects.get_or_create(username=email, defaults={"email": email})
    if user.is_staff:
        raise SetupError([f"{email} is a national administrator, not a trust coordinator"])
    if not user.has_usable_password():
        user.set_unusable_password()
        user.save()
    Coordinator.objects.update_or_create(user=user, defaults={"trust": trust})
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = site.rstrip("/") + reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    send_mail(
        f"Coordinate {trust.name}'s self assessment",
        f"You have been asked to coordinate {trust.name}'s self assessment ({trust.round.name}).\n\n"
        f"Set your password here: {link}\n",
        None,
        [email],
    )
    return link


def close_round(round: Round) -> None:
    if round.closed_at is None:
        round.closed_at = timezone.now()
        round.save(update_fields=["closed_at"])
