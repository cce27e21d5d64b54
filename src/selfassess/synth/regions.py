"""Invented benchmark groups for the synthetic rounds: nine regions of unequal size, given to the units in turn so
that every region has units from across the range of means. Not any real assignment."""

from __future__ import annotations

from collections.abc import Sequence

REGIONS = (
    ("North East", 6),
    ("North West", 14),
    ("Yorkshire and the Humber", 10),
    ("East Midlands", 12),
    ("West Midlands", 13),
    ("East of England", 16),
    ("London", 24),
    ("South East", 25),
    ("South West", 30),
)  # weights, out of 150


def regions(units: Sequence[str]) -> dict[str, str]:
    """Each unit's region: the regions' shares of the units follow their weights (largest remainder), and units
    are dealt to the regions round-robin among those with room left."""
    total = sum(weight for _, weight in REGIONS)
    exact = [len(units) * weight / total for _, weight in REGIONS]
    sizes = [int(e) for e in exact]
    for i in sorted(range(len(REGIONS)), key=lambda i: (sizes[i] - exact[i], i))[: len(units) - sum(sizes)]:
        sizes[i] += 1
    out: dict[str, str] = {}
    left = list(sizes)
    turn = 0
    for unit in units:
        while not left[turn % len(REGIONS)]:
            turn += 1
        region = turn % len(REGIONS)
        out[unit] = REGIONS[region][0]
        left[region] -= 1
        turn += 1
    return out
