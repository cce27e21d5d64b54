"""Property tests: on random data the cube-derived results equal a naive row-by-row implementation."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.analysis import analyse, build_cube, cube_from_counts, results
from selfassess.framework import Framework, builtin_path, load_framework
from selfassess.responses import COLUMNS, ResponseTable, validate
from tests.analysis.naive import Row, naive_results

FRAMEWORK = load_framework()
# A spread of questions: every practice, both leader-only stages, so scopes and stages all get data.
QUESTIONS = ["Q1", "Q2", "Q5", "Q13", "Q14", "Q20", "Q24", "Q25", "Q26", "Q38", "Q39", "Q44", "Q48", "Q49", "Q59"]


def table_of(rows: list[Row], framework: Framework = FRAMEWORK) -> ResponseTable:
    frame = pl.DataFrame([tuple(r) for r in rows], schema=list(COLUMNS), orient="row")
    return validate(frame, framework, lambda row, column: f"row {row}")


def assert_same(engine: Any, naive: Any, path: str = "") -> None:
    if isinstance(naive, dict):
        assert isinstance(engine, dict), path
        assert list(engine) == list(naive), path
        for key in naive:
            assert_same(engine[key], naive[key], f"{path}.{key}")
    elif isinstance(naive, Fraction):
        assert engine is not None and math.isclose(engine, float(naive), rel_tol=1e-12), (path, engine, naive)
    elif isinstance(naive, float):  # worked out in another order (the intervals): equal to rounding
        assert engine is not None and math.isclose(engine, naive, rel_tol=1e-9, abs_tol=1e-12), (path, engine, naive)
    elif isinstance(naive, list) and naive and isinstance(naive[0], float):
        assert isinstance(engine, list) and len(engine) == len(naive), path
        for i, value in enumerate(naive):
            assert_same(engine[i], value, f"{path}[{i}]")
    else:
        assert engine == naive, (path, engine, naive)


EARLY_HELP = load_framework(builtin_path().with_name("early-help.yaml"))
FRAMEWORKS = {"drilldown-2009": FRAMEWORK, "early-help": EARLY_HELP}  # every built-in framework


def _answers(framework: Framework) -> list[str]:
    """Every answer code, scored ones twice over so that most groups have scores, unscored ones often enough
    to leave some groups without."""
    scored = [a.code for a in framework.scale if a.score is not None]
    return [*scored, *scored, *(a.code for a in framework.scale if a.score is None)]


@st.composite
def rounds(draw: st.DrawFn, framework: Framework = FRAMEWORK) -> list[Row]:
    trusts = draw(st.lists(st.sampled_from([f"T{i}" for i in range(1, 7)]), min_size=1, max_size=4, unique=True))
    questions = QUESTIONS if framework is FRAMEWORK else list(framework.question_ids)
    answers = _answers(framework)
    rows: list[Row] = []
    for trust in trusts:
        for n in range(draw(st.integers(1, 5))):
            sector = draw(st.sampled_from(framework.sector_ids[:4]))
            audience = draw(st.sampled_from(framework.audience_ids))
            asked = draw(st.lists(st.sampled_from(questions), min_size=1, max_size=8, unique=True))
            for question in asked:
                rows.append(Row(trust, f"R{n}", sector, audience, question, draw(st.sampled_from(answers))))
    return rows


@pytest.mark.parametrize("name", FRAMEWORKS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_agrees_with_naive_implementation(name: str, data: st.DataObject) -> None:
    framework = FRAMEWORKS[name]
    rows = data.draw(rounds(framework))
    table = table_of(rows, framework)
    engine = analyse(table)
    naive = naive_results(rows, framework, table.trusts)
    assert_same(engine["counts"], naive["counts"], "counts")
    assert_same(engine["scopes"], naive["scopes"], "scopes")
    assert_same(engine["questions"], naive["questions"], "questions")


@settings(max_examples=30, deadline=None)
@given(rounds())
def test_a_cube_from_database_counts_equals_the_cube_from_rows(rows: list[Row]) -> None:
    """The SQL route (counts made by a GROUP BY elsewhere) gives exactly the same results."""
    table = table_of(rows)
    answers = table.answers
    grouped = answers.group_by("trust", "audience", "sector", "question", "answer").len("n")
    respondents = table.respondents.group_by("trust", "audience", "sector").len("n")
    built = build_cube(table)
    # What counts cannot hold (each respondent's scores, for a trust's own intervals and alpha) comes along.
    cube = replace(
        cube_from_counts(FRAMEWORK, grouped, respondents),
        answers_by_respondent=built.answers_by_respondent,
        trust_of_respondent=built.trust_of_respondent,
    )
    assert results(cube) == results(built)


@settings(max_examples=30, deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows: list[Row], random: Any) -> None:
    shuffled = list(rows)
    random.shuffle(shuffled)
    # The same figures; the intervals' sums may be added in another order, so equal to rounding.
    assert_same(analyse(table_of(shuffled)), analyse(table_of(rows)))
