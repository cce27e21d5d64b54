"""A chart's SVG made compact draws the same: every drawn element, in the same order, with the same text and
the same attributes as its own and its groups', coordinates within half a hundredth of a point."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib.figure import Figure

from selfassess.reports import charts

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _drawn(svg: str) -> list[tuple[str, str, dict[str, str], list[float]]]:
    """Each element that is not a group, in document order: its tag, its text, its attributes (with those of
    the groups around it, ids left out) with numbers taken out, and those numbers."""
    found: list[tuple[str, str, dict[str, str], list[float]]] = []

    def walk(element: ET.Element, inherited: dict[str, str]) -> None:
        own = {k: v for k, v in element.attrib.items() if k != "id"}
        if element.tag.endswith("}g"):
            for child in element:
                walk(child, {**inherited, **own})
            return
        attributes = {**inherited, **own}
        numbers = [float(n) for value in attributes.values() for n in NUMBER.findall(value)]
        shapes = {k: " ".join(NUMBER.sub("#", v).split()) for k, v in attributes.items()}
        if element.tag.endswith("}text"):  # its words, spaces and all
            found.append((element.tag, "".join(element.itertext()).strip(), shapes, numbers))
            return
        found.append((element.tag, " ".join((element.text or "").split()), shapes, numbers))
        for child in element:
            walk(child, {})  # only groups pass their attributes on

    for child in ET.fromstring(svg):
        walk(child, {})
    return found


def _matplotlib_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _figures() -> list[Figure]:
    bars = Figure(figsize=(5, 3))
    axes = bars.add_subplot()
    axes.barh(["one", "two", "three"], [3.25, 4.125, 2.0], xerr=[[0.2, 0.3, 0.1], [0.3, 0.2, 0.4]], hatch="//")
    axes.axvline(3.0, linestyle="--")
    axes.set_xlabel("Mean score (1 to 5)")
    lines = Figure(figsize=(4, 4))
    axes = lines.add_subplot()
    axes.plot([1, 2, 3, 4], [3.1, 2.7, 4.05, 3.333333], marker="o", label="leaders")
    axes.errorbar([1, 2], [3.0, 3.5], yerr=[0.25, 0.5], fmt="s", label="front line")
    axes.legend(title="Audience")
    return [bars, lines]


@pytest.mark.parametrize("figure", _figures(), ids=["bars", "lines"])
def test_compact_svg_draws_every_element_as_matplotlib_did(figure: Figure) -> None:
    raw = _matplotlib_svg(figure)
    compact = charts._compact(raw)
    assert len(compact) < 0.8 * len(raw)
    assert compact.count("<g") < raw.count("<g") and "LineCollection" in compact  # the error bars stay a group
    before, after = _drawn(raw), _drawn(compact)
    assert len(after) == len(before) > 20
    for (tag, text, shapes, numbers), (tag2, text2, shapes2, numbers2) in zip(before, after, strict=True):
        assert (tag2, text2, shapes2) == (tag, text, shapes)
        assert numbers2 == pytest.approx(numbers, abs=0.005)


def test_a_group_with_more_than_an_id_is_kept_and_a_space_before_a_tspan_stays() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">\n <g id="a">\n  <g id="b" clip-path="url(#c)">\n'
        '   <path d="M 0.123456 1.5 L 2.000001 3"/>\n  </g>\n </g>\n'
        '<text x="1.23456">a <tspan>b</tspan> <tspan>c</tspan></text>\n</svg>'
    )
    assert charts._compact(svg) == (
        '<svg xmlns="http://www.w3.org/2000/svg"><g id="b" clip-path="url(#c)"><path d="M 0.12 1.5 L 2.00 3"/>'
        '</g><text x="1.23">a <tspan>b</tspan> <tspan>c</tspan></text></svg>'
    )
