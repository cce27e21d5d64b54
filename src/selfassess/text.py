"""Rules for text that comes in and goes out, shared by every layer (this module imports nothing of ours).

In: ids, names and titles may not hold control characters (a NUL byte is accepted by SQLite and refused by
PostgreSQL, a line break breaks CSV files and e-mail headers) and may not be longer than the database keeps,
so the same input gets the same answer on either database. Out: a value written to a CSV or XLSX file that
a spreadsheet would run as a formula is neutralised (OWASP, "CSV Injection").

>>> problem_with("T01", "trust id", ID_LENGTH)
>>> problem_with("T\\x00", "trust id", ID_LENGTH)
'the trust id contains a control character (\\\\x00); type it again without it'
>>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("3"), spreadsheet_safe("'-1")
("'=HYPERLINK(1)", '3', "''-1")
"""

from __future__ import annotations

import re

ID_LENGTH = 80  # trust, respondent, sector, audience and stage ids, round names: as the database keeps them
NAME_LENGTH = 200  # a trust's name
QUESTION_ID_LENGTH = 20
ANSWER_CODE_LENGTH = 10
EMAIL_LENGTH = 150  # Django's user name, which holds a coordinator's e-mail address

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: none belongs in a one-line value.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, less the tab and line breaks that a multi-line text (a framework file, a descriptor) may hold.
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# What starts a formula in Excel, LibreOffice or Google Sheets (=, +, -, @, tab, carriage return); a leading
# apostrophe makes it text. As regular expressions (Python's and Polars' alike, so whole columns use them too):
# the part of a value to put an apostrophe before on the way out, and an apostrophe to take off on the way in.
NEEDS_APOSTROPHE = r"^('*[=+\-@\t\r])"
HAS_APOSTROPHE = r"^'('*[=+\-@\t\r])"


def shown(value: str, limit: int = 40) -> str:
    """A value as it can be quoted back in a message: controls written as escapes, long values cut short."""
    escaped = CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"


def problem_with(value: str, what: str, max_length: int) -> str | None:
    """Why a one-line value cannot be kept, in words for whoever typed it; None when it can."""
    found = CONTROL.search(value)
    if found:
        return f"the {what} contains a control character ({shown(found.group())}); type it again without it"
    if len(value) > max_length:
        return f"the {what} is {len(value)} characters long; it can be at most {max_length}"
    return None


def digits(text: str) -> bool:
    """Only the digits 0 to 9, at least one. str.isdigit() alone also takes superscripts and circled numbers,
    which int() refuses, and int() reads other scripts' digits, which no id or number here is written in."""
    return text.isascii() and text.isdigit()


def spreadsheet_safe(value: str) -> str:
    """A leading apostrophe before anything a spreadsheet would run as a formula, and before such a value that
    already starts with apostrophes, so that a reader taking one apostrophe off (HAS_APOSTROPHE) gets back
    exactly what was written. (The same regular expression as whole columns get: responses.write.)"""
    return re.sub(NEEDS_APOSTROPHE, r"'\1", value)


def counted(n: int, one: str, many: str) -> str:
    """A count with its noun, singular or plural as the count asks: "1 respondent", "2,345 respondents"."""
    return f"{n:,} {one if n == 1 else many}"
