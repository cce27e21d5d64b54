"""Files the service keeps (report sets, trust PDFs, uploads kept for audit, backups), through Django's storage
API: a folder on this machine by default (MEDIA_ROOT), or an S3-compatible bucket shared by every machine when
SELFASSESS_S3_BUCKET is set. Names are storage names ("reports/12/national/..."), never paths, so that the same
code serves from either.

A bucket has no rename, so nothing here relies on one: a set of files is made in a local scratch folder, then
copied under a folder of its own (`save_folder`); it becomes servable only when the database says where it is.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

CHUNK = 1024 * 1024


def store() -> Storage:
    return default_storage


def save_folder(local: Path, folder: str) -> list[str]:
    """Every file under `local`, copied to the same names under `folder`, in a fixed order; their names."""
    saved = []
    for path in sorted(p for p in local.rglob("*") if p.is_file()):
        saved.append(save_file(path, f"{folder}/{path.relative_to(local).as_posix()}"))
    return saved


def save_file(path: Path, name: str) -> str:
    with path.open("rb") as content:
        return store().save(name, File(content, name=path.name))


def save_bytes(name: str, data: bytes) -> str:
    return store().save(name, ContentFile(data))


def open_file(name: str) -> File:
    return store().open(name, "rb")


def read_text(name: str) -> str:
    with open_file(name) as file:
        data: bytes = file.read()
    return data.decode("utf-8")


def fetch(folder: str, names: Iterable[str], local: Path) -> None:
    """Copy the named files of `folder` into the local folder (a worker's scratch)."""
    for name in names:
        with open_file(f"{folder}/{name}") as file, (local / name).open("wb") as out:
            shutil.copyfileobj(file, out, CHUNK)


def folders(parent: str) -> list[str]:
    """The names of the folders in `parent` (none if it does not exist)."""
    try:
        found, _ = store().listdir(parent)
    except FileNotFoundError:
        return []
    return sorted(found)


def delete_folder(folder: str) -> None:
    """A folder and everything in it; nothing if it is not there. (A bucket's folders are only the names' common
    beginnings; a local folder, once emptied, is removed too.)"""
    storage = store()
    try:
        inner, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{folder}/{name}")
    for name in inner:
        delete_folder(f"{folder}/{name}")
    if storage.exists(folder):
        storage.delete(folder)


def where() -> str:
    """Where files are kept, in words for an operator."""
    bucket = getattr(settings, "S3_BUCKET", "")
    return f"the bucket {bucket}" if bucket else f"the folder {settings.MEDIA_ROOT}"


def unreachable() -> str | None:
    """Why files cannot be kept (a small file written, read back and deleted), in words for an operator; None
    when they can. Checked when a server or a worker starts, and by `selfassess check --deploy`."""
    name = f"checks/{uuid.uuid4().hex}.txt"
    try:
        saved = save_bytes(name, b"ok")
        with open_file(saved) as file:
            file.read()
        store().delete(saved)
    except Exception as error:  # any failure is the answer: say which, in words
        return f"Files cannot be kept in {where()}: {_reason(error)}"
    return None


def refuse_to_start_without_files() -> None:
    """A server or worker that could not keep report files stops as it starts, saying why (an unreachable
    bucket, missing credentials), rather than failing at the first report."""
    problem = unreachable()
    if problem:
        raise SystemExit(f"selfassess: {problem}")


def _reason(error: Exception) -> str:
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    if isinstance(error, NoCredentialsError):
        return "no credentials were found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the machine a role)"
    if isinstance(error, EndpointConnectionError):
        return f"the storage service cannot be reached ({error})"
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchBucket", "404"):
            return "the bucket does not exist"
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403"):
            return f"the bucket refused the credentials given ({code})"
        return f"the storage service said {code or error}"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return f"{type(error).__name__}: {error}"
