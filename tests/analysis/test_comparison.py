"""Change between two rounds (contract 3c): hand-worked cases, and the engine against the naive reading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.analysis import build_cube
from selfassess.analysis.comparison import compare
from selfassess.framework import Framework, load_framework
from selfassess.framework.loader import builtin_path
from tests.analysis.naive import Row, naive_comparison
from tests.analysis.test_properties import FRAMEWORK, FRAMEWORKS, assert_same, rounds, table_of

MA = [f"Q{i}" for i in range(2, 13)]  # multi-agency questions meant for every audience


def people(trust: str, scores: list[int], n: int, prefix: str = "R", **kw: Any) -> list[Row]:
    """n respondents giving `scores` to the first multi-agency questions."""
    sector, audience = kw.get("sector", "health"), kw.get("audience", "leader_manager")
    return [
        Row(trust, f"{prefix}{i}", sector, audience, q, str(a))
        for i in range(n)
        for q, a in zip(MA, scores, strict=False)
    ]


def compared(
    earlier: list[Row], later: list[Row], framework_e: Framework = FRAMEWORK, framework_l: Framework = FRAMEWORK
) -> dict[str, Any]:
    return compare(build_cube(table_of(earlier, framework_e)), build_cube(table_of(later, framework_l)), "June")


@pytest.mark.parametrize("name", FRAMEWORKS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_agrees_with_naive_comparison(name: str, data: st.DataObject) -> None:
    framework = FRAMEWORKS[name]
    earlier, later = data.draw(rounds(framework)), data.draw(rounds(framework))
    engine = compared(earlier, later, framework, framework)
    assert_same(engine, naive_comparison(earlier, later, framework, framework, "June"))


def test_a_trust_in_one_round_only_is_compared_nowhere() -> None:
    earlier = people("T1", [3, 3], 3) + people("T2", [2, 2], 3)
    later = people("T1", [4, 4], 3) + people("T3", [5, 5], 3)
    found = compared(earlier, later)["scopes"]["multi_agency"]
    assert found["trust_change"]["T2"] == {
        "earlier_mean": 2.0,
        "later_mean": None,
        "change": None,
        "change_ci95": None,
    }
    assert found["trust_change"]["T3"]["change"] is None and found["trust_change"]["T3"]["later_mean"] == 5.0
    # T1: every person gave 3 then 4: no spread within either round, so se 0 and the interval is the point.
    assert found["trust_change"]["T1"] == {
        "earlier_mean": 3.0,
        "later_mean": 4.0,
        "change": 1.0,
        "change_ci95": [1.0, 1.0],
    }
    assert found["matched"]["trusts"] == 1 and found["matched"]["mean_change"] == 1.0
    assert found["matched"]["ci95"] is None  # one trust: no interval
    assert (found["matched"]["improved_notably"], found["matched"]["improved_clearly"]) == (1, 1)


def test_a_trust_whose_interval_crosses_zero_is_not_clearly_improved() -> None:
    # T1 earlier: three people scoring 3; later: 5, 1 and 5 (mean 11/3): up by 2/3, notably, but the later
    # round's spread puts zero inside the interval. By hand: later se = sqrt(3/2 · Σ e²)/6 per contract 3b with
    # each person's two answers as a cluster of sums 10, 2, 10 against mean 11/3 · 2: e = 2.67, −5.33, 2.67;
    # Σ e² = 42.67; se = sqrt(1.5 × 42.67)/6 = 1.3333; t(2) = 4.303: half-width 5.74.
    earlier = people("T1", [3, 3], 3) + people("T2", [3, 3], 3)
    later = [*people("T1", [5, 5], 1, "A"), *people("T1", [1, 1], 1, "B"), *people("T1", [5, 5], 1, "C")]
    later += people("T2", [3, 3], 3)
    found = compared(earlier, later)["scopes"]["multi_agency"]
    change = found["trust_change"]["T1"]
    assert change["change"] == pytest.approx(2 / 3)
    assert change["change_ci95"] == pytest.approx(
        [2 / 3 - 4.302652729749464 * 4 / 3, 2 / 3 + 4.302652729749464 * 4 / 3]
    )
    assert found["matched"]["improved_notably"] == 1 and found["matched"]["improved_clearly"] == 0


def test_a_band_transition_at_an_exact_edge() -> None:
    # T1 earlier 27/10 = 2.7 (the 2.5 to 2.8 band); later 28/10 = 2.8 exactly, which opens the next band.
    earlier = people("T1", [3, 3, 3, 3, 3, 3, 3, 2, 2, 2], 1)
    later = people("T1", [3, 3, 3, 3, 3, 3, 3, 3, 2, 2], 1)
    transitions = compared(earlier, later)["scopes"]["multi_agency"]["band_transitions"]
    assert transitions["2.5_to_2.8"]["2.8_to_3.0"] == 1
    assert sum(n for row in transitions.values() for n in row.values()) == 1


def test_a_question_dropped_between_frameworks_is_left_out_of_every_mean(tmp_path: Path) -> None:
    data = yaml.safe_load(builtin_path().read_text())
    data["practices"][0]["questions"] = [q for q in data["practices"][0]["questions"] if q["id"] != "Q2"]
    path = tmp_path / "later.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    later_framework = load_framework(path)
    # Q2 scored 5 in the earlier round only: compared over Q3 alone, nothing changed.
    earlier = people("T1", [5, 3], 3) + people("T2", [5, 3], 3)
    later = [r for r in people("T1", [0, 3], 3) + people("T2", [0, 3], 3) if r.question != "Q2"]
    found = compared(earlier, later, FRAMEWORK, later_framework)
    assert found["questions_left_out"] == ["Q2"]
    overall = found["scopes"]["overall"]["responses"]["all"]
    assert (overall["earlier_mean"], overall["later_mean"], overall["change"]) == (3.0, 3.0, 0.0)
