"""Names: unique within a locality, and the variants OSM mappers write."""

from __future__ import annotations

import numpy as np
import polars as pl

from samplegen import names, vocabulary


def test_names_are_unique_within_each_group():
    group = np.repeat(np.arange(3), [5, 400, 1])
    got = names.pick_names(vocabulary.STOPS["de"], group, np.random.default_rng(0))
    frame = pl.DataFrame({"g": group, "name": got})
    assert frame.group_by("g").agg(pl.col("name").n_unique() == pl.len())["name"].all()
    assert got[0] in vocabulary.STOPS["de"].heads  # small places get landmark names first


def test_rank_within_counts_per_group_in_row_order():
    assert names.rank_within(np.array([2, 1, 2, 2, 1])).tolist() == [0, 0, 1, 2, 1]


def _variants(name: str) -> list[str]:
    frame = pl.DataFrame({"n": [name] * len(names.VARIANTS), "v": range(len(names.VARIANTS))})
    return frame.select(names.variant_name(pl.col("n"), pl.col("v")))["n"].to_list()


def test_osm_variants_of_an_official_name():
    same, no_loc, abbr, ascii_, no_loc_abbr, expanded, ue = _variants("Zürich, Bahnhofstrasse")
    assert same == "Zürich, Bahnhofstrasse"
    assert no_loc == "Bahnhofstrasse"
    assert abbr == "Zürich, Bhfstr."
    assert ascii_ == "Zurich, Bahnhofstrasse"
    assert no_loc_abbr == "Bhfstr."
    assert ue == "Zuerich, Bahnhofstrasse"
    assert _variants("St. Gallen, Sankt Leonhard")[5] == "Sankt Gallen, Sankt Leonhard"
    assert _variants("Genève, Saint-Jean")[2] == "Genève, St-Jean"
