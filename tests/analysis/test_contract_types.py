"""The typed view of the results JSON mirrors what the engine writes, key for key, and mypy refuses code that
reads a key the contract does not have."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mypy import api as mypy

from selfassess.analysis import build_cube, results
from selfassess.analysis.contract import (
    Change,
    Comparison,
    Matched,
    Notable,
    Question,
    Responses,
    Scope,
    ScopeChange,
    TrustCounts,
    as_results,
)
from selfassess.framework import Framework
from selfassess.reports import add_comparison
from tests.conftest import REPO, round_table


def _keys(kind: type) -> set[str]:
    return set(kind.__annotations__) | {k for base in kind.__mro__[1:] for k in getattr(base, "__annotations__", {})}


def test_every_key_the_engine_writes_is_typed_and_every_typed_key_is_written(framework: Framework) -> None:
    table, earlier = round_table(framework, trusts=6, seed=1), round_table(framework, trusts=6, seed=2)
    cube = build_cube(table)
    found = results(cube)
    add_comparison(found, cube, (earlier, "June"))
    view = as_results(found)
    assert set(found) == {"schema", "framework", "counts", "scopes", "questions", "comparison"}
    codes = set(framework.answer_codes)
    for scope in view["scopes"].values():
        assert set(scope) == set(Scope.__annotations__)
        assert set(scope["notable"]) == set(Notable.__annotations__)
        assert set(scope["trust_counts"]) == set(TrustCounts.__annotations__)
        for responses in scope["responses"].values():
            assert set(responses) == set(Responses.__annotations__) | codes
    for question in view["questions"].values():
        assert set(question) == set(Question.__annotations__)
    comparison = view["comparison"]
    assert set(comparison) == set(Comparison.__annotations__)
    for change in comparison["scopes"].values():
        assert set(change) == set(ScopeChange.__annotations__)
        assert set(change["matched"]) == set(Matched.__annotations__)
        assert all(set(c) == set(Change.__annotations__) for c in change["responses"].values())


def test_mypy_refuses_a_misspelt_or_missing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYPYPATH", str(REPO / "src"))  # the files checked lie outside the repository
    reading = textwrap.dedent(
        """
        from selfassess.analysis.contract import Results

        def overall_mean(found: Results) -> float | None:
            return found["scopes"]["overall"]["responses"]["all"]["{key}"]
        """
    )
    right, wrong = tmp_path / "right.py", tmp_path / "wrong.py"
    right.write_text(reading.replace("{key}", "mean"))
    wrong.write_text(reading.replace("{key}", "maen"))
    config = ["--config-file", str(REPO / "pyproject.toml")]  # the project's cache, warm after `make typecheck`
    assert mypy.run([*config, str(right)])[2] == 0
    report, _, status = mypy.run([*config, str(wrong)])
    assert status == 1 and '"Responses" has no key "maen"' in report
