"""A small builder for the linear programmes the calibration solves (HiGHS, through SciPy).

Variables are named by tuples; constraints are written as {variable: coefficient} with bounds, which reads
much closer to the report's rules than a hand-built matrix.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

INF = np.inf


class Infeasible(RuntimeError):
    """The rules cannot all be met by this draw."""


class Programme:
    def __init__(self) -> None:
        self.index: dict[Hashable, int] = {}
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.cost: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, name: Hashable, lower: float = 0, upper: float = INF, integer: bool = False, cost: float = 0) -> None:
        self.index[name] = len(self.lower)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(int(integer))
        self.cost.append(cost)

    def add(self, terms: Mapping[Any, float], lower: float = -INF, upper: float = INF) -> None:
        row: dict[int, float] = {}
        for name, coefficient in terms.items():
            i = self.index[name]
            row[i] = row.get(i, 0.0) + coefficient
        self.rows.append((row, lower, upper))

    def near(self, name: Hashable, target: float, weight: float = 1.0) -> None:
        """Add |name - target| x weight to the cost (through a new variable that bounds it)."""
        gap = ("gap", name)
        self.var(gap, cost=weight)
        self.add({gap: 1, name: -1}, lower=-target)  # gap >= name - target
        self.add({gap: 1, name: 1}, lower=target)  # gap >= target - name

    def solve(self) -> dict[Hashable, float]:
        n = len(self.lower)
        rows, cols, values, lows, ups = [], [], [], [], []
        for r, (row, low, up) in enumerate(self.rows):
            for c, v in row.items():
                rows.append(r)
                cols.append(c)
                values.append(v)
            lows.append(low)
            ups.append(up)
        matrix = coo_matrix((values, (rows, cols)), shape=(len(self.rows), n)).tocsr()
        result = milp(
            c=np.array(self.cost),
            constraints=LinearConstraint(matrix, np.array(lows), np.array(ups)),
            integrality=np.array(self.integer),
            bounds=Bounds(np.array(self.lower), np.array(self.upper)),
            options={"time_limit": 60},
        )
        if result.status != 0 or result.x is None:
            raise Infeasible(result.message)
        return {name: float(result.x[i]) for name, i in self.index.items()}


def total(names: Iterable[Hashable], coefficient: float = 1.0) -> dict[Hashable, float]:
    return {name: coefficient for name in names}
