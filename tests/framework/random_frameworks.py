"""Random frameworks of the shapes the loader accepts: any number of audiences, sectors, stages (each meant for
some of the audiences) and practices within its bounds, a scale of any whole scores with unscored answers
around it, a midpoint and notable difference with decimals, bands of any edges, quotas that may be nought, and a
unit with an irregular plural. A Hypothesis strategy giving the file's text."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import yaml
from hypothesis import strategies as st

UNITS = [("partnership", "partnerships"), ("consortium", "consortia"), ("board", "boards"), ("locality", "localities")]


def _decimal(value: Fraction) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


@st.composite
def framework_texts(draw: Any) -> str:
    n_audiences = draw(st.integers(1, 4))
    audiences = [{"id": f"aud{i}", "title": f"Audience number {i}"} for i in range(n_audiences)]
    sectors = [{"id": f"sec{i}", "title": f"Sector {i}"} for i in range(draw(st.integers(1, 6)))]
    stages = []
    for i in range(draw(st.integers(1, 4))):
        meant = draw(st.lists(st.sampled_from([a["id"] for a in audiences]), min_size=1, unique=True))
        stages.append({"id": f"st{i}", "title": f"Stage {i}", "audiences": sorted(meant)})
    low = draw(st.integers(-3, 2))
    step_count = draw(st.integers(1, 6))
    scores = [low + i for i in range(step_count + 1)]
    scale = [{"code": str(s) if s >= 0 else f"M{-s}", "score": s, "label": f"Score {s}"} for s in scores]
    scale[0]["title"], scale[-1]["title"] = "Lowest", "Highest"
    scale += [{"code": f"U{i}", "label": f"Unscored {i}"} for i in range(draw(st.integers(0, 3)))]
    # A midpoint strictly inside the scale, on a quarter point; a notable difference up to half the range.
    quarters = draw(st.integers(1, 4 * (scores[-1] - scores[0]) - 1))
    midpoint = Fraction(scores[0]) + Fraction(quarters, 4)
    notable = Fraction(draw(st.integers(1, 2 * (scores[-1] - scores[0]))), 4)
    edges = sorted(set(draw(st.lists(st.integers(4 * scores[0] + 1, 4 * scores[-1] - 1), max_size=3))))  # in quarters
    bands: list[dict[str, Any]] = []
    bounds = [None, *(Fraction(e, 4) for e in edges), None]
    for i in range(len(bounds) - 1):
        band: dict[str, Any] = {"id": f"band{i}", "title": f"Band {i}"}
        if bounds[i] is not None:
            band["lower"] = _decimal(bounds[i])  # type: ignore[arg-type]
        if bounds[i + 1] is not None:
            band["upper"] = _decimal(bounds[i + 1])  # type: ignore[arg-type]
        bands.append(band)
    ends = {scores[0], scores[-1]} | ({int(midpoint)} if midpoint in scores else set())
    practices = []
    for p in range(draw(st.integers(1, 4))):
        questions = []
        for n, stage in enumerate(stages * draw(st.integers(1, 2))):
            questions.append(
                {
                    "id": f"P{p}Q{n}",
                    "stage": stage["id"],
                    "text": f"How well does practice {p} work at {stage['title'].lower()} ({n})?",
                    "descriptors": {str(s): f"What {s} looks like" for s in sorted(ends)},
                }
            )
        practices.append({"id": f"prac{p}", "title": f"Practice {p}", "questions": questions})
    singular, plural = draw(st.sampled_from(UNITS))
    data = {
        "id": "random",
        "title": "A random framework",
        "midpoint": _decimal(midpoint),
        "notable": _decimal(notable),
        "scale": scale,
        "bands": bands,
        "audiences": audiences,
        "sectors": sectors,
        "stages": stages,
        "quota": {a["id"]: draw(st.integers(0, 3)) for a in audiences},
        "unit": {"singular": singular, "plural": plural},
        "practices": practices,
    }
    return yaml.safe_dump(data, sort_keys=False)
