"""One trust's results beside the national picture, with the number of respondents each figure rests on.

The counts of respondents matter for anonymity: a trust report shows a figure only when enough people stand
behind it (see reports.suppression), so every figure here carries `respondents`: the number of distinct
respondents who gave at least one scored answer to it; and every national figure beside it carries
`national_respondents`, since a national figure is shown to the trust's coordinator too, and national minus
trust is the rest of the country. Whether the trust differs notably from the national figure is decided here,
exactly, from the sums (`difference`: 'above', 'below', '' or None where either has no score).
"""

from __future__ import annotations

from fractions import Fraction
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
    every = _every_trust(cube) if "groups" in results else {}
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
        if "groups" in results:  # benchmark groups asked for: None for a trust in no group
            profiles[trust]["group"] = _group(cube, t, results, contributors, stage_ci, every)
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
    difference = _less(own, national)
    return {"ci95": own, "difference_ci95": difference, "clear": _clear(difference)}


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
            **_how_sure(stats["trust_ci95"][trust], everyone["mean"]),
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


# --- the trust in its benchmark group (contract 3d) ----------------------------------------------------------


def _group(
    cube: Cube,
    t: int,
    results: dict[str, Any],
    contributors: Counts,
    stage_ci: dict[str, dict[str, list[float] | None]],
    every: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]],
) -> dict[str, Any] | None:
    """The trust against its benchmark group, practice by practice, stage by stage and question by question.

    Practices come from the results' `groups` key as the engine wrote it. Stages and questions extend it the same
    way: a stage's group mean is the contract's `stage_means`, and its best, lowest and place are worked out here,
    exactly, over the group's trusts' own stage means. Every figure carries the respondents of each of the group's
    trusts behind it (`respondents`, by trust): the suppression sees the group as this trust plus the others, and
    which trust holds the best and lowest means (`holders`, never shown), since those are one trust's figures.
    """
    framework = cube.framework
    groups = results["groups"]
    trust = cube.trusts[t]
    place = groups["trust_group"].get(trust)
    if place is None:
        return None
    name = place["group"]
    found = groups["of"][name]
    position = {code: i for i, code in enumerate(cube.trusts)}
    members = [position[code] for code in found["trusts"]]
    min_trusts = groups["min_trusts"]

    def counted(grouping: str, *key: str) -> dict[str, int]:
        return {cube.trusts[i]: _count(contributors[grouping], cube.trusts[i], *key) for i in members}

    scopes = {}
    for scope in framework.scopes:
        sums = _of(every, "scope", scope, members, cube)
        in_group, mine = found["scopes"][scope], place["scopes"][scope]
        everyone = in_group["responses"][ALL]
        scopes[scope] = {
            "mean": everyone["mean"],
            "ci95": everyone["ci95"],
            "shown": in_group["shown"],
            "best": in_group["trust_means"]["best"],
            "lowest": in_group["trust_means"]["lowest"],
            "rank": mine["rank"],
            "of": mine["of"],
            "difference_ci95": mine["difference_ci95"],
            "clear": _clear(mine["difference_ci95"]),
            "notable": mine["notable"] or "",
            "respondents": counted("overall") if scope == "overall" else counted("practice", scope),
            "holders": _holders(sums, trust) if in_group["shown"] else None,
        }
    overall = found["scopes"]["overall"]
    stages = {}
    for stage in framework.stages:
        sums = _of(every, "stage", stage.id, members, cube)
        means = [s / n for s, n in sums.values() if n]
        group_mean = overall["stage_means"][ALL][stage.id]
        # Contract 3d hides a group's stage means with its overall scope; a stage answered in fewer of its
        # trusts than that needs is held back too, as one trust's mean would be given away beside another's.
        shown = overall["shown"] and len(means) >= min_trusts and group_mean is not None
        difference_ci95 = _less(stage_ci[stage.id][trust], group_mean) if shown else None
        stages[stage.id] = {
            "mean": group_mean if shown else None,
            "ci95": overall["stage_ci95"][ALL][stage.id] if shown else None,
            "shown": shown,
            "best": max(means) if shown else None,
            "lowest": min(means) if shown else None,
            "rank": _rank(sums, trust) if shown else None,
            "of": len(means),
            "difference_ci95": difference_ci95,
            "clear": _clear(difference_ci95),
            "notable": _against(sums, trust, cube) if shown else "",
            "respondents": counted("stage", stage.id),
            "holders": _holders(sums, trust) if shown else None,
        }
    questions_out = {}
    for question in framework.questions:
        sums = _of(every, "question", question.id, members, cube)
        in_group = found["questions"][question.id]
        group_mean = in_group["responses"][ALL]["mean"] if in_group["shown"] else None
        own = results["questions"][question.id]["trust_ci95"][trust]
        difference_ci95 = _less(own, group_mean)
        questions_out[question.id] = {
            "mean": group_mean,
            "shown": in_group["shown"],
            "difference_ci95": difference_ci95,
            "clear": _clear(difference_ci95),
            "notable": _against(sums, trust, cube) if in_group["shown"] else "",
            "respondents": counted("question", question.id),
        }
    return {
        "name": name,
        "attribute": groups["attribute"],
        "trusts": len(members),
        "min_trusts": min_trusts,
        "scopes": scopes,
        "stages": stages,
        "questions": questions_out,
        "outside_stages": {"respondents": counted("outside")},
    }


def _every_trust(cube: Cube) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
    """(score sums, scored answers) of every trust, by (kind, id) for each practice, stage and question: worked
    out once for all trusts, since each group's figures need its members'."""
    framework = cube.framework
    sums, counts = cube.by_trust  # [trust, question]
    out = {}
    for scope in framework.scopes:
        questions = _scope_questions(cube, scope)
        out[("scope", scope)] = sums[:, questions].sum(axis=1), counts[:, questions].sum(axis=1)
    for stage in framework.stages:
        audiences, questions = _stage_cells(cube, stage)
        out[("stage", stage.id)] = (
            cube.score_sum[:, audiences][:, :, :, questions].sum(axis=(1, 2, 3)),
            cube.scored[:, audiences][:, :, :, questions].sum(axis=(1, 2, 3)),
        )
    for i, question in enumerate(framework.questions):
        out[("question", question.id)] = sums[:, i], counts[:, i]
    return out


def _of(
    every: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]], kind: str, key: str, members: list[int], cube: Cube
) -> dict[str, tuple[int, int]]:
    sums, counts = every[(kind, key)]
    return {cube.trusts[i]: (int(sums[i]), int(counts[i])) for i in members}


def _less(interval: list[float] | None, benchmark: float | None) -> list[float] | None:
    """An interval for a mean, less a benchmark taken as fixed: the difference's interval."""
    return None if interval is None or benchmark is None else [interval[0] - benchmark, interval[1] - benchmark]


def _clear(difference_ci95: list[float] | None) -> str | None:
    if difference_ci95 is None:
        return None
    return "above" if difference_ci95[0] > 0 else "below" if difference_ci95[1] < 0 else ""


def _rank(sums: dict[str, tuple[int, int]], trust: str) -> int | None:
    """1 + how many of the group's trusts have a strictly higher mean, compared exactly (ties share a place)."""
    mine = sums[trust]
    if not mine[1]:
        return None
    return 1 + sum(1 for s, n in sums.values() if n and s * mine[1] > mine[0] * n)


def _against(sums: dict[str, tuple[int, int]], trust: str, cube: Cube) -> str:
    """Whether the trust differs notably from its whole group (its own answers included), exactly."""
    total = (sum(s for s, _ in sums.values()), sum(n for _, n in sums.values()))
    return _difference(sums[trust], total, cube) or ""


def _holders(sums: dict[str, tuple[int, int]], trust: str) -> dict[str, str] | None:
    """Which trust holds the group's best and lowest mean: this one where it shares it, else the first by code.
    The suppression needs it (a best or lowest mean is one trust's figure); no report shows it."""
    with_mean = sorted((code for code, (_, n) in sums.items() if n), key=lambda code: (code != trust, code))
    if not with_mean:
        return None

    def key(code: str) -> Fraction:
        return Fraction(*sums[code])

    return {"best": max(with_mean, key=key), "lowest": min(with_mean, key=key)}
