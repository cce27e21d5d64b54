"""How sure the figures are (contract section 3b): cluster-robust intervals, the design effect and intraclass
correlation, Cronbach's alpha and quota-standardised trust means.

Answers from one person, and people in one trust, move together, so a mean's uncertainty is worked out from
its clusters' sums (trusts for national figures, respondents for one trust's own), never as if every answer were
independent. Everything here takes sums and counts that the cube (or the per-respondent score matrix) already
holds; nothing passes over the answers again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

from selfassess.analysis.cube import Cube

Interval = list[float]  # [low, high]
Found = tuple[list[float | None], list[Interval | None]]  # each figure's se and 95% interval (None: too few clusters)


@lru_cache(maxsize=1024)
def t975(df: int) -> float:
    """The 0.975 quantile of Student's t on `df` degrees of freedom (kept here, not imported from SciPy, whose
    import alone would cost more than a whole small analysis): exact for 1 and 2 degrees of freedom, else
    Newton's method on the distribution function from the Cornish–Fisher expansion (the expansion alone
    from 100 degrees of freedom, within 4e-11).

    >>> round(t975(1), 6), round(t975(9), 6), round(t975(149), 6)
    (12.706205, 2.262157, 1.976013)
    """
    if df == 1:
        return math.tan(math.pi * 0.475)
    if df == 2:
        return 0.95 / math.sqrt(2 * 0.975 * 0.025)
    z = 1.959963984540054
    t = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    t += (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    t += (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * df**4)
    if df >= 100:
        return t  # the expansion alone is then within 4e-11 of the quantile
    log_density_scale = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    for _ in range(50):
        density = math.exp(log_density_scale - (df + 1) / 2 * math.log1p(t * t / df))
        step = (_t_upper_tail(t, df) - 0.025) / density
        t += step
        if abs(step) < 1e-13 * t:
            break
    return t


def _t_upper_tail(t: float, df: int) -> float:
    """P(T > t) for t >= 0: half the regularised incomplete beta I_x(df/2, 1/2) at x = df / (df + t²)."""
    return 0.5 * _incomplete_beta(df / (df + t * t), df / 2, 0.5)


def _incomplete_beta(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x > (a + 1) / (a + b + 2):  # the fraction converges fast only below this point: use the symmetry
        return 1.0 - _incomplete_beta(1.0 - x, b, a)
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return front * result / a


@dataclass(frozen=True)
class Estimates:
    """Several groups' means at once (flat arrays), each with its cluster-robust standard error (NaN where the
    group has fewer than two clusters) and its number of clusters."""

    mean: np.ndarray
    se: np.ndarray
    clusters: np.ndarray


def clustered_runs(sums: np.ndarray, counts: np.ndarray, starts: np.ndarray) -> Estimates:
    """As `clustered_columns`, for groups of clusters that lie together in rows: group k holds rows starts[k] up
    to starts[k + 1] (every group at least one row); each column is a separate figure. Results are by group,
    then column. Each cluster's e_g = S_g − ȳ n_g is worked out before it is squared: expanding Σ e_g² into
    Σ S² − 2ȳ Σ S·n + ȳ² Σ n² cancels to a rounding error where a trust's respondents agree, and the square
    root makes that error a visible interval where there is none."""
    n = np.add.reduceat(counts, starts)
    mean = np.divide(np.add.reduceat(sums, starts), n, out=np.zeros(n.shape), where=n > 0)
    rows_of = np.diff(np.append(starts, len(sums)))
    residuals = sums - np.repeat(mean, rows_of, axis=0) * counts
    squares = np.add.reduceat(residuals * residuals, starts)
    clusters = np.add.reduceat((counts > 0).astype(np.int64), starts)
    return _estimates(clusters.ravel(), n.ravel(), mean.ravel(), squares.ravel())


def clustered_columns(sums: np.ndarray, counts: np.ndarray) -> Estimates:
    """As `clustered`, for groups given as columns: sums[g, k] and counts[g, k] are cluster g's in group k."""
    sums, counts = np.asarray(sums, dtype=np.float64), np.asarray(counts, dtype=np.float64)
    n = counts.sum(axis=0)
    mean = np.divide(sums.sum(axis=0), n, out=np.zeros(len(n)), where=n > 0)
    used = counts > 0
    squares = np.where(used, (sums - mean * counts) ** 2, 0.0).sum(axis=0)
    return _estimates(used.sum(axis=0), n, mean, squares)


def _estimates(clusters: np.ndarray, n: np.ndarray, mean: np.ndarray, squares: np.ndarray) -> Estimates:
    """se = sqrt(G/(G−1) · Σ e_g²) / n for every group at once, from Σ e_g² (`squares`)."""
    ok = clusters >= 2
    G = np.where(ok, clusters, 2).astype(np.float64)
    se = np.where(ok, np.sqrt(G / (G - 1) * squares) / np.where(ok, n, 1.0), np.nan)
    return Estimates(mean, se, clusters)


def t_quantiles(dfs: np.ndarray) -> np.ndarray:
    """t975 of each degrees of freedom (at least 1), each distinct one worked out once."""
    distinct, where = np.unique(dfs, return_inverse=True)
    return np.array([t975(int(df)) for df in distinct])[where].reshape(np.shape(dfs))


def intervals(found: Estimates) -> Found:
    """Each group's se and 95% interval on G − 1 degrees of freedom, as lists; None where G < 2."""
    # Every group at once: a loop over sixty scopes and questions, each with a hundred and fifty trusts or
    # their ninety thousand respondents, would cost more than the rest of the analysis.
    ok = found.clusters >= 2
    half = t_quantiles(np.where(ok, found.clusters - 1, 1)) * np.where(ok, found.se, 0.0)
    ses: list[float | None] = found.se.tolist()
    cis: list[Interval | None] = np.column_stack((found.mean - half, found.mean + half)).tolist()
    for i in np.flatnonzero(~ok).tolist():
        ses[i] = cis[i] = None
    return ses, cis


def design_effect(se: float | None, total: float, squares: float, n: float) -> float | None:
    """se² over the variance an equal number of independent answers would give, s²/n (s² with divisor n − 1)."""
    if se is None or n < 2:
        return None
    variance = (squares - total * total / n) / (n - 1)
    return se * se / (variance / n) if variance > 0 else None


def icc(sums: np.ndarray, counts: np.ndarray, squares: float) -> float | None:
    """The one-way ANOVA intraclass correlation over clusters (MSB − MSW) / (MSB + (n₀ − 1)·MSW), from each
    cluster's sum and number of scored answers and the sum of the squared answers. It may be negative."""
    sums, counts = np.asarray(sums, dtype=np.float64).ravel(), np.asarray(counts, dtype=np.float64).ravel()
    used = counts > 0
    sums, counts = sums[used], counts[used]
    G, n = len(counts), float(counts.sum())
    if G < 2 or n - G <= 0:
        return None
    mean = float(sums.sum()) / n
    between = float((counts * (sums / counts - mean) ** 2).sum()) / (G - 1)
    within = (squares - float((sums * sums / counts).sum())) / (n - G)
    n0 = (n - float((counts * counts).sum()) / n) / (G - 1)
    denominator = between + (n0 - 1) * within
    return (between - within) / denominator if denominator else None


def standardised_means(sums: np.ndarray, counts: np.ndarray, weights: np.ndarray) -> list[float | None]:
    """Each trust's mean of its cell means (cells: [trust, audience, sector] sums and counts), weighted by the
    audience's quota (every sector alike), over the cells with a scored answer: Σ w·m / Σ w."""
    present = counts > 0
    means = np.divide(sums, counts, out=np.zeros(sums.shape), where=present)
    w = np.where(present, weights[None, :, None], 0.0)
    weight = w.sum(axis=(1, 2))
    weighted = (w * means).sum(axis=(1, 2))
    return [float(x / y) if y > 0 else None for x, y in zip(weighted, weight, strict=True)]


# --- the keys of contract section 3b, for one scope or question -------------------------------------------


def by_trust_clusters(cube: Cube, questions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score sums, scored answers), each [trust, audience, sector], over the questions: every national figure's
    clusters are its trusts."""
    sums: np.ndarray = cube.score_sum[..., questions].sum(axis=-1)
    counts: np.ndarray = cube.scored[..., questions].sum(axis=-1)
    return sums, counts


def _audience_columns(array: np.ndarray, audiences: dict[str, list[int]]) -> np.ndarray:
    """[trust, audience, ...] summed over each audience choice: [trust, choice, ...]."""
    return np.stack([array[:, indexes].sum(axis=1) for indexes in audiences.values()], axis=1)


def national_intervals(
    cube: Cube, keys: dict[str, np.ndarray], audiences: dict[str, list[int]]
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """For every scope or question (keys: their question indexes), at once: the responses' se and ci95 by
    audience (and all), and the sector means' ci95 by audience and sector, clustered by trust."""
    framework = cube.framework
    membership = _membership(len(framework.question_ids), keys)
    sums = _audience_columns(cube.score_sum.astype(np.float64) @ membership, audiences)  # [trust, choice, sector, key]
    counts = _audience_columns(cube.scored.astype(np.float64) @ membership, audiences)
    trusts, _, sectors, width = sums.shape
    ses, cis = intervals(
        clustered_columns(sums.sum(axis=2).reshape(trusts, -1), counts.sum(axis=2).reshape(trusts, -1))
    )
    by_sector = intervals(clustered_columns(sums.reshape(trusts, -1), counts.reshape(trusts, -1)))[1]
    out = {}
    for k, key in enumerate(keys):
        responses = {
            audience: {"se": ses[c * width + k], "ci95": cis[c * width + k]} for c, audience in enumerate(audiences)
        }
        sector_ci = {
            audience: {
                sector.id: by_sector[(c * sectors + s) * width + k] for s, sector in enumerate(framework.sectors)
            }
            for c, audience in enumerate(audiences)
        }
        out[key] = (responses, sector_ci)
    return out


def stage_intervals(cube: Cube, questions: np.ndarray, audiences: dict[str, list[int]]) -> dict[str, Any]:
    """As the stage means: only the audiences a stage is meant for count in it."""
    framework = cube.framework
    sums = cube.score_sum[..., questions].sum(axis=2)  # [trust, audience, question in scope]
    counts = cube.scored[..., questions].sum(axis=2)
    stage_of = np.array([framework.questions[q].stage for q in questions])
    wanted: list[tuple[str, str]] = []
    columns: list[tuple[np.ndarray, np.ndarray]] = []
    for audience, indexes in audiences.items():
        for stage in framework.stages:
            meant = [i for i in indexes if framework.audiences[i].id in stage.audiences]
            in_stage = stage_of == stage.id
            if meant and in_stage.any():
                wanted.append((audience, stage.id))
                columns.append(
                    (sums[:, meant][:, :, in_stage].sum(axis=(1, 2)), counts[:, meant][:, :, in_stage].sum(axis=(1, 2)))
                )
    out: dict[str, Any] = {audience: dict.fromkeys(s.id for s in framework.stages) for audience in audiences}
    if columns:
        cis = intervals(clustered_columns(np.stack([c[0] for c in columns], 1), np.stack([c[1] for c in columns], 1)))[
            1
        ]
        for (audience, stage_id), ci in zip(wanted, cis, strict=True):
            out[audience][stage_id] = ci
    return out


@dataclass(frozen=True)
class RespondentSums:
    """Each respondent's score sum and number of scored answers in each scope ([respondent, scope], whole
    numbers as float64)."""

    sums: np.ndarray
    counts: np.ndarray


BLOCK = 2048  # respondents at a time: each block's look-up, and numpy's index copy of it, stay in the cache


def respondent_sums(cube: Cube, scopes: dict[str, np.ndarray]) -> RespondentSums | None:
    """Each respondent's sums over each scope (its question indexes): a block of respondents at a time, their
    answers looked up as values and multiplied by a [question, scope] membership matrix. The sums are whole
    numbers far below 2⁵³, so float64 holds them exactly."""
    grid = cube.answers_by_respondent
    if grid is None:
        return None
    scale, questions = cube.framework.scale, grid.shape[1]
    largest = max(abs(a.score) for a in scale if a.score is not None)
    # Each scored answer's value is its score plus `unit`, so that one product sums both: a person's scores in
    # a scope add up to less than half a unit either way, and the units count the scored answers.
    unit = 2 ** math.ceil(math.log2(2 * questions * largest + 1))
    value = np.array([0] + [0 if a.score is None else a.score + unit for a in scale], dtype=np.float64)
    membership = _membership(questions, scopes)
    packed = np.empty((len(grid), len(scopes)))
    for start in range(0, len(grid), BLOCK):
        rows = slice(start, start + BLOCK)
        packed[rows] = np.take(value, grid[rows], mode="clip") @ membership
    counts = np.round(packed / unit)
    return RespondentSums(packed - counts * unit, counts)


def _membership(questions: int, scopes: dict[str, np.ndarray]) -> np.ndarray:
    """[question, scope]: 1 where the question is one of the scope's."""
    membership = np.zeros((questions, len(scopes)))
    for j, members in enumerate(scopes.values()):
        membership[members, j] = 1
    return membership


def trust_intervals(
    cube: Cube, scopes: dict[str, np.ndarray], by_respondent: RespondentSums | None
) -> dict[str, dict[str, Interval | None]]:
    """Each trust's own mean clustered by its respondents, for every scope (its question indexes) and every
    question, keyed by scope id or question id, then trust."""
    out: dict[str, dict[str, Interval | None]] = {}
    # A question: each respondent gives it one answer at most, so its respondents are its answers, and the
    # cube's sums of scores and of their squares are all it takes.
    total, n = (a.astype(np.float64) for a in cube.by_trust)  # [trust, question]
    mean = np.divide(total, n, out=np.zeros(n.shape), where=n > 0)
    squares = cube.score_squares_by_trust - mean * total
    cis = intervals(_estimates(n.ravel(), n.ravel(), mean.ravel(), np.maximum(squares, 0.0).ravel()))[1]
    width = len(cube.framework.question_ids)
    for j, q in enumerate(cube.framework.question_ids):
        out[q] = dict(zip(cube.trusts, cis[j::width], strict=True))  # [trust, question], flattened
    if by_respondent is None:
        return {scope: dict.fromkeys(cube.trusts) for scope in scopes} | out
    return _own(cube, by_respondent, list(scopes)) | out


def own_estimates(cube: Cube, by_respondent: RespondentSums) -> tuple[list[str], Estimates]:
    """The trusts with respondents, and each one's estimate for each column of the respondent sums (by trust,
    then column): its respondents are its clusters, summed over runs once each trust's are together."""
    order, starts, present = cube.respondents_by_trust  # type: ignore[misc]  # known whenever the sums are
    found = clustered_runs(by_respondent.sums[order], by_respondent.counts[order], starts)
    return [t for t, has in zip(cube.trusts, present, strict=True) if has], found


def _own(cube: Cube, by_respondent: RespondentSums, keys: list[str]) -> dict[str, dict[str, Interval | None]]:
    """Each trust's interval for each key (a column of the respondent sums)."""
    trusts, found = own_estimates(cube, by_respondent)
    cis = intervals(found)[1]
    return {
        key: dict.fromkeys(cube.trusts) | dict(zip(trusts, cis[j :: len(keys)], strict=True))
        for j, key in enumerate(keys)
    }


def stage_respondent_sums(cube: Cube, stages: dict[str, np.ndarray]) -> RespondentSums | None:
    """Each respondent's sums over each stage's questions (keyed by stage id), counting only the respondents of
    the audiences the stage is meant for, as the stage means count them."""
    found = respondent_sums(cube, stages)
    if found is None or cube.audience_of_respondent is None:
        return None
    framework = cube.framework
    by_id = {s.id: s for s in framework.stages}
    meant_for = np.array([[a.id in by_id[s].audiences for s in stages] for a in framework.audiences])
    meant = meant_for[cube.audience_of_respondent]  # [respondent, stage]
    return RespondentSums(np.where(meant, found.sums, 0.0), np.where(meant, found.counts, 0.0))


def trust_stage_intervals(cube: Cube) -> dict[str, dict[str, Interval | None]]:
    """Each trust's own interval for each stage, by stage id, then trust."""
    framework = cube.framework
    stages = {
        s.id: np.array([i for i, q in enumerate(framework.questions) if q.stage == s.id], dtype=np.int64)
        for s in framework.stages
    }
    found = stage_respondent_sums(cube, stages)
    if found is None:
        return {s: dict.fromkeys(cube.trusts) for s in stages}
    return _own(cube, found, list(stages))


def cronbach_alphas(
    cube: Cube, scopes: dict[str, np.ndarray], found: RespondentSums | None
) -> dict[str, tuple[float | None, int]]:
    """Cronbach's alpha of each scope over the respondents who scored every one of its questions, and how many
    they are: k/(k−1) · (1 − Σ var(question) / var(total)), variances with divisor N − 1. Only the complete
    respondents' answers are looked up (few: most people leave some question unscored).

    Scores are whole numbers, so alpha is worked out exactly from whole-number sums and rounded once: a float
    sum's last digit can depend on how the array happens to lie in memory, and the same data must give the same
    figure every time."""
    grid = cube.answers_by_respondent
    if found is None or grid is None:
        return dict.fromkeys(scopes, (None, 0))
    score = np.array([0] + [a.score or 0 for a in cube.framework.scale], dtype=np.int64)  # by grid value
    out: dict[str, tuple[float | None, int]] = {}
    for j, (scope, members) in enumerate(scopes.items()):
        k = len(members)
        complete = np.flatnonzero(found.counts[:, j] == k)
        if len(complete) < 2 or k < 2:
            out[scope] = (None, len(complete))
            continue
        answers = np.take(score, grid[np.ix_(complete, members)])  # [complete respondent, question]
        n = len(complete)
        total = _spread(n, answers.sum(axis=1))
        items = sum(_spread(n, answers[:, q]) for q in range(k))
        out[scope] = (float(Fraction(k, k - 1) * (1 - Fraction(items, total))) if total > 0 else None, n)
    return out


def _spread(n: int, values: np.ndarray) -> int:
    """n·Σx² − (Σx)² of n whole numbers, exactly: n(n − 1) times their variance (divisor n − 1)."""
    largest = int(np.abs(values).max(initial=0))
    if n * largest * largest >= 2**62:  # a sum of squares that could overflow 64 bits: Python's integers
        whole = [int(v) for v in values]
        return n * sum(v * v for v in whole) - sum(whole) ** 2
    return n * int(np.sum(values * values)) - int(np.sum(values)) ** 2


def scope_uncertainty(
    cube: Cube, questions: np.ndarray, responses_all: tuple[float, Interval] | None, alpha: tuple[float | None, int]
) -> dict[str, Any]:
    """design_effect, icc, alpha and alpha_n, and the standardised trust means of a scope."""
    framework = cube.framework
    sums, counts = by_trust_clusters(cube, questions)
    total, n = float(sums.sum()), float(counts.sum())
    squares = float(cube.score_squares_by_trust[:, questions].sum())
    weights = np.array([framework.quota.get(a.id, 0) for a in framework.audiences], dtype=np.float64)
    return {
        "trust_means_standardised": dict(zip(cube.trusts, standardised_means(sums, counts, weights), strict=True)),
        "design_effect": design_effect(None if responses_all is None else responses_all[0], total, squares, n),
        "icc": icc(sums.sum(axis=(1, 2)), counts.sum(axis=(1, 2)), squares),
        "alpha": alpha[0],
        "alpha_n": alpha[1],
    }


def clear(
    notable: dict[str, list[str]],
    stages: dict[str, Interval | None],
    sectors: dict[str, Interval | None],
    midpoint: float,
) -> dict[str, list[str]]:
    """The notable sectors and stages whose 95% interval (all audiences) lies wholly on their side of the midpoint."""

    def above(ci: Interval | None) -> bool:
        return ci is not None and ci[0] > midpoint

    def below(ci: Interval | None) -> bool:
        return ci is not None and ci[1] < midpoint

    return {
        "sectors_above": [s for s in notable["sectors_above"] if above(sectors[s])],
        "sectors_below": [s for s in notable["sectors_below"] if below(sectors[s])],
        "stages_above": [s for s in notable["stages_above"] if above(stages[s])],
        "stages_below": [s for s in notable["stages_below"] if below(stages[s])],
    }
