"""One trust's results beside the national picture, with the number of respondents each figure rests on.

The counts of respondents matter for anonymity: a trust report shows a figure only when enough people stand
behind it (see reports.suppression), so every figure here carries `respondents`: the number of distinct
respondents who gave at least one scored answer to it; and every national figure beside it carries
`national_respondents`, since a national figure is shown to the trust's coordinator too, and national minus
trust is the rest of the country. Whether the trust differs notably from the national figure is decided here,
exactly, from the sums (`difference`: 'above', 'below', '' or None where either has no score).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from selfassess.analysis import uncertainty
from selfassess.analysis.cube import Cube
from selfassess.analysis.statistics import ALL, band_of, differs_notably, mean
from selfassess.responses import ResponseTable


def trust_profiles(table: ResponseTable, cube: Cube, results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every trust's profile, keyed by trust id."""
    framework = cube.framework
    contributors = _contributors(table)
    national = {name: _national_counts(counts) for name, counts in contributors.items()}
    sums = _national_sums(cube)
    stage_ci = uncertainty.trust_stage_intervals(cube)
    # Trusts placed by their means, and by their standardised means (fair to trusts that recruited different
    # mixes): worked out once for every trust.
    places = {
        scope: {key: _ranks(results["scopes"][scope][key]) for key in ("trust_means", "trust_means_standardised")}
        for scope in framework.scopes
    }
    # Every trust's overall mean, as the national report's distribution chart shows them: one list, shared.
    distribution = sorted(m for m in results["scopes"]["overall"]["trust_means"].values() if m is not None)
    profiles = {}
    for t, trust in enumerate(cube.trusts):
        profiles[trust] = {
            "trust": trust,
            "scopes": _scopes(cube, t, results, contributors, national, sums, places),
            "stages": _stages(cube, t, results, contributors, national, sums, stage_ci),
            "questions": _questions(cube, t, results, contributors, national),
            "sectors": _sectors(cube, t, contributors),
            "outside_stages": {
                "respondents": _count(contributors["outside"], trust),
                "national_respondents": _count(national["outside"]),
            },
            "quota": {
                s.id: {a.id: int(cube.respondents[t, i, j]) for i, a in enumerate(framework.audiences)}
                for j, s in enumerate(framework.sectors)
            },
            "quota_target": dict(framework.quota),
            "national_trust_means": distribution,
            "national_trust_bands": results["scopes"]["overall"]["trust_bands"],
        }
    return profiles


def _contributors(table: ResponseTable) -> dict[str, dict[tuple[str, ...], int]]:
    """Distinct respondents with a scored answer, by trust and each grouping a trust report shows."""
    framework = table.framework
    scored_codes = [a.code for a in framework.scale if a.score is not None]
    questions = pl.DataFrame(
        {
            "question": pl.Series([q.id for q in framework.questions], dtype=pl.Enum(list(framework.question_ids))),
            "practice": [q.practice for q in framework.questions],
            "stage": [q.stage for q in framework.questions],
        }
    )
    answers = (
        table.answers.lazy()
        .filter(pl.col("answer").cast(pl.String).is_in(scored_codes))
        .select("trust", "respondent", "sector", "audience", "question")
        .join(questions.lazy(), on="question")
    )
    meant = pl.DataFrame(
        [(s.id, a) for s in framework.stages for a in s.audiences], schema=["stage", "audience"], orient="row"
    )
    answers = answers.with_columns(pl.col(c).cast(pl.String) for c in ("trust", "sector", "audience"))
    by_stage = answers.join(meant.lazy(), on=["stage", "audience"])
    # Answers from audiences a stage is not meant for (front line staff answering a leaders' stage on paper):
    # they count overall but in no stage mean, so overall is not quite the sum of the stages.
    outside = answers.join(meant.lazy(), on=["stage", "audience"], how="anti")
    groupings = {
        "overall": (answers, ["trust"]),
        "practice": (answers, ["trust", "practice"]),
        "sector": (answers, ["trust", "sector", "audience"]),
        "sector_all": (answers, ["trust", "sector"]),
        "audience": (answers, ["trust", "audience"]),
        "stage": (by_stage, ["trust", "stage"]),
        "outside": (outside, ["trust"]),
        "question": (answers.with_columns(pl.col("question").cast(pl.String)), ["trust", "question"]),
    }
    out = {}
    for name, (frame, keys) in groupings.items():
        counted = frame.group_by(keys).agg(pl.col("respondent").n_unique()).collect()
        out[name] = {tuple(row[:-1]): int(row[-1]) for row in counted.iter_rows()}
    return out


def _count(counts: dict[tuple[str, ...], int], *key: str) -> int:
    return counts.get(key, 0)


def _national_counts(counts: dict[tuple[str, ...], int]) -> dict[tuple[str, ...], int]:
    """Respondents summed over trusts (a respondent belongs to one trust), by the rest of each key."""
    out: dict[tuple[str, ...], int] = {}
    for key, n in counts.items():
        out[key[1:]] = out.get(key[1:], 0) + n
    return out


def _difference(mine: tuple[int, int], everyone: tuple[int, int], cube: Cube) -> str | None:
    if not mine[1] or not everyone[1]:
        return None
    return differs_notably(mine, everyone, cube.framework.notable)


def _how_sure(own: list[float] | None, national: float | None) -> dict[str, Any]:
    """The difference from the national mean with its interval, and whether it is clear: the trust's own 95%
    interval less the national mean. The national mean rests on every trust, so its own uncertainty is small
    beside one trust's, and it is taken as the benchmark (as the NHS Staff Survey's benchmark reports do)."""
    if own is None or national is None:
        return {"ci95": own, "difference_ci95": None, "clear": None}
    low, high = own[0] - national, own[1] - national
    return {"ci95": own, "difference_ci95": [low, high], "clear": "above" if low > 0 else "below" if high < 0 else ""}


def _free_groups(present: np.ndarray) -> int:
    """How many ways the trust's group means ([audience, sector] cells with scored answers) could move while
    every row and column total stayed the same: the independent cycles of the graph whose edges are the cells
    between their audience and sector, edges − vertices + components. A report that shows those totals can add
    one more weighted figure over the same cells (the standardised mean) without pinning any cell only if there
    are at least two."""
    audiences, sectors = np.nonzero(present)
    parent = list(range(present.shape[0] + present.shape[1]))  # audiences first, then sectors

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a, s in zip(audiences.tolist(), sectors.tolist(), strict=True):
        parent[root(a)] = root(present.shape[0] + s)
    used = set(audiences.tolist()) | {present.shape[0] + s for s in sectors.tolist()}
    return len(audiences) - len(used) + len({root(v) for v in used})


def _ranks(values: dict[str, float | None]) -> dict[str, int | None]:
    """Place 1 for the highest; equal values share a place."""
    present = [v for v in values.values() if v is not None]
    return {k: None if v is None else 1 + sum(1 for m in present if m > v) for k, v in values.items()}


Counts = dict[str, dict[tuple[str, ...], int]]


Sums = dict[str, tuple[int, int]]


def _scope_questions(cube: Cube, scope: str) -> list[int]:
    framework = cube.framework
    return [framework.question_ids.index(q) for q in framework.scope_question_ids(scope)]


def _stage_cells(cube: Cube, stage: Any) -> tuple[list[int], list[int]]:
    """The audiences a stage is meant for and its questions, as indexes."""
    framework = cube.framework
    audiences = [i for i, a in enumerate(framework.audiences) if a.id in stage.audiences]
    return audiences, [i for i, q in enumerate(framework.questions) if q.stage == stage.id]


def _national_sums(cube: Cube) -> dict[str, Sums]:
    """(score sum, scored answers) over every trust: by scope, and by stage counting the audiences it is for."""
    scopes = {}
    for scope in cube.framework.scopes:
        q = _scope_questions(cube, scope)
        scopes[scope] = (int(cube.score_sum[:, :, :, q].sum()), int(cube.scored[:, :, :, q].sum()))
    stages = {}
    for stage in cube.framework.stages:
        audiences, q = _stage_cells(cube, stage)
        stages[stage.id] = (
            int(cube.score_sum[:, audiences][:, :, :, q].sum()),
            int(cube.scored[:, audiences][:, :, :, q].sum()),
        )
    return {"scopes": scopes, "stages": stages}


def _scopes(
    cube: Cube,
    t: int,
    results: dict[str, Any],
    contributors: Counts,
    national: Counts,
    sums: dict[str, Sums],
    places: dict[str, dict[str, dict[str, int | None]]],
) -> dict[str, Any]:
    framework = cube.framework
    trust = cube.trusts[t]
    out = {}
    for scope in framework.scopes:
        questions = _scope_questions(cube, scope)
        total = int(cube.score_sum[t][:, :, questions].sum())
        n = int(cube.scored[t][:, :, questions].sum())
        stats = results["scopes"][scope]
        means = stats["trust_means"]
        mine = means[trust]
        national_mean = stats["responses"]["all"]["mean"]
        standardised = stats["trust_means_standardised"]
        out[scope] = {
            "mean": mine,
            "national": national_mean,
            **_how_sure(stats["trust_ci95"][trust], national_mean),
            "national_ci95": stats["responses"]["all"]["ci95"],
            "standardised": standardised[trust],
            "standardised_rank": places[scope]["trust_means_standardised"][trust],
            "free_groups": _free_groups(cube.scored[t][:, :, questions].sum(axis=2) > 0),
            "band": band_of(total, n, framework.bands) if n else None,
            "rank": places[scope]["trust_means"][trust],
            "of": sum(1 for m in means.values() if m is not None),
            "respondents": _count(contributors["overall"], trust)
            if scope == "overall"
            else _count(contributors["practice"], trust, scope),
            "national_respondents": _count(national["overall"])
            if scope == "overall"
            else _count(national["practice"], scope),
            "difference": _difference((total, n), sums["scopes"][scope], cube),
        }
    return out


def _questions(cube: Cube, t: int, results: dict[str, Any], contributors: Counts, national: Counts) -> dict[str, Any]:
    """Each question's trust mean beside the national one, the respondents behind each, and the trust's answers of
    each code (its answer distribution)."""
    framework = cube.framework
    trust = cube.trusts[t]
    answers = cube.counts[t].sum(axis=(0, 1))  # [question, answer]
    national_sums, national_ns = cube.score_sum.sum(axis=(0, 1, 2)), cube.scored.sum(axis=(0, 1, 2))  # [question]
    out = {}
    for i, question in enumerate(framework.questions):
        stats = results["questions"][question.id]
        mine = (int(cube.score_sum[t][:, :, i].sum()), int(cube.scored[t][:, :, i].sum()))
        everyone = stats["responses"]["all"]
        out[question.id] = {
            "mean": stats["trust_means"][trust],
            "national": everyone["mean"],
            "respondents": _count(contributors["question"], trust, question.id),
            "national_respondents": _count(national["question"], question.id),
            "answers": {a.code: int(answers[i, j]) for j, a in enumerate(framework.scale)},
            "difference": _difference(mine, (int(national_sums[i]), int(national_ns[i])), cube),
        }
    return out


def _stages(
    cube: Cube,
    t: int,
    results: dict[str, Any],
    contributors: Counts,
    national: Counts,
    sums: dict[str, Sums],
    stage_ci: dict[str, dict[str, list[float] | None]],
) -> dict[str, Any]:
    framework = cube.framework
    national_means = results["scopes"]["overall"]["stage_means"][ALL]
    national_ci = results["scopes"]["overall"]["stage_ci95"][ALL]
    out = {}
    for stage in framework.stages:
        audiences, questions = _stage_cells(cube, stage)
        mine = (
            int(cube.score_sum[t][audiences][:, :, questions].sum()),
            int(cube.scored[t][audiences][:, :, questions].sum()),
        )
        out[stage.id] = {
            "mean": mean(*mine),
            "national": national_means[stage.id],
            **_how_sure(stage_ci[stage.id][cube.trusts[t]], national_means[stage.id]),
            "national_ci95": national_ci[stage.id],
            "respondents": _count(contributors["stage"], cube.trusts[t], stage.id),
            "national_respondents": _count(national["stage"], stage.id),
            "difference": _difference(mine, sums["stages"][stage.id], cube),
        }
    return out


def _sectors(cube: Cube, t: int, contributors: dict[str, dict[tuple[str, ...], int]]) -> dict[str, Any]:
    """Overall mean by sector and audience (and all audiences), with respondents behind each."""
    framework = cube.framework
    trust = cube.trusts[t]
    sums = cube.score_sum[t].sum(axis=2)  # [audience, sector]
    ns = cube.scored[t].sum(axis=2)
    out: dict[str, Any] = {}
    for j, sector in enumerate(framework.sectors):
        row = {}
        for i, audience in enumerate(framework.audiences):
            row[audience.id] = {
                "mean": mean(int(sums[i, j]), int(ns[i, j])),
                "respondents": _count(contributors["sector"], trust, sector.id, audience.id),
            }
        row[ALL] = {
            "mean": mean(int(sums[:, j].sum()), int(ns[:, j].sum())),
            "respondents": _count(contributors["sector_all"], trust, sector.id),
        }
        out[sector.id] = row
    total = {}
    for i, audience in enumerate(framework.audiences):
        total[audience.id] = {
            "mean": mean(int(sums[i].sum()), int(ns[i].sum())),
            "respondents": _count(contributors["audience"], trust, audience.id),
        }
    total[ALL] = {
        "mean": mean(int(np.sum(sums)), int(np.sum(ns))),
        "respondents": _count(contributors["overall"], trust),
    }
    out[ALL] = total
    return out
