"""The statistics: a count cube, then every table and figure from it. Never imports Django."""

import json
from typing import Any

from selfassess.analysis.cube import Cube, build_cube, cube_from_counts
from selfassess.analysis.statistics import SCHEMA, at_least, band_of, results
from selfassess.responses import ResponseTable


def analyse(table: ResponseTable) -> dict[str, Any]:
    """The results JSON (contract section 4) for a validated table."""
    return results(build_cube(table))


def results_json(found: dict[str, Any]) -> str:
    """The results as the one text every command writes (`analyse --json`, `report`'s results.json), so that
    the same answers give the same bytes: on one line, since indenting takes the slow Python encoder."""
    return json.dumps(found, ensure_ascii=False)


__all__ = [
    "SCHEMA",
    "Cube",
    "analyse",
    "at_least",
    "band_of",
    "build_cube",
    "cube_from_counts",
    "results",
    "results_json",
]
