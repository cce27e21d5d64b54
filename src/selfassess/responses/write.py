"""Writing answers in the long interchange form (contract section 2)."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from selfassess.responses.table import COLUMNS


def write_long_csv(answers: pl.DataFrame, path: str | Path) -> None:
    """Write the six contract columns, atomically: a reader never sees half a file."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    answers.select(pl.col(c).cast(pl.String) for c in COLUMNS).write_csv(partial)
    os.replace(partial, path)
