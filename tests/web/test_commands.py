"""`selfassess import` loads a file into the database all or nothing, as a user would run it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from selfassess.framework import builtin_path
from tests.conftest import long_csv

ROWS = [
    ("T1", "R1", "health", "front_line", "Q2", "3"),
    ("T1", "R1", "health", "front_line", "Q3", "NA"),
    ("T2", "R9", "youth", "leader_manager", "Q1", "5"),
]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SELFASSESS_VAR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # these are about the embedded SQLite database
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


def test_serve_migrates_and_answers_on_loopback(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SELFASSESS_VAR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "selfassess", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        page = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Trust coordinators and national administrators" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/selfassess/app.css", timeout=5) as css:
            assert b"govuk" in css.read(2000)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert f"selfassess is at http://127.0.0.1:{port}/" in output
    assert count(tmp_path, "round") == 0  # the tables exist: migrated on start


def test_export_round_and_import_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(long_csv(ROWS))
    assert run(tmp_path, "import", str(path), "--round", "Spring").returncode == 0
    backup = tmp_path / "backup"
    done = run(tmp_path, "export-round", "Spring", "--out", str(backup))
    assert done.returncode == 0, done.stderr
    assert "2 trusts, 2 respondents, 3 answers" in done.stdout
    # Into a fresh database: the same trusts, respondents and answers; the same statistics.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    restored = run(fresh, "import", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "into round 'Spring'" in restored.stdout
    assert (count(fresh, "trust"), count(fresh, "respondent"), count(fresh, "answer")) == (2, 2, 3)
    first = run(tmp_path, "export-round", "Spring", "--out", str(tmp_path / "again"))
    second = run(fresh, "export-round", "Spring", "--out", str(fresh / "again"))
    assert first.returncode == second.returncode == 0
    assert (tmp_path / "again" / "answers.csv").read_text() == (fresh / "again" / "answers.csv").read_text()
    a = json.loads((tmp_path / "again" / "round.json").read_text())
    b = json.loads((fresh / "again" / "round.json").read_text())
    assert a == b
    assert run(fresh, "import", str(backup)).returncode == 2  # the round exists: refused, not merged
    assert run(tmp_path, "export-round", "Nope", "--out", str(tmp_path / "x")).returncode == 2


def test_import_refuses_a_round_name_the_database_cannot_keep(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(long_csv(ROWS))
    for name in ("R" * 81, "Spring\x1bround"):
        done = run(tmp_path, "import", str(path), "--round", name)
        assert done.returncode == 2 and "--round: the round's name" in done.stderr, done.stderr


CREATE_USER = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "selfassess.web.settings"
django.setup()
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("someone@example.org", password="a real person's password")
"""


def test_demo_will_not_take_over_a_database_with_other_accounts(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(long_csv(ROWS))
    assert run(tmp_path, "import", str(path), "--round", "Real").returncode == 0  # makes the database
    env = {**os.environ, "SELFASSESS_VAR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", CREATE_USER], check=True, env=env, timeout=120)
    done = run(tmp_path, "demo", "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "already has accounts the demo did not make (someone@example.org" in done.stderr
    assert not (tmp_path / "out").exists() and count(tmp_path, "round") == 1


def test_demo_runs_the_whole_main_job_on_another_framework(tmp_path: Path) -> None:
    out = tmp_path / "out"
    framework = builtin_path().with_name("early-help.yaml")
    done = run(tmp_path, "demo", "--framework", str(framework), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "uncalibrated synthetic round" in done.stderr + done.stdout
    results = json.loads((out / "results.json").read_text())
    assert results["framework"]["id"] == "early-help" and results["counts"]["trusts"] == 150
    assert set(results["scopes"]) == {"overall", "identification", "assessment", "support", "learning"}
    page = (out / "national-report.html").read_text()
    assert "Change since June (invented)" in page and "Partnerships" in page
    assert len(list((out / "trusts").glob("*.html"))) == 150 and (out / "national-report.pdf").stat().st_size > 0
    assert count(tmp_path, "round") == 2
    # The invented regions are the service's benchmark groups too: on each organisation, chosen for the round.
    with sqlite3.connect(tmp_path / "var" / "selfassess.sqlite3") as db:
        chosen = db.execute("SELECT group_attribute FROM selfassess_round WHERE closed_at IS NULL").fetchall()
        regions = db.execute("SELECT count(*) FROM selfassess_organisation WHERE attributes LIKE '%region%'")
        assert chosen == [("region",)] and regions.fetchone()[0] == 150
    assert 'id="trust-group"' in next((out / "trusts").glob("*.html")).read_text()
