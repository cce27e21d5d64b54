"""The database from DATABASE_URL (postgres://user:pass@host:port/name), else embedded SQLite in WAL mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.db.backends.signals import connection_created
from django.dispatch import receiver


def database_from_url(url: str | None, sqlite_path: Path) -> dict[str, Any]:
    if not url:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        # A busy database waits up to 20 s for the lock rather than failing at once. Transactions take the write
        # lock when they begin (IMMEDIATE): a transaction that read first and then tried to write would otherwise
        # fail at once whenever another writer got in between, which the wait cannot help.
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL: only postgres:// is supported, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
    }


@receiver(connection_created)
def _sqlite_pragmas(sender: Any, connection: Any, **kwargs: Any) -> None:
    """WAL lets readers carry on while one writer writes; the embedded default for many respondents at once."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
