"""Every answer for download: the CSV streams (its header before the database is read, then a piece at a time)
and is byte for byte the whole-file CSV it replaced, spreadsheet-safe in every piece; the Parquet file holds the
same columns and rows as given."""

from __future__ import annotations

import io

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfassess.framework import load_framework
from selfassess.responses import csv_text, validate
from selfassess.synth.simple import simple_round
from selfassess.web.models import AuditEvent, Respondent
from selfassess.web.services import data
from tests.spreadsheets import assert_csv_safe
from tests.web.conftest import World, signed_in
from tests.web.test_hostile import HOSTILE_IDS, hostile_forms, upload

pytestmark = pytest.mark.django_db


def _round_with_answers(world: World) -> None:
    framework = load_framework()
    table = validate(simple_round(framework, trusts=3, seed=6), framework, lambda row, column: f"row {row}")
    data.import_table(world.round, table, Respondent.IMPORTED)
    assert upload(signed_in(world.coordinator_a), "forms.csv", hostile_forms()).status_code == 200


def test_the_csv_streams_the_same_bytes_as_the_whole_file(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _round_with_answers(world)
    monkeypatch.setattr(data, "CHUNK", 1000)  # many pieces, the hostile ids among them
    address = reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "answers.csv"})
    response = signed_in(world.admin).get(address)
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    pieces = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(pieces)
    assert first == b"trust,respondent,sector,audience,question,answer\n" and len(queries) == 0
    streamed = (first + b"".join(pieces)).decode()
    whole = csv_text(data.answer_rows(world.round))
    assert streamed == whole and streamed.count("\n") > 5 * 1000
    assert_csv_safe(streamed)
    assert AuditEvent.objects.filter(action="downloaded answers.csv").count() == 1


def test_the_parquet_file_holds_the_same_answers(world: World) -> None:
    _round_with_answers(world)
    address = reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "answers.parquet"})
    response = signed_in(world.admin).get(address)
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.apache.parquet"
    assert 'filename="Test round-answers.parquet"' in response["Content-Disposition"]
    read = pl.read_parquet(io.BytesIO(response.content))
    assert read.equals(data.answer_rows(world.round))  # the values as given: a Parquet file is read by code
    assert set(HOSTILE_IDS) <= set(read["respondent"].to_list())
    assert AuditEvent.objects.filter(action="downloaded answers.parquet").count() == 1
    coordinator = signed_in(world.coordinator_a).get(address)
    assert coordinator.status_code in (302, 403)  # every answer is for the national administrator alone
