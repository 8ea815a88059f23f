"""Operator alias table and normalisation."""

import orjson
import polars as pl
import pytest

from precompute.operators import load_aliases, normalize_operator, operator_key


def _norm(values, aliases):
    return (
        pl.select(normalize_operator(pl.Series(values, dtype=pl.String), aliases))
        .to_series()
        .to_list()
    )


def test_normalisation_folds_case_spacing_and_aliases():
    aliases = {"SBB CFF FFS": "SBB", "Post Auto": "PAG"}
    assert _norm(
        ["SBB CFF FFS", " sbb  cff ffs ", "SBB", "post   auto", "BLS", "", None], aliases
    ) == ["sbb", "sbb", "sbb", "pag", "bls", None, None]


def test_operator_key_matches_the_polars_folding():
    assert operator_key("  SBB \t CFF  ") == "sbb cff"
    assert operator_key("") is None and operator_key(None) is None


def test_default_table_loads_and_skips_notes():
    table = load_aliases()
    assert table["SBB CFF FFS"] == "SBB"
    assert not any(k.startswith("_") for k in table)


def test_custom_table_file(tmp_path):
    path = tmp_path / "aliases.json"
    path.write_bytes(orjson.dumps({"_note": "x", "Foo Bahn": "FB"}))
    assert load_aliases(path) == {"Foo Bahn": "FB"}
    path.write_bytes(b"[1, 2]")
    with pytest.raises(ValueError):
        load_aliases(path)
