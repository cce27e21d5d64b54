"""Small-cell suppression for what trust coordinators see.

Primary: a figure resting on fewer than THRESHOLD respondents (but more than none) is not shown.
Complementary: a table shows totals, and a total is the sum of its parts (for counts exactly; for means
near enough, weighted by numbers the reader may know). Where a row or column with a total would have just one
figure missing, that figure could be worked out by subtraction, so a second one is withheld too: the smallest
other part, or else the total. This repeats until no row or column has exactly one figure missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

THRESHOLD = 5  # respondents; a setting (selfassess report --threshold)


def suppress(respondents: Mapping[Any, int], lines: Sequence[Sequence[Any]], threshold: int = THRESHOLD) -> set[Any]:
    """The cells to withhold. `lines` are groups of cells tied by a sum (the parts and their total, total last)."""
    hidden = {cell for cell, n in respondents.items() if 0 < n < threshold}
    changed = True
    while changed:
        changed = False
        for line in lines:
            missing = [c for c in line if c in hidden]
            if len(missing) != 1:
                continue
            # Cells with no respondents are known to be empty: withholding them protects nothing.
            candidates = [c for c in line if c not in hidden and respondents.get(c, 0) > 0]
            if not candidates:
                continue
            parts = [c for c in candidates if c != line[-1]]
            choice = min(parts, key=lambda c: respondents[c]) if parts else candidates[0]
            hidden.add(choice)
            changed = True
    return hidden
