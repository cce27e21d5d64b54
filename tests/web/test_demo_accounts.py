"""The demo's sign-ins are printed only while they are the demo's."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from selfassess.cli import DEMO_USERS
from selfassess.web.services.imports import demo_sign_ins, other_users


def test_sign_ins_are_printed_only_while_they_work_as_the_demo_set_them(db: None) -> None:
    users = get_user_model()
    assert demo_sign_ins(DEMO_USERS) == {}
    email, password = DEMO_USERS["administrator"]
    admin = users.objects.create_user(email, password=password)
    assert demo_sign_ins(DEMO_USERS) == {"administrator": (email, password)}
    admin.set_password("changed by its owner, 2026")
    admin.save()
    assert demo_sign_ins(DEMO_USERS) == {}
    assert other_users(DEMO_USERS) == []
    users.objects.create_user("someone@example.org", password="x")
    assert other_users(DEMO_USERS) == ["someone@example.org"]
