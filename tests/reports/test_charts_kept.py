"""A chart is drawn once for the same arguments, and only for exactly the same: every digit, every array
element and the order of every mapping count."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
import pytest

from selfassess.reports import charts

AXIS = charts.Axis(1.0, 5.0, 3.0, "mean score")
BANDS = [("low", 1.0, 3.0), ("high", 3.0, 5.0)]


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of the charts matplotlib actually drew."""
    monkeypatch.setattr(charts, "_drawn", OrderedDict())
    labels: list[str] = []
    svg = charts._svg

    def counting(figure: Any, label: str) -> str:
        labels.append(label)
        return svg(figure, label)

    monkeypatch.setattr(charts, "_svg", counting)
    return labels


def test_the_same_arguments_draw_once_and_give_the_same_chart(drawn: list[str]) -> None:
    first = charts.bars("A", ["x", "y"], {"all": [3.5, 4.0]}, AXIS)
    assert charts.bars("A", ["x", "y"], {"all": [3.5, 4.0]}, AXIS) == first
    assert charts.distribution("D", [3.1, 3.2], BANDS, 3.0, "trust", "trusts") is not None
    charts.distribution("D", [3.1, 3.2], BANDS, 3.0, "trust", "trusts")
    assert drawn == ["A", "D"]


def test_any_difference_draws_again(drawn: list[str]) -> None:
    charts.bars("A", ["x", "y"], {"all": [3.5, 4.0]}, AXIS)
    charts.bars("A", ["x", "y"], {"all": [3.5, 4.000000000000001]}, AXIS)  # the last digit of a float
    charts.bars("A", ["x", "y"], {"all": [3.5, 4.0], "front": [3.0, 3.0]}, AXIS)
    charts.bars("A", ["x", "y"], {"front": [3.0, 3.0], "all": [3.5, 4.0]}, AXIS)  # the order of the series
    charts.bars("A", ["x", "y"], {"all": [3.5, 4.0]}, charts.Axis(0.0, 4.0, 2.0, "mean score"))
    means = [float(m) for m in np.linspace(2.0, 4.0, 2000)]
    charts.distribution("D", means, BANDS, 3.0, "trust", "trusts")
    changed = [*means[:1000], means[1000] + 1e-12, *means[1001:]]  # one trust's mean, in its twelfth decimal
    charts.distribution("D", changed, BANDS, 3.0, "trust", "trusts")
    assert len(drawn) == 7


def test_only_so_many_charts_are_kept(drawn: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "DRAWN_KEPT", 2)
    for label in ("A", "B", "C", "A"):  # A was the oldest when C came: drawn again
        charts.bars(label, ["x"], {"all": [3.0]}, AXIS)
    assert drawn == ["A", "B", "C", "A"] and len(charts._drawn) == 2
