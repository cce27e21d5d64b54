"""Loading response files into a round: a coordinator's upload of paper forms, the `import` command and the
demo; and the demo's sign-ins."""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from selfassess.framework import builtin_path, load_framework
from selfassess.responses import InvalidResponses, Problem, read_responses
from selfassess.responses.limits import UPLOAD
from selfassess.text import ID_LENGTH, problem_with
from selfassess.web.models import Coordinator, Organisation, Respondent, Round, Trust
from selfassess.web.services import audit, files, organisations
from selfassess.web.services.audit import Action
from selfassess.web.services.data import import_table


def import_paper_forms(trust: Trust, name: str, chunks: Iterable[bytes], *, actor: Any) -> dict[str, int]:
    """A coordinator's upload of filled forms (workbook or CSV) for their own trust: read under the upload
    limits, checked against the round's framework, loaded all or nothing. The file loaded is kept for audit in
    the service's storage (its name in the audit record); a refused one is not. Raises InvalidResponses."""
    suffix = ".xlsx" if name.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        table = read_responses(path, trust.round.framework, UPLOAD)
        with transaction.atomic():
            loaded = import_table(trust.round, table, Respondent.PAPER, only_trust=trust)
            kept = files.save_file(path, _kept_name(trust, suffix))
            detail = f"{loaded['respondents']} forms, {name}, kept as {kept}"
            audit.record(actor, Action.PAPER_FORMS_IMPORTED, trust=trust, detail=detail)
    return loaded


def _kept_name(trust: Trust, suffix: str) -> str:
    """Where an upload is kept: by round and trust (ids, not names a person typed), the moment and a random
    part, so that two uploads never share a name."""
    moment = timezone.now().strftime("%Y%m%dT%H%M%S")
    return f"uploads/{trust.round_id}/{trust.pk}/{moment}-{uuid.uuid4().hex[:8]}{suffix}"


def import_file(
    path: Path, round_name: str | None, framework_path: str | None = None, replace: bool = False
) -> tuple[Round, dict[str, int]]:
    """Check the file against the round's framework and load it, all or nothing. A round named but missing is
    made (open from today for 90 days); `replace` empties an existing one first (the demo does)."""
    source = Path(framework_path) if framework_path else builtin_path()
    name = (round_name or "imported").strip()
    problem = problem_with(name, "round's name", ID_LENGTH)
    if problem or not name:
        raise InvalidResponses([Problem("--round", problem or "give the round a name")])
    round = Round.objects.filter(name=name).first()
    # Check the file before touching the database: a refused file leaves no trace, not even an empty round.
    table = read_responses(path, round.framework if round else load_framework(source))
    with transaction.atomic():
        if round is None:
            today = dt.date.today()
            round = Round.objects.create(
                name=name,
                framework_source=source.read_text(encoding="utf-8"),
                opens_on=today,
                closes_on=today + dt.timedelta(days=90),
            )
            round.previous = organisations.default_previous(round)
            round.save(update_fields=["previous"])
        elif replace:
            round.trusts.all().delete()
        loaded = import_table(round, table, Respondent.IMPORTED)
        audit.record(
            audit.COMMAND_LINE, Action.FILE_IMPORTED, round, detail=f"{path.name}: {loaded['respondents']} respondents"
        )
        return round, loaded


def other_users(demo: dict[str, tuple[str, str]]) -> list[str]:
    """Accounts in the database that the demo did not make: the demo must not take over a real service's."""
    emails = [email for email, _ in demo.values()]
    return list(get_user_model().objects.exclude(username__in=emails).values_list("username", flat=True)[:5])


def demo_sign_ins(demo: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The demo's sign-ins that still work as the demo set them (a changed password is nobody's to print)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[e for e, _ in demo.values()])}
    return {
        role: (email, password)
        for role, (email, password) in demo.items()
        if email in users and users[email].check_password(password)
    }


def demo_rounds(earlier: Round, later: Round) -> None:
    """The demo's invented June round is a past round: it opened and closed before the October one, which
    compares with it."""
    today = dt.date.today()
    with transaction.atomic():
        earlier.opens_on, earlier.closes_on = today - dt.timedelta(days=150), today - dt.timedelta(days=120)
        earlier.closed_at = timezone.now()
        earlier.save(update_fields=["opens_on", "closes_on", "closed_at"])
        organisations.set_previous(later, earlier, actor=audit.COMMAND_LINE)


def demo_groups(round: Round, attribute: str, of: dict[str, str]) -> None:
    """The demo's invented attribute (its regions) onto the round's organisations, making its benchmark groups,
    so that the service shows groups as the files do."""
    with transaction.atomic():
        changed = []
        for trust in round.trusts.select_related("organisation"):
            if trust.code in of:
                trust.organisation.attributes = {**trust.organisation.attributes, attribute: of[trust.code]}
                changed.append(trust.organisation)
        Organisation.objects.bulk_update(changed, ["attributes"], batch_size=500)
        organisations.set_group_attribute(round, attribute, actor=audit.COMMAND_LINE)


def demo_setup(round: Round, users: dict[str, tuple[str, str]]) -> None:
    """A national administrator and a coordinator of the first trust, with the passwords the demo prints."""
    model = get_user_model()
    email, password = users["administrator"]
    admin, _ = model.objects.get_or_create(username=email, defaults={"email": email})
    admin.is_staff = True
    admin.set_password(password)
    admin.save()
    email, password = users["coordinator"]
    coordinator, _ = model.objects.get_or_create(username=email, defaults={"email": email})
    coordinator.set_password(password)
    coordinator.save()
    Coordinator.objects.get_or_create(user=coordinator, trust=round.trusts.order_by("code").first())
