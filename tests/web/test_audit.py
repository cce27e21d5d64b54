"""Who did what and when is recorded, and shown to administrators."""

from __future__ import annotations

from django.urls import reverse

from selfassess.web.models import AuditEvent
from tests.web.conftest import World, date_fields, signed_in


def test_actions_are_recorded_and_shown(world: World) -> None:
    admin, coordinator = signed_in(world.admin), signed_in(world.coordinator_a)
    before = AuditEvent.objects.count()  # the world's own set-up, from the command line
    admin.post(
        reverse("national_rounds"), {"name": "Autumn", **date_fields(opens_on="2027-09-01", closes_on="2027-11-30")}
    )
    admin.post(reverse("national_add_trusts", kwargs={"round_id": world.round.pk}), {"code": "TC", "name": "Trust C"})
    admin.post(
        reverse("national_invite", kwargs={"round_id": world.round.pk}),
        {"email": "c@example.org", "trust": world.trust_b.pk},
    )
    coordinator.post(reverse("trust_invitations"), {"count": "2"})
    admin.get(reverse("national_download", kwargs={"round_id": world.round.pk, "kind": "answers.csv"}))
    admin.post(reverse("national_close", kwargs={"round_id": world.round.pk}))
    events = [
        (e.actor, e.action, e.trust.code if e.trust else "") for e in AuditEvent.objects.order_by("at", "id")[before:]
    ]
    assert events == [
        ("admin@example.org", "created round", ""),
        ("admin@example.org", "added trusts", ""),
        ("admin@example.org", "invited coordinator", "TB"),
        ("a@example.org", "made invitation links", "TA"),
        ("admin@example.org", "downloaded answers.csv", ""),
        ("admin@example.org", "closed round", ""),
    ]
    page = admin.get(reverse("national_audit")).content.decode()
    assert "made invitation links" in page and "a@example.org" in page
    assert coordinator.get(reverse("national_audit")).status_code == 403
