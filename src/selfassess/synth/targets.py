"""What the synthetic round must reproduce: the 2009 national report's figures and the patterns its text states.

Four small linear programmes turn the published figures into exact integer targets:

- `answer_counts`: how many of each answer, by practice and audience, within 500 of every published (rounded)
  count, totals and scored counts, with every published mean at two decimals and percentage within half a point;
- `sector_sums` and `stage_sums`: the sum of scores by practice, audience and sector (or stage), so that every
  sector and stage mean the report quotes, every pattern it states and Table 9.1 hold, with a margin;
- `trust_sums`: each trust's sum of scores by practice, so that every band count, lowest and highest trust mean,
  and the overall bands (a weighted average of the practices) hold.

The generator then makes answers that add up to these targets exactly. Paragraph numbers refer to the report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from selfassess.synth.lp import Infeasible, Programme

PRACTICES = ("multi_agency", "information_sharing", "caf", "tac", "lead_professional")
AUDIENCES = ("leader_manager", "front_line")
LM, FL = AUDIENCES
SECTORS = (
    "early_years",
    "education",
    "health",
    "justice",
    "social_family_community",
    "sport_culture",
    "youth",
    "third_sector",
)
STAGES = tuple("ABCDEFGH")
LEADER_STAGES = ("A", "H")
CODES = ("1", "2", "3", "4", "5", "NA", "DK")
SCORED = CODES[:5]
MARGIN = 0.02  # distance kept from every threshold, so that rounding and later steps cannot cross it
COUNT_TOLERANCE = 500  # published counts are rounded to the nearest 1,000


@cache
def published() -> dict[str, Any]:
    """The figures of the 2009 national report, as data (synth/national-2009.json, kept in the package)."""
    text = (resources.files("selfassess") / "synth" / "national-2009.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def scope_practices(scope: str) -> tuple[str, ...]:
    return PRACTICES if scope == "overall" else (scope,)


def group_audiences(group: str) -> tuple[str, ...]:
    return AUDIENCES if group == "all" else (group,)


# --- answer counts ---------------------------------------------------------------------------------------


@cache
def answer_counts(ratio: float = 1.0) -> dict[tuple[str, str, str], int]:
    """Counts of each answer code by (practice, audience, code), meeting every figure of Tables 3.2 to 8.2."""
    pub = published()["workforce_responses"]
    tolerance = max(COUNT_TOLERANCE * ratio, 2.0)
    lp = Programme()
    for p in PRACTICES:
        for a in AUDIENCES:
            for k in CODES:
                lp.var((p, a, k), integer=True)
                lp.near((p, a, k), pub[p][a][k] * ratio)
    for scope in ("overall", *PRACTICES):
        for group in (*AUDIENCES, "all"):
            figures = pub[scope][group]
            cells = [(p, a) for p in scope_practices(scope) for a in group_audiences(group)]

            def cell_sum(
                codes: Iterable[str], weight: Any = 1.0, cells: list[tuple[str, str]] = cells
            ) -> dict[tuple[str, str, str], float]:
                return {(p, a, k): (weight(k) if callable(weight) else weight) for p, a in cells for k in codes}

            for k in CODES:
                target = figures[k] * ratio
                lp.add(cell_sum([k]), target - tolerance, target + tolerance)
            lp.add(cell_sum(CODES), figures["total"] * ratio - tolerance, figures["total"] * ratio + tolerance)
            lp.add(cell_sum(SCORED), figures["scored"] * ratio - tolerance, figures["scored"] * ratio + tolerance)
            # mean at two decimals: sum of scores within mean +- 0.0045 times the number scored
            for bound, sign in ((figures["mean"] - 0.0045, 1), (figures["mean"] + 0.0045, -1)):
                lp.add(cell_sum(SCORED, lambda k, b=bound, s=sign: s * (int(k) - b)), lower=0)
            # percentage scored within 0.45 of the published whole number
            for bound, sign in ((figures["pct_scored"] - 0.45, 1), (figures["pct_scored"] + 0.45, -1)):
                terms: dict[tuple[str, str, str], float] = defaultdict(float)
                for key, v in cell_sum(SCORED, 100 * sign).items():
                    terms[key] += v
                for key, v in cell_sum(CODES, -bound * sign).items():
                    terms[key] += v
                lp.add(terms, lower=0)
    solution = lp.solve()
    return {(p, a, k): round(solution[(p, a, k)]) for p in PRACTICES for a in AUDIENCES for k in CODES}


# --- sums of scores by sector and by stage ---------------------------------------------------------------


@dataclass
class Means:
    """Linear rules on means of groups of cells, each cell a variable (a sum of scores) with a known count."""

    lp: Programme
    counts: dict[tuple[str, str, str], int]  # (practice, audience, sector-or-stage) -> scored answers

    def terms(self, cells: Iterable[tuple[str, str, str]], weight: float = 1.0) -> dict[tuple[str, str, str], float]:
        cells = [c for c in cells if self.counts.get(c, 0)]
        n = sum(self.counts[c] for c in cells)
        return {c: weight / n for c in cells} if n else {}

    def between(self, cells: Iterable[tuple[str, str, str]], low: float = -np.inf, high: float = np.inf) -> None:
        terms = self.terms(cells)
        if terms:
            self.lp.add(terms, low, high)

    def below(self, lower: Iterable[tuple[str, str, str]], upper: Iterable[tuple[str, str, str]], by: float) -> None:
        """mean(lower) <= mean(upper) - by."""
        terms: dict[tuple[str, str, str], float] = defaultdict(float)
        for c, v in self.terms(lower).items():
            terms[c] += v
        for c, v in self.terms(upper, -1.0).items():
            terms[c] += v
        self.lp.add(terms, upper=-by)

    def notable(self, cells: list[tuple[str, str, str]], above: bool, below: bool) -> None:
        if above:
            self.between(cells, low=3.2 + MARGIN)
        elif below:
            self.between(cells, high=2.8 - MARGIN)
        else:
            self.between(cells, 2.8 + MARGIN, 3.2 - MARGIN)


def _cells(scope: str, group: str, key: str) -> list[tuple[str, str, str]]:
    audiences = (LM,) if group == "all" and key in LEADER_STAGES else group_audiences(group)
    return [(p, a, key) for p in scope_practices(scope) for a in audiences]


def _programme(
    counts: dict[tuple[str, str, str], int], score_sums: dict[tuple[str, str], int], keys: tuple[str, ...], kind: str
) -> tuple[Programme, Means]:
    """Variables for the score sums of each (practice, audience, sector or stage), adding up to each practice
    and audience's sum, with Table 9.1 (`kind` is "sectors" or "stages") for every scope.

    Each sum stays near a prior mean: notably above 3.3, notably below 2.65, else the practice's mean.
    """
    notable = published()["notable_vs_midpoint"]
    national = {
        (p, a): score_sums[(p, a)] / sum(n for (pp, aa, _), n in counts.items() if (pp, aa) == (p, a))
        for p in PRACTICES
        for a in AUDIENCES
    }
    lp = Programme()
    for (p, a, key), n in counts.items():
        rule = notable[p]
        prior = 3.3 if key in rule[f"{kind}_above"] else 2.65 if key in rule[f"{kind}_below"] else national[(p, a)]
        lp.var((p, a, key), lower=1.0 * n, upper=5.0 * n)
        lp.near((p, a, key), prior * n, weight=1.0 / max(n, 1))
    for p in PRACTICES:
        for a in AUDIENCES:
            cells = [(p, a, key) for key in keys if (p, a, key) in counts]
            lp.add({c: 1.0 for c in cells}, score_sums[(p, a)], score_sums[(p, a)])
    means = Means(lp, counts)
    for scope in ("overall", *PRACTICES):
        rule = notable[scope]
        for key in keys:
            means.notable(_cells(scope, "all", key), key in rule[f"{kind}_above"], key in rule[f"{kind}_below"])
    return lp, means


def _integers(
    solution: dict[Any, float],
    counts: dict[tuple[str, str, str], int],
    score_sums: dict[tuple[str, str], int],
    keys: tuple[str, ...],
) -> dict[tuple[str, str, str], int]:
    """Round to whole score sums, keeping each (practice, audience) total exact."""
    out: dict[tuple[str, str, str], int] = {}
    for p in PRACTICES:
        for a in AUDIENCES:
            cells = [(p, a, key) for key in keys if (p, a, key) in counts]
            values = {c: int(np.floor(solution[c])) for c in cells}
            short = score_sums[(p, a)] - sum(values.values())
            for c in sorted(cells, key=lambda c: solution[c] - np.floor(solution[c]), reverse=True)[:short]:
                values[c] += 1
            out.update(values)
    return out


def sector_sums(
    counts: dict[tuple[str, str, str], int], score_sums: dict[tuple[str, str], int]
) -> dict[tuple[str, str, str], int]:
    """Sums of scores by (practice, audience, sector) meeting every sector figure and pattern of the report."""
    lp, m = _programme(counts, score_sums, SECTORS, "sectors")
    everyone = "all"
    cells = _cells
    for scope in ("overall", *PRACTICES):
        for s in SECTORS:
            if s != "sport_culture":  # sport and culture lowest in every practice and overall (3.20, 9.4)
                m.below(cells(scope, everyone, "sport_culture"), cells(scope, everyone, s), MARGIN)
    for group in AUDIENCES:  # ... and lowest for both audiences overall (3.20)
        for s in SECTORS:
            if s != "sport_culture":
                m.below(cells("overall", group, "sport_culture"), cells("overall", group, s), MARGIN)
    # Social, family and community support and justice the top two overall (3.20); SFC about 3.2 and sport and
    # culture about 2.7 (1.17).
    for s in SECTORS:
        if s not in ("social_family_community", "justice"):
            for top in ("social_family_community", "justice"):
                m.below(cells("overall", everyone, s), cells("overall", everyone, top), MARGIN)
    m.between(cells("overall", everyone, "social_family_community"), 3.2 + 0.005, 3.24)
    m.between(cells("overall", everyone, "sport_culture"), 2.67, 2.73)
    # Third sector: 2.89 for leaders and managers, 3.04 for front line (1.16), the largest gap of any sector.
    m.between(cells("overall", LM, "third_sector"), 2.8865, 2.8935)
    m.between(cells("overall", FL, "third_sector"), 3.0365, 3.0435)
    for s in SECTORS:
        if s != "third_sector":
            m.below(cells("overall", LM, s), cells("overall", FL, s), -0.1)
            m.below(cells("overall", FL, s), cells("overall", LM, s), -0.1)
    # Justice highest in multi-agency working and information sharing, about 0.5 above sport and culture (5.15-16).
    for p in ("multi_agency", "information_sharing"):
        for s in SECTORS:
            if s != "justice":
                m.below(cells(p, everyone, s), cells(p, everyone, "justice"), MARGIN)
        m.below(cells(p, everyone, "sport_culture"), cells(p, everyone, "justice"), 0.46)
        m.below(cells(p, everyone, "justice"), cells(p, everyone, "sport_culture"), -0.54)
    # CAF: every sector but sport and culture at least 3 for both audiences; SFC close to 3.5 (6.12); sport and
    # culture 2.56 (6.13).
    for group in AUDIENCES:
        for s in SECTORS:
            if s != "sport_culture":
                m.between(cells("caf", group, s), low=3.0 + MARGIN)
        m.between(cells("caf", group, "social_family_community"), 3.4, 3.55)
    m.between(cells("caf", everyone, "sport_culture"), 2.5565, 2.5635)
    # TAC: early years, education and SFC at or slightly above 3 for both audiences; sport and culture under 2.5
    # for both (7.12).
    for group in AUDIENCES:
        for s in ("early_years", "education", "social_family_community"):
            m.between(cells("tac", group, s), 2.95 + MARGIN, 3.2 - MARGIN)
        m.between(cells("tac", group, "sport_culture"), high=2.5 - MARGIN)
    # Lead professional: no sector at 3 or above for either audience (8.13); SFC highest (8.14).
    for group in AUDIENCES:
        for s in SECTORS:
            m.between(cells("lead_professional", group, s), high=3.0 - MARGIN)
    for s in SECTORS:
        if s != "social_family_community":
            m.below(
                cells("lead_professional", everyone, s),
                cells("lead_professional", everyone, "social_family_community"),
                MARGIN,
            )
    return _integers(lp.solve(), counts, score_sums, SECTORS)


def stage_sums(
    counts: dict[tuple[str, str, str], int], score_sums: dict[tuple[str, str], int]
) -> dict[tuple[str, str, str], int]:
    """Sums of scores by (practice, audience, stage) meeting every stage figure and pattern of the report.

    Front line answers to stages A and H have sums too (they count in every other statistic), but no rule.
    """
    quoted = published()["stage_means_quoted"]
    lp, m = _programme(counts, score_sums, STAGES, "stages")
    everyone = "all"
    cells = _cells
    for scope in ("overall", *PRACTICES):
        for g in LEADER_STAGES:  # front line answers here are not reported: keep them plausible
            for p in scope_practices(scope):
                m.between([(p, FL, g)], 1.8, 4.2)
    # Overall: defining about 3.4, continual improvement about 2.7 (1.18); ownership clearly higher for leaders
    # and managers (3.14).
    a, h = quoted["overall"]["A"], quoted["overall"]["H"]
    m.between(cells("overall", everyone, "A"), float(a.strip("~")) - 0.03, float(a.strip("~")) + 0.03)
    m.between(cells("overall", everyone, "H"), float(h.strip("~")) - 0.03, float(h.strip("~")) + 0.03)
    m.below(cells("overall", FL, "B"), cells("overall", LM, "B"), 0.1 + MARGIN)
    # CAF ownership: 3.07 for leaders and managers, 2.53 for front line (6.11).
    for group in AUDIENCES:
        value = quoted["caf"]["B"][group]
        m.between(cells("caf", group, "B"), value - 0.0035, value + 0.0035)
    # Multi-agency: user friendly below continually improved (4.14).
    m.below(cells("multi_agency", everyone, "F"), cells("multi_agency", everyone, "H"), MARGIN)
    # Information sharing: working across the workforce closer to 4 than 3 (5.12); only H below 3 (5.13).
    m.between(cells("information_sharing", everyone, "D"), low=3.5 + MARGIN)
    for g in "BCEFG":
        m.between(cells("information_sharing", everyone, g), low=3.0 + MARGIN)
    # Team around the child: leaders and managers above front line on ownership (7.10); user friendly below 3 (7.9).
    m.below(cells("tac", FL, "B"), cells("tac", LM, "B"), 0.1 + MARGIN)
    m.between(cells("tac", everyone, "F"), high=3.0 - MARGIN)
    # Lead professional: only the defining stage above 3 (8.11); front line ownership closer to 2 (8.12).
    for g in "BCDEFGH":
        m.between(cells("lead_professional", everyone, g), high=3.0 - MARGIN)
    m.between(cells("lead_professional", FL, "B"), high=2.5 - MARGIN)
    return _integers(lp.solve(), counts, score_sums, STAGES)


# --- trusts ----------------------------------------------------------------------------------------------


def band_windows(scope: str, ratio: float = 1.0) -> list[tuple[str, int, float, float]]:
    """(band, how many trusts, lowest allowed mean, highest allowed mean) for a scope, margins applied."""
    pub = published()
    counts = pub["trust_mean_bands"][scope]
    extremes = pub["trust_mean_extremes"][scope]
    edges = [
        ("below_2.5", extremes["min"], 2.5),
        ("2.5_to_2.8", 2.5, 2.8),
        ("2.8_to_3.0", 2.8, 3.0),
        ("3.0_to_3.2", 3.0, 3.2),
        ("3.2_to_3.5", 3.2, 3.5),
        ("3.5_and_above", 3.5, extremes["max"]),
    ]
    sizes = _scaled([counts[band] for band, _, _ in edges], ratio)
    return [(band, n, lo, hi) for (band, lo, hi), n in zip(edges, sizes, strict=True)]


def _scaled(counts: list[int], ratio: float) -> list[int]:
    """Scale whole counts, keeping their total scaled and rounded (largest remainder)."""
    if ratio == 1.0:
        return counts
    raw = [c * ratio for c in counts]
    out = [int(np.floor(r)) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: round(sum(raw)) - sum(out)]:
        out[i] += 1
    return out


def trust_windows(scope: str, order: np.ndarray, ratio: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Allowed (low, high) mean for each trust, given the trusts' order from lowest to highest in this scope.

    The lowest and highest trusts are pinned to the published extremes (at two decimals); the rest keep a
    margin from every band edge and from the extremes; CAF and lead professional keep their one and three
    trusts under 2 (6.4, 8.4).
    """
    n = len(order)
    low, high = np.zeros(n), np.zeros(n)
    below_two = published()["trust_mean_extremes"][scope].get("trusts_below_2", 0)
    position = 0
    for band, count, lo, hi in band_windows(scope, ratio):
        for _ in range(count):
            t = order[position]
            low[t], high[t] = lo + 0.01, hi - 0.01
            if band == "below_2.5":
                low[t], high[t] = (lo + 0.01, 1.99) if position < below_two else (max(lo, 2.0) + 0.01, hi - 0.01)
            position += 1
    # Everyone else strictly between the extremes; the extremes themselves at two decimals.
    extremes = published()["trust_mean_extremes"][scope]
    low, high = np.maximum(low, extremes["min"] + 0.01), np.minimum(high, extremes["max"] - 0.01)
    low[order[0]], high[order[0]] = extremes["min"] - 0.003, extremes["min"] + 0.003
    low[order[-1]], high[order[-1]] = extremes["max"] - 0.003, extremes["max"] + 0.003
    return low, high


def trust_sums(
    scored: np.ndarray,
    practice_windows: dict[str, tuple[np.ndarray, np.ndarray]],
    overall_window: tuple[np.ndarray, np.ndarray],
    totals: dict[str, int],
    centre: np.ndarray,
) -> np.ndarray:
    """Whole sums of scores [trust, practice] within every window, adding up to each practice's total.

    `scored[t, p]` is trust t's number of scored answers in practice p; `centre[t, p]` the mean to stay near.
    """
    trusts = scored.shape[0]
    lp = Programme()
    for t in range(trusts):
        for i, p in enumerate(PRACTICES):
            n = int(scored[t, i])
            low, high = practice_windows[p]
            lp.var((t, i), lower=low[t] * n, upper=high[t] * n)
            lp.near((t, i), centre[t, i] * n, weight=1.0 / max(n, 1))
        n_all = float(scored[t].sum())
        lp.add({(t, i): 1.0 for i in range(len(PRACTICES))}, overall_window[0][t] * n_all, overall_window[1][t] * n_all)
    for i, p in enumerate(PRACTICES):
        lp.add({(t, i): 1.0 for t in range(trusts)}, totals[p], totals[p])
    solution = lp.solve()
    sums = np.array([[solution[(t, i)] for i in range(len(PRACTICES))] for t in range(trusts)])
    out: np.ndarray = np.floor(sums).astype(np.int64)
    # Round while keeping each practice's total exact: hand the remaining points to the largest fractions.
    for i, p in enumerate(PRACTICES):
        short = totals[p] - int(out[:, i].sum())
        for t in np.argsort(-(sums[:, i] - out[:, i]))[:short]:
            out[t, i] += 1
    _check_trust_sums(out, scored, practice_windows, overall_window)
    return out


def _check_trust_sums(
    sums: np.ndarray,
    scored: np.ndarray,
    practice_windows: dict[str, tuple[np.ndarray, np.ndarray]],
    overall_window: tuple[np.ndarray, np.ndarray],
) -> None:
    """Rounding moves a mean by under 1/n; the windows' margins are wider, but check rather than trust it."""
    slack = 0.004  # the windows of the pinned extremes are +-0.003 inside a +-0.005 rounding interval
    for i, p in enumerate(PRACTICES):
        mean = sums[:, i] / scored[:, i]
        low, high = practice_windows[p]
        if ((mean < low - slack) | (mean > high + slack)).any():
            raise Infeasible(f"rounding moved a trust out of its band in {p}")
    mean = sums.sum(axis=1) / scored.sum(axis=1)
    if ((mean < overall_window[0] - slack) | (mean > overall_window[1] + slack)).any():
        raise Infeasible("rounding moved a trust out of its overall band")
