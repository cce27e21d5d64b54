"""How much a response file may hold before we read it, so that a hostile file cannot hold a server.

A workbook is a zip archive of XML: 2 KB on disk can declare a row twenty million lines down, and 8 MB can
unpack to gigabytes. So a file is measured before it is parsed (its size; for a workbook, the uncompressed
sizes its parts declare, which Python's zip reader also holds them to, and the sheet's declared extent) and
counted while it is parsed (rows of forms). The web application reads uploads under UPLOAD; the command line,
run by whoever owns the machine, may read large national files, but never pads a sparse sheet either.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from selfassess.responses.problems import InvalidResponses, Problem

EXCEL_ROWS = 1_048_576  # the most rows a sheet can have in Excel


@dataclass(frozen=True)
class Limits:
    max_bytes: int | None  # the file as it arrives
    max_forms: int | None  # rows of the paper-entry form (one per respondent); the long form gets this many
    # respondents' worth of answer rows
    max_unpacked: int | None  # a workbook's parts, uncompressed, added up

    def check_size(self, path: Path) -> None:
        size = path.stat().st_size
        if self.max_bytes is not None and size > self.max_bytes:
            raise InvalidResponses(
                [
                    Problem(
                        "file",
                        f"is {_megabytes(size)}; a file can be at most {_megabytes(self.max_bytes)}. Upload the "
                        "forms in smaller files",
                    )
                ]
            )

    def check_archive(self, path: Path) -> None:
        """Before a workbook is opened: the sizes its parts declare (a zip reader stops at the declared size)."""
        if self.max_unpacked is None:
            return
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return  # not a zip archive: opening it as a workbook says so in words
        if unpacked > self.max_unpacked:
            raise InvalidResponses(
                [
                    Problem(
                        "file",
                        f"unpacks to {_megabytes(unpacked)}, more than a workbook of forms may hold "
                        f"({_megabytes(self.max_unpacked)}); copy the forms alone into a new workbook",
                    )
                ]
            )

    def rows_allowed(self, per_form: int = 1) -> int | None:
        return None if self.max_forms is None else self.max_forms * per_form


def too_many_forms(where: str, limit: int) -> InvalidResponses:
    return InvalidResponses(
        [Problem(where, f"there are more than {limit:,} rows of answers; upload at most {limit:,} at a time")]
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


# Uploads to the web application: a trust's paper forms, with room to spare (about 40 are asked for).
UPLOAD = Limits(max_bytes=20_000_000, max_forms=5_000, max_unpacked=50_000_000)
COMMAND_LINE = Limits(max_bytes=None, max_forms=None, max_unpacked=None)
