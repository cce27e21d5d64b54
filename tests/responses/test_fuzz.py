"""Arbitrary input to the readers: always a clean table or a clear refusal, never anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from selfassess.framework import load_framework
from selfassess.responses import InvalidResponses, ResponseTable, read_responses

FRAMEWORK = load_framework()
FIELD = st.one_of(
    st.sampled_from(
        ["T1", "T2", "R1", " R2 ", "health", "youth", "front_line", "leader_manager", "Q1", "Q59", "3", "na", "DK"]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
    st.sampled_from(['"', '""', ",", "\r", "\n", "\ufeff", " ", ""]),
)
HEADERS = st.sampled_from(
    [
        "trust,respondent,sector,audience,question,answer",
        "answer,question,audience,sector,respondent,trust",
        "trust,respondent,sector,audience," + ",".join(FRAMEWORK.question_ids),
        "trust,respondent,sector",
        "",
    ]
)


def outcome(path: Path) -> None:
    try:
        table = read_responses(path, FRAMEWORK)
    except InvalidResponses as refused:
        assert refused.problems and all(str(p) for p in refused.problems)
        return
    assert isinstance(table, ResponseTable) and len(table) > 0
    assert set(table.answers["answer"].cast(str).to_list()) <= set(FRAMEWORK.answer_codes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HEADERS, st.lists(st.lists(FIELD, min_size=0, max_size=8), max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_any_csv_text_is_read_or_refused(header: str, rows: list[list[str]], newline: str) -> None:
    text = newline.join([header, *(",".join(row) for row in rows)])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        path.write_text(text, encoding="utf-8", newline="")
        outcome(path)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in ("answers.csv", "forms.xlsx"):
            path = Path(folder) / name
            path.write_bytes(
                b"trust,respondent,sector,audience,question,answer\n" + data if name.endswith(".csv") else data
            )
            outcome(path)


CELL = st.one_of(st.none(), st.integers(-3, 9), st.floats(allow_nan=False, allow_infinity=False, width=32), FIELD)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=5))
def test_any_workbook_cells_are_read_or_refused(rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["trust", "respondent", "sector", "audience", *FRAMEWORK.question_ids])
    try:
        for row in rows:
            sheet.append(row)
    except IllegalCharacterError:  # a spreadsheet cannot hold some control characters: no file to read
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "forms.xlsx"
        book.save(path)
        outcome(path)
