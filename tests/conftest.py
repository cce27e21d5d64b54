"""Shared fixtures: the built-in framework and small helpers for writing response files."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from selfassess.framework import Framework, load_framework
from selfassess.reports import Groups, Written, write_reports
from selfassess.responses import InvalidResponses, ResponseTable, read_responses, validate
from selfassess.synth import simple_round

HEADER = "trust,respondent,sector,audience,question,answer"
REPO = Path(__file__).resolve().parent.parent
# The published figures the tests check against: the tests' own copy, independent of the one `synth` carries,
# so that a clone of the repository alone passes.
REFERENCE = Path(__file__).resolve().parent / "reference"


@pytest.fixture(scope="session")
def framework() -> Framework:
    return load_framework()


def round_table(framework: Framework, trusts: int, seed: int, scale: float = 1.0) -> ResponseTable:
    """A quick (uncalibrated) round as a validated table."""
    answers = simple_round(framework, trusts=trusts, seed=seed, scale=scale)
    return validate(answers, framework, lambda row, column: f"answer {row}")


def some_groups(table: ResponseTable) -> Groups:
    """Benchmark groups for a test round: two of several trusts, one of two (too few to be shown) and the last
    trust in none, so every kind of group a report meets is there."""
    trusts = sorted(table.answers["trust"].cast(str).unique())
    of = {}
    for i, trust in enumerate(trusts[:-1]):
        of[trust] = "Pair" if i >= len(trusts) - 3 else ("North", "South")[i % 2]
    return Groups("region", of)


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    """A small round written out once as a full set of reports, with benchmark groups."""
    table = round_table(load_framework(), trusts=24, seed=3)
    return write_reports(table, tmp_path_factory.mktemp("reports"), groups=some_groups(table))


def long_csv(rows: Iterable[Sequence[object]], header: str = HEADER) -> str:
    """Long-form CSV text from rows of (trust, respondent, sector, audience, question, answer)."""
    return "\n".join([header, *(",".join(str(v) for v in row) for row in rows)]) + "\n"


def write(tmp_path: Path, content: str | bytes, name: str = "responses.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def read(tmp_path: Path, content: str | bytes, framework: Framework, name: str = "responses.csv") -> ResponseTable:
    return read_responses(write(tmp_path, content, name), framework)


def problems(tmp_path: Path, content: str | bytes, framework: Framework, name: str = "responses.csv") -> list[str]:
    """The problems a file is refused with (fails the test if it is accepted)."""
    with pytest.raises(InvalidResponses) as refused:
        read(tmp_path, content, framework, name)
    return refused.value.lines()


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in a process of its own, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "selfassess", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )
