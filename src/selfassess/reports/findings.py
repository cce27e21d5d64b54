"""Findings written from the data, in the 2009 report's voice and by its rules.

Every sentence is computed: a figure, a comparison or a choice of words comes from the results, so other data
gives other sentences. The rules are the report's: the midpoint is 3; a difference of 0.2 or more is notable;
a trust or group is notably above the midpoint at 3.2 or more and notably below under 2.8; closer to
fragmented than the midpoint means under 2, closer to integrated and high quality means 4 or more.
"""

from __future__ import annotations

from typing import Any

from selfassess.framework import Framework
from selfassess.reports.document import count_words, join_words, percent, plural, share_words

TRUSTS = "Children's Trusts"


def _trusts(n: int) -> str:
    return f"{count_words(n)} {plural(n, 'Children' + chr(39) + 's Trust', TRUSTS)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def bands(framework: Framework, stats: dict[str, Any]) -> list[str]:
    """The distribution of trust means: how many at or above the midpoint, above 3.2, at 3.5 and above..."""
    counts = stats["trust_bands"]
    n = sum(1 for m in stats["trust_means"].values() if m is not None)
    if not n:
        return ["No Children's Trust gave a scored answer here."]
    mid = float(framework.midpoint)
    notable = float(framework.notable)
    at_or_above = counts["at_or_above_midpoint"]
    # Every count here was decided exactly by the engine: a trust mean on an edge is on the side the rule says.
    edges = stats["trust_counts"]
    high = edges["notably_above_midpoint"]
    top = counts["3.5_and_above"]
    near = edges["within_notable_of_midpoint"]
    out = [
        f"{at_or_above} of {n} {TRUSTS} ({percent(at_or_above, n)} per cent) had a mean score at or above the "
        f"midpoint. Of these, {count_words(high)} ({percent(high, n)} per cent) scored {mid + notable:.1f} or above "
        f"and {count_words(top)} ({percent(top, n)} per cent) scored 3.5 or above.",
        f"{_cap(share_words(near, n))} of {TRUSTS} ({near} in total, {percent(near, n)} per cent) had an average "
        f"score within {notable:.1f} of the midpoint, between {mid - notable:.1f} and {mid + notable:.1f}."
        + (" This indicates a high level of clustering around the midpoint." if near > n / 2 else ""),
    ]
    highest, lowest = stats["trust_mean_max"], stats["trust_mean_min"]
    closer_to_top = edges["nearer_top_than_midpoint"]
    if closer_to_top:
        out.append(
            f"The highest score of any Children's Trust was {highest:.2f}. {_cap(_trusts(closer_to_top))} "
            "averaged 4 or above, closer to the end of the process (a score of 5, integrated and high quality) "
            "than to the midpoint."
        )
    else:
        out.append(
            f"The highest score of any Children's Trust was {highest:.2f}, which means that no Children's Trust felt "
            "it was closer to the end of the process (a score of 5, indicating integrated and high quality) than "
            "the midpoint."
        )
    closer_to_start = edges["nearer_bottom_than_midpoint"]
    if closer_to_start:
        were = plural(closer_to_start, "it was", "they were")
        out.append(
            f"The lowest average score was {lowest:.2f}. {_cap(_trusts(closer_to_start))} had an average score "
            f"below 2, meaning {were}, on average, closer to a fragmented service than to the midpoint."
        )
    else:
        out.append(
            f"The lowest average score was {lowest:.2f}. This means that no Children's Trust, on average, felt that it "
            "was closer to the beginning of the process (a score of 1, indicating fragmented) than the midpoint."
        )
    low, very_high = counts.get("below_2.5", 0), counts.get("3.5_and_above", 0)
    if low > very_high:
        out.append(
            f"More {TRUSTS} averaged under 2.5 ({low}, {percent(low, n)} per cent) than averaged 3.5 or above "
            f"({very_high}, {percent(very_high, n)} per cent)."
        )
    return out


def _gap_words(framework: Framework, a: float, b: float, notable: bool) -> str:
    """`notable`: the engine's exact decision that the two means are the notable difference apart or more."""
    gap = abs(a - b)
    if round(a, 2) == round(b, 2) and not notable:
        return "the same at two decimal places"
    if notable:
        return f"a notable difference of {gap:.2f}"
    return f"a difference of {gap:.2f}, too small to be notable (under {float(framework.notable):.1f})"


def audiences(framework: Framework, stats: dict[str, Any]) -> list[str]:
    """Means by audience, the spread of answers, and non-response."""
    responses = stats["responses"]
    everyone = responses["all"]
    if not everyone["scored"]:
        return ["No scored answers were given."]
    lm, fl = (responses[a.id]["mean"] for a in framework.audiences)
    names = [a.title.lower() for a in framework.audiences]
    out = [f"The mean score was {everyone['mean']:.2f}."]
    if lm is not None and fl is not None:
        gap = _gap_words(framework, lm, fl, stats["audience_gaps_notable"]["overall"])
        higher, lower = (1, 0) if fl > lm else (0, 1)
        values = (lm, fl)
        out[0] += (
            f" Scores were, on average, {'higher' if round(fl, 2) != round(lm, 2) else 'the same'} for "
            f"{names[higher]} ({values[higher]:.2f}) {'than' if round(fl, 2) != round(lm, 2) else 'as'} for "
            f"{names[lower]} ({values[lower]:.2f}): {gap}."
        )
    total = everyone["total"]
    scored_codes = [a for a in framework.scale if a.score is not None]
    lowest, highest = scored_codes[0], scored_codes[-1]
    mid = next(a for a in scored_codes if a.score == framework.midpoint)
    out.append(
        f"{percent(everyone[lowest.code], total)} per cent of responses indicated that services were still "
        f"fragmented, {percent(everyone[highest.code], total)} per cent that they were integrated and high quality "
        f"and {percent(everyone[mid.code], total)} per cent that they were at the midpoint."
    )
    mode = max(scored_codes, key=lambda a: everyone[a.code])
    out.append(f"The most common answer was {mode.code}" + (" (the midpoint)." if mode is mid else "."))
    missing = 100 - (everyone["pct_scored"] or 0)
    by_audience = [
        (names[i], 100 - responses[a.id]["pct_scored"])
        for i, a in enumerate(framework.audiences)
        if responses[a.id]["pct_scored"] is not None  # an audience that gave no answers here has no rate
    ]
    sentence = f"{round(missing)} per cent of answers gave no score (not applicable or don't know)"
    if len(by_audience) > 1:
        sentence += ": " + " and ".join(f"{round(p)} per cent for {name}" for name, p in by_audience)
    sentence += "."
    if everyone.get("DK", 0) > everyone.get("NA", 0):
        sentence += ' Most of these were "don\'t know" rather than "not applicable".'
    out.append(sentence)
    return out


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


def stages(framework: Framework, stats: dict[str, Any]) -> list[str]:
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
            f"Stages notably above the midpoint (a mean of {high:.1f} or more): {listed(notable['stages_above'])}."
            + clarity(titles, notable["stages_above"], notable["clear"]["stages_above"], "above")
        )
    else:
        out.append(f"No stage is notably above the midpoint (a mean of {high:.1f} or more).")
    if notable["stages_below"]:
        out.append(
            f"Stages notably below the midpoint (under {low:.1f}): {listed(notable['stages_below'])}."
            + clarity(titles, notable["stages_below"], notable["clear"]["stages_below"], "below")
        )
    else:
        out.append(f"No stage is notably below the midpoint (under {low:.1f}).")
    present = [s for s in means if means[s] is not None]
    if present:
        best, worst = max(present, key=lambda s: means[s]), min(present, key=lambda s: means[s])
        out.append(f"Scores are highest for the {titles[best]} stage and lowest for {titles[worst]}.")
    gaps = []
    audience_ids = [a.id for a in framework.audiences]
    for stage in framework.stages:
        if stage.id in stats["audience_gaps_notable"]["stages"]:
            values = [stats["stage_means"][a][stage.id] for a in audience_ids]
            gaps.append(f"{titles[stage.id]} ({values[0]:.2f} and {values[1]:.2f})")
    names = " and ".join(a.title.lower() for a in framework.audiences)
    if gaps:
        out.append(f"The mean scores of {names} differ notably (by 0.2 or more) for {join_words(gaps)}.")
    else:
        out.append(f"At every stage the mean scores of {names} are within 0.2 of each other.")
    return out


def sectors(framework: Framework, stats: dict[str, Any]) -> list[str]:
    means = stats["sector_means"]["all"]
    titles = {s.id: s.title.lower() if s.id != "third_sector" else "the third sector" for s in framework.sectors}
    present = [s for s in means if means[s] is not None]
    if not present:
        return []
    best, worst = max(present, key=lambda s: means[s]), min(present, key=lambda s: means[s])
    out = [
        f"The highest mean score is for {titles[best]} ({means[best]:.2f}) and the lowest for {titles[worst]} "
        f"({means[worst]:.2f}), a difference of {means[best] - means[worst]:.2f}."
    ]
    notable = stats["notable"]
    for key, words in (("sectors_above", "notably above"), ("sectors_below", "notably below")):
        if notable[key]:
            out.append(
                f"{_cap(join_words([titles[s] for s in notable[key]]))} "
                f"{plural(len(notable[key]), 'is', 'are')} {words} the midpoint."
                + clarity(titles, notable[key], notable["clear"][key], key.split("_")[1])
            )
    audience_ids = [a.id for a in framework.audiences]
    within = []
    for s in present:
        values = [stats["sector_means"][a][s] for a in audience_ids]
        if None not in values:
            within.append((abs(values[0] - values[1]), s))
    if within:
        gap, widest = max(within)
        spread = means[best] - means[worst]
        out.append(
            f"The differences between sectors are {'larger' if spread > gap else 'smaller'} than the differences "
            f"within sectors: the largest gap between audiences is {gap:.2f}, in {titles[widest]}."
        )
    return out
