"""Moving scores between answers until one margin of a table hits its targets, leaving the others alone.

Swapping the scores of two answers that agree on everything but one thing (two trusts' answers in the same
audience, sector and stage, say) changes the sums of those two trusts and nothing else: not the counts of each
answer, not any sector's or stage's sum. So each margin (trusts, sectors, stages) can be brought to its target
in turn, and the earlier ones stay where they were put.
"""

from __future__ import annotations

import numpy as np

from selfassess.synth.lp import Infeasible

MAX_ROUNDS = 5000


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """For groups sorted ascending: each element's position within its run of equal groups."""
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    lengths = np.diff(np.r_[starts, len(groups)])
    rank: np.ndarray = np.arange(len(groups)) - np.repeat(starts, lengths)
    return rank


def balance(
    score: np.ndarray,
    rows: np.ndarray,
    margin: np.ndarray,
    group: np.ndarray,
    target: np.ndarray,
    rng: np.random.Generator,
) -> int:
    """Swap scores among `rows` until the sum of scores for each margin value equals `target`.

    `margin[i]` and `group[i]` label rows[i]; swaps only pair rows of the same group. Scores are changed in
    place; returns the number of swaps made. Raises Infeasible if the targets cannot be reached.
    """
    target = np.asarray(target, dtype=np.int64)
    values = score[rows].astype(np.int64)
    if int(values.sum()) != int(target.sum()):
        raise Infeasible("targets do not add up to the scores there are")
    swaps = 0
    for _ in range(MAX_ROUNDS):
        sums = np.bincount(margin, weights=values, minlength=len(target)).astype(np.int64)
        excess = sums - target
        if not excess.any():
            score[rows] = values
            return swaps
        high, low = int(np.argmax(excess)), int(np.argmin(excess))
        need = int(min(excess[high], -excess[low]))
        giver = np.flatnonzero((margin == high) & (values > 1))
        taker = np.flatnonzero((margin == low) & (values < 5))
        pairs = _pairs(giver, taker, group, rng)
        if len(pairs) == 0:
            raise Infeasible("no answers to swap between two groups")
        gain = values[pairs[:, 0]] - values[pairs[:, 1]]
        useful = gain > 0
        pairs, gain = pairs[useful], gain[useful]
        if len(pairs) == 0:
            raise Infeasible("no swap moves the sums towards their targets")
        order = np.argsort(gain, kind="stable")  # small moves first: closest to the original answers
        pairs, gain = pairs[order], gain[order]
        take = int(np.searchsorted(np.cumsum(gain), need, side="right"))
        take = max(take, 1)  # at worst overshoot by a point; a later round comes back
        chosen = pairs[:take]
        values[chosen[:, 0]], values[chosen[:, 1]] = values[chosen[:, 1]], values[chosen[:, 0]].copy()
        swaps += take
    raise Infeasible("balancing did not settle")


def _pairs(giver: np.ndarray, taker: np.ndarray, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pair rows of `giver` with rows of `taker` in the same group, at random, each row at most once."""
    if len(giver) == 0 or len(taker) == 0:
        return np.empty((0, 2), dtype=np.int64)
    giver = giver[np.lexsort((rng.random(len(giver)), group[giver]))]
    taker = taker[np.lexsort((rng.random(len(taker)), group[taker]))]
    width = max(len(giver), len(taker)) + 1
    key_giver = group[giver].astype(np.int64) * width + _rank_within(group[giver])
    key_taker = group[taker].astype(np.int64) * width + _rank_within(group[taker])
    _, i, j = np.intersect1d(key_giver, key_taker, assume_unique=True, return_indices=True)
    shuffle = rng.permutation(len(i))
    return np.stack([giver[i[shuffle]], taker[j[shuffle]]], axis=1)
