"""The executive summary's first lines: what a reader needs before anything else, each a sentence made from the
results by rule. Where the country stands (the national mean, its interval, and how many units are at or above
the midpoint), what changed since the earlier round and whether the change is clear of chance, the strongest and
weakest practices and stages, and the sectors' range."""

from __future__ import annotations

from selfassess.analysis.contract import Results
from selfassess.framework import Framework
from selfassess.reports.change import clear_side, interval_words, moved_words, signed
from selfassess.reports.document import bound, counted_words, percent


def _side(framework: Framework, mean: float) -> str:
    midpoint = float(framework.midpoint)
    return "above" if mean > midpoint else "below" if mean < midpoint else "at"


def standing(framework: Framework, results: Results) -> str:
    overall = results["scopes"]["overall"]
    everyone = overall["responses"]["all"]
    if everyone["mean"] is None:
        return "No answer was scored, so there is no national mean."
    n = sum(1 for m in overall["trust_means"].values() if m is not None)
    at = overall["trust_bands"]["at_or_above_midpoint"]
    ci = everyone["ci95"]
    sure = "" if ci is None else f" (95% interval {ci[0]:.2f} to {ci[1]:.2f})"
    units = counted_words(n, framework.unit_title, framework.unit_titles)
    return (
        f"The national mean score is {everyone['mean']:.2f}{sure}, {_side(framework, everyone['mean'])} the "
        f"midpoint of {bound(framework.midpoint)}; {at} of {units} ({percent(at, n)} per cent) are at or above it."
    )


def change(results: Results) -> str | None:
    """None when there is no earlier round to compare with."""
    if "comparison" not in results:
        return None
    label = results["comparison"]["earlier"]["label"]
    c = results["comparison"]["scopes"]["overall"]["responses"]["all"]
    if c["change"] is None:
        return f"No scored answers can be compared with {label}."
    side = clear_side(c["change_ci95"])
    moved = moved_words(c["change"])
    sure = f"a clear {side}" if side else "not clear of chance"
    return (
        f"Since {label} the national mean {moved}, from {c['earlier_mean']:.2f} to {c['later_mean']:.2f}, a change "
        f"of {signed(c['change'])}{interval_words(c['change_ci95'])}: {sure}."
    )


def _extremes(named: dict[str, float | None]) -> tuple[str, str] | None:
    """The highest and lowest of named means (ties go to the first named); None with fewer than two means."""
    present = [(name, mean) for name, mean in named.items() if mean is not None]
    if len(present) < 2:
        return None
    high = max(present, key=lambda item: item[1])
    low = min(present, key=lambda item: item[1])
    return f"{high[0]} ({high[1]:.2f})", f"{low[0]} ({low[1]:.2f})"


def strongest_and_weakest_stages(framework: Framework, results: Results) -> str | None:
    stage_means = results["scopes"]["overall"]["stage_means"]["all"]
    stages = _extremes({f"the {s.short.lower()} stage": stage_means[s.id] for s in framework.stages})
    return None if stages is None else f"By stage, progress is greatest at {stages[0]} and least at {stages[1]}."


def sectors_apart(framework: Framework, results: Results) -> str | None:
    means = results["scopes"]["overall"]["sector_means"]["all"]
    ends = _extremes({s.title: means[s.id] for s in framework.sectors})
    return None if ends is None else f"Sectors' mean scores range from {ends[0]} down to {ends[1]}."


def headline(framework: Framework, results: Results, practices: list[str]) -> list[str]:
    """The key points, in the order a reader needs them (`practices`: the sentence on the strongest and weakest
    practices, in the 2009 report's words)."""
    points = [standing(framework, results), change(results), *practices]
    points += [strongest_and_weakest_stages(framework, results), sectors_apart(framework, results)]
    return [point for point in points if point]
