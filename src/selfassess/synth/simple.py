"""A quick synthetic round with the 2009 design: every trust asks its quota in every sector.

Answers are drawn from one plausible distribution, shifted a little per trust so that trusts differ. This is
not calibrated to the published figures; it exists to make data of any size fast (benchmarks, smoke tests).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from selfassess.framework import Framework
from selfassess.responses.table import enum_series

# Share of each answer code in framework order (1..5, NA, DK), roughly the 2009 national mix.
ANSWER_MIX = np.array([0.09, 0.17, 0.29, 0.15, 0.11, 0.05, 0.14])
FRONT_LINE_ANSWERS_LEADER_STAGES = 0.3  # share of front line staff who answer a leaders-only question anyway


def simple_round(framework: Framework, trusts: int = 150, scale: float = 1.0, seed: int = 0) -> pl.DataFrame:
    """Answers in long form (the six contract columns) for `trusts` trusts at `scale` times the quota."""
    rng = np.random.default_rng(seed)
    # A framework may ask for nobody in particular (no quota, or all nought): one person per audience then.
    quota = framework.quota if any(framework.quota.values()) else {a.id: 1 for a in framework.audiences}
    # One respondent per quota place, for each trust, sector and audience.
    per_group = [(a, max(round(quota.get(aud.id, 0) * scale), 0)) for a, aud in enumerate(framework.audiences)]
    audience_of_place = np.concatenate([np.full(n, a, dtype=np.int64) for a, n in per_group])
    places = len(audience_of_place)
    n_sectors = len(framework.sectors)
    n_respondents = trusts * n_sectors * places
    trust = np.repeat(np.arange(trusts), n_sectors * places)
    sector = np.tile(np.repeat(np.arange(n_sectors), places), trusts)
    audience = np.tile(audience_of_place, trusts * n_sectors)

    n_questions = len(framework.questions)
    respondent = np.repeat(np.arange(n_respondents), n_questions)
    question = np.tile(np.arange(n_questions), n_respondents)
    mix = ANSWER_MIX[: len(framework.scale)] / ANSWER_MIX[: len(framework.scale)].sum()
    # A trust's shift moves weight between the lowest and highest scores.
    shift = rng.normal(0, 0.04, trusts)[trust[respondent]]
    uniform = rng.random(len(respondent)) + shift
    answer = np.searchsorted(np.cumsum(mix), np.clip(uniform, 0, 0.999999))

    leader_only = np.array(
        [set(framework.stage(q.stage).audiences) != set(framework.audience_ids) for q in framework.questions]
    )
    meant = np.array(
        [[a.id in framework.stage(q.stage).audiences for a in framework.audiences] for q in framework.questions]
    )
    skip = ~meant[question, audience[respondent]] & (rng.random(len(respondent)) >= FRONT_LINE_ANSWERS_LEADER_STAGES)
    keep = ~skip if leader_only.any() else np.ones(len(respondent), dtype=bool)
    respondent, question, answer = respondent[keep], question[keep], answer[keep]

    trust_ids = [f"T{t + 1:03d}" for t in range(trusts)]
    return pl.DataFrame(
        {
            "trust": enum_series(trust[respondent], trust_ids),
            "respondent": pl.Series((respondent % (n_sectors * places)) + 1).cast(pl.String).str.pad_start(3, "0"),
            "sector": enum_series(sector[respondent], framework.sector_ids),
            "audience": enum_series(audience[respondent], framework.audience_ids),
            "question": enum_series(question, framework.question_ids),
            "answer": enum_series(answer, framework.answer_codes),
        }
    ).with_columns(respondent="R" + pl.col("respondent"))
