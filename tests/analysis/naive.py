"""A deliberately naive implementation of contract section 3, row by row with exact fractions.

It shares no code with the engine (no cube, no integer tricks): it reads the contract's definitions
literally, so the property tests can compare the two on random data.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import partial
from typing import Any, NamedTuple

from scipy.stats import t as student_t

from selfassess.framework import Framework


class Row(NamedTuple):
    trust: str
    respondent: str
    sector: str
    audience: str
    question: str
    answer: str


def _mean(values: list[int]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def _clustered(pairs: list[tuple[Any, int]]) -> tuple[float, list[float]] | None:
    """Contract 3b's cluster-robust se and 95% interval, read literally: pairs of (cluster, score)."""
    sums: dict[Any, int] = defaultdict(int)
    counts: dict[Any, int] = defaultdict(int)
    for cluster, value in pairs:
        sums[cluster] += value
        counts[cluster] += 1
    G, n = len(counts), sum(counts.values())
    if G < 2:
        return None
    mean = sum(sums.values()) / n
    se = math.sqrt(G / (G - 1) * sum((sums[g] - mean * counts[g]) ** 2 for g in counts)) / n
    t = float(student_t.ppf(0.975, G - 1))
    return se, [mean - t * se, mean + t * se]


def _ci(found: tuple[float, list[float]] | None) -> list[float] | None:
    return None if found is None else found[1]


def _icc(pairs: list[tuple[Any, int]]) -> float | None:
    """The one-way ANOVA estimator of contract 3b, from the groups' lists of values."""
    groups: dict[Any, list[int]] = defaultdict(list)
    for cluster, value in pairs:
        groups[cluster].append(value)
    G, n = len(groups), sum(len(v) for v in groups.values())
    if G < 2 or n - G <= 0:
        return None
    grand = sum(sum(v) for v in groups.values()) / n
    between = sum(len(v) * (sum(v) / len(v) - grand) ** 2 for v in groups.values()) / (G - 1)
    within = sum((x - sum(v) / len(v)) ** 2 for v in groups.values() for x in v) / (n - G)
    n0 = (n - sum(len(v) ** 2 for v in groups.values()) / n) / (G - 1)
    denominator = between + (n0 - 1) * within
    return (between - within) / denominator if denominator else None


def naive_results(rows: list[Row], framework: Framework, trust_order: Iterable[str]) -> dict[str, Any]:
    score = {a.code: a.score for a in framework.scale}
    stage_of = {q.id: q.stage for q in framework.questions}
    practice_of = {q.id: q.practice for q in framework.questions}
    trusts = list(trust_order)
    audiences = [*framework.audience_ids, "all"]

    def audience_ok(r: Row, audience: str) -> bool:
        return audience == "all" or r.audience == audience

    def scores(
        in_scope: Callable[[Row], bool],
        audience: str = "all",
        trust: str | None = None,
        sector: str | None = None,
        stage: str | None = None,
    ) -> list[int]:
        """Scores of the rows in scope that match every condition given."""
        return [score[r.answer] for r in scored_rows(in_scope, audience, trust, sector, stage)]  # type: ignore[misc]

    def scored_rows(
        in_scope: Callable[[Row], bool],
        audience: str = "all",
        trust: str | None = None,
        sector: str | None = None,
        stage: str | None = None,
    ) -> list[Row]:
        out = []
        for r in rows:
            s = score[r.answer]
            if s is None or not in_scope(r) or not audience_ok(r, audience):
                continue
            if trust is not None and r.trust != trust:
                continue
            if sector is not None and r.sector != sector:
                continue
            if stage is not None and (
                stage_of[r.question] != stage or r.audience not in framework.stage(stage).audiences
            ):
                continue
            out.append(r)
        return out

    def by_trust(selected: list[Row]) -> list[tuple[Any, int]]:
        return [(r.trust, score[r.answer]) for r in selected]  # type: ignore[misc]

    def by_respondent(selected: list[Row]) -> list[tuple[Any, int]]:
        return [((r.trust, r.respondent), score[r.answer]) for r in selected]  # type: ignore[misc]

    def responses(in_scope: Callable[[Row], bool]) -> dict[str, Any]:
        out = {}
        for audience in audiences:
            mine = [r for r in rows if in_scope(r) and audience_ok(r, audience)]
            counts = {code: sum(1 for r in mine if r.answer == code) for code in framework.answer_codes}
            scored = sum(1 for r in mine if score[r.answer] is not None)
            found = _clustered(by_trust(scored_rows(in_scope, audience)))
            out[audience] = {
                **counts,
                "total": len(mine),
                "scored": scored,
                "mean": _mean(scores(in_scope, audience)),
                "pct_scored": Fraction(100 * scored, len(mine)) if mine else None,
                "se": None if found is None else found[0],
                "ci95": _ci(found),
            }
        return out

    def sector_ci(in_scope: Callable[[Row], bool]) -> dict[str, Any]:
        return {
            audience: {
                s: _ci(_clustered(by_trust(scored_rows(in_scope, audience, sector=s)))) for s in framework.sector_ids
            }
            for audience in audiences
        }

    def stage_ci(in_scope: Callable[[Row], bool]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for audience in audiences:
            out[audience] = {}
            for stage in framework.stages:
                if audience != "all" and audience not in stage.audiences:
                    out[audience][stage.id] = None
                    continue
                out[audience][stage.id] = _ci(_clustered(by_trust(scored_rows(in_scope, audience, stage=stage.id))))
        return out

    def trust_ci(in_scope: Callable[[Row], bool]) -> dict[str, Any]:
        return {t: _ci(_clustered(by_respondent(scored_rows(in_scope, trust=t)))) for t in trusts}

    def uncertainty_part(in_scope: Callable[[Row], bool], questions: list[str]) -> dict[str, Any]:
        chosen = scored_rows(in_scope)
        values: list[int] = [score[r.answer] for r in chosen]  # type: ignore[misc]  # scored rows only
        found = _clustered(by_trust(chosen))
        effect = None
        if found is not None and len(values) > 1 and statistics.variance(values) > 0:
            effect = found[0] ** 2 / (statistics.variance(values) / len(values))
        standardised: dict[str, float | None] = {}
        for t in trusts:
            cells: dict[tuple[str, str], list[int]] = defaultdict(list)
            for r in chosen:
                if r.trust == t:
                    cells[(r.sector, r.audience)].append(score[r.answer])  # type: ignore[arg-type]
            weighted = [(framework.quota.get(a, 0), sum(v) / len(v)) for (_, a), v in cells.items()]
            weight = sum(w for w, _ in weighted)
            standardised[t] = sum(w * m for w, m in weighted) / weight if weight else None
        answered: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        for r in chosen:
            answered[(r.trust, r.respondent)][r.question] = score[r.answer]  # type: ignore[assignment]
        complete = [[a[q] for q in questions] for a in answered.values() if all(q in a for q in questions)]
        alpha = None
        if len(complete) > 1 and len(questions) > 1:
            total = statistics.variance([sum(c) for c in complete])
            items = sum(statistics.variance([c[i] for c in complete]) for i in range(len(questions)))
            alpha = len(questions) / (len(questions) - 1) * (1 - items / total) if total else None
        return {
            "trust_means_standardised": standardised,
            "design_effect": effect,
            "icc": _icc(by_trust(chosen)),
            "alpha": alpha,
            "alpha_n": len(complete),
        }

    top, bottom = max(s for s in score.values() if s is not None), min(s for s in score.values() if s is not None)
    mid, notable = framework.midpoint, framework.notable

    def trust_part(in_scope: Callable[[Row], bool]) -> dict[str, Any]:
        means = {t: _mean(scores(in_scope, trust=t)) for t in trusts}
        bands = {b.id: 0 for b in framework.bands}
        band_of: dict[str, str | None] = dict.fromkeys(trusts)
        for t, m in means.items():
            if m is None:
                continue
            for b in framework.bands:
                if (b.lower is None or m >= b.lower) and (b.upper is None or m < b.upper):
                    bands[b.id] += 1
                    band_of[t] = b.id
        present = [m for m in means.values() if m is not None]
        return {
            "trust_means": means,
            "trust_band": band_of,
            "trust_bands": {
                **bands,
                "at_or_above_midpoint": sum(1 for m in present if m >= framework.midpoint),
                "no_score": sum(1 for m in means.values() if m is None),
            },
            "trust_counts": {
                "notably_above_midpoint": sum(1 for m in present if m >= mid + notable),
                "within_notable_of_midpoint": sum(1 for m in present if mid - notable <= m < mid + notable),
                "nearer_top_than_midpoint": sum(1 for m in present if m - mid >= top - m),
                "nearer_bottom_than_midpoint": sum(1 for m in present if mid - m > m - bottom),
            },
            "trust_mean_min": min(present, default=None),
            "trust_mean_max": max(present, default=None),
        }

    def sector_means(in_scope: Callable[[Row], bool]) -> dict[str, Any]:
        return {
            audience: {s: _mean(scores(in_scope, audience, sector=s)) for s in framework.sector_ids}
            for audience in audiences
        }

    def stage_means(in_scope: Callable[[Row], bool]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for audience in audiences:
            out[audience] = {}
            for stage in framework.stages:
                if audience != "all" and audience not in stage.audiences:
                    out[audience][stage.id] = None
                    continue
                out[audience][stage.id] = _mean(scores(in_scope, audience, stage=stage.id))
        return out

    high = framework.midpoint + framework.notable
    low = framework.midpoint - framework.notable
    out: dict[str, Any] = {"scopes": {}, "questions": {}}
    for scope in framework.scopes:

        def in_scope(r: Row, scope: str = scope) -> bool:
            return scope == "overall" or practice_of[r.question] == scope

        sectors = sector_means(in_scope)["all"]
        stages = stage_means(in_scope)["all"]

        def apart(means: list[Fraction | None]) -> bool:
            present = [m for m in means if m is not None]
            return len(present) > 1 and max(present) - min(present) >= notable

        by_audience = {a: stage_means(in_scope)[a] for a in framework.audience_ids}
        by_sector = {a: sector_means(in_scope)[a] for a in framework.audience_ids}
        sector_intervals, stage_intervals = sector_ci(in_scope), stage_ci(in_scope)
        midpoint = float(mid)
        out["scopes"][scope] = {
            "questions": len(framework.scope_question_ids(scope)),
            "responses": responses(in_scope),
            **trust_part(in_scope),
            "stage_means": stage_means(in_scope),
            "sector_means": sector_means(in_scope),
            "notable": {
                "sectors_above": [s for s, m in sectors.items() if m is not None and m >= high],
                "sectors_below": [s for s, m in sectors.items() if m is not None and m < low],
                "stages_above": [s for s, m in stages.items() if m is not None and m >= high],
                "stages_below": [s for s, m in stages.items() if m is not None and m < low],
                "clear": {
                    "sectors_above": [
                        s
                        for s, m in sectors.items()
                        if m is not None and m >= high and (sector_intervals["all"][s] or [0, 0])[0] > midpoint
                    ],
                    "sectors_below": [
                        s
                        for s, m in sectors.items()
                        if m is not None and m < low and (sector_intervals["all"][s] or [9e9, 9e9])[1] < midpoint
                    ],
                    "stages_above": [
                        s
                        for s, m in stages.items()
                        if m is not None and m >= high and (stage_intervals["all"][s] or [0, 0])[0] > midpoint
                    ],
                    "stages_below": [
                        s
                        for s, m in stages.items()
                        if m is not None and m < low and (stage_intervals["all"][s] or [9e9, 9e9])[1] < midpoint
                    ],
                },
            },
            "audience_gaps_notable": {
                "overall": apart([responses(in_scope)[a]["mean"] for a in framework.audience_ids]),
                "stages": [s.id for s in framework.stages if apart([by_audience[a][s.id] for a in by_audience])],
                "sectors": [s for s in framework.sector_ids if apart([by_sector[a][s] for a in by_sector])],
            },
            "trust_ci95": trust_ci(in_scope),
            "stage_ci95": stage_intervals,
            "sector_ci95": sector_intervals,
            **uncertainty_part(in_scope, list(framework.scope_question_ids(scope))),
        }
    for question in framework.questions:

        def on_question(r: Row, q: str = question.id) -> bool:
            return r.question == q

        out["questions"][question.id] = {
            "practice": question.practice,
            "stage": question.stage,
            "responses": responses(on_question),
            **trust_part(on_question),
            "sector_means": sector_means(on_question),
            "trust_ci95": trust_ci(on_question),
            "sector_ci95": sector_ci(on_question),
        }
    respondents = {(r.trust, r.respondent): r.audience for r in rows}
    audiences_of = {t: {a for (tt, _), a in respondents.items() if tt == t} for t in trusts}
    out["counts"] = {
        "trusts": len(trusts),
        "trusts_with_both_audiences": sum(1 for a in audiences_of.values() if a == set(framework.audience_ids)),
        "respondents": {
            **{a: sum(1 for v in respondents.values() if v == a) for a in framework.audience_ids},
            "all": len(respondents),
        },
    }
    return out


def _estimate(pairs: list[tuple[Any, int]]) -> tuple[Fraction | None, float | None, int]:
    """(mean, cluster-robust se or None, clusters) of (cluster, score) pairs, read from contract 3b."""
    clusters = len({c for c, _ in pairs})
    found = _clustered(pairs)
    return _mean([v for _, v in pairs]), None if found is None else found[0], clusters


def _change(before: tuple[Fraction | None, float | None, int], after: tuple[Fraction | None, float | None, int]) -> Any:
    (m1, se1, g1), (m2, se2, g2) = before, after
    means = {"earlier_mean": _float(m1), "later_mean": _float(m2)}
    if m1 is None or m2 is None:
        return {**means, "change": None, "change_ci95": None}
    change = float(m2 - m1)
    if se1 is None or se2 is None:
        return {**means, "change": change, "change_ci95": None}
    half = float(student_t.ppf(0.975, min(g1, g2) - 1)) * math.sqrt(se1**2 + se2**2)
    return {**means, "change": change, "change_ci95": [change - half, change + half]}


def naive_comparison(
    earlier_rows: list[Row], later_rows: list[Row], earlier: Framework, later: Framework, label: str
) -> dict[str, Any]:
    """Contract 3c read literally, row by row: what changed between two rounds over what both frameworks have."""
    common = [q for q in later.question_ids if q in earlier.question_ids]
    scopes = {"overall": common}
    for p in later.practices:
        if p.id in earlier.practice_ids and [q.id for q in p.questions if q.id in common]:
            scopes[p.id] = [q.id for q in p.questions if q.id in common]
    audiences = [a for a in later.audience_ids if a in earlier.audience_ids] + ["all"]
    stages = [s for s in later.stage_ids if s in earlier.stage_ids]
    sectors = [s for s in later.sector_ids if s in earlier.sector_ids]

    def scored(rows: list[Row], framework: Framework, questions: list[str]) -> list[tuple[Row, int]]:
        score = {a.code: a.score for a in framework.scale}
        return [(r, score[r.answer]) for r in rows if r.question in questions and score[r.answer] is not None]  # type: ignore[misc]

    out: dict[str, Any] = {}
    for scope, questions in scopes.items():
        rounds = [
            (scored(earlier_rows, earlier, questions), earlier),
            (scored(later_rows, later, questions), later),
        ]

        def each(keep: Callable[[Row, Framework], bool], rounds: list[Any] = rounds) -> list[Any]:
            return [_estimate([(r.trust, v) for r, v in found if keep(r, f)]) for found, f in rounds]

        responses = {}
        for a in audiences:
            responses[a] = _change(*each(partial(_counted, audience=a)))
        stage_change = {
            a: {s: _change(*each(partial(_counted, audience=a, stage=s))) for s in stages} for a in audiences
        }
        sector_change = {
            a: {s: _change(*each(partial(_counted, audience=a, sector=s))) for s in sectors} for a in audiences
        }
        trusts = sorted({r.trust for r in earlier_rows} | {r.trust for r in later_rows}, key=_natural)
        own = {
            t: [_estimate([(r.respondent, v) for r, v in found if r.trust == t]) for found, _ in rounds] for t in trusts
        }
        trust_change = {t: _change(*own[t]) for t in trusts}
        means = {t: [m for m, _, _ in own[t]] for t in trusts}
        both = [t for t in trusts if None not in means[t]]
        d = [means[t][1] - means[t][0] for t in both]  # type: ignore[operator]
        ci = None
        if len(d) >= 2:
            mean_d = float(sum(d) / len(d))
            half = float(student_t.ppf(0.975, len(d) - 1)) * statistics.stdev([float(x) for x in d]) / math.sqrt(len(d))
            ci = [mean_d - half, mean_d + half]
        transitions = {b.id: {c.id: 0 for c in later.bands} for b in earlier.bands}
        for t in both:
            transitions[_band(means[t][0], earlier)][_band(means[t][1], later)] += 1  # type: ignore[arg-type]
        changes = [trust_change[t]["change_ci95"] for t in both]
        out[scope] = {
            "responses": responses,
            "stage_change": stage_change,
            "sector_change": sector_change,
            "trust_change": trust_change,
            "matched": {
                "trusts": len(both),
                "mean_change": float(sum(d) / len(d)) if d else None,
                "ci95": ci,
                "improved_notably": sum(1 for x in d if x >= later.notable),
                "declined_notably": sum(1 for x in d if x <= -later.notable),
                "improved_clearly": sum(1 for c in changes if c is not None and c[0] > 0),
                "declined_clearly": sum(1 for c in changes if c is not None and c[1] < 0),
            },
            "band_transitions": transitions,
        }
    left_out = sorted(set(earlier.question_ids) ^ set(later.question_ids), key=_natural)
    return {
        "earlier": {"framework": {"id": earlier.id, "title": earlier.title}, "label": label},
        "questions_left_out": left_out,
        "scopes": out,
    }


def _counted(r: Row, f: Framework, audience: str, stage: str | None = None, sector: str | None = None) -> bool:
    """Does the answer count in the figure for this audience ("all": any), stage (only the audiences the
    stage is meant for) or sector?"""
    if audience != "all" and r.audience != audience:
        return False
    if stage is not None:
        meant = next(x for x in f.stages if x.id == stage).audiences
        return f.question_by_id[r.question].stage == stage and r.audience in meant
    return sector is None or r.sector == sector


def _float(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def _natural(text: str) -> list[Any]:
    import re

    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _band(mean: Fraction, framework: Framework) -> str:
    return next(
        b.id for b in framework.bands if (b.lower is None or mean >= b.lower) and (b.upper is None or mean < b.upper)
    )
