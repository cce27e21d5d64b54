"""Charts drawn on the server as inline SVG: no JavaScript, no network, sharp in print.

Colours are from the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies; every series also differs in marker or hatch, so nothing depends on colour alone.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

plt.rcParams.update(
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
DIVERGING = ["#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC"]  # 1..5, red-blue: safe for red-green
MIDPOINT_COLOUR = "#333333"


def _svg(figure: plt.Figure, label: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # Matplotlib numbers its ids from 1 in every figure; a page with many charts needs them unique.
    prefix = "c" + hashlib.sha1(label.encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    # Size to the page, keep the drawing's proportions; announce as one image with a label.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="chart"', 1)


def radar(
    label: str, axes: Sequence[str], series: dict[str, Sequence[float | None]], low: float = 1, high: float = 5
) -> str:
    """A spider diagram; None leaves that point out (the line breaks there)."""
    angles = np.linspace(0, 2 * np.pi, len(axes), endpoint=False)
    figure = plt.figure(figsize=(5.2, 4.4))
    ax = figure.add_subplot(projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    for i, (name, values) in enumerate(series.items()):
        y = np.array([np.nan if v is None else v for v in values], dtype=float)
        closed_angles, closed = np.r_[angles, angles[:1]], np.r_[y, y[:1]]
        ax.plot(closed_angles, closed, color=SERIES[i], marker=MARKERS[i], linewidth=1.8, label=name)
    ax.plot(np.linspace(0, 2 * np.pi, 100), np.full(100, 3.0), color=MIDPOINT_COLOUR, linewidth=0.8, linestyle="--")
    ax.set_xticks(angles, [_wrap(a, 16) for a in axes])
    ax.set_ylim(low, high)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(series), frameon=False)
    return _svg(figure, label)


def bars(
    label: str, categories: Sequence[str], series: dict[str, Sequence[float | None]], midpoint: float = 3.0
) -> str:
    """Horizontal grouped bars of means, with a reference line at the midpoint."""
    n, k = len(categories), len(series)
    figure, ax = plt.subplots(figsize=(6.4, 0.42 * n * max(k, 1) / 1.6 + 1.0))
    height = 0.8 / max(k, 1)
    y = np.arange(n)
    for i, (name, values) in enumerate(series.items()):
        v = np.array([np.nan if x is None else x for x in values], dtype=float)
        ax.barh(y + (i - (k - 1) / 2) * height, v, height=height, color=SERIES[i], hatch=HATCHES[i],
                edgecolor="white", label=name)
    ax.axvline(midpoint, color=MIDPOINT_COLOUR, linestyle="--", linewidth=1)
    ax.text(midpoint, n - 0.35, " midpoint", color=MIDPOINT_COLOUR, va="bottom", fontsize=8)
    ax.set_yticks(y, [_wrap(c, 28) for c in categories])
    ax.invert_yaxis()
    ax.set_xlim(1, 5)
    ax.set_xlabel("Mean score (1 fragmented, 3 midpoint, 5 integrated and high quality)")
    if k > 1:
        ax.legend(loc="lower right", frameon=False)
    return _svg(figure, label)


def diverging(label: str, rows: Sequence[str], shares: Sequence[Sequence[float]], legend: Sequence[str]) -> str:
    """Stacked bars of the answer distribution (percentages of scored answers), centred on the midpoint."""
    figure, ax = plt.subplots(figsize=(6.4, 0.38 * len(rows) + 1.2))
    y = np.arange(len(rows))
    data = np.array(shares, dtype=float)
    left = -(data[:, 0] + data[:, 1] + data[:, 2] / 2)
    for j in range(data.shape[1]):
        ax.barh(y, data[:, j], left=left, color=DIVERGING[j], edgecolor="white", label=legend[j])
        left = left + data[:, j]
    ax.axvline(0, color=MIDPOINT_COLOUR, linewidth=1)
    ax.set_yticks(y, [_wrap(r, 36) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("Per cent of scored answers (left of the line: below the midpoint)")
    limit = float(np.ceil(np.abs(np.r_[left, left - data.sum(axis=1)]).max() / 10) * 10)
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):.0f}"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.2 / max(len(rows), 1)), ncol=len(legend), frameon=False)
    return _svg(figure, label)


def distribution(label: str, means: Sequence[float], bands: Sequence[tuple[str, float, float]]) -> str:
    """Trust means as a histogram in steps of 0.05, over the reporting bands shaded in turn."""
    figure, ax = plt.subplots(figsize=(6.4, 2.6))
    lows = [b[1] for b in bands]
    highs = [b[2] for b in bands]
    shades = ["#F0F0F0", "#D9D9D9"]
    for i, (_, low, high) in enumerate(bands):
        ax.axvspan(low, high, color=shades[i % 2], zorder=0)
    ax.set_xticks(sorted({round(v, 2) for b in bands for v in b[1:]}))
    edges = np.arange(min(lows), max(highs) + 0.05, 0.05)
    ax.hist(np.asarray(means), bins=edges, color=SERIES[0], edgecolor="white", zorder=2)
    ax.axvline(3.0, color=MIDPOINT_COLOUR, linestyle="--", linewidth=1, zorder=3)
    ax.set_xlim(min(lows), max(highs))
    ax.set_xlabel("Trust mean score")
    ax.set_ylabel("Trusts")
    return _svg(figure, label)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
