"""Is this server fit to take requests? For load balancers (/healthz) and for `selfassess check --deploy`.

Health is three facts, each cheap and none a secret: the database answers, its tables are up to date (every
migration applied), and a task worker has been seen recently (workers say so as they look for due reminders,
every REMINDER_CHECK_SECONDS). Without a worker the pages still work, but no report, PDF or e-mail is made.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from selfassess.web.models import WorkerBeat

_migrated = False  # once every migration is applied it stays so for this process: not asked again


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def beat(worker: str | None = None) -> None:
    """This worker is alive now; beats of workers gone a day are cleared."""
    now = timezone.now()
    WorkerBeat.objects.update_or_create(worker=worker or worker_name(), defaults={"seen_at": now})
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def worker_window() -> timedelta:
    """How recently a worker must have been seen: three of its looks, and never under three minutes."""
    return timedelta(seconds=max(3 * settings.REMINDER_CHECK_SECONDS, 180))


def health() -> dict[str, bool]:
    """Each fact, true when it holds."""
    global _migrated
    facts = {"database": False, "migrations": False, "worker": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        facts["database"] = True
        if not _migrated:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        facts["migrations"] = _migrated
        facts["worker"] = WorkerBeat.objects.filter(seen_at__gte=timezone.now() - worker_window()).exists()
    except Exception:  # unreachable, or tables missing: the facts not yet found stay false
        pass
    return facts
