"""Stop-sequence comparison: a bit-parallel longest common subsequence."""

from __future__ import annotations

from collections.abc import Sequence


def lcs_length(a: Sequence, b: Sequence) -> int:
    """Length of the longest common subsequence (Hyyrö's bit-vector method, O(len(a)) big-int ops)."""
    if not a or not b:
        return 0
    masks: dict = {}
    for i, item in enumerate(b):
        masks[item] = masks.get(item, 0) | (1 << i)
    full = (1 << len(b)) - 1
    v = full
    for item in a:
        u = v & masks.get(item, 0)
        # Bits above len(b) only carry upwards, so masking each step keeps the ints small.
        v = ((v + u) | (v - u)) & full
    return len(b) - v.bit_count()


def lcs_ratio(a: Sequence, b: Sequence) -> float:
    """LCS length over the longer sequence's length (0 for two empty sequences)."""
    longest = max(len(a), len(b))
    return lcs_length(a, b) / longest if longest else 0.0


def squeeze(items: Sequence) -> list:
    """Drop consecutive repeats (a platform and its stop_position resolve to the same stop)."""
    out: list = []
    for item in items:
        if not out or out[-1] != item:
            out.append(item)
    return out
