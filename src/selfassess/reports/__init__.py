"""National and per-trust reports (HTML, PDF, XLSX), the paper questionnaire and its data-entry workbook."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfassess.analysis import Cube, build_cube, results, results_json
from selfassess.analysis.comparison import compare, trust_stage_changes
from selfassess.analysis.groups import group_results
from selfassess.analysis.statistics import ALL
from selfassess.analysis.trusts import trust_profiles
from selfassess.framework import Framework
from selfassess.reports import render
from selfassess.reports.document import Cover
from selfassess.reports.national import national_report
from selfassess.reports.suppression import THRESHOLD
from selfassess.reports.trust import Since, trust_report
from selfassess.reports.workbook import write_workbook
from selfassess.responses import ResponseTable

__all__ = [
    "THRESHOLD",
    "Cover",
    "Groups",
    "Written",
    "add_comparison",
    "changes_since",
    "national_report",
    "trust_file_name",
    "trust_report",
    "write_national_downloads",
    "write_reports",
]


@dataclass(frozen=True)
class Groups:
    """Benchmark groups asked for (contract 3d): the attribute that makes them, each trust's group, and how many
    of a group's trusts must have a mean for its figures to be shown."""

    attribute: str
    of: dict[str, str]
    min_trusts: int = 3

    def figures(self, cube: Cube, found: dict[str, Any]) -> dict[str, Any]:
        """The results' `groups` key for this round (`found`: its results without it)."""
        return group_results(cube, found, self.of, self.attribute, self.min_trusts)


@dataclass
class Written:
    results: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)
    trust_files: dict[str, Path] = field(default_factory=dict)


def trust_file_name(trust: str, used: set[str]) -> str:
    """A file name for a trust's report: its id with anything unsafe replaced, unique among the trusts."""
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", trust).strip("-.") or "trust"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name.lower())
    return f"{name}.html"


def add_comparison(found: dict[str, Any], cube: Cube, earlier: tuple[ResponseTable, str]) -> Callable[[str], Since]:
    """Put the comparison with the earlier round (its table and label) into the results `found`, and return
    what each trust's report says changed since (by trust id)."""
    earlier_cube = build_cube(earlier[0])
    found["comparison"] = compare(earlier_cube, cube, earlier[1])
    return changes_since(earlier[0], earlier_cube, cube, found["comparison"])


def changes_since(
    earlier: ResponseTable, earlier_cube: Cube, later: Cube, comparison: dict[str, Any]
) -> Callable[[str], Since]:
    """For each trust, what its report says changed since the earlier round (reports.trust.Since)."""
    label, scopes = comparison["earlier"]["label"], comparison["scopes"]
    earlier_profiles = trust_profiles(earlier, earlier_cube, results(earlier_cube))
    stages = trust_stage_changes(earlier_cube, later)
    national_stages = scopes["overall"]["stage_change"][ALL]

    def since(trust: str) -> Since:
        return Since(
            label,
            earlier_profiles.get(trust),
            {s: (found["trust_change"][trust], found["responses"][ALL]) for s, found in scopes.items()},
            {s: (change, national_stages[s]) for s, change in stages.get(trust, {}).items()},
        )

    return since


def write_national_downloads(
    out: Path, framework: Framework, provisional: bool = False, cover: Cover | None = None
) -> None:
    """The national report's workbook and PDF, for a set `write_reports(..., downloads=False)` wrote into `out`:
    the report is made again from its results JSON (the same figures, so the same tables), the PDF from its
    HTML. Each file is written beside and renamed into place."""
    found = json.loads((out / "results.json").read_text(encoding="utf-8"))
    report = national_report(framework, found)
    report.provisional, report.cover = provisional, cover or Cover()
    partial = out / ".national-tables.xlsx.partial"
    write_workbook(report, partial, _workbook_notes(framework))
    os.replace(partial, out / "national-tables.xlsx")
    render.write_pdf(out / "national-report.pdf", (out / "national-report.html").read_text(encoding="utf-8"))


def _workbook_notes(framework: Framework) -> list[str]:
    return [
        "Numbers are unrounded: the report rounds counts of 10,000 answers or more to the nearest 1,000, "
        "and means to two decimals.",
        f"Bands are half-open: a {framework.unit}'s mean exactly on an edge is in the band above. "
        f"Notable difference: {float(framework.notable):g}.",
        f"Framework: {framework.title} ({framework.id}).",
    ]


def write_reports(
    table: ResponseTable,
    out: Path,
    threshold: int = THRESHOLD,
    provisional: bool = False,
    progress: Callable[[str], None] = lambda message: None,
    footers: Mapping[str, str] | None = None,
    earlier: tuple[ResponseTable, str] | None = None,
    downloads: bool = True,
    cover: Cover | None = None,
    groups: Groups | None = None,
) -> Written:
    """Everything of contract section 5's `report`: the national report (HTML, PDF), its tables (XLSX), the
    results JSON, and one HTML report per trust in out/trusts/ (`footers`: a line at the foot of each, by
    trust id; `earlier`: an earlier round and its label, to report what changed since). `downloads=False`
    leaves the PDF and the workbook to be made afterwards (`write_national_downloads`), as the web does so that
    the pages people read are ready first. `cover`: the date of the data and the publisher, for every report's
    first page. `groups`: benchmark groups, whose figures go into the results JSON (contract 3d)."""
    framework = table.framework
    out.mkdir(parents=True, exist_ok=True)
    cube = build_cube(table)
    found = results(cube)
    since: Callable[[str], Since] | None = None
    if earlier is not None:
        progress(f"comparing with {earlier[1]}")
        since = add_comparison(found, cube, earlier)
    if groups is not None:
        progress(f"benchmark groups by {groups.attribute}")
        found["groups"] = groups.figures(cube, found)
    written = Written(found)
    paths = {
        "results": out / "results.json",
        "html": out / "national-report.html",
        "pdf": out / "national-report.pdf",
        "xlsx": out / "national-tables.xlsx",
    }
    render.write_text(paths["results"], results_json(found))
    progress("drawing the national report's charts and writing its findings")
    report = national_report(framework, found)
    report.provisional, report.cover = provisional, cover or Cover()
    page = render.html(report)
    render.write_text(paths["html"], page)
    if downloads:
        progress("writing the national tables workbook")
        write_workbook(report, paths["xlsx"], _workbook_notes(framework))
        progress("making the national report PDF")
        render.write_pdf(paths["pdf"], page)
    else:
        del paths["pdf"], paths["xlsx"]
    written.files.update(paths)

    trusts_dir = out / "trusts"
    trusts_dir.mkdir(exist_ok=True)
    profiles = trust_profiles(table, cube, found)
    used: set[str] = set()
    for i, (trust, profile) in enumerate(profiles.items(), start=1):
        if i == 1 or i % 25 == 0 or i == len(profiles):
            progress(f"trust reports: {i} of {len(profiles)}")
        path = trusts_dir / trust_file_name(trust, used)
        report = trust_report(framework, profile, threshold, provisional, since(trust) if since else None)
        report.cover = cover or Cover()
        page = render.html(report, footer=(footers or {}).get(trust, ""))
        render.write_text(path, page)
        written.trust_files[trust] = path
    return written
