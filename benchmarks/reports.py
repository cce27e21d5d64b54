"""How long the full set of reports takes for the 150-trust national round.

    .venv/bin/python benchmarks/reports.py

Makes the calibrated round (seed 1) with the demo's invented regions as benchmark groups, then times
`selfassess report --groups` as a whole (fresh process, peak memory) and each part in this process. Prints
figures; never fails on time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from analyse import DATA, measure
from selfassess.analysis import build_cube, results
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import load_framework
from selfassess.reports import Groups, render
from selfassess.reports.national import national_report
from selfassess.reports.trust import trust_report
from selfassess.reports.workbook import write_workbook
from selfassess.responses import read_responses
from selfassess.synth.regions import regions as synthetic_regions


def main() -> None:
    selfassess = str(Path(sys.executable).with_name("selfassess"))
    DATA.mkdir(exist_ok=True)
    responses = DATA / "national-seed1.csv"
    if not responses.exists():
        measure([selfassess, "synth", "--seed", "1", "--out", str(responses)])
    framework = load_framework()
    table = read_responses(responses, framework)
    groups = Groups("region", synthetic_regions(table.trusts))
    regions = DATA / "national-seed1-regions.csv"
    regions.write_text("trust,group\n" + "".join(f"{t},{g}\n" for t, g in groups.of.items()))
    with tempfile.TemporaryDirectory() as out:
        whole = measure([selfassess, "report", str(responses), "--out", out, "--groups", str(regions)])
    print(f"selfassess report, whole command: {whole['seconds']:.1f} s, peak {whole['peak_mib']:.0f} MiB")

    timings: dict[str, float] = {}

    def timed(name: str, started: float) -> float:
        now = time.perf_counter()
        timings[name] = now - started
        return now

    started = time.perf_counter()
    table = read_responses(responses, framework)
    cube = build_cube(table)
    found = results(cube)
    found["groups"] = groups.figures(cube, found)
    started = timed("read, check and analyse (with groups)", started)
    report = national_report(framework, found)
    page = render.html(report)
    started = timed("national report HTML (charts, findings)", started)
    with tempfile.TemporaryDirectory() as out:
        write_workbook(report, Path(out) / "tables.xlsx", [])
        started = timed("national tables XLSX", started)
        render.write_pdf(Path(out) / "report.pdf", page)
        started = timed("national report PDF", started)
        pages = {"national report PDF": len(PdfReader(Path(out) / "report.pdf").pages)}
    profiles = trust_profiles(table, cube, found)
    started = timed("trust profiles", started)
    for profile in profiles.values():
        render.html(trust_report(framework, profile))
    started = timed(f"{len(profiles)} trust reports HTML", started)
    with tempfile.TemporaryDirectory() as out:
        render.write_pdf(Path(out) / "trust.pdf", render.html(trust_report(framework, next(iter(profiles.values())))))
        timed("one trust report PDF", started)
        pages["one trust report PDF"] = len(PdfReader(Path(out) / "trust.pdf").pages)
    for name, seconds in timings.items():
        print(f"  {name:<42} {seconds:6.1f} s")
    for name, count in pages.items():
        print(f"  {name:<42} {count:6d} pages")


if __name__ == "__main__":
    main()
