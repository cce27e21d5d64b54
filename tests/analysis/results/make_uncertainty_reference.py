"""Reference values for the cluster-robust intervals, worked out by statsmodels (as statsmodels keeps its own
tests/results/): `python -m tests.analysis.results.make_uncertainty_reference` rewrites
uncertainty_reference.json from the seeded data sets below.

statsmodels' `OLS(y, ones).fit(cov_type="cluster", cov_kwds={"groups": g})` is the same estimator as contract
3b: its small-sample factor G/(G−1)·(N−1)/(N−K) is G/(G−1) when the model is a mean alone (K = 1), and its
interval uses t on G − 1 degrees of freedom.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import statsmodels.api as sm

HERE = Path(__file__).resolve().parent
QUESTIONS = ["Q2", "Q3", "Q5", "Q14", "Q26", "Q40", "Q50"]  # stages B to G: any audience answers them
SEEDS = [1, 2, 3, 4, 5]

Row = tuple[str, str, str, str, str, str]


def data_set(seed: int) -> list[Row]:
    """Trusts of unequal size (one with a single respondent, one whose answers are all unscored), people with
    a trust-level and a person-level tendency, some answers NA or DK."""
    rng = np.random.default_rng(seed)
    rows: list[Row] = []
    for t in range(int(rng.integers(4, 9))):
        trust = f"T{t + 1}"
        people = 1 if t == 0 else int(rng.integers(2, 12))
        trust_effect = rng.normal(0, 0.6)
        for p in range(people):
            person_effect = rng.normal(0, 0.5)
            audience = ["leader_manager", "front_line"][int(rng.integers(0, 2))]
            sector = ["health", "youth", "education"][int(rng.integers(0, 3))]
            for question in QUESTIONS:
                if rng.random() < 0.15:
                    continue
                if t == 1 or rng.random() < 0.1:
                    answer = "NA" if rng.random() < 0.5 else "DK"  # T2 never scores
                else:
                    answer = str(int(np.clip(np.rint(3 + trust_effect + person_effect + rng.normal(0, 0.8)), 1, 5)))
                rows.append((trust, f"P{p}", sector, audience, question, answer))
    return rows


def cluster_fit(values: list[float], groups: list[str]) -> dict[str, float | list[float]]:
    y = np.array(values, dtype=float)
    codes = np.unique(np.array(groups), return_inverse=True)[1]
    fitted = sm.OLS(y, np.ones_like(y)).fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    plain = sm.OLS(y, np.ones_like(y)).fit()
    low, high = fitted.conf_int(alpha=0.05)[0]
    return {
        "mean": float(fitted.params[0]),
        "se": float(fitted.bse[0]),
        "ci95": [float(low), float(high)],
        "design_effect": float((fitted.bse[0] / plain.bse[0]) ** 2),
    }


def reference(rows: list[Row]) -> dict[str, object]:
    scored = [r for r in rows if r[5].isdigit()]
    national = cluster_fit([int(r[5]) for r in scored], [r[0] for r in scored])
    trusts = {}
    for trust in sorted({r[0] for r in scored}):
        mine = [r for r in scored if r[0] == trust]
        if len({r[1] for r in mine}) >= 2:
            trusts[trust] = cluster_fit([int(r[5]) for r in mine], [r[1] for r in mine])
    return {"national": national, "trusts": trusts}


def main() -> None:
    out = {str(seed): reference(data_set(seed)) for seed in SEEDS}
    (HERE / "uncertainty_reference.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
