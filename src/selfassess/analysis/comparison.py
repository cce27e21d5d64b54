"""What changed between two rounds (contract section 3c), from the two rounds' cubes.

Two rounds are compared over what both frameworks have: the questions with the same ids (the rest are listed as
left out), the practices, stages, sectors and audiences with the same ids, and the trusts with the same id. Every
mean is recomputed over those common questions, so a question dropped between rounds cannot pass for a change.
A change's interval treats the rounds as independent samples of clusters (conservative when the same trusts take
part): change ± t·sqrt(se_L² + se_E²), t on min(G_L, G_E) − 1 degrees of freedom.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

import numpy as np

from selfassess.analysis import uncertainty
from selfassess.analysis.cube import Cube
from selfassess.analysis.statistics import ALL, band_of, difference_at_least
from selfassess.framework import Framework
from selfassess.responses.table import natural_key


@dataclass(frozen=True)
class Estimate:
    """One mean with its cluster-robust standard error (None where fewer than two clusters) and clusters."""

    mean: float | None
    se: float | None
    clusters: int


@dataclass(frozen=True)
class ScopeFigures:
    """One round's figures for one scope, over the questions both rounds have."""

    responses: dict[str, Estimate]  # by audience id and "all"
    stages: dict[str, dict[str, Estimate]]  # by audience, then stage
    sectors: dict[str, dict[str, Estimate]]  # by audience, then sector
    trusts: dict[str, Estimate]  # each trust's own, its respondents the clusters
    sums: dict[str, tuple[int, int]]  # each trust's (score sum, scored answers), for exact decisions


def compare(earlier: Cube, later: Cube, label: str) -> dict[str, Any]:
    """The `comparison` block of the later round's results."""
    shared = set(earlier.framework.question_ids)
    common = [q for q in later.framework.question_ids if q in shared]
    scopes = _common_scopes(earlier.framework, later.framework, common)
    before, after = _figures(earlier, scopes), _figures(later, scopes)
    left_out = sorted(set(earlier.framework.question_ids) ^ set(later.framework.question_ids), key=natural_key)
    return {
        "earlier": {"framework": {"id": earlier.framework.id, "title": earlier.framework.title}, "label": label},
        "questions_left_out": left_out,
        "scopes": {
            scope: _scope_change(before[scope], after[scope], earlier.framework, later.framework) for scope in scopes
        },
    }


def _common_scopes(earlier: Framework, later: Framework, common: list[str]) -> dict[str, list[str]]:
    """The scope "overall" over every common question, and each practice both have over its common questions."""
    kept = set(common)
    scopes = {"overall": common}
    for practice in later.practices:
        if practice.id in earlier.practice_ids:
            questions = [q.id for q in practice.questions if q.id in kept]
            if questions:
                scopes[practice.id] = questions
    return scopes


def _figures(cube: Cube, scopes: dict[str, list[str]]) -> dict[str, ScopeFigures]:
    framework = cube.framework
    position = {q: i for i, q in enumerate(framework.question_ids)}
    indexes = {scope: np.array([position[q] for q in questions]) for scope, questions in scopes.items()}
    own = _own_estimates(cube, indexes)
    totals, counts = cube.by_trust
    return {
        scope: ScopeFigures(
            *_national_estimates(cube, questions),
            own[scope],
            {
                trust: (int(totals[t, questions].sum()), int(counts[t, questions].sum()))
                for t, trust in enumerate(cube.trusts)
            },
        )
        for scope, questions in indexes.items()
    }


def _national_estimates(
    cube: Cube, questions: np.ndarray
) -> tuple[dict[str, Estimate], dict[str, dict[str, Estimate]], dict[str, dict[str, Estimate]]]:
    """The responses', stage means' and sector means' estimates over `questions`, by audience (and all), with
    the trusts as clusters. Only the audiences a stage is meant for count in it, as in the stage means."""
    framework = cube.framework
    sums = cube.score_sum[..., questions]  # [trust, audience, sector, question]
    scored = cube.scored[..., questions]
    stage_of = np.array([framework.questions[q].stage for q in questions])
    choices = {a.id: [i] for i, a in enumerate(framework.audiences)} | {ALL: list(range(len(framework.audiences)))}
    keys: list[tuple[str, ...]] = []
    columns: list[tuple[np.ndarray, np.ndarray]] = []

    def add(key: tuple[str, ...], audiences: list[int], sectors: Any, in_scope: Any) -> None:
        keys.append(key)
        columns.append(tuple(a[:, audiences][:, :, sectors][..., in_scope].sum(axis=(1, 2, 3)) for a in (sums, scored)))

    everything = slice(None)
    for choice, audiences in choices.items():
        add(("responses", choice), audiences, everything, everything)
        for stage in framework.stages:
            meant = [i for i in audiences if framework.audiences[i].id in stage.audiences]
            if meant and (stage_of == stage.id).any():
                add(("stage", choice, stage.id), meant, everything, stage_of == stage.id)
        for s, sector in enumerate(framework.sectors):
            add(("sector", choice, sector.id), audiences, [s], everything)
    found = uncertainty.clustered_columns(np.stack([c[0] for c in columns], 1), np.stack([c[1] for c in columns], 1))
    estimates = {key: _estimate(found, k) for k, key in enumerate(keys)}
    responses = {choice: estimates[("responses", choice)] for choice in choices}
    stages = {
        choice: {s.id: estimates.get(("stage", choice, s.id), NONE) for s in framework.stages} for choice in choices
    }
    sectors = {choice: {s.id: estimates[("sector", choice, s.id)] for s in framework.sectors} for choice in choices}
    return responses, stages, sectors


NONE = Estimate(None, None, 0)


def _estimate(found: uncertainty.Estimates, k: int) -> Estimate:
    clusters = int(found.clusters[k])
    if clusters == 0:
        return NONE
    se = float(found.se[k])
    return Estimate(float(found.mean[k]), None if math.isnan(se) else se, clusters)


def _own_estimates(cube: Cube, scopes: dict[str, np.ndarray]) -> dict[str, dict[str, Estimate]]:
    """Each trust's own estimate per scope, its respondents the clusters."""
    return _per_trust(cube, uncertainty.respondent_sums(cube, scopes), list(scopes))


def _per_trust(
    cube: Cube, by_respondent: uncertainty.RespondentSums | None, keys: list[str]
) -> dict[str, dict[str, Estimate]]:
    """Each trust's estimate for each key (a column of the respondent sums), its respondents the clusters."""
    if by_respondent is None:
        return {key: dict.fromkeys(cube.trusts, NONE) for key in keys}
    trusts, found = uncertainty.own_estimates(cube, by_respondent)
    return {
        key: dict.fromkeys(cube.trusts, NONE)
        | {trust: _estimate(found, i * len(keys) + j) for i, trust in enumerate(trusts)}
        for j, key in enumerate(keys)
    }


def trust_stage_changes(earlier: Cube, later: Cube) -> dict[str, dict[str, dict[str, Any]]]:
    """Each trust's own change at each stage both frameworks have, over the common questions, counting the
    audiences the stage is meant for (in each round, by that round's framework), by trust then stage."""
    shared = set(earlier.framework.question_ids)
    stage_ids = [s for s in later.framework.stage_ids if s in earlier.framework.stage_ids]
    before, after = (_own_stage_estimates(cube, stage_ids, shared) for cube in (earlier, later))
    trusts = sorted(set(earlier.trusts) | set(later.trusts), key=natural_key)
    return {t: {s: change(before[s].get(t, NONE), after[s].get(t, NONE)) for s in stage_ids} for t in trusts}


def _own_stage_estimates(cube: Cube, stage_ids: list[str], shared: set[str]) -> dict[str, dict[str, Estimate]]:
    framework = cube.framework
    stages = {
        s: np.array([i for i, q in enumerate(framework.questions) if q.stage == s and q.id in shared], dtype=np.int64)
        for s in stage_ids
    }
    return _per_trust(cube, uncertainty.stage_respondent_sums(cube, stages), stage_ids)


def change(earlier: Estimate, later: Estimate) -> dict[str, Any]:
    """`change` and `change_ci95` of two estimates of the same mean, with the two means beside them (keys
    beyond contract 3c's, as `responses` has them, so that a report need not subtract)."""
    means = {"earlier_mean": earlier.mean, "later_mean": later.mean}
    if earlier.mean is None or later.mean is None:
        return {**means, "change": None, "change_ci95": None}
    difference = later.mean - earlier.mean
    if earlier.se is None or later.se is None:
        return {**means, "change": difference, "change_ci95": None}
    half = uncertainty.t975(min(earlier.clusters, later.clusters) - 1) * math.hypot(earlier.se, later.se)
    return {**means, "change": difference, "change_ci95": [difference - half, difference + half]}


def _scope_change(before: ScopeFigures, after: ScopeFigures, earlier: Framework, later: Framework) -> dict[str, Any]:
    audiences = [a for a in later.audience_ids if a in earlier.audience_ids] + [ALL]
    stages = [s for s in later.stage_ids if s in earlier.stage_ids]
    sectors = [s for s in later.sector_ids if s in earlier.sector_ids]
    trusts = sorted(set(before.trusts) | set(after.trusts), key=natural_key)
    trust_change = {t: change(before.trusts.get(t, NONE), after.trusts.get(t, NONE)) for t in trusts}
    return {
        "responses": {a: change(before.responses[a], after.responses[a]) for a in audiences},
        "stage_change": {a: {s: change(before.stages[a][s], after.stages[a][s]) for s in stages} for a in audiences},
        "sector_change": {
            a: {s: change(before.sectors[a][s], after.sectors[a][s]) for s in sectors} for a in audiences
        },
        "trust_change": trust_change,
        **_matched(before, after, trust_change, earlier, later),
    }


def _matched(
    before: ScopeFigures,
    after: ScopeFigures,
    trust_change: dict[str, dict[str, Any]],
    earlier: Framework,
    later: Framework,
) -> dict[str, Any]:
    """`matched` and `band_transitions`: the trusts with a mean in the scope in both rounds."""
    both = [t for t in after.sums if t in before.sums and before.sums[t][1] and after.sums[t][1]]
    d = [after.sums[t][0] / after.sums[t][1] - before.sums[t][0] / before.sums[t][1] for t in both]
    ci = None
    if len(d) >= 2:
        half = uncertainty.t975(len(d) - 1) * statistics.stdev(d) / math.sqrt(len(d))
        ci = [statistics.fmean(d) - half, statistics.fmean(d) + half]
    notable = later.notable
    clear = [trust_change[t]["change_ci95"] for t in both]
    transitions = {b.id: {c.id: 0 for c in later.bands} for b in earlier.bands}
    for t in both:
        transitions[band_of(*before.sums[t], earlier.bands)][band_of(*after.sums[t], later.bands)] += 1
    return {
        "matched": {
            "trusts": len(both),
            "mean_change": statistics.fmean(d) if d else None,
            "ci95": ci,
            "improved_notably": sum(difference_at_least(after.sums[t], before.sums[t], notable) for t in both),
            "declined_notably": sum(difference_at_least(before.sums[t], after.sums[t], notable) for t in both),
            "improved_clearly": sum(1 for c in clear if c is not None and c[0] > 0),
            "declined_clearly": sum(1 for c in clear if c is not None and c[1] < 0),
        },
        "band_transitions": transitions,
    }
