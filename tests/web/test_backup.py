"""A round exported and imported keeps everything: trusts' names, statuses, links and every answer."""

from __future__ import annotations

from pathlib import Path

from selfassess.analysis import analyse
from selfassess.web.models import Round
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

    export_round(world.round, tmp_path / "backup")
    world.round.delete()
    round, loaded = import_round(tmp_path / "backup")
    assert loaded["respondents"] == 2 and loaded["answers"] == len(pages_a[0].questions) + 59
    assert Round.objects.count() == 1 and sorted(round.trusts.values_list("name", flat=True)) == ["Trust A", "Trust B"]
    restored_a = respondent_for_token(world.token_a)
    assert restored_a is not None and restored_a.status == "in progress" and restored_a.trust.round == round
    assert q.answers_of(restored_a) == {question.id: "2" for question in pages_a[0].questions}
    restored_b = respondent_for_token(world.token_b)
    assert restored_b is not None and restored_b.status == "submitted"
    assert analyse(table_for(round)) == before  # type: ignore[arg-type]
