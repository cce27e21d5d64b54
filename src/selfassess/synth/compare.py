"""The published 2009 figure beside the reproduced one, for every item the synthetic round is calibrated to."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from selfassess.synth.targets import AUDIENCES, CODES, FL, LM, PRACTICES, SECTORS, published

SCOPES = ("overall", *PRACTICES)


@dataclass(frozen=True)
class Item:
    what: str
    published: str
    reproduced: str
    ok: bool


def _two(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _same2(x: float | None, y: float) -> Item | bool:
    return x is not None and f"{x:.2f}" == f"{y:.2f}"


def compare(results: dict[str, Any]) -> list[Item]:
    return list(_items(results))


def problems(results: dict[str, Any]) -> list[str]:
    return [f"{i.what}: published {i.published}, reproduced {i.reproduced}" for i in compare(results) if not i.ok]


def _items(results: dict[str, Any]) -> Iterator[Item]:
    pub = published()
    scopes = results["scopes"]
    counts = results["counts"]
    yield Item("trusts", "150", str(counts["trusts"]), counts["trusts"] == 150)
    both = counts["trusts_with_both_audiences"]
    yield Item("trusts with both audiences", "148", str(both), both == 148)

    for scope in SCOPES:
        for group in (*AUDIENCES, "all"):
            figures, ours = pub["workforce_responses"][scope][group], scopes[scope]["responses"][group]
            for key in (*CODES, "total", "scored"):
                yield Item(
                    f"{scope} {group} responses {key}",
                    f"{figures[key]:,}",
                    f"{ours[key]:,}",
                    abs(ours[key] - figures[key]) <= 500,
                )
            yield Item(
                f"{scope} {group} mean",
                _two(figures["mean"]),
                _two(ours["mean"]),
                bool(_same2(ours["mean"], figures["mean"])),
            )
            pct = ours["pct_scored"]
            yield Item(
                f"{scope} {group} per cent scored",
                f"{figures['pct_scored']}",
                f"{pct:.1f}",
                pct is not None and abs(pct - figures["pct_scored"]) <= 0.5,
            )

    for scope in SCOPES:
        bands, ours = pub["trust_mean_bands"][scope], scopes[scope]["trust_bands"]
        for band, n in bands.items():
            yield Item(f"{scope} trusts {band}", str(n), str(ours[band]), ours[band] == n)
        yield Item(f"{scope} trusts with no score", "0", str(ours["no_score"]), ours["no_score"] == 0)
        extremes = pub["trust_mean_extremes"][scope]
        low, high = scopes[scope]["trust_mean_min"], scopes[scope]["trust_mean_max"]
        yield Item(f"{scope} lowest trust mean", _two(extremes["min"]), _two(low), bool(_same2(low, extremes["min"])))
        yield Item(
            f"{scope} highest trust mean", _two(extremes["max"]), _two(high), bool(_same2(high, extremes["max"]))
        )
        under_two = sum(1 for m in scopes[scope]["trust_means"].values() if m is not None and m < 2)
        expected = extremes.get("trusts_below_2", 0)
        yield Item(f"{scope} trusts under 2", str(expected), str(under_two), under_two == expected)

    for scope in SCOPES:
        rule, ours = pub["notable_vs_midpoint"][scope], scopes[scope]["notable"]
        for key in ("sectors_above", "sectors_below", "stages_above", "stages_below"):
            yield Item(
                f"Table 9.1 {scope} {key}",
                ", ".join(rule[key]) or "none",
                ", ".join(ours[key]) or "none",
                set(rule[key]) == set(ours[key]),
            )

    yield from _quoted(scopes)
    yield from _patterns(scopes)


def _quoted(scopes: dict[str, Any]) -> Iterator[Item]:
    caf_b = scopes["caf"]["stage_means"]
    for group, value in ((LM, 3.07), (FL, 2.53)):
        x = caf_b[group]["B"]
        yield Item(f"CAF ownership (stage B), {group} (6.11)", _two(value), _two(x), bool(_same2(x, value)))
    third = scopes["overall"]["sector_means"]
    for group, value in ((LM, 2.89), (FL, 3.04)):
        x = third[group]["third_sector"]
        yield Item(f"third sector overall, {group} (1.16)", _two(value), _two(x), bool(_same2(x, value)))
    gaps = {s: abs(third[LM][s] - third[FL][s]) for s in SECTORS}
    widest = max(gaps, key=lambda s: gaps[s])
    yield Item("largest audience gap of any sector (1.16)", "third_sector", widest, widest == "third_sector")
    x = scopes["caf"]["sector_means"]["all"]["sport_culture"]
    yield Item("CAF sport and culture (6.13)", "2.56", _two(x), bool(_same2(x, 2.56)))
    stages = scopes["overall"]["stage_means"]["all"]
    for stage, value in (("A", 3.4), ("H", 2.7)):
        yield Item(
            f"overall stage {stage} (1.18)", f"~{value}", _two(stages[stage]), abs(stages[stage] - value) <= 0.05
        )
    sectors = scopes["overall"]["sector_means"]["all"]
    for sector, value in (("social_family_community", 3.2), ("sport_culture", 2.7)):
        x = sectors[sector]
        yield Item(f"overall {sector} (1.17)", f"~{value}", _two(x), abs(x - value) <= 0.05)


def _lowest(means: dict[str, float | None]) -> str:
    return min((s for s in means if means[s] is not None), key=lambda s: means[s])  # type: ignore[arg-type,return-value]


def _patterns(scopes: dict[str, Any]) -> Iterator[Item]:
    for scope in SCOPES:
        low = _lowest(scopes[scope]["sector_means"]["all"])
        yield Item(
            f"{scope}: sport and culture lowest sector (3.20, 9.4)", "sport_culture", low, low == "sport_culture"
        )
    for group in AUDIENCES:
        low = _lowest(scopes["overall"]["sector_means"][group])
        yield Item(f"overall, {group}: sport and culture lowest (3.20)", "sport_culture", low, low == "sport_culture")
    overall = scopes["overall"]["sector_means"]["all"]
    top = sorted(overall, key=lambda s: -overall[s])[:2]
    yield Item(
        "overall top two sectors (3.20)",
        "justice, social_family_community",
        ", ".join(sorted(top)),
        set(top) == {"justice", "social_family_community"},
    )
    for p in ("multi_agency", "information_sharing"):
        means = scopes[p]["sector_means"]["all"]
        high = max(means, key=lambda s: means[s])
        gap = means["justice"] - means["sport_culture"]
        yield Item(f"{p}: justice highest (5.15)", "justice", high, high == "justice")
        yield Item(f"{p}: justice minus sport and culture (5.15)", "~0.5", _two(gap), abs(gap - 0.5) <= 0.05)
    caf = scopes["caf"]["sector_means"]
    lowest_other = min(caf[g][s] for g in AUDIENCES for s in SECTORS if s != "sport_culture")
    yield Item(
        "CAF: every sector but sport and culture >= 3, both audiences (6.12)",
        ">= 3.00",
        _two(lowest_other),
        lowest_other >= 3,
    )
    sfc = min(caf[g]["social_family_community"] for g in AUDIENCES)
    yield Item("CAF: social, family and community support close to 3.5 (6.12)", ">= 3.35", _two(sfc), sfc >= 3.35)
    tac = scopes["tac"]["sector_means"]
    middle = [tac[g][s] for g in AUDIENCES for s in ("early_years", "education", "social_family_community")]
    yield Item(
        "TAC: early years, education, SFC 2.95 to 3.2, both audiences (7.12)",
        "2.95 to 3.20",
        f"{min(middle):.2f} to {max(middle):.2f}",
        all(2.95 <= x < 3.2 for x in middle),
    )
    sport = max(tac[g]["sport_culture"] for g in AUDIENCES)
    yield Item("TAC: sport and culture under 2.5, both audiences (7.12)", "< 2.50", _two(sport), sport < 2.5)
    lead = scopes["lead_professional"]["sector_means"]
    highest = max(lead[g][s] for g in AUDIENCES for s in SECTORS)
    yield Item("lead professional: no sector at 3 for either audience (8.13)", "< 3.00", _two(highest), highest < 3)
    stages = scopes["overall"]["stage_means"]
    gap = stages[LM]["B"] - stages[FL]["B"]
    yield Item("overall ownership: leaders above front line (3.14)", ">= 0.10", _two(gap), gap >= 0.1)
    tac_gap = scopes["tac"]["stage_means"][LM]["B"] - scopes["tac"]["stage_means"][FL]["B"]
    yield Item("TAC ownership: leaders above front line (7.10)", "> 0", _two(tac_gap), tac_gap > 0)
    ma = scopes["multi_agency"]["stage_means"]["all"]
    yield Item(
        "multi-agency: user friendly below continually improved (4.14)",
        "F < H",
        f"{ma['F']:.2f} vs {ma['H']:.2f}",
        ma["F"] < ma["H"],
    )
    d = scopes["information_sharing"]["stage_means"]["all"]["D"]
    yield Item("information sharing stage D (5.12)", ">= 3.50", _two(d), d >= 3.5)
    b = scopes["lead_professional"]["stage_means"][FL]["B"]
    yield Item("lead professional front line ownership (8.12)", "< 2.50", _two(b), b < 2.5)
