"""Charts drawn on the server as inline SVG: no JavaScript, no network, sharp in print.

Colours are from the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies; every series also differs in marker or hatch, so nothing depends on colour alone.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import io
import math
import pickle
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

if TYPE_CHECKING:
    from selfassess.framework import Framework

# Figures are made directly, not through pyplot: no global state, so charts can be drawn from a web server.
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: searchable, and read by screen readers
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "selfassess",  # the same chart gives the same SVG
    }
)

SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo"]
MIDPOINT_COLOUR = "#333333"


DRAWN_KEPT = 256  # charts kept once drawn, most recent first (tens of kilobytes each)
_drawn: OrderedDict[str, str] = OrderedDict()
Draw = TypeVar("Draw", bound=Callable[..., str])


def remembered(draw: Draw) -> Draw:
    """A chart drawn by matplotlib (a quarter of a second or so) is drawn once for the same arguments: the
    worker that made a national report's pages makes its workbook and PDF from the same figures just after.
    The arguments are plain data (text, numbers, arrays, sequences, mappings, frozen dataclasses): their pickle
    is exact, every digit and the order of every mapping, so only equal arguments share a chart."""

    @functools.wraps(draw)
    def drawing(*args: Any, **kwargs: Any) -> str:
        key = hashlib.sha256(pickle.dumps((draw.__name__, args, kwargs), protocol=5)).hexdigest()
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
        svg = draw(*args, **kwargs)
        _drawn[key] = svg
        if len(_drawn) > DRAWN_KEPT:
            _drawn.popitem(last=False)
        return svg

    return drawing  # type: ignore[return-value]


def _svg(figure: Figure, label: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = _compact(re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S))
    # Matplotlib numbers its ids from 1 in every figure; a page with many charts needs them unique.
    prefix = "c" + hashlib.sha1(label.encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    # Size to the page, keep the drawing's proportions; announce as one image with a label.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    return _titled(svg.replace("<svg", f'<svg role="img" aria-label="{_escape(label)}" class="chart"', 1), label)


GEOMETRY = re.compile(r'( (?:d|points|transform|x|y|x1|x2|y1|y2|width|height|cx|cy|r)=")([^"]*)"')
LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")
TAG_G = re.compile(r"<g(?:\s[^>]*)?(?<!/)>|</g>")  # an empty group (<g id="..."/>) opens nothing
PLAIN_G = re.compile(r'<g(?: id="(?![^"]*Collection)[^"]*")?\s*>')  # a collection (error bars) stays one group


def _compact(svg: str) -> str:
    """Matplotlib's SVG, drawn the same with a third fewer elements and bytes: coordinates to a hundredth of a
    point, and without the groups that hold only an id (but for collections: a set of error bars stays one).
    Every element costs the PDF maker (WeasyPrint) time to parse, style and draw.

    Whitespace between tags goes too, except before a <tspan>, where it can be a space in the text."""

    def rounded(match: re.Match[str]) -> str:
        numbers = LONG_NUMBER.sub(lambda n: f"{float(n.group(0)):.2f}", match.group(2))
        return f'{match.group(1)}{" ".join(numbers.split())}"'

    svg = GEOMETRY.sub(rounded, svg)
    dropped: list[tuple[int, int]] = []  # the plain groups' opening and closing tags
    plain: list[bool] = []  # for each group open at this point: whether it is plain
    for tag in TAG_G.finditer(svg):
        if tag.group(0) == "</g>":
            if plain.pop():
                dropped.append(tag.span())
        else:
            plain.append(bool(PLAIN_G.fullmatch(tag.group(0))))
            if plain[-1]:
                dropped.append(tag.span())
    pieces, at = [], 0
    for start, end in sorted(dropped):
        pieces.append(svg[at:start])
        at = end
    pieces.append(svg[at:])
    return re.sub(r">\s+<(?!tspan)", "><", "".join(pieces))


def _titled(svg: str, label: str) -> str:
    """The chart's <title>, its first child: a tagged PDF takes a figure's alternative text from it."""
    opening = svg.index(">", svg.index("<svg")) + 1
    return f"{svg[:opening]}<title>{_escape(label)}</title>{svg[opening:]}"


Interval = Sequence[float] | None  # [low, high] of a 95% interval


@dataclass(frozen=True)
class Axis:
    """The scale the charts draw means on, from the framework: its lowest and highest scores, its midpoint,
    and the axis label that names them."""

    low: float
    high: float
    midpoint: float
    label: str


def axis_of(framework: Framework) -> Axis:
    """The framework's scale as the charts draw it."""
    scored = [a for a in framework.scale if a.score is not None]
    low, high, mid = scored[0], scored[-1], float(framework.midpoint)

    def named(a: Any) -> str:
        return f"{a.score} {(a.title or a.label).lower()}"

    return Axis(
        float(low.score or 0),
        float(high.score or 0),
        mid,
        f"Mean score ({named(low)}, {mid:g} midpoint, {named(high)})",
    )


def radar(
    label: str,
    axes: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    scale: Axis,
    intervals: Mapping[str, Sequence[Interval]] | None = None,
) -> str:
    """A spider diagram, drawn directly as SVG (a trust report needs one, and there are many trusts).

    None leaves a point out: the line breaks there rather than pretending a value. `intervals`, by series,
    draw each point's 95% interval as a whisker along its spoke.
    """
    width, cx, cy, radius = 520, 260, 190, 130
    legend = _legend_rows(list(series), width)
    height = cy + radius + 45 + 18 * len(legend)
    n = len(axes)
    low, high = scale.low, scale.high

    def at(i: int, r: float) -> tuple[float, float]:
        angle = 2 * math.pi * i / n - math.pi / 2
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def point(i: int, value: float) -> tuple[float, float]:
        return at(i, radius * (value - low) / (high - low))

    def ring(value: float) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, value) for i in range(n)))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" role="img" '
        f'aria-label="{_escape(label)}" class="chart"><title>{_escape(label)}</title>'
    ]
    rings = sorted({*range(math.ceil(low), math.floor(high) + 1), scale.midpoint})
    for value in rings:
        dash = ' stroke-dasharray="4 3" stroke="#333333"' if value == scale.midpoint else ' stroke="#cccccc"'
        parts.append(f'<polygon points="{ring(value)}" fill="none"{dash} stroke-width="1"/>')
        x, y = point(0, value)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 3:.1f}" font-size="9" fill="#505a5f">{value:g}</text>')
    for i, name in enumerate(axes):
        x, y = point(i, high)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#cccccc" stroke-width="1"/>')
        lx, ly = at(i, radius + 14)  # a fixed gap beyond the spoke, whatever the scale
        anchor = "middle" if abs(lx - cx) < 5 else "start" if lx > cx else "end"
        lines = _wrap(name, 16).split("\n")
        ly -= 5 * (len(lines) - 1) if abs(lx - cx) >= 5 else 11 * (len(lines) - 1) if ly < cy else 0
        spans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if k == 0 else 11}">{_escape(t)}</tspan>' for k, t in enumerate(lines)
        )
        parts.append(f'<text x="{lx:.1f}" y="{ly + 3:.1f}" font-size="10" text-anchor="{anchor}">{spans}</text>')
    for k, (name, values) in enumerate(series.items()):
        colour = SERIES[k % len(SERIES)]
        points = [None if v is None else point(i, v) for i, v in enumerate(values)]
        for i in range(n):  # a segment wherever two neighbouring points are both present
            a, b = points[i], points[(i + 1) % n]
            if a is not None and b is not None:
                parts.append(
                    f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
                    f'stroke="{colour}" stroke-width="2.2"/>'
                )
        for i, interval in enumerate((intervals or {}).get(name, [])):
            if interval is not None and points[i] is not None:
                (x1, y1), (x2, y2) = point(i, max(interval[0], low)), point(i, min(interval[1], high))
                parts.append(
                    f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                    'stroke-width="1.2" class="interval"/>'
                )
        for p in points:
            if p is not None:
                parts.append(_marker(k, p[0], p[1], colour))
    for row, entries in enumerate(legend):  # the key, in rows that wrap within the chart's width
        ly = cy + radius + 45 + 18 * row
        for k, lx, name in entries:
            parts.append(_marker(k, lx + 4, ly - 4, SERIES[k % len(SERIES)]))
            parts.append(f'<text x="{lx + 14}" y="{ly}" font-size="11">{_escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


LEGEND_CHARACTER = 6.8  # the widest average width of a DejaVu Sans character at 11px, in the SVG's units


def _legend_rows(names: list[str], width: float) -> list[list[tuple[int, float, str]]]:
    """The key's entries (series number, left edge, name) laid out in rows no wider than the chart; a name too
    long for a row of its own is shortened with an ellipsis (the numbers table beside gives it whole)."""
    rows: list[list[tuple[int, float, str]]] = [[]]
    x, margin = 10.0, 10.0
    room = int((width - 2 * margin - 14) / LEGEND_CHARACTER)
    for k, name in enumerate(names):
        shown = name if len(name) <= room else name[: room - 1] + "…"
        size = 14 + LEGEND_CHARACTER * len(shown) + 16
        if rows[-1] and x + size > width - margin:
            rows.append([])
            x = margin
        rows[-1].append((k, x, shown))
        x += size
    return rows


def _marker(k: int, x: float, y: float, colour: str) -> str:
    if k % 2 == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.8" fill="{colour}"/>'
    return f'<rect x="{x - 3.6:.1f}" y="{y - 3.6:.1f}" width="7.2" height="7.2" fill="{colour}"/>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@remembered
def bars(
    label: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    scale: Axis,
    intervals: Mapping[str, Sequence[Interval]] | None = None,
) -> str:
    """Horizontal grouped bars of means, with a reference line at the midpoint; `intervals`, by series, draw
    each bar's 95% interval as an error bar."""
    midpoint = scale.midpoint
    n, k = len(categories), len(series)
    figure = Figure(figsize=(6.4, 0.42 * n * max(k, 1) / 1.6 + 1.0))
    ax = figure.subplots()
    height = 0.8 / max(k, 1)
    y = np.arange(n)
    for i, (name, values) in enumerate(series.items()):
        v = np.array([np.nan if x is None else x for x in values], dtype=float)
        ax.barh(  # from the scale's lowest score, where the axis starts (not from 0, which may lie outside it)
            y + (i - (k - 1) / 2) * height,
            v - scale.low,
            left=scale.low,
            height=height,
            color=SERIES[i % len(SERIES)],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white",
            label=name,
        )
        if intervals and name in intervals:
            # An interval can run past the scale's ends (few trusts, a mean near an end); it is drawn to the
            # end of the axis, and its numbers table gives it whole.
            reach = [
                (np.nan, np.nan) if c is None or m is None else (m - max(c[0], scale.low), min(c[1], scale.high) - m)
                for m, c in zip(values, intervals[name], strict=True)
            ]
            ax.errorbar(
                v,
                y + (i - (k - 1) / 2) * height,
                xerr=np.array(reach, dtype=float).T,
                fmt="none",
                ecolor=MIDPOINT_COLOUR,
                elinewidth=1,
                capsize=2,
            )
    ax.axvline(midpoint, color=MIDPOINT_COLOUR, linestyle="--", linewidth=1)
    ax.text(midpoint, n - 0.35, " midpoint", color=MIDPOINT_COLOUR, va="bottom", fontsize=8)
    ax.set_yticks(y, [_wrap(c, 28) for c in categories])
    ax.invert_yaxis()
    ax.set_xlim(scale.low, scale.high)
    ax.set_xticks(sorted({*range(math.ceil(scale.low), math.floor(scale.high) + 1), scale.midpoint}))
    ax.set_xlabel(scale.label)
    if k > 1:
        ax.legend(loc="lower right", frameon=False)
    return _svg(figure, label)


@remembered
def diverging(
    label: str,
    rows: Sequence[str],
    shares: Sequence[Sequence[float]],
    legend: Sequence[str],
    scores: Sequence[float],
    midpoint: float,
) -> str:
    """Stacked bars of the answer distribution (percentages of scored answers, one column per score), centred on
    the midpoint: the scores below it to the left, a score at it straddling the line."""
    figure = Figure(figsize=(6.4, 0.38 * len(rows) + 1.2))
    ax = figure.subplots()
    y = np.arange(len(rows))
    data = np.array(shares, dtype=float)
    below = np.array([1.0 if s < midpoint else 0.5 if s == midpoint else 0.0 for s in scores])
    left = -(data @ below)
    for j in range(data.shape[1]):
        ax.barh(y, data[:, j], left=left, color=answer_colours(scores, midpoint)[j], edgecolor="white", label=legend[j])
        left = left + data[:, j]
    ax.axvline(0, color=MIDPOINT_COLOUR, linewidth=1)
    ax.set_yticks(y, [_wrap(r, 36) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("Per cent of scored answers (left of the line: below the midpoint)")
    limit = float(np.ceil(np.abs(np.r_[left, left - data.sum(axis=1)]).max() / 10) * 10)
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0f}"))
    anchor = (0.5, -0.18 - 0.2 / max(len(rows), 1))
    ax.legend(loc="upper center", bbox_to_anchor=anchor, ncol=min(len(legend), 5), frameon=False)  # rows of 5
    return _svg(figure, label)


def answer_colours(scores: Sequence[float], midpoint: float) -> list[str]:
    """A colour per score: reds below the midpoint, a light grey at it, blues above, deeper further out (safe
    for red-green colour blindness), and every score a different lightness, so that a greyscale print still
    tells each from every other. Lightness steps down from the midpoint alternating between the sides (the
    furthest red darkest of all, the furthest blue next), spaced evenly in contrast ratio."""
    ordered = sorted(scores, key=lambda s: (-abs(s - midpoint), s))  # furthest out first, the lower side first
    levels = _luminances(len(scores))
    colour = {}
    for level, score in zip(levels, ordered, strict=True):
        hue = None if score == midpoint else RED_HUE if score < midpoint else BLUE_HUE
        colour[score] = _with_luminance(hue, level)
    return [colour[s] for s in scores]


RED_HUE, BLUE_HUE = 0.985, 0.58  # of the HLS colour wheel: a crimson and a mid blue
DARKEST, LIGHTEST = 0.03, 0.80  # relative luminance of the outermost score and of the midpoint


def _luminances(n: int) -> list[float]:
    """n relative luminances from darkest to lightest, in equal steps of contrast ratio (L + 0.05)."""
    if n == 1:
        return [LIGHTEST]
    ratio = ((LIGHTEST + 0.05) / (DARKEST + 0.05)) ** (1 / (n - 1))
    return [(DARKEST + 0.05) * ratio**i - 0.05 for i in range(n)]


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a #RRGGBB colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _with_luminance(hue: float | None, target: float) -> str:
    """The colour of this hue (None: a grey) whose relative luminance is nearest the target, found by halving
    the HLS lightness."""
    low, high = 0.0, 1.0
    for _ in range(30):
        middle = (low + high) / 2
        r, g, b = colorsys.hls_to_rgb(hue or 0.0, middle, 0.0 if hue is None else 0.7)
        found = "#" + "".join(f"{round(c * 255):02X}" for c in (r, g, b))
        low, high = (middle, high) if relative_luminance(found) < target else (low, middle)
    return found


@remembered
def distribution(
    label: str,
    means: Sequence[float],
    bands: Sequence[tuple[str, float, float]],
    midpoint: float,
    unit: str,
    units: str,
) -> str:
    """Trust means as a histogram in steps of 0.05, over the reporting bands shaded in turn."""
    figure = Figure(figsize=(6.4, 2.6))
    ax = figure.subplots()
    lows = [b[1] for b in bands]
    highs = [b[2] for b in bands]
    shades = ["#F0F0F0", "#D9D9D9"]
    for i, (_, low, high) in enumerate(bands):
        ax.axvspan(low, high, color=shades[i % 2], zorder=0)
    ax.set_xticks(sorted({round(v, 2) for b in bands for v in b[1:]}))
    edges = [float(e) for e in np.arange(min(lows), max(highs) + 0.05, 0.05)]
    ax.hist(np.asarray(means), bins=edges, color=SERIES[0], edgecolor="white", zorder=2)
    ax.axvline(midpoint, color=MIDPOINT_COLOUR, linestyle="--", linewidth=1, zorder=3)
    ax.set_xlim(min(lows), max(highs))
    ax.set_xlabel(f"{unit} mean score")
    ax.set_ylabel(units)
    return _svg(figure, label)


def place(
    label: str,
    means: Sequence[float],
    bands: Sequence[tuple[str, float, float]],
    midpoint: float,
    marked: tuple[str, float] | None,
    units: str,
    span: tuple[str, float, float] | None = None,
) -> str:
    """The distribution chart's histogram (steps of 0.05 over the bands shaded in turn), small, with one mean
    marked and, beneath the axis, one range bracketed (`span`: its label, lowest and highest): drawn directly as
    SVG, as every unit's report has one and matplotlib takes a fifth of a second."""
    width, height, left, right, top, bottom = 520, 170 + (22 if span else 0), 44, 12, 14, 34 + (22 if span else 0)
    low, high = min(b[1] for b in bands), max(b[2] for b in bands)
    steps = max(1, math.ceil(round((high - low) / 0.05, 6)))
    counts = [0] * steps
    for m in means:
        counts[min(steps - 1, max(0, int((m - low) / 0.05)))] += 1
    tallest = max(counts, default=0) or 1

    def x(v: float) -> float:
        return left + (width - left - right) * (v - low) / (high - low)

    def y(n: float) -> float:
        return height - bottom - (height - top - bottom) * n / tallest

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_escape(label)}" class="chart"><title>{_escape(label)}</title>'
    ]
    for i, (_, a, b) in enumerate(bands):
        shade = ["#F0F0F0", "#D9D9D9"][i % 2]
        parts.append(
            f'<rect x="{x(a):.1f}" y="{top}" width="{x(b) - x(a):.1f}" height="{height - top - bottom}" '
            f'fill="{shade}"/>'
        )
    bar = (width - left - right) / steps
    for i, n in enumerate(counts):
        if n:
            parts.append(
                f'<rect x="{left + i * bar + 0.5:.1f}" y="{y(n):.1f}" width="{max(bar - 1, 0.5):.1f}" '
                f'height="{y(0) - y(n):.1f}" fill="{SERIES[0]}"/>'
            )
    parts.append(
        f'<line x1="{x(midpoint):.1f}" y1="{top}" x2="{x(midpoint):.1f}" y2="{y(0):.1f}" '
        f'stroke="{MIDPOINT_COLOUR}" stroke-dasharray="4 3"/>'
    )
    parts.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#0b0c0c"/>')
    for edge in sorted({round(v, 2) for b in bands for v in b[1:]}):
        parts.append(
            f'<text x="{x(edge):.1f}" y="{height - bottom + 13}" font-size="10" text-anchor="middle">{edge:g}</text>'
        )
    parts.append(f'<text x="{left - 6}" y="{y(tallest) + 4:.1f}" font-size="10" text-anchor="end">{tallest}</text>')
    parts.append(f'<text x="{left - 6}" y="{y(0) + 4:.1f}" font-size="10" text-anchor="end">0</text>')
    parts.append(
        f'<text x="{left + (width - left - right) / 2:.1f}" y="{height - 4}" font-size="10" '
        f'text-anchor="middle">Mean score; bars: {_escape(units)} in each step of 0.05</text>'
    )
    if span is not None:
        a, b = (x(min(max(v, low), high)) for v in span[1:])
        at = y(0) + 24
        parts.append(
            f'<path d="M{a:.1f},{at - 5:.1f}V{at:.1f}H{b:.1f}V{at - 5:.1f}" fill="none" stroke="{SERIES[2]}" '
            'stroke-width="2"/>'
        )
        said = f"{span[0]} ({span[1]:.2f} to {span[2]:.2f})"
        half = 3 * len(said)  # about half the label's width at this size, to keep it inside the chart
        centre = min(max((a + b) / 2, left + half), width - right - half)
        parts.append(
            f'<text x="{centre:.1f}" y="{at + 12:.1f}" font-size="10" text-anchor="middle">{_escape(said)}</text>'
        )
    if marked is not None:
        mx = x(min(max(marked[1], low), high))
        anchor = "end" if mx > width / 2 else "start"
        shift = -4 if anchor == "end" else 4
        parts.append(
            f'<line x1="{mx:.1f}" y1="{top - 4}" x2="{mx:.1f}" y2="{y(0):.1f}" stroke="{SERIES[1]}" stroke-width="3"/>'
        )
        parts.append(
            f'<text x="{mx + shift:.1f}" y="{top + 8}" font-size="11" text-anchor="{anchor}">'
            f"{_escape(marked[0])} ({marked[1]:.2f})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _wrap(text: str, width: int, most: int = 4) -> str:
    """Text in lines of at most `width` characters (a longer word is broken), at most `most` lines (the last
    ending in an ellipsis when more was cut: the chart's numbers table gives the name whole)."""
    words, lines, line = [], [], ""
    for word in text.split():
        words += [word[i : i + width] for i in range(0, len(word), width)] or [word]
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1] + "…"
    return "\n".join(lines)


@remembered
def dumbbell(
    label: str,
    categories: Sequence[str],
    earlier: Sequence[float | None],
    later: Sequence[float | None],
    names: tuple[str, str],
    scale: Axis,
) -> str:
    """Each category's earlier and later mean joined by a line: the change reads as the line's length and
    direction. Markers differ in shape as well as colour."""
    n = len(categories)
    figure = Figure(figsize=(6.4, 0.42 * n + 1.2))
    ax = figure.subplots()
    y = np.arange(n)
    for i, (a, b) in enumerate(zip(earlier, later, strict=True)):
        if a is not None and b is not None:
            ax.plot([a, b], [i, i], color="#999999", linewidth=2, zorder=1)
    for k, (values, name) in enumerate(((earlier, names[0]), (later, names[1]))):
        v = np.array([np.nan if x is None else x for x in values], dtype=float)
        ax.scatter(v, y, color=SERIES[k], marker=MARKERS[k], s=36, label=name, zorder=2)
    midpoint = scale.midpoint
    ax.axvline(midpoint, color=MIDPOINT_COLOUR, linestyle="--", linewidth=1)
    ax.set_yticks(y, [_wrap(c, 28) for c in categories])
    ax.invert_yaxis()
    present = [x for x in [*earlier, *later] if x is not None]
    low, high = (min(present), max(present)) if present else (scale.low, scale.high)
    ax.set_xlim(
        max(scale.low, math.floor((min(low, midpoint) - 0.25) * 4) / 4),
        min(scale.high, math.ceil((max(high, midpoint) + 0.25) * 4) / 4),
    )
    ax.set_xlabel("Mean score")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    return _svg(figure, label)
