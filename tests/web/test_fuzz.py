"""Arbitrary form posts to the questionnaire: a page, a redirect or a clear refusal; never a server error,
and never an answer that is not on the scale."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from selfassess.web.models import Answer
from tests.web.conftest import World, make_world, signed_in

VALUE = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "NA", "DK", "na", " 3 ", "", "6", "0", "DKK"]),
    st.text(max_size=12),
)
KEY = st.one_of(
    st.sampled_from(["Q2", "Q3", "Q4", "Q13", "Q1", "sector", "audience", "then", "csrfmiddlewaretoken"]),
    st.text(max_size=6),
)


class QuestionnairePosts(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = make_world()

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.dictionaries(KEY, VALUE, max_size=10), st.integers(-1, 7))
    def test_section_posts(self, data: dict[str, str], number: int) -> None:
        client = Client()
        token = self.world.token_a
        try:
            url = reverse("respond_section", kwargs={"token": token, "number": number})
        except Exception:  # the URL pattern itself refuses a negative number
            return
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 404), response.status_code
        codes = set(Answer.objects.values_list("answer", flat=True))
        assert codes <= set(self.world.round.framework.answer_codes)

    @settings(max_examples=40, deadline=None)
    @given(st.dictionaries(KEY, VALUE, max_size=6))
    def test_about_you_posts(self, data: dict[str, str]) -> None:
        response = Client().post(reverse("respond_about_you", kwargs={"token": self.world.token_b}), data)
        assert response.status_code in (200, 302, 400)
        respondent = type(self.world.respondent_b).objects.get(pk=self.world.respondent_b.pk)
        framework = self.world.round.framework
        assert respondent.sector in ("", *framework.sector_ids) and respondent.audience in ("", *framework.audience_ids)


# Characters that str.isdigit() takes but int() refuses (superscripts, circled numbers), and digits of other
# scripts: a number in an address or a form is 0 to 9 only, and anything else a clear refusal, never a 500.
NOT_ZERO_TO_NINE = ["²", "①", "٣", "1²", "١٢"]


@pytest.mark.django_db
def test_numbers_in_addresses_and_forms_are_zero_to_nine_only(world: World) -> None:
    coordinator, admin = signed_in(world.coordinator_a), signed_in(world.admin)
    for text in NOT_ZERO_TO_NINE:
        assert coordinator.get(reverse("trust_invitations"), {"page": text}).status_code == 200, text
        assert coordinator.get(reverse("trust_report"), {"build": text}).status_code in (200, 404), text
        made = coordinator.post(reverse("trust_invitations"), {"count": text, "sector": "", "audience": ""})
        assert made.status_code == 400, text
        report = admin.get(reverse("national_report", kwargs={"round_id": world.round.pk}), {"build": text})
        assert report.status_code in (200, 404), text
