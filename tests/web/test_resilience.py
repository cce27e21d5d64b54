"""Nothing lost: many respondents at once, double submissions, two tabs, a killed server, a killed import, a busy
database. Against a real server (gunicorn) on a real SQLite file, on loopback."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import long_csv

SETUP = """
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "selfassess.web.settings"
django.setup()
from selfassess.web.models import Round
from selfassess.web.services.invitations import create_invitations
trust = Round.objects.get(name="Load").trusts.get(code="T1")
print(json.dumps([i.token for i in create_invitations(trust, {n}, "health", "front_line", actor="test")]))
"""


@dataclass
class Server:
    url: str
    var: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str]

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.var / "selfassess.sqlite3", timeout=30)


def environment(var: Path) -> dict[str, str]:
    env = {**os.environ, "SELFASSESS_VAR": str(var), "DJANGO_SETTINGS_MODULE": "selfassess.web.settings"}
    env.pop("DATABASE_URL", None)
    return env


def start(var: Path, env: dict[str, str]) -> Server:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "selfassess.web.wsgi", "-k", "gthread", "-w", "2", "--threads", "8", "-b", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(var / "server.log").open("ab"),
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    return Server(url, var, process, env)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    var = tmp_path / "var"
    env = environment(var)
    answers = tmp_path / "seed.csv"
    answers.write_text(long_csv([("T1", "R0", "youth", "front_line", "Q2", "3")]))
    subprocess.run(
        [sys.executable, "-m", "selfassess", "import", str(answers), "--round", "Load"],
        env=env,
        check=True,
        capture_output=True,
    )
    running = start(var, env)
    yield running
    running.process.terminate()
    running.process.wait(timeout=20)


def tokens(server: Server, n: int) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SETUP.format(n=n)], env=server.env, capture_output=True, text=True, check=True
    )
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


class Browser:
    """A person's browser: cookies kept, CSRF token read from each form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.statuses: list[int] = []

    def get(self, path: str) -> str:
        return self.read(path).decode()

    def read(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=60) as response:
            self.statuses.append(response.status)
            data: bytes = response.read()
            return data

    def post(self, path: str, data: dict[str, str]) -> str:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        fields = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        body = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, body), timeout=60) as response:
                self.statuses.append(response.status)
                return str(response.read().decode())
        except urllib.error.HTTPError as error:
            self.statuses.append(error.code)
            return str(error.read().decode())


QUESTIONS = {  # front line staff: the leaders-only questions of stages A and H are not shown
    1: [f"Q{i}" for i in range(2, 13)],
    2: [f"Q{i}" for i in range(15, 24)],
    3: [f"Q{i}" for i in range(26, 38)],
    4: [f"Q{i}" for i in range(40, 48)],
    5: [f"Q{i}" for i in range(50, 59)],
}


def complete(server: Server, token: str, answer: str) -> Browser:
    person = Browser(server.url)
    for number, questions in QUESTIONS.items():
        person.post(f"/r/{token}/section/{number}/", {q: answer for q in questions} | {"then": "next"})
    person.post(f"/r/{token}/check/", {})
    return person


def answers_of(server: Server, token: str) -> dict[str, str]:
    with server.db() as db:
        rows = db.execute(
            "SELECT a.question, a.answer FROM selfassess_answer a "
            "JOIN selfassess_respondent r ON a.respondent_id = r.id WHERE r.link_id = ?",
            (link_id(token),),
        ).fetchall()
    return dict(rows)


def link_id(token: str) -> str:
    """The invitation a link is for: its link id is the link's first part (the rest is its HMAC)."""
    return token.split("-")[0]


def test_many_respondents_at_once_lose_nothing(server: Server) -> None:
    links = tokens(server, 24)
    people: list[Browser] = []
    threads = [
        threading.Thread(target=lambda t=t, i=i: people.append(complete(server, t, str(1 + i % 5))))
        for i, t in enumerate(links)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(status < 500 for person in people for status in person.statuses), [p.statuses for p in people]
    for i, token in enumerate(links):
        assert answers_of(server, token) == {q: str(1 + i % 5) for qs in QUESTIONS.values() for q in qs}
    with server.db() as db:
        submitted = db.execute("SELECT count(*) FROM selfassess_respondent WHERE submitted_at IS NOT NULL").fetchone()[
            0
        ]
    assert submitted == 24 + 1  # and the seed respondent


def test_two_tabs_and_a_double_submission(server: Server) -> None:
    (token,) = tokens(server, 1)
    tabs = [Browser(server.url), Browser(server.url)]
    barrier = threading.Barrier(2)

    def save(tab: Browser, value: str) -> None:
        barrier.wait()
        tab.post(f"/r/{token}/section/1/", {q: value for q in QUESTIONS[1]} | {"then": "next"})

    threads = [threading.Thread(target=save, args=(tab, value)) for tab, value in zip(tabs, "24", strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = answers_of(server, token)
    assert len(saved) == len(QUESTIONS[1]) and len(set(saved.values())) == 1  # one tab's page, whole, not a mix
    submits = [threading.Thread(target=lambda tab=tab: tab.post(f"/r/{token}/check/", {})) for tab in tabs]
    for thread in submits:
        thread.start()
    for thread in submits:
        thread.join()
    assert all(status < 500 for tab in tabs for status in tab.statuses)
    with server.db() as db:
        rows = db.execute(
            "SELECT submitted_at FROM selfassess_respondent WHERE link_id = ?", (link_id(token),)
        ).fetchall()
    assert len(rows) == 1 and rows[0][0] is not None
    assert len(answers_of(server, token)) == len(QUESTIONS[1])  # nothing duplicated


def test_a_killed_server_keeps_every_page_saved_before(server: Server) -> None:
    (token,) = tokens(server, 1)
    person = Browser(server.url)
    person.post(f"/r/{token}/section/1/", {q: "5" for q in QUESTIONS[1]} | {"then": "next"})
    person.post(f"/r/{token}/section/2/", {q: "2" for q in QUESTIONS[2]} | {"then": "next"})
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=20)
    restarted = start(server.var, server.env)
    try:
        page = Browser(restarted.url).get(f"/r/{token}/section/2/")
        assert f'id="{QUESTIONS[2][0]}-2" name="{QUESTIONS[2][0]}" type="radio" value="2" checked' in page
        assert len(answers_of(server, token)) == len(QUESTIONS[1]) + len(QUESTIONS[2])
    finally:
        restarted.process.terminate()
        restarted.process.wait(timeout=20)


def test_a_killed_import_leaves_nothing(server: Server, tmp_path: Path) -> None:
    from selfassess.framework import load_framework
    from selfassess.responses import write_long_csv
    from selfassess.synth import simple_round

    big = tmp_path / "big.csv"
    write_long_csv(simple_round(load_framework(), trusts=60, seed=5), big)
    with server.db() as db:
        before = db.execute("SELECT count(*) FROM selfassess_answer").fetchone()[0]
    importing = subprocess.Popen(
        [sys.executable, "-m", "selfassess", "import", str(big), "--round", "Load"],
        env=server.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    writing = False
    deadline = time.monotonic() + 60
    while not writing and importing.poll() is None and time.monotonic() < deadline:
        # Kill it once it is writing: then it holds the write lock, and trying to take it fails at once.
        probe = sqlite3.connect(server.var / "selfassess.sqlite3", timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
        except sqlite3.OperationalError:
            writing = True
        finally:
            probe.close()
        time.sleep(0.02)
    assert writing, "the import finished before it could be interrupted"
    time.sleep(0.2)
    importing.send_signal(signal.SIGKILL)
    importing.wait(timeout=20)
    with server.db() as db:
        after = db.execute("SELECT count(*) FROM selfassess_answer").fetchone()[0]
        trusts = db.execute("SELECT count(*) FROM selfassess_trust").fetchone()[0]
    assert after == before and trusts == 1  # all or nothing: nothing


def test_a_busy_database_is_waited_for_not_an_error(server: Server) -> None:
    (token,) = tokens(server, 1)
    person = Browser(server.url)
    person.get(f"/r/{token}/section/1/")
    lock = sqlite3.connect(server.var / "selfassess.sqlite3", check_same_thread=False)  # released from a timer
    lock.execute("BEGIN IMMEDIATE")  # another writer holds the database for two seconds
    timer = threading.Timer(2.0, lock.commit)
    timer.start()
    started = time.monotonic()
    body = person.post(f"/r/{token}/section/1/", {q: "3" for q in QUESTIONS[1]} | {"then": "next"})
    timer.join()
    lock.close()
    assert all(status < 500 for status in person.statuses), (person.statuses, body[:3000])
    assert time.monotonic() - started >= 1.5  # it waited ...
    assert len(answers_of(server, token)) == len(QUESTIONS[1])  # ... and saved


# --- files that attack the server ------------------------------------------------------------------------

COORDINATOR = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "selfassess.web.settings"
django.setup()
from django.contrib.auth import get_user_model
from selfassess.web.models import Coordinator, Round
user = get_user_model().objects.create_user("c@example.org", password="coordinator password 2009")
Coordinator.objects.create(user=user, trust=Round.objects.get(name="Load").trusts.get(code="T1"))
"""
WORKER_BOUND_MB = 250  # what a worker may reach while refusing any of these; an idle one holds about 120 MB


def upload(person: Browser, name: str, data: bytes) -> str:
    """A multipart upload of the data-entry form, as a browser sends it."""
    page = person.get("/trust/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    boundary = "----selfassess-test"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token.group(1)}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        person.base + "/trust/upload/", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with person.opener.open(request, timeout=120) as response:
            return str(response.read().decode())
    except urllib.error.HTTPError as error:
        return str(error.read().decode())


def workers_peak(server: Server, during: threading.Thread) -> float:
    """The largest resident size of any gunicorn worker, sampled while `during` runs, in MB."""
    import psutil

    master = psutil.Process(server.process.pid)
    peak = 0.0
    during.start()
    while during.is_alive():
        for worker in master.children():
            with contextlib.suppress(psutil.NoSuchProcess):
                peak = max(peak, worker.memory_info().rss / 2**20)
        time.sleep(0.02)
    return peak


def test_workbook_bombs_are_refused_and_a_worker_stays_under_its_bound(server: Server, tmp_path: Path) -> None:
    from selfassess.framework import load_framework
    from tests.responses import bombs

    subprocess.run([sys.executable, "-c", COORDINATOR], env=server.env, check=True, capture_output=True)
    person = Browser(server.url)
    person.post("/sign-in/", {"username": "c@example.org", "password": "coordinator password 2009"})
    framework = load_framework()
    cases = {
        "far_row.xlsx": (bombs.far_row(framework, tmp_path / "a.xlsx").read_bytes(), "reaches down to row 20,000,000"),
        "zip.xlsx": (bombs.compressed_rows(framework, tmp_path / "b.xlsx").read_bytes(), "unpacks to"),
        "dimension.xlsx": (bombs.lying_dimension(framework, tmp_path / "c.xlsx").read_bytes(), "reaches down to row"),
        "huge.csv": (b"trust," + b"x" * 25_000_000, "larger than 20 MB"),
    }
    for name, (data, expected) in cases.items():
        pages: list[str] = []
        sending = threading.Thread(target=lambda d=data, n=name, out=pages: out.append(upload(person, n, d)))
        peak = workers_peak(server, sending)
        print(f"{name}: worker peak {peak:.0f} MB")  # shown with -s; the bound is what is asserted
        assert expected in pages[0], (name, pages[0][:300])
        assert peak < WORKER_BOUND_MB, (name, peak)
    with server.db() as db:
        assert db.execute("SELECT count(*) FROM selfassess_respondent WHERE source = 'paper'").fetchone()[0] == 0


# --- a task worker killed half way through a build -------------------------------------------------------

ASK_FOR_REPORT = """
import os, json, django
os.environ["DJANGO_SETTINGS_MODULE"] = "selfassess.web.settings"
django.setup()
from selfassess.web.models import Round
from selfassess.web.services.builds import owner_folder
from selfassess.web.services.reporting import national_reports
ready = national_reports(Round.objects.get(name="Load"))
build = ready.build or ready.preparing
print(json.dumps({"ready": ready.build is not None, "folder": owner_folder(build), "location": build.location}))
"""


def ask_for_report(server: Server, **env: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", ASK_FOR_REPORT], env={**server.env, **env}, capture_output=True, text=True, check=True
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def worker(server: Server) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "selfassess", "worker", "--interval", "0.1"],
        env=server.env,
        stdout=subprocess.DEVNULL,
        stderr=(server.var / "worker.log").open("ab"),
    )


def build_status(server: Server) -> str:
    """The newest build's status; "done" once its PDF and workbook (a task after its pages) are made too."""
    with server.db() as db:
        row = db.execute(
            "SELECT status, pdf_done_at IS NOT NULL FROM selfassess_reportbuild ORDER BY id DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return ""
    return "pages done" if row[0] == "done" and not row[1] else str(row[0])


def test_a_worker_killed_mid_build_leaves_no_half_written_report(server: Server) -> None:
    asked = ask_for_report(server)
    assert not asked["ready"]
    builds = server.var / "files" / asked["folder"]  # the service's files are kept in SELFASSESS_VAR/files
    scratch = server.var / "tmp"  # the workers' temporary folder
    scratch.mkdir()
    server.env["TMPDIR"] = str(scratch)
    killed = worker(server)
    for _ in range(300):
        if build_status(server) == "running":
            break
        time.sleep(0.05)
    assert build_status(server) == "running"
    time.sleep(0.5)  # the analysis, the charts and the pages take seconds: it is half way
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=20)
    begun = ask_for_report(server)
    assert not begun["ready"] and begun["location"]  # still being prepared, not a broken set
    # Once the build is taken as lost, the next request asks again, and a new worker finishes it.
    assert not ask_for_report(server, SELFASSESS_BUILD_STALE_MINUTES="0")["ready"]
    assert len(list(scratch.glob("selfassess-build-*"))) == 1  # the killed worker's scratch folder, left
    server.env["SELFASSESS_BUILD_STALE_MINUTES"] = "0"  # so that the next worker takes it to be old
    finishing = worker(server)
    try:
        for _ in range(1200):
            if build_status(server) == "done":
                break
            time.sleep(0.1)
    finally:
        finishing.terminate()
        finishing.wait(timeout=30)
    done = ask_for_report(server)
    assert done["ready"] and done["location"] != begun["location"]
    assert list(scratch.iterdir()) == []  # the killed worker's scratch removed as the next began; its own, after
    # Only the finished attempt's files are kept: the killed one's are gone.
    assert [p.name for p in builds.iterdir()] == [done["location"].rsplit("/", 1)[1]]
    target = server.var / "files" / done["location"]
    files = sorted(p.name for p in target.iterdir())
    assert files == [
        "national-report.html",
        "national-report.pdf",
        "national-tables.xlsx",
        "results.json",
        "trusts",
        "trusts.json",
    ]
    assert (target / "national-report.pdf").read_bytes().startswith(b"%PDF")
