"""Choosing edges: unique-both-ends with tie-breaks, and min-cost maximum-cardinality assignment."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def prefer(edges: pl.DataFrame, preferred: pl.Expr, side: str) -> pl.DataFrame:
    """Where some of a side's edges are preferred, drop that side's other edges."""
    e = edges.with_columns(_pref=preferred.fill_null(False))
    return e.filter(pl.col("_pref") | ~pl.col("_pref").any().over(side)).drop("_pref")


ENDS = ("sloid", "target_id")


def unique_pairs(
    edges: pl.DataFrame, tiebreak: pl.Expr | None = None, ends: tuple[str, str] = ENDS
) -> pl.DataFrame:
    """Edges that are the only one at both ends, after an optional tie-break on each side."""
    if tiebreak is not None:
        edges = prefer(prefer(edges, tiebreak, ends[0]), tiebreak, ends[1])
    return edges.filter((pl.len().over(ends[0]) == 1) & (pl.len().over(ends[1]) == 1))


def mutual_best(
    edges: pl.DataFrame, score: str, higher_is_better: bool, ends: tuple[str, str] = ENDS
) -> pl.DataFrame:
    """Edges that are strictly the best at both ends (a tie at either end drops the edge)."""
    best = pl.col(score).max() if higher_is_better else pl.col(score).min()
    out = edges
    for side in ends:
        at_best = pl.col(score) == best.over(side)
        out = out.filter(at_best & (at_best.sum().over(side) == 1))
    return out


def _components(edges: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer codes of both ends and the connected component of each edge."""
    a = edges["sloid"].rank("dense").cast(pl.Int64).to_numpy() - 1
    b = edges["target_id"].rank("dense").cast(pl.Int64).to_numpy() - 1
    na, nb = int(a.max()) + 1, int(b.max()) + 1
    graph = coo_matrix((np.ones(len(a)), (a, b + na)), shape=(na + nb, na + nb))
    _, label = connected_components(graph, directed=False)
    return a, b, label[a]


def assign(edges: pl.DataFrame, cost: str = "dist") -> pl.DataFrame:
    """Maximum-cardinality, then minimum-cost, one-to-one subset; ties are left out."""
    if edges.is_empty():
        return edges
    a, b, comp = _components(edges)
    edges = edges.with_columns(_a=pl.Series(a), _b=pl.Series(b), _c=pl.Series(comp))
    star = (pl.col("_a").n_unique().over("_c") == 1) | (pl.col("_b").n_unique().over("_c") == 1)
    # A star (one stop or one target) takes its strictly closest edge; no solver needed.
    stars = edges.filter(star)
    lowest = pl.col(cost) == pl.col(cost).min().over("_c")
    chosen = [stars.filter(lowest & (lowest.sum().over("_c") == 1))]
    hard = edges.filter(~star).sort("_c", "_a", "_b")
    if not hard.is_empty():
        chosen.append(hard.filter(pl.Series(_solve_all(hard, cost))))
    return pl.concat(chosen).drop("_a", "_b", "_c")


def _solve_all(hard: pl.DataFrame, cost: str) -> np.ndarray:
    """Keep-mask over edges sorted by component: each component solved on numpy slices."""
    a, b, c = hard["_a"].to_numpy(), hard["_b"].to_numpy(), hard["_c"].to_numpy()
    d = hard[cost].to_numpy().astype(float)
    bounds = np.flatnonzero(np.diff(c)) + 1
    keep = np.zeros(len(c), dtype=bool)
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(c)], strict=True):
        keep[lo:hi] = _solve(a[lo:hi], b[lo:hi], d[lo:hi])
    return keep


def _solve(a: np.ndarray, b: np.ndarray, d: np.ndarray) -> np.ndarray:
    """One component: the optimal matching, minus edges some equally good matching avoids."""
    ra = np.unique(a, return_inverse=True)[1]
    rb = np.unique(b, return_inverse=True)[1]
    # Non-edges cost 0 and edges d - big, so cardinality comes first, then total distance.
    big = 1.0 + float(d.max()) * (len(d) + 1)
    matrix = np.zeros((ra.max() + 1, rb.max() + 1))
    matrix[ra, rb] = d - big
    best, chosen = _optimum(matrix)
    # A tie is left unmatched: an edge is kept only if forbidding it makes things worse.
    firm = set()
    for r, c in chosen:
        trial = matrix.copy()
        trial[r, c] = 0.0
        if _optimum(trial)[0] > best + 1e-6:
            firm.add((r, c))
    return np.fromiter(((r, c) in firm for r, c in zip(ra, rb, strict=True)), bool, len(ra))


def _optimum(matrix: np.ndarray) -> tuple[float, list[tuple[int, int]]]:
    """Total cost and the chosen real edges (negative cells) of an optimal assignment."""
    rows, cols = linear_sum_assignment(matrix)
    chosen = [(r, c) for r, c in zip(rows, cols, strict=True) if matrix[r, c] < 0]
    return float(matrix[rows, cols].sum()), chosen
