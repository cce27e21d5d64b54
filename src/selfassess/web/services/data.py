"""Answers in and out of the database: the tidy table for the statistics, imports, and the long-form export."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from selfassess.responses import COLUMNS, InvalidResponses, Problem, ResponseTable, validate
from selfassess.web.models import Answer, Respondent, Round, Trust
from selfassess.web.services import organisations


def _answers(round: Round, trust: Trust | None, submitted_only: bool) -> Any:
    """The answers' rows as (the contract's six columns), in the order every export gives them."""
    answers = Answer.objects.filter(respondent__trust__round=round)
    if submitted_only:
        answers = answers.filter(respondent__in=Respondent.objects.counted())
    if trust is not None:
        answers = answers.filter(respondent__trust=trust)
    return answers.values_list(
        "respondent__trust__code",
        "respondent__code",
        "respondent__sector",
        "respondent__audience",
        "question",
        "answer",
    ).order_by("respondent__trust__code", "respondent__code", "question")


SCHEMA = {c: pl.String for c in COLUMNS}


def answer_rows(round: Round, trust: Trust | None = None, submitted_only: bool = True) -> pl.DataFrame:
    """Every answer that counts (submitted, not revoked) of the round or one trust, or every saved one, one row
    per answer, as text ids."""
    return pl.DataFrame(list(_answers(round, trust, submitted_only)), schema=SCHEMA, orient="row")


CHUNK = 20_000  # answers a piece of a streamed export holds: the memory it needs, whatever the round's size


def answer_chunks(round: Round) -> Iterator[pl.DataFrame]:
    """Every answer that counts, as answer_rows gives them, a piece at a time (a server-side cursor on
    PostgreSQL): for exports that start at once and stay the same size in memory as the round grows."""
    batch: list[tuple[str, ...]] = []
    for row in _answers(round, None, True).iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield pl.DataFrame(batch, schema=SCHEMA, orient="row")
            batch = []
    if batch:
        yield pl.DataFrame(batch, schema=SCHEMA, orient="row")


def table_for(round: Round, trust: Trust | None = None) -> ResponseTable | None:
    """The validated table the statistics take: database rows go through the same rules as a file."""
    rows = answer_rows(round, trust)
    if rows.height == 0:
        return None
    return validate(rows, round.framework, lambda row, column: f"stored answer {row + 1}")


def import_table(round: Round, table: ResponseTable, source: str, only_trust: Trust | None = None) -> dict[str, int]:
    """Load validated answers into a round, all or nothing. Trusts are created as needed (not for a coordinator's
    upload, which must be for their own trust); a respondent already in the round is refused, not overwritten."""
    respondents = table.respondents.with_columns(pl.all().cast(pl.String))
    problems = []
    if only_trust is not None:
        others = sorted(set(respondents["trust"].to_list()) - {only_trust.code})
        if others:
            problems.append(
                Problem(
                    "file",
                    f"has answers for other trusts ({', '.join(others[:5])}); upload only {only_trust.code}'s forms",
                )
            )
    existing = set(Respondent.objects.filter(trust__round=round).values_list("trust__code", "code"))
    clashes = [(t, r) for t, r in respondents.select("trust", "respondent").iter_rows() if (t, r) in existing]
    for trust, respondent in clashes[:20]:
        problems.append(Problem("file", f"respondent {respondent} of trust {trust} is already in the round"))
    if problems:
        raise InvalidResponses(problems, max(len(clashes) - 20, 0))
    now = timezone.now()
    with transaction.atomic():
        trusts = {t.code: t for t in Trust.objects.filter(round=round)}
        added = [
            organisations.new_trust(round, code, code)
            for code in sorted(set(respondents["trust"].to_list()) - set(trusts))
        ]
        trusts.update((trust.code, trust) for trust in Trust.objects.bulk_create(added))
        organisations.carry_over_coordinators(added)
        insert_rows(
            Respondent,
            ["trust_id", "code", "sector", "audience"],
            [
                (trusts[t].pk, r, s, a)
                for t, r, s, a in respondents.select("trust", "respondent", "sector", "audience").iter_rows()
            ],
            {"source": source, "started_at": now, "submitted_at": now},
        )
        ids = {
            (t, r): pk
            for t, r, pk in Respondent.objects.filter(trust__round=round).values_list("trust__code", "code", "pk")
        }
        keys = pl.DataFrame(
            [(t, r, pk) for (t, r), pk in ids.items()],
            schema={"trust": pl.String, "respondent": pl.String, "respondent_id": pl.Int64},
            orient="row",
        )
        rows = (
            table.answers.select(pl.col("trust", "respondent", "question", "answer").cast(pl.String))
            .join(keys, on=["trust", "respondent"], how="left")
            .select("respondent_id", "question", "answer")
        )
        load_answers(rows, now)
    return {
        "trusts": len(set(respondents["trust"].to_list())),
        "respondents": respondents.height,
        "answers": len(table),
    }


ANSWER_COLUMNS = ("respondent_id", "question", "answer", "saved_at")
BATCH = 50_000  # rows a time into SQLite: large enough to cost little per row, small enough to bound memory


def load_answers(rows: pl.DataFrame, saved_at: datetime) -> None:
    """Insert answers (respondent_id, question, answer) in bulk, inside the caller's transaction: PostgreSQL's
    COPY, or SQLite's executemany in large batches. Django's bulk_create builds a model object per answer, which
    was most of an import's time. The values are the validated file's (framework ids and answer codes)."""
    table = Answer._meta.db_table
    when = connection.ops.adapt_datetimefield_value(saved_at)
    rows = rows.with_columns(pl.lit(str(when)).alias("saved_at"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY in CSV: Polars writes the text, PostgreSQL parses it (quoting done right on both sides).
            statement = f"COPY {table} ({', '.join(ANSWER_COLUMNS)}) FROM STDIN (FORMAT csv)"
            with cursor.cursor.copy(statement) as copy:  # the psycopg cursor beneath Django's
                for start in range(0, rows.height, BATCH):
                    copy.write(rows.slice(start, BATCH).write_csv(include_header=False))
            return
        marks = ", ".join(["%s"] * len(ANSWER_COLUMNS))
        statement = f"INSERT INTO {table} ({', '.join(ANSWER_COLUMNS)}) VALUES ({marks})"
        # In the unique index's order, each insert lands at the end of the index rather than anywhere in it.
        rows = rows.sort("respondent_id", "question")
        for start in range(0, rows.height, BATCH):
            cursor.executemany(statement, rows.slice(start, BATCH).rows())


def insert_rows(
    model: type[Model], given: list[str], rows: list[tuple[Any, ...]], same: dict[str, Any], *, batch: int = 5_000
) -> None:
    """Rows of a model in bulk, inside the caller's transaction: `given` names (attnames) the fields each row
    holds, already valid plain values (text, whole numbers); `same` gives fields the same value in every row;
    every other field takes its default as Django would give it (a callable default called for each row; an
    auto_now field now). COPY into PostgreSQL, batched inserts into SQLite: bulk_create prepared every field of
    every row in Python, most of an import's time after the answers'."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in given]
    fixed: list[Any] = []
    per_row: list[Callable[[], Any]] = []
    fixed_columns, per_row_columns = [], []
    for field in fields:
        if field.attname in same:
            value = same[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default() and callable(field.default):
            per_row.append(field.default)
            per_row_columns.append(field.column)
            continue
        else:
            value = field.get_default()
        fixed.append(field.get_db_prep_save(value, connection))
        fixed_columns.append(field.column)
    columns = [model._meta.get_field(name).column for name in given] + fixed_columns + per_row_columns
    statement_columns = ", ".join(columns)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({statement_columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *fixed, *(make() for make in per_row)))
            return
        marks = ", ".join(["%s"] * len(columns))
        statement = f"INSERT INTO {table} ({statement_columns}) VALUES ({marks})"
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            cursor.executemany(statement, [(*row, *fixed, *(make() for make in per_row)) for row in part])
