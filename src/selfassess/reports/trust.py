"""A trust's own report, against the national picture, with small cells withheld.

Anonymity comes first: a figure resting on fewer than `threshold` respondents is withheld, with any other
figure that would let it be worked out by subtraction (reports.suppression). That holds for the national
figures printed beside the trust's too: the coordinator sees both, and national minus trust is the rest of the
country, so `withheld` decides every figure of the report at once, over every sum that ties them. Withheld
values never reach the report object, so no rendering (HTML, PDF, workbook, chart) can show them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from selfassess.analysis.contract import Change
from selfassess.framework import Framework
from selfassess.reports import charts
from selfassess.reports.change import NOW, change_cells, clear_side, interval_words, moved_words, signed
from selfassess.reports.document import (
    WITHHELD,
    Cell,
    Chart,
    Report,
    Section,
    Table,
    bound,
    interval_columns,
    interval_text,
    join_words,
    mean_text,
    with_interval,
)
from selfassess.reports.national import band_edges, scope_title
from selfassess.reports.suppression import THRESHOLD, suppress
from selfassess.text import counted

NONE_RESPONDED = Cell(None, "none responded", "none")  # nobody to withhold: said so, not 'withheld'


def _hidden_or_empty(respondents: int) -> Cell:
    """What stands in a cell with no figure shown: nobody answered there, or a figure that exists is withheld."""
    return NONE_RESPONDED if respondents == 0 else WITHHELD


ALL = "all"
NATIONAL, REST, TRUST = "national", "rest of the country", "trust"


def withheld(framework: Framework, profile: dict[str, Any], threshold: int) -> set[tuple[str, ...]]:
    """Every figure of the trust report to withhold, as (whose, kind, id) keys; the sector table's cells are
    (TRUST, "sector", sector, audience), its grand total being the trust's overall mean.

    The sums an attacker may use: national = trust + rest of the country, for every scope, stage and question;
    overall = the practices, a practice = its questions, and overall = the stages + the answers given outside
    their stage's audiences (for the trust, the nation and the rest alike; that last part is shown to nobody);
    and the sector table's rows and columns.
    """
    scopes, stages = profile["scopes"], profile["stages"]
    respondents: dict[tuple[str, ...], int] = {}
    lines: list[list[tuple[str, ...]]] = []
    outside = {"outside": profile["outside_stages"]}
    questions = profile["questions"]
    kinds = (
        ("scope", scopes, framework.scopes),
        ("stage", stages, framework.stage_ids),
        ("outside", outside, outside),
        ("question", questions, framework.question_ids),
    )
    for kind, figures, ids in kinds:
        for key in ids:
            mine, everyone = figures[key]["respondents"], figures[key]["national_respondents"]
            respondents |= {
                (TRUST, kind, key): mine,
                (NATIONAL, kind, key): everyone,
                (REST, kind, key): everyone - mine,
            }
            lines.append([(TRUST, kind, key), (REST, kind, key), (NATIONAL, kind, key)])
    for whose in (TRUST, NATIONAL, REST):
        overall = (whose, "scope", "overall")
        lines.append([*((whose, "scope", p) for p in framework.practice_ids), overall])
        lines.append([*((whose, "stage", s) for s in framework.stage_ids), (whose, "outside", "outside"), overall])
        for practice in framework.practices:  # a practice's answers are its questions' answers
            lines.append([*((whose, "question", q.id) for q in practice.questions), (whose, "scope", practice.id)])
    groups, row_ids = [*framework.audience_ids, ALL], [*framework.sector_ids, ALL]

    def grid(sector: str, group: str) -> tuple[str, ...]:
        return (TRUST, "scope", "overall") if sector == group == ALL else (TRUST, "sector", sector, group)

    for r in row_ids:
        for g in groups:
            respondents.setdefault(grid(r, g), profile["sectors"][r][g]["respondents"])
    lines += [[grid(r, g) for g in groups] for r in row_ids]
    lines += [[grid(r, g) for r in row_ids] for g in groups]
    unshown = {cell for cell in respondents if cell[0] == REST or cell[1] == "outside"}
    # The national figures are the first to go when a second must: the trust's own are what the report is for.
    return suppress(respondents, lines, threshold, unshown, priority=lambda cell: 0 if cell[0] == NATIONAL else 1)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Since:
    """What changed for one trust since an earlier round: by scope and by stage, the trust's own change entry
    and the national one (as analysis.comparison makes them), and the trust's profile in the earlier round
    (None if it did not take part), whose withheld figures stay withheld."""

    label: str
    earlier: dict[str, Any] | None
    scopes: dict[str, tuple[dict[str, Any], dict[str, Any]]]
    stages: dict[str, tuple[dict[str, Any], dict[str, Any]]]


def trust_report(
    framework: Framework,
    profile: dict[str, Any],
    threshold: int = THRESHOLD,
    provisional: bool = False,
    since: Since | None = None,
) -> Report:
    trust = profile["trust"]
    hidden = withheld(framework, profile, threshold)
    sections = [
        _summary(framework, profile, hidden, since, threshold),
        _practices(framework, profile, hidden),
        _stages(framework, profile, hidden),
        _sectors(framework, profile, hidden, threshold),
        _quota(framework, profile),
        _differences(framework, profile, hidden),
    ]
    if since is not None:
        sections.append(_since(framework, since, hidden, threshold))
    sections.append(_by_question(framework, profile, hidden))
    sections.append(_about(threshold, framework.unit))
    overall = profile["scopes"]["overall"]
    subtitle = (
        f"{overall['respondents']} respondents gave a score; national figures from {overall['of']} {framework.units}"
    )
    return Report(
        f"{trust}: self assessment report", subtitle, sections, provisional=provisional, chapters_start_pages=False
    )


# --- the summary page -------------------------------------------------------------------------------------

MOST = 3  # strengths and priorities named on the summary page


@dataclass(frozen=True)
class Standing:
    """A practice or stage where both this unit's mean and the national one are shown."""

    name: str
    mean: float
    national: float
    ci: list[float] | None  # the difference's 95% interval
    clear: bool
    order: int  # the framework's order, to break ties


def standings(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> list[Standing]:
    found = []
    named = [("scope", p.id, p.title.lower(), profile["scopes"][p.id]) for p in framework.practices]
    named += [("stage", s.id, f"the {s.short.lower()} stage", profile["stages"][s.id]) for s in framework.stages]
    for order, (kind, key, name, v) in enumerate(named):
        if _shown(v["mean"], TRUST, kind, key, hidden) and _shown(v["national"], NATIONAL, kind, key, hidden):
            found.append(Standing(name, v["mean"], v["national"], v["difference_ci95"], bool(v["clear"]), order))
    return found


def strengths_and_priorities(found: list[Standing]) -> tuple[list[Standing], bool, list[Standing], bool]:
    """The rule: strengths are the practices and stages where this unit is clearly above the national mean (the
    difference's 95% interval wholly above zero), largest difference first; priorities, clearly below, largest
    shortfall first; at most three of each. Failing any clear one, its highest (or lowest) means instead, said
    as such. Ties go to the framework's order. Returns each list and whether it holds clear ones."""
    above = sorted((f for f in found if f.clear and f.mean > f.national), key=lambda f: (f.national - f.mean, f.order))
    below = sorted((f for f in found if f.clear and f.mean < f.national), key=lambda f: (f.mean - f.national, f.order))
    highest = sorted(found, key=lambda f: (-f.mean, f.order))
    lowest = sorted(found, key=lambda f: (f.mean, f.order))
    strengths = above[:MOST] if above else highest[:MOST]
    priorities = below[:MOST] if below else [f for f in lowest if f not in strengths][:MOST]
    return strengths, bool(above), priorities, bool(below)


def _figure(f: Standing) -> str:
    sure = "" if f.ci is None else f", 95% interval {f.ci[0]:+.2f} to {f.ci[1]:+.2f}"
    return f"{f.name}: {f.mean:.2f} against {f.national:.2f} nationally ({f.mean - f.national:+.2f}{sure})"


def _summary(
    framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]], since: Since | None, threshold: int
) -> Section:
    unit = framework.unit
    blocks: list[str | Table | Chart] = []
    overall = profile["scopes"]["overall"]
    mine = _shown(overall["mean"], TRUST, "scope", "overall", hidden)
    if mine and _shown(overall["national"], NATIONAL, "scope", "overall", hidden):
        side = (
            "above"
            if overall["mean"] > overall["national"]
            else "below"
            if overall["mean"] < overall["national"]
            else "at"
        )
        sure = "clearly" if overall["clear"] else "but not clearly (the gap may be chance)"
        blocks.append(
            f"This {unit}'s mean score across all questions is {overall['mean']:.2f}, {side} the national mean of "
            f"{overall['national']:.2f}" + ("." if side == "at" else f", {sure}.")
        )
    elif mine:
        blocks.append(f"This {unit}'s mean score across all questions is {overall['mean']:.2f}.")
    else:
        blocks.append(
            f"This {unit}'s overall mean score is withheld: too few people stand behind it, or showing it would let a "
            "withheld figure be worked out."
        )
    blocks.append(_place_chart(framework, profile, overall["mean"] if mine else None))
    strengths, clear_up, priorities, clear_down = strengths_and_priorities(standings(framework, profile, hidden))
    for found, clear, side, ends in (
        (strengths, clear_up, "above", "highest"),
        (priorities, clear_down, "below", "lowest"),
    ):
        if found:
            kind = "Strengths" if side == "above" else "Priorities"
            lead = (
                f"{kind}, clearly {side} the national mean"
                if clear
                else (f"Nothing is clearly {side} the national mean; the {ends} scores are")
            )
            blocks.append(f"{lead}: " + "; ".join(_figure(f) for f in found) + ".")
    if not strengths and not priorities:
        blocks.append("No practice or stage can be set against the national picture: their figures are withheld.")
    if since is not None and since.earlier is not None:
        before = withheld(framework, since.earlier, threshold)
        blocks.append(
            _plain_change(framework, since, lambda w, k, key: (w, k, key) not in hidden and (w, k, key) not in before)
        )
    blocks.append(_responded(framework, profile))
    return Section("summary", "Summary", blocks)


def _place_chart(framework: Framework, profile: dict[str, Any], mean: float | None) -> Chart:
    """The national distribution of unit means (as the national report draws it), this unit's marked."""
    means = profile["national_trust_means"]
    unit = framework.unit
    title = f"Where this {unit} stands among {framework.units}"
    caption = f"How many {framework.units} have each mean score, over the bands; the dashed line is the midpoint."
    caption += f" The solid line is this {unit}." if mean is not None else f" This {unit}'s mean is withheld."
    counts = profile["national_trust_bands"]
    band = profile["scopes"]["overall"]["band"] if mean is not None else None
    data = Table(
        "trust-place",
        "Numbers for the chart",
        ["Band", framework.units.capitalize(), f"This {unit}"],
        [
            [
                Cell(b.id, b.title),
                Cell(counts[b.id], str(counts[b.id])),
                Cell(b.id == band, "here" if b.id == band else ""),
            ]
            for b in framework.bands
        ],
    )
    svg = charts.place(
        title,
        means,
        band_edges(framework, [*means, *([mean] if mean is not None else [])]),
        float(framework.midpoint),
        (f"this {unit}", mean) if mean is not None else None,
        framework.units,
    )
    return Chart("trust-place-chart", title, caption, svg, data)


def _responded(framework: Framework, profile: dict[str, Any]) -> str:
    quota, target = profile["quota"], profile["quota_target"]
    sectors = len(framework.sectors)
    parts = []
    for audience in framework.audiences:
        n = sum(quota[s.id][audience.id] for s in framework.sectors)
        wanted = target.get(audience.id, 0) * sectors
        asked_for = f" ({wanted} asked for)" if wanted else ""
        parts.append(f"{n} {audience.title.lower()}{asked_for}")
    n = sum(quota[s.id][a.id] for s in framework.sectors for a in framework.audiences)
    wanted = sum(target.values()) * sectors
    asked = f" against the {wanted} asked for" if wanted else ""
    return f"{counted(n, 'person', 'people')} responded{asked}: {join_words(parts)}."


def _shown(value: float | None, whose: str, kind: str, key: str, hidden: set[tuple[str, ...]]) -> bool:
    return value is not None and (whose, kind, key) not in hidden


def _practices(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> Section:
    rows = []
    band_titles = {b.id: b.title for b in framework.bands}
    for scope in framework.scopes:
        s = profile["scopes"][scope]
        title = Cell(scope, scope_title(framework, scope))
        national = _mean(s["national"]) if _shown(s["national"], NATIONAL, "scope", scope, hidden) else WITHHELD
        if not _shown(s["mean"], TRUST, "scope", scope, hidden):
            rows.append([title, WITHHELD, WITHHELD, WITHHELD, national, WITHHELD, WITHHELD, WITHHELD, WITHHELD])
            continue
        fair = _standardised_shown(s)
        rows.append(
            [
                title,
                _mean(s["mean"]),
                Cell(None, interval_text(s["ci95"])),
                _mean(s["standardised"]) if fair else WITHHELD,
                national,
                *_difference_cells(s, national is WITHHELD),
                Cell(s["band"], band_titles.get(s["band"], "")),
                Cell(s["standardised_rank"], f"{ordinal(s['standardised_rank'])} of {s['of']}") if fair else WITHHELD,
            ]
        )
    table = Table(
        "trust-practices",
        "Mean score by practice, beside the national mean",
        [
            "Practice",
            f"This {framework.unit}",
            "95% interval",
            "Standardised",
            "National",
            "Difference",
            "How sure",
            "Band",
            f"Place among {framework.units}",
        ],
        rows,
        notes=[
            f"Differences of {bound(framework.notable)} or more are notable and highlighted. 'Clear': the "
            "difference's 95% interval leaves out zero, so it is unlikely to be chance.",
            standardised_words(framework),
        ],
    )
    overall = profile["scopes"]["overall"]
    blocks: list[str | Table | Chart] = []
    if _shown(overall["mean"], TRUST, "scope", "overall", hidden):
        position = ""
        if _shown(overall["national"], NATIONAL, "scope", "overall", hidden):
            side = "above" if overall["mean"] > overall["national"] else "below"
            position = f", {side} the national mean of {overall['national']:.2f}"
        place = ""
        if _standardised_shown(overall):
            place = f"; standardised, it is {overall['standardised']:.2f}, {ordinal(overall['standardised_rank'])} of"
            place += f" {overall['of']} {framework.units}"
        blocks.append(
            f"Across all questions this {framework.unit}'s mean score is {overall['mean']:.2f} (95% interval "
            f"{interval_text(overall['ci95'])}){position}{place}."
        )
    blocks.append(table)
    return Section("practices", f"Your {framework.unit} and the national picture", blocks)


def standardised_words(framework: Framework) -> str:
    """Why places are given by the standardised mean: one sentence, shown under the table."""
    audiences = join_words([a.title.lower() for a in framework.audiences])
    return (
        f"{framework.units.capitalize()} recruited different mixes of sectors and roles, and {audiences} tend to "
        "score differently, so places are given by the standardised mean: each sector and audience weighted as the "
        "quota asked, whatever mix actually responded."
    )


def _standardised_shown(s: dict[str, Any]) -> bool:
    """The standardised mean weights the trust's sector and audience groups otherwise than the raw mean does.
    With the sector table's row and column means, one more weighted figure over the same groups could pin a
    group's mean unless the groups could still move two independent ways (analysis.trusts._free_groups)."""
    return s["standardised"] is not None and s["free_groups"] >= 2


def _difference_cells(v: dict[str, Any], national_withheld: bool) -> list[Cell]:
    """The difference from the national mean, flagged when notable (the engine's exact decision), and how sure
    it is: its 95% interval and whether that is clear of zero."""
    if national_withheld or v["mean"] is None or v["national"] is None:
        return [WITHHELD, WITHHELD]
    gap = v["mean"] - v["national"]
    ci = v["difference_ci95"]
    sure = "" if ci is None else f"{ci[0]:+.2f} to {ci[1]:+.2f}, " + ("clear" if v["clear"] else "unclear")
    return [Cell(gap, f"{gap:+.2f}", v["difference"] or ""), Cell(v["clear"], sure or "–")]


def _mean(x: float | None) -> Cell:
    return Cell(x, mean_text(x))


def _stages(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> Section:
    stages = profile["stages"]
    shown = {s: _shown(v["mean"], TRUST, "stage", s, hidden) for s, v in stages.items()}
    national = {s: _shown(v["national"], NATIONAL, "stage", s, hidden) for s, v in stages.items()}
    rows = [
        [
            Cell(s.id, f"{s.id}: {s.short}"),
            *(
                with_interval(stages[s.id]["mean"], stages[s.id]["ci95"])
                if shown[s.id]
                else [_hidden_or_empty(stages[s.id]["respondents"])] * 3
            ),
            *(
                with_interval(stages[s.id]["national"], stages[s.id]["national_ci95"])
                if national[s.id]
                else [WITHHELD] * 3
            ),
        ]
        for s in framework.stages
    ]
    data = Table(
        "trust-stages",
        "Numbers for the stage diagram",
        ["Stage", *interval_columns([f"This {framework.unit}", "National"])],
        rows,
    )
    title = f"Mean score by stage: this {framework.unit} and the national picture"
    series = {
        f"This {framework.unit}": [stages[s.id]["mean"] if shown[s.id] else None for s in framework.stages],
        "National": [stages[s.id]["national"] if national[s.id] else None for s in framework.stages],
    }
    leader_only = [s.id for s in framework.stages if len(s.audiences) < len(framework.audiences)]
    intervals = {f"This {framework.unit}": [stages[s.id]["ci95"] if shown[s.id] else None for s in framework.stages]}
    caption = (
        f"Mean score at each stage, all audiences together. The dashed ring is the midpoint "
        f"({float(framework.midpoint):g}); whiskers show this "
        f"{framework.unit}'s 95% intervals."
    )
    if leader_only:
        caption += f" Stages {join_words(leader_only)} count only the audiences they were meant for."
    chart = Chart(
        "trust-stage-chart",
        title,
        caption,
        charts.radar(title, [r[0].text for r in rows], series, charts.axis_of(framework), intervals=intervals),
        data,
    )
    return Section("stages", "By stage", [chart])


def _sectors(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]], threshold: int) -> Section:
    sectors = profile["sectors"]
    groups = [*framework.audience_ids, ALL]
    row_ids = [*framework.sector_ids, ALL]
    titles = {s.id: s.title for s in framework.sectors} | {ALL: "All sectors"}
    rows = []
    for r in row_ids:
        cells = [Cell(r, titles[r])]
        for g in groups:
            key = (TRUST, "scope", "overall") if r == g == ALL else (TRUST, "sector", r, g)
            n = sectors[r][g]["respondents"]
            cells.append(_hidden_or_empty(n) if key in hidden or not n else _mean(sectors[r][g]["mean"]))
        rows.append(cells)
    nobody = [a.title.lower() for a in framework.audiences if not sectors[ALL][a.id]["respondents"]]
    table = Table(
        "trust-sectors",
        "Mean score by sector and audience type",
        ["Sector", *(a.title for a in framework.audiences), "All"],
        rows,
        notes=[
            f"'withheld': fewer than {threshold} respondents, or a figure that would let one of those be worked out "
            "from the totals. 'none responded': nobody of that sector and audience answered."
        ],
    )
    said = [f"No {join_words(nobody, 'or')} responded." if nobody else ""]
    return Section("sectors", "By sector and audience", [*filter(None, said), table])


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
            f"people taking part, which the {framework.unit} arranged, not of anything they answered, so none is "
            "withheld."
        ],
    )
    return Section("quota", "Who responded", [table])


def _differences(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> Section:
    notable = float(framework.notable)
    clear: list[str] = []
    unclear: list[str] = []

    def both_shown(v: dict[str, Any], kind: str, key: str) -> bool:
        return _shown(v["mean"], TRUST, kind, key, hidden) and _shown(v["national"], NATIONAL, kind, key, hidden)

    def said(name: str, v: dict[str, Any]) -> str:
        ci = v["difference_ci95"]
        sure = "" if ci is None else f", 95% interval {ci[0]:+.2f} to {ci[1]:+.2f}"
        return (
            f"{name}: {v['mean']:.2f} against {v['national']:.2f} nationally ({v['mean'] - v['national']:+.2f}{sure})"
        )

    found = [(scope_title(framework, scope), profile["scopes"][scope], "scope", scope) for scope in framework.scopes]
    found += [(f"stage {s.id} ({s.short.lower()})", profile["stages"][s.id], "stage", s.id) for s in framework.stages]
    compared = [(name, v) for name, v, kind, key in found if both_shown(v, kind, key)]
    for name, v in compared:
        if v["difference"]:
            (clear if v["clear"] else unclear).append(said(name, v))
    blocks: list[str | Table | Chart] = []
    if clear:
        blocks.append(
            f"This {framework.unit} differs from the national picture by {bound(notable)} or more, clearly (the 95% "
            "interval of the difference leaves out zero), in: " + "; ".join(clear) + "."
        )
    if unclear:
        blocks.append(
            f"It differs by {bound(notable)} or more, but not clearly (the interval includes no difference at all, so "
            "the gap may be chance with this many respondents), in: " + "; ".join(unclear) + "."
        )
    if not compared:
        blocks.append(
            f"No practice or stage can be compared with the national picture: every figure for this {framework.unit} "
            "is withheld or missing."
        )
    elif not blocks:
        where = "every practice and stage" if len(compared) == len(found) else "every practice and stage shown"
        blocks.append(f"This {framework.unit} is within {bound(notable)} of the national picture in {where}.")
    return Section("differences", f"Where your {framework.unit} differs notably", blocks)


def _since(framework: Framework, since: Since, hidden: set[tuple[str, ...]], threshold: int) -> Section:
    """The trust's change per practice and stage beside the national change. A change is shown only where the
    figure is shown in both rounds: each round's withheld figures stay withheld, and so does anything
    subtracted from them."""
    label = since.label
    if since.earlier is None:
        return Section(
            "since",
            f"Since {label}",
            [f"This {framework.unit} did not take part in {label}, so there is no change to show."],
        )
    before = withheld(framework, since.earlier, threshold)

    def shown(whose: str, kind: str, key: str) -> bool:
        return (whose, kind, key) not in hidden and (whose, kind, key) not in before

    rows, clear, unclear, absent = [], [], [], []
    items = [("scope", scope, scope_title(framework, scope)) for scope in framework.scopes if scope in since.scopes]
    items += [("stage", s.id, f"Stage: {s.title}") for s in framework.stages if s.id in since.stages]
    for kind, key, title in items:
        mine, national = (since.scopes if kind == "scope" else since.stages)[key]
        mine_shown = shown(TRUST, kind, key) and mine["change"] is not None
        national_shown = shown(NATIONAL, kind, key) and national["change"] is not None
        if shown(TRUST, kind, key) and mine["change"] is None:
            absent.append(title.lower())  # nothing hidden: too few answers in a round to measure a change
            continue
        if mine_shown and clear_side(mine["change_ci95"]):
            clear.append(f"{title.lower()}, {signed(mine['change'])}{interval_words(mine['change_ci95'])}")
        elif mine_shown and national_shown and not clear_side(national["change_ci95"]):
            unclear.append(title.lower())  # nothing clear and nothing withheld: said in one sentence, not a row
            continue
        cells = [Cell(key, title)]
        cells += change_cells(cast(Change, mine)) if mine_shown else [WITHHELD] * 6
        cells.append(Cell(national["change"], signed(national["change"])) if national_shown else WITHHELD)
        rows.append(cells)
    words: list[str | Table | Chart] = [_plain_change(framework, since, shown)]
    if clear:
        words.append(f"Clear changes for this {framework.unit}: {'; '.join(clear)}.")
    else:
        words.append(
            f"No practice or stage changed clearly for this {framework.unit} (by more than chance would explain)."
        )
    if unclear:
        words.append(
            f"Neither this {framework.unit} nor the country changed clearly in {join_words(unclear)}, so "
            f"{'it is' if len(unclear) == 1 else 'they are'} not in the table."
        )
    if absent:
        words.append(
            f"There is no change to give for {join_words(absent)}: in one round or the other this "
            f"{framework.unit} had too few scored answers there to measure one."
        )
    if not rows:
        return Section("since", f"Since {label}", words)
    table = Table(
        "trust-since",
        f"Change since {label}: this {framework.unit} and the national picture",
        ["Practice or stage", label, NOW, "Change", "Change: 95% from", "Change: 95% to", "Clear?", "National change"],
        rows,
        notes=[
            "A change is clear when its 95% interval leaves out zero. A change is withheld wherever either round's "
            "figure is."
        ],
    )
    return Section("since", f"Since {label}", [*words, table])


def _plain_change(framework: Framework, since: Since, shown: Callable[[str, str, str], bool]) -> str:
    """The change in one sentence: the country's, then this unit's, each with whether it is clear of chance."""
    label = since.label
    mine, national = since.scopes.get("overall", ({}, {}))
    parts = []
    if national and shown(NATIONAL, "scope", "overall") and national["change"] is not None:
        side = clear_side(national["change_ci95"])
        parts.append(
            f"the national mean {moved_words(national['change'])} ({signed(national['change'])}, "
            f"{'clear' if side else 'not clear of chance'})"
        )
    if mine and shown(TRUST, "scope", "overall") and mine["change"] is not None:
        side = clear_side(mine["change_ci95"])
        parts.append(
            f"this {framework.unit}'s went from {mine['earlier_mean']:.2f} to {mine['later_mean']:.2f}, "
            f"{signed(mine['change'])}{interval_words(mine['change_ci95'])}: "
            + (f"a clear {side}" if side else "no clear change")
        )
    else:
        parts.append(f"this {framework.unit}'s change is withheld")
    return f"Since {label}, " + "; ".join(parts) + "."


def _by_question(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> Section:
    """Each question's mean beside the national one, and how this unit's answers spread over the scale, withheld
    by the same rules as every other figure (a practice's questions add up to it)."""
    scored = [a for a in framework.scale if a.score is not None]
    subsections = []
    for number, practice in enumerate(framework.practices, start=1):
        rows = []
        for question in practice.questions:
            q = profile["questions"][question.id]
            mine = _shown(q["mean"], TRUST, "question", question.id, hidden)
            national = _shown(q["national"], NATIONAL, "question", question.id, hidden)
            given = sum(q["answers"][a.code] for a in scored)
            cells = [
                Cell(question.id, question.id),
                Cell(question.text, question.text),
                Cell(question.stage, framework.stage(question.stage).title),
                _mean(q["mean"]) if mine else _hidden_or_empty(q["respondents"]),
                _mean(q["national"]) if national else WITHHELD,
            ]
            if mine and national:
                gap = q["mean"] - q["national"]
                cells.append(Cell(gap, f"{gap:+.2f}", q["difference"] or ""))
            else:
                cells.append(WITHHELD if q["respondents"] else NONE_RESPONDED)
            for a in scored:
                share = 100 * q["answers"][a.code] / given if mine and given else None
                cells.append(Cell(share, f"{share:.0f}%") if share is not None else cells[3])
            rows.append(cells)
        table = Table(
            f"trust-questions-{practice.id}",
            f"Table Q.{number} – {practice.title}: results by question",
            [
                "Question",
                "Text",
                "Stage",
                f"This {framework.unit}",
                "National",
                "Difference",
                *(f"Answered {a.code}" for a in scored),
            ],
            rows,
            spanning=("Text", "Stage"),
            notes=[
                f"Differences of {bound(framework.notable)} or more are notable and highlighted. 'Answered': the "
                f"share of this {framework.unit}'s scored answers to the question at each score."
            ],
        )
        subsections.append(Section(f"questions-{practice.id}", practice.title, [table]))
    intro = (
        f"Each question's mean score for this {framework.unit} beside the national mean, and how its answers spread "
        "over the scale. A figure resting on too few respondents is withheld, as everywhere in this report."
    )
    return Section("questions", "Results by question", [intro], subsections)


def _about(threshold: int, unit: str) -> Section:
    return Section(
        "about",
        "About this report",
        [
            "Answers are anonymous. To keep them so, a figure resting on fewer than "
            f"{threshold} respondents is not shown, and neither is any figure that would let one of those be worked "
            "out by subtraction from a total. That includes national figures: one is withheld when too few people "
            f"stand behind it, or when the rest of the country (the national figure less this {unit}'s) would. Such "
            "cells say 'withheld'.",
        ],
    )
