"""Reading response files: the long interchange CSV and the paper-entry ("wide") CSV and XLSX.

Each reader only gets the file into a frame and says where each row came from; the rules themselves are
applied once, in `table.validate`. Large files are parsed column-wise by Polars. Python's csv module is used
only to read the header, and to find the line at fault when Polars refuses a file.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import polars as pl

from selfassess.framework import Framework
from selfassess.responses.limits import COMMAND_LINE, Limits, too_many_forms
from selfassess.responses.problems import InvalidResponses, Problem, ProblemList, id_list
from selfassess.responses.table import COLUMNS, ResponseTable, check_values, own_categories, validate
from selfassess.text import shown

IDENTITY = ("trust", "respondent", "sector", "audience")  # the wide form's columns before the questions

# (source row number as the person sees it, column name) -> "line 7" or "sheet 'Responses', cell F7".
Cell = Callable[[int, str], str]


def read_responses(path: str | Path, framework: Framework, limits: Limits = COMMAND_LINE) -> ResponseTable:
    """Read a long or wide CSV, or a wide XLSX, telling the forms apart by the file's ending and header.
    `limits` bounds the file before and while it is parsed (the web application reads uploads under
    limits.UPLOAD)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from selfassess.responses.workbook import read_wide_xlsx

        return read_wide_xlsx(path, framework, limits)
    if path.is_file():
        limits.check_size(path)
    header = read_csv_header(path)
    if "question" in header or "answer" in header or not _question_columns(header, framework):
        return read_long_csv(path, framework, header, limits)
    return read_wide_csv(path, framework, header, limits)


def read_csv_header(path: Path) -> list[str]:
    """The header's column names, stripped and lower-cased (a byte order mark is dropped)."""
    try:
        with path.open("rb") as f:
            first_line = f.readline(_HEADER_BYTES)
        if first_line.startswith(b"PK\x03\x04"):  # a zip archive: a workbook saved under a .csv name
            raise InvalidResponses([Problem("file", _WORKBOOK_AS_CSV)])
        header = next(csv.reader([first_line.decode("utf-8-sig")]), None)
    except FileNotFoundError:
        raise InvalidResponses([Problem(str(path), "no such file")]) from None
    except IsADirectoryError:
        raise InvalidResponses([Problem(str(path), "is a folder, not a file")]) from None
    except UnicodeDecodeError:
        raise InvalidResponses([Problem("line 1", _NOT_UTF8)]) from None
    except (OSError, csv.Error) as exc:
        raise InvalidResponses([Problem("line 1", f"the file cannot be read as CSV ({exc})")]) from None
    if not header or not any(h.strip() for h in header):
        raise InvalidResponses(
            [Problem("line 1", "the file is empty: the first line should be the header " + ",".join(COLUMNS))]
        )
    return [h.strip().lower() for h in header]


_HEADER_BYTES = 64_000  # far more than any header; a longer first line is not one
_NOT_UTF8 = "the text is not UTF-8; save the file as 'CSV UTF-8' and try again"
_WORKBOOK_AS_CSV = "is an Excel workbook, not a CSV file; give it a name ending .xlsx, or save it as 'CSV UTF-8'"


def read_long_csv(
    path: Path, framework: Framework, header: list[str] | None = None, limits: Limits = COMMAND_LINE
) -> ResponseTable:
    header = header if header is not None else read_csv_header(path)
    check_header(header, COLUMNS, "line 1")
    max_rows = limits.rows_allowed(len(framework.question_ids))
    frame = _quick_long_csv(path, header, max_rows)
    if frame is None:
        frame = _polars_csv(path, dict.fromkeys(header, pl.String()), max_rows)
    _check_rows(frame, max_rows)
    return validate(frame, framework, lambda row, column: f"line {row + 2}")


def _quick_long_csv(path: Path, header: list[str], max_rows: int | None) -> pl.DataFrame | None:
    """The file parsed the quickest way, every column straight into a Categorical of its own (which validation
    would otherwise make from text), for a file with no quote character in it, as ours and most are; else None.

    Quoting is off, so a quote anywhere stays in some column's values, where the few distinct values show it.
    Such a file, or one Polars refuses, is parsed again as text with quoting, which refuses a broken file in a
    way diagnose_csv can name: Polars 2.1, parsing a broken quoted field into a Categorical, accepts it and
    hands back text that is not UTF-8 (found by tests/responses/test_fuzz.py)."""
    try:
        frame = _parse(path, {name: own_categories() for name in header}, max_rows, quote_char=None)
    except (pl.exceptions.PolarsError, OSError):
        return None
    return None if any(_has_quote(frame.get_column(c)) for c in header) else frame


def _has_quote(column: pl.Series) -> bool:
    """Whether any of a Categorical column's distinct values holds a quote character."""
    assert isinstance(column.dtype, pl.Categorical)
    return bool(column.dtype.categories.to_series().str.contains('"', literal=True).any())


def read_wide_csv(
    path: Path, framework: Framework, header: list[str] | None = None, limits: Limits = COMMAND_LINE
) -> ResponseTable:
    header = header if header is not None else read_csv_header(path)
    header = canonical_questions(header, framework)
    check_header(header, (*IDENTITY, *framework.question_ids), "line 1")
    frame = _polars_csv(path, dict.fromkeys(header, pl.String()), limits.rows_allowed())
    lines = list(range(2, frame.height + 2))
    return validate_wide(frame, lines, lambda line, column: f"line {line}, column {column}", framework)


def _question_columns(header: list[str], framework: Framework) -> list[str]:
    ids = {q.lower() for q in framework.question_ids}
    return [h for h in header if h in ids]


def canonical_questions(header: list[str], framework: Framework) -> list[str]:
    """Question columns as the framework spells them ('q1' -> 'Q1')."""
    by_lower = {q.lower(): q for q in framework.question_ids}
    return [by_lower.get(h, h) for h in header]


def check_header(header: list[str], expected: tuple[str, ...], where: str) -> None:
    problems = ProblemList()
    for name, n in Counter(header).items():
        if n > 1:
            problems.add(where, f"column '{shown(name)}' appears {n} times")
    unexpected = [h for h in header if h not in expected]
    if unexpected:
        names = ", ".join(f"'{shown(h)}'" if h else "(a blank name)" for h in unexpected[:5])
        problems.add(
            where, f"unexpected column{'s' if len(unexpected) > 1 else ''} {names}; the columns are {id_list(expected)}"
        )
    missing = [c for c in expected if c not in header]
    if missing:
        problems.add(where, f"missing column{'s' if len(missing) > 1 else ''}: {id_list(missing, 12)}")
    problems.raise_if_any()


def _parse(
    path: Path, dtypes: Mapping[str, pl.DataType], max_rows: int | None, quote_char: str | None = '"'
) -> pl.DataFrame:
    """Polars's parse of the rows under the header (read and checked already: its names may differ from ours
    by spaces and case), at most one row more than allowed, which tells us the file is too long."""
    return pl.read_csv(
        path,
        has_header=False,
        skip_rows=1,
        schema=dtypes,
        quote_char=quote_char,
        encoding="utf8",
        raise_if_empty=False,
        n_rows=None if max_rows is None else max_rows + 1,
    )


def _polars_csv(path: Path, dtypes: Mapping[str, pl.DataType], max_rows: int | None) -> pl.DataFrame:
    try:
        frame = _parse(path, dtypes, max_rows)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InvalidResponses(
            diagnose_csv(path, len(dtypes)) or [Problem("file", f"cannot be read as CSV: {exc}")]
        ) from None
    _check_rows(frame, max_rows)
    return frame


def _check_rows(frame: pl.DataFrame, max_rows: int | None) -> None:
    if max_rows is not None and frame.height > max_rows:
        raise too_many_forms(f"line {max_rows + 2}", max_rows)


def diagnose_csv(path: Path, n_columns: int) -> list[Problem]:
    """Find the lines that stopped Polars: text that is not UTF-8, wrong field counts, broken quoting."""
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return [Problem(f"line {number}", _NOT_UTF8)]
    problems = ProblemList()
    with path.open(encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, strict=True)
        record = 0
        try:
            for record, fields in enumerate(reader, start=1):
                if fields and len(fields) != n_columns and any(f.strip() for f in fields):
                    problems.add(f"line {record}", f"{len(fields)} fields, but the header has {n_columns}")
                if problems.full:
                    break
        except csv.Error as exc:
            problems.add(f"line {record + 1}", f"the quoting is broken ({exc}); check for a missing closing quote")
    return problems.problems


def validate_wide(frame: pl.DataFrame, rows: list[int], cell: Cell, framework: Framework) -> ResponseTable:
    """Check the paper-entry layout (one row per respondent), then turn it into answers and validate those.

    `rows[i]` is the row number the person sees for frame row i; `cell` names a place in the file.
    """
    questions = list(framework.question_ids)
    frame = frame.select(pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in (*IDENTITY, *questions))
    filled = frame.select(pl.any_horizontal(pl.all().is_not_null())).to_series().to_numpy()
    keep = np.flatnonzero(filled)  # wholly blank rows are skipped, as in the long form
    frame, rows = frame[keep], [rows[i] for i in keep]
    if frame.height == 0:
        raise InvalidResponses(
            [Problem(cell(rows[0] if rows else 2, "trust"), "no responses: there are no filled rows")]
        )

    problems = ProblemList()
    check_values(frame, IDENTITY, framework, lambda i, column: cell(rows[i], column), problems)
    has_id = frame.select(pl.col("trust").is_not_null() & pl.col("respondent").is_not_null()).to_series()
    first_row = frame.with_row_index("i").select(pl.col("i").first().over("trust", "respondent")).to_series()
    no_answers = frame.select(pl.all_horizontal(pl.col(q).is_null() for q in questions)).to_series()
    for i, (trust, respondent) in enumerate(frame.select("trust", "respondent").iter_rows()):
        if has_id[i] and first_row[i] != i:
            problems.add(
                cell(rows[i], "respondent"),
                f"respondent '{respondent}' of trust '{trust}' is entered again "
                f"(first at {cell(rows[first_row[i]], 'respondent')}); enter each form once",
            )
        if no_answers[i]:
            problems.add(
                cell(rows[i], questions[0]), "no answers on this row; a form with no answers cannot be entered"
            )
    long = (
        frame.with_row_index("_row")
        .unpivot(index=["_row", *IDENTITY], on=questions, variable_name="question", value_name="answer")
        .filter(pl.col("answer").is_not_null())
    )
    source = long.get_column("_row").to_numpy()
    asked = long.get_column("question").to_list()

    def locate(i: int, column: str) -> str:
        # An answer lives in its question's column; everything else in the row's own column.
        return cell(rows[source[i]], asked[i] if column in ("question", "answer") else column)

    if problems:
        check_values(long, ("answer",), framework, locate, problems)  # list the answers' problems too
        problems.raise_if_any()
    return validate(long.select(COLUMNS), framework, locate)
