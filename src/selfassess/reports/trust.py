"""A trust's own report, against the national picture, with small cells withheld.

Anonymity comes first: a figure resting on fewer than `threshold` respondents is withheld, with any other
figure that would let it be worked out by subtraction (reports.suppression). That holds for the national
figures printed beside the trust's too: the coordinator sees both, and national minus trust is the rest of the
country, so `withheld` decides every figure of the report at once, over every sum that ties them. Withheld
values never reach the report object, so no rendering (HTML, PDF, workbook, chart) can show them.
"""

from __future__ import annotations

import math
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
    count_words,
    counted_words,
    interval_columns,
    interval_text,
    join_words,
    mean_text,
    scope_title,
    with_interval,
)
from selfassess.reports.national import band_edges
from selfassess.reports.suppression import THRESHOLD, suppress
from selfassess.text import counted

NONE_RESPONDED = Cell(None, "none responded", "none")  # nobody to withhold: said so, not 'withheld'


def _hidden_or_empty(respondents: int) -> Cell:
    """What stands in a cell with no figure shown: nobody answered there, or a figure that exists is withheld."""
    return NONE_RESPONDED if respondents == 0 else WITHHELD


ALL = "all"
NATIONAL, REST, TRUST = "national", "rest of the country", "trust"
# The benchmark group's figures, and the parts of it no report shows: the group less this trust, the country
# less the group, and each other trust of the group.
GROUP, GROUP_REST, BEYOND, MEMBER = "group", "rest of the group", "outside the group", "member"
BEST, LOWEST = "group best", "group lowest"  # one trust's mean each


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
        _adding_up(framework, lines, _whose(whose))
    groups, row_ids = [*framework.audience_ids, ALL], [*framework.sector_ids, ALL]

    def grid(sector: str, group: str) -> tuple[str, ...]:
        return (TRUST, "scope", "overall") if sector == group == ALL else (TRUST, "sector", sector, group)

    for r in row_ids:
        for g in groups:
            respondents.setdefault(grid(r, g), profile["sectors"][r][g]["respondents"])
    lines += [[grid(r, g) for g in groups] for r in row_ids]
    lines += [[grid(r, g) for r in row_ids] for g in groups]
    unshown = {cell for cell in respondents if cell[0] == REST or cell[1] == "outside"}
    too_few: set[tuple[str, ...]] = set()  # a group's figures held back for too few trusts: protected too
    if profile.get("group"):
        unshown |= _group_cells(framework, profile, respondents, lines, too_few)
    # The national figures (and the group's best and lowest) are the first to go when a second must, then the
    # group's: the trust's own are what the report is for.
    hidden = suppress(
        respondents, lines, threshold, unshown, priority=lambda cell: FIRST_TO_GO.get(cell[0], 2), withheld=too_few
    )
    return hidden | too_few


FIRST_TO_GO = {NATIONAL: 0, BEST: 0, LOWEST: 0, GROUP: 1}


def _group_cells(
    framework: Framework,
    profile: dict[str, Any],
    respondents: dict[tuple[str, ...], int],
    lines: list[list[tuple[str, ...]]],
    too_few: set[tuple[str, ...]],
) -> set[tuple[str, ...]]:
    """Add the benchmark group's figures to the sums (in place) and return the cells no report shows; the group's
    figures not shown for too few trusts with a mean go into `too_few`, to be kept from subtraction as well.

    The group is this trust plus the rest of the group, and the country is the group plus the rest outside it,
    for every practice, stage and question; the rest of the group is its other trusts, each of whose practice and
    stage means is a figure in its own right (the group's best or lowest is one of them, or this trust's own);
    and each of these adds up over practices, stages and questions as this trust's figures do.
    """
    group, trust = profile["group"], profile["trust"]
    others = [code for code in group["scopes"]["overall"]["respondents"] if code != trust]
    unshown: set[tuple[str, ...]] = set()
    kinds = (
        ("scope", group["scopes"], framework.scopes),
        ("stage", group["stages"], framework.stage_ids),
        ("question", group["questions"], framework.question_ids),
        ("outside", {"outside": group["outside_stages"]}, ("outside",)),
    )
    for kind, figures, ids in kinds:
        for key in ids:
            g = figures[key]
            total = sum(g["respondents"].values())
            respondents[(GROUP, kind, key)] = total
            respondents[(GROUP_REST, kind, key)] = total - respondents[(TRUST, kind, key)]
            respondents[(BEYOND, kind, key)] = respondents[(NATIONAL, kind, key)] - total
            lines.append([(TRUST, kind, key), (GROUP_REST, kind, key), (GROUP, kind, key)])
            lines.append([(GROUP, kind, key), (BEYOND, kind, key), (NATIONAL, kind, key)])
            unshown |= {(GROUP_REST, kind, key), (BEYOND, kind, key)}
            if kind == "outside":
                unshown.add((GROUP, kind, key))
            elif not g["shown"]:
                too_few.add((GROUP, kind, key))
            if kind == "question":
                continue
            for code in others:
                respondents[(MEMBER, kind, key, code)] = g["respondents"][code]
                unshown.add((MEMBER, kind, key, code))
            lines.append([*((MEMBER, kind, key, code) for code in others), (GROUP_REST, kind, key)])
            for end, holder in (g.get("holders") or {}).items():
                if holder != trust:  # this trust's own best or lowest is shown and withheld with its own mean
                    cell = (BEST if end == "best" else LOWEST, kind, key)
                    respondents[cell] = respondents[(MEMBER, kind, key, holder)]
                    lines.append([(MEMBER, kind, key, holder), cell])  # the best (or lowest) is that trust's mean
    for whose in (GROUP, GROUP_REST, BEYOND):
        _adding_up(framework, lines, _whose(whose))
    for code in others:
        _adding_up(framework, lines, _whose(MEMBER, code), questions=False)
    return unshown


def _whose(whose: str, member: str | None = None) -> Callable[[str, str], tuple[str, ...]]:
    """The cell key maker for one body of respondents: (whose, kind, id), and a member trust's code last."""

    def cell(kind: str, key: str) -> tuple[str, ...]:
        return (whose, kind, key) if member is None else (whose, kind, key, member)

    return cell


def _adding_up(
    framework: Framework,
    lines: list[list[tuple[str, ...]]],
    cell: Callable[[str, str], tuple[str, ...]],
    questions: bool = True,
) -> None:
    """The sums within one body of respondents: overall = the practices = the stages + the answers outside their
    stages' audiences, and (where its questions are figures) a practice = its questions."""
    overall = cell("scope", "overall")
    lines.append([*(cell("scope", p) for p in framework.practice_ids), overall])
    lines.append([*(cell("stage", s) for s in framework.stage_ids), cell("outside", "outside"), overall])
    if questions:
        for practice in framework.practices:
            lines.append([*(cell("question", q.id) for q in practice.questions), cell("scope", practice.id)])


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
    # The earlier round's withheld figures stay withheld: worked out once, for the summary and "Since" alike.
    before = withheld(framework, since.earlier, threshold) if since is not None and since.earlier else set()

    def both_rounds(whose: str, kind: str, key: str) -> bool:
        return (whose, kind, key) not in hidden and (whose, kind, key) not in before

    sections = [
        _summary(framework, profile, hidden, since, both_rounds),
        _practices(framework, profile, hidden),
        _stages(framework, profile, hidden),
        _sectors(framework, profile, hidden, threshold),
        _quota(framework, profile),
        _differences(framework, profile, hidden),
    ]
    if "group" in profile:
        sections.insert(2, _in_group(framework, profile, hidden))
    if since is not None:
        sections.append(_since(framework, since, both_rounds))
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
class Against:
    """A benchmark a mean is set against: which ("national" or "group"), its mean, the 95% interval of
    the difference from it, and the side of zero that interval lies wholly on ('above', 'below' or '')."""

    words: str
    mean: float
    ci: list[float] | None
    clear: str


@dataclass(frozen=True)
class Standing:
    """A practice, stage or question whose mean for this unit is shown, against each benchmark shown beside it."""

    name: str
    mean: float
    against: tuple[Against, ...]
    order: int  # the framework's order, to break ties
    question: bool = False  # questions are named among the clear ones only

    def clearness(self, side: str) -> float | None:
        """How clearly this mean lies on `side` of its benchmarks, or None where it clearly lies on that side of
        none: the difference against its uncertainty (the interval's centre over half its width, a t-like ratio),
        the largest over the benchmarks it is clearly on that side of."""
        ratios = []
        for a in self.against:
            if a.clear == side and a.ci is not None:
                half = (a.ci[1] - a.ci[0]) / 2
                centre = abs(a.ci[0] + a.ci[1]) / 2
                ratios.append(centre / half if half > 0 else math.inf)
        return max(ratios) if ratios else None


def standings(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> list[Standing]:
    """Every practice, stage and question whose mean for this unit is shown, with the national and group
    benchmarks that are shown beside it."""
    group = profile.get("group")
    named = [("scope", p.id, p.title.lower(), profile["scopes"][p.id]) for p in framework.practices]
    named += [("stage", s.id, f"the {s.short.lower()} stage", profile["stages"][s.id]) for s in framework.stages]
    named += [("question", q.id, _question_name(q), profile["questions"][q.id]) for q in framework.questions]
    found = []
    for order, (kind, key, name, v) in enumerate(named):
        if not _shown(v["mean"], TRUST, kind, key, hidden):
            continue
        against = []
        if _shown(v["national"], NATIONAL, kind, key, hidden):
            against.append(Against("national", v["national"], v["difference_ci95"], v["clear"] or ""))
        g = group[{"scope": "scopes", "stage": "stages", "question": "questions"}[kind]][key] if group else None
        if g is not None and _group_shown(g, kind, key, hidden):
            against.append(Against("group", g["mean"], g["difference_ci95"], g["clear"] or ""))
        if against:
            found.append(Standing(name, v["mean"], tuple(against), order, kind == "question"))
    return found


def _question_name(question: Any, most: int = 60) -> str:
    """A question named in a sentence: its id and its words, cut at a word with an ellipsis beyond `most`."""
    text = " ".join(question.text.split())
    if len(text) > most:
        text = text[: text.rfind(" ", 0, most) if " " in text[:most] else most].rstrip(" ,;:") + "…"
    return f"question {question.id} (“{text}”)"


def _group_shown(g: dict[str, Any], kind: str, key: str, hidden: set[tuple[str, ...]]) -> bool:
    return bool(g["shown"]) and _shown(g["mean"], GROUP, kind, key, hidden)


def strengths_and_priorities(found: list[Standing]) -> tuple[list[Standing], bool, list[Standing], bool]:
    """The rule: strengths are the practices, stages and questions where this unit is clearly above the national
    mean or its group's (the difference's 95% interval wholly above zero), the clearest first (`clearness`: the
    difference against its uncertainty, so a practice resting on many answers outranks a question with a wider
    gap but a wider interval); priorities, clearly below either, the clearest first; at most three of each.
    Failing any clear one, its highest (or lowest) practices and stages instead, said as such, and none named
    twice. Ties go to the framework's order. Returns each list and whether it holds clear ones."""
    above = sorted((f for f in found if f.clearness("above")), key=lambda f: (-(f.clearness("above") or 0), f.order))
    below = sorted((f for f in found if f.clearness("below")), key=lambda f: (-(f.clearness("below") or 0), f.order))
    broad = [f for f in found if not f.question]
    highest = sorted(broad, key=lambda f: (-f.mean, f.order))
    lowest = sorted(broad, key=lambda f: (f.mean, f.order))
    strengths = above[:MOST] if above else highest[:MOST]
    priorities = below[:MOST] if below else [f for f in lowest if f not in strengths][:MOST]
    return strengths, bool(above), priorities, bool(below)


def _figure(f: Standing, side: str | None) -> str:
    """One standing's figures, short enough for the summary page (the tables give each interval): how far it lies
    on `side` of each benchmark it is clearly on that side of, or (side None) its mean beside every benchmark."""
    if side is None:
        return f"{f.name}: {f.mean:.2f} (" + ", ".join(f"{a.words} {a.mean:.2f}" for a in f.against) + ")"
    named = {"national": "the national", "group": "its group's"}
    gaps = [f"{abs(f.mean - a.mean):.2f} {side} {named[a.words]} {a.mean:.2f}" for a in f.against if a.clear == side]
    return f"{f.name}: {f.mean:.2f}, " + join_words(gaps)


def _summary(
    framework: Framework,
    profile: dict[str, Any],
    hidden: set[tuple[str, ...]],
    since: Since | None,
    shown: Callable[[str, str, str], bool],
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
    if profile.get("group") is not None:
        blocks.append(_in_group_words(framework, profile, hidden))
    blocks.append(_place_chart(framework, profile, overall["mean"] if mine else None, _group_range(profile, hidden)))
    strengths, clear_up, priorities, clear_down = strengths_and_priorities(standings(framework, profile, hidden))
    benchmarks = "the national mean or its group's" if profile.get("group") else "the national mean"
    for found, clear, side, ends in (
        (strengths, clear_up, "above", "highest"),
        (priorities, clear_down, "below", "lowest"),
    ):
        if found:
            kind = "Strengths" if side == "above" else "Priorities"
            lead = (
                f"{kind}, clearly {side} {benchmarks}"
                if clear
                else (f"Nothing is clearly {side} {benchmarks}; the {ends} practices and stages are")
            )
            blocks.append(f"{lead}: " + "; ".join(_figure(f, side if clear else None) for f in found) + ".")
    if not strengths and not priorities:
        blocks.append(f"No practice or stage can be set against {benchmarks}: their figures are withheld.")
    if since is not None and since.earlier is not None:
        blocks.append(_plain_change(framework, since, shown))
    blocks.append(_responded(framework, profile))
    return Section("summary", "Summary", blocks)


def _group_range(profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> tuple[float, float] | None:
    """The lowest and best overall means of this unit's group, where both are shown."""
    group = profile.get("group")
    if not group or not group["scopes"]["overall"]["shown"]:
        return None
    g = group["scopes"]["overall"]
    if all(_end_shown(profile, g, end, "scope", "overall", hidden) for end in ("best", "lowest")):
        return g["lowest"], g["best"]
    return None


def _end_shown(
    profile: dict[str, Any], g: dict[str, Any], end: str, kind: str, key: str, hidden: set[tuple[str, ...]]
) -> bool:
    """Whether the group's best (or lowest) mean is shown: it is one trust's mean, so where it is this unit's
    own it goes with its own mean, and otherwise it is a figure of its own in the suppression."""
    if not g["shown"] or not g["holders"] or g[end] is None:
        return False
    if g["holders"][end] == profile["trust"]:
        return (TRUST, kind, key) not in hidden
    return (BEST if end == "best" else LOWEST, kind, key) not in hidden


def _in_group_words(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> str:
    """Where this unit stands in its benchmark group, in one sentence."""
    group, unit, units = profile["group"], framework.unit, framework.units
    g = group["scopes"]["overall"]
    named = (
        f"its benchmark group, {group['name']} ({group['attribute']}; {counted_words(group['trusts'], unit, units)})"
    )
    if not g["shown"]:
        return (
            f"This {unit} is in {named}. Fewer than {group['min_trusts']} of the group's {units} have a mean score, "
            "the fewest for which a group's figures are shown, so none is."
        )
    parts = []
    if _group_shown(g, "scope", "overall", hidden):
        parts.append(f"the group's mean is {g['mean']:.2f}")
    ends = _group_range(profile, hidden)
    own = _shown(profile["scopes"]["overall"]["mean"], TRUST, "scope", "overall", hidden) and g["rank"] is not None
    if g["of"] == 1 and own:
        parts.append(f"this {unit} is the only one of them with a mean score")
    else:
        if ends is not None and ends[0] == ends[1]:
            parts.append(f"each of its {count_words(g['of'])} {units} with a mean score has {ends[0]:.2f}")
        elif ends is not None:
            parts.append(f"its {units} range from {ends[0]:.2f} to {ends[1]:.2f}")
        if own:
            parts.append(f"this {unit} is {ordinal(g['rank'])} of the {count_words(g['of'])} by mean score")
    if not parts:
        return f"This {unit} is in {named}; the group's overall figures are withheld here."
    return f"This {unit} is in {named}: " + join_words(parts) + "."


def _place_chart(
    framework: Framework, profile: dict[str, Any], mean: float | None, group: tuple[float, float] | None = None
) -> Chart:
    """The national distribution of unit means (as the national report draws it), this unit's marked, and its
    group's range bracketed where that is shown."""
    means = profile["national_trust_means"]
    unit = framework.unit
    title = f"Where this {unit} stands among {framework.units}"
    caption = f"How many {framework.units} have each mean score, over the bands; the dashed line is the midpoint."
    caption += f" The solid line is this {unit}." if mean is not None else f" This {unit}'s mean is withheld."
    if group is not None:
        caption += f" The bracket beneath spans its group's {framework.units}, {group[0]:.2f} to {group[1]:.2f}."
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
        ("its group", *group) if group is not None else None,
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


def _in_group(framework: Framework, profile: dict[str, Any], hidden: set[tuple[str, ...]]) -> Section:
    """Each practice and stage against the unit's benchmark group: the group's mean and interval, the
    difference and how sure it is, the group's best and lowest means, and this unit's place in the group."""
    unit, units, group = framework.unit, framework.units, profile["group"]
    title = f"Your {unit} in its benchmark group"
    if group is None:
        return Section("group", title, [f"This {unit} is in no benchmark group, so there is no group to compare."])
    rows = []
    items = [("scope", scope, scope_title(framework, scope)) for scope in framework.scopes]
    items += [("stage", s.id, f"Stage {s.id}: {s.short}") for s in framework.stages]
    for kind, key, name in items:
        mine, g = profile[f"{kind}s"][key], group[f"{kind}s"][key]
        own = _shown(mine["mean"], TRUST, kind, key, hidden)
        cells = [Cell(key, name), _mean(mine["mean"]) if own else _hidden_or_empty(mine["respondents"])]
        if not g["shown"]:
            rows.append([*cells, *[WITHHELD] * 7])
            continue
        shown = _group_shown(g, kind, key, hidden)
        cells += [_mean(g["mean"]), Cell(None, interval_text(g["ci95"]))] if shown else [WITHHELD] * 2
        if own and shown:
            gap, ci = mine["mean"] - g["mean"], g["difference_ci95"]
            sure = "–" if ci is None else f"{ci[0]:+.2f} to {ci[1]:+.2f}, " + ("clear" if g["clear"] else "unclear")
            cells += [Cell(gap, f"{gap:+.2f}", g["notable"]), Cell(g["clear"], sure)]
        else:
            cells += [WITHHELD] * 2
        for end in ("best", "lowest"):
            cells.append(_mean(g[end]) if _end_shown(profile, g, end, kind, key, hidden) else WITHHELD)
        cells.append(Cell(g["rank"], f"{ordinal(g['rank'])} of {g['of']}") if own and g["rank"] else WITHHELD)
        rows.append(cells)
    table = Table(
        "trust-group",
        f"Mean score by practice and stage, beside its group ({group['name']})",
        [
            "Practice or stage",
            f"This {unit}",
            "Group",
            "Group: 95% interval",
            "Difference",
            "How sure",
            "Group best",
            "Group lowest",
            "Place in group",
        ],
        rows,
        notes=[
            f"The group is the {counted_words(group['trusts'], unit, units)} whose {group['attribute']} is "
            f"{group['name']}, "
            f"this one included. Its figures are shown where at least {group['min_trusts']} of them have a mean. "
            f"'Group best' and 'Group lowest' are the highest and lowest of their means; the place counts the "
            f"{units} above this one, and {units} with equal means share a place.",
            f"Differences of {bound(framework.notable)} or more are notable and highlighted. 'Clear': the "
            "difference's 95% interval leaves out zero.",
        ],
    )
    return Section("group", title, [_in_group_words(framework, profile, hidden), table])


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


def _since(framework: Framework, since: Since, shown: Callable[[str, str, str], bool]) -> Section:
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
    group = profile.get("group")
    subsections = []
    for number, practice in enumerate(framework.practices, start=1):
        rows = []
        for question in practice.questions:
            q = profile["questions"][question.id]
            mine = _shown(q["mean"], TRUST, "question", question.id, hidden)
            national = _shown(q["national"], NATIONAL, "question", question.id, hidden)
            given = sum(q["answers"][a.code] for a in scored)
            own = _mean(q["mean"]) if mine else _hidden_or_empty(q["respondents"])
            cells = [
                Cell(question.id, question.id),
                Cell(question.text, question.text),
                Cell(question.stage, framework.stage(question.stage).title),
                own,
                _mean(q["national"]) if national else WITHHELD,
            ]
            if mine and national:
                gap = q["mean"] - q["national"]
                cells.append(Cell(gap, f"{gap:+.2f}", q["difference"] or ""))
            else:
                cells.append(WITHHELD if q["respondents"] else NONE_RESPONDED)
            if group:
                g = group["questions"][question.id]
                in_group = _group_shown(g, "question", question.id, hidden)
                flag = g["notable"] if mine else ""
                cells.append(Cell(g["mean"], mean_text(g["mean"]), flag) if in_group else WITHHELD)
            for a in scored:
                share = 100 * q["answers"][a.code] / given if mine and given else None
                cells.append(Cell(share, f"{share:.0f}%") if share is not None else own)
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
                *(["Group"] if group else []),
                *(f"Answered {a.code}" for a in scored),
            ],
            rows,
            spanning=("Text", "Stage"),
            notes=[
                f"Differences of {bound(framework.notable)} or more are notable and highlighted"
                + (" (in the group's column, this one's difference from the group)" if group else "")
                + f". 'Answered': the share of this {framework.unit}'s scored answers to the question at each score."
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
