"""The benchmark groups file (contract section 3d): `trust,group`, one line per trust, under section 2's CSV rules.

Refused whole, every problem listed by line, as a response file is: a header other than exactly `trust,group`, a
blank cell, a trust named twice (reported on the later line), no data row, or a value with a control character or
longer than an id may be.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from selfassess.responses.problems import InvalidResponses, Problem, ProblemList
from selfassess.text import ID_LENGTH, problem_with

HEADER = ["trust", "group"]
MAX_BYTES = 10_000_000  # a line per trust: thousands of trusts are a few hundred kilobytes
MAX_ROWS = 100_000


def read_groups(path: str | Path) -> tuple[str, dict[str, str]]:
    """The attribute (the second column's header) and each trust's group."""
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise InvalidResponses(
            [
                Problem(
                    "the file",
                    f"is larger than {MAX_BYTES // 1_000_000} MB; a groups file has one short line per trust",
                )
            ]
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidResponses([Problem("the file", f"is not UTF-8 text (byte {error.start + 1})")]) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(rows, [])]
    if header != HEADER:
        raise InvalidResponses(
            [Problem("line 1", f"the header must be exactly 'trust,group', not {','.join(header)!r}")]
        )
    problems = ProblemList()
    groups: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            raise InvalidResponses([Problem(f"line {line}", f"a groups file can have at most {MAX_ROWS:,} rows")])
        if not row:
            continue  # a blank line, such as the one a final line break leaves
        _check_row(line, [v.strip() for v in row], problems, groups, first_line)
    if not groups and not problems.problems:
        problems.add("the file", "has no data row: give each trust's group on a line of its own")
    if problems.problems:
        raise InvalidResponses(problems.problems, problems.more)
    return header[1], groups


def _check_row(
    line: int, values: list[str], problems: ProblemList, groups: dict[str, str], first_line: dict[str, int]
) -> None:
    where = f"line {line}"
    if len(values) != 2:
        problems.add(where, f"has {len(values)} values; each line has a trust and its group")
        return
    for column, value in zip(HEADER, values, strict=True):
        if not value:
            problems.add(where, f"the {column} is blank")
        elif problem := problem_with(value, column, ID_LENGTH):
            problems.add(where, problem)
    trust, group = values
    if not trust or not group:
        return
    if trust in first_line:
        problems.add(where, f"trust {trust!r} is named again (first on line {first_line[trust]})")
        return
    first_line[trust] = line
    groups[trust] = group
