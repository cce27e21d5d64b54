"""The shape of a report, independent of its format: sections of paragraphs, tables and charts.

The national and trust reports are built as these plain objects once; the HTML (and the PDF made from it)
and the XLSX are renderings of the same objects, so a number cannot differ between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from selfassess.framework import Framework

Value = float | int | str | None


@dataclass(frozen=True)
class Cell:
    value: Value  # unrounded, for the workbook
    text: str  # as shown
    flag: str = ""  # "above", "below" (notable), "suppressed", "none"


WITHHELD = Cell(None, "withheld", "suppressed")  # a figure that exists and is not shown (reports.suppression)


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    caption: str = ""
    # Columns of long text (a question's wording, its stage), set on a full-width row of their own above each
    # row's other cells: the first as it is, the others after their column's name.
    spanning: tuple[str, ...] = ()

    def spanning_indexes(self) -> list[int]:
        return [self.columns.index(name) for name in self.spanning]

    def column(self, name: str) -> list[Cell]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


@dataclass
class Chart:
    id: str
    title: str
    caption: str
    svg: str
    data: Table  # the numbers drawn, shown beside the chart and checked by the tests


@dataclass
class Section:
    id: str
    title: str
    blocks: list[str | Table | Chart] = field(default_factory=list)  # a str is a paragraph
    subsections: list[Section] = field(default_factory=list)

    def tables(self) -> list[Table]:
        found = [b for b in self.blocks if isinstance(b, Table)]
        found += [b.data for b in self.blocks if isinstance(b, Chart)]
        for sub in self.subsections:
            found += sub.tables()
        return found

    def charts(self) -> list[Chart]:
        found = [b for b in self.blocks if isinstance(b, Chart)]
        for sub in self.subsections:
            found += sub.charts()
        return found

    def paragraphs(self) -> list[str]:
        found = [b for b in self.blocks if isinstance(b, str)]
        for sub in self.subsections:
            found += sub.paragraphs()
        return found


@dataclass(frozen=True)
class Cover:
    """What a published report says of itself on its first page: the date its data were taken, who publishes
    it, and whether its figures are final (provisional while the round is open)."""

    data_as_at: str = ""  # a date in words ("6 December 2026"); empty when nobody said
    publisher: str = ""

    def lines(self, provisional: bool) -> list[tuple[str, str]]:
        status = "Provisional: the round is still open, so these figures will change" if provisional else "Final"
        return [
            ("Status", status),
            ("Data as at", self.data_as_at or "not stated"),
            ("Published by", self.publisher or "not stated"),
        ]


def date_words(day: date) -> str:
    """A date as a published report writes it: "6 December 2026"."""
    return f"{day.day} {day:%B %Y}"


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]
    provisional: bool = False
    cover: Cover = field(default_factory=Cover)
    chapters_start_pages: bool = True  # in print; a short report flows on instead

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables()]

    def charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts()]

    def paragraphs(self) -> list[str]:
        return [p for s in self.sections for p in s.paragraphs()]


# --- numbers as the 2009 report writes them ---------------------------------------------------------------

_WORDS = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def count_words(n: int) -> str:
    """A count standing alone, small ones in words ('none', 'five'), larger ones in figures ('82')."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def counted_words(n: int, one: str, many: str) -> str:
    """A count with its noun, singular or plural as the count asks: 'no trusts', 'one consortium', 'two
    consortia', '82 trusts'."""
    return f"{'no' if n == 0 else count_words(n)} {one if n == 1 else many}"


def percent(part: float, whole: float) -> int:
    return round(100 * part / whole) if whole else 0


def mean_text(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def mean_cell(x: float | None, flag: str = "") -> Cell:
    return Cell(x, mean_text(x), flag if x is not None else "none")


def bound(x: float | Fraction) -> str:
    """A rule's number as the report writes it: at least one decimal, no trailing zeros (3.0, 0.2, 0.25, 2.75)."""
    text = f"{float(x):.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def interval_text(ci: list[float] | None) -> str:
    return "–" if ci is None else f"{ci[0]:.2f} to {ci[1]:.2f}"


def with_interval(x: float | None, ci: list[float] | None) -> list[Cell]:
    """A mean and its 95% interval as three cells (mean, from, to): numbers each, for the workbook."""
    return [mean_cell(x), *(mean_cell(None if ci is None else ci[i]) for i in (0, 1))]


def interval_columns(titles: list[str]) -> list[str]:
    """The column titles `with_interval` fills, for each title."""
    return [column for t in titles for column in (t, f"{t}: 95% from", f"{t}: 95% to")]


def count_cell(n: int, rounded: bool = False) -> Cell:
    shown = round(n, -3) if rounded else n
    return Cell(n, f"{shown:,}")


def percent_cell(x: float | None) -> Cell:
    return Cell(x, "–" if x is None else f"{round(x)}%")


def share_words(part: int, whole: int) -> str:
    """'just over half', 'around one in six'... the report's way of saying a proportion."""
    if not whole:
        return "none"
    share = part / whole
    for low, high, words in (
        (0.0, 0.0, "none"),
        (0.999, 1.0, "all"),
        (0.49, 0.51, "around half"),
        (0.51, 0.56, "just over half"),
        (0.44, 0.49, "just under half"),
        (0.56, 1.0, "over half"),
        (0.0, 0.44, "under half"),
    ):
        if low <= share <= high:
            return words
    return "some"


def join_words(items: list[str], conjunction: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' ('or' for alternatives); 'none' for no items."""
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def scope_title(framework: Framework, scope: str) -> str:
    """A scope as a table names it: "Overall", or its practice's title."""
    return "Overall" if scope == "overall" else framework.practice(scope).title
