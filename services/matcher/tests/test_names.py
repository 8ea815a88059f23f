"""Name normalisation: the variants OSM mappers write compare equal to the official name."""

import polars as pl
import pytest

from matcher.names import name_keys, normalize


def norm(text: str) -> str:
    return pl.select(normalize(pl.lit(text)))[0, 0]


@pytest.mark.parametrize(
    ("official", "osm"),
    [
        ("Zürich, Paradeplatz", "Zurich, Paradeplatz"),
        ("Zürich, Paradeplatz", "Zuerich,  paradeplatz"),
        ("Bern, Bahnhof", "Bern, Bhf"),
        ("St. Gallen, Bahnhofstrasse", "Sankt Gallen, Bahnhofstr."),
        ("Saint-Maurice, Gare", "St-Maurice, gare"),
        ("Lausanne, Avenue de Cour", "Lausanne, Av. de Cour"),
        ("Genève, Gare Cornavin", "Geneve, Bahnhof Cornavin"),
        ("Lugano, Stazione", "Lugano, Bahnhof"),
    ],
)
def test_variants_normalize_alike(official, osm):
    assert norm(official) == norm(osm)


def test_different_places_stay_different():
    assert norm("Zürich, Paradeplatz") != norm("Zürich, Bellevue")
    assert norm("Bern, Bahnhof") != norm("Bern, Hauptbahnhof")


def test_locality_prefix_gives_a_second_key():
    keys = name_keys(pl.DataFrame({"id": [1], "n": ["Zürich, Paradeplatz"]}), "id", ["n"])
    assert set(keys["key"]) == {"zurich paradeplatz", "paradeplatz"}
