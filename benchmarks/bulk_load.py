"""How fast answers load into the database: the demo's two rounds through the import path.

    .venv/bin/python benchmarks/bulk_load.py                              # the embedded SQLite database
    bash scripts/with-postgres.sh .venv/bin/python benchmarks/bulk_load.py  # a throwaway PostgreSQL

Makes the demo's files once (the calibrated round, seed 1, and the invented June round made from it: unique
ids per person, as a real file has), then loads June and October into a fresh database as `selfassess demo`
does (`import_file`, replacing the round), timing each load whole (read, check, write) and the answers' write
alone (COPY or batched inserts). On PostgreSQL, June once more with the foreign keys checked as each answer is
written (`SET CONSTRAINTS ALL IMMEDIATE`) rather than at the commit: what those checks cost. Prints figures;
never fails on time.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def files() -> tuple[Path, Path]:
    from selfassess.framework import load_framework
    from selfassess.responses import write_long_csv
    from selfassess.synth.earlier import earlier_round
    from selfassess.synth.national import national_round

    DATA.mkdir(exist_ok=True)
    october, june = DATA / "demo-october.csv", DATA / "demo-june.csv"
    if not october.exists() or not june.exists():
        framework = load_framework()
        answers = national_round(framework, seed=1)
        write_long_csv(answers, october)
        write_long_csv(earlier_round(answers, framework, 1), june)
    return june, october


def main() -> None:
    june, october = files()
    with tempfile.TemporaryDirectory() as var:
        os.environ.setdefault("SELFASSESS_VAR", var)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.web.settings")
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        from selfassess.web.services import data
        from selfassess.web.services.imports import import_file

        written: list[tuple[int, float]] = []
        load = data.load_answers

        immediate = False

        def timed(rows: Any, saved_at: Any) -> None:
            if immediate:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # for this transaction only
            started = time.perf_counter()
            load(rows, saved_at)
            written.append((rows.height, time.perf_counter() - started))

        data.load_answers = timed
        print(f"database: {connection.vendor}")
        total_answers, total_seconds = 0, 0.0
        for path, name in ((june, "June"), (october, "October")):
            started = time.perf_counter()
            _, loaded = import_file(path, name, replace=True)
            seconds = time.perf_counter() - started
            rows, writing = written[-1]
            total_answers += loaded["answers"]
            total_seconds += seconds
            print(
                f"  {name:<8} {loaded['answers']:>9,} answers: whole import {seconds:5.1f} s "
                f"({loaded['answers'] / seconds:>9,.0f} answers/s); the answers' write {writing:5.2f} s "
                f"({rows / writing:>9,.0f} answers/s)"
            )
        print(f"  both rounds: {total_answers:,} answers in {total_seconds:.1f} s")
        if connection.vendor == "postgresql":
            immediate = True
            started = time.perf_counter()
            import_file(june, "June", replace=True)
            seconds = time.perf_counter() - started
            rows, writing = written[-1]
            print(
                f"  June again, each answer's foreign key checked as it is written: whole import {seconds:5.1f} s; "
                f"the answers' write {writing:5.2f} s ({rows / writing:>9,.0f} answers/s)"
            )


if __name__ == "__main__":
    main()
