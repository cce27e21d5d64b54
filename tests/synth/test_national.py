"""The calibrated national round reproduces the 2009 report, for any seed.

The checks here read the tests' own copy of the published figures (tests/reference) and the report's statements
directly; they do not use `selfassess.synth.compare`, so a mistake there cannot hide a mistake in the round.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.conftest import REFERENCE, run_cli

PUBLISHED = json.loads((REFERENCE / "national-2009.json").read_text())
SCOPES = ["overall", "multi_agency", "information_sharing", "caf", "tac", "lead_professional"]
AUDIENCES = ["leader_manager", "front_line"]
SECTORS = list(PUBLISHED["design"]["sectors"])


def two(x: float) -> str:
    return f"{x:.2f}"


def make_round(tmp_path: Path, *args: str) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / "round.csv"
    done = run_cli("synth", *args, "--out", str(out))
    assert done.returncode == 0, done.stderr
    results_path = tmp_path / "results.json"
    done = run_cli("analyse", str(out), "--json", str(results_path))
    assert done.returncode == 0, done.stderr
    return out, json.loads(results_path.read_text())


@pytest.fixture(scope="module")
def random_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    seed = secrets.randbelow(1_000_000)
    _, results = make_round(tmp_path_factory.mktemp("synth"), "--seed", str(seed))
    return seed, results


def test_response_counts_means_and_percentages(random_round: tuple[int, dict[str, Any]]) -> None:
    seed, results = random_round
    for scope in SCOPES:
        for group in [*AUDIENCES, "all"]:
            pub = PUBLISHED["workforce_responses"][scope][group]
            ours = results["scopes"][scope]["responses"][group]
            where = f"seed {seed}, {scope}, {group}"
            for key in ["1", "2", "3", "4", "5", "NA", "DK", "total", "scored"]:
                assert abs(ours[key] - pub[key]) <= 500, (where, key, ours[key], pub[key])
            assert two(ours["mean"]) == two(pub["mean"]), where
            assert abs(ours["pct_scored"] - pub["pct_scored"]) <= 0.5, where


def test_trust_bands_and_extremes(random_round: tuple[int, dict[str, Any]]) -> None:
    seed, results = random_round
    assert results["counts"]["trusts"] == 150
    assert results["counts"]["trusts_with_both_audiences"] == 148
    for scope in SCOPES:
        stats = results["scopes"][scope]
        for band, n in PUBLISHED["trust_mean_bands"][scope].items():
            assert stats["trust_bands"][band] == n, (seed, scope, band)
        assert stats["trust_bands"]["no_score"] == 0
        extremes = PUBLISHED["trust_mean_extremes"][scope]
        assert two(stats["trust_mean_min"]) == two(extremes["min"]), (seed, scope)
        assert two(stats["trust_mean_max"]) == two(extremes["max"]), (seed, scope)
        under_two = [m for m in stats["trust_means"].values() if m < 2]
        assert len(under_two) == {"caf": 1, "lead_professional": 3}.get(scope, 0), (seed, scope)


def test_table_9_1(random_round: tuple[int, dict[str, Any]]) -> None:
    seed, results = random_round
    for scope in SCOPES:
        for key, ids in PUBLISHED["notable_vs_midpoint"][scope].items():
            assert set(results["scopes"][scope]["notable"][key]) == set(ids), (seed, scope, key)


def test_figures_quoted_in_the_text(random_round: tuple[int, dict[str, Any]]) -> None:
    seed, results = random_round
    scopes = results["scopes"]
    caf_b = scopes["caf"]["stage_means"]
    assert (two(caf_b["leader_manager"]["B"]), two(caf_b["front_line"]["B"])) == ("3.07", "2.53"), seed
    overall = scopes["overall"]["sector_means"]
    third = (two(overall["leader_manager"]["third_sector"]), two(overall["front_line"]["third_sector"]))
    assert third == ("2.89", "3.04"), seed
    gaps = {s: abs(overall["leader_manager"][s] - overall["front_line"][s]) for s in SECTORS}
    assert max(gaps, key=gaps.__getitem__) == "third_sector", seed
    assert two(scopes["caf"]["sector_means"]["all"]["sport_culture"]) == "2.56", seed
    stages = scopes["overall"]["stage_means"]["all"]
    assert abs(stages["A"] - 3.4) <= 0.05 and abs(stages["H"] - 2.7) <= 0.05, seed
    assert abs(overall["all"]["social_family_community"] - 3.2) <= 0.05, seed
    assert abs(overall["all"]["sport_culture"] - 2.7) <= 0.05, seed


def test_patterns_the_text_states(random_round: tuple[int, dict[str, Any]]) -> None:
    seed, results = random_round
    scopes = results["scopes"]

    def sectors(scope: str, group: str = "all") -> dict[str, float]:
        means: dict[str, float] = scopes[scope]["sector_means"][group]
        return means

    for scope in SCOPES:
        assert min(sectors(scope), key=sectors(scope).__getitem__) == "sport_culture", (seed, scope)
    for group in AUDIENCES:
        assert min(sectors("overall", group), key=sectors("overall", group).__getitem__) == "sport_culture"
    top_two = sorted(sectors("overall"), key=lambda s: -sectors("overall")[s])[:2]
    assert set(top_two) == {"social_family_community", "justice"}, seed
    for scope in ("multi_agency", "information_sharing"):
        means = sectors(scope)
        assert max(means, key=means.__getitem__) == "justice", (seed, scope)
        assert 0.4 <= means["justice"] - means["sport_culture"] <= 0.6, (seed, scope)
    for group in AUDIENCES:
        caf = sectors("caf", group)
        assert all(caf[s] >= 3 for s in SECTORS if s != "sport_culture"), (seed, group)
        assert caf["social_family_community"] >= 3.35, (seed, group)
        tac = sectors("tac", group)
        assert all(2.95 <= tac[s] <= 3.2 for s in ("early_years", "education", "social_family_community")), seed
        assert tac["sport_culture"] < 2.5, seed
        assert all(m < 3 for m in sectors("lead_professional", group).values()), (seed, group)
    stage = {scope: scopes[scope]["stage_means"] for scope in SCOPES}
    assert stage["overall"]["leader_manager"]["B"] - stage["overall"]["front_line"]["B"] >= 0.1, seed
    assert stage["tac"]["leader_manager"]["B"] > stage["tac"]["front_line"]["B"], seed
    assert stage["multi_agency"]["all"]["F"] < stage["multi_agency"]["all"]["H"], seed
    assert stage["information_sharing"]["all"]["D"] >= 3.5, seed
    assert stage["lead_professional"]["front_line"]["B"] < 2.5, seed


def test_the_design_two_trusts_without_leaders_and_front_line_answers_to_leader_stages(tmp_path: Path) -> None:
    path, _ = make_round(tmp_path, "--seed", "11")
    answers = pl.read_csv(path)
    audiences = answers.group_by("trust").agg(pl.col("audience").n_unique().alias("n"))
    assert audiences.filter(pl.col("n") == 1).height == 2
    respondents = answers.select("trust", "respondent", "sector", "audience").unique()
    per_trust = respondents.group_by("trust").len()["len"].to_numpy()
    assert per_trust.min() >= 24 and per_trust.mean() > 40  # at least the front line quota; more than 40 on average
    leader_stage_questions = ["Q1", "Q13", "Q14", "Q24", "Q25", "Q38", "Q39", "Q48", "Q49", "Q59"]
    front_line = answers.filter((pl.col("audience") == "front_line") & pl.col("question").is_in(leader_stage_questions))
    assert front_line.height > 1000  # some front line staff answered them (2.9) ...
    everyone = respondents.filter(pl.col("audience") == "front_line").height * len(leader_stage_questions)
    assert front_line.height < 0.8 * everyone  # ... but not all


def test_the_same_seed_gives_the_same_file_and_another_seed_another(tmp_path: Path) -> None:
    digests = []
    for n, seed in enumerate(["5", "5", "6"]):
        out = tmp_path / f"round{n}.csv"
        done = run_cli("synth", "--seed", seed, "--out", str(out))
        assert done.returncode == 0, done.stderr
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1] != digests[2]


def test_scale_multiplies_respondents_keeping_the_means(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    _, base = make_round(tmp_path / "one", "--seed", "3")
    _, double = make_round(tmp_path / "two", "--seed", "3", "--scale", "2")
    assert double["counts"]["respondents"]["all"] == 2 * base["counts"]["respondents"]["all"]
    for scope in SCOPES:
        assert double["scopes"][scope]["trust_means"] == pytest.approx(base["scopes"][scope]["trust_means"])
        assert (
            double["scopes"][scope]["responses"]["all"]["total"]
            == 2 * base["scopes"][scope]["responses"]["all"]["total"]
        )


def test_fewer_trusts(tmp_path: Path) -> None:
    _, results = make_round(tmp_path, "--seed", "2", "--trusts", "30")
    assert results["counts"]["trusts"] == 30
    bands = results["scopes"]["overall"]["trust_bands"]
    assert bands["no_score"] == 0
    assert sum(bands[band] for band in PUBLISHED["trust_mean_bands"]["overall"] if band != "at_or_above_midpoint") == 30


def test_compare_prints_every_item_reproduced() -> None:
    done = run_cli("synth", "--seed", "4", "--compare")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "differs" not in done.stdout
    last = lines[-1].split()
    assert last[0] == last[2] and int(last[0]) > 300  # "N of N items reproduced"
    assert any(line.startswith("CAF ownership (stage B), leader_manager (6.11)") and "3.07" in line for line in lines)


def test_synth_refuses_other_frameworks_and_bad_options(tmp_path: Path) -> None:
    done = run_cli("synth", "--scale", "0", "--out", str(tmp_path / "x.csv"))
    assert done.returncode == 2 and "scale" in done.stderr
    assert run_cli("synth").returncode == 2
    assert not (tmp_path / "x.csv").exists()
