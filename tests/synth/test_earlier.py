"""The invented earlier round: the same trusts and people, lower on average, trusts moving by different amounts."""

from __future__ import annotations

import polars as pl

from selfassess.analysis import build_cube
from selfassess.analysis.comparison import compare
from selfassess.framework import Framework
from selfassess.responses import validate
from selfassess.synth import earlier_round, simple_round


def test_june_is_the_same_people_somewhat_lower_with_some_trusts_higher(framework: Framework) -> None:
    october = simple_round(framework, trusts=60, seed=4)
    june = earlier_round(october, framework, seed=4)
    assert june.drop("answer").equals(october.drop("answer"))
    scored = {a.code for a in framework.scale if a.score is not None}
    unscored = ~pl.col("answer").is_in(list(scored))
    # Unscored answers stay where they were.
    assert june.with_row_index().filter(unscored)["index"].equals(october.with_row_index().filter(unscored)["index"])
    tables = [validate(frame, framework, lambda row, column: f"row {row}") for frame in (june, october)]
    change = compare(build_cube(tables[0]), build_cube(tables[1]), "June")["scopes"]["overall"]
    assert 0.03 < change["responses"]["all"]["change"] < 0.2  # lower in June on average
    matched = change["matched"]
    assert matched["trusts"] == 60
    assert matched["declined_notably"] + matched["declined_clearly"] > 0  # some trusts went down
    assert matched["improved_notably"] > matched["declined_notably"]
    # The same seed gives the same round.
    assert earlier_round(october, framework, seed=4).equals(june)
