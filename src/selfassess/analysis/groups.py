"""Benchmark groups (contract section 3d): the trusts split by an attribute (region, type, size band...), each
group's figures as sections 3 and 3b define them over the group's trusts alone (its trusts the clusters), and
each trust's place in its group.

A group's figures are the engine's own statistics on the cube cut down to the group's trusts, so a definition
cannot drift between the national and the group figures. Ranks and notable differences are decided exactly,
from whole-number sums and counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from selfassess.analysis.cube import Cube
from selfassess.analysis.statistics import ALL, differs_notably, results

MIN_TRUSTS = 3  # a group's scope is shown only with this many trusts with a mean (two would give each other away)


def group_results(
    cube: Cube, found: dict[str, Any], groups: Mapping[str, str], attribute: str, min_trusts: int = MIN_TRUSTS
) -> dict[str, Any]:
    """The `groups` key of the results: `found` is the whole round's results (for each trust's own mean and
    interval), `groups` each trust's group (trusts absent from the data are ignored)."""
    members: dict[str, list[int]] = {}
    for i, trust in enumerate(cube.trusts):
        if trust in groups:
            members.setdefault(groups[trust], []).append(i)
    of = {group: _group(cube, rows, min_trusts) for group, rows in sorted(members.items())}
    trust_group = {
        cube.trusts[i]: {"group": group, "scopes": _places(cube, found, rows, i, of[group])}
        for group, rows in sorted(members.items())
        for i in rows
    }
    return {
        "attribute": attribute,
        "min_trusts": min_trusts,
        "of": of,
        "trust_group": dict(sorted(trust_group.items())),
    }


def _subcube(cube: Cube, rows: list[int]) -> Cube:
    """The cube of these trusts only, counts alone (a group's figures need nothing per respondent)."""
    return Cube(cube.framework, tuple(cube.trusts[i] for i in rows), cube.counts[rows], cube.respondents[rows])


def _group(cube: Cube, rows: list[int], min_trusts: int) -> dict[str, Any]:
    found = results(_subcube(cube, rows))
    trusts = sorted(cube.trusts[i] for i in rows)  # by code point, as the contract says
    return {
        "trusts": trusts,
        "scopes": {scope: _scope(stats, min_trusts) for scope, stats in found["scopes"].items()},
        "questions": {q: _question(stats, min_trusts) for q, stats in found["questions"].items()},
    }


def _responses(stats: dict[str, Any], shown: bool) -> dict[str, Any]:
    return {
        aud: {
            "n": r["scored"],
            "mean": r["mean"] if shown else None,
            "se": r["se"] if shown else None,
            "ci95": r["ci95"] if shown else None,
        }
        for aud, r in stats["responses"].items()
    }


def _with_mean(stats: dict[str, Any]) -> list[float]:
    return sorted(m for m in stats["trust_means"].values() if m is not None)


def _scope(stats: dict[str, Any], min_trusts: int) -> dict[str, Any]:
    means = _with_mean(stats)
    shown = len(means) >= min_trusts

    def hidden(by_audience: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {aud: {k: (v if shown else None) for k, v in values.items()} for aud, values in by_audience.items()}

    return {
        "shown": shown,
        "with_mean": len(means),
        "responses": _responses(stats, shown),
        "stage_means": hidden(stats["stage_means"]),
        "stage_ci95": hidden(stats["stage_ci95"]),
        "trust_means": {
            "best": means[-1] if shown and means else None,
            "median": _median(means) if shown and means else None,
            "lowest": means[0] if shown and means else None,
        },
    }


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _question(stats: dict[str, Any], min_trusts: int) -> dict[str, Any]:
    with_mean = len(_with_mean(stats))
    shown = with_mean >= min_trusts
    return {"shown": shown, "with_mean": with_mean, "responses": _responses(stats, shown)}


def _places(cube: Cube, found: dict[str, Any], rows: list[int], trust: int, group: dict[str, Any]) -> dict[str, Any]:
    """Where one trust stands in its group, scope by scope."""
    framework = cube.framework
    sums, counts = cube.by_trust  # [trust, question]
    position = {q: i for i, q in enumerate(framework.question_ids)}
    out = {}
    for scope in framework.scopes:
        questions = [position[q] for q in framework.scope_question_ids(scope)]
        pairs = {i: (int(sums[i, questions].sum()), int(counts[i, questions].sum())) for i in rows}
        mine = pairs[trust]
        stats, in_group = found["scopes"][scope], group["scopes"][scope]
        group_mean = in_group["responses"][ALL]["mean"]
        shown = in_group["shown"] and mine[1] > 0
        total = (sum(s for s, _ in pairs.values()), sum(n for _, n in pairs.values()))
        ci = stats["trust_ci95"][cube.trusts[trust]]
        out[scope] = {
            "rank": 1 + sum(_higher(pairs[i], mine) for i in rows if pairs[i][1]) if shown else None,
            "of": in_group["with_mean"],
            "difference": stats["trust_means"][cube.trusts[trust]] - group_mean if shown else None,
            "difference_ci95": [ci[0] - group_mean, ci[1] - group_mean] if shown and ci is not None else None,
            "notable": (differs_notably(mine, total, framework.notable) or None) if shown else None,
        }
    return out


def _higher(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether mean a is strictly higher than mean b, exactly."""
    return Fraction(a[0], a[1]) > Fraction(b[0], b[1])
