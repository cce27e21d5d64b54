"""Reports for a round, from the database: the same engine and report code as the command line.

Pages never make a report: they ask `builds` for the files of the state of the data they show, and are told
whether those are ready, or being prepared (with the last complete set to offer meanwhile). Reading or
downloading a report is recorded here, after the request has been found valid.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl
from django.core.files import File

from selfassess.responses import COLUMNS, csv_text
from selfassess.web.models import ReportBuild, Respondent, Round, Trust
from selfassess.web.services import audit, builds, files
from selfassess.web.services.audit import Action
from selfassess.web.services.builds import Ready
from selfassess.web.services.data import SCHEMA, answer_chunks


@dataclass(frozen=True)
class Download:
    key: str  # in builds.NATIONAL_FILES
    name: str
    content_type: str


DOWNLOADS = {
    "pdf": Download("pdf", "national-report.pdf", "application/pdf"),
    "xlsx": Download(
        "xlsx", "national-tables.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "json": Download("results", "results.json", "application/json"),
}
ANSWERS = "answers.csv"
ANSWERS_PARQUET = "answers.parquet"
T = TypeVar("T")


class NoSuchDownload(LookupError):
    pass


class FilesGone(LookupError):
    """A complete build's files were not found (see `builds.files_gone`): the reader should ask again, and is
    then served the newer build, or told that the report is being made again."""


def _read(build: ReportBuild, name: str, how: Callable[[str], T]) -> T:
    """One of a complete build's files, read `how` (`files.read_text` or `files.open_file`); FilesGone if it is
    not in storage."""
    try:
        return how(builds.file_name(build, name))
    except FileNotFoundError:
        builds.files_gone(build)
        raise FilesGone(name) from None


class DownloadNotYet(LookupError):
    """The national build is complete and served, but its PDF and workbook (made after its pages) are not yet."""


def _submitted(round: Round, trust: Trust | None = None) -> bool:
    found = Respondent.objects.filter(trust__round=round).counted()
    return (found.filter(trust=trust) if trust else found).exists()


def national_reports(round: Round, build_id: int | None = None) -> Ready | None:
    """The national set for the round as it stands (None before anyone has submitted); or, with `build_id`,
    that earlier complete set, if it is still kept."""
    if build_id is not None:
        kept = ReportBuild.objects.filter(
            pk=build_id, round=round, kind=ReportBuild.NATIONAL, trust=None, status=ReportBuild.DONE
        ).first()
        return Ready(kept) if kept else None
    if not _submitted(round):
        return None
    return builds.request_build(round, ReportBuild.NATIONAL, builds.data_version(round))


def national_report_page(build: ReportBuild, actor: Any) -> str:
    page = _read(build, builds.NATIONAL_FILES["html"], files.read_text)  # read first: a read that fails is not recorded
    audit.record(actor, Action.NATIONAL_REPORT_READ, build.round, detail=build.version)
    return page


def national_download(build: ReportBuild, kind: str, actor: Any) -> tuple[Download, File]:
    download = DOWNLOADS.get(kind)
    if download is None:
        raise NoSuchDownload(kind)
    if kind in ("pdf", "xlsx") and build.pdf_done_at is None:
        builds.ask_for_downloads(build)
        raise DownloadNotYet(kind)
    file = _read(build, builds.NATIONAL_FILES[download.key], files.open_file)
    audit.record(actor, Action.NATIONAL_REPORT_DOWNLOADED, build.round, detail=f"{kind} {build.version}")
    return download, file


def answers_csv(round: Round, actor: Any) -> Iterator[str]:
    """Every submitted answer in the long form, safe to open in a spreadsheet, as pieces of text to stream: the
    header at once (the download starts before the database is read), then a piece per CHUNK answers."""
    audit.record(actor, Action.ANSWERS_DOWNLOADED, round)

    def pieces() -> Iterator[str]:
        yield ",".join(COLUMNS) + "\n"
        for chunk in answer_chunks(round):
            yield csv_text(chunk, header=False)

    return pieces()


def answers_parquet(round: Round, actor: Any) -> bytes:
    """Every submitted answer in the long form as Parquet for analysts: the same six columns and rows as the CSV,
    as text, and its values as given (a Parquet file is read by code, not opened as a spreadsheet)."""
    frame = pl.concat([pl.DataFrame(schema=SCHEMA), *answer_chunks(round)])
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=False)
    audit.record(actor, Action.ANSWERS_PARQUET_DOWNLOADED, round)
    return buffer.getvalue()


def trust_reports(trust: Trust, build_id: int | None = None) -> Ready | None:
    """The national set holding this trust's page (None before the trust has a submitted answer)."""
    if build_id is None and not _submitted(trust.round, trust):
        return None
    return national_reports(trust.round, build_id)


def trust_report_page(build: ReportBuild, trust: Trust, actor: Any) -> str | None:
    index = json.loads(_read(build, builds.TRUST_INDEX, files.read_text))
    if trust.code not in index:
        return None  # the set was made before this trust's first answers
    page = _read(build, f"trusts/{index[trust.code]}", files.read_text)
    audit.record(actor, Action.TRUST_REPORT_READ, trust=trust, detail=build.version)
    return page


def trust_report_pdf(trust: Trust) -> Ready | None:
    if not _submitted(trust.round, trust):
        return None
    return builds.request_build(trust.round, ReportBuild.TRUST_PDF, builds.data_version(trust.round), trust)


def trust_pdf_file(build: ReportBuild, actor: Any) -> File:
    file = _read(build, builds.TRUST_PDF, files.open_file)
    audit.record(actor, Action.TRUST_REPORT_DOWNLOADED, trust=build.trust, detail=build.version)
    return file


def trust_pdfs(round: Round) -> Ready | None:
    """Every trust's report as a PDF in one zip, for the administrator (None before anyone has submitted)."""
    if not _submitted(round):
        return None
    return builds.request_build(round, ReportBuild.TRUST_PDFS, builds.data_version(round))


def trust_pdfs_file(build: ReportBuild, actor: Any) -> File:
    file = _read(build, builds.TRUST_PDFS, files.open_file)
    audit.record(actor, Action.TRUST_REPORTS_DOWNLOADED, build.round, detail=build.version)
    return file


def paper_form(trust: Trust) -> Ready:
    return builds.request_build(trust.round, ReportBuild.PAPER_FORM, builds.paper_version(trust.round, trust), trust)


def paper_form_file(build: ReportBuild) -> File:
    return _read(build, builds.PAPER_FORM, files.open_file)
