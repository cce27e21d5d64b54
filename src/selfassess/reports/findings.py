"""Findings written from the data, in the 2009 report's voice and by its rules, over any framework.

Every sentence is computed: a figure, a comparison or a choice of words comes from the results, so other data
gives other sentences. The rules come from the framework: a difference of its notable difference or more is
notable; a unit or group is notably above the midpoint at midpoint + notable or more and notably below under
midpoint - notable; nearer an end of the scale than the midpoint means past halfway between them (for 2009:
3, 0.2, 3.2, 2.8, under 2 and 4 or more). Audiences are compared highest against lowest, however many.
"""

from __future__ import annotations

from fractions import Fraction

from selfassess.analysis.contract import Question, Scope, answer_count
from selfassess.framework import Framework
from selfassess.reports.document import bound, count_words, counted_words, join_words, percent, plural, share_words


def _units(framework: Framework, n: int) -> str:
    return counted_words(n, framework.unit_title, framework.unit_titles)


def _compared(a: float, b: float) -> str:
    """'larger than', 'smaller than' or 'the same size as', as the two figures shown (to two places) compare."""
    a, b = round(a, 2), round(b, 2)
    return "larger than" if a > b else "smaller than" if a < b else "the same size as"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(x: Fraction | float) -> str:
    """2.5, 4, 3.5: a bound as the report writes it."""
    return f"{float(x):g}"


def bands(framework: Framework, stats: Scope | Question) -> list[str]:
    """The distribution of unit means: how many at or above the midpoint, notably above it, in the top band..."""
    counts = stats["trust_bands"]
    n = sum(1 for m in stats["trust_means"].values() if m is not None)
    units, unit = framework.unit_titles, framework.unit_title
    if not n:
        return [f"No {unit} gave a scored answer here."]
    mid = float(framework.midpoint)
    notable = float(framework.notable)
    scored = [a for a in framework.scale if a.score is not None]
    lowest, highest = scored[0], scored[-1]
    first, last = framework.bands[0], framework.bands[-1]
    at_or_above = counts["at_or_above_midpoint"]
    # Every count here was decided exactly by the engine: a unit's mean on an edge is on the side the rule says.
    edges = stats["trust_counts"]
    high = edges["notably_above_midpoint"]
    top = counts[last.id]
    near = edges["within_notable_of_midpoint"]
    first_sentence = (
        f"{at_or_above} of {n} {units} ({percent(at_or_above, n)} per cent) had a mean score at or above the "
        f"midpoint. Of these, {count_words(high)} ({percent(high, n)} per cent) scored {bound(mid + notable)} or above"
    )
    if last.lower is not None and last.lower > framework.midpoint + framework.notable:
        first_sentence += f" and {count_words(top)} ({percent(top, n)} per cent) scored {_number(last.lower)} or above"
    out = [
        first_sentence + ".",
        f"{_cap(share_words(near, n))} of {units} ({near} in total, {percent(near, n)} per cent) had an average "
        f"score within {bound(notable)} of the midpoint, between {bound(mid - notable)} and {bound(mid + notable)}."
        + (" This indicates a high level of clustering around the midpoint." if near > n / 2 else ""),
    ]
    highest_mean, lowest_mean = stats["trust_mean_max"], stats["trust_mean_min"]
    top_score, bottom_score = max(a.score or 0 for a in scored), min(a.score or 0 for a in scored)
    top_edge, bottom_edge = (
        _number((framework.midpoint + top_score) / 2),
        _number((framework.midpoint + bottom_score) / 2),
    )
    top_title, bottom_title = (highest.title or highest.label).lower(), (lowest.title or lowest.label).lower()
    closer_to_top = edges["nearer_top_than_midpoint"]
    if closer_to_top:
        out.append(
            f"The highest score of any {unit} was {highest_mean:.2f}. {_cap(_units(framework, closer_to_top))} "
            f"averaged {top_edge} or above, closer to the end of the process (a score of {top_score}, {top_title}) "
            "than to the midpoint."
        )
    else:
        out.append(
            f"The highest score of any {unit} was {highest_mean:.2f}, which means that no {unit} felt it was closer "
            f"to the end of the process (a score of {top_score}, indicating {top_title}) than the midpoint."
        )
    closer_to_start = edges["nearer_bottom_than_midpoint"]
    if closer_to_start:
        were = plural(closer_to_start, "it was", "they were")
        out.append(
            f"The lowest average score was {lowest_mean:.2f}. {_cap(_units(framework, closer_to_start))} had an "
            f"average score below {bottom_edge}, meaning {were}, on average, closer to "
            f"{_a(bottom_title)} service than to the midpoint."
        )
    else:
        out.append(
            f"The lowest average score was {lowest_mean:.2f}. This means that no {unit}, on average, felt that it "
            f"was closer to the beginning of the process (a score of {bottom_score}, indicating {bottom_title}) than "
            "the midpoint."
        )
    low, very_high = counts.get(first.id, 0), counts.get(last.id, 0)
    if low > very_high and first.upper is not None and last.lower is not None:
        out.append(
            f"More {units} averaged under {_number(first.upper)} ({low}, {percent(low, n)} per cent) than averaged "
            f"{_number(last.lower)} or above ({very_high}, {percent(very_high, n)} per cent)."
        )
    return out


def _a(words: str) -> str:
    """'a fragmented', 'an emerging'."""
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _gap_words(framework: Framework, a: float, b: float, notable: bool) -> str:
    """`notable`: the engine's exact decision that the two means are the notable difference apart or more."""
    gap = abs(a - b)
    if round(a, 2) == round(b, 2) and not notable:
        return "the same at two decimal places"
    if notable:
        return f"a notable difference of {gap:.2f}"
    return f"a difference of {gap:.2f}, too small to be notable (under {bound(framework.notable)})"


def audiences(framework: Framework, stats: Scope) -> list[str]:
    """Means by audience (the highest against the lowest, however many audiences there are), the spread of
    answers over the scale, and non-response, in the framework's words."""
    responses = stats["responses"]
    everyone = responses["all"]
    if not everyone["scored"]:
        return ["No scored answers were given."]
    means = [(a.title.lower(), responses[a.id]["mean"]) for a in framework.audiences]
    present = [(name, m) for name, m in means if m is not None]
    out = [f"The mean score was {everyone['mean']:.2f}." + _audience_words(framework, stats, present)]
    total = everyone["total"]
    scored_codes = [a for a in framework.scale if a.score is not None]
    lowest, highest = scored_codes[0], scored_codes[-1]
    mid = next((a for a in scored_codes if a.score == framework.midpoint), None)
    spread = (
        f"{percent(answer_count(everyone, lowest.code), total)} per cent of responses indicated that services were "
        f"still {(lowest.title or lowest.label).lower()}, {percent(answer_count(everyone, highest.code), total)} "
        "per cent that they were "
        f"{(highest.title or highest.label).lower()}"
    )
    if mid is not None:
        spread += f" and {percent(answer_count(everyone, mid.code), total)} per cent that they were at the midpoint"
    out.append(spread + ".")
    mode = max(scored_codes, key=lambda a: answer_count(everyone, a.code))
    out.append(f"The most common answer was {mode.code}" + (" (the midpoint)." if mode is mid else "."))
    unscored = [a for a in framework.scale if a.score is None]
    if not unscored:
        return out
    missing = 100 - (everyone["pct_scored"] or 0)
    by_audience = [
        (a.title.lower(), 100 - rate)
        for a in framework.audiences
        if (rate := responses[a.id]["pct_scored"]) is not None  # an audience that gave no answers here has no rate
    ]
    labels = [a.label.lower() for a in unscored]
    sentence = f"{round(missing)} per cent of answers gave no score ({join_words(labels, 'or')})"
    if len(by_audience) > 1:
        sentence += ": " + " and ".join(f"{round(p)} per cent for {name}" for name, p in by_audience)
    sentence += "."
    if len(unscored) == 2:
        first, second = unscored
        if answer_count(everyone, second.code) > answer_count(everyone, first.code):
            sentence += f' Most of these were "{second.label.lower()}" rather than "{first.label.lower()}".'
    out.append(sentence)
    return out


def _audience_words(framework: Framework, stats: Scope, present: list[tuple[str, float]]) -> str:
    """How the audiences' means compare: the one against the other, or the highest against the lowest."""
    if len(present) < 2:
        return ""
    (high_name, high), (low_name, low) = max(present, key=lambda m: m[1]), min(present, key=lambda m: m[1])
    gap = _gap_words(framework, high, low, stats["audience_gaps_notable"]["overall"])
    if round(high, 2) == round(low, 2):
        names = join_words([name for name, _ in present])
        return f" Scores were, on average, the same for {names} ({high:.2f}): {gap}."
    if len(present) == 2:
        return f" Scores were, on average, higher for {high_name} ({high:.2f}) than for {low_name} ({low:.2f}): {gap}."
    return (
        f" Scores were, on average, highest for {high_name} ({high:.2f}) and lowest for {low_name} ({low:.2f}): {gap}."
    )


def clarity(titles: dict[str, str], notable: list[str], clear: list[str], side: str) -> str:
    """Which of the notable findings are clear: their 95% interval lies wholly on their side of the midpoint."""
    sure = [titles[i] for i in notable if i in clear]
    unsure = [titles[i] for i in notable if i not in clear]
    if not unsure:
        return f" {'Each is' if len(sure) > 1 else 'It is'} clear: the 95% interval lies wholly {side} the midpoint."
    if not sure:
        return (
            f" {'None of these is' if len(unsure) > 1 else 'This is not'} clear, though: the 95% interval reaches "
            "the midpoint, so the difference may be chance."
        )
    return (
        f" The finding is clear for {join_words(sure)} (the 95% interval lies wholly {side} the midpoint) but not "
        f"for {join_words(unsure)}."
    )


def _highest_and_lowest(means: dict[str, float], titles: dict[str, str]) -> str:
    """The stages with the highest mean and those with the lowest, every one of a tie named; or, when every
    stage scored has the same mean, that."""
    high, low = max(means.values()), min(means.values())
    if high == low:
        return f"Scores are the same for every stage scored ({high:.2f})."

    def named(value: float) -> str:
        tied = [titles[s] for s, m in means.items() if m == value]
        return f"the {join_words(tied)} stage" + ("s" if len(tied) > 1 else "")

    return f"Scores are highest for {named(high)} and lowest for {named(low)}."


def stages(framework: Framework, stats: Scope) -> list[str]:
    means = stats["stage_means"]["all"]
    notable = stats["notable"]
    titles = {s.id: s.short.lower() for s in framework.stages}
    high = float(framework.midpoint + framework.notable)
    low = float(framework.midpoint - framework.notable)

    def listed(ids: list[str]) -> str:
        return join_words([f"{titles[s]} ({means[s]:.2f})" for s in ids])

    out = []
    if notable["stages_above"]:
        out.append(
            f"Stages notably above the midpoint (a mean of {bound(high)} or more): {listed(notable['stages_above'])}."
            + clarity(titles, notable["stages_above"], notable["clear"]["stages_above"], "above")
        )
    else:
        out.append(f"No stage is notably above the midpoint (a mean of {bound(high)} or more).")
    if notable["stages_below"]:
        out.append(
            f"Stages notably below the midpoint (under {bound(low)}): {listed(notable['stages_below'])}."
            + clarity(titles, notable["stages_below"], notable["clear"]["stages_below"], "below")
        )
    else:
        out.append(f"No stage is notably below the midpoint (under {bound(low)}).")
    present = {s: m for s, m in means.items() if m is not None}
    if len(present) > 1:  # with one stage scored there is no highest or lowest to name
        out.append(_highest_and_lowest(present, titles))
    gaps = []
    audience_ids = [a.id for a in framework.audiences]
    for stage in framework.stages:
        if stage.id in stats["audience_gaps_notable"]["stages"]:
            values = [stats["stage_means"][a][stage.id] for a in audience_ids]
            gaps.append(f"{titles[stage.id]} ({join_words([f'{v:.2f}' for v in values if v is not None])})")
    names = join_words([a.title.lower() for a in framework.audiences])
    if gaps:
        out.append(
            f"The mean scores of {names} differ notably (by {bound(framework.notable)} or more) for {join_words(gaps)}."
        )
    else:
        out.append(f"At every stage the mean scores of {names} are within {bound(framework.notable)} of each other.")
    return out


def sectors(framework: Framework, stats: Scope) -> list[str]:
    titles = {s.id: s.in_text for s in framework.sectors}
    present = {s: m for s, m in stats["sector_means"]["all"].items() if m is not None}
    if not present:
        return []
    best, worst = max(present, key=present.__getitem__), min(present, key=present.__getitem__)
    if len(present) == 1:
        out = [f"Only {titles[best]} has a mean score ({present[best]:.2f}), so sectors cannot be compared."]
    else:
        out = [
            f"The highest mean score is for {titles[best]} ({present[best]:.2f}) and the lowest for {titles[worst]} "
            f"({present[worst]:.2f}), a difference of {present[best] - present[worst]:.2f}."
        ]
    notable = stats["notable"]
    sides = (
        (notable["sectors_above"], notable["clear"]["sectors_above"], "above"),
        (notable["sectors_below"], notable["clear"]["sectors_below"], "below"),
    )
    for ids, clear, side in sides:
        if ids:
            out.append(
                f"{_cap(join_words([titles[s] for s in ids]))} {plural(len(ids), 'is', 'are')} notably {side} the "
                "midpoint." + clarity(titles, ids, clear, side)
            )
    audience_ids = [a.id for a in framework.audiences]
    within = []
    for s in present:
        values = [v for v in (stats["sector_means"][a][s] for a in audience_ids) if v is not None]
        if len(values) >= 2:  # the widest gap between the audiences that answered
            within.append((max(values) - min(values), s))
    if within:
        gap, widest = max(within)
        spread = present[best] - present[worst]
        out.append(
            f"The differences between sectors are {_compared(spread, gap)} the differences within sectors: the "
            f"largest gap between audiences is {gap:.2f}, in {titles[widest]}."
        )
    return out
