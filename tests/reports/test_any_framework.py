"""The second built-in framework, unlike 2009 in shape, through the reports and paper form: nothing of 2009's
words or numbers that is not in its own YAML."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.framework import Framework, load_framework
from selfassess.framework.loader import builtin_path
from selfassess.reports import write_reports
from selfassess.reports.paper import paper_form_html
from selfassess.responses import write_long_csv
from selfassess.responses.workbook import DATA_SHEET
from selfassess.synth import simple_round
from tests.conftest import round_table, run_cli

EARLY_HELP = builtin_path().with_name("early-help.yaml")

# Words and numbers of the 2009 framework and report; each is searched for as a whole word or number.
FROM_2009 = [
    r"Children'?s Trusts?",
    r"(?<!strategic )leaders and managers",
    r"front line",
    r"third sector",
    r"fragmented",
    r"integrated and high quality",
    r"trusts?",
    r"59",
    r"0\.2",
    r"2\.8",
    r"3\.2",
    r"3\.5",
    r"\(3\)",
]


@pytest.fixture(scope="module")
def early_help() -> Framework:
    return load_framework(EARLY_HELP)


def _text(page: str) -> str:
    """A page's visible words: tags and styles dropped, entities decoded, spaces folded."""
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def found_2009(text: str, framework: Framework) -> list[str]:
    own = EARLY_HELP.read_text(encoding="utf-8")
    hits = []
    for pattern in FROM_2009:
        if re.search(rf"(?<![\w.]){pattern}(?![\w]|\.\d)", own, flags=re.I):
            continue  # the framework's own word
        for match in re.finditer(rf"(?<![\w.]){pattern}(?![\w]|\.\d)", text, flags=re.I):
            if re.search(r"(Table|Graph|graph) $", text[max(0, match.start() - 6) : match.start()]):
                continue  # a table's or graph's number, not a figure
            hits.append(text[max(0, match.start() - 60) : match.end() + 40])
    return hits


def test_the_second_framework_is_unlike_2009(early_help: Framework) -> None:
    assert len(early_help.audiences) == 3 and len(early_help.practices) == 4 and len(early_help.stages) == 6
    assert [a.score for a in early_help.scale] == [1, 2, 3, 4, None]
    assert (early_help.unit, early_help.units) == ("partnership", "partnerships")
    assert [len(s.audiences) for s in early_help.stages].count(2) == 1


def test_reports_and_paper_form_carry_nothing_of_2009(early_help: Framework, tmp_path: Path) -> None:
    written = write_reports(round_table(early_help, trusts=12, seed=2), tmp_path)
    pages = {"national report": written.files["html"].read_text(encoding="utf-8")}
    pages |= {f"report of {t}": p.read_text(encoding="utf-8") for t, p in list(written.trust_files.items())[:3]}
    pages["paper form"] = paper_form_html(early_help, "Northtown")
    problems = {name: found_2009(_text(page), early_help) for name, page in pages.items()}
    assert not any(problems.values()), {k: v[:5] for k, v in problems.items() if v}


def _workbook_text(path: Path) -> str:
    """A workbook's words: its text cells (numbers are data, not words), less the data sheet's header row, whose
    column names (trust, respondent, ...) are the contract's file format for every framework."""
    book = load_workbook(path, read_only=True)
    words = []
    for sheet in book.worksheets:
        for n, row in enumerate(sheet.iter_rows(values_only=True)):
            if not (sheet.title == DATA_SHEET and n == 0):
                words += [v for v in row if isinstance(v, str)]
    return " ".join(words)


def test_workbooks_pdfs_and_the_commands_own_words_carry_nothing_of_2009(early_help: Framework, tmp_path: Path) -> None:
    """The acceptance test for 2009's words over everything else a user reads: the national tables workbook,
    the data-entry workbook, the PDFs' text and what the commands print."""
    answers = tmp_path / "answers.csv"
    write_long_csv(simple_round(early_help, trusts=12, seed=2), answers)
    framework_file = str(EARLY_HELP)
    said = [
        run_cli("analyse", str(answers), "--framework", framework_file),
        run_cli("report", str(answers), "--framework", framework_file, "--out", str(tmp_path / "out")),
        run_cli("paper-form", "--framework", framework_file, "--out", str(tmp_path / "form.pdf")),
        run_cli("paper-template", "--framework", framework_file, "--out", str(tmp_path / "entry.xlsx")),
    ]
    assert all(done.returncode == 0 for done in said), [done.stderr for done in said]
    outputs = {f"command {n}": done.stdout + done.stderr for n, done in enumerate(said)}
    outputs["national tables"] = _workbook_text(tmp_path / "out" / "national-tables.xlsx")
    outputs["data-entry workbook"] = _workbook_text(tmp_path / "entry.xlsx")
    for pdf in (tmp_path / "out" / "national-report.pdf", tmp_path / "form.pdf"):
        outputs[pdf.name] = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    # A path printed is the contract's folder layout (out/trusts/), not a word of the report.
    words = {name: " ".join(w for w in text.split() if "/" not in w) for name, text in outputs.items()}
    problems = {name: found_2009(text, early_help) for name, text in words.items()}
    assert not any(problems.values()), {k: v[:5] for k, v in problems.items() if v}
