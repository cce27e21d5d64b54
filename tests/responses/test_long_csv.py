"""The long interchange CSV: every rule of contract section 2, each refusal naming its line."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from selfassess.framework import Framework
from selfassess.responses import MAX_PROBLEMS
from tests.conftest import HEADER, long_csv, problems, read, run_cli, write

ROWS = [
    ("T1", "R1", "health", "front_line", "Q2", "3"),
    ("T1", "R1", "health", "front_line", "Q3", "NA"),
    ("T1", "R2", "education", "leader_manager", "Q1", "5"),
    ("T2", "R1", "youth", "leader_manager", "Q1", "DK"),
]


def _tidy(table) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in table.answers.iter_rows())


def test_a_plain_file_is_read_into_canonical_ids(tmp_path: Path, framework: Framework) -> None:
    table = read(tmp_path, long_csv(ROWS), framework)
    assert _tidy(table) == sorted(ROWS)
    assert table.trusts == ("T1", "T2")
    assert table.respondents.height == 3
    assert table.answers.schema["question"] == pl.Enum(list(framework.question_ids))


def test_awkward_but_valid_files_read_the_same(tmp_path: Path, framework: Framework) -> None:
    """BOM, CRLF, lower-case na/dk, padded fields, quoted ids with commas, columns in another order."""
    plain = read(tmp_path, long_csv(ROWS), framework, "plain.csv")
    awkward = (
        "\ufeffanswer, question ,audience,sector,respondent,trust\r\n"
        " 3 ,Q2,front_line,health, R1 ,T1\r\n"
        'na, Q3,front_line , health,R1,"T1"\r\n'
        '"5",Q1,leader_manager,education,R2," T1"\r\n'
        'dk,Q1,leader_manager,youth,"R1",T2\r\n'
    )
    assert _tidy(read(tmp_path, awkward, framework, "awkward.csv")) == _tidy(plain)
    quoted = long_csv([("Trust, North", "Smith, J", "health", "front_line", "Q1", "Dk")])
    quoted = quoted.replace("Trust, North", '"Trust, North"').replace("Smith, J", '"Smith, J"')
    table = read(tmp_path, quoted, framework, "quoted.csv")
    assert _tidy(table) == [("Trust, North", "Smith, J", "health", "front_line", "Q1", "DK")]


def test_blank_lines_are_skipped_and_lines_still_counted(tmp_path: Path, framework: Framework) -> None:
    text = HEADER + "\nT1,R1,health,front_line,Q1,3\n\nT1,R1,health,front_line,Q2,9\n"
    assert problems(tmp_path, text, framework) == ["line 4: answer '9' is not allowed; use 1, 2, 3, 4, 5, NA or DK"]
    text = HEADER + "\nT1,R1,health,front_line,Q1,3\n\n,,,,,\nT1,R1,health,front_line,Q2,4\n\n"
    assert len(read(tmp_path, text, framework)) == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((" ", "R1", "health", "front_line", "Q1", "3"), "the trust is blank"),
        (("T1", "", "health", "front_line", "Q1", "3"), "the respondent is blank"),
        (("T1", "R1", "", "front_line", "Q1", "3"), "the sector is blank"),
        (("T1", "R1", "helth", "front_line", "Q1", "3"), "sector 'helth' is not recognised; use one of early_years"),
        (("T1", "R1", "health", "manager", "Q1", "3"), "audience 'manager' is not recognised; use leader_manager or"),
        (
            ("T1", "R1", "health", "front_line", "Q60", "3"),
            "question 'Q60' is not in this questionnaire (Q1, Q2, ... Q59)",
        ),
        (("T1", "R1", "health", "front_line", "Q1", "6"), "answer '6' is not allowed; use 1, 2, 3, 4, 5, NA or DK"),
        (("T1", "R1", "health", "front_line", "Q1", "3.0"), "answer '3.0' is not allowed"),
        (("T1", "R1", "health", "front_line", "Q1", ""), "no answer given (leave the row out if"),
    ],
)
def test_each_bad_value_is_refused_with_its_line(
    tmp_path: Path, framework: Framework, row: tuple[str, ...], message: str
) -> None:
    rows = [("T1", "R1", "health", "front_line", "Q5", "2"), ("T9", "R1", "youth", "front_line", "Q5", "2"), row]
    found = problems(tmp_path, long_csv(rows), framework)
    assert len(found) == 1
    assert found[0].startswith(f"line 4: {message}")


def test_a_respondent_in_two_sectors_is_refused(tmp_path: Path, framework: Framework) -> None:
    rows = [
        ("T1", "R1", "health", "front_line", "Q1", "3"),
        ("T2", "R1", "youth", "front_line", "Q1", "3"),  # another trust's R1: a different respondent
        ("T1", "R1", "education", "front_line", "Q2", "3"),
    ]
    assert problems(tmp_path, long_csv(rows), framework) == [
        "line 4: respondent 'R1' of trust 'T1' is education / front_line here but health / front_line at line 2; "
        "all of a respondent's answers need the same sector and audience"
    ]


def test_a_respondent_in_two_audiences_is_refused(tmp_path: Path, framework: Framework) -> None:
    rows = [("T1", "R1", "health", "front_line", "Q1", "3"), ("T1", "R1", "health", "leader_manager", "Q2", "3")]
    (found,) = problems(tmp_path, long_csv(rows), framework)
    assert found.startswith("line 3: respondent 'R1' of trust 'T1' is health / leader_manager here")


def test_a_question_answered_twice_is_refused(tmp_path: Path, framework: Framework) -> None:
    rows = [
        ("T1", "R1", "health", "front_line", "Q1", "3"),
        ("T1", "R1", "health", "front_line", "Q2", "3"),
        ("T1", " R1", "health", "front_line", "Q2", "4"),
    ]
    assert problems(tmp_path, long_csv(rows), framework) == [
        "line 4: respondent 'R1' of trust 'T1' answers Q2 a second time (first at line 3)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty"),
        (HEADER + "\n", "line 2: no responses"),
        (HEADER.replace(",answer", "") + "\nT1,R1,health,front_line,Q1\n", "line 1: missing column: answer"),
        (HEADER + ",comment\nT1,R1,health,front_line,Q1,3,hi\n", "line 1: unexpected column 'comment'"),
        (HEADER + ",trust\nT1,R1,health,front_line,Q1,3,T1\n", "line 1: column 'trust' appears 2 times"),
        (HEADER + "\nT1,R1,health,front_line,Q1,3,extra\n", "line 2: 7 fields, but the header has 6"),
        (HEADER + '\nT1,"R1,health,front_line,Q1,3\n', "line 2: the quoting is broken"),
    ],
)
def test_a_malformed_file_is_refused_with_its_line(
    tmp_path: Path, framework: Framework, text: str, message: str
) -> None:
    found = problems(tmp_path, text, framework)
    assert found[0].startswith(message), found


def test_text_that_is_not_utf8_is_named(tmp_path: Path, framework: Framework) -> None:
    data = (HEADER + "\nT1,R1,health,front_line,Q1,3\nT1,R\xe91,health,front_line,Q2,3\n").encode("latin-1")
    assert problems(tmp_path, data, framework) == [
        "line 3: the text is not UTF-8; save the file as 'CSV UTF-8' and try again"
    ]


def test_problems_are_listed_up_to_the_limit_then_counted(tmp_path: Path, framework: Framework) -> None:
    rows = [("T1", f"R{i}", "health", "front_line", "Q1", "7") for i in range(30)]
    rows.insert(3, ("T1", "X", "hospital", "front_line", "Q1", "3"))
    found = problems(tmp_path, long_csv(rows), framework)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[3].startswith("line 5: sector 'hospital'")  # in file order, across columns
    assert found[-1] == "... and 11 more problems not listed"


def test_the_command_refuses_a_bad_file_with_status_2_and_writes_nothing(tmp_path: Path) -> None:
    rows = [("T1", "R1", "health", "front_line", "Q1", "3"), ("T1", "R1", "health", "front_line", "Q99", "x")]
    path = write(tmp_path, long_csv(rows))
    out = tmp_path / "results.json"
    done = run_cli("analyse", str(path), "--json", str(out))
    assert done.returncode == 2
    assert done.stderr.splitlines()[:2] == [
        "line 3: question 'Q99' is not in this questionnaire (Q1, Q2, ... Q59)",
        "line 3: answer 'x' is not allowed; use 1, 2, 3, 4, 5, NA or DK",
    ]
    assert "Traceback" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [path]


def test_the_command_names_a_missing_file(tmp_path: Path) -> None:
    done = run_cli("analyse", str(tmp_path / "nope.csv"), "--json", str(tmp_path / "out.json"))
    assert done.returncode == 2
    assert "nope.csv: no such file" in done.stderr


def test_usage_errors_exit_2() -> None:
    assert run_cli("analyse").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_the_command_writes_results_for_a_good_file(tmp_path: Path) -> None:
    path = write(tmp_path, long_csv(ROWS))
    out = tmp_path / "results.json"
    done = run_cli("analyse", str(path), "--json", str(out))
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())
    assert results["schema"] == "selfassess.results/1"
    assert results["counts"]["respondents"] == {"leader_manager": 2, "front_line": 1, "all": 3}
    assert "2 trusts (1 with both audiences), 3 respondents" in done.stdout


def test_the_command_prints_each_scopes_interval_and_design_effect(tmp_path: Path) -> None:
    # T1 scores 1 and 3, T2 4 and 4: mean 3; by hand, se = sqrt(2 · ((4 − 6)² + (8 − 6)²)) / 4 = 1, and
    # s² = 2, so the design effect is 1 / (2 / 4) = 2; t on 1 degree of freedom is 12.706.
    rows = [
        ("T1", "R1", "health", "front_line", "Q2", "1"),
        ("T1", "R2", "health", "front_line", "Q2", "3"),
        ("T2", "R1", "health", "front_line", "Q2", "4"),
        ("T2", "R2", "health", "front_line", "Q2", "4"),
    ]
    out = tmp_path / "results.json"
    done = run_cli("analyse", str(write(tmp_path, long_csv(rows))), "--json", str(out))
    assert done.returncode == 0, done.stderr
    overall = json.loads(out.read_text())["scopes"]["overall"]
    assert overall["design_effect"] == pytest.approx(2.0)
    line = next(line for line in done.stdout.splitlines() if line.startswith("Overall"))
    assert "-9.71 to 15.71" in line and " 2.0 " in line


def test_analyse_and_report_with_an_earlier_round_add_the_comparison(tmp_path: Path) -> None:
    # T1's two people score 3 in June and 4 now; T2 scores 2 in June only.
    june = [("T1", f"R{i}", "health", "front_line", "Q2", "3") for i in (1, 2)]
    june.append(("T2", "R1", "health", "front_line", "Q2", "2"))
    now = [("T1", f"R{i}", "health", "front_line", "Q2", "4") for i in (1, 2)]
    earlier = write(tmp_path, long_csv(june), "june.csv")
    later = write(tmp_path, long_csv(now), "october.csv")
    out = tmp_path / "results.json"
    done = run_cli("analyse", str(later), "--previous", str(earlier), "--json", str(out))
    assert done.returncode == 0, done.stderr
    comparison = json.loads(out.read_text())["comparison"]
    assert comparison["earlier"]["label"] == "june"
    overall = comparison["scopes"]["overall"]
    assert overall["responses"]["all"]["earlier_mean"] == pytest.approx(8 / 3)
    assert overall["responses"]["all"]["change"] == pytest.approx(4 - 8 / 3)
    assert overall["matched"]["trusts"] == 1 and overall["trust_change"]["T1"]["change"] == 1.0
    assert "Since june:" in done.stdout
    line = next(
        line
        for line in done.stdout.splitlines()[done.stdout.splitlines().index("Since june:") :]
        if line.startswith("Overall")
    )
    assert "2.67" in line and "4.00" in line and "+1.33" in line
    done = run_cli("report", str(later), "--previous", str(earlier), "--out", str(tmp_path / "reports"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "reports" / "national-report.html").read_text()
    assert "Change since june" in page


def test_trusts_are_in_number_order_and_any_other_digit_is_text(tmp_path: Path, framework: Framework) -> None:
    # "T2" before "T10"; a superscript, a circled number or another script's digit (str.isdigit() takes them,
    # int() refuses some) is compared as text, rather than stopping the read.
    trusts = ["T10", "T²", "T2", "T٣", "T1①"]
    rows = [(trust, f"R{i}", "health", "front_line", "Q2", "3") for i, trust in enumerate(trusts)]
    table = read(tmp_path, long_csv(rows), framework)
    assert list(table.trusts) == ["T1①", "T2", "T10", "T²", "T٣"]
