"""What keeping report files through the storage API costs: a worker copying a whole national set (150 trusts'
pages, the report, its PDF and workbook) into storage, a web server reading a trust's page and the PDF back, and
the set's removal once superseded; into this machine's folder and into a bucket (moto's S3 server, a separate
process on the loopback: the figures are the storage code's and the protocol's, without a real service's
network latency).

    .venv/bin/python benchmarks/storage.py

The national set is the calibrated 2009 round's, made once into benchmarks/data/. Each storage is measured in a
fresh process, its settings from the environment as a deployment's are. Prints figures; never fails on time.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET = HERE / "data" / "national-set"
READS = 30


def national_set() -> Path:
    if not (SET / "national-report.pdf").exists():
        from selfassess.framework import load_framework
        from selfassess.reports import write_reports
        from selfassess.responses import read_responses, write_long_csv
        from selfassess.synth.national import national_round

        print("making the calibrated round's national set (once) ...", flush=True)
        framework = load_framework()
        answers = SET.with_name("national-set.csv")
        write_long_csv(national_round(framework, seed=1), answers)
        write_reports(read_responses(answers, framework), SET)
    return SET


def measure() -> None:
    """In a fresh process whose environment names the storage."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.web.settings")
    django.setup()
    from selfassess.web.services import files

    made = [p for p in SET.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in made)
    start = time.perf_counter()
    files.save_folder(SET, "reports/bench")
    saved = time.perf_counter() - start
    page, pdf = "reports/bench/trusts/T001.html", "reports/bench/national-report.pdf"
    if not (SET / "trusts" / "T001.html").exists():
        page = "reports/bench/trusts/" + sorted(p.name for p in (SET / "trusts").iterdir())[0]
    reads = []
    for _ in range(READS):
        start = time.perf_counter()
        files.read_text(page)
        reads.append(time.perf_counter() - start)
    start = time.perf_counter()
    with files.open_file(pdf) as opened:
        pdf_bytes = len(opened.read())
    pdf_read = time.perf_counter() - start
    start = time.perf_counter()
    files.delete_folder("reports/bench")
    deleted = time.perf_counter() - start
    print(
        f"  {files.where()}: copy {len(made)} files ({size / 1e6:.1f} MB) {saved:.2f} s; "
        f"a trust's page read median {statistics.median(reads) * 1000:.1f} ms; "
        f"the PDF ({pdf_bytes / 1e6:.1f} MB) {pdf_read * 1000:.0f} ms; removal {deleted:.2f} s",
        flush=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    national_set()
    run = [sys.executable, __file__, "--measure"]
    with tempfile.TemporaryDirectory() as var:
        base = {**os.environ, "SELFASSESS_VAR": var}
        subprocess.run(run, env=base, check=True)
        port = free_port()
        moto = Path(sys.executable).with_name("moto_server")
        server = subprocess.Popen(
            [str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(urllib.request.Request(url + "/selfassess-bench", method="PUT"), timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            bucket = {
                "SELFASSESS_S3_BUCKET": "selfassess-bench",
                "SELFASSESS_S3_ENDPOINT_URL": url,
                "SELFASSESS_S3_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "bench",
                "AWS_SECRET_ACCESS_KEY": "bench",
            }
            subprocess.run(run, env={**base, **bucket}, check=True)
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    measure() if sys.argv[1:] == ["--measure"] else main()
