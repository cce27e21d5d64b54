"""Organisations that last from round to round: today's databases moved across with nothing lost, coordinators
carried over, and a round that names the round it compares with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from selfassess.framework.loader import builtin_path
from selfassess.web.models import Answer, AuditEvent, Coordinator, Organisation, Respondent, Round, Trust
from selfassess.web.services import organisations
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.data import import_table
from selfassess.web.services.invitations import respondent_for_token
from selfassess.web.services.rounds import add_trust, add_trusts_from_csv, create_round
from tests.conftest import round_table
from tests.web.conftest import World, make_trust, signed_in

BEFORE = [("selfassess", "0005_coordinators_of_several_trusts")]


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "selfassess"]


@pytest.mark.django_db(transaction=True)
def test_a_database_at_yesterdays_schema_moves_across_with_every_count_and_link() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="coordinator@example.org")
    rounds, trusts = old.get_model("selfassess", "Round"), old.get_model("selfassess", "Trust")
    today = dt.date(2026, 6, 1)
    source = builtin_path().read_text()
    june = rounds.objects.create(name="June", framework_source=source, opens_on=today, closes_on=today)
    october = rounds.objects.create(name="October", framework_source=source, opens_on=today, closes_on=today)
    a_june = trusts.objects.create(round=june, code="TA", name="Trust A (old name)")
    a_october = trusts.objects.create(round=october, code="TA", name="Trust A")
    b_june = trusts.objects.create(round=june, code="TB", name="Trust B")
    old.get_model("selfassess", "Coordinator").objects.create(user=user, trust=a_june)
    respondent = old.get_model("selfassess", "Respondent").objects.create(
        trust=a_october, code="R1", token_hash=Respondent.hash_token("the-link"), sector="health", audience="front_line"
    )
    old.get_model("selfassess", "Answer").objects.create(respondent=respondent, question="Q2", answer="3")
    old.get_model("selfassess", "AuditEvent").objects.create(actor="x", action="made", round=june, trust=b_june)

    MigrationExecutor(connection).migrate(_latest())

    assert (Round.objects.count(), Trust.objects.count(), Respondent.objects.count(), Answer.objects.count()) == (
        2,
        3,
        1,
        1,
    )
    assert Organisation.objects.count() == 2  # TA twice is one organisation
    a = Organisation.objects.get(code="TA")
    assert a.name == "Trust A"  # named as its latest round names it
    assert set(a.participations.values_list("pk", flat=True)) == {a_june.pk, a_october.pk}
    assert Trust.objects.get(pk=b_june.pk).organisation.code == "TB"
    found = respondent_for_token("the-link")
    assert found is not None and found.trust_id == a_october.pk and found.answers.count() == 1
    assert Coordinator.objects.get().trust_id == a_june.pk
    assert AuditEvent.objects.get().trust_id == b_june.pk
    assert Round.objects.get(name="October").previous is None


def _round(name: str, days: int) -> Round:
    today = dt.date.today()
    return create_round(name, today, today + dt.timedelta(days=days), actor=COMMAND_LINE)


@pytest.mark.django_db
def test_an_organisation_joining_a_new_round_brings_its_coordinators(world: World) -> None:
    later = _round("Next year", 30)
    assert later.previous == world.round  # the latest earlier round with questions in common
    added = add_trust(later, world.trust_a.code, "Trust A, renamed", actor=COMMAND_LINE)
    assert added.organisation == world.trust_a.organisation
    assert set(added.coordinators.values_list("user_id", flat=True)) == set(
        world.trust_a.coordinators.values_list("user_id", flat=True)
    )
    made = add_trusts_from_csv(later, f"code,name\n{world.trust_b.code},Trust B\nTNEW,New trust\n", actor=COMMAND_LINE)
    by_code = {t.code: t for t in made}
    assert by_code[world.trust_b.code].coordinators.count() == world.trust_b.coordinators.count() > 0
    assert by_code["TNEW"].coordinators.count() == 0 and by_code["TNEW"].organisation.code == "TNEW"


@pytest.mark.django_db
def test_the_administrator_chooses_the_round_to_compare_with(world: World) -> None:
    later = _round("Next year", 30)
    admin = signed_in(world.admin)
    page = admin.get(reverse("national_previous", kwargs={"round_id": later.pk}))
    assert page.status_code == 200 and world.round.name in page.content.decode()
    done = admin.post(reverse("national_previous", kwargs={"round_id": later.pk}), {"previous": "none"})
    assert done.status_code == 302
    later.refresh_from_db()
    assert later.previous is None
    refused = admin.post(reverse("national_previous", kwargs={"round_id": later.pk}), {"previous": str(later.pk)})
    assert refused.status_code == 400 and "Error:" in refused.content.decode()
    admin.post(reverse("national_previous", kwargs={"round_id": later.pk}), {"previous": str(world.round.pk)})
    later.refresh_from_db()
    assert later.previous == world.round
    assert AuditEvent.objects.filter(action="chose the round to compare with", round=later).count() == 2
    # An earlier round cannot compare with a later one.
    with pytest.raises(organisations.PreviousRoundError):
        organisations.set_previous(world.round, later, actor=COMMAND_LINE)


@pytest.mark.django_db
def test_an_import_brings_each_new_trusts_coordinators_from_its_latest_round(world: World) -> None:
    table = round_table(world.round.framework, trusts=3, seed=5)
    first, second, third = sorted(table.answers["trust"].cast(str).unique())
    june, october = _round("June", 30), _round("October", 30)
    for earlier, coordinator in ((june, world.coordinator_a), (october, world.coordinator_b)):
        Coordinator.objects.create(user=coordinator, trust=make_trust(earlier, first, "First"))
    Coordinator.objects.create(user=world.coordinator_a, trust=make_trust(june, second, "Second"))
    later = _round("Next year", 30)
    import_table(later, table, Respondent.IMPORTED)
    coordinators = {t.code: set(t.coordinators.values_list("user_id", flat=True)) for t in later.trusts.all()}
    # October is the first trust's latest round, June the second's only one; the third is new.
    assert coordinators == {first: {world.coordinator_b.pk}, second: {world.coordinator_a.pk}, third: set()}
