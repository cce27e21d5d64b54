"""A trust's own report, against the national picture, with small cells withheld.

Anonymity comes first: a figure resting on fewer than `threshold` respondents is withheld, with any other
figure that would let it be worked out by subtraction (reports.suppression). Withheld values never reach the
report object, so no rendering (HTML, PDF, workbook, chart) can show them.
"""

from __future__ import annotations

from typing import Any

from selfassess.framework import Framework
from selfassess.reports import charts
from selfassess.reports.document import Cell, Chart, Report, Section, Table, join_words, mean_text
from selfassess.reports.national import scope_title
from selfassess.reports.suppression import THRESHOLD, suppress

WITHHELD = Cell(None, "withheld", "suppressed")
ALL = "all"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def trust_report(
    framework: Framework, profile: dict[str, Any], threshold: int = THRESHOLD, provisional: bool = False
) -> Report:
    trust = profile["trust"]
    sections = [
        _practices(framework, profile, threshold),
        _stages(framework, profile, threshold),
        _sectors(framework, profile, threshold),
        _quota(framework, profile),
        _differences(framework, profile, threshold),
        _about(threshold),
    ]
    overall = profile["scopes"]["overall"]
    subtitle = f"{overall['respondents']} respondents gave a score; national figures from {overall['of']} trusts"
    return Report(f"{trust}: self assessment report", subtitle, sections, provisional=provisional)


def _shown(value: float | None, respondents: int, threshold: int) -> bool:
    return value is not None and respondents >= threshold


def _practices(framework: Framework, profile: dict[str, Any], threshold: int) -> Section:
    rows = []
    notable = float(framework.notable)
    band_titles = {b.id: b.title for b in framework.bands}
    for scope in framework.scopes:
        s = profile["scopes"][scope]
        if not _shown(s["mean"], s["respondents"], threshold):
            rows.append(
                [
                    Cell(scope, scope_title(framework, scope)),
                    WITHHELD,
                    _mean(s["national"]),
                    WITHHELD,
                    WITHHELD,
                    WITHHELD,
                ]
            )
            continue
        difference = s["mean"] - s["national"]
        flag = "above" if difference >= notable else "below" if difference <= -notable else ""
        rows.append(
            [
                Cell(scope, scope_title(framework, scope)),
                _mean(s["mean"]),
                _mean(s["national"]),
                Cell(difference, f"{difference:+.2f}", flag),
                Cell(s["band"], band_titles.get(s["band"], "")),
                Cell(s["rank"], f"{ordinal(s['rank'])} of {s['of']}"),
            ]
        )
    table = Table(
        "trust-practices",
        "Mean score by practice, beside the national mean",
        ["Practice", "This trust", "National", "Difference", "Band", "Place among trusts"],
        rows,
        notes=[f"Differences of {notable:.1f} or more are notable and highlighted. Place 1 is the highest mean."],
    )
    overall = profile["scopes"]["overall"]
    blocks: list[str | Table | Chart] = []
    if _shown(overall["mean"], overall["respondents"], threshold):
        position = "above" if overall["mean"] > overall["national"] else "below"
        blocks.append(
            f"Across all questions this trust's mean score is {overall['mean']:.2f}, {position} the national mean of "
            f"{overall['national']:.2f}; it is {ordinal(overall['rank'])} of {overall['of']} trusts."
        )
    blocks.append(table)
    return Section("practices", "Your trust and the national picture", blocks)


def _mean(x: float | None) -> Cell:
    return Cell(x, mean_text(x))


def _stages(framework: Framework, profile: dict[str, Any], threshold: int) -> Section:
    stages = profile["stages"]
    shown = {s: _shown(v["mean"], v["respondents"], threshold) for s, v in stages.items()}
    rows = [
        [
            Cell(s.id, f"{s.id}: {s.short}"),
            _mean(stages[s.id]["mean"]) if shown[s.id] else WITHHELD,
            _mean(stages[s.id]["national"]),
        ]
        for s in framework.stages
    ]
    data = Table("trust-stages", "Numbers for the stage diagram", ["Stage", "This trust", "National"], rows)
    title = "Mean score by stage: this trust and the national picture"
    series = {
        "This trust": [stages[s.id]["mean"] if shown[s.id] else None for s in framework.stages],
        "National": [stages[s.id]["national"] for s in framework.stages],
    }
    leader_only = [s.id for s in framework.stages if len(s.audiences) < len(framework.audiences)]
    caption = "Mean score at each stage, all audiences together. The dashed ring is the midpoint (3)."
    if leader_only:
        caption += f" Stages {join_words(leader_only)} count only the audiences they were meant for."
    chart = Chart("trust-stage-chart", title, caption, charts.radar(title, [r[0].text for r in rows], series), data)
    return Section("stages", "By stage", [chart])


def _sectors(framework: Framework, profile: dict[str, Any], threshold: int) -> Section:
    sectors = profile["sectors"]
    groups = [*framework.audience_ids, ALL]
    row_ids = [*framework.sector_ids, ALL]
    respondents = {(r, g): sectors[r][g]["respondents"] for r in row_ids for g in groups}
    lines = [[(r, g) for g in groups] for r in row_ids]  # each row: its audiences, then all audiences
    lines += [[(r, g) for r in row_ids] for g in groups]  # each column: its sectors, then all sectors
    hidden = suppress(respondents, lines, threshold)
    titles = {s.id: s.title for s in framework.sectors} | {ALL: "All sectors"}
    rows = []
    for r in row_ids:
        cells = [Cell(r, titles[r])]
        for g in groups:
            value = sectors[r][g]["mean"]
            cells.append(WITHHELD if (r, g) in hidden else _mean(value))
        rows.append(cells)
    table = Table(
        "trust-sectors",
        "Mean score by sector and audience type",
        ["Sector", *(a.title for a in framework.audiences), "All"],
        rows,
        notes=[
            f"'withheld': fewer than {threshold} respondents, or a figure that would let one of those be worked out "
            "from the totals."
        ],
    )
    return Section("sectors", "By sector and audience", [table])


def _quota(framework: Framework, profile: dict[str, Any]) -> Section:
    quota, target = profile["quota"], profile["quota_target"]
    rows = []
    for sector in framework.sectors:
        cells = [Cell(sector.id, sector.title)]
        for audience in framework.audiences:
            n, wanted = quota[sector.id][audience.id], target.get(audience.id, 0)
            flag = "below" if n < wanted else ""
            cells.append(Cell(n, f"{n} of {wanted}" if wanted else str(n), flag))
        rows.append(cells)
    totals = [Cell(ALL, "All sectors")]
    for audience in framework.audiences:
        n = sum(quota[s.id][audience.id] for s in framework.sectors)
        wanted = target.get(audience.id, 0) * len(framework.sectors)
        totals.append(Cell(n, f"{n} of {wanted}" if wanted else str(n)))
    rows.append(totals)
    table = Table(
        "trust-quota",
        "Respondents against the quota",
        ["Sector", *(a.title for a in framework.audiences)],
        rows,
        notes=[
            "How many people responded in each group, against the number asked for. These are counts of "
            "people taking part, which the trust arranged, not of anything they answered, so none is withheld."
        ],
    )
    return Section("quota", "Who responded", [table])


def _differences(framework: Framework, profile: dict[str, Any], threshold: int) -> Section:
    notable = float(framework.notable)
    found = []
    for scope in framework.scopes:
        s = profile["scopes"][scope]
        if _shown(s["mean"], s["respondents"], threshold) and abs(s["mean"] - s["national"]) >= notable:
            found.append(f"{scope_title(framework, scope)}: {s['mean']:.2f} against {s['national']:.2f} nationally")
    for stage in framework.stages:
        v = profile["stages"][stage.id]
        shown = _shown(v["mean"], v["respondents"], threshold) and v["national"] is not None
        if shown and abs(v["mean"] - v["national"]) >= notable:
            found.append(f"stage {stage.id} ({stage.short.lower()}): {v['mean']:.2f} against {v['national']:.2f}")
    if found:
        text = f"This trust differs from the national picture by {notable:.1f} or more in: " + "; ".join(found) + "."
    else:
        text = f"This trust is within {notable:.1f} of the national picture in every practice and stage."
    return Section("differences", "Where your trust differs notably", [text])


def _about(threshold: int) -> Section:
    return Section(
        "about",
        "About this report",
        [
            "Answers are anonymous. To keep them so, a figure resting on fewer than "
            f"{threshold} respondents is not shown, and neither is any figure that would let one of those be worked "
            "out by subtraction from a total. Such cells say 'withheld'.",
        ],
    )
