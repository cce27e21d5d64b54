"""The framework as plain, immutable data: what is asked, of whom, on what scale, and how it is reported.

Everything that needs to know the questionnaire (the readers of response files, the statistics, the reports,
the online and paper forms) takes a `Framework` rather than hard-coding ids, so another programme's framework
is another YAML file, not new code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Audience:
    id: str
    title: str


@dataclass(frozen=True)
class Sector:
    id: str
    title: str
    short: str
    in_text: str = ""  # as a sentence names it ("the third sector"); the title in lower case if not given


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    short: str
    audiences: tuple[str, ...]  # the audiences this stage is meant for


@dataclass(frozen=True)
class Question:
    id: str
    practice: str
    stage: str
    text: str
    descriptors: dict[str, str]  # score ("1", "3", "5") -> what that score looks like for this question


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class AnswerOption:
    code: str  # as written in response files: "1".."5", "NA", "DK"
    label: str
    score: int | None  # None for the non-scoring answers
    title: str | None = None


@dataclass(frozen=True)
class Band:
    """A half-open interval [lower, upper) of trust mean scores; None means unbounded."""

    id: str
    title: str
    lower: Fraction | None
    upper: Fraction | None


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    midpoint: Fraction
    notable: Fraction
    scale: tuple[AnswerOption, ...]
    bands: tuple[Band, ...]
    audiences: tuple[Audience, ...]
    sectors: tuple[Sector, ...]
    stages: tuple[Stage, ...]
    practices: tuple[Practice, ...]
    quota: dict[str, int] = field(default_factory=dict)  # respondents asked for per sector, by audience
    commonalities: tuple[dict[str, str], ...] = ()
    # What one local partnership taking part is called, singular and plural ("trust", "trusts").
    unit: str = "trust"
    units: str = "trusts"
    # How a report names them in titles and formal sentences ("Children's Trust", "Children's Trusts").
    unit_title: str = "Trust"
    unit_titles: str = "Trusts"

    # Lookups used all over; computed once.

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for p in self.practices for q in p.questions)

    @cached_property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def answer_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.scale)

    @cached_property
    def scored_options(self) -> tuple[AnswerOption, ...]:
        return tuple(a for a in self.scale if a.score is not None)

    @property
    def audience_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.audiences)

    @property
    def sector_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sectors)

    @property
    def stage_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stages)

    @property
    def practice_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.practices)

    @property
    def described_scores(self) -> tuple[str, ...]:
        """Every score some question describes, in order: what the instructions say the descriptions cover."""
        return tuple(sorted({s for q in self.questions for s in q.descriptors}, key=int))

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes of statistics: everything pooled, then each practice."""
        return ("overall", *self.practice_ids)

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)

    def practice(self, practice_id: str) -> Practice:
        return next(p for p in self.practices if p.id == practice_id)

    def scope_question_ids(self, scope: str) -> tuple[str, ...]:
        if scope == "overall":
            return self.question_ids
        return tuple(q.id for q in self.practice(scope).questions)

    def to_json(self) -> dict[str, Any]:
        """The framework as contract section 1 describes it (numbers as plain JSON numbers)."""
        return {
            "id": self.id,
            "title": self.title,
            "unit": {
                "singular": self.unit,
                "plural": self.units,
                "title": self.unit_title,
                "titles": self.unit_titles,
            },
            "midpoint": _number(self.midpoint),
            "notable": _number(self.notable),
            "scale": [
                {"code": a.code, "label": a.label, "score": a.score, **({"title": a.title} if a.title else {})}
                for a in self.scale
            ],
            "bands": [
                {
                    "id": b.id,
                    "title": b.title,
                    "lower": None if b.lower is None else _number(b.lower),
                    "upper": None if b.upper is None else _number(b.upper),
                }
                for b in self.bands
            ],
            "practices": [
                {
                    "id": p.id,
                    "title": p.title,
                    "questions": [
                        {"id": q.id, "stage": q.stage, "text": q.text, "descriptors": dict(q.descriptors)}
                        for q in p.questions
                    ],
                }
                for p in self.practices
            ],
            "stages": [
                {"id": s.id, "title": s.title, "short": s.short, "audiences": list(s.audiences)} for s in self.stages
            ],
            "sectors": [{"id": s.id, "title": s.title, "short": s.short} for s in self.sectors],
            "audiences": [{"id": a.id, "title": a.title} for a in self.audiences],
            "quota": dict(self.quota),
            "commonalities": [dict(c) for c in self.commonalities],
        }


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)
