"""The respondent rules (one sector and audience per respondent, one answer per question) against a naive
reading of them, on small random files in any row order.

Validation numbers and checks respondents per run of neighbouring rows (see table._run_starts); these files
are made to break that if it can be broken: few ids, so ids recur in both trusts; a respondent's rows split
into several runs; spaces around ids, so rows that differ as text are one respondent; and rule-breaking rows
placed beside, or far from, the rows they contradict.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.framework import load_framework
from selfassess.responses import COLUMNS, InvalidResponses, validate

FRAMEWORK = load_framework()
Row = tuple[str, str, str, str, str, str]

ROWS = st.lists(
    st.tuples(
        st.sampled_from(["T1", "T2", " T1"]),
        st.sampled_from(["R1", "R2", " R1 ", "R3"]),
        st.sampled_from(["health", "youth"]),
        st.sampled_from(["front_line", "leader_manager"]),
        st.sampled_from(["Q1", "Q2", "Q3"]),
        st.sampled_from(["3", "4", "NA"]),
    ),
    min_size=1,
    max_size=14,
)


def naive_problems(rows: list[Row]) -> tuple[bool, bool]:
    """(a respondent has two sectors or audiences, a respondent answers a question twice), by counting."""
    groups: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    answers: dict[tuple[str, str, str], int] = defaultdict(int)
    for trust, respondent, sector, audience, question, _ in rows:
        who = (trust.strip(), respondent.strip())
        groups[who].add((sector, audience))
        answers[(*who, question)] += 1
    return any(len(g) > 1 for g in groups.values()), any(n > 1 for n in answers.values())


def outcome(rows: list[Row]) -> tuple[str, Any]:
    frame = pl.DataFrame(rows, schema=list(COLUMNS), orient="row")
    try:
        table = validate(frame, FRAMEWORK, lambda row, column: f"row {row}")
    except InvalidResponses as refused:
        return "refused", refused.lines()
    return "read", table


@settings(max_examples=400, deadline=None)
@given(ROWS, st.randoms(use_true_random=False))
def test_the_rules_agree_with_counting_in_any_order(rows: list[Row], random: Any) -> None:
    mixed, repeated = naive_problems(rows)
    shuffled = list(rows)
    random.shuffle(shuffled)
    for order in (rows, sorted(rows, key=lambda r: (r[0].strip(), r[1].strip())), shuffled):
        kind, found = outcome(order)
        if not (mixed or repeated):
            assert kind == "read", found
            people = {(t.strip(), r.strip()) for t, r, *_ in order}
            assert found.respondents.height == len(people)
            # Every answer is credited to its own respondent's trust, sector and audience.
            named = found.respondent_names.gather(found.respondent_codes).to_list()
            trust = [found.trusts[c] for c in found.column_codes("trust")]
            sector = [FRAMEWORK.sector_ids[c] for c in found.column_codes("sector")]
            assert sorted(zip(trust, named, sector, strict=True)) == sorted(
                (t.strip(), r.strip(), s) for t, r, s, *_ in order
            )
            continue
        assert kind == "refused"
        text = "\n".join(found)
        assert ("need the same sector and audience" in text) == mixed, text
        if not mixed:
            assert "a second time" in text


@pytest.mark.parametrize("far", [False, True])
def test_a_change_of_sector_inside_one_run_is_named(far: bool) -> None:
    """A person's rows together, the sector changing part way: the row where it changes is named."""
    rows: list[Row] = [("T1", "R1", "health", "front_line", q, "3") for q in ("Q1", "Q2", "Q3")]
    rows[2] = ("T1", "R1", "youth", "front_line", "Q3", "3")
    if far:  # someone else's rows between the person's first and the contradicting one
        rows.insert(2, ("T1", "R2", "youth", "front_line", "Q1", "3"))
    kind, found = outcome(rows)
    assert kind == "refused"
    assert found[0].startswith(f"row {3 if far else 2}: respondent 'R1' of trust 'T1' is youth / front_line here")


def test_ids_that_differ_only_by_spaces_are_one_respondent_across_runs() -> None:
    rows: list[Row] = [
        ("T1", "R1", "health", "front_line", "Q1", "3"),
        ("T1", " R1", "health", "front_line", "Q2", "4"),
        ("T2", "R1", "youth", "leader_manager", "Q1", "5"),
        ("T1", "R1 ", "health", "front_line", "Q3", "2"),
    ]
    kind, table = outcome(rows)
    assert kind == "read"
    assert table.respondents.height == 2
    assert np.bincount(table.respondent_codes).tolist() in ([3, 1], [1, 3])
