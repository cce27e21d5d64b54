"""The count cube: how many answers of each kind, by trust, audience, sector and question.

Every statistic in the report is a ratio of sums of answers, so once answers are counted into this cube
(at most trusts x 2 x 8 x 59 x 7 cells, however many respondents there are) nothing else needs the rows.
The cube can be built from a validated table here, or from counts that a database worked out with one
GROUP BY (`Cube.from_counts`), and the statistics cannot tell the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from selfassess.framework import Framework
from selfassess.responses import ResponseTable
from selfassess.responses.table import allowed_ids, natural_key


@dataclass(frozen=True, eq=False)
class Cube:
    framework: Framework
    trusts: tuple[str, ...]
    counts: np.ndarray  # int64 [trust, audience, sector, question, answer]: number of answers
    respondents: np.ndarray  # int64 [trust, audience, sector]: number of distinct respondents
    # Each respondent's answers side by side (ResponseTable.grid: answer code + 1, 0 for none) and trust: what
    # a trust's own intervals and Cronbach's alpha need beyond the counts. None when only counts are known.
    answers_by_respondent: np.ndarray | None = None
    trust_of_respondent: np.ndarray | None = None
    audience_of_respondent: np.ndarray | None = None

    @cached_property
    def scores(self) -> np.ndarray:
        """Score of each answer code, 0 for the non-scoring ones (they are never divided by)."""
        return np.array([a.score or 0 for a in self.framework.scale], dtype=np.int64)

    @cached_property
    def scored(self) -> np.ndarray:
        """[trust, audience, sector, question]: answers with a score."""
        mask = np.array([a.score is not None for a in self.framework.scale])
        scored: np.ndarray = self.counts[..., mask].sum(axis=-1)
        return scored

    @cached_property
    def respondents_by_trust(self) -> tuple[np.ndarray, np.ndarray, list[bool]] | None:
        """An order of the respondents that puts each trust's together, where each trust's run starts in it, and
        which trusts have any respondent: a trust's own intervals sum over runs of rows."""
        if self.trust_of_respondent is None:
            return None
        order = np.argsort(self.trust_of_respondent, kind="stable")
        per_trust = np.bincount(self.trust_of_respondent, minlength=len(self.trusts))
        present = per_trust > 0
        starts = (np.cumsum(per_trust) - per_trust)[present]
        return order, starts, present.tolist()

    @cached_property
    def score_squares_by_trust(self) -> np.ndarray:
        """[trust, question]: the sum of the squared scores given (for variances), every audience and sector."""
        squares: np.ndarray = self.counts.sum(axis=(1, 2)) @ (self.scores * self.scores)
        return squares

    @cached_property
    def score_sum(self) -> np.ndarray:
        """[trust, audience, sector, question]: sum of the scores given."""
        score_sum: np.ndarray = self.counts @ self.scores
        return score_sum

    # The statistics sum over a scope's questions many times (some sixty scopes and questions); summing the
    # other axes away once first makes each of those sums small.

    @cached_property
    def by_trust(self) -> tuple[np.ndarray, np.ndarray]:
        """(score sum, scored answers), each [trust, question]: every audience and sector together."""
        return self.score_sum.sum(axis=(1, 2)), self.scored.sum(axis=(1, 2))

    @cached_property
    def nationally(self) -> tuple[np.ndarray, np.ndarray]:
        """(score sum, scored answers), each [audience, sector, question]: every trust together."""
        return self.score_sum.sum(axis=0), self.scored.sum(axis=0)

    @cached_property
    def answers_nationally(self) -> np.ndarray:
        """[audience, question, answer]: answers of each code, every trust and sector together."""
        counts: np.ndarray = self.counts.sum(axis=(0, 2))
        return counts


def build_cube(table: ResponseTable) -> Cube:
    """Count a validated table into the cube: one pass to make a cell number per answer, one bincount."""
    framework = table.framework
    shape = (
        len(table.trusts),
        len(framework.audiences),
        len(framework.sectors),
        len(framework.question_ids),
        len(framework.scale),
    )
    groups = table.groups
    # A respondent's trust, audience and sector are one cell of the cube's first three axes.
    group = (groups["trust"].astype(np.int64) * shape[1] + groups["audience"]) * shape[2] + groups["sector"]
    cell = group[table.respondent_codes]
    cell *= shape[3]
    cell += table.codes["question"]
    cell *= shape[4]
    cell += table.codes["answer"]
    counts = np.bincount(cell, minlength=int(np.prod(shape))).reshape(shape)
    respondents = np.bincount(group, minlength=int(np.prod(shape[:3]))).reshape(shape[:3])
    return Cube(framework, table.trusts, counts, respondents, table.grid, groups["trust"], groups["audience"])


def cube_from_counts(framework: Framework, answers: pl.DataFrame, respondents: pl.DataFrame) -> Cube:
    """The cube from counts made elsewhere (a database's GROUP BY).

    `answers` has columns trust, audience, sector, question, answer (ids as text) and n; `respondents` has
    trust, audience, sector and n. Ids must already be valid: they came from validated rows.
    """
    trusts = tuple(sorted(set(answers["trust"].to_list()) | set(respondents["trust"].to_list()), key=natural_key))
    axes = {"trust": trusts, **{c: allowed_ids(framework, c) for c in ("audience", "sector", "question", "answer")}}

    def fill(frame: pl.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
        out = np.zeros(tuple(len(axes[c]) for c in columns), dtype=np.int64)
        index = tuple(
            frame[c]
            .cast(pl.String)
            .replace_strict({v: i for i, v in enumerate(axes[c])}, return_dtype=pl.Int64)
            .to_numpy()
            for c in columns
        )
        np.add.at(out, index, frame["n"].to_numpy().astype(np.int64))
        return out

    return Cube(
        framework,
        trusts,
        fill(answers, ("trust", "audience", "sector", "question", "answer")),
        fill(respondents, ("trust", "audience", "sector")),
    )
