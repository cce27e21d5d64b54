"""Answers load in bulk (PostgreSQL's COPY, SQLite's batched inserts; the PostgreSQL run of the suite covers the
first): every answer of the file arrives exactly, once, with its save time, and a refused file leaves nothing."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from selfassess.framework import load_framework
from selfassess.responses import COLUMNS, InvalidResponses, validate
from selfassess.synth.simple import simple_round
from selfassess.web.models import LINK_ID_ALPHABET, Answer, Respondent, Round
from selfassess.web.services import data
from selfassess.web.services.audit import COMMAND_LINE
from selfassess.web.services.rounds import create_round

pytestmark = pytest.mark.django_db


def _round() -> Round:
    today = dt.date.today()
    return create_round("Bulk", today, today + dt.timedelta(days=30), actor=COMMAND_LINE)


def test_every_answer_arrives_exactly_once(monkeypatch: pytest.MonkeyPatch) -> None:
    framework = load_framework()
    table = validate(simple_round(framework, trusts=4, seed=9), framework, lambda row, column: f"row {row}")
    monkeypatch.setattr(data, "BATCH", 997)  # several batches, the last one short
    round = _round()
    loaded = data.import_table(round, table, Respondent.IMPORTED)
    assert loaded["answers"] == len(table) == Answer.objects.count() > 997 * 3
    stored = data.answer_rows(round).sort(list(COLUMNS))
    given = table.answers.select(pl.col(c).cast(pl.String) for c in COLUMNS).sort(list(COLUMNS))
    assert stored.equals(given)
    # Each respondent as the ORM would have made it: its own link id, every other field its default.
    made = Respondent.objects.filter(trust__round=round)
    assert made.count() == table.respondents.height
    assert len(set(made.values_list("link_id", flat=True))) == made.count()
    one = made.first()
    assert one is not None and len(one.link_id) == 12 and set(one.link_id) <= set(LINK_ID_ALPHABET)
    assert (one.source, one.link_version, one.label, one.email, one.section_reached) == ("imported", 1, "", "", 0)
    assert one.token_hash is None and one.revoked_at is None and one.emailed_at is None
    assert one.started_at == one.submitted_at and one.created_at is not None and one.status == "submitted"
    times = set(Answer.objects.values_list("saved_at", flat=True))
    submitted = Respondent.objects.values_list("submitted_at", flat=True)[0]
    assert len(times) == 1 and abs(times.pop() - submitted) < dt.timedelta(seconds=1)


def test_a_refused_file_leaves_nothing_behind() -> None:
    framework = load_framework()
    table = validate(simple_round(framework, trusts=2, seed=3), framework, lambda row, column: f"row {row}")
    round = _round()
    data.import_table(round, table, Respondent.IMPORTED)
    before = (Respondent.objects.count(), Answer.objects.count())
    with pytest.raises(InvalidResponses):
        data.import_table(round, table, Respondent.IMPORTED)  # every respondent is already in the round
    assert (Respondent.objects.count(), Answer.objects.count()) == before


def test_a_load_failing_half_way_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    framework = load_framework()
    table = validate(simple_round(framework, trusts=2, seed=3), framework, lambda row, column: f"row {row}")
    loads = data.load_answers

    def fails_after_some(rows: pl.DataFrame, saved_at: dt.datetime) -> None:
        loads(rows.head(100), saved_at)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(data, "load_answers", fails_after_some)
    with pytest.raises(RuntimeError):
        data.import_table(_round(), table, Respondent.IMPORTED)
    assert (Respondent.objects.count(), Answer.objects.count()) == (0, 0)
