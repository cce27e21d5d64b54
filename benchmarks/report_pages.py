"""How long a person waits for the report pages, and how long a worker takes to make what they show.

    .venv/bin/python benchmarks/report_pages.py [--trusts 150]

A round of the quick synthetic data (150 trusts, about 8,000 people) is loaded into a fresh SQLite database
through the import path. Then, as an administrator and a coordinator would: the national report page when
nothing is made yet (it asks for a build), the worker making the whole set (the real task worker, in this
process), the page again (served from the set), a trust's report page, one more questionnaire submitted
(a new state of the data: the page offers the last complete set while the new one is made), and the paper form.
Each page is timed through Django's full request handling. Prints figures; never fails on time.
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

    report = f"/national/rounds/{round.pk}/report/"
    with override_settings(ALLOWED_HOSTS=["*"]):
        print("pages (one request each, through the whole of Django):")
        timed("national report, nothing made yet (asks for it)", national, report)
        started = time.perf_counter()
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
        print(
            f"worker: the whole national set (HTML, PDF, XLSX, JSON, every trust's page) in "
            f"{time.perf_counter() - started:.1f} s"
        )
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
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
        print(f"worker: the new national set and the paper form in {time.perf_counter() - started:.1f} s")
        timed("paper form, made", own, "/trust/paper-form.pdf")
    Round.objects.all().delete()


if __name__ == "__main__":
    main()
