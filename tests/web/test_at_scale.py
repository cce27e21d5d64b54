"""Coordinators and administrators at scale: the quota grid's role headings and under-quota marks, the national
responses page sorted, filtered, with national rates and a CSV, and the invitation list filtered and paged."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from selfassess.web.models import Coordinator, Respondent
from selfassess.web.services import invitations, responses
from selfassess.web.services.audit import COMMAND_LINE
from tests.web.conftest import World, make_trust, signed_in


def submit(trust: object, code: str, sector: str, audience: str) -> None:
    Respondent.objects.create(
        trust=trust, code=code, sector=sector, audience=audience, started_at=timezone.now(), submitted_at=timezone.now()
    )


def test_the_quota_grid_has_role_headings_and_marks_cells_under_quota(world: World) -> None:
    framework = world.round.framework
    quota = framework.quota[framework.audiences[0].id]
    for n in range(quota):
        submit(world.trust_a, f"P{n}", framework.sectors[0].id, framework.audiences[0].id)
    page = html.unescape(signed_in(world.coordinator_a).get(reverse("trust_dashboard")).content.decode())
    headings = re.findall(
        r'<th scope="col" class="govuk-table__header govuk-table__header--numeric">([^<]+)</th>', page
    )
    assert headings[: len(framework.audiences)] == [a.title for a in framework.audiences]
    cells = len(framework.sectors) * len(framework.audiences)
    assert page.count("app-under-quota") == cells - 1  # every cell but the one met
    assert f"{quota} of {quota} " in page


def test_the_responses_page_sorts_filters_and_defines_the_rate(world: World) -> None:
    framework = world.round.framework
    third = make_trust(world.round, "TC", "Trust C")
    for n in range(3):
        submit(third, f"C{n}", framework.sectors[1].id, framework.audiences[-1].id)
    submit(world.trust_a, "A1", framework.sectors[0].id, framework.audiences[0].id)
    admin = signed_in(world.admin)
    url = reverse("national_responses", kwargs={"round_id": world.round.pk})

    def order(query: str) -> list[str]:
        page = admin.get(url + query).content.decode()
        return re.findall(
            r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]+">(\w+):', page
        )

    assert order("") == ["TA", "TB", "TC"]
    assert order("?sort=submitted&order=descending") == ["TC", "TA", "TB"]
    assert order("?sort=submitted") == ["TB", "TA", "TC"]
    assert order("?sort=nonsense&show=nonsense") == ["TA", "TB", "TC"]
    assert order("?show=no-coordinator") == ["TC"]  # A and B have coordinators
    Coordinator.objects.create(user=world.coordinator_a, trust=third)
    assert order("?show=no-coordinator") == []
    page = html.unescape(admin.get(url).content.decode())
    assert "The response rate is the questionnaires submitted as a share of those asked for" in page
    assert (
        'aria-sort="ascending"' in page
        and f'href="{reverse("national_trust", args=[world.round.pk, third.pk])}"' in page
    )
    target = sum(framework.quota.values()) * len(framework.sectors)
    assert f"4 of {3 * target:,} questionnaires" in page
    # National rates: the role of C's three, against that role's quota over every trust.
    last = framework.audiences[-1]
    role_target = framework.quota[last.id] * len(framework.sectors) * 3
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    expected = (
        f'<th scope="row" class="govuk-table__header">{last.title}</th>'
        f"{numeric}3</td>{numeric}{role_target:,}</td>{numeric}{100 * 3 // role_target}%</td>"
    )
    assert expected in page
    rows = list(csv.DictReader(io.StringIO(admin.get(url.rstrip("/") + ".csv").content.decode())))
    assert [(r["trust"], r["submitted"], r["quota"]) for r in rows] == [
        ("TA", "1", str(target)),
        ("TB", "0", str(target)),
        ("TC", "3", str(target)),
    ]


def test_rates_are_rounded_down(world: World) -> None:
    row = responses.TrustRow(world.trust_a, 39, 0, 0, 1, 40)
    assert row.rate == 97 and responses.TrustRow(world.trust_a, 40, 0, 0, 1, 40).rate == 100


def test_an_address_already_invited_is_refused_by_line_or_replaced(world: World) -> None:
    header = "label,email,sector,role\n"
    invitations.invitations_from_csv(world.trust_a, (header + "Ann,ann@example.org,,\n").encode(), actor=COMMAND_LINE)
    ann = Respondent.objects.get(email="ann@example.org")
    link = invitations.link_token(ann)
    coordinator = signed_in(world.coordinator_a)
    again = io.BytesIO((header + "Bob,bob@example.org,,\nAnn Smith,ANN@example.org,Health,\n").encode())
    again.name = "people.csv"
    refused = coordinator.post(reverse("trust_invitations_upload"), {"people": again})
    text = html.unescape(refused.content.decode())
    assert refused.status_code == 400 and "line 3: ann@example.org is already invited (W0002)" in text
    assert not Respondent.objects.filter(email="bob@example.org").exists()  # all or nothing
    again.seek(0)
    replaced = coordinator.post(reverse("trust_invitations_upload"), {"people": again, "replace": "yes"})
    assert replaced.status_code == 200
    ann.refresh_from_db()
    assert (ann.label, ann.sector) == ("Ann Smith", "health") and invitations.link_token(ann) == link
    assert Respondent.objects.filter(email="ann@example.org").count() == 1
    assert Respondent.objects.filter(email="bob@example.org").count() == 1


def test_a_forgotten_password_is_reset_by_e_mail_through_django_s_own_views(world: World) -> None:
    from django.core import mail
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from tests.web.conftest import run_worker

    client = Client()
    assert 'href="/forgot-password/"' in client.get(reverse("login")).content.decode()
    refused = client.post(reverse("password_reset"), {"email": "not\x00an address"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    for email in ("A@example.org", "nobody@example.org"):  # the same answer whether or not there is an account
        done = client.post(reverse("password_reset"), {"email": email})
        assert done.status_code == 302 and done["Location"] == reverse("password_reset_done")
    assert mail.outbox == []  # a worker writes it, making the link there
    assert not any("set-password" in str(t.args_kwargs) for t in DBTaskResult.objects.all())
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["a@example.org"]
    link = re.search(r"http://testserver(/set-password/\S+)", message.body)
    assert link is not None
    chosen = client.get(link.group(1), follow=True)  # Django's view swaps the token for a session step
    new = "a brand new password 2027"
    done = client.post(chosen.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    signed = Client().post(reverse("login"), {"username": "a@example.org", "password": new})
    assert signed.status_code == 302  # signed in with the new password


def test_coordinators_are_invited_from_a_file_all_or_nothing(world: World) -> None:
    from django.core import mail

    from tests.web.conftest import run_worker

    admin = signed_in(world.admin)
    url = reverse("national_invite_from_file", kwargs={"round_id": world.round.pk})

    def send(text: str) -> object:
        file = io.BytesIO(text.encode())
        file.name = "coordinators.csv"
        return admin.post(url, {"coordinators": file})

    bad = send(
        "code,email\nTA,new@example.org\nTZ,x@example.org\nTB,not-an-address\nTA,a@example.org\n"
        "TB,admin@example.org\nTA,NEW@example.org\n"
    )
    text = html.unescape(bad.content.decode())  # type: ignore[attr-defined]
    assert bad.status_code == 400  # type: ignore[attr-defined]
    for expected in (
        "line 3: there is no trust with the code 'TZ'",
        "line 4: 'not-an-address' is not an e-mail address",
        "line 5: a@example.org already coordinates Trust A",
        "line 6: admin@example.org is a national administrator",
        "line 7: new@example.org for TA is on an earlier line too",
    ):
        assert expected in text, expected
    assert not Coordinator.objects.filter(user__username="new@example.org").exists()  # nothing made
    assert "the header should be code,email" in html.unescape(send("trust,email\nTA,x@example.org\n").content.decode())  # type: ignore[attr-defined]
    good = send("code,email\r\nTA,new@example.org\r\ntb,New@Example.org\r\n\r\n")
    assert good.status_code == 200 and "2 coordinators invited" in good.content.decode()  # type: ignore[attr-defined]
    assert set(Coordinator.objects.filter(user__username="new@example.org").values_list("trust__code", flat=True)) == {
        "TA",
        "TB",
    }
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["new@example.org", "new@example.org"]
    assert all("/set-password/" in m.body for m in mail.outbox)


def test_five_hundred_invitations_are_found_and_paged(world: World) -> None:
    header = "label,email,sector,role\n"
    text = header + "".join(f"Person {n},p{n}@example.org,,\n" for n in range(500))
    invitations.invitations_from_csv(world.trust_a, text.encode(), actor=COMMAND_LINE)
    coordinator = signed_in(world.coordinator_a)
    url = reverse("trust_invitations")
    first = html.unescape(coordinator.get(url).content.decode())
    assert "501 invitations: page 1 of 11" in first and first.count('href="/trust/invitations/') >= 50
    assert 'aria-current="page">1<' in first and 'rel="next"' in first
    last = html.unescape(coordinator.get(url + "?page=99").content.decode())  # past the end: the last page
    assert "page 11 of 11" in last and 'rel="next"' not in last
    found = html.unescape(coordinator.get(url + "?search=p49@").content.decode())
    assert "1 invitation matching 'p49@'" in found and "Person 49" in found and "Person 48<" not in found
    Respondent.objects.filter(label="Person 7").update(started_at=timezone.now())
    started = html.unescape(coordinator.get(url + "?status=in-progress&search=Person").content.decode())
    assert "1 invitation in progress matching 'Person'" in started
    # The export lists every invitation with its status, and no link.
    export = coordinator.get(reverse("trust_invitations_export")).content.decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    assert len(rows) == 501 and {r["status"] for r in rows} == {"not started", "in progress"}
    assert "/r/" not in export and "link" not in rows[0]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Spring 2027", "Spring 2027 self assessment"),
        ("Early help Self Assessment 2027", "Early help Self Assessment 2027"),
    ],
)
def test_a_round_is_named_once_as_a_self_assessment(world: World, name: str, said: str) -> None:
    world.round.name = name
    assert world.round.assessment == said


def test_the_list_says_what_the_person_chooses_in_one_phrase(world: World) -> None:
    page = html.unescape(signed_in(world.coordinator_b).get(reverse("trust_invitations")).content.decode())
    assert "Sector and role chosen by the person" in page and "chosen by the person, role chosen" not in page
    Respondent.objects.filter(pk=world.respondent_b.pk).update(sector="health")
    page = html.unescape(signed_in(world.coordinator_b).get(reverse("trust_invitations")).content.decode())
    assert "Health, role chosen by the person" in page
