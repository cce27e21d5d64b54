"""Response files: reading and validating answers (long CSV, paper-entry CSV and XLSX) and writing them."""

from selfassess.responses.files import read_responses
from selfassess.responses.problems import MAX_PROBLEMS, InvalidResponses, Problem
from selfassess.responses.table import COLUMNS, ResponseTable, validate
from selfassess.responses.write import csv_text, write_csv, write_long_csv

__all__ = [
    "COLUMNS",
    "MAX_PROBLEMS",
    "InvalidResponses",
    "Problem",
    "ResponseTable",
    "csv_text",
    "read_responses",
    "validate",
    "write_csv",
    "write_long_csv",
]
