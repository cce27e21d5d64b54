"""Loading a response file into a round (the `import` command and the demo), and the demo's sign-ins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from selfassess.framework import builtin_path, load_framework
from selfassess.responses import read_responses
from selfassess.web.models import Coordinator, Respondent, Round
from selfassess.web.services import audit
from selfassess.web.services.data import import_table


def import_file(
    path: Path, round_name: str | None, framework_path: str | None = None, replace: bool = False
) -> tuple[Round, dict[str, int]]:
    """Check the file against the round's framework and load it, all or nothing. A round named but missing is
    made (open from today for 90 days); `replace` empties an existing one first (the demo does)."""
    source = Path(framework_path) if framework_path else builtin_path()
    name = round_name or "imported"
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
        elif replace:
            round.trusts.all().delete()
        loaded = import_table(round, table, Respondent.IMPORTED)
        audit.record(
            audit.COMMAND_LINE, "imported file", round, detail=f"{path.name}: {loaded['respondents']} respondents"
        )
        return round, loaded


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
    Coordinator.objects.update_or_create(user=coordinator, defaults={"trust": round.trusts.order_by("code").first()})
