"""Stop and village names, unique where the registry needs them, and the variants OSM mappers write."""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from samplegen.vocabulary import Vocab

# A stride coprime with the combination count walks every combination once per group.
_STRIDES = (7919, 104_729, 15_485_863)


def rank_within(group: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each group value, in the original row order."""
    order = np.argsort(group, kind="stable")
    sorted_g = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_g)) + 1]
    sizes = np.diff(np.r_[starts, len(group)])
    rank_sorted = np.arange(len(group)) - np.repeat(starts, sizes)
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = rank_sorted
    return rank


def _stride(n: int) -> int:
    """The first stride that is coprime with n."""
    return next(s for s in _STRIDES if math.gcd(s, n) == 1)


def pick_names(vocab: Vocab, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One name per row, unique within its group while the group fits the vocabulary."""
    rank = rank_within(group)
    n_groups = int(group.max()) + 1 if len(group) else 0
    heads = np.array(vocab.heads or ("",), dtype=object)
    n_heads = len(vocab.heads)
    roots, mods = np.array(vocab.roots, dtype=object), np.array(vocab.mods, dtype=object)
    pre = np.array([f[0] for f in vocab.forms], dtype=object)
    post = np.array([f[1] for f in vocab.forms], dtype=object)
    n_base = len(roots) * len(pre)
    head_off = rng.integers(0, max(n_heads, 1), n_groups)[group]
    base_off = rng.integers(0, n_base, n_groups)[group]
    combo_rank = np.maximum(rank - n_heads, 0)
    # the modifier only changes once every root/form pair of the group is used up
    base = (base_off + (combo_rank % n_base) * _stride(n_base)) % n_base
    mod = np.minimum(combo_rank // n_base, len(mods) - 1)
    root_i, form_i = base % len(roots), base // len(roots)
    combo = pre[form_i] + roots[root_i] + post[form_i] + mods[mod]
    head = heads[(head_off + rank) % max(n_heads, 1)]
    return np.where(rank < n_heads, head, combo).astype(str)


def _replacing(pairs: dict[str, str]):
    """An expression transform replacing every key by its value (literal, in one pass)."""

    def apply(expr: pl.Expr) -> pl.Expr:
        return expr.str.replace_many(list(pairs), list(pairs.values()))

    return apply


# ASCII-folding of the accents in Swiss names (Zürich -> Zurich)
strip_diacritics = _replacing(
    {
        "ü": "u",
        "ö": "o",
        "ä": "a",
        "é": "e",
        "è": "e",
        "ê": "e",
        "â": "a",
        "ô": "o",
        "ç": "c",
        "É": "E",
        "Ü": "U",
    }
)
# German transliteration of umlauts (Zürich -> Zuerich)
umlaut_spelled = _replacing({"ü": "ue", "ö": "oe", "ä": "ae"})
# the abbreviations mappers use: Bahnhof -> Bhf, strasse -> str., Sankt -> St.
abbreviate = _replacing(
    {"Bahnhof": "Bhf", "strasse": "str.", "Sankt ": "St. ", "Saint-": "St-", "Avenue ": "Av. "}
)
# the reverse direction: St. -> Sankt, Bhf -> Bahnhof (e.g. "Sankt Gallen")
expand = _replacing({"St. ": "Sankt ", "Bhf": "Bahnhof"})


def drop_locality(expr: pl.Expr) -> pl.Expr:
    """'Zürich, Paradeplatz' -> 'Paradeplatz' (mappers often omit the locality)."""
    return expr.str.replace(r"^[^,]+,\s*", "")


# Variant codes drawn per OSM element: how its name differs from the official one.
VARIANTS = ("same", "no_locality", "abbreviated", "ascii", "no_locality_abbr", "expanded", "ue")
VARIANT_WEIGHTS = (0.55, 0.22, 0.07, 0.04, 0.05, 0.03, 0.04)


def variant_name(name: pl.Expr, variant: pl.Expr) -> pl.Expr:
    """The name as written in OSM, given a variant code (an index into VARIANTS)."""
    return (
        pl.when(variant == 1)
        .then(drop_locality(name))
        .when(variant == 2)
        .then(abbreviate(name))
        .when(variant == 3)
        .then(strip_diacritics(name))
        .when(variant == 4)
        .then(abbreviate(drop_locality(name)))
        .when(variant == 5)
        .then(expand(name))
        .when(variant == 6)
        .then(umlaut_spelled(name))
        .otherwise(name)
    )
