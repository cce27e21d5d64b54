"""Workbooks we write keep hostile text as text: a framework, trust or practice title that starts like a
formula stays text in the national tables and in the data-entry workbook sent to coordinators."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import yaml

from selfassess.framework import builtin_path, framework_from_text
from selfassess.reports import write_reports
from selfassess.reports.paper import write_paper_template
from selfassess.responses import csv_text, read_responses, validate, write_long_csv
from selfassess.synth import simple_round
from tests.spreadsheets import assert_csv_safe, assert_no_formulas, csv_fields

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-1+2", "@SUM(1+1)"]


def hostile_framework_text() -> str:
    data = yaml.safe_load(builtin_path().read_text(encoding="utf-8"))
    data["title"] = HOSTILE[0]
    data["practices"][0]["title"] = HOSTILE[1]
    data["sectors"][0]["title"] = HOSTILE[2]
    data["sectors"][1]["id"] = HOSTILE[3]  # an id: it reaches the data-entry workbook's drop-down list
    data["stages"][0]["short"] = HOSTILE[0]
    return yaml.safe_dump(data, allow_unicode=True)


def test_national_workbook_keeps_formula_like_titles_as_text(tmp_path: Path) -> None:
    framework = framework_from_text(hostile_framework_text())
    answers = simple_round(framework, trusts=6, seed=1).with_columns(
        pl.col("trust").cast(pl.String).replace({"T1": "=1+2"}), pl.col("respondent").cast(pl.String)
    )
    written = write_reports(validate(answers, framework, lambda r, c: f"row {r}"), tmp_path)
    texts = assert_no_formulas(written.files["xlsx"])
    assert any(HOSTILE[0] in t for t in texts) and HOSTILE[1] in texts  # there, as text


def test_data_entry_workbook_keeps_formula_like_ids_as_text(tmp_path: Path) -> None:
    framework = framework_from_text(hostile_framework_text())
    write_paper_template(framework, tmp_path / "entry.xlsx")
    assert HOSTILE[3] in assert_no_formulas(tmp_path / "entry.xlsx")


def test_every_csv_we_write_neutralises_formulas_and_reads_back(tmp_path: Path) -> None:
    framework = framework_from_text(builtin_path().read_text(encoding="utf-8"))
    ids = [*HOSTILE, "'=already", "\t=tab", "plain"]
    answers = pl.DataFrame(
        {
            "trust": ["T1"] * len(ids),
            "respondent": ids,
            "sector": ["health"] * len(ids),
            "audience": ["front_line"] * len(ids),
            "question": ["Q2"] * len(ids),
            "answer": ["3"] * len(ids),
        }
    )
    text = csv_text(answers)
    assert_csv_safe(text)
    assert '\'=HYPERLINK("http://x","y")' in csv_fields(text) and "plain" in csv_fields(text)
    write_long_csv(answers.filter(pl.col("respondent") != "\t=tab"), tmp_path / "long.csv")
    assert_csv_safe((tmp_path / "long.csv").read_text())
    back = (tmp_path / "long.csv").read_text()
    table = read_responses(tmp_path / "long.csv", framework)
    assert sorted(table.respondents["respondent"].to_list()) == sorted(i for i in ids if i != "\t=tab")
    assert back.count("\n") == len(ids)  # a header and one line each
