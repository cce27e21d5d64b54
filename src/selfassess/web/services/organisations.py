"""Organisations that last from round to round, and the rounds that follow one another.

A trust id names the same organisation in every round; the first round to use an id makes the organisation.
When an organisation joins a new round, its coordinators in the latest round it took part in carry over (they
can be changed afterwards, as in any round). A round compares with the round it names as `previous`: by default
the latest round opening before it whose framework shares a question with its own.

Organisations carry attributes (region, type, size band...) that last from round to round, set one at a time or
as a trusts CSV's extra columns; a round's benchmark groups are the values of the attribute it names
(`group_attribute`), each trust in the group of its organisation's value, and a trust without one in none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from selfassess.reports import Groups
from selfassess.text import problem_with
from selfassess.web.models import Coordinator, Organisation, Round, Trust
from selfassess.web.services import audit
from selfassess.web.services.audit import Action

ATTRIBUTE_LENGTH = 40  # an attribute's name ("region")
VALUE_LENGTH = 80  # its value ("North East")
ATTRIBUTES_MOST = 20  # attributes an organisation may carry


class PreviousRoundError(Exception):
    pass


def new_trust(round: Round, code: str, name: str) -> Trust:
    """An unsaved trust of the round, taking part as the organisation with its id (made if new)."""
    organisation, _ = Organisation.objects.get_or_create(code=code, defaults={"name": name})
    return Trust(round=round, organisation=organisation, code=code, name=name)


def carry_over_coordinators(trusts: Iterable[Trust]) -> None:
    """Each newly added trust's coordinators: its organisation's in the latest earlier round it took part in.
    Two queries however many trusts: a national import adds 150 at once."""
    added = {trust.organisation_id: trust for trust in trusts}
    latest: dict[int, int] = {}  # organisation id -> its latest other trust's id
    others = (
        Trust.objects.filter(organisation_id__in=list(added))
        .exclude(pk__in=[trust.pk for trust in added.values()])
        .order_by("organisation_id", "-round__created_at", "-pk")
        .values_list("organisation_id", "pk")
    )
    for organisation_id, pk in others:
        latest.setdefault(organisation_id, pk)
    to_trust = {pk: added[organisation_id] for organisation_id, pk in latest.items()}
    made = [
        Coordinator(user_id=user_id, trust=to_trust[trust_id])
        for trust_id, user_id in Coordinator.objects.filter(trust_id__in=list(to_trust))
        .order_by("pk")
        .values_list("trust_id", "user_id")
    ]
    Coordinator.objects.bulk_create(made, ignore_conflicts=True)


def move_to_organisation(trust: Trust, code: str) -> None:
    """A trust re-coded takes part as the organisation with its new id (made if new)."""
    trust.organisation, _ = Organisation.objects.get_or_create(code=code, defaults={"name": trust.name})


def choices(round: Round) -> list[Round]:
    """The rounds this one may compare with, latest first: those that open before it (or on the same day and
    were made before it) and whose framework shares a question id with its own."""
    ids = set(round.framework.question_ids)
    earlier = Round.objects.exclude(pk=round.pk).filter(
        Q(opens_on__lt=round.opens_on) | Q(opens_on=round.opens_on, created_at__lt=round.created_at)
    )
    return [r for r in earlier.order_by("-opens_on", "-created_at") if ids & set(r.framework.question_ids)]


def default_previous(round: Round) -> Round | None:
    """The latest of the rounds it may compare with."""
    found = choices(round)
    return found[0] if found else None


def set_previous(round: Round, previous: Round | None, *, actor: Any) -> None:
    """Name the earlier round the round's reports compare with (None: none)."""
    if previous is not None and previous not in choices(round):
        raise PreviousRoundError("Choose a round made before this one that shares questions with it")
    with transaction.atomic():
        round.previous = previous
        round.save(update_fields=["previous"])  # the reports' state moves with it (builds.data_version)
        detail = f"compares with {previous.name}" if previous else "compares with no earlier round"
        audit.record(actor, Action.PREVIOUS_ROUND_SET, round, detail=detail)


class AttributeProblem(Exception):
    """Why an attribute cannot be set, in words, each naming its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def attribute_problems(name: str, value: str, where: str = "") -> list[str]:
    """What is wrong with an attribute's name or value (over-long, control characters, a name used for an id)."""
    problems = []
    if not name:
        problems.append(f"{where}give the attribute a name, such as region")
    elif name.lower() in ("code", "name"):
        problems.append(f"{where}'{name}' is the trust's own id or name, not an attribute")
    for text, what, most in ((name, "attribute's name", ATTRIBUTE_LENGTH), (value, "attribute's value", VALUE_LENGTH)):
        problem = problem_with(text, what, most)
        if problem is not None:
            problems.append(f"{where}{problem}")
    return problems


def with_attributes(organisation: Organisation, values: dict[str, str], where: str = "") -> dict[str, str]:
    """The organisation's attributes with these set (a blank value removes one), or AttributeProblem."""
    attributes = dict(organisation.attributes)
    for name, value in values.items():
        if value:
            attributes[name] = value
        else:
            attributes.pop(name, None)
    if len(attributes) > ATTRIBUTES_MOST:
        raise AttributeProblem([f"{where}an organisation may carry at most {ATTRIBUTES_MOST} attributes"])
    return dict(sorted(attributes.items()))


def set_attribute(trust: Trust, name: str, value: str, *, actor: Any) -> None:
    """Set (or, with a blank value, remove) one attribute of the trust's organisation, for every round."""
    name, value = name.strip(), value.strip()
    problems = attribute_problems(name, value)
    if problems:
        raise AttributeProblem([p[:1].upper() + p[1:] for p in problems])
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=trust.organisation_id)
        organisation.attributes = with_attributes(organisation, {name: value})
        organisation.save(update_fields=["attributes"])
        said = f"{name} = {value}" if value else f"{name} removed"
        audit.record(actor, Action.ATTRIBUTE_SET, trust=trust, detail=f"{organisation.code}: {said}")


def round_attributes(round: Round) -> dict[str, dict[str, int]]:
    """The attributes the round's trusts' organisations carry: for each, how many trusts have each value."""
    found: dict[str, dict[str, int]] = {}
    for attributes in Trust.objects.filter(round=round).values_list("organisation__attributes", flat=True):
        for name, value in (attributes or {}).items():
            values = found.setdefault(name, {})
            values[value] = values.get(value, 0) + 1
    return {name: dict(sorted(values.items())) for name, values in sorted(found.items())}


def set_group_attribute(round: Round, name: str, *, actor: Any) -> None:
    """Make the round's benchmark groups by this attribute ('' for none)."""
    if name and name not in round_attributes(round):
        raise AttributeProblem([f"None of the round's trusts has the attribute '{name}'"])
    with transaction.atomic():
        round.group_attribute = name
        round.save(update_fields=["group_attribute"])  # the reports' state moves with it (builds.data_version)
        detail = f"groups by {name}" if name else "no benchmark groups"
        audit.record(actor, Action.GROUPS_CHOSEN, round, detail=detail)


def round_groups(round: Round) -> Groups | None:
    """The round's benchmark groups, as the reports take them: each trust's value of the chosen attribute."""
    name = round.group_attribute
    if not name:
        return None
    rows = Trust.objects.filter(round=round).values_list("code", "organisation__attributes")
    return Groups(name, {code: attributes[name] for code, attributes in rows if (attributes or {}).get(name)})
