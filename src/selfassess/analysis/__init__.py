"""The statistics: a count cube, then every table and figure from it. Never imports Django."""

from typing import Any

from selfassess.analysis.cube import Cube, build_cube, cube_from_counts
from selfassess.analysis.statistics import SCHEMA, at_least, band_of, results
from selfassess.responses import ResponseTable


def analyse(table: ResponseTable) -> dict[str, Any]:
    """The results JSON (contract section 4) for a validated table."""
    return results(build_cube(table))


__all__ = ["SCHEMA", "Cube", "analyse", "at_least", "band_of", "build_cube", "cube_from_counts", "results"]
