"""How the every-answer download behaves as a round grows: time to its first byte, the whole download, and the
most memory the streaming takes, for a round of about 175,000 answers and one of about 700,000.

    .venv/bin/python benchmarks/exports.py                              # the embedded SQLite database
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/exports.py  # a throwaway PostgreSQL

Each round is the calibrated national round at a scale (unique ids per person), loaded through the import path;
the download is asked for as the administrator's browser asks for it (Django's test client, the whole request:
the view, the audit record, every streamed piece). Memory is Python's own (tracemalloc) while the response is
read. Also times the Parquet download. Prints figures; never fails on time.
"""

from __future__ import annotations

import os
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def round_file(scale: float) -> Path:
    from selfassess.framework import load_framework
    from selfassess.responses import write_long_csv
    from selfassess.synth.national import national_round

    DATA.mkdir(exist_ok=True)
    path = DATA / f"national-scale{scale:g}.csv"
    if not path.exists():
        write_long_csv(national_round(load_framework(), seed=3, scale=scale), path)
    return path


def main() -> None:
    files = {scale: round_file(scale) for scale in (0.4, 1.65)}
    with tempfile.TemporaryDirectory() as var:
        os.environ.setdefault("SELFASSESS_VAR", var)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.web.settings")
        os.environ.setdefault("SELFASSESS_ALLOWED_HOSTS", "testserver")
        import django
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        from selfassess.web.services.imports import import_file

        admin = get_user_model().objects.create_user("bench@example.org", "bench@example.org", "x", is_staff=True)
        client = Client()
        client.force_login(admin)
        print(f"database: {connection.vendor}")
        for scale, path in files.items():
            round, loaded = import_file(path, f"Scale {scale:g}", replace=True)
            address = reverse("national_download", kwargs={"round_id": round.pk, "kind": "answers.csv"})
            started = time.perf_counter()
            pieces = iter(client.get(address).streaming_content)
            size = len(next(pieces))
            first = time.perf_counter() - started
            size += sum(len(piece) for piece in pieces)
            whole = time.perf_counter() - started
            tracemalloc.start()  # a second download for memory alone: tracing slows what it watches
            for _ in client.get(address).streaming_content:
                pass
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            started = time.perf_counter()
            parquet = client.get(reverse("national_download", kwargs={"round_id": round.pk, "kind": "answers.parquet"}))
            parquet_seconds = time.perf_counter() - started
            print(
                f"  {loaded['answers']:>9,} answers: CSV first byte {first * 1000:5.0f} ms, whole {whole:5.1f} s, "
                f"{size / 2**20:5.1f} MiB, streaming peak {peak:5.1f} MiB; Parquet {parquet_seconds:4.1f} s, "
                f"{len(parquet.content) / 2**20:4.1f} MiB"
            )


if __name__ == "__main__":
    main()
