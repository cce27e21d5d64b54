"""Report files made by task workers, one build per state of the data.

A page asks for the files of the state it is showing (`request_build`): a build already made is served; one
already asked for is joined (the build's key is unique, so two requests make one build); otherwise a task is
queued. Meanwhile the page serves the last complete build for an earlier state, saying what it holds, so that
once any version exists a reader never waits.

A worker makes a build's files in a scratch folder of its own, then copies them to the service's storage (a
folder, or a bucket shared by every machine: `files`) under a folder for this attempt alone, named in the
build's `location` before the first file is copied. Only then is the build marked DONE, and only a DONE build is
served: a worker killed half way leaves files that nothing points to, removed when the build is made again. A
build not finished in REPORT_BUILD_STALE_MINUTES is asked for again. A national build is complete, and served,
once its pages are; its PDF and workbook are made after, into the same folder, and served once they are all
there. Builds for earlier states are removed once a newer one is wholly made.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from selfassess.analysis import build_cube, results
from selfassess.analysis.trusts import trust_profiles
from selfassess.reports import (
    Cover,
    add_comparison,
    render,
    trust_report,
    write_national_downloads,
    write_reports,
)
from selfassess.reports.document import date_words
from selfassess.reports.paper import write_paper_form
from selfassess.responses import ResponseTable
from selfassess.web.models import ReportBuild, Respondent, Round, Trust
from selfassess.web.services import files
from selfassess.web.services.data import table_for
from selfassess.web.services.organisations import round_groups

NATIONAL_FILES = {
    "results": "results.json",
    "html": "national-report.html",
    "pdf": "national-report.pdf",
    "xlsx": "national-tables.xlsx",
}
TRUST_INDEX = "trusts.json"  # trust id -> its page, in a national build
TRUST_PDF = "report.pdf"
TRUST_PDFS = "trust-reports.zip"
PAPER_FORM = "paper-form.pdf"
SCRATCH = "selfassess-build-"  # a worker's scratch folders, in the system's temporary folder


@dataclass(frozen=True)
class Ready:
    """What a page can show: `build`, the complete build to serve (for the state asked about; or, while that is
    made, the last complete one for an earlier state), and `preparing`, the build being made for the state
    asked about, if `build` is not it. Before any version is complete, `build` is None."""

    build: ReportBuild | None
    preparing: ReportBuild | None = None

    @property
    def outdated(self) -> bool:
        """Serving an earlier version while the current one is made."""
        return self.build is not None and self.preparing is not None


def data_version(round: Round) -> str:
    """The state of a round's reports: the answers that count (how many respondents, the last submitted, and
    the round's revision, which moves when a link is revoked or reinstated), whether it is open, and the same
    of the earlier round it compares with."""
    text = f"{_answers_state(round)}:{round.closed_at}:{round.is_open}"
    if round.previous_id is not None:
        text += f":{_answers_state(round.previous)}"
    groups = round_groups(round)
    if groups is not None:  # the benchmark groups: which attribute, and each trust's value of it
        text += ":" + json.dumps([groups.attribute, sorted(groups.of.items())])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _answers_state(round: Round) -> str:
    state = Respondent.objects.filter(trust__round=round).counted().aggregate(n=Count("id"), last=Max("submitted_at"))
    return f"{round.pk}:{state['n']}:{state['last']}:{round.revision}"


def earlier_round(round: Round) -> tuple[ResponseTable, str] | None:
    """The earlier round the round compares with, as a table and its name, if it has answers that count."""
    previous = round.previous
    table = None if previous is None else table_for(previous)
    return None if table is None or previous is None else (table, previous.name)


def paper_version(round: Round, trust: Trust) -> str:
    return hashlib.sha256(f"{round.framework_source}\n{trust.name}".encode()).hexdigest()[:16]


def owner_folder(build: ReportBuild) -> str:
    """The storage folder holding every attempt at every version of what `build` makes."""
    owner = str(build.trust_id) if build.trust_id else "national"
    return f"reports/{build.round_id}/{build.kind}/{owner}"


def file_name(build: ReportBuild, name: str) -> str:
    """The storage name of one of a begun build's files."""
    return f"{build.location}/{name}"


def request_build(round: Round, kind: str, version: str, trust: Trust | None = None) -> Ready:
    from selfassess.web.tasks import build_reports

    key = f"{kind}:{round.pk}:{trust.pk if trust else '-'}:{version}"
    now = timezone.now()
    with transaction.atomic():
        build, created = ReportBuild.objects.get_or_create(
            key=key, defaults={"round": round, "trust": trust, "kind": kind, "version": version, "requested_at": now}
        )
        lost = build.status != ReportBuild.DONE and build.requested_at < now - _stale()
        if lost:  # its worker died, or it failed: ask again
            build.status, build.requested_at, build.started_at, build.error = ReportBuild.PENDING, now, None, ""
            build.save(update_fields=["status", "requested_at", "started_at", "error"])
        if created or lost:
            build_reports.enqueue(build.pk)
    if build.status == ReportBuild.DONE:
        return Ready(build)
    previous = (
        ReportBuild.objects.filter(round=round, trust=trust, kind=kind, status=ReportBuild.DONE)
        .exclude(pk=build.pk)
        .order_by("-finished_at")
        .first()
    )
    return Ready(previous, build)


def _stale() -> timedelta:
    return timedelta(minutes=settings.REPORT_BUILD_STALE_MINUTES)


def run_build(build_id: int) -> None:
    """Make one build's files (in a task worker), saying how far it has gone as it goes."""
    build = ReportBuild.objects.select_related("round", "trust").filter(pk=build_id).first()
    if build is None or build.status == ReportBuild.DONE:
        return
    left, build.location = build.location, f"{owner_folder(build)}/{build.version}-{uuid.uuid4().hex[:12]}"
    ReportBuild.objects.filter(pk=build.pk).update(
        status=ReportBuild.RUNNING, started_at=timezone.now(), progress="reading the answers", location=build.location
    )
    if left:  # an earlier attempt's, whose worker died or failed: never served
        files.delete_folder(left)

    def progress(message: str) -> None:
        ReportBuild.objects.filter(pk=build.pk).update(progress=message[:200])

    with tempfile.TemporaryDirectory(prefix=SCRATCH) as scratch:
        out = Path(scratch)
        try:
            holds = BUILDERS[build.kind](build, out, progress)
            progress("saving the files")
            files.save_folder(out, build.location)
        except Exception as exc:
            files.delete_folder(build.location)
            ReportBuild.objects.filter(pk=build.pk, location=build.location).update(
                status=ReportBuild.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
            )
            raise
        # Served from now on, unless another attempt has begun meanwhile (this one was thought lost): its files
        # are then the other's to make, and these are not needed.
        done = ReportBuild.objects.filter(pk=build.pk, location=build.location).update(
            status=ReportBuild.DONE, finished_at=timezone.now(), progress="", **holds
        )
        if not done:
            files.delete_folder(build.location)
            return
    if build.kind == ReportBuild.NATIONAL:
        from selfassess.web.tasks import national_pdf

        # A task of its own, on the downloads queue: the pages are served now, not after the PDF's seconds, and
        # a deployment may give the PDFs workers of their own.
        national_pdf.enqueue(build.pk)
    _remove_superseded(build)


def make_national_downloads(build_id: int) -> None:
    """A complete national build's workbook and PDF, made after the build is served, from its results and its
    page in storage. A build replaced meanwhile (its row removed) needs none, nor one whose are made."""
    waiting = ReportBuild.objects.filter(pk=build_id, status=ReportBuild.DONE, pdf_done_at__isnull=True)
    build = waiting.select_related("round").first()
    if build is None:
        return
    ReportBuild.objects.filter(pk=build_id).update(progress="making the PDF and the workbook")
    with tempfile.TemporaryDirectory(prefix=SCRATCH) as scratch:
        out = Path(scratch)
        try:
            files.fetch(build.location, [NATIONAL_FILES["results"], NATIONAL_FILES["html"]], out)
        except FileNotFoundError:  # removed by a newer build as this began: that one's downloads are its own
            return
        cover = _cover(build.data_as_at)
        write_national_downloads(out, build.round.framework, provisional=build.round.is_open, cover=cover)
        for key in ("xlsx", "pdf"):
            files.save_file(out / NATIONAL_FILES[key], file_name(build, NATIONAL_FILES[key]))
    ReportBuild.objects.filter(pk=build_id).update(pdf_done_at=timezone.now(), progress="")


def ask_for_downloads(build: ReportBuild) -> None:
    """A complete national build whose PDF and workbook were not made (its worker died after serving the pages,
    or failed): asked for again once REPORT_BUILD_STALE_MINUTES have passed since the build was finished."""
    from selfassess.web.tasks import national_pdf

    stale = timezone.now() - _stale()
    if build.finished_at is None or build.finished_at >= stale:
        return
    # Only the request whose update finds the build as it was asks (the finish time is moved on).
    if ReportBuild.objects.filter(pk=build.pk, finished_at=build.finished_at).update(finished_at=timezone.now()):
        national_pdf.enqueue(build.pk)


def _holds(round: Round) -> dict[str, object]:
    """What a build made now holds: the questionnaires that count, and the last submitted."""
    state = Respondent.objects.filter(trust__round=round).counted().aggregate(n=Count("id"), last=Max("submitted_at"))
    return {"responses": state["n"], "data_as_at": state["last"]}


def _cover(data_as_at: datetime | None) -> Cover:
    """The reports' first-page facts: the day of the last answer counted, and the publisher set for the site."""
    day = date_words(timezone.localdate(data_as_at)) if data_as_at else ""
    return Cover(day, settings.PUBLISHER)


def _national(build: ReportBuild, out: Path, progress: Callable[[str], None]) -> dict[str, object]:
    round = build.round
    holds = _holds(round)
    table = table_for(round)
    if table is None:
        raise ValueError("there are no submitted answers to report on")
    names = dict(Trust.objects.filter(round=round).values_list("code", "name"))
    footers = {code: f"{name}, {round.name}." for code, name in names.items()}
    written = write_reports(
        table,
        out,
        threshold=settings.SUPPRESSION_THRESHOLD,
        provisional=round.is_open,
        footers=footers,
        earlier=earlier_round(round),
        downloads=False,
        progress=progress,
        cover=_cover(holds["data_as_at"]),  # type: ignore[arg-type]
        groups=round_groups(round),
    )
    index = {code: path.name for code, path in written.trust_files.items()}
    render.write_text(out / TRUST_INDEX, json.dumps(index))
    return holds


def _trust_pdf(build: ReportBuild, out: Path, progress: Callable[[str], None]) -> dict[str, object]:
    round, trust = build.round, build.trust
    assert trust is not None
    holds = _holds(round)
    table = table_for(round)
    if table is None or trust.code not in table.trusts:
        raise ValueError("the trust has no submitted answers to report on")
    cube = build_cube(table)
    found = results(cube)
    groups = round_groups(round)
    if groups is not None:
        found["groups"] = groups.figures(cube, found)
    profile = trust_profiles(table, cube, found)[trust.code]
    earlier = earlier_round(round)
    since = add_comparison(found, cube, earlier)(trust.code) if earlier is not None else None
    report = trust_report(round.framework, profile, settings.SUPPRESSION_THRESHOLD, round.is_open, since)
    report.cover = _cover(holds["data_as_at"])  # type: ignore[arg-type]
    progress("making the PDF")
    (out / TRUST_PDF).write_bytes(render.pdf_bytes(render.html(report, footer=f"{trust.name}, {round.name}.")))
    return holds


def _trust_pdfs(build: ReportBuild, out: Path, progress: Callable[[str], None]) -> dict[str, object]:
    """Every trust's report as a PDF, in one zip: the pages of a national set made beside it, each printed."""
    pages = out / "pages"
    holds = _national(build, pages, progress)
    index = json.loads((pages / TRUST_INDEX).read_text())
    with zipfile.ZipFile(out / TRUST_PDFS, "w", zipfile.ZIP_STORED) as bundle:  # PDFs are compressed already
        for i, name in enumerate(sorted(index.values()), start=1):
            progress(f"trust PDFs: {i} of {len(index)}")
            pdf = render.pdf_bytes((pages / "trusts" / name).read_text(encoding="utf-8"))
            bundle.writestr(zipfile.ZipInfo(f"{Path(name).stem}.pdf", (2000, 1, 1, 0, 0, 0)), pdf)
    shutil.rmtree(pages)  # only the zip is kept
    return holds


def _paper_form(build: ReportBuild, out: Path, progress: Callable[[str], None]) -> dict[str, object]:
    assert build.trust is not None
    write_paper_form(build.round.framework, out / PAPER_FORM, build.trust.name)
    return {}


BUILDERS: dict[str, Callable[[ReportBuild, Path, Callable[[str], None]], dict[str, object]]] = {
    ReportBuild.NATIONAL: _national,
    ReportBuild.TRUST_PDF: _trust_pdf,
    ReportBuild.PAPER_FORM: _paper_form,
    ReportBuild.TRUST_PDFS: _trust_pdfs,
}


def remove_left_scratch() -> None:
    """Scratch folders left by workers killed on this machine (a live worker's is younger than a build is
    allowed to take); called as a worker starts."""
    cutoff = timezone.now().timestamp() - _stale().total_seconds()
    for left in Path(tempfile.gettempdir()).glob(f"{SCRATCH}*"):
        if left.is_dir() and left.stat().st_mtime < cutoff:
            shutil.rmtree(left, ignore_errors=True)


def files_gone(build: ReportBuild) -> None:
    """A reader found a complete build's files missing: a newer build removed them as the reader came to them
    (its row is removed first, so it is gone too), or they were lost from storage. A build asked for after
    this one is coming or here, so this one is never served again; else this one is made again, as one whose
    worker died is."""
    same = ReportBuild.objects.filter(round_id=build.round_id, trust_id=build.trust_id, kind=build.kind)
    this = same.filter(pk=build.pk, status=ReportBuild.DONE, location=build.location)
    if same.filter(requested_at__gt=build.requested_at).exists():
        this.delete()
        return
    with transaction.atomic():
        if this.update(status=ReportBuild.PENDING, requested_at=timezone.now(), started_at=None, pdf_done_at=None):
            from selfassess.web.tasks import build_reports

            build_reports.enqueue(build.pk)


def _remove_superseded(build: ReportBuild) -> None:
    """Complete builds of the same thing for earlier states will not be served again; nor will the files of
    attempts whose workers died, nor any others no build points to (listed before the builds are read, so
    that an attempt begun meanwhile, whose location is recorded before its first file, is never among them).
    A build's row goes before its files, so a reader who finds the files gone finds the build gone too."""
    older = ReportBuild.objects.filter(
        round_id=build.round_id, trust_id=build.trust_id, kind=build.kind, status=ReportBuild.DONE
    ).exclude(pk=build.pk)
    locations = list(older.values_list("location", flat=True))
    older.delete()
    for location in locations:
        files.delete_folder(location)
    parent = owner_folder(build)
    present = files.folders(parent)
    kept = set(
        ReportBuild.objects.filter(round_id=build.round_id, trust_id=build.trust_id, kind=build.kind)
        .exclude(location="")
        .values_list("location", flat=True)
    )
    for name in present:
        if f"{parent}/{name}" not in kept:
            files.delete_folder(f"{parent}/{name}")
