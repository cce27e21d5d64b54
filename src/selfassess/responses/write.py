"""Writing answers in the long interchange form (contract section 2), and any table as a CSV that is safe to
open in a spreadsheet.

Every CSV we write goes through `csv_text` or `write_csv`: a text value that a spreadsheet would run as a
formula gets a leading apostrophe (text.spreadsheet_safe; our readers take it off again).

>>> csv_text(pl.DataFrame({"respondent": ["=HYPERLINK(1)", "R2"], "answer": ["3", "-"]}))
"respondent,answer\\n'=HYPERLINK(1),3\\nR2,'-\\n"
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from selfassess.responses.table import COLUMNS
from selfassess.text import NEEDS_APOSTROPHE

_FIRST = r"^['=+\-@\t\r]"  # a value whose first character is one of these may need an apostrophe


def spreadsheet_safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column with text.spreadsheet_safe applied, column-wise. One cheap pass over the first
    characters finds the columns that may need it (usually none), and only those are rewritten."""
    text = [
        c for c, dtype in frame.schema.items() if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)
    ]
    if not text or frame.height == 0:
        return frame
    maybe = frame.select(pl.col(c).cast(pl.String).str.contains(_FIRST).any() for c in text).row(0)
    return frame.with_columns(
        pl.col(c).cast(pl.String).str.replace(NEEDS_APOSTROPHE, "'${1}")
        for c, flagged in zip(text, maybe, strict=True)
        if flagged
    )


def csv_text(frame: pl.DataFrame, header: bool = True) -> str:
    return spreadsheet_safe_frame(frame).write_csv(include_header=header)


def write_csv(frame: pl.DataFrame, path: str | Path) -> None:
    """Spreadsheet-safe, and atomically: a reader never sees half a file."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    spreadsheet_safe_frame(frame).write_csv(partial)
    os.replace(partial, path)


def write_long_csv(answers: pl.DataFrame, path: str | Path) -> None:
    """Write the six contract columns."""
    write_csv(answers.select(pl.col(c).cast(pl.String) for c in COLUMNS), path)
