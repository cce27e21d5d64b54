"""Saves per second and page latency, with virtual respondents driven as a browser drives them.

    bash scripts/with-postgres.sh .venv/bin/python benchmarks/load.py [--respondents 240] [--concurrency 16]

gunicorn (3 workers x 4 threads) serves the application on loopback against the PostgreSQL server that
DATABASE_URL names (the command above starts a throwaway one). Each virtual respondent does what a person's
browser does: the start page, "about you" (GET, then POST), then for each section a GET of the page and a POST
of "Save and continue" (following the redirect, as a browser would, is the next GET), then "check your
answers" (GET, POST) and the confirmation page. Half way through, one gunicorn worker is killed (SIGKILL): a
browser whose request it held gets no answer and sends it again, as a person would press the button again.

Afterwards every answer the server acknowledged is looked up in the database. Prints saves per second (a
save is a section's "Save and continue"; the whole flow makes about three requests per save), save and
page-turn latency (p50, p95, p99), requests per second, and CPU seconds per save spent by the server, by
PostgreSQL and by this load generator. The load is bounded (a fixed number of respondents) and stops by
itself. Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import ClassVar

import psutil

ROOT = Path(__file__).resolve().parents[1]
SERVER_WORKERS, SERVER_THREADS = 3, 4


def setup(respondents: int) -> list[str]:
    """A round, a trust and one invitation link (front line, health) per virtual respondent."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    import datetime as dt

    from selfassess.web.models import Round, Trust
    from selfassess.web.services.invitations import create_invitations
    from selfassess.web.services.rounds import create_round

    Round.objects.filter(name="Load test").delete()
    today = dt.date.today()
    round = create_round("Load test", today, today + dt.timedelta(days=7), actor="load benchmark")
    trust = Trust.objects.create(round=round, code="L1", name="Load trust")
    links: list[str] = []
    while len(links) < respondents:
        batch = create_invitations(trust, min(500, respondents - len(links)), actor="load benchmark")
        links += [i.token for i in batch]
    return links


def sections() -> list[list[str]]:
    from selfassess.framework import load_framework
    from selfassess.web.services.questionnaire import pages

    return [[q.id for q in page.questions] for page in pages(load_framework(), "front_line")]


class Browser:
    """One virtual respondent's browser: a kept-alive connection, the CSRF cookie, each form's token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str, str]:
        """Sends until it gets an answer: a request held by a killed worker is sent again on a new connection."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for _ in range(5):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                Stats.retries += 1
        else:
            raise RuntimeError(f"no answer to {method} {path}")
        cookie = response.getheader("Set-Cookie")
        if cookie and cookie.startswith("csrftoken="):
            self.cookie = cookie.split(";")[0]
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if found:
            self.token = found.group(1)
        return response.status, response.getheader("Location") or "", text

    def get(self, path: str) -> float:
        started = time.perf_counter()
        status, _, _ = self.request("GET", path)
        Stats.count(status)
        return time.perf_counter() - started

    def post(self, path: str, data: dict[str, str]) -> tuple[float, str]:
        """POST a form; returns its seconds and where it sends the browser next."""
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}).encode()
        started = time.perf_counter()
        status, location, _ = self.request("POST", path, body)
        Stats.count(status)
        return time.perf_counter() - started, location


class Stats:
    """Figures gathered by every virtual browser (one run per process)."""

    lock = threading.Lock()
    saves: ClassVar[list[float]] = []
    pages: ClassVar[list[float]] = []
    requests = 0
    errors = 0
    retries = 0

    @classmethod
    def count(cls, status: int) -> None:
        with cls.lock:
            cls.requests += 1
            cls.errors += status >= 500


def respond(port: int, token: str, questions: list[list[str]]) -> None:
    person = Browser(port)
    base = f"/r/{token}"
    page_turns = [person.get(f"{base}/")]
    page_turns.append(person.get(f"{base}/about-you/"))
    person.post(f"{base}/about-you/", {"sector": "health", "audience": "front_line"})
    saves = []
    for number, ids in enumerate(questions, start=1):
        page_turns.append(person.get(f"{base}/section/{number}/"))
        seconds, _ = person.post(f"{base}/section/{number}/", {q: "3" for q in ids} | {"then": "next"})
        saves.append(seconds)
    page_turns.append(person.get(f"{base}/check/"))
    person.post(f"{base}/check/", {})
    page_turns.append(person.get(f"{base}/submitted/"))
    with Stats.lock:
        Stats.saves += saves
        Stats.pages += page_turns


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def server_processes(master: psutil.Process) -> list[psutil.Process]:
    return [master, *master.children(recursive=True)]


def postgres_processes() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith("postgres")]


def stored_answers(links: list[str]) -> int:
    from selfassess.web.models import Answer, Respondent

    hashes = [Respondent.hash_token(t) for t in links]
    stored: int = Answer.objects.filter(
        respondent__token_hash__in=hashes, respondent__submitted_at__isnull=False
    ).count()
    return stored


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=240)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-kill", action="store_true", help="leave every server worker alive")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "DATABASE_URL is not set: run me as  bash scripts/with-postgres.sh .venv/bin/python benchmarks/load.py"
        )
    os.environ.setdefault("SELFASSESS_VAR", tempfile.mkdtemp())
    links = setup(args.respondents)
    questions = sections()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "selfassess.web.wsgi", "-k", "gthread", "-w", str(SERVER_WORKERS)]
    command += ["--threads", str(SERVER_THREADS), "-b", f"127.0.0.1:{port}", "--log-level", "error"]
    server = subprocess.Popen(command, env=os.environ.copy())
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    master = psutil.Process(server.pid)
    me = psutil.Process()
    # PostgreSQL starts a process per connection: summed over whatever runs at each end (a connection that
    # closed during the run takes its seconds with it, so this is if anything an undercount).
    before = (cpu_seconds(server_processes(master)), cpu_seconds(postgres_processes()), cpu_seconds([me]))
    queue = list(links)
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not queue:
                    return
                token = queue.pop()
            respond(port, token, questions)

    def kill_one_worker() -> None:
        while len(Stats.saves) < len(links) * len(questions) // 2:
            time.sleep(0.05)
        workers = master.children()
        if workers:
            os.kill(workers[0].pid, signal.SIGKILL)
            print(f"killed server worker {workers[0].pid} half way", flush=True)

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(args.concurrency)]
    if not args.no_kill:
        threads.append(threading.Thread(target=kill_one_worker, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads[: args.concurrency]:
        thread.join()
    elapsed = time.perf_counter() - started
    # CPU of the server's processes as they stand (a killed worker's seconds went with it: a small undercount).
    spent = (
        cpu_seconds(server_processes(master)) - before[0],
        cpu_seconds(postgres_processes()) - before[1],
        cpu_seconds([me]) - before[2],
    )
    server.terminate()
    server.wait(timeout=30)
    stored = stored_answers(links)
    expected = len(links) * sum(len(ids) for ids in questions)
    saves = len(Stats.saves)
    print(
        f"{args.respondents} respondents, {args.concurrency} at once; gunicorn {SERVER_WORKERS} workers x "
        f"{SERVER_THREADS} threads on PostgreSQL; the browser's whole flow"
    )
    print(f"saves (a section's 'Save and continue'): {saves} in {elapsed:.1f} s = {saves / elapsed:.1f} per second")
    print(f"requests: {Stats.requests} = {Stats.requests / elapsed:.1f} per second; server errors {Stats.errors}")
    print(f"retried after a dropped connection: {Stats.retries}")
    print(
        f"save latency: p50 {percentile(Stats.saves, 50):.0f} ms, p95 {percentile(Stats.saves, 95):.0f} ms, "
        f"p99 {percentile(Stats.saves, 99):.0f} ms"
    )
    print(
        f"page-turn latency (GET): p50 {percentile(Stats.pages, 50):.0f} ms, p95 {percentile(Stats.pages, 95):.0f} ms, "
        f"p99 {percentile(Stats.pages, 99):.0f} ms"
    )
    print(
        f"CPU per save: server {1000 * spent[0] / saves:.1f} ms, PostgreSQL {1000 * spent[1] / saves:.1f} ms, "
        f"load generator {1000 * spent[2] / saves:.1f} ms"
    )
    print(f"answers stored for submitted respondents: {stored:,} of {expected:,} acknowledged")


if __name__ == "__main__":
    main()
