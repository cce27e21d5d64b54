"""Reading and checking a framework file (YAML).

The loader collects every problem it can find before giving up, and names each by where it is in the file
(`practices[2] (caf) > questions[4] (Q29)`), so whoever writes a new framework can fix it in one pass.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from selfassess.errors import InvalidInput
from selfassess.framework.model import (
    AnswerOption,
    Audience,
    Band,
    Framework,
    Practice,
    Question,
    Sector,
    Stage,
)
from selfassess.text import ANSWER_CODE_LENGTH, CONTROL_IN_TEXT, ID_LENGTH, QUESTION_ID_LENGTH, shown

BUILTIN = "drilldown-2009.yaml"


@dataclass(frozen=True)
class Described:
    """The scores each question must describe, and those it may."""

    required: list[str]
    allowed: list[str]


MAX_BYTES = 2_000_000  # a framework file is a few tens of kilobytes; this leaves room and bounds the parser

# Bounds on what a framework may hold, checked before anything is built from it, so that any framework that
# loads can be analysed, reported and printed, and no file can make the service do unbounded work.
MAX_EVENTS = 200_000  # YAML parse events: every value, list and mapping (2009's file has about 3,000)
MAX_DEPTH = 20  # lists and mappings inside one another (a framework needs 5)
# A data-entry workbook holds a column per question after its four (16,384 columns at most), and each
# question is a row of the reports' appendix: 1,000 is far beyond any self-assessment and well within both.
MAX_QUESTIONS = 1_000
MAX_PARTS = {"audiences": 10, "sectors": 50, "stages": 50, "practices": 50, "scale": 20, "bands": 20}
MAX_TEXT = 2_000  # characters of a question's text or a descriptor; titles and labels have less
MAX_TITLE = 200
MAX_SCORE = 1_000  # scores, and the largest number a framework may state (midpoint, notable, band edges)
MAX_QUOTA = 1_000  # respondents asked for per sector and audience
# A number as a framework writes it: at most six digits before the point and six after, no exponent.
PLAIN_NUMBER = re.compile(r"-?\d{1,6}(\.\d{1,6})?")


class FrameworkError(InvalidInput):
    """A framework file that cannot be used; `problems` says everything that is wrong with it."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))

    def report(self, command: str) -> list[str]:
        return [f"framework file {self.source} cannot be used:", *(f"  {p}" for p in self.problems[:20])]


def builtin_path() -> Path:
    return Path(str(resources.files("selfassess") / "frameworks" / BUILTIN))


def builtin_frameworks() -> dict[Path, Framework]:
    """Every framework that comes with selfassess, by file, the 2009 drill down first."""
    paths = sorted(builtin_path().parent.glob("*.yaml"), key=lambda p: (p.name != BUILTIN, p.name))
    return {path: load_framework(path) for path in paths}


def load_framework(path: str | Path | None = None) -> Framework:
    """Load and check a framework file; the built-in 2009 drill down when no path is given."""
    source = Path(path) if path is not None else builtin_path()
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(str(source), [f"cannot read the file ({exc})"]) from None
    return framework_from_text(text, str(source))


@lru_cache(maxsize=32)
def framework_from_text(text: str, source: str = "framework") -> Framework:
    """Parse and check a framework file's text. Remembered: a web server asks for the same framework on every
    request, and parsing and checking it each time would cost more than the request itself."""
    _check_text(text, source)
    try:
        _check_shape(text, source)
        # libyaml's loader when the wheel has it: ten times faster than the pure Python one.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise FrameworkError(source, [f"{where}not valid YAML ({getattr(exc, 'problem', None) or exc})"]) from None
    except FrameworkError:
        raise
    except (ValueError, OverflowError):  # a value YAML reads but Python will not hold (a 5,000-digit number)
        raise FrameworkError(
            source, ["a number is too long to read; a framework's numbers have a few digits"]
        ) from None
    try:
        return parse_framework(data, source)
    except FrameworkError as error:
        raise FrameworkError(source, located(text, error.problems)) from None


def located(text: str, problems: list[str]) -> list[str]:
    """Each problem with the line and column of the part of the file it is about ("practices[1] (caf) >
    questions[4] (Q29): ..." names a path through the file), where that part can be found."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return problems
    out = []
    for problem in problems:
        where, _, what = problem.partition(": ")
        node = _node(root, where) if what else None
        out.append(
            f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}: {problem}" if node else problem
        )
    return out


def _node(root: Any, where: str) -> Any:
    """The YAML node a problem's path names, or the deepest one found on the way; None if not even the first."""
    node, found = root, None
    for part in where.split(" > "):
        step = re.match(r"\s*([A-Za-z_]+)(?:\[(\d+)\])?", part)
        if step is None or not isinstance(node, yaml.MappingNode):
            break
        value = next((v for k, v in node.value if getattr(k, "value", None) == step[1]), None)
        if value is None:
            break
        node = found = value
        if step[2] is not None:
            if not isinstance(node, yaml.SequenceNode) or int(step[2]) >= len(node.value):
                break
            node = found = node.value[int(step[2])]
    return found


def _check_text(text: str, source: str) -> None:
    """Before parsing: the size, and no control characters (a NUL byte in a title would be refused by PostgreSQL
    when the round is saved; a stray escape character is never meant)."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise FrameworkError(
            source, [f"the file is larger than {MAX_BYTES // 1_000_000} MB; a framework is far smaller"]
        )
    problems = []
    for found in itertools.islice(CONTROL_IN_TEXT.finditer(text), 20):
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        problems.append(f"line {line}, column {column}: a control character ({shown(found.group())}); delete it")
    if problems:
        raise FrameworkError(source, problems)


def _check_shape(text: str, source: str) -> None:
    """Before anything is built from the parsed file: no aliases (a value that stands for another, which a
    small file can use to stand for millions of values), nothing nested deeper than MAX_DEPTH, and at most
    MAX_EVENTS values in all. Walks the parser's events, which hold one value at a time."""
    depth = 0
    for events, event in enumerate(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), start=1):
        mark = event.start_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "somewhere"
        if isinstance(event, yaml.AliasEvent):
            raise FrameworkError(source, [f"{where}: an alias (*{event.anchor}); write the value out in full"])
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrameworkError(source, [f"{where}: nested more than {MAX_DEPTH} deep; a framework needs 5"])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if events > MAX_EVENTS:
            raise FrameworkError(source, [f"{where}: more than {MAX_EVENTS:,} values; a framework has far fewer"])


def parse_framework(data: Any, source: str = "framework") -> Framework:
    checker = _Checker()
    framework = checker.framework(data)
    if checker.problems or framework is None:
        raise FrameworkError(source, checker.problems or ["not a framework"])
    return framework


class _Checker:
    """Builds a Framework from parsed YAML, noting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}" if where else what)

    # --- small typed getters -------------------------------------------------------------------------

    def text(
        self, obj: dict[str, Any], key: str, where: str, required: bool = True, max_length: int = MAX_TITLE
    ) -> str:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(where, f"'{key}' is missing or empty")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(where, f"'{key}' should be text")
            return ""
        found = str(value).strip()
        if len(found) > max_length:
            self.problem(where, f"'{key}' is {len(found):,} characters long; it can be at most {max_length:,}")
            return ""
        return found

    def identifier(self, obj: dict[str, Any], key: str, where: str, max_length: int = ID_LENGTH) -> str:
        """An id or code: text, and no longer than the database keeps."""
        value = self.text(obj, key, where)
        if len(value) > max_length:
            self.problem(where, f"'{key}' is {len(value)} characters long; it can be at most {max_length}")
        return value

    def number(self, obj: dict[str, Any], key: str, where: str, required: bool = True) -> Fraction | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(where, f"'{key}' is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.problem(where, f"'{key}' should be a number")
            return None
        # Checked as written before any arithmetic: 1e999999999 or a thousand decimal places would cost the
        # exact fractions every decision is made with far more than any framework needs.
        written = str(value).strip()
        if len(written) > 20 or not PLAIN_NUMBER.fullmatch(written) or abs(Fraction(written)) > MAX_SCORE:
            self.problem(
                where,
                f"'{key}' should be a number from -{MAX_SCORE} to {MAX_SCORE} with at most six decimal places, "
                f"not {shown(written[:20])}",
            )
            return None
        # str() first, so that 0.2 becomes exactly 1/5 rather than the nearest binary fraction.
        return Fraction(written)

    def items(self, obj: dict[str, Any], key: str, where: str, most: int | None = None) -> list[dict[str, Any]]:
        value = obj.get(key)
        if not isinstance(value, list) or not value:
            self.problem(where, f"'{key}' should be a non-empty list")
            return []
        most = MAX_PARTS.get(key, MAX_QUESTIONS) if most is None else most
        if len(value) > most:
            self.problem(where or key, f"'{key}' has {len(value):,} entries; a framework may have at most {most:,}")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                good.append(item)
            else:
                self.problem(f"{key}[{i}]", "should be a mapping of fields")
        return good

    def unique(self, ids: Iterable[str], what: str) -> None:
        for value, n in Counter(ids).items():
            if n > 1 and value:
                self.problem(what, f"id '{value}' is used {n} times")

    # --- the parts -----------------------------------------------------------------------------------

    def framework(self, data: Any) -> Framework | None:
        if not isinstance(data, dict):
            self.problem("", "the file should be a mapping with id, title, scale, practices and so on")
            return None
        fid = self.identifier(data, "id", "")
        title = self.text(data, "title", "")
        midpoint = self.number(data, "midpoint", "")
        notable = self.number(data, "notable", "")
        audiences = self.audiences(data)
        audience_ids = [a.id for a in audiences]
        scale = self.scale(data)
        bands = self.bands(data)
        sectors = self.sectors(data)
        stages = self.stages(data, audience_ids)
        quota = self.quota(data, audience_ids)
        commonalities = self.commonalities(data)
        unit, units, unit_title, unit_titles = self.unit(data)
        scores = sorted(a.score for a in scale if a.score is not None)
        described = Described([], [str(s) for s in scores])
        if scores and midpoint is not None:
            if not scores[0] < midpoint < scores[-1]:
                self.problem("midpoint", f"{float(midpoint):g} should lie between the lowest and highest scores")
            # Every question describes the two ends of the scale, and the midpoint when it is a score; it may
            # describe any other score too (a four-point scale usually describes all four).
            ends = {scores[0], scores[-1]} | ({int(midpoint)} if midpoint in scores else set())
            described = Described([str(s) for s in sorted(ends)], [str(s) for s in scores])
        practices = self.practices(data, [s.id for s in stages], described)
        if notable is not None and notable <= 0:
            self.problem("notable", "should be a positive number")
        if self.problems or midpoint is None or notable is None:
            return None
        return Framework(
            id=fid,
            title=title,
            midpoint=midpoint,
            notable=notable,
            scale=tuple(scale),
            bands=tuple(bands),
            audiences=tuple(audiences),
            sectors=tuple(sectors),
            stages=tuple(stages),
            practices=tuple(practices),
            quota=quota,
            commonalities=tuple(commonalities),
            unit=unit,
            units=units,
            unit_title=unit_title,
            unit_titles=unit_titles,
        )

    def unit(self, data: dict[str, Any]) -> tuple[str, str, str, str]:
        """What one partnership taking part is called, singular and plural, in running text and as a report
        names them (optional: "trust", "trusts"; the titles default to those capitalised)."""
        found = data.get("unit")
        if found is None:
            return "trust", "trusts", "Trust", "Trusts"
        if not isinstance(found, dict):
            self.problem("unit", "should be a mapping with singular and plural, like {singular: trust, plural: trusts}")
            return "trust", "trusts", "Trust", "Trusts"
        singular, plural = self.identifier(found, "singular", "unit"), self.identifier(found, "plural", "unit")
        title = self.text(found, "title", "unit", False) or singular.capitalize()
        titles = self.text(found, "titles", "unit", False) or plural.capitalize()
        return singular, plural, title, titles

    def audiences(self, data: dict[str, Any]) -> list[Audience]:
        out = []
        for i, item in enumerate(self.items(data, "audiences", "")):
            where = f"audiences[{i}]"
            out.append(Audience(self.identifier(item, "id", where), self.text(item, "title", where)))
        self.unique((a.id for a in out), "audiences")
        return out

    def sectors(self, data: dict[str, Any]) -> list[Sector]:
        out = []
        for i, item in enumerate(self.items(data, "sectors", "")):
            where = f"sectors[{i}]"
            title = self.text(item, "title", where)
            short = self.text(item, "short", where, False) or title
            in_text = self.text(item, "in_text", where, False) or title.lower()
            out.append(Sector(self.identifier(item, "id", where), title, short, in_text))
        self.unique((s.id for s in out), "sectors")
        return out

    def stages(self, data: dict[str, Any], audience_ids: list[str]) -> list[Stage]:
        out = []
        for i, item in enumerate(self.items(data, "stages", "")):
            where = f"stages[{i}]"
            sid = self.identifier(item, "id", where)
            title = self.text(item, "title", where)
            meant_for = item.get("audiences", audience_ids)
            if not isinstance(meant_for, list) or not meant_for:
                self.problem(where, "'audiences' should be a non-empty list of audience ids")
                meant_for = []
            for aud in meant_for:
                if aud not in audience_ids:
                    self.problem(where, f"audience '{aud}' is not one of {', '.join(audience_ids)}")
            short = self.text(item, "short", where, False) or title
            out.append(Stage(sid, title, short, tuple(str(a) for a in meant_for)))
        self.unique((s.id for s in out), "stages")
        return out

    def scale(self, data: dict[str, Any]) -> list[AnswerOption]:
        out = []
        for i, item in enumerate(self.items(data, "scale", "")):
            where = f"scale[{i}]"
            code = self.identifier(item, "code", where, ANSWER_CODE_LENGTH)
            score = item.get("score")
            if score is not None and (
                isinstance(score, bool) or not isinstance(score, int) or not -MAX_SCORE <= score <= MAX_SCORE
            ):
                self.problem(
                    where,
                    f"'score' should be a whole number from -{MAX_SCORE} to {MAX_SCORE}, or left out for a "
                    "non-scoring answer",
                )
                score = None
            if code and code != code.upper():
                self.problem(where, f"code '{code}' should be in capitals (answers are matched ignoring case)")
            title = self.text(item, "title", where, False) or None
            out.append(AnswerOption(code, self.text(item, "label", where), score, title))
        self.unique((a.code for a in out), "scale")
        scores = [a.score for a in out if a.score is not None]
        if len(scores) < 2:
            self.problem("scale", "needs at least two scored answers")
        elif scores != sorted(set(scores)):
            self.problem("scale", "scores should be listed in increasing order, each once")
        return out

    def bands(self, data: dict[str, Any]) -> list[Band]:
        out = []
        for i, item in enumerate(self.items(data, "bands", "")):
            where = f"bands[{i}]"
            out.append(
                Band(
                    self.identifier(item, "id", where),
                    self.text(item, "title", where),
                    self.number(item, "lower", where, required=False),
                    self.number(item, "upper", where, required=False),
                )
            )
        self.unique((b.id for b in out), "bands")
        if out:
            # The bands must cover every possible mean exactly once.
            if out[0].lower is not None:
                self.problem("bands[0]", "the first band should have no 'lower' (it starts from the lowest score)")
            if out[-1].upper is not None:
                self.problem(f"bands[{len(out) - 1}]", "the last band should have no 'upper'")
            for i, (a, b) in enumerate(itertools.pairwise(out)):
                if a.upper is None or b.lower is None or a.upper != b.lower:
                    self.problem(f"bands[{i + 1}]", "'lower' should equal the previous band's 'upper'")
                elif b.upper is not None and b.upper <= b.lower:
                    self.problem(f"bands[{i + 1}]", "'upper' should be greater than 'lower'")
        return out

    def quota(self, data: dict[str, Any], audience_ids: list[str]) -> dict[str, int]:
        value = data.get("quota", {})
        if not isinstance(value, dict):
            self.problem("quota", "should map audience ids to a number of respondents per sector")
            return {}
        out = {}
        for aud, n in value.items():
            if aud not in audience_ids:
                self.problem("quota", f"'{aud}' is not an audience")
            elif isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_QUOTA:
                self.problem("quota", f"'{aud}' should be a whole number of respondents from 0 to {MAX_QUOTA}")
            else:
                out[str(aud)] = n
        return out

    def commonalities(self, data: dict[str, Any]) -> list[dict[str, str]]:
        value = data.get("commonalities", [])
        if not isinstance(value, list):
            self.problem("commonalities", "should be a list of rows, each mapping scores to text")
            return []
        out = []
        for i, row in enumerate(value):
            if not isinstance(row, dict) or not all(isinstance(v, str) for v in row.values()):
                self.problem(f"commonalities[{i}]", "should map scores to text")
                continue
            out.append({str(k): v.strip() for k, v in row.items()})
        return out

    def practices(self, data: dict[str, Any], stage_ids: list[str], described: Described) -> list[Practice]:
        out = []
        for i, item in enumerate(self.items(data, "practices", "")):
            pid = self.identifier(item, "id", f"practices[{i}]")
            where = f"practices[{i}] ({pid})"
            questions = []
            for j, q in enumerate(self.items(item, "questions", where)):
                questions.append(self.question(q, pid, f"{where} > questions[{j}]", stage_ids, described))
            asked = {q.stage for q in questions}
            missing = [s for s in stage_ids if s not in asked]
            if questions and missing:
                self.problem(where, f"no question for stage {', '.join(missing)} (every stage needs one)")
            out.append(Practice(pid, self.text(item, "title", where), tuple(questions)))
        self.unique((p.id for p in out), "practices")
        self.unique((q.id for p in out for q in p.questions), "questions")
        count = sum(len(p.questions) for p in out)
        if count > MAX_QUESTIONS:
            self.problem("practices", f"{count:,} questions in all; a framework may have at most {MAX_QUESTIONS:,}")
        return out

    def question(
        self, item: dict[str, Any], practice: str, where: str, stage_ids: list[str], described: Described
    ) -> Question:
        qid = self.identifier(item, "id", where, QUESTION_ID_LENGTH)
        where = f"{where} ({qid})" if qid else where
        stage = self.text(item, "stage", where)
        if stage and stage not in stage_ids:
            self.problem(where, f"stage '{stage}' is not one of {', '.join(stage_ids)}")
        descriptors = item.get("descriptors")
        found: dict[str, str] = {}
        if not isinstance(descriptors, dict):
            self.problem(where, f"'descriptors' should give the text for scores {', '.join(described.required)}")
        else:
            found = {str(k): str(v).strip() for k, v in descriptors.items() if v is not None and str(v).strip()}
            for score, said in found.items():
                if len(said) > MAX_TEXT:
                    self.problem(
                        where, f"descriptor {shown(score[:10])} is {len(said):,} characters; at most {MAX_TEXT:,}"
                    )
            for score in described.required:
                if score not in found:
                    self.problem(where, f"no descriptor for score {score}")
            for extra in sorted(set(found) - set(described.allowed)):
                self.problem(where, f"descriptor '{extra}' is not one of the scores {', '.join(described.allowed)}")
        ordered = {s: found[s] for s in described.allowed if s in found}
        return Question(qid, practice, stage, self.text(item, "text", where, max_length=MAX_TEXT), ordered)
