"""The national report's chapter on change since an earlier round, from the results' `comparison` block.

Every figure is the engine's; the sentences say which changes are clear (the 95% interval of the change leaves
out zero), as the NHS Staff Survey's benchmark reports flag significant changes since last year.
"""

from __future__ import annotations

from typing import Any

from selfassess.analysis.contract import Change, Results, ScopeChange
from selfassess.framework import Framework
from selfassess.reports import charts
from selfassess.reports.document import (
    Cell,
    Chart,
    Section,
    Table,
    bound,
    count_words,
    counted_words,
    join_words,
    mean_cell,
    plural,
)

ALL = "all"
NOW = "This round"


def signed(x: float | None) -> str:
    """+0.12, −0.05; a change that rounds to nothing is 0.00, never −0.00."""
    if x is None:
        return "–"
    return "0.00" if round(x, 2) == 0 else f"{x:+.2f}"


def interval_words(ci: list[float] | None) -> str:
    return "" if ci is None else f" (95% interval {signed(ci[0])} to {signed(ci[1])})"


def moved_words(change: float) -> str:
    """'rose', 'fell', or 'barely moved' for a change that rounds to nothing."""
    return "barely moved" if round(change, 2) == 0 else "rose" if change > 0 else "fell"


def clear_side(ci: list[float] | None) -> str:
    """'rise' or 'fall' where the change's interval leaves out zero, else ''."""
    if ci is None:
        return ""
    return "rise" if ci[0] > 0 else "fall" if ci[1] < 0 else ""


def change_cells(c: Change) -> list[Cell]:
    """A change entry's earlier and later means, change, its interval and whether it is clear, as cells."""
    ci = c["change_ci95"]
    side = clear_side(ci)
    return [
        mean_cell(c["earlier_mean"]),
        mean_cell(c["later_mean"]),
        Cell(c["change"], signed(c["change"])),
        Cell(None if ci is None else ci[0], signed(None if ci is None else ci[0])),
        Cell(None if ci is None else ci[1], signed(None if ci is None else ci[1])),
        Cell(side, {"rise": "clear rise", "fall": "clear fall"}.get(side, "not clear")),
    ]


def change_rows(items: list[tuple[str, str, Change]]) -> list[list[Cell]]:
    """(id, title, change entry) as table rows."""
    return [[Cell(key, title), *change_cells(c)] for key, title, c in items]


def change_columns(first: str, label: str) -> list[str]:
    return [first, label, NOW, "Change", "Change: 95% from", "Change: 95% to", "Clear?"]


def change_chapter(framework: Framework, results: Results, number: int) -> Section:
    comparison = results["comparison"]
    label = comparison["earlier"]["label"]
    scopes = comparison["scopes"]
    practices = [p for p in framework.practices if p.id in scopes]
    blocks: list[str | Table | Chart] = [_overall_words(scopes["overall"]["responses"][ALL], label)]
    if comparison["questions_left_out"]:
        left_out = comparison["questions_left_out"]
        blocks.append(
            f"The frameworks of the two rounds differ: {count_words(len(left_out))} "
            f"{plural(len(left_out), 'question', 'questions')} ({join_words(left_out)}) "
            f"{plural(len(left_out), 'is', 'are')} in only one of them and left out of every comparison, so the "
            "means here are over the questions both rounds asked."
        )
    blocks.append(_practice_words(practices, scopes))
    items = [(p.id, p.title, scopes[p.id]["responses"][ALL]) for p in practices]
    items.append(("overall", "All questions", scopes["overall"]["responses"][ALL]))
    title = f"Graph {number}.1 – Mean score by practice, {label} and this round"
    data = Table(
        f"data-{number}.1", f"Numbers for graph {number}.1", change_columns("Practice", label), change_rows(items)
    )
    svg = charts.dumbbell(
        title,
        [t for _, t, _ in items],
        [c["earlier_mean"] for _, _, c in items],
        [c["later_mean"] for _, _, c in items],
        (label, NOW),
        charts.axis_of(framework),
    )
    caption = f"Each practice's mean in {label} and in this round, joined: the longer the line, the larger the change."
    blocks.append(Chart(f"graph-{number}.1", title, caption, svg, data))
    overall = scopes["overall"]
    audiences = [
        (a.id, a.title, overall["responses"][a.id]) for a in framework.audiences if a.id in overall["responses"]
    ]
    blocks.append(
        Table(
            f"table-{number}.1",
            f"Table {number}.1 – Change by audience type, all questions",
            change_columns("Audience", label),
            change_rows(audiences),
        )
    )
    blocks.append(_stage_chart(framework, overall, label, number))
    sectors = [
        (s.id, s.title, overall["sector_change"][ALL][s.id])
        for s in framework.sectors
        if s.id in overall["sector_change"][ALL]
    ]
    blocks.append(
        Table(
            f"table-{number}.2",
            f"Table {number}.2 – Change by sector, all questions",
            change_columns("Sector", label),
            change_rows(sectors),
        )
    )
    blocks += _matched(framework, overall, label, number)
    return Section(f"chapter-{number}", f"{number}. Change since {label}", blocks)


def _overall_words(c: Change, label: str) -> str:
    if c["change"] is None:
        return f"There are no scored answers to compare between {label} and this round."
    side = clear_side(c["change_ci95"])
    sure = "a clear change" if side else "not clear of chance"
    return (
        f"Across the questions both rounds asked, the national mean score went from {c['earlier_mean']:.2f} in "
        f"{label} to {c['later_mean']:.2f}, a change of {signed(c['change'])}{interval_words(c['change_ci95'])}: "
        f"{sure}."
    )


def _practice_words(practices: list[Any], scopes: dict[str, ScopeChange]) -> str:
    """'Mean scores rose in four of the five practices; the rise was clear for information sharing, +0.12
    (95% interval +0.05 to +0.19).'"""
    changes = {p.id: scopes[p.id]["responses"][ALL] for p in practices}
    moved = {p.id: c for p in practices if (c := changes[p.id]["change"]) is not None}
    rose = [p for p in practices if moved.get(p.id, 0) > 0]
    fell = [p for p in practices if moved.get(p.id, 0) < 0]
    n = len(moved)
    text = f"Mean scores rose in {count_words(len(rose))} of the {count_words(n)} practices"
    if fell:
        text += f" and fell in {count_words(len(fell))}"
    parts = []
    for kind, group in (("rise", rose), ("fall", fell)):
        clear = [p for p in group if clear_side(changes[p.id]["change_ci95"]) == kind]
        if clear:
            named = [
                f"{p.title.lower()}, {signed(changes[p.id]['change'])}{interval_words(changes[p.id]['change_ci95'])}"
                for p in clear
            ]
            parts.append(f"the {kind} was clear for {join_words(named)}")
        elif group:
            parts.append(f"no {kind} was clear of chance")
    return text + ("; " + "; ".join(parts) if parts else "") + "."


def _stage_chart(framework: Framework, overall: ScopeChange, label: str, number: int) -> Chart:
    stages = [s for s in framework.stages if s.id in overall["stage_change"][ALL]]
    changes = overall["stage_change"][ALL]
    title = f"Graph {number}.2 – Mean score by stage, {label} and this round"
    items = [(s.id, f"{s.id}: {s.short}", changes[s.id]) for s in stages]
    data = Table(
        f"data-{number}.2", f"Numbers for graph {number}.2", change_columns("Stage", label), change_rows(items)
    )
    series = {
        label: [changes[s.id]["earlier_mean"] for s in stages],
        NOW: [changes[s.id]["later_mean"] for s in stages],
    }
    svg = charts.radar(title, [t for _, t, _ in items], series, charts.axis_of(framework))
    caption = (
        f"Mean score at each stage, all audiences together, in {label} and in this round. The dashed ring is the "
        "midpoint. Stages count only the audiences they were meant for, in both rounds."
    )
    return Chart(f"graph-{number}.2", title, caption, svg, data)


def _matched(framework: Framework, overall: ScopeChange, label: str, number: int) -> list[str | Table | Chart]:
    matched = overall["matched"]
    k = matched["trusts"]
    if not k:
        return [f"No {framework.unit} took part in both rounds, so none can be followed from one to the other."]
    words = (
        f"{_cap(counted_words(k, framework.unit, framework.units))} took part in both rounds. Their mean score "
        f"changed by {signed(matched['mean_change'])} on average{interval_words(matched['ci95'])}. "
        f"{_cap(count_words(matched['improved_notably']))} improved notably (by {bound(framework.notable)} or "
        f"more) and {count_words(matched['declined_notably'])} declined notably; "
        f"{count_words(matched['improved_clearly'])} rose and {count_words(matched['declined_clearly'])} fell by more "
        "than chance would explain (the 95% interval of their own change, their respondents the clusters, leaves out "
        "zero)."
    )
    transitions = overall["band_transitions"]
    later_titles = {b.id: b.title for b in framework.bands}
    columns = [f"Band in {label}", *(later_titles.get(b, b) for b in next(iter(transitions.values()), {})), "Total"]
    rows = []
    for earlier_band, row in transitions.items():
        rows.append(
            [Cell(earlier_band, later_titles.get(earlier_band, earlier_band))]
            + [Cell(n, str(n)) for n in row.values()]
            + [Cell(sum(row.values()), str(sum(row.values())))]
        )
    table = Table(
        f"table-{number}.3",
        f"Table {number}.3 – {framework.units.capitalize()} in both rounds, by band in each",
        columns,
        rows,
        notes=[f"Rows: the band in {label}; columns: the band in this round. On the diagonal, the band is unchanged."],
    )
    return [words, table]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
