"""The tests run on the database the environment names: SQLite by default, PostgreSQL under `make postgres`."""

from __future__ import annotations

import os

from django.db import connection

from tests.web.conftest import World


def test_the_database_in_use_is_the_one_named(world: World) -> None:
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
    assert world.round.trusts.count() == 2
