"""`selfassess import` loads a file into the database all or nothing, as a user would run it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import long_csv

ROWS = [
    ("T1", "R1", "health", "front_line", "Q2", "3"),
    ("T1", "R1", "health", "front_line", "Q3", "NA"),
    ("T2", "R9", "youth", "leader_manager", "Q1", "5"),
]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SELFASSESS_VAR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "selfassess", *args], capture_output=True, text=True, env=env, timeout=300
    )


def count(tmp_path: Path, table: str) -> int:
    with sqlite3.connect(tmp_path / "var" / "selfassess.sqlite3") as db:
        return int(db.execute(f"SELECT count(*) FROM selfassess_{table}").fetchone()[0])


def test_import_loads_a_file_into_a_round(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(long_csv(ROWS))
    done = run(tmp_path, "import", str(path), "--round", "Spring")
    assert done.returncode == 0, done.stderr
    assert "loaded 3 answers from 2 respondents in 2 trusts into round 'Spring'" in done.stdout
    assert (count(tmp_path, "trust"), count(tmp_path, "respondent"), count(tmp_path, "answer")) == (2, 2, 3)
    # The same respondents again: refused whole, nothing added.
    again = run(tmp_path, "import", str(path), "--round", "Spring")
    assert again.returncode == 2 and "respondent R1 of trust T1 is already in the round" in again.stderr
    assert count(tmp_path, "answer") == 3


def test_import_refuses_a_bad_file_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(long_csv([*ROWS, ("T3", "R1", "health", "front_line", "Q1", "7")]))
    done = run(tmp_path, "import", str(path), "--round", "Spring")
    assert done.returncode == 2
    assert "line 5: answer '7' is not allowed" in done.stderr and "Traceback" not in done.stderr
    assert count(tmp_path, "answer") == 0 and count(tmp_path, "respondent") == 0
    assert count(tmp_path, "round") == 0  # not even an empty round
