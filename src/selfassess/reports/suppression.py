"""Small-cell suppression for what anyone below the national administrator sees.

Primary: a figure resting on fewer than THRESHOLD respondents (but more than none) is not shown.
Complementary: figures are tied by sums. A table's total is the sum of its parts (for counts exactly; for
means near enough, weighted by numbers the reader may know), and a national figure is this trust plus the rest
of the country, which the reader never sees but could work out by subtraction. So:

1. where a sum has exactly one unknown figure that needs protecting, a second one is withheld: the
   cheapest to lose (`priority`, then the fewest respondents), parts before the total;
2. then an attacker's linear algebra over every sum is run exactly (`determined`); while it can still solve
   for a protected figure, another figure is withheld, the cheapest whose loss stops that, and step 1 runs
   again.

Cells the reader never sees (`unshown`) are unknowns to the attacker from the start; they need protecting
only when they themselves rest on fewer than the threshold.

>>> cells = {"a": 3, "b": 9, "total": 12}
>>> sorted(suppress(cells, [["a", "b", "total"]], threshold=5))
['a', 'b']
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from fractions import Fraction
from typing import Any

THRESHOLD = 5  # respondents; a setting (selfassess report --threshold)

Priority = Callable[[Any], int]  # lower: withheld first when a second figure must go


def suppress(
    respondents: Mapping[Any, int],
    lines: Sequence[Sequence[Any]],
    threshold: int = THRESHOLD,
    unshown: Collection[Any] = frozenset(),
    priority: Priority = lambda cell: 0,
    withheld: Collection[Any] = frozenset(),
) -> set[Any]:
    """The shown cells to withhold. `lines` are groups of cells tied by a sum (the parts, then their total).
    `withheld`: cells withheld from the start for a reason of their own, protected as small ones are."""
    # A cell with no respondents is known to be empty, shown or not: it is no unknown to an attacker.
    unshown = frozenset(c for c in unshown if respondents.get(c, 0) > 0)
    hidden = {cell for cell, n in respondents.items() if cell not in unshown and 0 < n < threshold}
    hidden |= {cell for cell in withheld if respondents.get(cell, 0) > 0}
    small_unshown = {cell for cell in unshown if 0 < respondents.get(cell, 0) < threshold}

    def candidates(line: Sequence[Any]) -> list[Any]:
        # Cells with no respondents are known to be empty: withholding them protects nothing.
        total = line[-1]
        shown = [c for c in line if c not in hidden and c not in unshown and respondents.get(c, 0) > 0]
        return sorted(shown, key=lambda c: (priority(c), c == total, respondents[c], repr(c)))

    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                missing = [c for c in line if c in hidden or c in unshown]
                if len(missing) == 1 and (missing[0] in hidden or missing[0] in small_unshown):
                    choice = candidates(line)
                    if choice:
                        hidden.add(choice[0])
                        changed = True
        exposed = sorted(determined(hidden | unshown, lines) & (hidden | small_unshown), key=repr)
        if not exposed:
            return hidden
        # The attacker solved for it through some chain of sums: withhold the first figure (cheapest first)
        # whose loss breaks that chain; failing one, the cheapest of all, and look again.
        choice = sorted(
            {c for line in lines for c in candidates(line)}, key=lambda c: (priority(c), respondents[c], repr(c))
        )
        if not choice:  # nothing left to withhold (cannot happen while totals carry respondents)
            return hidden
        breaking = (c for c in choice if exposed[0] not in determined(hidden | unshown | {c}, lines))
        hidden.add(next(breaking, choice[0]))


def determined(unknowns: Collection[Hashable], lines: Sequence[Sequence[Any]]) -> set[Any]:
    """The unknown cells that the sums pin down exactly, whatever the shown cells hold.

    Each line says total - sum(parts) = (what is shown of it). Over the unknowns that is a linear system; an
    unknown is determined when every solution of the homogeneous system leaves it at zero, which (reduced row
    echelon form, in exact fractions) is when its column has a pivot whose row has no free column. Rows are kept
    sparse (a line ties a handful of a report's hundreds of figures), which keeps the elimination quick.
    """
    order = sorted(unknowns, key=repr)
    index = {cell: i for i, cell in enumerate(order)}
    rows: list[dict[int, Fraction | int]] = []
    for line in lines:
        row: dict[int, Fraction | int] = {}
        for position, cell in enumerate(line):
            if cell in index:
                column = index[cell]
                value = row.get(column, 0) + (1 if position == len(line) - 1 else -1)
                if value:
                    row[column] = value
                else:
                    row.pop(column, None)
        if row:
            rows.append(row)
    pivots = _reduce(rows)
    # In reduced form a pivot's row holds no other pivot column: the unknown is pinned when it holds nothing else.
    return {order[column] for column, r in pivots.items() if len(rows[r]) == 1}


def _reduce(rows: list[dict[int, Fraction | int]]) -> dict[int, int]:
    """Gauss-Jordan elimination in place over sparse rows ({column: value}, exact); returns {pivot column: its
    row}."""
    pivots: dict[int, int] = {}
    r = 0
    for column in sorted({c for row in rows for c in row}):
        found = next((i for i in range(r, len(rows)) if column in rows[i]), None)
        if found is None:
            continue
        rows[r], rows[found] = rows[found], rows[r]
        lead = rows[r][column]
        if lead != 1:
            rows[r] = {k: (v * lead if lead == -1 else Fraction(v) / lead) for k, v in rows[r].items()}
        pivot = rows[r]
        for i, row in enumerate(rows):
            if i != r and column in row:
                factor = row[column]
                for k, v in pivot.items():
                    value = row.get(k, 0) - factor * v
                    if value:
                        row[k] = value
                    else:
                        del row[k]
        pivots[column] = r
        r += 1
    return pivots
