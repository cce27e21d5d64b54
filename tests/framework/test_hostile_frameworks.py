"""Framework files built to hurt: each is refused in words, on the command line (`framework check`, exit 2) and
on the web (creating a round: the GOV.UK error summary), having read it within bounded memory. Aliases are
refused before any value is built; numbers are bounded as written, before any arithmetic; the number of
questions, of each part, and the length of each text are bounded."""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from selfassess.framework import FrameworkError, framework_from_text
from selfassess.framework.loader import MAX_QUESTIONS, builtin_path

BASE: dict[str, Any] = yaml.safe_load(builtin_path().read_text(encoding="utf-8"))


def edited(change: Callable[[dict[str, Any]], None]) -> str:
    data = copy.deepcopy(BASE)
    change(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def more_questions(data: dict[str, Any]) -> None:
    practice = data["practices"][0]
    template = practice["questions"][0]
    practice["questions"] += [{**copy.deepcopy(template), "id": f"X{n}"} for n in range(MAX_QUESTIONS)]


ALIASES = (
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)
BUILTIN = builtin_path().read_text(encoding="utf-8")
HOSTILE = {
    "aliases": (ALIASES, "an alias (*a)"),
    "an alias inside a real framework": (
        BUILTIN.replace("midpoint: 3", "midpoint: &m 3").replace("notable: 0.2", "notable: *m"),
        "an alias (*m)",
    ),
    "deep nesting": ("a: " + "[" * 100 + "]" * 100 + "\n", "nested more than 20 deep"),
    "deeper than the parser takes": ("a: " + "[" * 5000 + "]" * 5000 + "\n", "not valid YAML"),
    "a quarter of a million values": ("a: [" + "1," * 250_000 + "1]\n", "more than 200,000 values"),
    "an exponent": (BUILTIN.replace("midpoint: 3", "midpoint: 1e999999999"), "'midpoint' should be a number"),
    "an exponent as text": (BUILTIN.replace("notable: 0.2", "notable: '9e9999999'"), "'notable' should be a number"),
    "a 5,000-digit number": (BUILTIN.replace("midpoint: 3", "midpoint: " + "7" * 5000), "a number is too long"),
    "too precise": (BUILTIN.replace("notable: 0.2", "notable: '0.2000000000001'"), "at most six decimal places"),
    "too large": (BUILTIN.replace("notable: 0.2", "notable: 5000"), "from -1000 to 1000"),
    "a score of absurd size": (
        BUILTIN.replace('{code: "5", score: 5,', '{code: "5", score: 123456789012,'),
        "'score' should be a whole number from -1000 to 1000",
    ),
    "a quota of absurd size": (BUILTIN.replace("front_line: 3}", "front_line: 300000}"), "from 0 to 1000"),
    "more questions than allowed": (edited(more_questions), f"at most {MAX_QUESTIONS:,}"),
    "too many sectors": (
        edited(lambda d: d["sectors"].extend({"id": f"s{n}", "title": f"S{n}"} for n in range(60))),
        "'sectors' has 68 entries",
    ),
    "a question a megabyte long": (
        edited(lambda d: d["practices"][0]["questions"][0].update(text="words " * 200_000)),
        "'text' is 1,199,999 characters long",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_refused_in_words_within_bounded_memory(name: str) -> None:
    text, expected = HOSTILE[name]
    tracemalloc.start()
    try:
        with pytest.raises(FrameworkError) as refused:
            framework_from_text(text, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any(expected in p for p in refused.value.problems), refused.value.problems
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MB"  # the file is at most 2 MB; reading it stays small


@pytest.mark.parametrize("name", ["aliases", "an exponent", "a 5,000-digit number", "more questions than allowed"])
def test_the_command_line_says_the_same(name: str, tmp_path: Path) -> None:
    text, expected = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "selfassess", "framework", "check", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 2 and expected in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["aliases", "an exponent", "a 5,000-digit number", "more questions than allowed"])
def test_the_web_says_the_same(name: str, admin_client: Any) -> None:
    from django.urls import reverse

    from selfassess.web.models import Round

    text, expected = HOSTILE[name]
    file = io.BytesIO(text.encode())
    file.name = "hostile.yaml"
    today = dt.date.today()
    fields = {"name": "Hostile", "framework": file}
    for field, day in (("opens_on", today), ("closes_on", today + dt.timedelta(days=30))):
        fields |= {f"{field}-day": str(day.day), f"{field}-month": str(day.month), f"{field}-year": str(day.year)}
    answer = admin_client.post(reverse("national_rounds"), fields)
    assert answer.status_code == 400 and "govuk-error-summary" in answer.content.decode()
    shown = html.unescape(answer.content.decode())
    assert expected in shown, shown[shown.find("govuk-error-summary__list") :][:800]
    assert not Round.objects.filter(name="Hostile").exists()
