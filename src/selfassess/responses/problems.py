"""Problems found in a response file, worded for the person who typed it in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from selfassess.errors import InvalidInput

MAX_PROBLEMS = 20  # listed problems; beyond this we say how many more there are


@dataclass(frozen=True, order=True)
class Problem:
    where: str  # "line 7", or "sheet 'Responses', cell F7"
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class InvalidResponses(InvalidInput):
    """The file is refused whole. `problems` lists the first MAX_PROBLEMS; `more` counts the rest."""

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        self.problems = list(problems)
        self.more = more
        super().__init__("\n".join(self.lines()))

    def report(self, command: str) -> list[str]:
        return [*self.lines(), "Nothing was written: correct the file and try again."]

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        if self.more:
            out.append(f"... and {self.more:,} more problem{'s' if self.more != 1 else ''} not listed")
        return out


class ProblemList:
    """Collects problems in the order found, ignoring exact repeats, keeping only the first MAX_PROBLEMS."""

    def __init__(self) -> None:
        self._seen: set[Problem] = set()
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, where: str, what: str) -> None:
        problem = Problem(where, what)
        if problem in self._seen:
            return
        self._seen.add(problem)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1

    def add_count(self, n: int) -> None:
        """Count problems that were found but not worded (there were already enough to list)."""
        self.more += n

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidResponses(self.problems, self.more)


def id_list(ids: Iterable[str], limit: int = 10) -> str:
    """'a, b or c'; a long list is shortened to its ends ('Q1, Q2, ... Q59')."""
    ids = list(ids)
    if len(ids) > limit:
        return f"{ids[0]}, {ids[1]}, ... {ids[-1]}"
    if len(ids) <= 1:
        return "".join(ids)
    return ", ".join(ids[:-1]) + " or " + ids[-1]
