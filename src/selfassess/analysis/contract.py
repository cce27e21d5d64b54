"""The results JSON (contract sections 3, 3b, 3c, 3d and 4) as types, so that code reading it is checked by mypy: a
misspelt or missing key is an error before it is a wrong report.

The results are built and stored as plain dicts (`results()`, `results.json`); `as_results` gives the reports
this typed view of one. Keys named by the framework or the data (audience, sector, stage, trust and question ids,
answer codes, band ids) are mappings; the keys the contract fixes are fields. Answer counts sit beside the fixed
keys of `responses` under the framework's codes, which a type cannot name: `answer_count` reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, cast

Interval = list[float]  # [low, high] of a 95% interval


class Named(TypedDict):
    id: str
    title: str


class Counts(TypedDict):
    trusts: int
    trusts_with_both_audiences: int
    respondents: dict[str, int]  # by audience id, and "all"


class Responses(TypedDict):
    """One group's answers (contract 3 and 3b); the count of each answer code is beside these (`answer_count`)."""

    total: int
    scored: int
    mean: float | None
    pct_scored: float | None
    se: float | None
    ci95: Interval | None


class TrustCounts(TypedDict):
    """How many units' means lie where the findings' rules look (decided exactly by the engine)."""

    notably_above_midpoint: int
    within_notable_of_midpoint: int
    nearer_top_than_midpoint: int
    nearer_bottom_than_midpoint: int


class Clear(TypedDict):
    sectors_above: list[str]
    sectors_below: list[str]
    stages_above: list[str]
    stages_below: list[str]


class Notable(TypedDict):
    sectors_above: list[str]
    sectors_below: list[str]
    stages_above: list[str]
    stages_below: list[str]
    clear: Clear


class AudienceGaps(TypedDict):
    """Where the audiences' means differ by the notable difference or more."""

    overall: bool
    stages: list[str]
    sectors: list[str]


class Question(TypedDict):
    practice: str
    stage: str
    responses: dict[str, Responses]  # by audience id, and "all"
    trust_means: dict[str, float | None]
    trust_band: dict[str, str | None]
    trust_bands: dict[str, int]  # by band id, "at_or_above_midpoint" and "no_score"
    trust_counts: TrustCounts
    trust_mean_min: float | None
    trust_mean_max: float | None
    sector_means: dict[str, dict[str, float | None]]  # audience, then sector
    trust_ci95: dict[str, Interval | None]
    sector_ci95: dict[str, dict[str, Interval | None]]


class Scope(TypedDict):
    questions: int
    responses: dict[str, Responses]
    trust_means: dict[str, float | None]
    trust_band: dict[str, str | None]
    trust_bands: dict[str, int]
    trust_counts: TrustCounts
    trust_mean_min: float | None
    trust_mean_max: float | None
    stage_means: dict[str, dict[str, float | None]]  # audience, then stage
    sector_means: dict[str, dict[str, float | None]]
    notable: Notable
    audience_gaps_notable: AudienceGaps
    trust_ci95: dict[str, Interval | None]
    stage_ci95: dict[str, dict[str, Interval | None]]
    sector_ci95: dict[str, dict[str, Interval | None]]
    trust_means_standardised: dict[str, float | None]
    design_effect: float | None
    icc: float | None
    alpha: float | None
    alpha_n: int


class Change(TypedDict):
    earlier_mean: float | None
    later_mean: float | None
    change: float | None
    change_ci95: Interval | None


class Matched(TypedDict):
    trusts: int
    mean_change: float | None
    ci95: Interval | None
    improved_notably: int
    declined_notably: int
    improved_clearly: int
    declined_clearly: int


class ScopeChange(TypedDict):
    responses: dict[str, Change]
    stage_change: dict[str, dict[str, Change]]
    sector_change: dict[str, dict[str, Change]]
    trust_change: dict[str, Change]
    matched: Matched
    band_transitions: dict[str, dict[str, int]]


class Earlier(TypedDict):
    framework: Named
    label: str


class Comparison(TypedDict):
    earlier: Earlier
    questions_left_out: list[str]
    scopes: dict[str, ScopeChange]


class _Results(TypedDict):
    schema: str
    framework: Named
    counts: Counts
    scopes: dict[str, Scope]
    questions: dict[str, Question]


class GroupResponses(TypedDict):
    n: int
    mean: float | None
    se: float | None
    ci95: Interval | None


class GroupScope(TypedDict):
    shown: bool
    with_mean: int
    responses: dict[str, GroupResponses]
    stage_means: dict[str, dict[str, float | None]]
    stage_ci95: dict[str, dict[str, Interval | None]]
    trust_means: dict[str, float | None]  # best, median, lowest


class GroupQuestion(TypedDict):
    shown: bool
    with_mean: int
    responses: dict[str, GroupResponses]


class Group(TypedDict):
    trusts: list[str]
    scopes: dict[str, GroupScope]
    questions: dict[str, GroupQuestion]


class Place(TypedDict):
    rank: int | None
    of: int
    difference: float | None
    difference_ci95: Interval | None
    notable: str | None  # "above", "below"


class TrustGroup(TypedDict):
    group: str
    scopes: dict[str, Place]


class Groups(TypedDict):
    attribute: str
    min_trusts: int
    of: dict[str, Group]
    trust_group: dict[str, TrustGroup]


class Results(_Results, total=False):
    comparison: Comparison  # present when an earlier round is given (contract 3c)
    groups: Groups  # present when benchmark groups are given (contract 3d)


def as_results(found: Mapping[str, object]) -> Results:
    """The typed view of results made by `results()` or read from a results JSON (the same object, unchanged)."""
    return cast(Results, found)


def answer_count(responses: Responses, code: str) -> int:
    """How many answers of this code (a framework's answer code) a group has."""
    return int(cast(dict[str, Any], responses)[code])
