"""Counts with their nouns, at 0, 1, 2 and many, with irregular plurals."""

from __future__ import annotations

import pytest

from selfassess.text import counted


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 consortia"), (1, "1 consortium"), (2, "2 consortia"), (12_345, "12,345 consortia")],
)
def test_a_count_takes_the_singular_only_for_one(n: int, expected: str) -> None:
    assert counted(n, "consortium", "consortia") == expected
