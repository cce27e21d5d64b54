"""Page saves per second, and their latency, with virtual respondents completing questionnaires at once.

    bash scripts/with-postgres.sh .venv/bin/python benchmarks/load.py [--respondents 240] [--concurrency 16]

gunicorn serves the application on loopback, on the PostgreSQL server that DATABASE_URL names (the command
above starts a throwaway one). Each virtual respondent answers the five sections (five saves) and submits.
The load is bounded (a fixed number of respondents) and stops by itself. Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(respondents: int) -> list[str]:
    """A round, a trust and one invitation link per virtual respondent, in the database named by DATABASE_URL."""
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
        batch = create_invitations(
            trust, min(500, respondents - len(links)), "health", "front_line", actor="load benchmark"
        )
        links += [i.token for i in batch]
    return links


def sections() -> list[list[str]]:
    from selfassess.framework import load_framework
    from selfassess.web.services.questionnaire import pages

    return [[q.id for q in page.questions] for page in pages(load_framework(), "front_line")]


class Person:
    """One virtual respondent's browser: one kept-alive connection, the CSRF cookie and form token kept."""

    def __init__(self, host: str, port: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=60)
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        cookie = response.getheader("Set-Cookie")
        if cookie and cookie.startswith("csrftoken="):
            self.cookie = cookie.split(";")[0]
        return response.status, text

    def open(self, path: str) -> None:
        """Load a form once: its token serves every later form for this browser, as in a real one."""
        _, page = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        self.token = found.group(1) if found else ""

    def save(self, path: str, data: dict[str, str]) -> tuple[float, int]:
        """POST a form; returns its seconds and status."""
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}).encode()
        started = time.perf_counter()
        status, _ = self.request("POST", path, body)
        return time.perf_counter() - started, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=240)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
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
    server = subprocess.Popen(
        [
            gunicorn,
            "selfassess.web.wsgi",
            "-k",
            "gthread",
            "-w",
            str(args.workers),
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=os.environ.copy(),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(links)

    def work() -> None:
        nonlocal errors
        while True:
            with lock:
                if not queue:
                    return
                token = queue.pop()
            person = Person("127.0.0.1", port)
            person.open(f"/r/{token}/section/1/")
            for number, ids in enumerate(questions, start=1):
                seconds, status = person.save(f"/r/{token}/section/{number}/", {q: "3" for q in ids} | {"then": "next"})
                with lock:
                    timings.append(seconds)
                    errors += status >= 500
            person.save(f"/r/{token}/check/", {})

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    server.terminate()
    server.wait(timeout=30)
    ordered = sorted(timings)

    def pct(p: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    print(
        f"{args.respondents} respondents, {args.concurrency} at once, "
        f"gunicorn {args.workers} workers x 4 threads, PostgreSQL"
    )
    print(f"page saves: {len(timings)} in {elapsed:.1f} s = {len(timings) / elapsed:.0f} per second")
    mean = 1000 * statistics.mean(timings)
    print(f"save latency: p50 {pct(50):.0f} ms, p95 {pct(95):.0f} ms, p99 {pct(99):.0f} ms, mean {mean:.0f} ms")
    print(f"server errors: {errors}")


if __name__ == "__main__":
    main()
