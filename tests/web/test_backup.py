"""A round exported and imported keeps everything: trusts' names, statuses, links and every answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from selfassess.analysis import analyse
from selfassess.responses import InvalidResponses
from selfassess.web.models import Organisation, Respondent, Round
from selfassess.web.services import questionnaire as q
from selfassess.web.services.backup import export_round, import_round
from selfassess.web.services.data import table_for
from selfassess.web.services.invitations import respondent_for_token
from tests.web.conftest import World


def test_round_trip_keeps_links_statuses_and_answers(world: World, tmp_path: Path) -> None:
    framework = world.round.framework
    pages_a = q.pages(framework, "front_line")
    q.save_page(world.respondent_a, pages_a[0], {question.id: "2" for question in pages_a[0].questions})  # in progress
    q.set_about_you(world.respondent_b, "youth", "leader_manager")
    for page in q.pages(framework, "leader_manager"):
        q.save_page(world.respondent_b, page, {question.id: "4" for question in page.questions})
    q.submit(world.respondent_b)
    before = analyse(table_for(world.round))  # type: ignore[arg-type]
    Round.objects.filter(pk=world.round.pk).update(group_attribute="region")
    world.round.refresh_from_db()

    export_round(world.round, tmp_path / "backup")
    world.round.delete()
    Organisation.objects.all().delete()  # restored into a database without them
    round, loaded = import_round(tmp_path / "backup")
    assert round.group_attribute == "region"  # the benchmark groups, and the attribute that makes them, come back
    assert dict(Organisation.objects.values_list("code", "attributes")) == {"TA": {"region": "North"}, "TB": {}}
    assert loaded["respondents"] == 2 and loaded["answers"] == len(pages_a[0].questions) + 59
    assert Round.objects.count() == 1 and sorted(round.trusts.values_list("name", flat=True)) == ["Trust A", "Trust B"]
    restored_a = respondent_for_token(world.token_a)
    assert restored_a is not None and restored_a.status == "in progress" and restored_a.trust.round == round
    assert q.answers_of(restored_a) == {question.id: "2" for question in pages_a[0].questions}
    restored_b = respondent_for_token(world.token_b)
    assert restored_b is not None and restored_b.status == "submitted"
    assert analyse(table_for(round)) == before  # type: ignore[arg-type]


def tamper(folder: Path, change: Any) -> None:
    data = json.loads((folder / "round.json").read_text())
    change(data)
    (folder / "round.json").write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["trusts"][0].update(name="Trust\x00A"),
            "trusts[0]: the trust's name contains a control character",
        ),
        (lambda d: d["respondents"][0].update(respondent="R" * 81), "respondents[0]: the respondent id is 81"),
        (lambda d: d["respondents"][1].update(email="not-an-address"), "respondents[1]: 'not-an-address' is not an"),
        (lambda d: d["respondents"][0].update(sector="plumbing"), "respondents[0]: sector 'plumbing' is not one"),
        (lambda d: d["respondents"][0].update(trust="NOPE"), "respondents[0]: trust 'NOPE' is not one of the round's"),
        (lambda d: d["respondents"][0].update(submitted_at="yesterday"), "submitted_at is not a date and time"),
        (lambda d: d["respondents"][0].update(section_reached=10**9), "section_reached should be a whole number"),
        (lambda d: d.update(opens_on="2027-02-30"), "opens_on is not a date"),
        (lambda d: d.update(name="x" * 81), "round's name is 81 characters long"),
        (lambda d: d["respondents"].append(dict(d["respondents"][0])), "is listed twice"),
        (lambda d: d.update(reminder_days=[1, -3]), "reminder_days"),
        (
            lambda d: d["trusts"][0].update(attributes={"region": "N\x07"}),
            "trusts[0]: attributes: the attribute's value contains a control character",
        ),
        (lambda d: d["trusts"][1].update(attributes=["region"]), "trusts[1]: attributes should be at most 20"),
        (lambda d: d.update(group_attribute="r" * 41), "group_attribute should be an attribute's name, or empty"),
    ],
)
def test_an_export_is_checked_as_the_web_checks_the_same_values(
    world: World, tmp_path: Path, change: Any, expected: str
) -> None:
    """`import DIR`: every value the web would refuse is refused, named by its place, and nothing is made."""
    Respondent.objects.filter(pk=world.respondent_b.pk).update(email="b@example.org")
    export_round(world.round, tmp_path / "backup")
    world.round.delete()
    tamper(tmp_path / "backup", change)
    with pytest.raises(InvalidResponses) as refused:
        import_round(tmp_path / "backup")
    assert any(expected in str(p) for p in refused.value.problems), refused.value.problems
    assert not Round.objects.exists()


def test_an_export_s_framework_is_checked_as_an_upload_is(world: World, tmp_path: Path) -> None:
    export_round(world.round, tmp_path / "backup")
    world.round.delete()
    path = tmp_path / "backup" / "framework.yaml"
    path.write_text(path.read_text().replace("midpoint: 3", "midpoint: &m 3").replace("notable: 0.2", "notable: *m"))
    with pytest.raises(InvalidResponses) as refused:
        import_round(tmp_path / "backup", "Restored")
    assert "an alias (*m)" in str(refused.value.problems[0]) and not Round.objects.exists()
