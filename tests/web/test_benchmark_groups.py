"""Benchmark groups on the web: organisations' attributes set one at a time and as a trusts CSV's extra columns
(hostile values refused with their place named, all or nothing), the round's grouping attribute chosen, and the
reports a worker makes carrying the groups (contract 3d) into each trust's report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.urls import reverse

from selfassess.framework import load_framework
from selfassess.responses import write_long_csv
from selfassess.synth.simple import simple_round
from selfassess.web.models import AuditEvent, Organisation, Round
from selfassess.web.services import builds, files, organisations, reporting
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.imports import import_file
from selfassess.web.services.rounds import SetupError, add_trusts_from_csv, create_round
from tests.web.conftest import World, run_worker, signed_in

pytestmark = pytest.mark.django_db


def _round(name: str = "Spring") -> Round:
    today = dt.date.today()
    return create_round(name, today, today + dt.timedelta(days=30), actor=COMMAND_LINE)


def test_a_trusts_csv_carries_attributes_as_extra_columns() -> None:
    round = _round()
    text = "code,name,region,type\r\nT1,One,North,city\r\nT2,Two,,county\r\nT3,Three,South,\r\n"
    add_trusts_from_csv(round, text, actor=COMMAND_LINE)
    found = dict(Organisation.objects.values_list("code", "attributes"))
    assert found == {
        "T1": {"region": "North", "type": "city"},
        "T2": {"type": "county"},  # a blank cell sets nothing
        "T3": {"region": "South"},
    }
    assert organisations.round_attributes(round) == {
        "region": {"North": 1, "South": 1},
        "type": {"city": 1, "county": 1},
    }
    # Joining a later round, an organisation keeps its attributes, and the CSV's columns change those given.
    later = _round("Autumn")
    add_trusts_from_csv(later, "code,name,region\nT1,One,East\nT2,Two,\n", actor=COMMAND_LINE)
    found = dict(Organisation.objects.values_list("code", "attributes"))
    assert found["T1"] == {"region": "East", "type": "city"} and found["T2"] == {"type": "county"}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("code,name,code\nT1,One,x\n", "line 1, column 3: 'code' is the trust's own id or name, not an attribute"),
        ("code,name,region,region\nT1,One,a,b\n", "line 1: the attribute region is named twice"),
        ("code,name,\nT1,One,a\n", "line 1, column 3: give the attribute a name, such as region"),
        ("code,name,region\nT1,One,North\nT2,Two\n", "line 3: there should be 3 values, as in the header; there are 2"),
        ("code,name,region\nT1,One,No\x07rth\n", "line 2: the attribute's value contains a control character"),
        ("code,name,region\nT1,One," + "x" * 81 + "\n", "line 2: the attribute's value is 81 characters long"),
        ("code,name,r\x00\nT1,One,a\n", "line 1, column 3: the attribute's name contains a control character"),
    ],
)
def test_a_bad_attribute_refuses_the_whole_file_naming_its_place(text: str, said: str) -> None:
    round = _round()
    with pytest.raises(SetupError) as refused:
        add_trusts_from_csv(round, text, actor=COMMAND_LINE)
    assert any(p.startswith(said) for p in refused.value.problems), refused.value.problems
    assert not round.trusts.exists() and not Organisation.objects.exists()


def test_an_attribute_is_set_and_removed_one_at_a_time(world: World) -> None:
    admin = signed_in(world.admin)
    where = reverse("national_trust_attribute", kwargs={"round_id": world.round.pk, "trust_id": world.trust_a.pk})
    page = reverse("national_trust", kwargs={"round_id": world.round.pk, "trust_id": world.trust_a.pk})
    done = admin.post(where, {"attribute": " region ", "value": " North East "})
    assert done.status_code == 302 and done["Location"].endswith("?done=attribute")
    world.trust_a.organisation.refresh_from_db()
    assert world.trust_a.organisation.attributes == {"region": "North East"}  # it was North
    shown = admin.get(page).content.decode()
    assert "The attribute is saved." not in shown and "North East" in shown
    too_long = admin.post(where, {"attribute": "region", "value": "x" * 81})
    body = too_long.content.decode()
    assert too_long.status_code == 400 and '<a href="#value">The attribute&#39;s value is 81 characters long' in body
    nameless = admin.post(where, {"attribute": " ", "value": "x"})
    assert nameless.status_code == 400 and 'href="#attribute">Give the attribute a name' in nameless.content.decode()
    admin.post(where, {"attribute": "region", "value": ""})
    world.trust_a.organisation.refresh_from_db()
    assert world.trust_a.organisation.attributes == {}
    details = list(
        AuditEvent.objects.filter(action="set an organisation's attribute")
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == ["TA: region = North East", "TA: region removed"]
    assert signed_in(world.coordinator_a).post(where, {"attribute": "region", "value": "x"}).status_code in (302, 403)
    world.trust_a.organisation.refresh_from_db()
    assert world.trust_a.organisation.attributes == {}  # a coordinator cannot set it


def test_the_administrator_chooses_the_grouping_attribute(world: World) -> None:
    admin = signed_in(world.admin)
    bare = _round("Bare")
    add_trusts_from_csv(bare, "code,name\nT9,Nine\n", actor=COMMAND_LINE)
    page = admin.get(reverse("national_groups", kwargs={"round_id": bare.pk})).content.decode()
    assert "None of the round's trusts has an attribute yet" in page
    where = reverse("national_groups", kwargs={"round_id": world.round.pk})
    page = admin.get(where).content.decode()
    assert "1 group: North (1). 1 of the round's 2 trusts have no region." in page
    refused = admin.post(where, {"attribute": "size"})
    assert refused.status_code == 400 and "Choose an attribute, or no benchmark groups" in refused.content.decode()
    assert admin.post(where, {"attribute": "region"}).status_code == 302
    world.round.refresh_from_db()
    assert world.round.group_attribute == "region"
    groups = organisations.round_groups(world.round)
    assert groups is not None and groups.attribute == "region" and groups.of == {"TA": "North"}
    admin.post(where, {"attribute": "none"})
    world.round.refresh_from_db()
    assert world.round.group_attribute == "" and organisations.round_groups(world.round) is None
    assert AuditEvent.objects.filter(action="chose the benchmark groups").count() == 2


def test_a_worker_builds_the_reports_with_the_rounds_groups(tmp_path: Path, world: World) -> None:
    answers = tmp_path / "answers.csv"
    write_long_csv(simple_round(load_framework(), trusts=8, seed=4), answers)
    round, _ = import_file(answers, "Grouped")
    regions = {t.code: ("North" if i < 4 else "South") for i, t in enumerate(round.trusts.order_by("code"))}
    for trust in round.trusts.all():
        organisations.set_attribute(trust, "region", regions[trust.code], actor=COMMAND_LINE)
    before = builds.data_version(round)
    organisations.set_group_attribute(round, "region", actor=COMMAND_LINE)
    assert builds.data_version(round) != before  # choosing groups makes a new version of the reports
    ready = reporting.national_reports(round)
    run_worker()
    ready = reporting.national_reports(round)
    assert ready is not None and ready.build is not None and not ready.outdated
    found = json.loads(files.read_text(builds.file_name(ready.build, builds.NATIONAL_FILES["results"])))
    assert found["groups"]["attribute"] == "region"
    assert {g: v["trusts"] for g, v in found["groups"]["of"].items()} == {
        "North": sorted(c for c, r in regions.items() if r == "North"),
        "South": sorted(c for c, r in regions.items() if r == "South"),
    }
    trust = round.trusts.order_by("code").first()
    assert trust is not None
    page = reporting.trust_report_page(ready.build, trust, world.admin)
    assert page is not None and "in its benchmark group" in page and 'id="trust-group"' in page
