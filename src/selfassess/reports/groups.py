"""The national report's chapter on benchmark groups (contract 3d): each group's mean with its interval and the
spread of its units' means, overall and by practice, where the contract says a group is shown."""

from __future__ import annotations

from selfassess.analysis.contract import Results
from selfassess.framework import Framework
from selfassess.reports.document import (
    WITHHELD,
    Cell,
    Section,
    Table,
    counted_words,
    interval_columns,
    mean_cell,
    scope_title,
    with_interval,
)


def groups_chapter(framework: Framework, results: Results, number: int) -> Section:
    groups = results["groups"]
    attribute, least = groups["attribute"], groups["min_trusts"]
    names = sorted(groups["of"])
    units = framework.units
    rows = []
    for name in names:
        group = groups["of"][name]
        scope = group["scopes"]["overall"]
        everyone = scope["responses"]["all"]
        cells = [Cell(name, name), Cell(len(group["trusts"]), str(len(group["trusts"])))]
        if scope["shown"]:
            spread = scope["trust_means"]
            cells += with_interval(everyone["mean"], everyone["ci95"])
            cells += [mean_cell(spread["best"]), mean_cell(spread["median"]), mean_cell(spread["lowest"])]
        else:
            cells += [WITHHELD] * 6
        rows.append(cells)
    overall = Table(
        f"table-{number}-1",
        f"Table {number}.1 – Mean score by {attribute}",
        [
            attribute.capitalize(),
            units.capitalize(),
            *interval_columns(["Mean"]),
            f"Highest {framework.unit} mean",
            f"Median {framework.unit} mean",
            f"Lowest {framework.unit} mean",
        ],
        rows,
        notes=[
            f"A group's figures are shown where at least {counted_words(least, framework.unit, units)} in it "
            "have a mean: with fewer, each one's mean could be told from the others'. Intervals treat the group's "
            f"{units} as clusters."
        ],
    )
    by_practice = Table(
        f"table-{number}-2",
        f"Table {number}.2 – Mean score by practice and {attribute}",
        [attribute.capitalize(), *(scope_title(framework, p) for p in framework.practice_ids)],
        [
            [Cell(name, name)]
            + [
                mean_cell(s["responses"]["all"]["mean"])
                if (s := groups["of"][name]["scopes"][p])["shown"]
                else WITHHELD
                for p in framework.practice_ids
            ]
            for name in names
        ],
    )
    intro = (
        f"{counted_words(len(names), 'group', 'groups').capitalize()} of {units}, by {attribute}: each group's "
        f"answers together, and how far apart its {units} are."
    )
    return Section(f"chapter-{number}", f"{number}. By {attribute}", [intro, overall, by_practice])
