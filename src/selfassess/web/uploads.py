"""Uploads are measured while they arrive: a file larger than any form, framework or trust list we take is
dropped as it streams in (never stored), and the view says so in words."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from selfassess.responses.limits import UPLOAD
from selfassess.text import shown

MAX_BYTES = UPLOAD.max_bytes or 20_000_000


def refused(request: Any) -> str | None:
    """Why an upload in this request was dropped, if one was."""
    request.FILES  # noqa: B018 -- parses the upload (lazily done), so that the handler has had its say
    message: str | None = getattr(request, "upload_refused", None)
    return message


def uploaded_csv(request: Any, field: str, most_bytes: int, columns: str) -> tuple[bytes, str | None]:
    """A small CSV upload's first `most_bytes` + 1 bytes (the reader refuses more in words), or why there is
    none: dropped as too large, or no file chosen."""
    problem = refused(request)
    uploaded = request.FILES.get(field)
    if problem is None and uploaded is None:
        problem = f"Choose a CSV file with the columns {columns}"
    if problem is not None or uploaded is None:
        return b"", problem
    data: bytes = uploaded.read(most_bytes + 1)
    return data, None


class BoundedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes each chunk on to Django's own handlers until the file passes
    MAX_BYTES, then skips the rest of it."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_BYTES:
            self.request.upload_refused = (
                f"The file {shown(self.file_name or '')} is larger than {MAX_BYTES // 1_000_000} MB, more than any "
                "file this service takes: upload the forms in smaller files"
            )
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
