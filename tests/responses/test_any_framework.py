"""Reading and checking response files on every built-in framework: long and wide forms read back the same
answers, and a value the framework does not have is refused with its place named, in the framework's words."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from selfassess.framework import Framework, builtin_frameworks
from selfassess.responses import InvalidResponses, read_responses, write_long_csv
from selfassess.synth import simple_round

BUILT_IN = {framework.id: framework for framework in builtin_frameworks().values()}


@pytest.mark.parametrize("name", BUILT_IN)
def test_long_and_wide_files_read_back_the_same_answers(name: str, tmp_path: Path) -> None:
    framework = BUILT_IN[name]
    answers = simple_round(framework, trusts=3, seed=5, scale=0.2)
    long = tmp_path / "long.csv"
    write_long_csv(answers, long)
    wide = tmp_path / "wide.csv"
    answers.pivot(on="question", index=["trust", "respondent", "sector", "audience"], values="answer").write_csv(wide)
    read_long, read_wide = read_responses(long, framework), read_responses(wide, framework)

    def rows(table: object) -> list[tuple[str, ...]]:
        frame = table.answers.with_columns(pl.all().cast(pl.String))  # type: ignore[attr-defined]
        return sorted(frame.iter_rows())

    assert rows(read_long) == rows(read_wide) == sorted(answers.with_columns(pl.all().cast(pl.String)).iter_rows())


@pytest.mark.parametrize("name", BUILT_IN)
def test_a_value_the_framework_does_not_have_is_refused_by_place(name: str, tmp_path: Path) -> None:
    framework: Framework = BUILT_IN[name]
    other = next(f for f in BUILT_IN.values() if f is not framework)
    first = framework.question_ids[0]
    rows = [
        ("T1", "R1", framework.sector_ids[0], framework.audience_ids[0], first, framework.scale[0].code),
        ("T1", "R2", other.sector_ids[0], framework.audience_ids[0], first, framework.scale[0].code),
        ("T1", "R3", framework.sector_ids[0], other.audience_ids[0], first, framework.scale[0].code),
        (
            "T1",
            "R4",
            framework.sector_ids[0],
            framework.audience_ids[0],
            other.question_ids[0],
            framework.scale[0].code,
        ),
    ]
    path = tmp_path / "bad.csv"
    pl.DataFrame(
        rows, schema=["trust", "respondent", "sector", "audience", "question", "answer"], orient="row"
    ).write_csv(path)
    with pytest.raises(InvalidResponses) as refused:
        read_responses(path, framework)
    said = " ".join(str(p) for p in refused.value.problems)
    # Lines of the file (the header is line 1), each naming the value and what the framework allows instead.
    assert f"line 3: sector '{other.sector_ids[0]}' is not recognised; use one of {framework.sector_ids[0]}" in said
    assert f"line 4: audience '{other.audience_ids[0]}' is not recognised" in said
    assert framework.audience_ids[-1] in said.split("line 4:")[1]
    assert f"line 5: question '{other.question_ids[0]}' is not in this questionnaire ({first}," in said
