"""Setting up a round: the round itself, its trusts, their coordinators; and closing it.

Every value typed or uploaded is checked before it reaches the database (text.problem_with: no control
characters, no more than the column holds), so SQLite and PostgreSQL give the same answer; each change writes
its audit record in its own transaction.
"""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from selfassess.framework import FrameworkError, builtin_path, framework_from_text
from selfassess.text import EMAIL_LENGTH, ID_LENGTH, NAME_LENGTH, problem_with, shown
from selfassess.web.models import Coordinator, Organisation, Round, Trust
from selfassess.web.services import audit, organisations
from selfassess.web.services.audit import Action

TRUSTS_CSV_BYTES = 1_000_000  # a list of a few hundred trusts is a few kilobytes
TRUSTS_CSV_ROWS = 5_000


class SetupError(ValueError):
    """Something asked of the set-up that cannot be done; the message says what, in plain words."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def checked(value: str, what: str, max_length: int, where: str = "", blank: str = "") -> tuple[str, list[str]]:
    """The value without surrounding spaces, and why it cannot be kept (empty if it can); `blank`, if given, is
    what to say when it is empty."""
    value = value.strip()
    if blank and not value:
        return value, [blank]
    problem = problem_with(value, what, max_length)
    if problem is None:
        return value, []
    return value, [f"{where}{problem}" if where else problem[:1].upper() + problem[1:]]


def create_round(
    name: str, opens_on: date, closes_on: date, framework_source: str | None = None, *, actor: Any
) -> Round:
    source = framework_source if framework_source is not None else builtin_path().read_text(encoding="utf-8")
    name, problems = checked(name, "round's name", ID_LENGTH, blank="Enter a name for the round")
    if not problems and Round.objects.filter(name=name).exists():
        problems.append(f"There is already a round called {name}")
    if closes_on < opens_on:
        problems.append("The closing date must be on or after the opening date")
    try:
        framework_from_text(source, "the framework file")
    except FrameworkError as exc:
        problems += [f"The framework file cannot be used: {p}" for p in exc.problems[:20]]
    if problems:
        raise SetupError(problems)
    with transaction.atomic():
        made = Round.objects.create(name=name, framework_source=source, opens_on=opens_on, closes_on=closes_on)
        made.previous = organisations.default_previous(made)
        made.save(update_fields=["previous"])
        audit.record(actor, Action.ROUND_CREATED, made, detail=f"{opens_on} to {closes_on}")
    return made


def trust_problems(code: str, name: str, where: str = "") -> list[str]:
    if not code or not name:
        return [f"{where}give an id and a name" if where else "Enter the trust's id and its name"]
    return checked(code, "trust id", ID_LENGTH, where)[1] + checked(name, "trust's name", NAME_LENGTH, where)[1]


def add_trust(round: Round, code: str, name: str, *, actor: Any) -> Trust:
    code, name = code.strip(), name.strip()
    problems = trust_problems(code, name)
    if problems:
        raise SetupError(problems)
    try:
        with transaction.atomic():
            trust = organisations.new_trust(round, code, name)
            trust.save()
            organisations.carry_over_coordinators([trust])
            audit.record(actor, Action.TRUSTS_ADDED, round, detail=code)
            return trust
    except IntegrityError:
        raise SetupError([f"There is already a trust with the id {code} in this round"]) from None


def trusts_csv_text(file: BinaryIO) -> str:
    """An uploaded trusts list as text, or a SetupError that says in words what the file is instead. Reads at
    most one byte past the limit, so a large file is never held whole."""
    data = file.read(TRUSTS_CSV_BYTES + 1)
    if len(data) > TRUSTS_CSV_BYTES:
        raise SetupError(
            [f"The file is larger than {TRUSTS_CSV_BYTES // 1_000_000} MB; a list of trusts is far smaller"]
        )
    if data.startswith(b"PK\x03\x04"):
        raise SetupError(["The file is an Excel workbook, not a CSV file: save it as 'CSV UTF-8' and upload that"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SetupError(["The file's text is not UTF-8: save it as 'CSV UTF-8' and upload that"]) from None


def add_trusts_from_csv(round: Round, text: str, *, actor: Any) -> list[Trust]:
    """A CSV with the header `code,name` and, after those, any columns of the organisations' attributes (region,
    type...: each column's header names one; a blank cell leaves it as it was); any line ends (Windows, Unix,
    old Mac); all or nothing, problems named by line."""
    try:
        # newline="" lets the csv module see every kind of line end, and line breaks inside quotes.
        rows = list(itertools.islice(csv.reader(io.StringIO(text, newline="")), TRUSTS_CSV_ROWS + 2))
    except csv.Error as exc:
        raise SetupError([f"The file cannot be read as CSV ({exc}); check its quotes"]) from None
    if len(rows) > TRUSTS_CSV_ROWS + 1:
        raise SetupError([f"The file has more than {TRUSTS_CSV_ROWS:,} trusts; upload at most that many at a time"])
    if not rows or [h.strip().lower() for h in rows[0][:2]] != ["code", "name"]:
        raise SetupError(["line 1: the header should be code,name (then any attributes, such as region)"])
    attributes = [h.strip() for h in rows[0][2:]]
    problems = _attribute_header_problems(attributes)
    seen = set(Trust.objects.filter(round=round).values_list("code", flat=True))
    wanted = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"line {number}: "
        if len(row) != len(rows[0]):
            problems.append(f"{where}there should be {len(rows[0])} values, as in the header; there are {len(row)}")
            continue
        code, name = row[0].strip(), row[1].strip()
        values = {a: v.strip() for a, v in zip(attributes, row[2:], strict=True)}
        found = trust_problems(code, name, where)
        found += [p for a, v in values.items() if v for p in organisations.attribute_problems(a, v, where)]
        if found:
            problems += found
        elif code in seen:
            problems.append(f"{where}the id {code} is already used")
        else:
            seen.add(code)
            wanted.append((code, name, values))
    if problems:
        raise SetupError(problems[:20])
    if not wanted:
        raise SetupError(["The file has no trusts under its header"])
    with transaction.atomic():
        made = Trust.objects.bulk_create([organisations.new_trust(round, code, name) for code, name, _ in wanted])
        _set_attributes(made, [values for _, _, values in wanted])
        organisations.carry_over_coordinators(made)
        audit.record(actor, Action.TRUSTS_ADDED, round, detail=", ".join(t.code for t in made))
    return made


def _attribute_header_problems(attributes: list[str]) -> list[str]:
    problems = []
    for column, name in enumerate(attributes, start=3):
        problems += organisations.attribute_problems(name, "", f"line 1, column {column}: ")
    repeated = sorted({a for a in attributes if a and attributes.count(a) > 1})
    problems += [f"line 1: the attribute {a} is named twice" for a in repeated]
    return problems


def _set_attributes(trusts: list[Trust], values: list[dict[str, str]]) -> None:
    """The CSV's attribute columns onto each new trust's organisation (a blank cell leaves one as it was)."""
    changed = []
    for trust, wanted in zip(trusts, values, strict=True):
        given = {name: value for name, value in wanted.items() if value}
        if given:
            organisation = trust.organisation
            try:
                organisation.attributes = organisations.with_attributes(organisation, given, f"{trust.code}: ")
            except organisations.AttributeProblem as problem:
                raise SetupError(problem.problems) from None
            changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["attributes"])


def invite_coordinator(trust: Trust, email: str, site: str, *, actor: Any) -> str:
    """Make (or reuse) the user and add the trust to those they coordinate (never taking another away), and
    return the set-password link, which is e-mailed too."""
    email, problems = checked(email.lower(), "e-mail address", EMAIL_LENGTH)
    if problems:
        raise SetupError(problems)
    if "@" not in email:
        raise SetupError(["Enter an e-mail address, like name@example.org"])
    users = get_user_model()
    with transaction.atomic():
        user, _ = users.objects.get_or_create(username=email, defaults={"email": email})
        if user.is_staff:
            raise SetupError([f"{email} is a national administrator, not a trust coordinator"])
        if not user.has_usable_password():
            user.set_unusable_password()
            user.save()
        _, added = Coordinator.objects.get_or_create(user=user, trust=trust)
        if not added:
            raise SetupError([f"{email} already coordinates {trust.name}"])
        audit.record(actor, Action.COORDINATOR_INVITED, trust=trust, detail=email)
    return send_password_link(trust, user, site, first=True)


COORDINATOR_HEADER = ("code", "email")
COORDINATORS_AT_ONCE = 2000  # a national round's coordinators, several per trust
COORDINATOR_CSV_BYTES = 300_000


def invite_coordinators_from_csv(round: Round, data: bytes, site: str, *, actor: Any) -> int:
    """Coordinators from a CSV of code,email (a trust's code in this round, the person's address), one per
    line; each is e-mailed a link to set their password. All or nothing: every problem is named by line."""
    rows = csv_rows(data, COORDINATOR_CSV_BYTES, COORDINATORS_AT_ONCE, COORDINATOR_HEADER, "coordinators")
    trusts = {t.code.lower(): t for t in round.trusts.all()}
    users = get_user_model()
    staff = set(users.objects.filter(is_staff=True).values_list("username", flat=True))
    existing = set(Coordinator.objects.filter(trust__round=round).values_list("user__username", "trust__code"))
    wanted: list[tuple[Trust, str]] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for number, row in rows:
        if len(row) != len(COORDINATOR_HEADER):
            problems.append(f"line {number}: {len(row)} fields, but the header has {len(COORDINATOR_HEADER)}")
            continue
        code, email = (cell.strip() for cell in row)
        email = email.lower()
        found = [f"line {number}: {p[:1].lower()}{p[1:]}" for p in checked(email, "e-mail address", EMAIL_LENGTH)[1]]
        if not found and "@" not in email:
            found.append(
                f"line {number}: '{email[:40]}' is not an e-mail address; it should look like name@example.org"
            )
        trust = trusts.get(code.lower())
        if trust is None:
            found.append(
                f"line {number}: there is no {round.framework.unit} with the code '{code[:40]}' in {round.name}"
            )
        elif email in staff:
            found.append(f"line {number}: {email} is a national administrator, not a coordinator")
        elif (email, trust.code) in existing:
            found.append(f"line {number}: {email} already coordinates {trust.name}")
        elif (email, trust.code) in seen:
            found.append(f"line {number}: {email} for {trust.code} is on an earlier line too")
        problems += found
        if not found and trust is not None:
            seen.add((email, trust.code))
            wanted.append((trust, email))
    if problems:
        raise SetupError(problems[:20] + ([f"and {len(problems) - 20} more problems"] if len(problems) > 20 else []))
    if not wanted:
        raise SetupError(["The file has nobody under its header"])
    with transaction.atomic():
        for trust, email in wanted:
            user, _ = users.objects.get_or_create(username=email, defaults={"email": email})
            if not user.has_usable_password():
                user.set_unusable_password()
                user.save()
            Coordinator.objects.create(user=user, trust=trust)
            send_password_link(trust, user, site, first=True)
        audit.record(actor, Action.COORDINATORS_INVITED, round, detail=f"{len(wanted)} coordinators")
    return len(wanted)


def address_problems(email: str) -> list[str]:
    """Why an e-mail address cannot be used (empty if it can), starting in lower case to follow 'line N: '."""
    problem = problem_with(email, "e-mail address", EMAIL_LENGTH)
    if problem:
        return [problem]
    try:
        validate_email(email)
    except ValidationError:
        return [f"'{shown(email)}' is not an e-mail address; it should look like name@example.org"]
    return []


def csv_rows(
    data: bytes, most_bytes: int, most_rows: int, header: tuple[str, ...], what: str
) -> list[tuple[int, list[str]]]:
    """A small CSV's lines under its header, each with its line number, read within bounds; blank lines left
    out. Refused in words: too large, a workbook, not UTF-8, broken quotes, the wrong header, more than
    `most_rows` (of `what`)."""
    if len(data) > most_bytes:
        raise SetupError([f"The file is larger than {most_bytes // 1000} KB; a list of {most_rows} {what} is smaller"])
    if data.startswith(b"PK\x03\x04"):
        raise SetupError(["The file is an Excel workbook, not a CSV file: save it as 'CSV UTF-8' and upload that"])
    try:
        text = data.decode("utf-8-sig")
        rows = list(itertools.islice(csv.reader(io.StringIO(text, newline="")), most_rows + 2))
    except UnicodeDecodeError:
        raise SetupError(["The file's text is not UTF-8: save it as 'CSV UTF-8' and upload that"]) from None
    except csv.Error as exc:
        raise SetupError([f"The file cannot be read as CSV ({exc}); check its quotes"]) from None
    if not rows or tuple(h.strip().lower() for h in rows[0]) != header:
        raise SetupError([f"line 1: the header should be {','.join(header)}"])
    if len(rows) > most_rows + 1:
        raise SetupError([f"The file has more than {most_rows} {what}; upload at most that many at a time"])
    return [(n, row) for n, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]


def send_password_link(trust: Trust, user: Any, site: str, first: bool = False) -> str:
    """E-mail a coordinator a link to set their password, and return a link to show the administrator. The
    e-mail's own link is made by the task worker as it writes it, so the task queue never holds one."""
    from selfassess.web.tasks import send_password_email

    send_password_email.enqueue(trust.pk, user.pk, site, first)  # a slow mail server never holds the page
    return password_link(user, site)


def password_link(user: Any, site: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site.rstrip("/") + reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def deliver_password_reset(user_id: int, site: str) -> int:
    """Write and send a forgotten-password e-mail, with a link made here, in the worker (Django's token: it
    works once, for PASSWORD_RESET_TIMEOUT)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    body = render_to_string("email/password_reset.txt", {"link": password_link(user, site)})
    sent: int = send_mail("Set a new password for selfassess", body, None, [user.email or user.username])
    return sent


def deliver_password_email(trust_id: int, user_id: int, site: str, first: bool) -> int:
    """Write and send the set-password e-mail (run by a task worker)."""
    trust = Trust.objects.select_related("round").get(pk=trust_id)
    user = get_user_model().objects.get(pk=user_id)
    context = {"trust": trust, "round": trust.round, "link": password_link(user, site), "first": first}
    body = render_to_string("email/set_password.txt", context)
    sent: int = send_mail(
        f"Coordinate {trust.name}'s part in the {trust.round.assessment}", body, None, [user.email or user.username]
    )
    return sent


def resend_password_link(trust: Trust, coordinator_id: int, site: str, *, actor: Any) -> str:
    coordinator = Coordinator.objects.select_related("user").filter(trust=trust, pk=coordinator_id).first()
    if coordinator is None:
        raise SetupError(["That person does not coordinate this trust"])
    with transaction.atomic():
        audit.record(actor, Action.PASSWORD_LINK_SENT, trust=trust, detail=coordinator.user.username)
    return send_password_link(trust, coordinator.user, site)


def remove_coordinator(trust: Trust, coordinator_id: int, *, actor: Any) -> str:
    """Take the trust away from one of its coordinators (their other trusts, and their account, stay)."""
    with transaction.atomic():
        coordinator = Coordinator.objects.select_related("user").filter(trust=trust, pk=coordinator_id).first()
        if coordinator is None:
            raise SetupError(["That person does not coordinate this trust"])
        email = coordinator.user.username
        coordinator.delete()
        audit.record(actor, Action.COORDINATOR_REMOVED, trust=trust, detail=email)
    return email


def rename_trust(trust: Trust, name: str, *, actor: Any) -> None:
    name, problems = checked(name, "trust's name", NAME_LENGTH, blank="Enter the trust's name")
    if problems:
        raise SetupError(problems)
    with transaction.atomic():
        old = trust.name
        trust.name = name
        trust.save(update_fields=["name"])
        audit.record(actor, Action.TRUST_CHANGED, trust=trust, detail=f"name: {old} -> {name}")


def change_trust_code(trust: Trust, code: str, *, actor: Any) -> None:
    """A trust's id, as files use it, may change only while none of its questionnaires is submitted (reports
    and exports made since would not match)."""
    code, problems = checked(code, "trust id", ID_LENGTH, blank="Enter the trust's id")
    if problems:
        raise SetupError(problems)
    with transaction.atomic():
        if trust.respondents.filter(submitted_at__isnull=False).exists():
            raise SetupError(["The id cannot change now: questionnaires from this trust have been submitted"])
        if Trust.objects.filter(round=trust.round, code=code).exclude(pk=trust.pk).exists():
            raise SetupError([f"There is already a trust with the id {code} in this round"])
        old = trust.code
        trust.code = code
        organisations.move_to_organisation(trust, code)
        trust.save(update_fields=["code", "organisation"])
        audit.record(actor, Action.TRUST_CHANGED, trust=trust, detail=f"id: {old} -> {code}")


def remove_trust(trust: Trust, *, actor: Any) -> None:
    """Remove a trust that has no invitations, forms or answers (with it go its coordinators' rights to it)."""
    with transaction.atomic():
        if trust.respondents.exists():
            raise SetupError(["The trust has invitations or questionnaires, so it cannot be removed"])
        audit.record(actor, Action.TRUST_REMOVED, trust.round, detail=f"{trust.code}: {trust.name}")
        trust.delete()


def close_round(round: Round, *, actor: Any) -> None:
    with transaction.atomic():
        if round.closed_at is None:
            round.closed_at = timezone.now()
            round.save(update_fields=["closed_at"])
            audit.record(actor, Action.ROUND_CLOSED, round)


def set_closing_date(round: Round, closes_on: date, *, actor: Any) -> None:
    """Move the closing date (to extend a round, open or closed); a closed round is reopened by it."""
    problems = []
    if closes_on < round.opens_on:
        problems.append(f"The closing date must be on or after the opening date, {round.opens_on:%d/%m/%Y}")
    if closes_on < timezone.localdate():
        problems.append("The closing date must be today or later")
    if problems:
        raise SetupError(problems)
    with transaction.atomic():
        reopened = round.closed_at is not None
        old = round.closes_on
        round.closes_on, round.closed_at = closes_on, None
        round.save(update_fields=["closes_on", "closed_at"])
        action = Action.ROUND_REOPENED if reopened else Action.ROUND_EXTENDED
        audit.record(actor, action, round, detail=f"closes {old} -> {closes_on}")
