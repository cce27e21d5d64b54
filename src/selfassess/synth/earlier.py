"""An invented earlier round for the same trusts, so that the comparison of rounds can be shown and tried.

Nothing here is calibrated to anything published: the 2009 report gives one round only. The earlier round is
made from the later one: every trust moved by its own amount between the rounds, most of them up a little and
some down, and the earlier round's answers are the later ones moved back by that much.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from selfassess.framework import Framework

RISE = 0.12  # the invented mean rise of a trust between the rounds, in points
SPREAD = 0.15  # how differently trusts moved (a standard deviation, in points): some fell
LARGEST = 0.6  # no trust moved by more than this


def earlier_round(later: pl.DataFrame, framework: Framework, seed: int) -> pl.DataFrame:
    """The earlier round's answers, from the later round's: trust t moved by Δ_t ~ N(RISE, SPREAD) (at most
    LARGEST either way), so each of its scored answers is moved back one point, towards where it came from,
    with probability |Δ_t|, within the scale. Unscored answers stay as they are."""
    rng = np.random.default_rng([seed, 2])
    trusts = later["trust"].unique(maintain_order=True)
    moved = np.clip(rng.normal(RISE, SPREAD, len(trusts)), -LARGEST, LARGEST)
    scored = [a.code for a in framework.scale if a.score is not None]  # in increasing order: the loader checks
    place = {code: i for i, code in enumerate(scored)}
    trust = later["trust"].replace_strict(trusts, np.arange(len(trusts)), return_dtype=pl.Int64).to_numpy()
    step = moved[trust]
    index = later["answer"].replace_strict(place, default=-1, return_dtype=pl.Int64).to_numpy()
    back = np.where(rng.random(len(index)) < np.abs(step), -np.sign(step), 0).astype(np.int64)
    earlier_index = np.where(index >= 0, np.clip(index + back, 0, len(scored) - 1), -1)
    codes = np.array(scored, dtype=object)[np.maximum(earlier_index, 0)]
    answers = np.where(earlier_index >= 0, codes, later["answer"].to_numpy().astype(object))
    return later.with_columns(answer=pl.Series(answers.tolist(), dtype=pl.String))
