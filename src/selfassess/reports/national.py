"""The national report, built from the results JSON in the structure of the 2009 report.

Chapters: 1 executive summary; 2 background and method; 3 overall findings; 4 to 8 one per practice;
9 conclusion; an appendix of per-question results. Tables and graphs are numbered as in 2009 (Table 3.1 is
the overall band table, Graph 3.3 the overall spider diagram...).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from selfassess.analysis.contract import Question, Results, Scope, answer_count, as_results
from selfassess.framework import Framework
from selfassess.framework.model import Stage
from selfassess.reports import charts, findings
from selfassess.reports.change import change_chapter
from selfassess.reports.document import (
    Cell,
    Chart,
    Report,
    Section,
    Table,
    bound,
    count_cell,
    count_words,
    interval_columns,
    join_words,
    mean_cell,
    mean_text,
    percent,
    plural,
    scope_title,
    with_interval,
)
from selfassess.reports.groups import groups_chapter
from selfassess.reports.headline import headline

ROUND_FROM = 10_000  # tables of this many answers or more show counts to the nearest 1,000, as in 2009


def national_report(framework: Framework, found: Mapping[str, object], title: str | None = None) -> Report:
    results = as_results(found)
    chapters = [
        _summary(framework, results),
        _background(framework, results),
        _scope_chapter(framework, results, "overall", 3),
    ]
    for number, practice in enumerate(framework.practices, start=4):
        chapters.append(_scope_chapter(framework, results, practice.id, number))
    chapters.append(_conclusion(framework, results, 4 + len(framework.practices)))
    if "comparison" in results:
        chapters.append(change_chapter(framework, results, 5 + len(framework.practices)))
    if "groups" in results:
        chapters.append(groups_chapter(framework, results, len(chapters) + 1))
    chapters.append(_appendix(framework, results))
    return Report(
        title=title or f"{framework.title}: national report",
        subtitle=f"{results['counts']['trusts']} {framework.unit_titles}, "
        f"{results['counts']['respondents']['all']:,} respondents, "
        f"{results['scopes']['overall']['responses']['all']['total']:,} answers",
        sections=chapters,
    )


# --- tables ----------------------------------------------------------------------------------------------


def band_columns(framework: Framework) -> list[str]:
    return [b.title for b in framework.bands] + ["At or above midpoint"]


def _band_cells(framework: Framework, stats: Scope | Question) -> list[Cell]:
    counts = stats["trust_bands"]
    n = sum(1 for m in stats["trust_means"].values() if m is not None)
    keys = [b.id for b in framework.bands] + ["at_or_above_midpoint"]
    return [Cell(counts[k], f"{counts[k]} ({percent(counts[k], n)}%)") for k in keys]


def band_table(framework: Framework, results: Results, scope: str, number: str) -> Table:
    stats = results["scopes"][scope]
    return Table(
        id=f"table-{number}",
        title=f"Table {number} – Distribution of mean scores across {framework.unit_titles}",
        columns=["Figure", *band_columns(framework)],
        rows=[
            [
                Cell(scope_title(framework, scope), f"Number of {framework.units} (per cent)"),
                *_band_cells(framework, stats),
            ]
        ],
        notes=_band_notes(framework),
    )


def _band_notes(framework: Framework) -> list[str]:
    return [
        f"Each band includes its lower edge and excludes its upper edge: a {framework.unit} with a mean of exactly "
        f"{bound(framework.midpoint + framework.notable)} is in the band that starts there.",
        f"At or above midpoint counts {framework.units} with a mean of {bound(framework.midpoint)} or more.",
    ]


def bands_by_scope(framework: Framework, results: Results) -> Table:
    rows = [
        [Cell(scope, scope_title(framework, scope)), *_band_cells(framework, results["scopes"][scope])]
        for scope in (*framework.practice_ids, "overall")
    ]
    return Table(
        id="table-1-2",
        title=f"Table 1.2 – Distribution of mean scores across {framework.unit_titles}",
        columns=["Practice", *band_columns(framework)],
        rows=rows,
        notes=_band_notes(framework),
    )


def responses_table(framework: Framework, results: Results, scope: str, number: str) -> Table:
    responses = results["scopes"][scope]["responses"]
    groups = [*(a.id for a in framework.audiences), "all"]
    everyone = responses["all"]
    rounded = everyone["total"] >= ROUND_FROM
    unscored = (
        join_words([a.label.lower() for a in framework.scale if a.score is None], "or")
        if any(a.score is None for a in framework.scale)
        else "not scored"
    )
    rows = []
    for option in framework.scale:
        rows.append(
            [Cell(option.code, option.label)]
            + [count_cell(answer_count(responses[g], option.code), rounded) for g in groups]
            + [
                Cell(
                    _share(answer_count(everyone, option.code), everyone["total"]),
                    f"{percent(answer_count(everyone, option.code), everyone['total'])}%",
                )
            ]
        )
    rows.append([Cell("mean", "Mean point score"), *(mean_cell(responses[g]["mean"]) for g in groups), Cell(None, "")])
    for end, words in ((0, "95% interval from"), (1, "95% interval to")):
        rows.append(
            [Cell(f"ci95_{end}", words)]
            + [mean_cell(None if (ci := responses[g]["ci95"]) is None else ci[end]) for g in groups]
            + [Cell(None, "")]
        )
    rows.append(
        [
            Cell("total", "Total responses"),
            *(count_cell(responses[g]["total"], rounded) for g in groups),
            Cell(None, ""),
        ]
    )
    rows.append(
        [
            Cell("scored", "Of which scores given"),
            *(count_cell(responses[g]["scored"], rounded) for g in groups),
            Cell(None, ""),
        ]
    )
    rows.append(
        [Cell("pct_scored", "Proportion with scores")]
        + [Cell(responses[g]["pct_scored"], f"{round(responses[g]['pct_scored'] or 0)}%") for g in groups]
        + [Cell(None, "")]
    )
    rows.append(
        [Cell("pct_not_scored", f"Proportion {unscored}")]
        + [
            Cell(
                None if (rate := responses[g]["pct_scored"]) is None else 100 - rate,
                f"{round(100 - (responses[g]['pct_scored'] or 100))}%",
            )
            for g in groups
        ]
        + [Cell(None, "")]
    )
    notes = ["Figures are rounded to the nearest 1,000; the workbook has them exactly."] if rounded else []
    return Table(
        id=f"table-{number}",
        title=f"Table {number} – {scope_title(framework, scope)}: responses by audience type",
        columns=["Answer", *(a.title for a in framework.audiences), "Total", "Proportion of total"],
        rows=rows,
        notes=notes,
    )


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


# --- charts ----------------------------------------------------------------------------------------------


INTERVALS = "The thin lines show each mean's 95% interval (see 'How sure these figures are' in chapter 2)."


def stage_chart(framework: Framework, results: Results, scope: str, number: str) -> Chart:
    means = results["scopes"][scope]["stage_means"]
    ci = results["scopes"][scope]["stage_ci95"]
    audience_ids = [a.id for a in framework.audiences]
    title = f"Graph {number} – {scope_title(framework, scope)}: mean scores by stage and audience type"
    series = {a.title: [means[a.id][s.id] for s in framework.stages] for a in framework.audiences}
    intervals = {a.title: [ci[a.id][s.id] for s in framework.stages] for a in framework.audiences}
    left_out = [
        f"{a.title.lower()} at the {_stage_names([s for s in framework.stages if a.id not in s.audiences])}"
        for a in framework.audiences
        if any(a.id not in s.audiences for s in framework.stages)
    ]
    caption = (
        "Mean score at each stage, by audience, on a spider diagram: the closer a line is to the edge, the higher "
        f"the score. The dashed ring is the midpoint ({float(framework.midpoint):g}). {INTERVALS}"
    )
    if left_out:
        caption += f" Stages not meant for every audience leave out the answers of {join_words(left_out)}."
    data = Table(
        id=f"data-{number}",
        title=f"Numbers for graph {number}",
        columns=["Stage", *interval_columns([*(a.title for a in framework.audiences), "All"])],
        rows=[
            [
                Cell(s.id, f"{s.id}: {s.short}"),
                *(c for a in [*audience_ids, "all"] for c in with_interval(means[a][s.id], ci[a][s.id])),
            ]
            for s in framework.stages
        ],
    )
    svg = charts.radar(
        title, [f"{s.id}: {s.short}" for s in framework.stages], series, charts.axis_of(framework), intervals=intervals
    )
    return Chart(f"graph-{number}", title, caption, svg, data)


def sector_chart(framework: Framework, results: Results, scope: str, number: str) -> Chart:
    means = results["scopes"][scope]["sector_means"]
    ci = results["scopes"][scope]["sector_ci95"]
    title = f"Graph {number} – {scope_title(framework, scope)}: mean scores by sector and audience type"
    series = {a.title: [means[a.id][s.id] for s in framework.sectors] for a in framework.audiences}
    intervals = {a.title: [ci[a.id][s.id] for s in framework.sectors] for a in framework.audiences}
    data = Table(
        id=f"data-{number}",
        title=f"Numbers for graph {number}",
        columns=["Sector", *interval_columns([*(a.title for a in framework.audiences), "All"])],
        rows=[
            [
                Cell(s.id, s.title),
                *(c for g in [*framework.audience_ids, "all"] for c in with_interval(means[g][s.id], ci[g][s.id])),
            ]
            for s in framework.sectors
        ],
    )
    caption = (
        "Mean score of each sector's answers, by audience. The dashed line is the midpoint "
        f"({float(framework.midpoint):g}). {INTERVALS}"
    )
    svg = charts.bars(title, [s.title for s in framework.sectors], series, charts.axis_of(framework), intervals)
    return Chart(f"graph-{number}", title, caption, svg, data)


def practice_chart(framework: Framework, results: Results, number: str) -> Chart:
    title = f"Graph {number} – Mean point score by practice and audience type"
    scopes = results["scopes"]
    series = {
        a.title: [scopes[p.id]["responses"][a.id]["mean"] for p in framework.practices] for a in framework.audiences
    }
    intervals = {
        a.title: [scopes[p.id]["responses"][a.id]["ci95"] for p in framework.practices] for a in framework.audiences
    }
    data = Table(
        id=f"data-{number}",
        title=f"Numbers for graph {number}",
        columns=["Practice", *interval_columns([*(a.title for a in framework.audiences), "All"])],
        rows=[
            [
                Cell(p.id, p.title),
                *(
                    c
                    for g in [*framework.audience_ids, "all"]
                    for c in with_interval(scopes[p.id]["responses"][g]["mean"], scopes[p.id]["responses"][g]["ci95"])
                ),
            ]
            for p in framework.practices
        ],
    )
    caption = (
        "Mean score of all answers in each practice, by audience. The dashed line is the midpoint "
        f"({float(framework.midpoint):g}). {INTERVALS}"
    )
    svg = charts.bars(title, [p.title for p in framework.practices], series, charts.axis_of(framework), intervals)
    return Chart(f"graph-{number}", title, caption, svg, data)


def band_edges(framework: Framework, means: list[float]) -> list[tuple[str, float, float]]:
    """Each band's title and edges as the distribution chart draws them: the open ends of the first and last
    bands a point past their edges (or to the scale's end), wide enough for every mean and the midpoint."""
    axis = charts.axis_of(framework)
    first, last = framework.bands[0].upper, framework.bands[-1].lower
    low = max(axis.low, float(first) - 1 if first is not None else axis.low)
    high = min(axis.high, float(last) + 1 if last is not None else axis.high)
    # Wide enough for every mean and for the midpoint, whose line the chart draws.
    low, high = min([low, axis.midpoint, *means]), max([high, axis.midpoint, *means])
    return [
        (b.title, float(b.lower) if b.lower is not None else low, float(b.upper) if b.upper is not None else high)
        for b in framework.bands
    ]


def distribution_chart(framework: Framework, results: Results, scope: str, number: str) -> Chart:
    stats = results["scopes"][scope]
    means = sorted(m for m in stats["trust_means"].values() if m is not None)
    edges = band_edges(framework, means)
    title = f"Graph {number} – {scope_title(framework, scope)}: distribution of {framework.unit} mean scores"
    caption = (
        f"How many {framework.units} have each mean score (in steps of 0.05), over the reporting bands shaded in "
        "turn. "
        "The dashed line is the midpoint."
    )
    counts = stats["trust_bands"]
    data = Table(
        id=f"data-{number}",
        title=f"Numbers for graph {number}",
        columns=["Band", framework.units.capitalize(), "Lowest mean in band", "Highest mean in band"],
        rows=[
            [
                Cell(b.id, b.title),
                Cell(counts[b.id], str(counts[b.id])),
                *_band_extremes(stats, b.id),
            ]
            for b in framework.bands
        ],
    )
    svg = charts.distribution(
        title, means, edges, float(framework.midpoint), framework.unit.capitalize(), framework.units.capitalize()
    )
    return Chart(f"graph-{number}", title, caption, svg, data)


def _band_extremes(stats: Scope | Question, band: str) -> list[Cell]:
    """The lowest and highest trust mean in a band, by the engine's exact decision of each trust's band."""
    inside = [m for t, b in stats["trust_band"].items() if b == band and (m := stats["trust_means"][t]) is not None]
    return [mean_cell(min(inside) if inside else None), mean_cell(max(inside) if inside else None)]


def answers_chart(framework: Framework, results: Results, number: str) -> Chart:
    scored = [a for a in framework.scale if a.score is not None]
    rows, shares = [], []
    for practice in framework.practices:
        for audience in framework.audiences:
            responses = results["scopes"][practice.id]["responses"][audience.id]
            n = responses["scored"]
            rows.append((practice, audience))
            shares.append([100 * answer_count(responses, a.code) / n if n else 0.0 for a in scored])
    labels = [f"{p.title} – {a.title.lower()}" for p, a in rows]
    title = f"Graph {number} – Answers given, by practice and audience type"
    below = [f"{a.score}" for a in scored if a.score is not None and a.score < framework.midpoint]
    above = [f"{a.score}" for a in scored if a.score is not None and a.score > framework.midpoint]
    straddles = any(a.score == framework.midpoint for a in scored)
    caption = (
        "Share of scored answers at each point of the scale, centred on the midpoint: "
        f"{_answers_of(below)} lie to the left of the line, {_answers_of(above)} to the right"
        + (", and the midpoint's share straddles it." if straddles else ".")
    )
    data = Table(
        id=f"data-{number}",
        title=f"Numbers for graph {number} (per cent of scored answers)",
        columns=["Practice and audience", *(a.label for a in scored)],
        rows=[
            [Cell(label, label), *(Cell(v, f"{v:.0f}%") for v in share)]
            for label, share in zip(labels, shares, strict=True)
        ],
    )
    svg = charts.diverging(
        title, labels, shares, [a.label for a in scored], [a.score or 0 for a in scored], float(framework.midpoint)
    )
    return Chart(f"graph-{number}", title, caption, svg, data)


# --- chapters --------------------------------------------------------------------------------------------


def _summary(framework: Framework, results: Results) -> Section:
    scopes = results["scopes"]
    overall = scopes["overall"]
    practices = framework.practices
    practice_means = {p.id: m for p in practices if (m := scopes[p.id]["responses"]["all"]["mean"]) is not None}
    scored = [p for p in practices if p.id in practice_means]
    progress = []
    if len(scored) > 1:
        best = max(scored, key=lambda p: practice_means[p.id])
        worst = min(scored, key=lambda p: practice_means[p.id])
        progress.append(
            f"Respondents said that there had been greatest progress in {best.title.lower()} (mean score of "
            f"{practice_means[best.id]:.2f}) and least progress in {worst.title.lower()} "
            f"(mean score of {practice_means[worst.id]:.2f})."
        )
    # The headline first; then the 2009 report's summary paragraphs.
    paragraphs = headline(framework, results, progress) + findings.audiences(framework, overall)[:1]
    n = sum(1 for m in overall["trust_means"].values() if m is not None)
    at = overall["trust_bands"]["at_or_above_midpoint"]
    shares = {p.id: scopes[p.id]["trust_bands"]["at_or_above_midpoint"] for p in practices}
    most = max(practices, key=lambda p: shares[p.id])
    least = min(practices, key=lambda p: shares[p.id])
    paragraphs.append(
        f"Overall, {at} of {n} {framework.unit_titles} ({percent(at, n)} per cent) were at the midpoint or above. "
        f"By practice this ranged from {percent(shares[least.id], n)} per cent for {least.title.lower()} to "
        f"{percent(shares[most.id], n)} per cent for {most.title.lower()}."
    )
    paragraphs += findings.sectors(framework, overall)[:1]
    paragraphs += findings.stages(framework, overall)[2:3]
    missing = {p.id: 100 - (scopes[p.id]["responses"]["all"]["pct_scored"] or 100) for p in practices}
    most_missing = max(practices, key=lambda p: missing[p.id])
    paragraphs.append(
        f"Non-response was highest for {most_missing.title.lower()}: {round(missing[most_missing.id])} per cent of "
        "its questions were left without a score, either because respondents felt they were not applicable or "
        "because they did not know how to answer."
    )
    return Section("chapter-1", "1. Executive summary", [*paragraphs, bands_by_scope(framework, results)])


def _background(framework: Framework, results: Results) -> Section:
    counts = results["counts"]
    respondents = counts["respondents"]
    audiences = framework.audiences
    lacking = counts["trusts"] - counts["trusts_with_both_audiences"]
    quota = framework.quota
    per_sector = sum(quota.values())
    blocks: list[str | Table | Chart] = [
        f"{counts['trusts']} {framework.unit_titles} responded. Of these, "
        f"{counts['trusts_with_both_audiences']} supplied "
        f"{'both' if len(audiences) == 2 else 'all of'} {join_words([a.title.lower() for a in audiences])}; "
        f"{count_words(lacking)} did not have respondents from "
        f"{'both audiences' if len(audiences) == 2 else 'every audience'}.",
        f"{respondents['all']:,} people responded: "
        + join_words([f"{respondents[a.id]:,} {a.title.lower()}" for a in audiences])
        + ".",
    ]
    if per_sector:
        blocks.append(
            f"Each {framework.unit_title} was asked for {per_sector * len(framework.sectors)} respondents, "
            f"{count_words(per_sector)} from each of {count_words(len(framework.sectors))} sectors "
            f"({join_words([s.title.lower() for s in framework.sectors])}), "
            "made up of " + join_words([_of_audience(framework, a, n) for a, n in quota.items() if n > 0]) + "."
        )
    blocks.append(
        f"The self assessment looked at {count_words(len(framework.practices))} practices: "
        + join_words([f"{p.title.lower()} ({len(p.questions)} questions)" for p in framework.practices])
        + f", {len(framework.questions)} questions in all. Each question relates to one of "
        f"{count_words(len(framework.stages))} stages: "
        + join_words([f"{s.id}: {s.title.lower()}" for s in framework.stages])
        + "."
    )
    leader_only = [s for s in framework.stages if len(s.audiences) < len(framework.audiences)]
    if leader_only:
        blocks.append(
            "Some stages were meant for some audiences only: "
            + join_words(
                [
                    f"the {s.short.lower()} stage for {framework_audience_titles(framework, s.audiences)}"
                    for s in leader_only
                ]
            )
            + ". Where others answered them, those answers count in every figure except the means by stage."
        )
    scored = [a for a in framework.scale if a.score is not None]
    blocks.append(
        f"Respondents scored progress on a scale from {scored[0].score} ({(scored[0].title or '').lower()}) through "
        f"{int(framework.midpoint)} (the midpoint) to {scored[-1].score} ({(scored[-1].title or '').lower()}), or "
        + join_words([f'"{a.label.lower()}"' for a in framework.scale if a.score is None])
        + ". Each question explained what these meant in its own context. Table 1.1 summarises what the "
        "descriptors have in common: what the midpoint looks like."
    )
    if framework.commonalities:
        titles = {str(a.score): a.title or a.label for a in scored}
        keys = list(framework.commonalities[0])
        blocks.append(
            Table(
                id="table-1-1",
                title=f"Table 1.1 – What {join_words([titles.get(k, k).lower() for k in keys])} have in common",
                columns=[f"{k} – {titles.get(k, k)}" for k in keys],
                rows=[[Cell(row[k], row[k]) for k in keys] for row in framework.commonalities],
            )
        )
    blocks.append(
        f"With so many answers almost any difference between two groups is statistically significant, but a "
        f"difference of 0.01 is not of practical significance: it is one person in a hundred answering one point "
        f"higher. A difference of {bound(framework.notable)} suggests that {_one_in(framework.notable)} "
        "respondents would give "
        f"the higher score, so this report calls a difference of {bound(framework.notable)} or more notable. A "
        f"group is notably above the midpoint with a mean of {bound(framework.midpoint + framework.notable)} or "
        f"more, and notably below under {bound(framework.midpoint - framework.notable)}."
    )
    return Section("chapter-2", "2. Background and method", blocks, [_how_sure(framework, results)])


# How closely a practice's questions hang together, by Cronbach's alpha: the usual rough reading of it.
ALPHA_WORDS = ((0.9, "very closely"), (0.8, "closely"), (0.7, "acceptably"), (float("-inf"), "loosely"))


def _how_sure(framework: Framework, results: Results) -> Section:
    """The methods section on uncertainty: why answers are not independent, what an interval means, the design
    effects and Cronbach's alpha, each figure from the results."""
    scopes = results["scopes"]
    overall = scopes["overall"]
    answers = overall["responses"]["all"]["scored"]
    effect = overall["design_effect"]
    rows = []
    for scope in ("overall", *framework.practice_ids):
        stats = scopes[scope]
        everyone = stats["responses"]["all"]
        rows.append(
            [
                Cell(scope, scope_title(framework, scope)),
                *with_interval(everyone["mean"], everyone["ci95"]),
                _figure(stats["design_effect"], 1),
                _figure(stats["icc"], 2),
                _figure(stats["alpha"], 2),
                Cell(stats["alpha_n"], f"{stats['alpha_n']:,}"),
            ]
        )
    table = Table(
        id="table-2-1",
        title="Table 2.1 – How sure the means are, and how closely each practice's questions hang together",
        columns=[
            "Practice",
            *interval_columns(["Mean"]),
            "Design effect",
            "Intraclass correlation",
            "Cronbach's alpha",
            "Respondents behind alpha",
        ],
        rows=rows,
        notes=[
            f"Intervals treat each {framework.unit} as one cluster of answers (t on one fewer degrees of freedom than "
            f"{framework.units}).",
            "Cronbach's alpha counts the respondents who scored every question of the practice.",
        ],
    )
    blocks: list[str | Table | Chart] = [
        f"The {answers:,} scored answers are not {answers:,} independent observations. They come from "
        f"{results['counts']['respondents']['all']:,} people in {results['counts']['trusts']} {framework.unit_titles}: "
        f"one person's answers move together, and so do those of people in the same {framework.unit}, who share the "
        "same "
        "services and the same history. Treating every answer as independent would make every difference look "
        f"certain. So each mean in this report has a 95% interval worked out from the {framework.units} as clusters: "
        "the range "
        "in which the national mean would be expected to fall, 95 times in 100, if the exercise were repeated "
        f"with other {framework.units} like these. A finding marked clear has its interval wholly on one side of "
        "the midpoint; "
        f"the {bound(framework.notable)} rule still says whether a difference is large enough to matter, and "
        "the interval whether it is more than chance.",
    ]
    if effect is not None:
        blocks.append(
            f"The design effect says how much wider an interval is than it would be if answers were independent "
            f"(its square): for all questions together it is {effect:.1f}, so the {answers:,} answers carry about "
            f"as much information as {answers / effect:,.0f} independent ones would."
        )
    blocks.append(table)
    blocks += _alpha_words(framework, scopes)
    return Section("how-sure", "How sure these figures are", blocks)


def _figure(x: float | None, places: int) -> Cell:
    return Cell(x, "–" if x is None else f"{x:.{places}f}")


def _alpha_words(framework: Framework, scopes: dict[str, Any]) -> list[str]:
    """One sentence on how closely each practice's questions hang together, by Cronbach's alpha."""
    groups: dict[str, list[str]] = {}
    for practice in framework.practices:
        alpha = scopes[practice.id]["alpha"]
        if alpha is not None:
            words = next(w for bound, w in ALPHA_WORDS if alpha >= bound)
            groups.setdefault(words, []).append(f"{practice.title.lower()} ({alpha:.2f})")
    if not groups:
        return ["Too few respondents scored every question of a practice for Cronbach's alpha to be worked out."]
    parts = [f"{words} for {join_words(groups[words])}" for _, words in ALPHA_WORDS if words in groups]
    return [
        "Cronbach's alpha measures how closely a practice's questions hang together: whether people who score one "
        "of them high tend to score the others high too, so that the practice's mean summarises one thing. "
        f"They hang together {join_words(parts)}."
    ]


def _one_in(share: Fraction) -> str:
    """'one in five' for 0.2, 'one in four' for 0.25; else the share in a hundred."""
    n = 1 / share
    return f"one in {count_words(int(n))}" if n.denominator == 1 else f"{float(100 * share):g} in a hundred"


def _stage_names(stages: list[Stage]) -> str:
    """'defined and continually improved stages', 'defined stage': stages by their short names."""
    return f"{join_words([s.short.lower() for s in stages])} {plural(len(stages), 'stage', 'stages')}"


def _answers_of(scores: list[str]) -> str:
    """'answers of 1 and 2', 'answers of 0', 'no answers'."""
    return f"answers of {join_words(scores)}" if scores else "no answers"


def _of_audience(framework: Framework, audience_id: str, n: int) -> str:
    """'two leaders and managers': an audience's title is a plural, so a single person is 'one of the ...'."""
    title = framework_audience(framework, audience_id)
    return f"one of the {title}" if n == 1 else f"{count_words(n)} {title}"


def framework_audience(framework: Framework, audience_id: str) -> str:
    return next(a.title.lower() for a in framework.audiences if a.id == audience_id)


def framework_audience_titles(framework: Framework, ids: tuple[str, ...]) -> str:
    return join_words([framework_audience(framework, a) for a in ids])


def _scope_chapter(framework: Framework, results: Results, scope: str, number: int) -> Section:
    stats = results["scopes"][scope]
    title = "Overall findings" if scope == "overall" else f"Findings by practice – {scope_title(framework, scope)}"
    questions = stats["questions"]
    intro = (
        f"This section looks at the combined results of all {questions} questions."
        if scope == "overall"
        else f"This section looks at the responses to the {questions} questions on "
        f"{scope_title(framework, scope).lower()}."
    )
    blocks: list[str | Table | Chart] = [intro, band_table(framework, results, scope, f"{number}.1")]
    blocks += findings.bands(framework, stats)
    blocks.append(distribution_chart(framework, results, scope, f"{number}.6" if scope != "overall" else f"{number}.7"))
    blocks.append(responses_table(framework, results, scope, f"{number}.2"))
    blocks += findings.audiences(framework, stats)
    blocks.append(stage_chart(framework, results, scope, f"{number}.3"))
    blocks += findings.stages(framework, stats)
    if scope == "overall":
        blocks.append(practice_chart(framework, results, f"{number}.4"))
        blocks.append(sector_chart(framework, results, scope, f"{number}.5"))
        blocks.append(answers_chart(framework, results, f"{number}.6"))
    else:
        blocks.append(sector_chart(framework, results, scope, f"{number}.4"))
    blocks += findings.sectors(framework, stats)
    return Section(f"chapter-{number}", f"{number}. {title}", blocks)


def _notable_text(framework: Framework, ids: list[str], kind: str, clear: list[str]) -> str:
    if kind == "stages":
        names = {s.id: s.short for s in framework.stages}
    else:
        names = {s.id: s.short for s in framework.sectors}
    return ", ".join(names[i] + (" (clear)" if i in clear else "") for i in ids) or "None"


def _conclusion(framework: Framework, results: Results, number: int) -> Section:
    scopes = results["scopes"]
    rows = []
    for scope in (*framework.practice_ids, "overall"):
        notable = scopes[scope]["notable"]
        rows.append(
            [Cell(scope, scope_title(framework, scope))]
            + [
                Cell(
                    ", ".join(notable[key]),
                    _notable_text(framework, notable[key], key.split("_")[0], notable["clear"][key]),
                )
                for key in ("sectors_above", "sectors_below", "stages_above", "stages_below")
            ]
        )
    table_9_1 = Table(
        id=f"table-{number}-1",
        title=f"Table {number}.1 – Sectors and stages above and below the midpoint",
        columns=[
            "Practice",
            "Sectors above midpoint",
            "Sectors below midpoint",
            "Stages above midpoint",
            "Stages below midpoint",
        ],
        rows=rows,
        notes=[
            f"Notably above: a mean of {bound(framework.midpoint + framework.notable)} or more; notably below: "
            f"under {bound(framework.midpoint - framework.notable)}.",
            "(clear): the 95% interval of the mean lies wholly on that side of the midpoint.",
        ],
    )
    high = framework.midpoint + framework.notable
    low = framework.midpoint - framework.notable
    matrix_rows = []
    for sector in framework.sectors:
        cells = [Cell(sector.id, sector.title)]
        for scope in (*framework.practice_ids, "overall"):
            m = scopes[scope]["sector_means"]["all"][sector.id]
            notable = scopes[scope]["notable"]  # decided exactly by the engine, as Table 9.1 is
            flag = (
                "above"
                if sector.id in notable["sectors_above"]
                else "below"
                if sector.id in notable["sectors_below"]
                else ""
            )
            mark = {"above": " ▲", "below": " ▼"}.get(flag, "")
            cells.append(Cell(m, mean_text(m) + mark, flag))
        matrix_rows.append(cells)
    matrix = Table(
        id=f"table-{number}-2",
        title=f"Table {number}.2 – Mean score by sector and practice",
        columns=["Sector", *(p.title for p in framework.practices), "Overall"],
        rows=matrix_rows,
        notes=[f"▲ notably above the midpoint ({bound(high)} or more); ▼ notably below (under {bound(low)})."],
    )
    overall = scopes["overall"]["responses"]["all"]["mean"]
    blocks: list[str | Table | Chart] = [
        f"The national mean score against all questions was {mean_text(overall)}"
        + (", suggesting that overall there is a perception of progress." if overall and overall >= 3 else ".")
    ]
    blocks += _stage_patterns(framework, results)
    blocks += [table_9_1, matrix]
    return Section(f"chapter-{number}", f"{number}. Conclusion", blocks)


def _stage_patterns(framework: Framework, results: Results) -> list[str]:
    out = []
    for stage in (framework.stages[0], framework.stages[-1]):
        above = [p for p in framework.practices if stage.id in results["scopes"][p.id]["notable"]["stages_above"]]
        below = [p for p in framework.practices if stage.id in results["scopes"][p.id]["notable"]["stages_below"]]
        n = len(framework.practices)
        out.append(
            f"The {stage.short.lower()} stage scores notably above the midpoint in "
            f"{count_words(len(above))} of {count_words(n)} practices and notably below it in "
            f"{count_words(len(below))}."
        )
    return out


def _appendix(framework: Framework, results: Results) -> Section:
    subsections: list[Section] = []
    for practice in framework.practices:
        rows = []
        for question in practice.questions:
            q = results["questions"][question.id]
            responses = q["responses"]
            n = sum(1 for m in q["trust_means"].values() if m is not None)
            rows.append(
                [
                    Cell(question.id, question.id),
                    Cell(question.stage, framework.stage(question.stage).title),
                    Cell(question.text, question.text),
                    *(count_cell(answer_count(responses["all"], a.code)) for a in framework.scale),
                    *(mean_cell(responses[g]["mean"]) for g in framework.audience_ids),
                    *with_interval(responses["all"]["mean"], responses["all"]["ci95"]),
                    Cell(responses["all"]["pct_scored"], f"{round(responses['all']['pct_scored'] or 0)}%"),
                    Cell(
                        q["trust_bands"]["at_or_above_midpoint"], f"{q['trust_bands']['at_or_above_midpoint']} of {n}"
                    ),
                ]
            )
        table = Table(
            id=f"table-a-{practice.id}",
            title=f"Table A.{len(subsections) + 1} – {practice.title}: results by question",
            columns=[
                "Question",
                "Stage",
                "Text",
                *(a.code for a in framework.scale),
                *(f"Mean, {a.title.lower()}" for a in framework.audiences),
                *interval_columns(["Mean, all"]),
                "Scored",
                f"{framework.units.capitalize()} at or above midpoint",
            ],
            rows=rows,
            spanning=("Text", "Stage"),
        )
        subsections.append(Section(f"appendix-{practice.id}", practice.title, [table]))
    intro = (
        f"The results of each question: the answers given, mean scores by audience and how many {framework.units} "
        "were at or "
        "above the midpoint."
    )
    return Section("appendix", "Appendix: results by question", [intro], subsections)
