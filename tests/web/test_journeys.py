"""The three journeys through the views, and the answers given reaching the reports."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook
from pypdf import PdfReader

from selfassess.cli import main
from selfassess.web.models import Answer, AuditEvent, ReportBuild, Respondent, Round
from selfassess.web.services import questionnaire as q
from selfassess.web.services.audit import Action
from selfassess.web.services.data import table_for
from selfassess.web.services.invitations import respondent_for_token
from selfassess.web.services.questionnaire import pages
from tests.web.conftest import World, date_fields, run_worker, signed_in


def found(token: str) -> Respondent:
    respondent = respondent_for_token(token)
    assert respondent is not None
    return respondent


def answer_all(client: Client, token: str, world: World, answer: str = "4") -> None:
    audience = found(token).audience
    for page in q.pages(world.round.framework, audience):
        url = reverse("respond_section", kwargs={"token": token, "number": page.number})
        response = client.post(url, {question.id: answer for question in page.questions} | {"then": "next"})
        assert response.status_code == 302


def test_a_respondent_answers_leaves_comes_back_and_submits(world: World) -> None:
    client = Client()
    start = client.get(reverse("respond_start", kwargs={"token": world.token_b}))
    assert b"Who sees your answers" in start.content
    # Link B has no sector or role yet: asked first, and refused until both are chosen.
    refused = client.post(reverse("respond_about_you", kwargs={"token": world.token_b}), {"sector": "youth"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert '<a href="#audience">Select your role (leaders and managers or front line staff)</a>' in html
    assert 'id="audience-error"' in html and "<title>Error: About you" in html
    assert 'id="sector-youth" name="sector" type="radio" value="youth" checked' in html  # what was chosen is kept
    client.post(
        reverse("respond_about_you", kwargs={"token": world.token_b}), {"sector": "youth", "audience": "front_line"}
    )
    first = reverse("respond_section", kwargs={"token": world.token_b, "number": 1})
    page = client.get(first).content.decode()
    asked = q.pages(world.round.framework, "front_line")
    total = sum(len(p.questions) for p in asked)
    assert total < len(world.round.framework.questions)  # front line staff are not asked the leaders' questions
    first_question = asked[0].questions[0]
    assert "Section 1 of 5" in page
    assert f'Question 1 of {total} <span class="govuk-visually-hidden">({first_question.id})</span>' in page
    # Each described score's description is the hint of its own radio; unscored answers follow an "or".
    described = first_question.descriptors["1"]
    assert f'aria-describedby="{first_question.id}-1-hint"' in page
    assert f'<div id="{first_question.id}-1-hint" class="govuk-hint govuk-radios__hint">{described}</div>' in page
    assert page.index('<div class="govuk-radios__divider">or</div>') < page.index(f'id="{first_question.id}-NA"')
    assert page.count('class="govuk-radios__divider"') == len(asked[0].questions)
    assert "Q1." not in page  # stage A is for leaders and managers only
    saved = client.post(first, {"Q2": "3", "Q3": "na", "then": "later"})
    assert b"Your answers are saved" in saved.content
    # A new browser, the same link: the answers are still there.
    again = Client().get(first).content.decode()
    assert 'id="Q2-3" name="Q2" type="radio" value="3" checked' in again
    assert 'id="Q3-NA" name="Q3" type="radio" value="NA" checked' in again
    answer_all(client, world.token_b, world)
    check = client.get(reverse("respond_check", kwargs={"token": world.token_b})).content.decode()
    assert "Check your answers" in check and "Youth" in check and "Front line staff" in check
    done = client.post(reverse("respond_check", kwargs={"token": world.token_b}))
    assert done.status_code == 302 and done["Location"].endswith("/submitted/")
    assert b"Answers submitted" in client.get(done["Location"]).content
    # Submitted: the link now says so, and nothing can be changed.
    assert b"You have already submitted" in client.get(first).content
    before = Answer.objects.filter(respondent=found(world.token_b)).count()
    client.post(first, {"Q2": "1", "then": "next"})
    after = Answer.objects.filter(respondent=found(world.token_b))
    assert after.count() == before and after.get(question="Q2").answer == "4"


def test_a_bad_answer_is_refused_with_nothing_saved(world: World) -> None:
    client = Client()
    url = reverse("respond_section", kwargs={"token": world.token_a, "number": 1})
    response = client.post(url, {"Q2": "9", "Q3": "4", "then": "next"})
    assert response.status_code == 400 and b"There is a problem" in response.content
    assert not Answer.objects.filter(respondent=world.respondent_a).exists()


def test_a_closed_round_says_so(world: World) -> None:
    Round.objects.filter(pk=world.round.pk).update(closed_at=timezone.now())
    page = Client().get(reverse("respond_start", kwargs={"token": world.token_a}))
    assert b"round is closed" in page.content


def test_submitted_answers_appear_in_the_national_and_trust_reports(world: World) -> None:
    client = Client()
    answer_all(client, world.token_a, world, answer="5")
    assert table_for(world.round) is None  # saved but not submitted: not counted yet
    client.post(reverse("respond_check", kwargs={"token": world.token_a}))
    table = table_for(world.round)
    assert table is not None and table.trusts == ("TA",)
    admin = signed_in(world.admin)
    download = reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "json"})
    asked = admin.get(download)  # made by a task worker, not in the request
    waiting = asked.content.decode()
    assert "The national report is being prepared" in waiting and "waiting its turn" in waiting
    assert asked["Refresh"] == "5"  # checks again by itself, without a script ...
    assert f'href="{download}">check now' in waiting
    stop = admin.get(download + "?refresh=off")  # ... unless the reader turns that off
    assert "Refresh" not in stop and "does not check by itself" in stop.content.decode()
    run_worker()
    results = json.loads(b"".join(admin.get(download).streaming_content))
    assert results["scopes"]["overall"]["responses"]["all"]["mean"] == 5.0
    assert results["counts"]["respondents"]["front_line"] == 1
    html = admin.get(reverse("national_report", kwargs={"round_id": world.round.pk})).content.decode()
    assert "The mean score was 5.00." in html and "Provisional" in html
    trust_page = signed_in(world.coordinator_a).get(reverse("trust_report")).content.decode()
    assert "TA: self assessment report" in trust_page
    assert "withheld" in trust_page  # one respondent: every figure is withheld
    # The administrator reads any trust's report from its page, the same report its coordinator reads.
    at = {"round_id": world.round.pk, "trust_id": world.trust_a.pk}
    assert (
        reverse("national_trust_report", kwargs=at) in admin.get(reverse("national_trust", kwargs=at)).content.decode()
    )
    admin_page = admin.get(reverse("national_trust_report", kwargs=at)).content.decode()
    start = trust_page.index("<h1>")
    assert admin_page[admin_page.index("<h1>") :][:5000] == trust_page[start:][:5000]
    read = AuditEvent.objects.filter(action=Action.TRUST_REPORT_READ, actor=world.admin.username, trust=world.trust_a)
    assert "Back to" in admin_page and read.exists()
    pdf = admin.get(reverse("national_trust_report_pdf", kwargs=at))  # made by a worker
    assert pdf.status_code == 200 and "is being prepared" in pdf.content.decode()
    run_worker()
    pdf = admin.get(reverse("national_trust_report_pdf", kwargs=at))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # Every trust's PDF in one zip: made by a worker, then streamed from its file.
    every = reverse("national_trust_pdfs", kwargs={"round_id": world.round.pk})
    assert "is being prepared" in admin.get(every).content.decode()
    run_worker()
    bundle = admin.get(every)
    assert bundle["Content-Type"] == "application/zip" and hasattr(bundle, "streaming_content")
    with zipfile.ZipFile(io.BytesIO(b"".join(bundle.streaming_content))) as opened:
        assert opened.namelist() == ["TA.pdf"] and opened.read("TA.pdf").startswith(b"%PDF")
    answers = admin.get(reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "answers.csv"}))
    lines = b"".join(answers.streaming_content).decode().splitlines()
    assert lines[0] == "trust,respondent,sector,audience,question,answer" and len(lines) == 1 + 49


def test_once_a_version_exists_readers_never_wait(world: World) -> None:
    """A new answer: the national and trust pages serve the last complete version, saying what it holds and
    that an update is being made; the waiting page (before any version) says how far the build has gone."""
    client = Client()
    answer_all(client, world.token_a, world, answer="5")
    client.post(reverse("respond_check", kwargs={"token": world.token_a}))
    admin, coordinator = signed_in(world.admin), signed_in(world.coordinator_a)
    report = reverse("national_report", kwargs={"round_id": world.round.pk})
    admin.get(report)
    ReportBuild.objects.update(status=ReportBuild.RUNNING, started_at=timezone.now(), progress="trust reports: 1 of 1")
    assert "Now trust reports: 1 of 1." in admin.get(report).content.decode()
    ReportBuild.objects.update(status=ReportBuild.PENDING, started_at=None, progress="")
    run_worker()
    assert ReportBuild.objects.get(kind=ReportBuild.NATIONAL).responses == 1
    assert "An update" not in admin.get(report).content.decode()
    # Another person submits: a new state of the data.
    newcomer = Respondent.objects.create(trust=world.trust_a, code="P2", sector="health", audience="front_line")
    page = q.pages(world.round.framework, "front_line")[0]
    q.save_page(newcomer, page, {page.questions[0].id: "1"})
    q.submit(newcomer)
    for reader, url in ((admin, report), (coordinator, reverse("trust_report"))):
        shown = reader.get(url)
        text = html.unescape(shown.content.decode())
        assert shown.status_code == 200 and "being prepared" not in text
        assert "This version counts the 1 questionnaire submitted by" in text
        assert "An update with newer answers is being made" in text
    run_worker()
    text = html.unescape(admin.get(report).content.decode())
    assert "An update" not in text and "being prepared" not in text
    assert ReportBuild.objects.get(kind=ReportBuild.NATIONAL).responses == 2  # the earlier set is removed


@pytest.mark.django_db(transaction=True)  # the command's worker closes its connections between tasks
def test_the_national_pdf_and_workbook_are_the_downloads_queues_work(world: World) -> None:
    """`selfassess worker --queue default` makes and serves the pages without them; a worker that died before
    queueing them is made good once the build is stale; `--queue downloads` makes them."""
    client = Client()
    answer_all(client, world.token_a, world, answer="5")
    client.post(reverse("respond_check", kwargs={"token": world.token_a}))
    admin = signed_in(world.admin)
    report = reverse("national_report", kwargs={"round_id": world.round.pk})
    admin.get(report)
    assert main(["worker", "--until-done", "--queue", "default"]) == 0
    first = ReportBuild.objects.get(kind=ReportBuild.NATIONAL)
    assert first.status == ReportBuild.DONE and first.pdf_done_at is None
    assert "The mean score was 5.00." in admin.get(report).content.decode()
    pdf = reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "pdf"})
    waiting = admin.get(pdf)
    assert waiting.status_code == 200 and "PDF is being prepared" in html.unescape(waiting.content.decode())
    # The worker died after serving the pages, before it queued the PDF and workbook: asked for again, once
    # the build is stale.
    assert DBTaskResult.objects.filter(queue_name="downloads").delete()[0] == 1
    assert "PDF is being prepared" in html.unescape(admin.get(pdf).content.decode())
    assert not DBTaskResult.objects.filter(queue_name="downloads").exists()  # not yet stale
    ReportBuild.objects.filter(pk=first.pk).update(finished_at=timezone.now() - dt.timedelta(minutes=30))
    assert "PDF is being prepared" in html.unescape(admin.get(pdf).content.decode())
    # Someone else submits: the newer set's pages come before the older set's PDF, for a worker taking both.
    newcomer = Respondent.objects.create(trust=world.trust_a, code="P2", sector="health", audience="front_line")
    page = q.pages(world.round.framework, "front_line")[0]
    q.save_page(newcomer, page, {page.questions[0].id: "1"})
    q.submit(newcomer)
    admin.get(report)
    both = ",".join(django_settings.TASKS["default"]["QUEUES"])
    call_command("db_worker", "--queue-name", both, "--batch", "--max-tasks", "1", verbosity=0)
    newer = ReportBuild.objects.get(kind=ReportBuild.NATIONAL)  # the first is replaced
    assert newer.responses == 2 and newer.pdf_done_at is None
    assert main(["worker", "--until-done", "--queue", "downloads"]) == 0
    assert admin.get(pdf)["Content-Type"] == "application/pdf"
    xlsx = admin.get(reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "xlsx"}))
    assert xlsx["Content-Disposition"].endswith('national-tables.xlsx"')
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


def test_coordinator_uploads_a_workbook_with_an_error_then_a_good_one(world: World) -> None:
    client = signed_in(world.coordinator_a)
    template = client.get(reverse("trust_data_entry"))
    assert template.status_code == 200

    def workbook(answer: object) -> io.BytesIO:
        book = Workbook()
        sheet = book.active
        sheet.title = "Responses"
        sheet.append(["trust", "respondent", "sector", "audience", *world.round.framework.question_ids])
        sheet.append(["TA", "P1", "health", "leader_manager", 3, answer])
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        out.name = "forms.xlsx"
        return out

    bad = client.post(reverse("trust_upload"), {"workbook": workbook(7)})
    assert bad.status_code == 400
    assert "sheet 'Responses', cell F2: answer '7' is not allowed" in html.unescape(bad.content.decode())
    assert not Respondent.objects.filter(code="P1").exists()
    good = client.post(reverse("trust_upload"), {"workbook": workbook("DK")})
    assert good.status_code == 200 and b"Loaded 1 paper form (" in good.content
    paper = Respondent.objects.get(code="P1")
    assert paper.source == Respondent.PAPER and paper.submitted_at is not None
    assert dict(paper.answers.values_list("question", "answer")) == {"Q1": "3", "Q2": "DK"}
    other = client.post(reverse("trust_upload"), {"workbook": workbook("DK")})
    assert b"already in the round" in other.content


def test_coordinator_cannot_upload_another_trusts_forms(world: World) -> None:
    client = signed_in(world.coordinator_a)
    csv = "trust,respondent,sector,audience,question,answer\nTB,X1,health,front_line,Q2,3\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "forms.csv"
    response = client.post(reverse("trust_upload"), {"workbook": upload})
    assert b"upload only TA" in response.content
    assert not Respondent.objects.filter(code="X1").exists()


def test_administrator_sets_up_and_closes_a_round(world: World) -> None:
    admin = signed_in(world.admin)
    made = admin.post(
        reverse("national_rounds"), {"name": "2027", **date_fields(opens_on="2027-01-01", closes_on="2026-12-01")}
    )
    assert made.status_code == 400 and b"closing date must be on or after" in made.content
    made = admin.post(
        reverse("national_rounds"), {"name": "2027", **date_fields(opens_on="2027-01-01", closes_on="2027-03-01")}
    )
    round = Round.objects.get(name="2027")
    assert made.status_code == 302
    trusts = io.BytesIO(b"code,name\nN1,Northshire\nS1,Southshire\n")
    trusts.name = "trusts.csv"
    assert (
        admin.post(reverse("national_add_trusts", kwargs={"round_id": round.pk}), {"trusts": trusts}).status_code == 200
    )
    assert list(round.trusts.values_list("code", flat=True)) == ["N1", "S1"]
    north = round.trusts.get(code="N1")
    invited = admin.post(
        reverse("national_invite", kwargs={"round_id": round.pk}), {"email": "n@example.org", "trust": north.pk}
    )
    assert b"set-password" in invited.content and not mail.outbox  # sent by a task worker, not the request
    from django_tasks_db.models import DBTaskResult

    queued = " ".join(str(t.args_kwargs) for t in DBTaskResult.objects.all())
    assert "set-password" not in queued  # the worker makes the e-mail's link: the queue never holds one
    run_worker()
    assert len(mail.outbox) == 1 and "/set-password/" in mail.outbox[0].body
    assert "Northshire" in mail.outbox[0].body and round.name in mail.outbox[0].body
    link = next(word for word in mail.outbox[0].body.split() if "/set-password/" in word)
    path = link.split("testserver")[-1]
    visitor = Client()
    form = visitor.get(path, follow=True)
    assert b"Set your password" in form.content
    done = visitor.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"new_password1": "a fresh long password 1", "new_password2": "a fresh long password 1"},
    )
    assert done.status_code == 302
    signed = visitor.post(reverse("login"), {"username": "n@example.org", "password": "a fresh long password 1"})
    assert signed.status_code == 302
    assert b"Northshire" in visitor.get(reverse("trust_dashboard")).content
    admin.post(reverse("national_close", kwargs={"round_id": round.pk}))
    round.refresh_from_db()
    assert round.closed_at is not None and not round.is_open


def test_pdfs_are_made_by_a_worker_and_then_served(world: World) -> None:
    client = Client()
    answer_all(client, world.token_a, world, answer="4")
    client.post(reverse("respond_check", kwargs={"token": world.token_a}))
    coordinator = signed_in(world.coordinator_a)
    for name in ("trust_report_pdf", "trust_paper_form"):
        waiting = coordinator.get(reverse(name))
        assert waiting.status_code == 200 and b"is being prepared" in waiting.content
    run_worker()
    for name, words in (("trust_report_pdf", "TA: self assessment report"), ("trust_paper_form", "Trust A")):
        response = coordinator.get(reverse(name))
        data = b"".join(response.streaming_content)
        assert data.startswith(b"%PDF")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert words in text, name


def test_carry_on_goes_to_the_first_unanswered_question_and_the_start_page_is_a_task_list(world: World) -> None:
    """4 of a section's questions answered, then 'Save and come back later': the returning person's start page
    lists every section with its status, and 'Carry on' goes to the first question left, not the next section."""
    client = Client()
    start = reverse("respond_start", kwargs={"token": world.token_a})
    section = [reverse("respond_section", kwargs={"token": world.token_a, "number": n}) for n in range(1, 6)]
    new = client.get(start).content.decode()
    assert f'href="{section[0]}"' in new and "govuk-task-list" not in new  # a new person: "Start now"
    asked = pages(world.round.framework, "front_line")
    first = asked[0].questions
    answered = {q.id: "3" for q in first[:2] + first[3:5]}  # the third left out
    client.post(section[0], answered | {"then": "later"})
    page = html.unescape(client.get(start).content.decode())
    assert "Welcome back" in page
    carry_on = re.search(r'href="([^"]+)"[^>]*>Carry on<', page)
    assert carry_on is not None and carry_on.group(1) == f"{section[0]}#question-{first[2].id}"
    statuses = re.findall(r'id="section-\d-status">(?:<strong[^>]*>)?([^<]+)<', page)
    assert statuses == [f"4 of {len(first)} answered"] + ["Not started"] * (len(asked) - 1)
    # The person's own count of questions, not the framework's.
    total = sum(len(p.questions) for p in asked)
    assert f"You have {total} questions in 5 sections" in page
    # Every question of the first two sections answered: on to the first of the third.
    client.post(section[0], {q.id: "DK" for q in first} | {"then": "next"})
    client.post(section[1], {q.id: "2" for q in asked[1].questions} | {"then": "next"})
    page = html.unescape(client.get(start).content.decode())
    assert re.search(r'href="([^"]+)"[^>]*>Carry on<', page).group(1) == section[2]  # type: ignore[union-attr]
    assert "Completed" in page
    check = client.get(reverse("respond_check", kwargs={"token": world.token_a})).content.decode()
    left = total - len(first) - len(asked[1].questions)
    assert f"You have not answered {left} questions" in check
    assert 'href="/r/' in check and f"?from=check#{asked[2].questions[0].id}-1" in check


def test_a_questionnaire_with_no_answers_cannot_be_submitted(world: World) -> None:
    client = Client()
    response = client.post(reverse("respond_check", kwargs={"token": world.token_a}))
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#section-1">Answer at least one question before you submit</a>' in html
    world.respondent_a.refresh_from_db()
    assert world.respondent_a.submitted_at is None


def test_a_bad_answer_is_named_beside_its_question(world: World) -> None:
    url = reverse("respond_section", kwargs={"token": world.token_a, "number": 1})
    html = Client().post(url, {"Q2": "9", "then": "next"}).content.decode()
    assert '<a href="#Q2-1">Q2: choose one of the answers, or none</a>' in html
    assert 'id="Q2-error"' in html and "govuk-form-group--error" in html
