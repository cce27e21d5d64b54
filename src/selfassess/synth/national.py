"""The calibrated synthetic national round: 150 trusts whose analysis reproduces the 2009 national report.

The real answers are not public. This round is made to match every figure the report publishes and every
pattern its text states; it is not the real data, and anything the report does not say is invented.

How: staff are drawn per trust, sector and audience (more than the quota, as the published totals imply);
answers are kept, and made "not applicable" or "don't know", in exactly the published numbers by practice and
audience; scores are given in exactly the published numbers, ordered by a latent score built from trust,
sector and stage effects; then swaps of scores bring every trust's, sector's and stage's sum to the targets
worked out in `targets`. If a draw cannot meet every rule, the next draw for the same seed is tried, so the
result depends on the seed alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from selfassess.errors import InvalidInput
from selfassess.framework import Framework
from selfassess.responses.table import enum_series
from selfassess.synth import targets as tg
from selfassess.synth.balance import balance
from selfassess.synth.lp import Infeasible

ATTEMPTS = 25
LEADERS_PER_SECTOR = (2, 1.0)  # the quota, plus a Poisson number more: the published totals imply more staff
FRONT_LINE_PER_SECTOR = (3, 0.9)
FRONT_LINE_LEADER_STAGES = 0.45  # how much less often front line staff answered stages A and H (2.9)


class NotThe2009Framework(InvalidInput):
    pass


@dataclass
class Round:
    """Answers as arrays, one element per answer; codes index the framework's ids."""

    trust: np.ndarray
    respondent: np.ndarray  # number within its trust
    sector: np.ndarray
    audience: np.ndarray
    question: np.ndarray
    answer: np.ndarray
    trusts: int

    def frame(self, framework: Framework, copies: int = 1, extra: np.ndarray | None = None) -> pl.DataFrame:
        """The long form. `copies` repeats every respondent (new ids) to scale a round up without changing
        any mean or band; `extra` (respondent keys) adds some respondents once more for a fractional scale."""
        per_trust = int(self.respondent.max()) + 1
        parts = [np.arange(len(self.trust))] * copies
        if extra is not None:
            parts.append(np.flatnonzero(np.isin(self.trust * per_trust + self.respondent, extra)))
        index = np.concatenate(parts)
        copy = np.concatenate([np.full(len(p), i) for i, p in enumerate(parts)])
        respondent = copy * per_trust + self.respondent[index]
        width = len(str(int(respondent.max()) + 1))
        ids = [f"R{i + 1:0{width}d}" for i in range(int(respondent.max()) + 1)]
        return pl.DataFrame(
            {
                "trust": enum_series(self.trust[index], [f"T{t + 1:03d}" for t in range(self.trusts)]),
                "respondent": enum_series(respondent, ids),
                "sector": enum_series(self.sector[index], framework.sector_ids),
                "audience": enum_series(self.audience[index], framework.audience_ids),
                "question": enum_series(self.question[index], framework.question_ids),
                "answer": enum_series(self.answer[index], framework.answer_codes),
            }
        )


def check_framework(framework: Framework) -> None:
    same = (
        framework.practice_ids == tg.PRACTICES
        and framework.audience_ids == tg.AUDIENCES
        and framework.sector_ids == tg.SECTORS
        and framework.stage_ids == tg.STAGES
        and framework.answer_codes == tg.CODES
    )
    if not same:
        raise NotThe2009Framework("the calibrated national round is made for the built-in 2009 drill down framework")


def national_round(
    framework: Framework,
    seed: int = 0,
    scale: float = 1.0,
    trusts: int = 150,
    verify: Callable[[pl.DataFrame], list[str]] | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> pl.DataFrame:
    """The calibrated round in long form. `verify` (a frame -> problems) rejects a draw that misses a rule."""
    check_framework(framework)
    if trusts < 10:
        raise ValueError("a calibrated round needs at least 10 trusts")
    ratio = trusts / 150
    counts = tg.answer_counts(ratio)
    failures = []
    for attempt in range(ATTEMPTS):
        rng = np.random.default_rng([seed, attempt])
        try:
            made = _draw(framework, counts, trusts, rng)
        except Infeasible as exc:
            failures.append(str(exc))
            continue
        base = made.frame(framework)
        problems = verify(base) if verify else []
        if problems:
            failures.append("; ".join(problems[:3]))
            progress(f"draw {attempt + 1} missed {len(problems)} rule(s); drawing again")
            continue
        return _scaled(made, framework, scale, rng) if scale != 1 else base
    raise RuntimeError(f"no draw met every rule in {ATTEMPTS} attempts: {failures[-3:]}")


def _scaled(made: Round, framework: Framework, scale: float, rng: np.random.Generator) -> pl.DataFrame:
    if scale <= 0:
        raise ValueError("scale must be positive")
    copies = int(scale)
    per_trust = int(made.respondent.max()) + 1
    keys = np.unique(made.trust * per_trust + made.respondent)
    extra = rng.choice(keys, size=round((scale - copies) * len(keys)), replace=False)
    if copies == 0:
        return made.frame(framework, copies=0, extra=extra)
    return made.frame(framework, copies=copies, extra=extra)


# --- one draw --------------------------------------------------------------------------------------------


@dataclass
class _Staff:
    trust: np.ndarray
    sector: np.ndarray
    audience: np.ndarray
    number: np.ndarray  # within the trust


def _staff(trusts: int, rng: np.random.Generator) -> _Staff:
    sectors = len(tg.SECTORS)
    leaders = LEADERS_PER_SECTOR[0] + rng.poisson(LEADERS_PER_SECTOR[1], (trusts, sectors))
    front_line = FRONT_LINE_PER_SECTOR[0] + rng.poisson(FRONT_LINE_PER_SECTOR[1], (trusts, sectors))
    no_leaders = rng.choice(trusts, size=max(round(2 * trusts / 150), 1), replace=False)  # 2.6
    leaders[no_leaders] = 0
    counts = np.stack([leaders, front_line], axis=2)  # [trust, sector, audience]
    t, s, a = np.indices(counts.shape)
    repeat = counts.ravel()
    trust = np.repeat(t.ravel(), repeat)
    number = np.arange(len(trust)) - np.repeat(
        np.r_[0, np.cumsum(counts.sum(axis=(1, 2)))][:-1], counts.sum(axis=(1, 2))
    )
    return _Staff(trust, np.repeat(s.ravel(), repeat), np.repeat(a.ravel(), repeat), number)


def _top(weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k indices drawn without replacement with probability in proportion to weights."""
    if k > len(weights):
        raise Infeasible("more answers wanted than staff to give them")
    keys = np.log(rng.random(len(weights))) / weights
    return np.argpartition(-keys, k - 1)[:k] if k else np.empty(0, dtype=np.int64)


def _draw(
    framework: Framework, counts: dict[tuple[str, str, str], int], trusts: int, rng: np.random.Generator
) -> Round:
    staff = _staff(trusts, rng)
    stage_of = np.array([tg.STAGES.index(q.stage) for q in framework.questions])
    practice_of = np.array([tg.PRACTICES.index(q.practice) for q in framework.questions])
    q_latent = rng.normal(0, 1, trusts)
    lowest, highest = int(np.argmin(q_latent)), int(np.argmax(q_latent))

    # Which answers exist, and which are NA or DK: exact numbers by practice and audience.
    people, questions, answers = [], [], []
    for p_index, p in enumerate(tg.PRACTICES):
        asked = np.flatnonzero(practice_of == p_index)
        for a_index, a in enumerate(tg.AUDIENCES):
            staff_here = np.flatnonzero(staff.audience == a_index)
            person = np.repeat(staff_here, len(asked))
            question = np.tile(asked, len(staff_here))
            weight = np.ones(len(person))
            if a == tg.FL:
                weight[np.isin(stage_of[question], [tg.STAGES.index(g) for g in tg.LEADER_STAGES])] = (
                    FRONT_LINE_LEADER_STAGES
                )
            wanted = {k: counts[(p, a, k)] for k in tg.CODES}
            keep = _top(weight, sum(wanted.values()), rng)
            person, question = person[keep], question[keep]
            # The lowest trust answers "don't know" less where it scores lowest, so that its overall mean can
            # be as low as the report's 2.07 with every practice mean at or above that practice's lowest.
            missing_weight = np.ones(len(person))
            if p in ("caf", "tac", "lead_professional"):
                missing_weight[staff.trust[person] == lowest] = 0.25
            else:
                missing_weight[staff.trust[person] == lowest] = 2.5
            missing = _top(missing_weight, wanted["NA"] + wanted["DK"], rng)
            code = np.full(len(person), -1, dtype=np.int64)
            code[missing[: wanted["NA"]]] = tg.CODES.index("NA")
            code[missing[wanted["NA"] :]] = tg.CODES.index("DK")
            people.append(person)
            questions.append(question)
            answers.append(code)
    person = np.concatenate(people)
    question = np.concatenate(questions)
    answer = np.concatenate(answers)
    trust, sector, audience = staff.trust[person], staff.sector[person], staff.audience[person]
    practice, stage = practice_of[question], stage_of[question]
    scored = answer < 0

    # Targets for the sums of scores.
    score_sums = {
        (p, a): sum(int(k) * counts[(p, a, k)] for k in tg.SCORED) for p in tg.PRACTICES for a in tg.AUDIENCES
    }
    sector_n = _count(practice, audience, sector, scored, tg.SECTORS)
    stage_n = _count(practice, audience, stage, scored, tg.STAGES)
    sector_target = tg.sector_sums(sector_n, score_sums)
    stage_target = tg.stage_sums(stage_n, score_sums)
    trust_n = np.zeros((trusts, len(tg.PRACTICES)), dtype=np.int64)
    np.add.at(trust_n, (trust[scored], practice[scored]), 1)
    trust_target = _trust_targets(trust_n, score_sums, q_latent, lowest, highest, rng)

    # Scores in exactly the published numbers, ordered by a latent made of the three effects plus noise.
    national = {key: score_sums[key] / sum(counts[(*key, k)] for k in tg.SCORED) for key in score_sums}
    score = np.zeros(len(person), dtype=np.int64)
    for p_index, p in enumerate(tg.PRACTICES):
        for a_index, a in enumerate(tg.AUDIENCES):
            rows = np.flatnonzero(scored & (practice == p_index) & (audience == a_index))
            mean = national[(p, a)]
            effect = (
                trust_target[trust[rows], p_index] / np.maximum(trust_n[trust[rows], p_index], 1)
                + np.array([sector_target[(p, a, s)] / sector_n[(p, a, s)] for s in tg.SECTORS])[sector[rows]]
                + np.array([stage_target.get((p, a, g), 0) / max(stage_n.get((p, a, g), 0), 1) for g in tg.STAGES])[
                    stage[rows]
                ]
                - 3 * mean
            )
            latent = effect + rng.logistic(0, 0.7, len(rows))
            order = rows[np.argsort(latent, kind="stable")]
            edges = np.cumsum([counts[(p, a, k)] for k in tg.SCORED])
            score[order] = np.searchsorted(edges, np.arange(len(order)), side="right") + 1

    # Swap scores until every margin is exactly on target; each step leaves the others unchanged.
    for p_index, p in enumerate(tg.PRACTICES):
        for a_index, a in enumerate(tg.AUDIENCES):
            rows = np.flatnonzero(scored & (practice == p_index) & (audience == a_index))
            balance(
                score,
                rows,
                sector[rows],
                trust[rows] * 8 + stage[rows],
                np.array([sector_target[(p, a, s)] for s in tg.SECTORS]),
                rng,
            )
            balance(
                score,
                rows,
                stage[rows],
                trust[rows] * 8 + sector[rows],
                np.array([stage_target.get((p, a, g), 0) for g in tg.STAGES]),
                rng,
            )
        rows = np.flatnonzero(scored & (practice == p_index))
        balance(
            score,
            rows,
            trust[rows],
            (audience[rows] * 8 + sector[rows]) * 8 + stage[rows],
            trust_target[:, p_index],
            rng,
        )

    answer = np.where(scored, score - 1, answer)
    return Round(trust, staff.number[person], sector, audience, question, answer, trusts)


def _count(
    practice: np.ndarray, audience: np.ndarray, key: np.ndarray, scored: np.ndarray, names: tuple[str, ...]
) -> dict[tuple[str, str, str], int]:
    shape = (len(tg.PRACTICES), len(tg.AUDIENCES), len(names))
    n = np.zeros(shape, dtype=np.int64)
    np.add.at(n, (practice[scored], audience[scored], key[scored]), 1)
    return {
        (p, a, k): int(n[i, j, m])
        for i, p in enumerate(tg.PRACTICES)
        for j, a in enumerate(tg.AUDIENCES)
        for m, k in enumerate(names)
        if n[i, j, m]
    }


def _trust_targets(
    trust_n: np.ndarray,
    score_sums: dict[tuple[str, str], int],
    q_latent: np.ndarray,
    lowest: int,
    highest: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Each trust's sum of scores per practice: its practice bands by a noisy rank, its overall band by the
    rank of the result, the extremes pinned (see targets.trust_windows)."""
    trusts = len(q_latent)
    ratio = trusts / 150
    windows = {}
    centre = np.zeros(trust_n.shape)
    for i, p in enumerate(tg.PRACTICES):
        z = q_latent + 0.45 * rng.normal(0, 1, trusts)
        # Likewise the lowest trust overall is the lowest where the report's lowest trust means are lowest,
        # and second lowest in the others, leaving its overall mean room to be 2.07.
        z[lowest] = -np.inf if p in ("caf", "tac", "lead_professional") else np.sort(z)[1] - 1e-9
        # The highest trust overall is the highest in most practices, but not in the two whose highest trust
        # means (3.83, 3.79) would lift it above the report's overall 3.62.
        z[highest] = np.inf if p not in ("information_sharing", "caf") else np.sort(z)[-2] - 1e-9
        order = np.argsort(z, kind="stable")
        low, high = tg.trust_windows(p, order, ratio)
        windows[p] = (low, high)
        centre[:, i] = (low + high) / 2
    overall = (centre * trust_n).sum(axis=1) / trust_n.sum(axis=1)
    overall[lowest], overall[highest] = -np.inf, np.inf
    order = np.argsort(overall, kind="stable")
    overall_window = tg.trust_windows("overall", order, ratio)
    totals = {p: score_sums[(p, tg.LM)] + score_sums[(p, tg.FL)] for p in tg.PRACTICES}
    return tg.trust_sums(trust_n, windows, overall_window, totals, centre)
