"""Report files kept in an S3-compatible bucket (moto's real S3 API on the loopback) rather than a folder: built,
served and replaced through the storage API; never served half made; and a bucket that cannot be used is said
so in words, by the deployment check and at start-up."""

from __future__ import annotations

import io
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from selfassess.web.models import AuditEvent, ReportBuild, Respondent
from selfassess.web.services import builds, files, reporting
from selfassess.web.services import questionnaire as q
from selfassess.web.services.audit import Action
from selfassess.web.storage import no_bucket_named, s3_storage
from tests.conftest import long_csv
from tests.web.buckets import KEYS, BucketServer, bucket_environment
from tests.web.conftest import World, run_worker, signed_in
from tests.web.test_health import PRODUCTION, _check
from tests.web.test_journeys import answer_all
from tests.web.test_resilience import environment

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bucket_server() -> Iterator[BucketServer]:
    server = BucketServer()
    yield server
    server.stop()


def use_bucket(settings: Any, monkeypatch: pytest.MonkeyPatch, server: BucketServer, bucket: str) -> None:
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    settings.S3_BUCKET = bucket
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(bucket, bucket_environment(server, bucket))}


@pytest.fixture
def bucket(settings: Any, monkeypatch: pytest.MonkeyPatch, bucket_server: BucketServer) -> str:
    name = bucket_server.new_bucket(f"selfassess-{uuid.uuid4().hex[:12]}")
    use_bucket(settings, monkeypatch, bucket_server, name)
    return name


def submitted(world: World, answer: str) -> None:
    client = Client()
    answer_all(client, world.token_a, world, answer=answer)
    client.post(reverse("respond_check", kwargs={"token": world.token_a}))


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_reports_are_built_served_and_replaced_on_the_bucket(
    world: World, bucket: str, bucket_server: BucketServer, settings: Any
) -> None:
    submitted(world, "5")
    admin = signed_in(world.admin)
    report = reverse("national_report", kwargs={"round_id": world.round.pk})
    assert "being prepared" in admin.get(report).content.decode()
    run_worker(downloads=True)
    assert "The mean score was 5.00." in admin.get(report).content.decode()
    first = ReportBuild.objects.get(kind=ReportBuild.NATIONAL)
    owner = builds.owner_folder(first)
    assert first.location.startswith(f"{owner}/{first.version}-")
    names = [key.removeprefix(first.location + "/") for key in bucket_server.keys(bucket, first.location)]
    assert names == [
        "national-report.html",
        "national-report.pdf",
        "national-tables.xlsx",
        "results.json",
        "trusts.json",
        "trusts/TA.html",
    ]
    pdf = admin.get(reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "pdf"}))
    assert body(pdf) == bucket_server.read(bucket, f"{first.location}/national-report.pdf")
    coordinator = signed_in(world.coordinator_a)
    assert "TA: self assessment report" in coordinator.get(reverse("trust_report")).content.decode()
    for url in (reverse("trust_report_pdf"), reverse("trust_paper_form")):
        assert "being prepared" in coordinator.get(url).content.decode()
        run_worker()
        served = body(coordinator.get(url))
        build = ReportBuild.objects.filter(trust=world.trust_a, status=ReportBuild.DONE).latest("finished_at")
        assert served.startswith(b"%PDF") and served == bucket_server.read(
            bucket, bucket_server.keys(bucket, build.location)[0]
        )
    # Nothing was written to this machine's folder.
    assert not Path(settings.MEDIA_ROOT).exists()
    # New answers: a new version is made, and the one it replaces is removed from the bucket.
    newcomer = Respondent.objects.create(trust=world.trust_a, code="P2", sector="health", audience="front_line")
    page = q.pages(world.round.framework, "front_line")[0]
    q.save_page(newcomer, page, {question.id: "1" for question in page.questions})
    q.submit(newcomer)
    assert "An update with newer answers is being made" in admin.get(report).content.decode()
    run_worker()
    assert "An update" not in admin.get(report).content.decode()
    second = ReportBuild.objects.get(kind=ReportBuild.NATIONAL)
    assert second.pk != first.pk
    assert {key.rsplit("/", 2)[0] for key in bucket_server.keys(bucket, owner + "/")} <= {second.location, owner}
    assert bucket_server.keys(bucket, first.location) == []


def test_a_build_whose_upload_fails_leaves_nothing_in_the_bucket(
    world: World, bucket: str, bucket_server: BucketServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted(world, "4")
    saved: list[str] = []
    original = files.save_file

    def failing(path: Path, name: str) -> str:
        if len(saved) == 2:
            raise ConnectionError("the bucket went away")
        saved.append(original(path, name))
        return saved[-1]

    monkeypatch.setattr(files, "save_file", failing)
    admin = signed_in(world.admin)
    report = reverse("national_report", kwargs={"round_id": world.round.pk})
    admin.get(report)
    run_worker()
    build = ReportBuild.objects.get(kind=ReportBuild.NATIONAL)
    assert build.status == ReportBuild.FAILED and "the bucket went away" in build.error
    assert len(saved) == 2 and bucket_server.keys(bucket, "reports/") == []  # the two copied were removed
    assert "being prepared" in admin.get(report).content.decode()


def test_an_attempt_overtaken_by_another_is_not_served_and_removes_its_files(
    world: World, bucket: str, bucket_server: BucketServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker thought lost (its build asked for again) finishes after all: the build is the newer attempt's."""
    submitted(world, "4")
    original = files.save_folder

    def overtaken(local: Path, folder: str) -> list[str]:
        saved = original(local, folder)
        ReportBuild.objects.update(status=ReportBuild.RUNNING, location=f"{folder}-newer")
        return saved

    monkeypatch.setattr(files, "save_folder", overtaken)
    signed_in(world.admin).get(reverse("national_report", kwargs={"round_id": world.round.pk}))
    run_worker()
    build = ReportBuild.objects.get(kind=ReportBuild.NATIONAL)
    assert build.status == ReportBuild.RUNNING and build.location.endswith("-newer")
    assert bucket_server.keys(bucket, "reports/") == []


def test_files_that_cannot_be_kept_are_said_so_in_words(
    settings: Any, monkeypatch: pytest.MonkeyPatch, bucket_server: BucketServer, tmp_path: Path
) -> None:
    use_bucket(settings, monkeypatch, bucket_server, "no-such-bucket-here")
    assert files.unreachable() == "Files cannot be kept in the bucket no-such-bucket-here: the bucket does not exist"
    name = bucket_server.new_bucket(f"selfassess-{uuid.uuid4().hex[:12]}")
    use_bucket(settings, monkeypatch, bucket_server, name)
    assert files.unreachable() is None
    closed = {**bucket_environment(bucket_server, name), "SELFASSESS_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(name, closed)}
    assert "the storage service cannot be reached" in (files.unreachable() or "")
    use_bucket(settings, monkeypatch, bucket_server, name)
    for key in KEYS:
        monkeypatch.delenv(key)
    for where in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"):
        monkeypatch.setenv(where, str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    settings.STORAGES = {**settings.STORAGES}  # a new storage, made without credentials
    assert "no credentials were found" in (files.unreachable() or "")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    settings.S3_BUCKET, settings.MEDIA_ROOT = "", blocked
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert (files.unreachable() or "").startswith(f"Files cannot be kept in the folder {blocked}: ")


def test_bucket_settings_half_given_are_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="SELFASSESS_S3_ENDPOINT_URL set, but no SELFASSESS_S3_BUCKET"):
        no_bucket_named({"SELFASSESS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})
    no_bucket_named({"SELFASSESS_S3_BUCKET": "b", "SELFASSESS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})
    with pytest.raises(ImproperlyConfigured, match="both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"):
        s3_storage("b", {"AWS_ACCESS_KEY_ID": "k"})
    options = s3_storage("b", {"SELFASSESS_S3_PREFIX": "/selfassess/"})["OPTIONS"]
    assert options["bucket_name"] == "b" and options["location"] == "selfassess" and options["default_acl"] is None


def test_servers_and_workers_refuse_to_start_without_their_bucket(bucket_server: BucketServer, tmp_path: Path) -> None:
    missing = {**bucket_environment(bucket_server, "no-such-bucket-here"), **PRODUCTION}
    found = _check(tmp_path, **missing)
    assert found.returncode == 1 and "selfassess.E004" in found.stderr
    assert "Files cannot be kept in the bucket no-such-bucket-here: the bucket does not exist" in found.stderr
    env = {**environment(tmp_path / "var"), **bucket_environment(bucket_server, "no-such-bucket-here")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    for command in (
        [sys.executable, "-m", "selfassess", "worker"],
        [gunicorn, "-c", "python:selfassess.web.gunicorn", "-b", "127.0.0.1:0", "selfassess.web.wsgi"],
    ):
        started = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert started.returncode == 1, (command, started.stderr)
        assert "selfassess: Files cannot be kept in the bucket no-such-bucket-here" in started.stderr
    given = _check(
        tmp_path, **{**PRODUCTION, **bucket_environment(bucket_server, bucket_server.new_bucket("selfassess-checked"))}
    )
    assert given.returncode == 0, given.stderr


def test_an_upload_loaded_is_kept_for_audit_and_a_refused_one_is_not(
    world: World, bucket: str, bucket_server: BucketServer
) -> None:
    client = signed_in(world.coordinator_a)
    for code, answer, loaded in (("P1", "9", False), ("P1", "3", True)):
        text = f"trust,respondent,sector,audience,question,answer\nTA,{code},health,front_line,Q2,{answer}\n"
        upload = io.BytesIO(text.encode())
        upload.name = "forms.csv"
        response = client.post(reverse("trust_upload"), {"workbook": upload})
        assert (b"Loaded 1 paper form" in response.content) is loaded
    (kept,) = bucket_server.keys(bucket, "uploads/")
    assert kept.startswith(f"uploads/{world.round.pk}/{world.trust_a.pk}/") and kept.endswith(".csv")
    assert bucket_server.read(bucket, kept) == text.encode()
    event = AuditEvent.objects.get(action=Action.PAPER_FORMS_IMPORTED)
    assert event.detail == f"1 forms, forms.csv, kept as {kept}"


def test_a_round_backed_up_to_the_bucket_on_one_machine_is_restored_on_another(
    bucket_server: BucketServer, tmp_path: Path
) -> None:
    bucket = bucket_server.new_bucket(f"selfassess-{uuid.uuid4().hex[:12]}")

    def machine(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**environment(tmp_path / name), **bucket_environment(bucket_server, bucket)}
        command = [sys.executable, "-m", "selfassess", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    answers = tmp_path / "answers.csv"
    answers.write_text(
        long_csv([("T1", "R1", "health", "front_line", "Q2", "3"), ("T2", "R2", "youth", "front_line", "Q2", "4")])
    )
    assert machine("one", "import", str(answers), "--round", "Spring").returncode == 0
    saved = machine("one", "export-round", "Spring", "--out", "storage:2026-12/spring")
    assert saved.returncode == 0 and "to storage:2026-12/spring" in saved.stdout, saved.stderr
    assert bucket_server.keys(bucket, "backups/") == [
        f"backups/2026-12/spring/{name}" for name in ("answers.csv", "framework.yaml", "round.json")
    ]
    restored = machine("two", "import", "storage:2026-12/spring")
    assert (
        restored.returncode == 0 and "2 answers from 2 respondents in 2 trusts into round 'Spring'" in restored.stdout
    )
    again = machine("two", "export-round", "Spring", "--out", str(tmp_path / "again"))
    assert again.returncode == 0
    assert (tmp_path / "again" / "answers.csv").read_bytes() == bucket_server.read(
        bucket, "backups/2026-12/spring/answers.csv"
    )
    missing = machine("two", "import", "storage:2026-11", "--round", "Other")
    assert missing.returncode == 2 and "backups/2026-11: is not a whole backup" in missing.stderr, missing.stderr
    for name in ("storage:../outside", "storage:a b", "storage:"):
        refused = machine("two", "export-round", "Spring", "--out", name)
        assert refused.returncode == 2 and "name a backup with letters" in refused.stderr, (name, refused.stderr)


def reports_lost_from_storage_are_made_again(world: World) -> None:
    """The current build's files lost from storage: the reader is sent back to the page, which says the report
    is being made again, and a worker makes it. A reader still holding a build a newer one has replaced (its
    files removed as the reader came to them) is sent back to the newer one, and nothing is made again."""
    submitted(world, "5")
    admin = signed_in(world.admin)
    report = reverse("national_report", kwargs={"round_id": world.round.pk})
    admin.get(report)
    run_worker()
    first = ReportBuild.objects.get(kind=ReportBuild.NATIONAL)
    files.delete_folder(first.location)
    again = admin.get(report)
    assert again.status_code == 302 and again["Location"] == report
    assert "being prepared" in admin.get(report).content.decode()
    pdf = admin.get(reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "pdf"}))
    assert pdf.status_code == 200 and "being prepared" in pdf.content.decode()
    run_worker()
    remade = ReportBuild.objects.get(kind=ReportBuild.NATIONAL)
    assert remade.pk == first.pk and remade.status == ReportBuild.DONE and remade.location != first.location
    assert "The mean score was 5.00." in admin.get(report).content.decode()
    # A newer build replaces it while a reader holds it: the reader's read fails, and nothing is made again.
    newcomer = Respondent.objects.create(trust=world.trust_a, code="P2", sector="health", audience="front_line")
    page = q.pages(world.round.framework, "front_line")[0]
    q.save_page(newcomer, page, {question.id: "1" for question in page.questions})
    q.submit(newcomer)
    admin.get(report)
    run_worker()
    reads = AuditEvent.objects.filter(action=Action.NATIONAL_REPORT_READ).count()
    with pytest.raises(reporting.FilesGone):
        reporting.national_report_page(remade, world.admin)
    assert AuditEvent.objects.filter(action=Action.NATIONAL_REPORT_READ).count() == reads  # a failed read: none
    (current,) = ReportBuild.objects.filter(kind=ReportBuild.NATIONAL)
    assert current.pk != remade.pk and current.status == ReportBuild.DONE
    assert not ReportBuild.objects.exclude(status=ReportBuild.DONE).exists()
    assert "An update" not in admin.get(report).content.decode()


def test_reports_lost_from_the_bucket_are_made_again(world: World, bucket: str) -> None:
    reports_lost_from_storage_are_made_again(world)


def test_reports_lost_from_the_folder_are_made_again(world: World) -> None:
    reports_lost_from_storage_are_made_again(world)
