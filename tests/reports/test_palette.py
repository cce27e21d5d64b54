"""The answers chart's colours tell every score from every other when printed in greyscale: their relative
luminances (WCAG 2) differ by a contrast ratio that shrinks only as the scale grows, on every built-in
framework, the 2009 five-point scale by a wide margin, and on scales of every length the loader accepts."""

from __future__ import annotations

import re
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from selfassess.framework import builtin_frameworks, load_framework
from selfassess.reports.charts import answer_colours, diverging, relative_luminance


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def test_luminance_by_hand() -> None:
    assert relative_luminance("#FFFFFF") == 1.0 and relative_luminance("#000000") == 0.0
    assert round(relative_luminance("#767676"), 3) == 0.181  # the grey with 4.54:1 on white
    assert round(contrast("#767676", "#FFFFFF"), 2) == 4.54


def test_every_built_in_scale_is_distinct_in_greyscale() -> None:
    for framework in builtin_frameworks().values():
        scores = [float(a.score) for a in framework.scale if a.score is not None]
        colours = answer_colours(scores, float(framework.midpoint))
        assert len(set(colours)) == len(scores)
        assert min(contrast(a, b) for a, b in combinations(colours, 2)) >= 1.5


@given(st.integers(2, 20), st.data())
def test_scales_of_any_length_are_distinct_in_greyscale(n: int, data: st.DataObject) -> None:
    low = data.draw(st.integers(-3, 3))
    scores = [float(low + i) for i in range(n)]
    midpoint = low + data.draw(st.integers(1, 4 * (n - 1) - 1)) / 4
    colours = answer_colours(scores, midpoint)
    assert min(contrast(a, b) for a, b in combinations(colours, 2)) >= 1.1
    # Reds below the midpoint, blues above: the hue still says which side a score is on.
    for score, colour in zip(scores, colours, strict=True):
        red, blue = int(colour[1:3], 16), int(colour[5:7], 16)
        if score < midpoint:
            assert red > blue
        elif score > midpoint:
            assert blue > red


def test_the_answers_chart_draws_with_these_colours() -> None:
    framework = load_framework()
    scores = [float(a.score) for a in framework.scale if a.score is not None]
    svg = diverging("Answers", ["A practice"], [[10.0, 20.0, 30.0, 25.0, 15.0]], ["1", "2", "3", "4", "5"], scores, 3.0)
    drawn = {c.upper() for c in re.findall(r"fill: (#[0-9a-fA-F]{6})", svg)}
    assert set(answer_colours(scores, 3.0)) <= drawn
