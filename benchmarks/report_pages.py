"""How long a person waits for the report pages, and how long a worker takes to make what they show.

    .venv/bin/python benchmarks/report_pages.py [--trusts 150]

A round of the quick synthetic data (150 trusts, about 8,000 people) is loaded into a fresh SQLite database
through the import path. Then, as an administrator and a coordinator would: the national report page when
nothing is made yet (it asks for a build), the worker making the set's pages and then, from the downloads
queue, its PDF and workbook (the real task worker, in this process), the page again (served from the set), a
trust's report page, one more questionnaire submitted (a new state of the data: the page offers the last
complete set while the new one is made), and the paper form.
Each page is timed through Django's full request handling. Then, with a real task worker running beside (a
process of its own, as `selfassess serve` runs it): one more questionnaire submitted, and the national report
page read every quarter second until it shows the new answer (the notice of an earlier version gone): the time
from the submission to that page, which is what a reader waits for a new answer. Prints figures; never fails
on time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trusts", type=int, default=150)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp())
    os.environ["SELFASSESS_VAR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "selfassess.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from selfassess.framework import load_framework
    from selfassess.responses import write_long_csv
    from selfassess.synth import simple_round
    from selfassess.web.models import Coordinator, Respondent, Round
    from selfassess.web.services import questionnaire as q
    from selfassess.web.services.imports import import_file

    call_command("migrate", verbosity=0)
    answers = var / "answers.csv"
    write_long_csv(simple_round(load_framework(), trusts=args.trusts, seed=1), answers)
    round, loaded = import_file(answers, "Bench")
    print(f"{args.trusts} trusts, {loaded['respondents']:,} respondents, {loaded['answers']:,} answers")
    users = get_user_model()
    admin = users.objects.create_user("admin@example.org", password="x", is_staff=True)
    coordinator = users.objects.create_user("c@example.org", password="x")
    trust = round.trusts.order_by("code").first()
    assert trust is not None
    Coordinator.objects.create(user=coordinator, trust=trust)
    national, own = Client(), Client()
    national.force_login(admin)
    own.force_login(coordinator)

    def timed(label: str, client: Client, url: str) -> None:
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        print(
            f"  {label}: {1000 * (time.perf_counter() - started):.0f} ms ({response.status_code}, {len(body):,} bytes)"
        )

    def work(queues: str) -> None:
        """The real task worker, in this process, until the queues named are empty."""
        call_command(
            "db_worker", "--queue-name", queues, "--batch", "--no-startup-delay", "--interval", "0", verbosity=0
        )

    report = f"/national/rounds/{round.pk}/report/"
    with override_settings(ALLOWED_HOSTS=["*"]):
        print("pages (one request each, through the whole of Django):")
        timed("national report, nothing made yet (asks for it)", national, report)
        started = time.perf_counter()
        work("default")
        print(f"worker: the national set's pages (HTML, JSON, every trust's) in {time.perf_counter() - started:.1f} s")
        timed("national report PDF download, not made yet", national, f"/national/rounds/{round.pk}/download/pdf/")
        started = time.perf_counter()
        work("downloads")
        print(f"worker: then its PDF and workbook (the downloads queue) in {time.perf_counter() - started:.1f} s")
        timed("national report, made", national, report)
        timed("national report PDF download", national, f"/national/rounds/{round.pk}/download/pdf/")
        timed("trust report", own, "/trust/report/")
        newcomer = Respondent.objects.create(trust=trust, code="NEW", sector="health", audience="front_line")
        for page in q.pages(round.framework, "front_line"):
            q.save_page(newcomer, page, {question.id: "4" for question in page.questions})
        q.submit(newcomer)
        timed("national report, new answers (offers the last set while the new one is made)", national, report)
        timed("paper form, not made yet (asks for it)", own, "/trust/paper-form.pdf")
        started = time.perf_counter()
        work(",".join(settings.TASKS["default"]["QUEUES"]))
        print(f"worker: the new national set, its PDF and the paper form in {time.perf_counter() - started:.1f} s")
        timed("paper form, made", own, "/trust/paper-form.pdf")
        latency(round, trust, national, report)
    Round.objects.all().delete()


def latency(round: object, trust: object, national: object, report: str) -> None:
    """From a new submission to the national HTML report showing it, with a real worker beside."""
    import subprocess
    import sys

    from selfassess.web.models import ReportBuild, Respondent
    from selfassess.web.services import questionnaire as q

    worker = subprocess.Popen(
        [sys.executable, "-m", "selfassess", "worker", "--interval", "1"], stdin=subprocess.DEVNULL
    )
    try:
        time.sleep(3)  # started and idle, as a worker beside a running service is
        for attempt in range(3):
            newcomer = Respondent.objects.create(
                trust=trust, code=f"LATE{attempt}", sector="health", audience="front_line"
            )
            for page in q.pages(round.framework, "front_line"):  # type: ignore[attr-defined]
                q.save_page(newcomer, page, {question.id: "4" for question in page.questions})
            q.submit(newcomer)
            started = time.perf_counter()
            national.get(report)  # type: ignore[attr-defined]
            while "An update with newer answers" in national.get(report).content.decode():  # type: ignore[attr-defined]
                time.sleep(0.25)
            shown = time.perf_counter() - started
            build = ReportBuild.objects.filter(kind=ReportBuild.NATIONAL).order_by("-requested_at").first()
            while build is not None and build.pdf_done_at is None:
                time.sleep(0.25)
                build.refresh_from_db()
            print(
                f"new answer to national HTML report: {shown:.1f} s (with a worker polling every 1 s); "
                f"its PDF and workbook {time.perf_counter() - started:.1f} s"
            )
    finally:
        worker.terminate()
        worker.wait(timeout=60)


if __name__ == "__main__":
    main()
