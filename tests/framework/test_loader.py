"""The built-in framework matches the contract and the 2009 report; broken framework files are named clearly."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from selfassess.framework import (
    Framework,
    FrameworkError,
    builtin_path,
    framework_from_text,
    load_framework,
    parse_framework,
)
from tests.conftest import REFERENCE, run_cli

PRACTICES = ["multi_agency", "information_sharing", "caf", "tac", "lead_professional"]
SECTORS = [
    "early_years",
    "education",
    "health",
    "justice",
    "social_family_community",
    "sport_culture",
    "youth",
    "third_sector",
]


def test_practices_and_questions_are_numbered_as_the_contract_says(framework: Framework) -> None:
    assert list(framework.practice_ids) == PRACTICES
    assert framework.question_ids == tuple(f"Q{i}" for i in range(1, 60))
    ranges = {p.id: (p.questions[0].id, p.questions[-1].id, len(p.questions)) for p in framework.practices}
    assert ranges == {
        "multi_agency": ("Q1", "Q13", 13),
        "information_sharing": ("Q14", "Q24", 11),
        "caf": ("Q25", "Q38", 14),
        "tac": ("Q39", "Q48", 10),
        "lead_professional": ("Q49", "Q59", 11),
    }


def test_stages_follow_the_report(framework: Framework) -> None:
    published = json.loads((REFERENCE / "national-2009.json").read_text())["design"]
    assert {s.id: s.title for s in framework.stages} == published["stages"]
    leader_only = [s.id for s in framework.stages if s.audiences == ("leader_manager",)]
    assert leader_only == published["stages_for_leaders_managers_only"] == ["A", "H"]
    for practice in framework.practices:
        stages = [q.stage for q in practice.questions]
        assert stages[0] == "A" and stages[-1] == "H", practice.id
        assert set(stages) == set("ABCDEFGH"), practice.id


def test_sectors_audiences_scale_and_rules(framework: Framework) -> None:
    published = json.loads((REFERENCE / "national-2009.json").read_text())["design"]
    assert list(framework.sector_ids) == SECTORS
    assert {s.id: s.title for s in framework.sectors} == published["sectors"]
    assert {a.id: a.title for a in framework.audiences} == published["audiences"]
    assert framework.answer_codes == ("1", "2", "3", "4", "5", "NA", "DK")
    assert [a.score for a in framework.scale] == [1, 2, 3, 4, 5, None, None]
    assert framework.midpoint == 3 and float(framework.notable) == 0.2
    assert framework.quota == {"leader_manager": 2, "front_line": 3}
    assert [b.id for b in framework.bands] == [
        "below_2.5",
        "2.5_to_2.8",
        "2.8_to_3.0",
        "3.0_to_3.2",
        "3.2_to_3.5",
        "3.5_and_above",
    ]


def test_every_question_has_text_and_three_descriptors(framework: Framework) -> None:
    for question in framework.questions:
        assert question.text.endswith("?"), question.id
        assert list(question.descriptors) == ["1", "3", "5"], question.id
        assert all(len(d) > 20 for d in question.descriptors.values()), question.id
    # All questions and descriptors differ: none was pasted twice.
    assert len({q.text for q in framework.questions}) == 59
    assert len({d for q in framework.questions for d in q.descriptors.values()}) == 59 * 3


def test_q1_is_quoted_from_the_report(framework: Framework) -> None:
    report = (REFERENCE / "report-2009-paragraph-2.14.txt").read_text()
    q1 = framework.question_by_id["Q1"]
    assert q1.text in report
    assert q1.descriptors["1"] in report
    assert "wording is adapted" in builtin_path().read_text().lower()


def test_framework_json_command_prints_the_contract_shape() -> None:
    done = run_cli("framework", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["id"] == "drilldown-2009" and data["midpoint"] == 3 and data["notable"] == 0.2
    assert [p["id"] for p in data["practices"]] == PRACTICES
    q1 = data["practices"][0]["questions"][0]
    assert set(q1) >= {"id", "stage", "text", "descriptors"} and set(q1["descriptors"]) == {"1", "3", "5"}
    assert data["stages"][0] == {
        "id": "A",
        "title": "Define what's needed",
        "short": "Defined",
        "audiences": ["leader_manager"],
    }
    assert [s["id"] for s in data["sectors"]] == SECTORS
    assert data["audiences"] == [
        {"id": "leader_manager", "title": "Leaders and managers"},
        {"id": "front_line", "title": "Front line staff"},
    ]


def test_framework_option_selects_another_file(tmp_path: Path) -> None:
    data = _builtin_data()
    data["id"], data["title"] = "other", "Another programme"
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(data))
    done = run_cli("framework", "--json", "--framework", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "Another programme"


# --- broken framework files -------------------------------------------------------------------------


def _builtin_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(builtin_path().read_text())
    return copy.deepcopy(data)


def _problems(data: Any) -> list[str]:
    with pytest.raises(FrameworkError) as refused:
        parse_framework(data, "test.yaml")
    return refused.value.problems


def test_a_repeated_question_id_is_named() -> None:
    data = _builtin_data()
    data["practices"][1]["questions"][0]["id"] = "Q1"
    assert "questions: id 'Q1' is used 2 times" in _problems(data)


def test_a_practice_missing_a_stage_is_named() -> None:
    data = _builtin_data()
    for question in data["practices"][3]["questions"]:
        if question["stage"] == "F":
            question["stage"] = "E"
    assert "practices[3] (tac): no question for stage F (every stage needs one)" in _problems(data)


def test_a_missing_descriptor_and_an_unknown_stage_are_both_named() -> None:
    data = _builtin_data()
    del data["practices"][2]["questions"][4]["descriptors"][3]
    data["practices"][0]["questions"][5]["stage"] = "Z"
    found = _problems(data)
    assert "practices[2] (caf) > questions[4] (Q29): no descriptor for score 3" in found
    assert any(p.startswith("practices[0] (multi_agency) > questions[5] (Q6): stage 'Z' is not one of") for p in found)


def test_bands_must_meet_without_gaps() -> None:
    data = _builtin_data()
    data["bands"][2]["lower"] = 2.9
    assert "bands[2]: 'lower' should equal the previous band's 'upper'" in _problems(data)


def test_stage_audiences_must_exist() -> None:
    data = _builtin_data()
    data["stages"][0]["audiences"] = ["managers"]
    assert any("audience 'managers' is not one of leader_manager, front_line" in p for p in _problems(data))


def test_missing_top_level_parts_are_named() -> None:
    found = _problems({"id": "x", "title": "y"})
    for part in (
        "'midpoint' is missing",
        "'scale' should be a non-empty list",
        "'practices' should be a non-empty list",
    ):
        assert part in found


def test_not_yaml_or_not_a_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed")
    with pytest.raises(FrameworkError, match="not valid YAML"):
        load_framework(bad)
    with pytest.raises(FrameworkError, match="cannot read the file"):
        load_framework(tmp_path / "missing.yaml")


def test_a_broken_framework_on_the_command_line_exits_2_without_a_traceback(tmp_path: Path) -> None:
    data = _builtin_data()
    data["practices"][0]["questions"][0]["descriptors"] = {1: "only one"}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    done = run_cli("framework", "--framework", str(path))
    assert done.returncode == 2
    assert "questions[0] (Q1): no descriptor for score 3" in done.stderr
    assert "Traceback" not in done.stderr


def test_control_characters_are_named_by_line_and_column() -> None:
    text = builtin_path().read_text(encoding="utf-8")
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("title:"))) + 1
    broken = text.replace("title: ", "title: Integrated\x00 ", 1)
    with pytest.raises(FrameworkError) as caught:
        framework_from_text(broken, "upload")
    assert caught.value.problems == [
        f"line {line}, column {len('title: Integrated') + 1}: a control character (\\x00); delete it"
    ]


def test_ids_longer_than_the_database_keeps_are_named() -> None:
    data = copy.deepcopy(yaml.safe_load(builtin_path().read_text()))
    data["practices"][0]["questions"][0]["id"] = "Q" * 21
    data["sectors"][0]["id"] = "s" * 81
    data["scale"][0]["code"] = "1" * 11
    with pytest.raises(FrameworkError) as caught:
        parse_framework(data)
    problems = " | ".join(caught.value.problems)
    assert "practices[0] (multi_agency) > questions[0]: 'id' is 21 characters long; it can be at most 20" in problems
    assert "sectors[0]: 'id' is 81 characters long; it can be at most 80" in problems
    assert "scale[0]: 'code' is 11 characters long; it can be at most 10" in problems


def test_a_framework_file_larger_than_any_framework_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(FrameworkError) as caught:
        framework_from_text("x: " + "y" * 2_100_000)
    assert "larger than 2 MB" in caught.value.problems[0]


def test_the_unit_is_named_by_the_framework_and_trust_by_default() -> None:
    data = _builtin_data()
    assert (parse_framework(data).unit, parse_framework(data).units) == ("trust", "trusts")
    data["unit"] = {"singular": "partnership", "plural": "partnerships"}
    framework = parse_framework(data)
    assert (framework.unit, framework.units) == ("partnership", "partnerships")
    # A report's titles default to the words capitalised; a framework may give its own.
    assert framework.to_json()["unit"] == {
        "singular": "partnership",
        "plural": "partnerships",
        "title": "Partnership",
        "titles": "Partnerships",
    }
    data["unit"] |= {"title": "Local partnership", "titles": "Local partnerships"}
    assert (parse_framework(data).unit_title, parse_framework(data).unit_titles) == (
        "Local partnership",
        "Local partnerships",
    )
    del data["unit"]
    assert parse_framework(data).unit == "trust"
    data["unit"] = "partnership"
    assert "unit: should be a mapping with singular and plural" in " ".join(_problems(data))


def test_framework_list_shows_the_built_in_frameworks() -> None:
    done = run_cli("framework", "--list")
    assert done.returncode == 0, done.stderr
    ids = [line.split()[0] for line in done.stdout.splitlines()]
    assert ids == ["drilldown-2009", "early-help"]


def test_framework_check_names_every_problem_by_line_and_column(tmp_path: Path) -> None:
    lines = builtin_path().with_name("early-help.yaml").read_text(encoding="utf-8").splitlines()
    midpoint = next(i for i, line in enumerate(lines) if line.startswith("midpoint:"))
    lines[midpoint] = "midpoint: 7"
    first_stage = next(i for i, line in enumerate(lines) if line.strip() == "stage: S1")
    lines[first_stage] = lines[first_stage].replace("S1", "S9")
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli("framework", "check", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    problems = done.stdout.splitlines()[1:]
    assert done.stdout.startswith(f"{path}: {len(problems)} problems")
    assert f"  line {midpoint + 1}, column 11: midpoint: 7 should lie between the lowest and highest scores" in problems
    # The question whose stage is wrong is the item that starts the line before its stage.
    assert any(p.startswith(f"  line {first_stage}, column 9: ") and "stage 'S9' is not one of" in p for p in problems)
    assert all(p.startswith("  line ") for p in problems)
    good = run_cli("framework", "check", str(builtin_path().with_name("early-help.yaml")))
    assert good.returncode == 0 and "no problems" in good.stdout and "24 questions" in good.stdout


def test_yaml_that_does_not_parse_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\n  title: [oops\n", encoding="utf-8")
    done = run_cli("framework", "check", str(path))
    assert done.returncode == 2
    assert "line 2, column 8: not valid YAML (mapping values are not allowed in this context)" in done.stdout
