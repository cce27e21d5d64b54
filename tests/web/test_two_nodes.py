"""Two machines' worth of the service on this one, sharing only standard services: PostgreSQL and an S3 API
(moto's server, on the loopback). Each node has a web server (gunicorn) and a task worker, and its own empty
local folder. A report built by one node's worker is served by the other's web server; a worker killed while
copying a build to the bucket leaves the earlier version served, and the build is made again."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.urls import reverse

from tests.conftest import long_csv
from tests.web.buckets import BucketServer, bucket_environment
from tests.web.test_resilience import Browser

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="two nodes share PostgreSQL: `make postgres` runs this"
)

ADMIN = """
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "selfassess.web.settings"
django.setup()
from django.contrib.auth import get_user_model
from selfassess.web.models import Round
user = get_user_model().objects.create_user(username="admin@example.org", password="administrator password 2009")
user.is_staff = True
user.save()
print(json.dumps(Round.objects.get(name="Load").pk))
"""
TRUSTS = 30  # a build of some 36 files: long enough to be caught copying


@dataclass
class Node:
    name: str
    var: Path
    env: dict[str, str]
    url: str = ""
    web: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    log: list[Path] = field(default_factory=list)

    def start_web(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [gunicorn, "-c", "python:selfassess.web.gunicorn", "-k", "gthread", "--threads", "4"]
        self.web = self._run([*command, "-b", f"127.0.0.1:{port}", "selfassess.web.wsgi"], "web")
        self.url = f"http://127.0.0.1:{port}"
        until(lambda: _answers(self.url + "/healthz"), f"{self.name}'s web server to start")

    def start_worker(self) -> None:
        self.worker = self._run([sys.executable, "-m", "selfassess", "worker", "--interval", "0.1"], "worker")

    def _run(self, command: list[str], what: str) -> subprocess.Popen[bytes]:
        log = self.var / f"{what}.log"
        if log not in self.log:
            self.log.append(log)
        return subprocess.Popen(command, env=self.env, stdout=log.open("ab"), stderr=subprocess.STDOUT)

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # it answers (unhealthy until a worker is seen)
    except OSError:
        return False


def until(condition: Callable[[], Any], what: str, seconds: float = 180) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds:.0f} s for {what}")


@pytest.fixture
def database() -> Iterator[str]:
    """A database of its own on the test PostgreSQL server, for processes outside the test's transaction."""
    server = os.environ["DATABASE_URL"]
    name = f"two_nodes_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    yield server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def bucket_server() -> Iterator[BucketServer]:
    server = BucketServer()
    yield server
    server.stop()


def national_build(database: str) -> tuple[str, Any, str] | None:
    """The status, PDF time and location of the newest national build."""
    with psycopg.connect(database) as connection:
        row = connection.execute(
            "SELECT status, pdf_done_at, location FROM selfassess_reportbuild WHERE kind = 'national' "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def command(node: Node, *args: str) -> str:
    """A command run on a node (Python's arguments): its output."""
    done = subprocess.run([sys.executable, *args], env=node.env, check=True, capture_output=True, text=True)
    return done.stdout


def seed(path: Path, first: int, last: int, answer: str) -> Path:
    path.write_text(
        long_csv([(f"T{n:02d}", f"R{n}", "youth", "front_line", "Q2", answer) for n in range(first, last + 1)])
    )
    return path


def test_two_nodes_share_reports_through_the_bucket_and_survive_a_killed_upload(
    database: str, bucket_server: BucketServer, tmp_path: Path
) -> None:
    bucket = bucket_server.new_bucket(f"selfassess-{uuid.uuid4().hex[:12]}")
    shared = {
        **os.environ,
        **bucket_environment(bucket_server, bucket),
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "selfassess.web.settings",
        "SELFASSESS_SECRET_KEY": "the same on every node: q7M2xv9KpR4tLw8ZbN3cYf6HjD1sGa5E",
    }
    shared.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    nodes = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        nodes.append(Node(name, tmp_path / name, {**shared, "SELFASSESS_VAR": str(tmp_path / name)}))
    a, b = nodes
    command(a, "-m", "selfassess", "import", str(seed(tmp_path / "first.csv", 1, TRUSTS, "3")), "--round", "Load")
    round_id = json.loads(command(a, "-c", ADMIN).strip().splitlines()[-1])
    report = reverse("national_report", kwargs={"round_id": round_id})
    results = reverse("national_download", kwargs={"round_id": round_id, "kind": "json"})
    pdf = reverse("national_download", kwargs={"round_id": round_id, "kind": "pdf"})
    try:
        a.start_web()
        b.start_web()
        a.start_worker()  # only A's worker, at first
        person = Browser(b.url)  # one browser, its session good on either server, as behind a load balancer
        person.post("/sign-in/", {"username": "admin@example.org", "password": "administrator password 2009"})
        assert "being prepared" in person.get(report)
        until(lambda: (national_build(database) or ("", None, ""))[1], "A's worker to build the report and its PDF")
        # B's web server serves what A's worker built: the page, and the PDF as it is in the bucket.
        assert "This version counts" not in person.get(report)
        assert json.loads(person.get(results))["counts"]["respondents"]["all"] == TRUSTS
        first = national_build(database)
        assert first is not None and first[0] == "done"
        assert person.read(pdf) == bucket_server.read(bucket, f"{first[2]}/national-report.pdf")

        # New answers, and only B's worker: it is killed while copying the new build to the bucket.
        assert a.worker is not None
        a.worker.terminate()
        a.worker.wait(timeout=30)
        b.start_worker()
        bucket_server.hold_uploads("reports/")  # the first file goes in; the next waits
        command(
            a,
            "-m",
            "selfassess",
            "import",
            str(seed(tmp_path / "more.csv", TRUSTS + 1, TRUSTS + 5, "5")),
            "--round",
            "Load",
        )
        person.base = a.url
        assert "An update with newer answers is being made" in person.get(report)
        until(bucket_server.holding.is_set, "B's worker to begin copying the new build")
        assert b.worker is not None
        b.worker.send_signal(signal.SIGKILL)
        b.worker.wait(timeout=30)
        killed = national_build(database)
        assert killed is not None and killed[0] == "running" and killed[2] != first[2]
        assert len(bucket_server.keys(bucket, killed[2] + "/")) == 1  # half copied ...
        bucket_server.release()
        for server in (a, b):  # ... and never served: both servers serve the earlier version
            person.base = server.url
            assert "An update with newer answers is being made" in person.get(report)
            assert json.loads(person.get(results))["counts"]["respondents"]["all"] == TRUSTS

        # Once the build is taken as lost (as if REPORT_BUILD_STALE_MINUTES had passed), it is made again.
        with psycopg.connect(database) as connection:
            connection.execute(
                "UPDATE selfassess_reportbuild SET requested_at = now() - interval '1 hour' WHERE location = %s",
                [killed[2]],
            )
        a.start_worker()
        person.base = a.url
        person.get(report)
        until(lambda: (national_build(database) or ("",))[0] == "done", "A's worker to make the build again")
        person.base = b.url
        assert "An update" not in person.get(report)
        assert json.loads(person.get(results))["counts"]["respondents"]["all"] == TRUSTS + 5
        remade = national_build(database)
        assert remade is not None and remade[2] not in (first[2], killed[2])

        # Only the new version is kept, its PDF too once made (a task after the pages): the killed attempt's
        # file and the superseded version are removed.
        def only_the_new() -> bool:
            made = (national_build(database) or ("", None, ""))[1] is not None
            return made and all(key.startswith(remade[2] + "/") for key in bucket_server.keys(bucket, "reports/"))

        until(only_the_new, "the worker to make the PDF and remove what is no longer served")
        kept = {key.removeprefix(remade[2] + "/") for key in bucket_server.keys(bucket, "reports/")}
        assert {"national-report.html", "national-report.pdf", "results.json", "trusts/T35.html"} <= kept
        # No node kept a report file of its own.
        assert not (a.var / "files").exists() and not (b.var / "files").exists()
    except BaseException:
        for node in nodes:
            for log in node.log:
                print(f"--- {node.name}: {log.name}\n{log.read_text()[-3000:]}")
        raise
    finally:
        bucket_server.release()
        for node in nodes:
            node.stop()
