"""The validated table of answers that every reader produces and the statistics engine consumes.

Every route in (the long CSV, the paper-entry CSV or XLSX, the web application's database) ends in
`validate()`, so the rules of contract section 2 are written once. The work is column-wise: each column's
distinct values are checked and coded once, then every row is coded by an array look-up, so a file of fifty
million answers costs a few passes over integer arrays, not fifty million Python calls.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from selfassess.framework import Framework
from selfassess.responses.problems import MAX_PROBLEMS, InvalidResponses, Problem, ProblemList, id_list
from selfassess.text import CONTROL, HAS_APOSTROPHE, ID_LENGTH, digits, problem_with, shown

COLUMNS = ("trust", "respondent", "sector", "audience", "question", "answer")
FRAMEWORK_COLUMNS = ("sector", "audience", "question", "answer")  # values must be framework ids
ID_COLUMNS = ("trust", "respondent")  # free text: no control characters, at most ID_LENGTH characters

# (row index in the frame being validated, column name) -> where a person finds it: "line 7", "cell F7".
Locate = Callable[[int, str], str]


@dataclass(frozen=True, eq=False)
class ResponseTable:
    """Answers that passed every rule, held as integer codes.

    Per answer: `respondent_codes` number the respondents within the file (a respondent is a trust and a
    respondent id together), and `codes["question"]`, `codes["answer"]` are positions in the framework's ids.
    Per respondent, indexed by that number: `respondent_names` is the id text, `groups["trust"]` a position
    in `trusts` (natural order), `groups["sector"]` and `groups["audience"]` positions in the framework's ids;
    being the same on all of a respondent's answers, they are held once.
    """

    framework: Framework
    trusts: tuple[str, ...]
    codes: dict[str, np.ndarray]
    respondent_codes: np.ndarray
    respondent_names: pl.Series  # respondent id text, by respondent code
    groups: dict[str, np.ndarray]
    # [respondent, question]: the code of each respondent's answer plus one, 0 where they gave none. The check
    # for repeated answers fills it; each person's answers side by side are what alpha and a trust's own
    # intervals need.
    grid: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.respondent_codes)

    def column_codes(self, column: str) -> np.ndarray:
        """Each answer's code in one of the columns trust, sector, audience, question, answer."""
        if column in self.groups:
            codes: np.ndarray = self.groups[column][self.respondent_codes]
            return codes
        return self.codes[column]

    @cached_property
    def respondents(self) -> pl.DataFrame:
        """One row per respondent: trust, respondent, sector, audience (Enums but respondent), sorted."""
        framework, groups = self.framework, self.groups
        return pl.DataFrame(
            {
                "trust": enum_series(groups["trust"], self.trusts),
                "respondent": self.respondent_names,
                "sector": enum_series(groups["sector"], framework.sector_ids),
                "audience": enum_series(groups["audience"], framework.audience_ids),
            }
        ).sort("trust", "respondent")

    @cached_property
    def answers(self) -> pl.DataFrame:
        """The tidy table: the six contract columns, as Enums of their ids (respondent as Categorical)."""
        return pl.DataFrame(
            {
                "trust": enum_series(self.column_codes("trust"), self.trusts),
                "respondent": self.respondent_names.gather(self.respondent_codes),
                **{c: enum_series(self.column_codes(c), allowed_ids(self.framework, c)) for c in FRAMEWORK_COLUMNS},
            }
        )


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts 'T2' before 'T10' (runs of 0 to 9 compared as numbers; anything else, other scripts'
    digits and superscripts among it, as text)."""
    return tuple((0, int(part)) if digits(part) else (1, part) for part in re.split(r"([0-9]+)", text) if part)


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
    raw = raw.select(with_own_categories(raw.get_column(c)) for c in COLUMNS)
    raw, locate = _drop_blank_rows(raw, locate)
    if raw.height == 0:
        raise InvalidResponses([Problem("line 2", "no responses: there is a header but no answers under it")])
    problems = ProblemList()
    coders = _code_columns(raw, COLUMNS, framework, locate, problems)
    problems.raise_if_any()
    starts = _run_starts(coders)
    codes = {c: coders[c].codes() for c in ("question", "answer")}
    respondent, names, groups, grid = _check_respondents(raw, starts, coders, codes, framework, locate, problems)
    problems.raise_if_any()
    trusts = tuple(coders["trust"].categories)
    return ResponseTable(framework, trusts, codes, respondent, names, groups, grid)


def check_values(
    frame: pl.DataFrame, columns: tuple[str, ...], framework: Framework, locate: Locate, problems: ProblemList
) -> None:
    """Note blank or unknown values in some of the contract columns of any frame (text or categorical)."""
    frame = frame.select(with_own_categories(frame.get_column(c)) for c in columns)
    _code_columns(frame, columns, framework, locate, problems)


def own_categories() -> pl.Categorical:
    """A Categorical type with a mapping of its own: a column parsed or cast to it has exactly its own
    distinct values as categories, numbered 0..k-1, so they are known without a pass over the rows (and a
    long-running process does not accumulate every id it has read in Polars's one global mapping)."""
    return pl.Categorical(pl.Categories(uuid.uuid4().hex, namespace=_OWN))


_OWN = "selfassess.column"  # the namespace of every mapping own_categories makes, each for one column


def with_own_categories(series: pl.Series) -> pl.Series:
    """The column as a Categorical of its own (see own_categories); a reader's own column is kept as it is."""
    if isinstance(series.dtype, pl.Categorical) and series.dtype.categories.namespace() == _OWN:
        return series
    return series.cast(own_categories())


def _drop_blank_rows(raw: pl.DataFrame, locate: Locate) -> tuple[pl.DataFrame, Locate]:
    """Rows with every field empty (a blank line, a spreadsheet's empty row) are not answers: skip them."""
    if not any(raw.get_column(c).null_count() for c in COLUMNS):
        return raw, locate
    blank = raw.select(pl.all_horizontal(pl.col(c).is_null() for c in COLUMNS)).to_series()
    if not blank.any():
        return raw, locate
    kept = np.flatnonzero(~blank.to_numpy())
    return raw.filter(~blank), lambda row, column: locate(int(kept[row]), column)


def _run_starts(coders: dict[str, _ColumnCoder]) -> np.ndarray:
    """The rows where a run of one trust and respondent id begins, in order (the first is row 0).

    Files keep a person's answers together, so a file of five million answers from ninety thousand people
    has ninety thousand runs, and respondents are numbered and checked per run, not per row. A file in any
    other order is still right (a person may have many runs), only slower.
    """
    respondent, trust = coders["respondent"].physical, coders["trust"].physical
    changed = (respondent[1:] != respondent[:-1]) | (trust[1:] != trust[:-1])
    return np.concatenate(([0], np.flatnonzero(changed) + 1))


class _ColumnCoder:
    """One column's distinct values, checked and turned into codes once: a look-up table by category.

    The column is a Categorical of its own (see own_categories): each row is stored as a small integer, the
    position of its value among the column's distinct values. Checking those few values and then indexing a
    table by that integer codes the whole column in one array operation.
    """

    def __init__(self, series: pl.Series, column: str, framework: Framework) -> None:
        self.column = column
        self.series = series
        assert isinstance(series.dtype, pl.Categorical) and series.dtype.categories.namespace() == _OWN
        distinct = series.dtype.categories.to_series()  # by physical value
        normal = distinct.str.strip_chars()
        if column == "answer":
            normal = normal.str.to_uppercase()
        if column in ID_COLUMNS and normal.str.starts_with("'").any():
            # A spreadsheet's text marker, as text.spreadsheet_safe writes it, is not part of the id.
            normal = normal.str.replace(HAS_APOSTROPHE, "${1}")
        self.sentinel = len(distinct)  # stands for a missing value
        self.categories: list[str] = []
        self._names = pl.Series(dtype=pl.String)
        if (
            column == "respondent"
            and distinct.null_count() == 0
            and (normal == distinct).all()
            and (normal != "").all()
        ):
            # Each id already as it should be (no spaces to strip, none blank): the categories are the ids.
            self._names = normal
            mapped = pl.Series(range(len(normal)), dtype=pl.Int64)
        elif column == "respondent":
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
        # Narrow codes keep a fifty-million-row file's arrays small; arithmetic on them is widened where needed.
        width = {"respondent": np.int32, "trust": np.int32}.get(column, np.int16)
        self.lut = np.append(mapped.fill_null(-1).to_numpy(), -1).astype(width)
        # A category the mapping reserved but never named (Polars allows it) is on no row: not a bad value.
        named = distinct.is_not_null().to_numpy()
        self.has_bad = bool((self.lut[:-1][named] < 0).any()) or series.null_count() > 0

    @cached_property
    def physical(self) -> np.ndarray:
        """Each row's category number (the sentinel for a missing value), made once: a parsed column comes
        in many chunks, and every conversion to one array would copy it again."""
        series = self.series.to_physical()
        if series.null_count():
            series = series.fill_null(self.sentinel)
        return series.to_numpy()

    def codes(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The code of every row, or of the rows given."""
        physical = self.physical
        codes: np.ndarray = self.lut[physical if rows is None else physical[rows]]
        return codes

    def names(self) -> pl.Series:
        """For the respondent column: the id text of each code."""
        return self._names


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
    coders = {column: _ColumnCoder(raw.get_column(column), column, framework) for column in columns}
    found: list[tuple[int, int, str]] = []
    total = 0
    for order, (column, coder) in enumerate(coders.items()):
        if coder.has_bad:
            bad = np.flatnonzero(coder.codes() < 0)
            total += len(bad)
            found.extend((int(row), order, column) for row in bad[:MAX_PROBLEMS])
    found.sort()
    for row, _, column in found[:MAX_PROBLEMS]:
        value = raw.get_column(column)[row]
        problems.add(locate(row, column), _bad_value_message(column, None if value is None else str(value), framework))
    problems.add_count(total - min(total, MAX_PROBLEMS))
    return coders


def _check_respondents(
    raw: pl.DataFrame,
    starts: np.ndarray,
    coders: dict[str, _ColumnCoder],
    codes: dict[str, np.ndarray],
    framework: Framework,
    locate: Locate,
    problems: ProblemList,
) -> tuple[np.ndarray, pl.Series, dict[str, np.ndarray], np.ndarray]:
    """Number the respondents (a trust and a respondent id together) 0..n-1; check one sector and audience per
    respondent and one answer per question; return each row's respondent number, each number's id text,
    each number's trust, sector and audience codes, and the [respondent, question] grid of answer codes + 1.

    Respondents are numbered per run of rows (`starts`), then each run's number is repeated down its rows.
    The checks are scatter and gather over arrays indexed by small integer keys, never a sort or a hash of
    every row: where rows disagree, reading back what the last of them wrote finds it. Only a file that
    breaks a rule pays for finding the rows to name.
    """
    run_trust = coders["trust"].codes(starts)
    run_ids = coders["respondent"].codes(starts)
    pair, n_pairs = _pairs(run_trust, run_ids, len(coders["trust"].categories), int(run_ids.max()) + 1)
    present = np.zeros(n_pairs, dtype=bool)
    present[pair] = True
    number = np.cumsum(present, dtype=np.int64) - 1  # dense numbers for the pairs that occur
    n = int(number[-1]) + 1
    run_respondent = number.astype(np.int32 if n < 2**31 else np.int64)[pair]
    del present, number
    respondent = np.repeat(run_respondent, np.diff(starts, append=raw.height))
    n_audiences = len(framework.audiences)
    run_group = coders["sector"].codes(starts).astype(np.int16) * n_audiences + coders["audience"].codes(starts)
    first = np.empty(n, dtype=run_group.dtype)
    first[run_respondent] = run_group
    if _changes_within_runs(coders, ("sector", "audience"), starts) or (first[run_respondent] != run_group).any():
        group = coders["sector"].codes().astype(np.int16) * n_audiences + coders["audience"].codes()
        _report_mixed_groups(raw, respondent, group, locate, problems)
    n_questions = len(framework.question_ids)
    answered = respondent.astype(np.int32 if n * n_questions < 2**31 else np.int64) * n_questions + codes["question"]
    # Each answer written to its respondent's and question's cell: fewer cells filled than answers means repeats.
    grid = np.zeros((n, n_questions), dtype=np.uint8 if len(framework.scale) < 2**8 - 1 else np.uint16)
    grid.ravel()[answered] = codes["answer"] + 1
    if int(np.count_nonzero(grid)) != len(answered):
        _report_repeats(raw, answered, locate, problems)
    trust_of, id_of = np.empty(n, dtype=run_trust.dtype), np.empty(n, dtype=run_ids.dtype)
    trust_of[run_respondent], id_of[run_respondent] = run_trust, run_ids
    groups = {"trust": trust_of, "sector": first // n_audiences, "audience": first % n_audiences}
    return respondent, coders["respondent"].names().gather(id_of), groups, grid


def _changes_within_runs(coders: dict[str, _ColumnCoder], columns: tuple[str, ...], starts: np.ndarray) -> bool:
    """Whether any of the columns' codes changes between two rows of one run."""
    changed = np.zeros(len(coders[columns[0]].series) - 1, dtype=bool)
    for column in columns:
        physical = coders[column].physical
        changed |= physical[1:] != physical[:-1]
    rows = np.flatnonzero(changed) + 1
    rows = rows[~np.isin(rows, starts, assume_unique=True)]
    # Texts that differ (in spaces, say) can still name the same id: compare the codes where the text changed.
    return any(bool((coders[c].codes(rows) != coders[c].codes(rows - 1)).any()) for c in columns)


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
