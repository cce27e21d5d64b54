"""/healthz for load balancers and `selfassess check --deploy`: each fact the health check reports can fail and
is seen to; a real worker's beat makes it healthy; the deployment check refuses each missing setting by name."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from selfassess.web.models import WorkerBeat
from selfassess.web.services import health
from tests.web.test_resilience import environment


def _asked(client: Client | None = None) -> tuple[int, dict[str, object]]:
    response = (client or Client(HTTP_HOST="10.1.2.3")).get("/healthz")  # a host not among ALLOWED_HOSTS
    assert response["Content-Type"] == "application/json" and response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie: nothing but the facts
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthy_only_with_a_worker_seen_recently() -> None:
    status, body = _asked()
    assert status == 503 and body == {
        "status": "unhealthy",
        "checks": {"database": True, "migrations": True, "worker": False},
    }
    health.beat("host-a:1")
    assert _asked() == (200, {"status": "ok", "checks": {"database": True, "migrations": True, "worker": True}})
    WorkerBeat.objects.update(seen_at=timezone.now() - health.worker_window() - timedelta(seconds=1))
    assert _asked()[0] == 503
    assert Client().post("/healthz").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_unhealthy_while_a_migration_is_not_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    earlier = [("selfassess", "0011_answer_one_index")]
    monkeypatch.setattr(health, "_migrated", False)
    try:
        executor.migrate(earlier)
        status, body = _asked()
        assert status == 503 and body["checks"] == {"database": True, "migrations": False, "worker": False}
    finally:
        MigrationExecutor(connection).migrate(latest)
    health.beat("host-a:1")
    assert _asked()[0] == 200


def test_a_real_worker_says_it_is_alive(tmp_path: Path) -> None:
    env = environment(tmp_path / "var")
    env["SELFASSESS_REMINDER_CHECK_SECONDS"] = "0.2"
    subprocess.run([sys.executable, "-m", "selfassess", "check"], env=env, check=True, capture_output=True)
    ask = "import django, json; django.setup(); from selfassess.web.services import health; "
    ask += "print(json.dumps(health.health()))"
    worker = subprocess.Popen(
        [sys.executable, "-m", "selfassess", "worker", "--interval", "0.2"], env=env, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            done = subprocess.run([sys.executable, "-c", ask], env=env, capture_output=True, text=True)
            if done.returncode == 0 and json.loads(done.stdout) == {
                "database": True,
                "migrations": True,
                "worker": True,
            }:
                break
            assert time.monotonic() < deadline, done.stdout + done.stderr
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _check(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = environment(tmp_path / "var")
    env.update(settings)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests' own process; never in deployment
    command = [sys.executable, "-m", "selfassess", "check", "--deploy"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "selfassess.web.settings_production",
    "SELFASSESS_SECRET_KEY": "q7M2xv9KpR4tLw8ZbN3cYf6HjD1sGa5EuT0oVi-_Qe7Xk2Pz4rWm8Hs",
    "SELFASSESS_ALLOWED_HOSTS": "selfassess.example.org",
    "SELFASSESS_EMAIL_HOST": "smtp.example.org",
    "SELFASSESS_FROM_EMAIL": "selfassess@example.org",
}


def test_check_deploy_passes_a_deployment_and_names_each_gap(tmp_path: Path) -> None:
    assert _check(tmp_path, **PRODUCTION).returncode == 0
    development = _check(tmp_path)  # the embedded settings: a development key, e-mail to the console, no HTTPS
    assert development.returncode == 1
    for gap in ("selfassess.E001", "selfassess.E002", "security.W004", "security.W012"):
        assert gap in development.stderr
    for change, gap in (
        ({"SELFASSESS_SECRET_KEY": "short"}, "selfassess.E001"),
        ({"SELFASSESS_EMAIL_HOST": ""}, "selfassess.E002"),
        ({"SELFASSESS_FROM_EMAIL": ""}, "selfassess.E003"),
    ):
        found = _check(tmp_path, **{**PRODUCTION, **change})
        assert found.returncode == 1 and gap in found.stderr, (change, found.stderr)
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "files").write_text("a file where the folder for report files should be")
    found = _check(tmp_path, **{**PRODUCTION, "SELFASSESS_VAR": str(blocked)})
    assert found.returncode == 1 and "selfassess.E004" in found.stderr, found.stderr
