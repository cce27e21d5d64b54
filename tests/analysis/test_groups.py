"""Benchmark groups (contract 3d) against a naive reading of the contract, row by row with fractions, on random
rounds with random groups (small groups, trusts without a mean, a group below `min_trusts`, trusts of the file
absent from the data and trusts absent from the file); ranks with ties and the exact notable rule worked by hand;
the groups file refused as the contract says, by the real command."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.analysis import build_cube, results
from selfassess.analysis.contract import Group, GroupScope, Place
from selfassess.analysis.groups import group_results
from selfassess.framework import Framework
from tests.analysis.naive import Row, _clustered
from tests.analysis.test_properties import FRAMEWORK, rounds, table_of
from tests.conftest import long_csv, run_cli, write


def _scores(framework: Framework) -> dict[str, int]:
    return {a.code: a.score for a in framework.scale if a.score is not None}


def _median(values: list[Fraction]) -> Fraction:
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def naive_groups(
    rows: list[Row], framework: Framework, groups: dict[str, str], found: dict[str, Any], min_trusts: int
) -> dict[str, Any]:
    """Contract 3d read literally."""
    score = _scores(framework)
    in_data = {r.trust for r in rows}
    members: dict[str, list[str]] = defaultdict(list)
    for trust in sorted(in_data):
        if trust in groups:
            members[groups[trust]].append(trust)
    meant = {s.id: set(s.audiences) for s in framework.stages}
    stage_of = {q.id: q.stage for q in framework.questions}
    of: dict[str, Any] = {}
    for group, trusts in members.items():
        scopes = {}
        for scope in framework.scopes:
            questions = set(framework.scope_question_ids(scope))
            mine = [r for r in rows if r.trust in trusts and r.question in questions and r.answer in score]
            by_trust: dict[str, list[int]] = defaultdict(list)
            for r in mine:
                by_trust[r.trust].append(score[r.answer])
            means = [Fraction(sum(v), len(v)) for v in by_trust.values()]
            shown = len(means) >= min_trusts
            responses = {}
            for aud in [*framework.audience_ids, "all"]:
                picked = [(r.trust, score[r.answer]) for r in mine if aud == "all" or r.audience == aud]
                clustered = _clustered(picked)
                responses[aud] = {
                    "n": len(picked),
                    "mean": Fraction(sum(v for _, v in picked), len(picked)) if shown and picked else None,
                    "se": clustered[0] if shown and clustered else None,
                    "ci95": clustered[1] if shown and clustered else None,
                }
            stage_means: dict[str, dict[str, Any]] = {}
            for aud in [*framework.audience_ids, "all"]:
                stage_means[aud] = {}
                for stage in framework.stages:
                    values = [
                        score[r.answer]
                        for r in mine
                        if stage_of[r.question] == stage.id
                        and r.audience in meant[stage.id]
                        and (aud == "all" or r.audience == aud)
                    ]
                    stage_means[aud][stage.id] = Fraction(sum(values), len(values)) if shown and values else None
            scopes[scope] = {
                "shown": shown,
                "with_mean": len(means),
                "responses": responses,
                "stage_means": stage_means,
                "trust_means": {
                    "best": max(means) if shown and means else None,
                    "median": _median(means) if shown and means else None,
                    "lowest": min(means) if shown and means else None,
                },
            }
        of[group] = {"trusts": sorted(trusts), "scopes": scopes}
    places = {}
    for group, trusts in members.items():
        for trust in trusts:
            scopes = {}
            for scope in framework.scopes:
                questions = set(framework.scope_question_ids(scope))
                sums = {
                    t: [score[r.answer] for r in rows if r.trust == t and r.question in questions and r.answer in score]
                    for t in trusts
                }
                trust_means = {t: Fraction(sum(v), len(v)) for t, v in sums.items() if v}
                every = [v for t in trusts for v in sums[t]]
                group_mean = Fraction(sum(every), len(every)) if every else None
                shown = of[group]["scopes"][scope]["shown"] and trust in trust_means
                ci = found["scopes"][scope]["trust_ci95"][trust]
                difference = trust_means[trust] - group_mean if shown and group_mean is not None else None
                notable = None
                if difference is not None:
                    notable = (
                        "above"
                        if difference >= framework.notable
                        else "below"
                        if -difference >= framework.notable
                        else None
                    )
                scopes[scope] = {
                    "rank": 1 + sum(1 for m in trust_means.values() if m > trust_means[trust]) if shown else None,
                    "of": len(trust_means),
                    "difference": difference,
                    "difference_ci95": [ci[0] - float(group_mean), ci[1] - float(group_mean)]
                    if shown and ci is not None and group_mean is not None
                    else None,
                    "notable": notable,
                }
            places[trust] = {"group": group, "scopes": scopes}
    return {"of": of, "trust_group": places}


def _same(engine: Any, naive: Any, path: str = "") -> None:
    if isinstance(naive, dict):
        for key in naive:
            assert key in engine, path + "." + key
            _same(engine[key], naive[key], f"{path}.{key}")
    elif isinstance(naive, Fraction):
        assert engine is not None and math.isclose(engine, float(naive), rel_tol=1e-12, abs_tol=1e-12), path
    elif isinstance(naive, float):
        assert engine is not None and math.isclose(engine, naive, rel_tol=1e-9, abs_tol=1e-12), path
    elif isinstance(naive, list) and naive and isinstance(naive[0], float):
        assert len(engine) == len(naive), path
        for i, value in enumerate(naive):
            _same(engine[i], value, f"{path}[{i}]")
    else:
        assert engine == naive, (path, engine, naive)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_groups_agree_with_a_naive_reading_of_the_contract(data: st.DataObject) -> None:
    rows = data.draw(rounds())
    trusts = sorted({r.trust for r in rows})
    names = ["North", "South", "Ñ-east"]
    groups = {t: data.draw(st.sampled_from(names)) for t in trusts if data.draw(st.booleans()) or len(trusts) < 3}
    groups["T99"] = "North"  # a trust of the file with no answers: ignored
    min_trusts = data.draw(st.integers(1, 3))
    table = table_of(rows)
    cube = build_cube(table)
    found = results(cube)
    engine = group_results(cube, found, groups, "region", min_trusts)
    naive = naive_groups(rows, FRAMEWORK, groups, found, min_trusts)
    assert engine["attribute"] == "region" and engine["min_trusts"] == min_trusts
    assert sorted(engine["of"]) == sorted(naive["of"])
    assert sorted(engine["trust_group"]) == sorted(naive["trust_group"])
    _same(engine["of"], naive["of"], "of")
    _same(engine["trust_group"], naive["trust_group"], "trust_group")
    json.dumps(engine)  # plain JSON
    # The typed view has every key the engine writes.
    for group in engine["of"].values():
        assert set(group) == set(Group.__annotations__)
        assert all(set(scope) == set(GroupScope.__annotations__) for scope in group["scopes"].values())
    for place in engine["trust_group"].values():
        assert all(set(p) == set(Place.__annotations__) for p in place["scopes"].values())


def _trust_rows(trust: str, scores: list[str], people: int = 1) -> list[Row]:
    return [
        Row(trust, f"R{p}", "health", "leader_manager", f"Q{i + 1}", s)
        for p in range(people)
        for i, s in enumerate(scores)
    ]


def test_ranks_share_the_better_place_on_a_tie_and_notable_is_exact() -> None:
    # Multi-agency working (Q1-Q13) only: means 3, 4, 4 and 2 in one group; the group mean is 13/4 = 3.25.
    rows = [*_trust_rows("A", ["3"]), *_trust_rows("B", ["4"]), *_trust_rows("C", ["4"]), *_trust_rows("D", ["2"])]
    cube = build_cube(table_of(rows))
    found = results(cube)
    places = group_results(cube, found, dict.fromkeys("ABCD", "G"), "region")["trust_group"]
    scope = "multi_agency"
    assert [places[t]["scopes"][scope]["rank"] for t in "ABCD"] == [3, 1, 1, 4]
    assert [places[t]["scopes"][scope]["of"] for t in "ABCD"] == [4, 4, 4, 4]
    # 3 − 3.25 = −0.25 ≤ −0.2: below; 4 − 3.25 = 0.75: above; 2 − 3.25: below.
    assert [places[t]["scopes"][scope]["notable"] for t in "ABCD"] == ["below", "above", "above", "below"]
    assert places["A"]["scopes"][scope]["difference"] == pytest.approx(-0.25)


def test_a_difference_of_exactly_the_notable_difference_is_notable() -> None:
    # Means 3.2 (16/5) against a group of 3.0 exactly: 0.2 in floating point is not exact, the rule is.
    rows = [
        *_trust_rows("A", ["4", "3", "3", "3", "3"]),
        *_trust_rows("B", ["3", "3", "3", "3", "3"]),
        *_trust_rows("C", ["2", "3", "3", "3", "3"]),
    ]
    cube = build_cube(table_of(rows))
    place = group_results(cube, results(cube), dict.fromkeys("ABC", "G"), "region")["trust_group"]
    assert place["A"]["scopes"]["multi_agency"]["notable"] == "above"
    assert place["C"]["scopes"]["multi_agency"]["notable"] == "below"
    assert place["B"]["scopes"]["multi_agency"]["notable"] is None


def test_a_group_below_its_minimum_shows_nothing_but_its_counts() -> None:
    rows = [*_trust_rows("A", ["3", "4"]), *_trust_rows("B", ["4", "4"])]
    cube = build_cube(table_of(rows))
    found = group_results(cube, results(cube), {"A": "Pair", "B": "Pair"}, "region")
    scope = found["of"]["Pair"]["scopes"]["multi_agency"]
    assert scope["shown"] is False and scope["with_mean"] == 2
    assert scope["responses"]["all"] == {"n": 4, "mean": None, "se": None, "ci95": None}
    assert scope["trust_means"] == {"best": None, "median": None, "lowest": None}
    assert found["trust_group"]["A"]["scopes"]["multi_agency"] == {
        "rank": None,
        "of": 2,
        "difference": None,
        "difference_ci95": None,
        "notable": None,
    }


def _answers_file(tmp_path: Path) -> Path:
    rows = [
        (t, f"R{p}", "health", "leader_manager", "Q1", str(1 + (p + i) % 5))
        for i, t in enumerate("ABCD")
        for p in range(3)
    ]
    return write(tmp_path, long_csv(rows))


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("trust,region\nA,N\n", "line 1: the header must be exactly 'trust,group', not 'trust,region'"),
        ("trust,group\n", "the file: has no data row"),
        ("trust,group\nA,\n", "line 2: the group is blank"),
        ("trust,group\nA,N\nB,S\nA,N\n", "line 4: trust 'A' is named again (first on line 2)"),
        ("trust,group,size\nA,N,1\n", "line 1: the header must be exactly 'trust,group'"),
        ("trust,group\nA,N\x07\n", "line 2: the group contains a control character"),
    ],
)
def test_a_groups_file_is_refused_whole(tmp_path: Path, content: str, said: str) -> None:
    groups = tmp_path / "groups.csv"
    groups.write_text(content, encoding="utf-8")
    out = tmp_path / "out.json"
    done = run_cli("analyse", str(_answers_file(tmp_path)), "--groups", str(groups), "--json", str(out))
    assert done.returncode == 2 and said in done.stderr
    assert not out.exists()


def test_the_command_writes_groups_from_a_file_with_bom_crlf_quotes_and_spaces(tmp_path: Path) -> None:
    groups = tmp_path / "groups.csv"
    groups.write_bytes('\ufefftrust,group\r\n"A", North \r\nB,North\r\nC,"North"\r\nD,South\r\nE,South\r\n'.encode())
    out = tmp_path / "out.json"
    done = run_cli("analyse", str(_answers_file(tmp_path)), "--groups", str(groups), "--json", str(out))
    assert done.returncode == 0, done.stderr
    found = json.loads(out.read_text(encoding="utf-8"))["groups"]
    assert found["attribute"] == "group" and found["min_trusts"] == 3
    assert found["of"]["North"]["trusts"] == ["A", "B", "C"] and found["of"]["South"]["trusts"] == ["D"]
    assert found["of"]["North"]["scopes"]["overall"]["shown"] is True
    assert found["of"]["South"]["scopes"]["overall"]["shown"] is False
    assert set(found["trust_group"]) == {"A", "B", "C", "D"}
    refused = run_cli("analyse", str(_answers_file(tmp_path)), "--groups", str(groups), "--min-group-trusts", "0")
    assert refused.returncode == 2 and "--min-group-trusts must be a whole number of at least 1" in refused.stderr
