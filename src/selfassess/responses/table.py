"""The validated table of answers that every reader produces and the statistics engine consumes.

Every route in (the long CSV, the paper-entry CSV or XLSX, the web application's database) ends in
`validate()`, so the rules of contract section 2 are written once. The work is column-wise: each column's
distinct values are checked and coded once, then every row is coded by an array look-up, so a file of fifty
million answers costs a few passes over integer arrays, not fifty million Python calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from selfassess.framework import Framework
from selfassess.responses.problems import MAX_PROBLEMS, InvalidResponses, Problem, ProblemList, id_list
from selfassess.text import CONTROL, HAS_APOSTROPHE, ID_LENGTH, problem_with, shown

COLUMNS = ("trust", "respondent", "sector", "audience", "question", "answer")
FRAMEWORK_COLUMNS = ("sector", "audience", "question", "answer")  # values must be framework ids
ID_COLUMNS = ("trust", "respondent")  # free text: no control characters, at most ID_LENGTH characters

# (row index in the frame being validated, column name) -> where a person finds it: "line 7", "cell F7".
Locate = Callable[[int, str], str]


@dataclass(frozen=True, eq=False)
class ResponseTable:
    """Answers that passed every rule, one per row, held as integer codes.

    `codes[c]` for c in trust, sector, audience, question, answer is the position of each row's value in
    `trusts` (natural order) or in the framework's ids; `respondent_codes` number respondents within the file
    (a respondent is a trust and a respondent id together). `respondents` has one row per respondent.
    """

    framework: Framework
    trusts: tuple[str, ...]
    codes: dict[str, np.ndarray]
    respondent_codes: np.ndarray
    respondent_names: pl.Series  # respondent id text, by respondent code
    respondents: pl.DataFrame  # trust, respondent, sector, audience (Enums but respondent)

    def __len__(self) -> int:
        return len(self.respondent_codes)

    @cached_property
    def answers(self) -> pl.DataFrame:
        """The tidy table: the six contract columns, as Enums of their ids (respondent as Categorical)."""
        return pl.DataFrame(
            {
                "trust": enum_series(self.codes["trust"], self.trusts),
                "respondent": self.respondent_names.gather(self.respondent_codes),
                **{c: enum_series(self.codes[c], allowed_ids(self.framework, c)) for c in FRAMEWORK_COLUMNS},
            }
        )


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts 'T2' before 'T10'."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


def allowed_ids(framework: Framework, column: str) -> tuple[str, ...]:
    return {
        "sector": framework.sector_ids,
        "audience": framework.audience_ids,
        "question": framework.question_ids,
        "answer": framework.answer_codes,
    }[column]


def enum_series(codes: np.ndarray, categories: tuple[str, ...] | list[str]) -> pl.Series:
    width = np.uint8 if len(categories) <= 2**8 else np.uint16 if len(categories) <= 2**16 else np.uint32
    return pl.Series(codes.astype(width, copy=False)).cat.to(pl.Enum(list(categories)))


def validate(raw: pl.DataFrame, framework: Framework, locate: Locate) -> ResponseTable:
    """Check a frame with the six contract columns (text or categorical) and code it, or raise InvalidResponses."""
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise InvalidResponses([Problem("line 1", f"missing column{'s' * (len(missing) > 1)}: {', '.join(missing)}")])
    raw = raw.select(pl.col(c).cast(pl.Categorical) for c in COLUMNS)
    raw, locate = _drop_blank_rows(raw, locate)
    if raw.height == 0:
        raise InvalidResponses([Problem("line 2", "no responses: there is a header but no answers under it")])
    problems = ProblemList()
    coders = _code_columns(raw, COLUMNS, framework, locate, problems)
    problems.raise_if_any()
    codes = {c: coders[c].codes() for c in ("trust", *FRAMEWORK_COLUMNS)}
    respondent_codes, names, respondents = _check_respondents(raw, codes, coders, framework, locate, problems)
    problems.raise_if_any()
    trusts = tuple(coders["trust"].categories)
    return ResponseTable(framework, trusts, codes, respondent_codes, names, respondents)


def check_values(
    frame: pl.DataFrame, columns: tuple[str, ...], framework: Framework, locate: Locate, problems: ProblemList
) -> None:
    """Note blank or unknown values in some of the contract columns of any frame (text or categorical)."""
    frame = frame.select(pl.col(c).cast(pl.Categorical) for c in columns)
    _code_columns(frame, columns, framework, locate, problems)


def _drop_blank_rows(raw: pl.DataFrame, locate: Locate) -> tuple[pl.DataFrame, Locate]:
    """Rows with every field empty (a blank line, a spreadsheet's empty row) are not answers: skip them."""
    if not any(raw.get_column(c).null_count() for c in COLUMNS):
        return raw, locate
    blank = raw.select(pl.all_horizontal(pl.col(c).is_null() for c in COLUMNS)).to_series()
    if not blank.any():
        return raw, locate
    kept = np.flatnonzero(~blank.to_numpy())
    return raw.filter(~blank), lambda row, column: locate(int(kept[row]), column)


class _ColumnCoder:
    """One column's distinct values, checked and turned into codes once: a look-up table by category.

    Categorical columns store each row as a small integer (its category); checking the few distinct
    categories and then indexing a table by that integer codes the whole column in one array operation.
    """

    def __init__(self, raw: pl.DataFrame, column: str, framework: Framework) -> None:
        self.column = column
        self.series = raw.get_column(column)
        distinct = self.series.drop_nulls().unique()
        physical = distinct.to_physical().to_numpy()
        text = distinct.cast(pl.String)
        normal = text.str.strip_chars()
        if column == "answer":
            normal = normal.str.to_uppercase()
        if column in ID_COLUMNS:
            # A spreadsheet's text marker, as text.spreadsheet_safe writes it, is not part of the id.
            normal = normal.str.replace(HAS_APOSTROPHE, "${1}")
        self.sentinel = int(physical.max()) + 1 if len(physical) else 0  # stands for a missing value
        self.categories: list[str] = []
        self._names = pl.Series(dtype=pl.String)
        if column == "respondent":
            # Numbered 0..n-1 over the distinct ids (a Categorical's own numbers can be far larger, being
            # shared with every Categorical in the process), so they can index a small array.
            self._names = normal.filter(normal != "").unique().sort()
            mapped = _positions(normal, self._names)
        elif column == "trust":
            self.categories = sorted(set(normal.filter(normal != "").to_list()), key=natural_key)
            mapped = _positions(normal, pl.Series(self.categories, dtype=pl.String))
        else:
            self.categories = list(allowed_ids(framework, column))
            mapped = normal.replace_strict(
                {v: i for i, v in enumerate(self.categories)}, default=None, return_dtype=pl.Int64
            )
        if column in ID_COLUMNS:
            # One check per distinct value: a control character or an over-long id makes the value unusable.
            unusable = normal.str.contains(CONTROL.pattern) | (normal.str.len_chars() > ID_LENGTH)
            mapped = pl.select(pl.when(unusable).then(None).otherwise(mapped)).to_series()
        mapped_codes = mapped.fill_null(-1).to_numpy()
        # Narrow codes keep a fifty-million-row file's arrays small; arithmetic on them is widened where needed.
        width = {"respondent": np.int32, "trust": np.int32}.get(column, np.int16)
        self.lut = np.full(self.sentinel + 1, -1, dtype=width)
        self.lut[physical] = mapped_codes
        self.has_bad = bool((mapped_codes < 0).any()) or self.series.null_count() > 0

    def physical(self) -> np.ndarray:
        series = self.series.to_physical()
        if series.null_count():
            series = series.fill_null(self.sentinel)
        return series.to_numpy()

    def codes(self) -> np.ndarray:
        codes: np.ndarray = self.lut[self.physical()]
        return codes

    def names(self) -> pl.Series:
        """For the respondent column: the id text of each code."""
        return self._names

    def text_at(self, row: int) -> str | None:
        value = self.series[row]
        return None if value is None else str(value)


def _positions(values: pl.Series, categories: pl.Series) -> pl.Series:
    """Each value's position in `categories`; null where absent (and for blanks)."""
    index = categories.to_frame("v").with_row_index("i")
    return values.to_frame("v").join(index, on="v", how="left", maintain_order="left")["i"].cast(pl.Int64)


def _bad_value_message(column: str, value: str | None, framework: Framework) -> str:
    if value is None or not value.strip():
        if column == "answer":
            return "no answer given (leave the row out if the question was not answered)"
        return f"the {column} is blank"
    if column in ID_COLUMNS:
        return problem_with(value.strip(), f"{column} id", ID_LENGTH) or f"the {column} id '{shown(value)}' is unusable"
    value = shown(value)
    if column == "sector":
        return f"sector '{value}' is not recognised; use one of {id_list(framework.sector_ids, 20)}"
    if column == "audience":
        return f"audience '{value}' is not recognised; use {id_list(framework.audience_ids)}"
    if column == "question":
        return f"question '{value}' is not in this questionnaire ({id_list(framework.question_ids)})"
    return f"answer '{value}' is not allowed; use {id_list(framework.answer_codes)}"


def _code_columns(
    raw: pl.DataFrame, columns: tuple[str, ...], framework: Framework, locate: Locate, problems: ProblemList
) -> dict[str, _ColumnCoder]:
    """Code each column; word the first bad values in file order, across all columns, and count the rest."""
    coders = {column: _ColumnCoder(raw, column, framework) for column in columns}
    found: list[tuple[int, int, str]] = []
    total = 0
    for order, (column, coder) in enumerate(coders.items()):
        if coder.has_bad:
            bad = np.flatnonzero(coder.codes() < 0)
            total += len(bad)
            found.extend((int(row), order, column) for row in bad[:MAX_PROBLEMS])
    found.sort()
    for row, _, column in found[:MAX_PROBLEMS]:
        problems.add(locate(row, column), _bad_value_message(column, coders[column].text_at(row), framework))
    problems.add_count(total - min(total, MAX_PROBLEMS))
    return coders


def _check_respondents(
    raw: pl.DataFrame,
    codes: dict[str, np.ndarray],
    coders: dict[str, _ColumnCoder],
    framework: Framework,
    locate: Locate,
    problems: ProblemList,
) -> tuple[np.ndarray, pl.Series, pl.DataFrame]:
    """Number the respondents (a trust and a respondent id together) 0..n-1; check one sector and audience per
    respondent and one answer per question; return each row's respondent number, each number's id text,
    and one row per respondent (trust, respondent, sector, audience).

    All by scatter and gather over arrays indexed by small integer keys, never a sort or a hash of every row:
    where rows disagree, reading back what the last of them wrote finds it. Only a file that breaks a rule
    pays for finding the rows to name.
    """
    # Narrow integers throughout: on a large file every array here is tens of megabytes, and a fresh process
    # pays for each page it touches.
    trust = codes["trust"]
    ids = coders["respondent"].codes()
    pair, n_pairs = _pairs(trust, ids, len(coders["trust"].categories), int(ids.max()) + 1)
    present = np.zeros(n_pairs, dtype=bool)
    present[pair] = True
    number = np.cumsum(present, dtype=np.int64) - 1  # dense numbers for the pairs that occur
    n = int(number[-1]) + 1
    respondent = number.astype(np.int32 if n < 2**31 else np.int64)[pair]
    del present, number
    n_audiences = len(framework.audiences)
    group = codes["sector"].astype(np.int16) * n_audiences + codes["audience"]
    first = np.empty(n, dtype=group.dtype)
    first[respondent] = group
    if (first[respondent] != group).any():
        _report_mixed_groups(raw, respondent, group, locate, problems)
    answered = respondent.astype(np.int64) * len(framework.question_ids) + codes["question"]
    seen = np.zeros(n * len(framework.question_ids), dtype=bool)
    seen[answered] = True
    if int(np.count_nonzero(seen)) != len(answered):
        _report_repeats(raw, answered, locate, problems)
    del seen
    if problems:
        return respondent, pl.Series(dtype=pl.String), pl.DataFrame()
    trust_of, id_of = np.empty(n, dtype=trust.dtype), np.empty(n, dtype=ids.dtype)
    trust_of[respondent], id_of[respondent] = trust, ids
    names = coders["respondent"].names().gather(id_of)
    respondents = pl.DataFrame(
        {
            "trust": enum_series(trust_of, coders["trust"].categories),
            "respondent": names,
            "sector": enum_series(first // n_audiences, framework.sector_ids),
            "audience": enum_series(first % n_audiences, framework.audience_ids),
        }
    ).sort("trust", "respondent")
    return respondent, names, respondents


def _pairs(trust: np.ndarray, ids: np.ndarray, n_trusts: int, n_ids: int) -> tuple[np.ndarray, int]:
    """A key per row for (trust, respondent id), and how many keys there can be: the id alone when no id is
    used in two trusts (ids unique to a person); else trust x id when that is small enough to index an array
    by; else the distinct pairs, sorted."""
    owner = np.empty(n_ids, dtype=trust.dtype)
    owner[ids] = trust
    if (owner[ids] == trust).all():
        return ids, n_ids
    key = trust.astype(np.int64) * n_ids + ids
    if n_trusts * n_ids <= 50_000_000:
        return key, n_trusts * n_ids
    distinct, pair = np.unique(key, return_inverse=True)
    return pair, len(distinct)


def _first_rows(key: np.ndarray) -> pl.DataFrame:
    """For each row, the row where its key first appears."""
    return pl.DataFrame({"key": key}).with_row_index("row").with_columns(first=pl.col("row").first().over("key"))


def _who(raw: pl.DataFrame, row: int) -> str:
    respondent, trust = raw.get_column("respondent")[row], raw.get_column("trust")[row]
    return f"respondent '{str(respondent).strip()}' of trust '{str(trust).strip()}'"


def _report_mixed_groups(
    raw: pl.DataFrame, pair: np.ndarray, group: np.ndarray, locate: Locate, problems: ProblemList
) -> None:
    rows = (
        _first_rows(pair)
        .with_columns(group=pl.Series(group))
        .filter(pl.col("group") != pl.col("group").first().over("key"))
    )

    def where(row: int) -> str:
        return f"{str(raw['sector'][row]).strip()} / {str(raw['audience'][row]).strip()}"

    for row, first in rows.select("row", "first").head(MAX_PROBLEMS).iter_rows():
        problems.add(
            locate(row, "sector"),
            f"{_who(raw, row)} is {where(row)} here but {where(first)} at {locate(first, 'sector')}; "
            "all of a respondent's answers need the same sector and audience",
        )
    problems.add_count(max(rows.height - MAX_PROBLEMS, 0))


def _report_repeats(raw: pl.DataFrame, answered: np.ndarray, locate: Locate, problems: ProblemList) -> None:
    rows = _first_rows(answered).filter(pl.col("row") != pl.col("first"))
    for row, first in rows.select("row", "first").head(MAX_PROBLEMS).iter_rows():
        question = str(raw["question"][row]).strip()
        problems.add(
            locate(row, "question"),
            f"{_who(raw, row)} answers {question} a second time (first at {locate(first, 'question')})",
        )
    problems.add_count(max(rows.height - MAX_PROBLEMS, 0))
