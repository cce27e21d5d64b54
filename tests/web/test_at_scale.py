"""Coordinators and administrators at scale: the quota grid's role headings and under-quota marks, the national
responses page sorted, filtered, with national rates and a CSV, and the invitation list filtered and paged."""

from __future__ import annotations

import csv
import html
import io
import re

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
