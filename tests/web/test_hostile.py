"""Hostile input through the web application gets a clear answer, the same on SQLite and PostgreSQL (make test
runs these on both), never a 500; and what leaves the service is safe to open in a spreadsheet.
"""

from __future__ import annotations

import html
from email.message import Message
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from selfassess.responses import COLUMNS, InvalidResponses
from selfassess.web.models import AuditEvent, Coordinator, Respondent, Round, Trust
from selfassess.web.services import questionnaire as q
from selfassess.web.services.backup import export_round, import_round
from selfassess.web.services.reporting import national_reports
from tests.conftest import long_csv
from tests.responses import bombs
from tests.spreadsheets import assert_csv_safe, csv_fields
from tests.web.conftest import World, date_fields, run_worker, signed_in

HOSTILE_IDS = ['=HYPERLINK("http://x","y")', "+1+1", "-1+2", "@SUM(1+1)"]


def upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(reverse("trust_upload"), {"workbook": SimpleUploadedFile(name, content)})


def hostile_forms(trust: str = "TA") -> bytes:
    """A long-form CSV of those ids, quoted as a spreadsheet would save it (they hold commas and quotes)."""
    rows = [(trust, rid, "health", "front_line", q, "3") for rid in HOSTILE_IDS for q in ("Q2", "Q3")]
    return pl.DataFrame(rows, schema=list(COLUMNS), orient="row").write_csv().encode()


def test_formula_ids_from_an_upload_leave_as_text_in_every_csv(world: World, tmp_path: Path) -> None:
    coordinator, admin = signed_in(world.coordinator_a), signed_in(world.admin)
    assert upload(coordinator, "forms.csv", hostile_forms()).status_code == 200
    assert Respondent.objects.filter(code__in=HOSTILE_IDS).count() == len(HOSTILE_IDS)
    text = admin.get(reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "answers.csv"}))
    answers = b"".join(text.streaming_content).decode()
    assert_csv_safe(answers)
    assert '\'=HYPERLINK("http://x","y")' in csv_fields(answers)
    # A link made before links were derived is kept as its hash, which one database can hold only once.
    Respondent.objects.filter(pk=world.respondent_a.pk).update(token_hash=Respondent.hash_token("an-old-link"))
    export_round(world.round, tmp_path / "backup")
    assert_csv_safe((tmp_path / "backup" / "answers.csv").read_text())
    with pytest.raises(InvalidResponses, match="invitation links are already in this database"):
        import_round(tmp_path / "backup", "Restored")
    world.round.delete()  # as restoring into a new database
    restored, loaded = import_round(tmp_path / "backup", "Restored")
    assert loaded["answers"] == 2 * len(HOSTILE_IDS)
    assert set(Respondent.objects.filter(trust__round=restored).values_list("code", flat=True)) >= set(HOSTILE_IDS)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (long_csv([("TA", "R\x001", "health", "front_line", "Q2", "3")]), "line 2: the respondent id contains a"),
        (long_csv([("TA", "R" * 81, "health", "front_line", "Q2", "3")]), "line 2: the respondent id is 81 char"),
    ],
)
def test_uploads_with_control_characters_or_long_ids_are_refused_by_line(
    world: World, content: str, expected: str
) -> None:
    response = upload(signed_in(world.coordinator_a), "forms.csv", content.encode())
    assert response.status_code == 400 and expected in response.content.decode()
    assert not Respondent.objects.filter(source=Respondent.PAPER).exists()


def test_a_workbook_bomb_upload_is_refused_in_words(world: World, tmp_path: Path) -> None:
    path = bombs.far_row(world.round.framework, tmp_path / "bomb.xlsx")
    response = upload(signed_in(world.coordinator_a), "bomb.xlsx", path.read_bytes())
    assert response.status_code == 400
    assert "reaches down to row 20,000,000" in response.content.decode()


def test_an_upload_larger_than_any_we_take_is_dropped_as_it_arrives(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("selfassess.web.uploads.MAX_BYTES", 10_000)
    response = upload(signed_in(world.coordinator_a), "forms.csv", b"x" * 200_000)
    assert response.status_code == 400
    assert "The file forms.csv is larger than 0 MB" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"code": "T\x00C", "name": "Trust C"}, "The trust id contains a control character"),
        ({"code": "TC", "name": "Trust\nC"}, "The trust's name contains a control character"),
        ({"code": "T" * 81, "name": "Trust C"}, "The trust id is 81 characters long; it can be at most 80"),
        ({"code": "TC", "name": "N" * 201}, "The trust's name is 201 characters long; it can be at most 200"),
    ],
)
def test_trust_forms_refuse_control_characters_and_long_values(
    world: World, fields: dict[str, str], expected: str
) -> None:
    response = signed_in(world.admin).post(reverse("national_add_trusts", kwargs={"round_id": world.round.pk}), fields)
    assert response.status_code == 400 and expected in html.unescape(response.content.decode())
    assert Trust.objects.filter(round=world.round).count() == 2


def test_round_and_invitation_forms_refuse_control_characters_and_long_values(world: World) -> None:
    admin = signed_in(world.admin)
    for name in ("R" * 81, "Autumn\x00", "Aut\r\numn"):
        response = admin.post(
            reverse("national_rounds"), {"name": name, **date_fields(opens_on="2027-01-01", closes_on="2027-02-01")}
        )
        assert response.status_code == 400, name
    assert Round.objects.count() == 1
    for email in (f"{'a' * 150}@example.org", "a\x00@example.org"):
        response = admin.post(
            reverse("national_invite", kwargs={"round_id": world.round.pk}), {"email": email, "trust": world.trust_a.pk}
        )
        assert response.status_code == 400 and "e-mail address" in response.content.decode()
    assert Coordinator.objects.count() == 2


def test_a_framework_upload_with_a_nul_byte_is_refused_with_its_place(world: World) -> None:
    framework = world.round.framework_source.replace("title: ", "title: \x00", 1)
    response = signed_in(world.admin).post(
        reverse("national_rounds"),
        {
            "name": "Other",
            **date_fields(opens_on="2027-01-01", closes_on="2027-02-01"),
            "framework": SimpleUploadedFile("framework.yaml", framework.encode()),
        },
    )
    assert response.status_code == 400 and "line 13, column 8: a control character" in response.content.decode()


def test_the_trusts_csv_reads_old_mac_line_ends_and_refuses_a_workbook(world: World, tmp_path: Path) -> None:
    admin = signed_in(world.admin)
    url = reverse("national_add_trusts", kwargs={"round_id": world.round.pk})
    mac = admin.post(url, {"trusts": SimpleUploadedFile("trusts.csv", b"code,name\rTC,Trust C\rTD,Trust D\r")})
    assert mac.status_code == 200 and Trust.objects.filter(round=world.round, code__in=["TC", "TD"]).count() == 2
    workbook = bombs.many_forms(world.round.framework, tmp_path / "trusts.xlsx", 1).read_bytes()
    refused = admin.post(url, {"trusts": SimpleUploadedFile("trusts.csv", workbook)})
    assert refused.status_code == 400 and "is an Excel workbook, not a CSV file" in refused.content.decode()
    bad = admin.post(url, {"trusts": SimpleUploadedFile("trusts.csv", b"code,name\nT\x00E,Trust E\n")})
    assert bad.status_code == 400 and "line 2: the trust id contains a control character" in bad.content.decode()
    assert Trust.objects.filter(round=world.round).count() == 4


def test_the_answers_file_name_is_a_well_formed_header(world: World) -> None:
    Round.objects.filter(pk=world.round.pk).update(name='Round "one"; two')
    response = signed_in(world.admin).get(
        reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "answers.csv"})
    )
    header = Message()
    header["Content-Disposition"] = response["Content-Disposition"]
    assert header.get_filename() == 'Round "one"; two-answers.csv'


def test_an_unknown_download_is_not_found_and_not_recorded(world: World) -> None:
    admin = signed_in(world.admin)
    before = AuditEvent.objects.count()
    for kind in ("nonsense", "x" * 300):
        response = admin.get(reverse("national_download", kwargs={"round_id": world.round.pk, "kind": kind}))
        assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_refused_change_leaves_no_audit_record(world: World) -> None:
    admin = signed_in(world.admin)
    before = AuditEvent.objects.count()
    url = reverse("national_add_trusts", kwargs={"round_id": world.round.pk})
    assert admin.post(url, {"code": "TA", "name": "Again"}).status_code == 400  # the id is taken
    assert AuditEvent.objects.count() == before
    assert admin.post(url, {"code": "TC", "name": "Trust C"}).status_code == 200
    assert AuditEvent.objects.latest("id").action == "added trusts"


def test_sign_in_refuses_a_nul_byte_and_a_long_user_name_without_an_error(world: World) -> None:
    for username in ("admin\x00@example.org", "a" * 300):
        response = Client().post(reverse("login"), {"username": username, "password": "x"})
        assert response.status_code == 200  # the form says what is wrong; nothing reaches the database


def test_a_coordinator_report_never_shows_one_person_as_the_nation(world: World) -> None:
    """The leak: one person submitted nationally, and the national column was exactly their means."""
    _submit(world.respondent_a, world.round.framework)
    coordinator = signed_in(world.coordinator_a)
    assert "is being prepared" in coordinator.get(reverse("trust_report")).content.decode()
    run_worker()
    page = coordinator.get(reverse("trust_report")).content.decode()
    national = page[page.index('id="trust-practices"') :]
    national = national[: national.index("</table>")]
    assert "3.00" not in national and national.count("withheld") >= 2 * len(world.round.framework.scopes)


def _submit(respondent: Respondent, framework: Any, answer: str = "3") -> None:
    for page in q.pages(framework, respondent.audience):
        assert not q.save_page(respondent, page, {question.id: answer for question in page.questions})
    q.submit(respondent)


def _current_set(round: Round, downloads: bool = False) -> str:
    """The storage folder of the round's current national set, made by a worker (its PDF too, with `downloads`)."""
    ready = national_reports(round)
    assert ready is not None and ready.preparing is not None  # asked for: a worker makes it
    run_worker(downloads)
    ready = national_reports(round)
    assert ready is not None and ready.build is not None and ready.preparing is None
    location: str = ready.build.location
    return location


def test_report_sets_for_superseded_states_of_the_data_are_removed(world: World, settings: Any) -> None:
    _submit(world.respondent_a, world.round.framework)
    first = Path(settings.MEDIA_ROOT) / _current_set(world.round, downloads=True)
    assert (first / "national-report.pdf").exists()
    q.set_about_you(world.respondent_b, "youth", "front_line")
    world.respondent_b.refresh_from_db()
    _submit(world.respondent_b, world.round.framework, "4")
    second = Path(settings.MEDIA_ROOT) / _current_set(world.round)
    assert (second / "national-report.html").exists()
    assert not first.exists()  # the old set is gone; only the current one is kept
    assert [p.name for p in second.parent.iterdir()] == [second.name]
