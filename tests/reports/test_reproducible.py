"""The same answers give the same files, byte for byte: the results JSON that `analyse` writes and the one that
`report` writes, and the reports and workbook of one run and the next, each in a fresh process (where arrays lie
in memory differently)."""

from __future__ import annotations

from pathlib import Path

from selfassess.framework import Framework
from selfassess.responses import write_long_csv
from selfassess.synth import simple_round
from tests.conftest import run_cli


def test_analyse_and_report_twice_give_identical_bytes(framework: Framework, tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    write_long_csv(simple_round(framework, trusts=12, seed=9), answers)
    analysed = run_cli("analyse", str(answers), "--json", str(tmp_path / "analysed.json"))
    assert analysed.returncode == 0, analysed.stderr
    runs = []
    for run in ("first", "second"):
        done = run_cli("report", str(answers), "--out", str(tmp_path / run), "--as-at", "2026-12-01")
        assert done.returncode == 0, done.stderr
        runs.append(tmp_path / run)
    first, second = runs
    assert (tmp_path / "analysed.json").read_bytes() == (first / "results.json").read_bytes()
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.suffix != ".pdf")
    assert {"results.json", "national-report.html", "national-tables.xlsx"} <= {str(f) for f in files}
    assert len([f for f in files if f.parent.name == "trusts"]) == 12
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
