"""Every statistic of contract section 3, derived from the count cube, as the results JSON of section 4.

Means are reported unrounded. Decisions (which band a trust falls in, whether a sector or stage is notably
above or below the midpoint) compare integer sums and counts against exact fractions, never a rounded or
floating-point mean, so a trust whose answers average exactly 2.8 is always in the 2.8 band.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

import numpy as np

from selfassess.analysis import uncertainty
from selfassess.analysis.cube import Cube
from selfassess.framework import Band, Framework

SCHEMA = "selfassess.results/1"
ALL = "all"  # every audience together


def at_least(total: int, n: int, bound: Fraction) -> bool:
    """Is the mean total / n at least `bound`? Decided in integers (n > 0)."""
    return total * bound.denominator >= bound.numerator * n


def difference_at_least(a: tuple[int, int], b: tuple[int, int], bound: Fraction) -> bool:
    """Is mean a minus mean b at least `bound`? Each mean as (sum, count), counts > 0; decided in integers.

    >>> difference_at_least((30, 10), (28, 10), Fraction(1, 5))  # 3.0 - 2.8 is exactly 0.2
    True
    >>> 3.0 - 2.8 >= 0.2, 2.9 - 2.7 >= 0.2  # what floating point says of the same and of another exact 0.2
    (True, False)
    >>> difference_at_least((29, 10), (27, 10), Fraction(1, 5))
    True
    """
    (s1, n1), (s2, n2) = a, b
    return (s1 * n2 - s2 * n1) * bound.denominator >= bound.numerator * n1 * n2


def differs_notably(a: tuple[int, int], b: tuple[int, int], notable: Fraction) -> str:
    """'above' if mean a is at least `notable` above mean b, 'below' if at least that far below, else ''."""
    if difference_at_least(a, b, notable):
        return "above"
    if difference_at_least(b, a, notable):
        return "below"
    return ""


def mean(total: int, n: int) -> float | None:
    return total / n if n else None


def band_of(total: int, n: int, bands: tuple[Band, ...]) -> str:
    """The id of the half-open band [lower, upper) holding the mean total / n (n > 0)."""
    for band in bands:
        if (band.lower is None or at_least(total, n, band.lower)) and (
            band.upper is None or not at_least(total, n, band.upper)
        ):
            return band.id
    raise AssertionError("bands cover every mean")  # the framework loader checks that they do


def results(cube: Cube) -> dict[str, Any]:
    # Tens of thousands of small dicts and lists, none in a cycle: a collection set off part way through would
    # walk every object in the process, several times over, for nothing.
    with _collection_paused():
        return _results(cube)


@contextmanager
def _collection_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _results(cube: Cube) -> dict[str, Any]:
    framework = cube.framework
    scopes = {scope: _question_indexes(framework, framework.scope_question_ids(scope)) for scope in framework.scopes}
    # Every interval of one kind is made in one go, for every scope and question: ninety-odd small sets each
    # made apart cost more than the rest of the statistics.
    by_respondent = uncertainty.respondent_sums(cube, scopes)
    own = uncertainty.trust_intervals(cube, scopes, by_respondent)
    alphas = uncertainty.cronbach_alphas(cube, scopes, by_respondent)
    every = {**scopes, **{q: np.array([i]) for i, q in enumerate(framework.question_ids)}}
    national = uncertainty.national_intervals(cube, every, _audience_indexes(framework))
    return {
        "schema": SCHEMA,
        "framework": {"id": framework.id, "title": framework.title},
        "counts": _counts(cube),
        "scopes": {
            scope: scope_statistics(cube, questions, own[scope], national[scope], alphas[scope])
            for scope, questions in scopes.items()
        },
        "questions": {
            question.id: {
                "practice": question.practice,
                "stage": question.stage,
                **_question_statistics(
                    cube, framework.question_ids.index(question.id), own[question.id], national[question.id]
                ),
            }
            for question in framework.questions
        },
    }


def _question_indexes(framework: Framework, ids: tuple[str, ...]) -> np.ndarray:
    position = {q: i for i, q in enumerate(framework.question_ids)}
    return np.array([position[q] for q in ids], dtype=np.int64)


def _counts(cube: Cube) -> dict[str, Any]:
    by_audience = cube.respondents.sum(axis=2)  # [trust, audience]
    respondents = {a.id: int(by_audience[:, i].sum()) for i, a in enumerate(cube.framework.audiences)}
    respondents[ALL] = int(by_audience.sum())
    return {
        "trusts": len(cube.trusts),
        "trusts_with_both_audiences": int((by_audience > 0).all(axis=1).sum()),
        "respondents": respondents,
    }


def scope_statistics(
    cube: Cube,
    questions: np.ndarray,
    own: dict[str, list[float] | None],
    national: tuple[dict[str, Any], dict[str, Any]],
    alpha: tuple[float | None, int],
) -> dict[str, Any]:
    """The statistics of one scope: the answers to `questions` (indexes into the framework's questions), with
    its trusts' own intervals, the responses' and sector means' intervals and its alpha, which results() makes
    for every scope at once."""
    stages, sectors = _stage_sums(cube, questions), _sector_sums(cube, questions)
    audiences = _audience_indexes(cube.framework)
    intervals, sector_ci = national
    stage_ci = uncertainty.stage_intervals(cube, questions, audiences)
    notable = _notable(stages[ALL], sectors[ALL], cube.framework)
    everyone = intervals[ALL]
    clear = uncertainty.clear(notable, stage_ci[ALL], sector_ci[ALL], float(cube.framework.midpoint))
    return {
        "questions": len(questions),
        "responses": _with_intervals(_responses(cube, questions), intervals),
        **_trust_statistics(cube, questions),
        "stage_means": _means(stages),
        "sector_means": _means(sectors),
        "notable": {**notable, "clear": clear},
        "audience_gaps_notable": _audience_gaps(cube, questions, stages, sectors),
        "trust_ci95": own,
        "stage_ci95": stage_ci,
        "sector_ci95": sector_ci,
        **uncertainty.scope_uncertainty(
            cube, questions, None if everyone["se"] is None else (everyone["se"], everyone["ci95"]), alpha
        ),
    }


def _with_intervals(responses: dict[str, Any], intervals: dict[str, Any]) -> dict[str, Any]:
    return {audience: {**found, **intervals[audience]} for audience, found in responses.items()}


def _audience_gaps(
    cube: Cube,
    questions: np.ndarray,
    stages: dict[str, dict[str, tuple[int, int] | None]],
    sectors: dict[str, dict[str, tuple[int, int] | None]],
) -> dict[str, Any]:
    """Where the audiences' means differ by the notable difference or more (the highest against the lowest),
    decided exactly: over the whole scope, and the stages and sectors where they do."""
    framework = cube.framework
    audiences = framework.audience_ids
    sums, ns = (total[..., questions].sum(axis=(1, 2)) for total in cube.nationally)

    def apart(pairs: list[tuple[int, int] | None]) -> bool:
        present = [p for p in pairs if p is not None and p[1]]
        return any(differs_notably(a, b, framework.notable) == "above" for a in present for b in present)

    return {
        "overall": apart([(int(sums[i]), int(ns[i])) for i in range(len(audiences))]),
        "stages": [s.id for s in framework.stages if apart([stages[a][s.id] for a in audiences])],
        "sectors": [s.id for s in framework.sectors if apart([sectors[a][s.id] for a in audiences])],
    }


def _question_statistics(
    cube: Cube,
    question: int,
    own: dict[str, list[float] | None],
    national: tuple[dict[str, Any], dict[str, Any]],
) -> dict[str, Any]:
    questions = np.array([question])
    return {
        "responses": _with_intervals(_responses(cube, questions), national[0]),
        **_trust_statistics(cube, questions),
        "sector_means": _means(_sector_sums(cube, questions)),
        "trust_ci95": own,
        "sector_ci95": national[1],
    }


def _audience_indexes(framework: Framework) -> dict[str, list[int]]:
    """Each audience's index, and 'all' for every audience together."""
    out = {a.id: [i] for i, a in enumerate(framework.audiences)}
    out[ALL] = list(range(len(framework.audiences)))
    return out


def _responses(cube: Cube, questions: np.ndarray) -> dict[str, Any]:
    framework = cube.framework
    counts = cube.answers_nationally[:, questions, :].sum(axis=1)  # [audience, answer]
    out = {}
    for audience, indexes in _audience_indexes(framework).items():
        by_code = counts[indexes].sum(axis=0)
        total = int(by_code.sum())
        scored = int(sum(by_code[i] for i, a in enumerate(framework.scale) if a.score is not None))
        score_sum = int(by_code @ cube.scores)
        out[audience] = {
            **{a.code: int(by_code[i]) for i, a in enumerate(framework.scale)},
            "total": total,
            "scored": scored,
            "mean": mean(score_sum, scored),
            "pct_scored": 100 * scored / total if total else None,
        }
    return out


def _trust_statistics(cube: Cube, questions: np.ndarray) -> dict[str, Any]:
    framework = cube.framework
    sums, ns = (total[:, questions].sum(axis=1).astype(np.int64) for total in cube.by_trust)
    # Every trust at once, exactly: the same integer comparisons as `at_least`, over arrays.
    in_band = [_in_range(sums, ns, band.lower, band.upper) for band in framework.bands]
    band_ids = [band.id for band in framework.bands]
    found = np.select(in_band, np.arange(len(band_ids)), default=-1)
    means = {trust: mean(total, n) for trust, total, n in zip(cube.trusts, sums.tolist(), ns.tolist(), strict=True)}
    band = {trust: band_ids[b] if b >= 0 else None for trust, b in zip(cube.trusts, found.tolist(), strict=True)}
    scored_means = [m for m in means.values() if m is not None]
    return {
        "trust_means": means,
        "trust_band": band,
        "trust_bands": {
            **{b: int(mask.sum()) for b, mask in zip(band_ids, in_band, strict=True)},
            "at_or_above_midpoint": int(_in_range(sums, ns, framework.midpoint, None).sum()),
            "no_score": int((ns == 0).sum()),
        },
        "trust_counts": {
            name: int(_in_range(sums, ns, low, high).sum()) for name, (low, high) in _edges(framework).items()
        },
        "trust_mean_min": min(scored_means, default=None),
        "trust_mean_max": max(scored_means, default=None),
    }


def _in_range(totals: np.ndarray, ns: np.ndarray, low: Fraction | None, high: Fraction | None) -> np.ndarray:
    """Which means totals / ns (ns > 0) lie in [low, high), decided in integers as `at_least` decides one."""
    inside = ns > 0
    if low is not None:
        inside &= totals * low.denominator >= low.numerator * ns
    if high is not None:
        inside &= totals * high.denominator < high.numerator * ns
    return inside


def _edges(framework: Framework) -> dict[str, tuple[Fraction | None, Fraction | None]]:
    """Ranges of trust means the findings count, each [low, high), from the framework's scale and rules:
    notably above the midpoint, within the notable difference of it, and nearer either end of the scale than
    the midpoint."""
    scores = [a.score for a in framework.scale if a.score is not None]
    mid, notable = framework.midpoint, framework.notable
    return {
        "notably_above_midpoint": (mid + notable, None),
        "within_notable_of_midpoint": (mid - notable, mid + notable),
        "nearer_top_than_midpoint": ((mid + max(scores)) / 2, None),
        "nearer_bottom_than_midpoint": (None, (mid + min(scores)) / 2),
    }


def _stage_sums(cube: Cube, questions: np.ndarray) -> dict[str, dict[str, tuple[int, int] | None]]:
    """(score sum, scored answers) by audience and stage, counting only the audiences a stage is meant for."""
    framework = cube.framework
    sums, ns = (total[..., questions].sum(axis=1) for total in cube.nationally)  # [audience, question in scope]
    stage_of = np.array([framework.questions[q].stage for q in questions])
    out: dict[str, dict[str, tuple[int, int] | None]] = {}
    for audience, indexes in _audience_indexes(framework).items():
        out[audience] = {}
        for stage in framework.stages:
            meant = [i for i in indexes if framework.audiences[i].id in stage.audiences]
            in_stage = stage_of == stage.id
            if not meant or not in_stage.any():
                out[audience][stage.id] = None
                continue
            out[audience][stage.id] = (int(sums[meant][:, in_stage].sum()), int(ns[meant][:, in_stage].sum()))
    return out


def _means(sums: dict[str, dict[str, tuple[int, int] | None]]) -> dict[str, dict[str, float | None]]:
    return {
        audience: {key: None if pair is None else mean(*pair) for key, pair in by_key.items()}
        for audience, by_key in sums.items()
    }


def _sector_sums(cube: Cube, questions: np.ndarray) -> dict[str, dict[str, tuple[int, int] | None]]:
    framework = cube.framework
    sums, ns = (total[..., questions].sum(axis=2) for total in cube.nationally)  # [audience, sector]
    out: dict[str, dict[str, tuple[int, int] | None]] = {}
    for audience, indexes in _audience_indexes(framework).items():
        # Each audience's sectors in one sum (a sum per sector and audience was a third of results()' time).
        by_sector = zip(sums[indexes].sum(axis=0).tolist(), ns[indexes].sum(axis=0).tolist(), strict=True)
        out[audience] = {
            sector.id: (int(t), int(n)) for sector, (t, n) in zip(framework.sectors, by_sector, strict=True)
        }
    return out


def _notable(
    stages: dict[str, tuple[int, int] | None], sectors: dict[str, tuple[int, int] | None], framework: Framework
) -> dict[str, list[str]]:
    """Sectors and stages whose mean (all audiences) is at least midpoint + notable, or under midpoint - notable."""
    high, low = framework.midpoint + framework.notable, framework.midpoint - framework.notable
    present_stages = {s: p for s, p in stages.items() if p is not None and p[1]}
    present_sectors = {s: p for s, p in sectors.items() if p is not None and p[1]}
    return {
        "sectors_above": [s for s, (t, n) in present_sectors.items() if at_least(t, n, high)],
        "sectors_below": [s for s, (t, n) in present_sectors.items() if not at_least(t, n, low)],
        "stages_above": [s for s, (t, n) in present_stages.items() if at_least(t, n, high)],
        "stages_below": [s for s, (t, n) in present_stages.items() if not at_least(t, n, low)],
    }
