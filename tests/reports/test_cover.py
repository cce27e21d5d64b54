"""Every report's first page says what a published statistic must: its status, the date of its data and who
publishes it; the command takes the last two as options."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from selfassess.framework import Framework
from selfassess.reports import Cover, write_reports
from selfassess.reports.document import date_words
from tests.conftest import round_table, run_cli, write


def _cover(page: str) -> dict[str, str]:
    block = re.search(r'<dl class="cover">(.*?)</dl>', page, flags=re.S)
    assert block is not None
    return {html.unescape(k): html.unescape(v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block[1])}


def test_national_and_trust_reports_carry_status_date_and_publisher(framework: Framework, tmp_path: Path) -> None:
    table = round_table(framework, trusts=6, seed=2)
    cover = Cover(date_words(date(2026, 3, 1)), "Department for Examples")
    for provisional, status in ((True, "Provisional"), (False, "Final")):
        out = tmp_path / status
        written = write_reports(table, out, provisional=provisional, cover=cover, downloads=False)
        for path in (written.files["html"], next(iter(written.trust_files.values()))):
            lines = _cover(path.read_text(encoding="utf-8"))
            assert lines["Data as at"] == "1 March 2026"
            assert lines["Published by"] == "Department for Examples"
            assert lines["Status"].startswith(status)


def test_unstated_facts_are_said_to_be_unstated(framework: Framework, tmp_path: Path) -> None:
    written = write_reports(round_table(framework, trusts=6, seed=2), tmp_path, downloads=False)
    assert _cover(written.files["html"].read_text(encoding="utf-8")) == {
        "Status": "Final",
        "Data as at": "not stated",
        "Published by": "not stated",
    }


def test_the_command_refuses_a_date_it_cannot_read_before_reading_the_file(tmp_path: Path) -> None:
    done = run_cli("report", str(write(tmp_path, "not read")), "--out", str(tmp_path / "out"), "--as-at", "1/3/26")
    assert done.returncode == 2
    assert "--as-at must be a date written as YYYY-MM-DD, not '1/3/26'" in done.stderr
    assert not (tmp_path / "out").exists()
