"""A deliberately naive implementation of contract section 3, row by row with exact fractions.

It shares no code with the engine (no cube, no integer tricks): it reads the contract's definitions
literally, so the property tests can compare the two on random data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any, NamedTuple

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
            out.append(s)
        return out

    def responses(in_scope: Callable[[Row], bool]) -> dict[str, Any]:
        out = {}
        for audience in audiences:
            mine = [r for r in rows if in_scope(r) and audience_ok(r, audience)]
            counts = {code: sum(1 for r in mine if r.answer == code) for code in framework.answer_codes}
            scored = sum(1 for r in mine if score[r.answer] is not None)
            out[audience] = {
                **counts,
                "total": len(mine),
                "scored": scored,
                "mean": _mean(scores(in_scope, audience)),
                "pct_scored": Fraction(100 * scored, len(mine)) if mine else None,
            }
        return out

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
            },
            "audience_gaps_notable": {
                "overall": apart([responses(in_scope)[a]["mean"] for a in framework.audience_ids]),
                "stages": [s.id for s in framework.stages if apart([by_audience[a][s.id] for a in by_audience])],
                "sectors": [s for s in framework.sector_ids if apart([by_sector[a][s] for a in by_sector])],
            },
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
        }
    respondents = {(r.trust, r.respondent): r.audience for r in rows}
    by_trust = {t: {a for (tt, _), a in respondents.items() if tt == t} for t in trusts}
    out["counts"] = {
        "trusts": len(trusts),
        "trusts_with_both_audiences": sum(1 for a in by_trust.values() if a == set(framework.audience_ids)),
        "respondents": {
            **{a: sum(1 for v in respondents.values() if v == a) for a in framework.audience_ids},
            "all": len(respondents),
        },
    }
    return out
