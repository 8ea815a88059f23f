"""atlas.csv: the real ATLAS traffic-point format, realistic values and the rows filters drop."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import shapely
from shapely.geometry import shape

from samplegen.atlas import COLUMNS
from samplegen.atlas_rows import check_digits

from .conftest import REPO


def test_bom_separator_and_the_34_columns_in_order(region):
    raw = (region[0] / "atlas.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\n", 1)[0].decode()
    assert header.split(";") == list(COLUMNS)
    assert len(COLUMNS) == 34


def test_every_row_has_34_fields(atlas):
    assert atlas.width == 34
    assert atlas.height > 500


def test_identifiers_look_like_the_registry(atlas):
    swiss = atlas.filter(pl.col("uicCountryCode") == "85")
    assert swiss["sloid"].str.contains(r"^ch:1:sloid:\d+(:\d+){1,2}$").all()
    assert swiss["number"].str.contains(r"^85\d{5}$").all()
    short = swiss["number"].cast(pl.Int64) % 100_000
    assert (swiss["numberShort"].cast(pl.Int64) == short).all()
    assert set(atlas["trafficPointElementType"].unique()) == {"BOARDING_PLATFORM", "BOARDING_AREA"}
    assert {"SBB", "PAG"} <= set(swiss["servicePointBusinessOrganisationAbbreviationDe"])


def test_check_digit_is_the_uic_luhn_digit(atlas):
    for number, digit in atlas.select("number", "checkDigit").head(50).iter_rows():
        digits = [int(c) for c in number + digit]
        # Luhn over 8 digits: double every second digit counted from the right
        total = sum(d if i % 2 == 0 else (2 * d) // 10 + (2 * d) % 10 for i, d in enumerate(reversed(digits)))
        assert total % 10 == 0
    assert check_digits(np.array([8503000]))[0] == 5


def test_dates_are_iso_and_kept_rows_valid_forever(atlas):
    assert atlas["validFrom"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert atlas["validTo"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert (atlas["validTo"] == "9999-12-31").sum() > 0.9 * atlas.height


def test_lv95_agrees_with_wgs84(atlas):
    swiss = atlas.filter(pl.col("uicCountryCode") == "85").head(200)
    east, north = swiss["lv95East"].cast(pl.Float64), swiss["lv95North"].cast(pl.Float64)
    assert east.is_between(2_480_000, 2_840_000).all()
    assert north.is_between(1_070_000, 1_300_000).all()
    # a degree of latitude is about 111 km of northing
    lat = swiss["wgs84North"].cast(pl.Float64)
    slope = np.polyfit(lat.to_numpy(), north.to_numpy(), 1)[0]
    assert 105_000 < slope < 117_000


def _border():
    """The bundled Swiss boundary the preprocess filter uses."""
    doc = json.loads((REPO / "data" / "boundary" / "ch.geojson").read_text())
    return shape(doc["features"][0]["geometry"])


def test_filter_bait_rows_are_present_and_clearly_dropped(atlas):
    today = dt.date.today().isoformat()
    lon = atlas["wgs84East"].cast(pl.Float64).to_numpy()
    lat = atlas["wgs84North"].cast(pl.Float64).to_numpy()
    inside = shapely.contains_xy(_border(), lon, lat)
    foreign = atlas["uicCountryCode"] != "85"
    expired = atlas["validTo"] < today
    area = atlas["trafficPointElementType"] == "BOARDING_AREA"
    outside = (~foreign).to_numpy() & ~inside
    assert foreign.sum() > 0 and expired.sum() > 0 and area.sum() > 0 and outside.sum() > 0
    # the "outside" rows are well abroad (more than 10 km from the border)
    far = shapely.distance(_border().boundary, shapely.points(lon[outside], lat[outside])) * 111
    assert far.min() > 10


def test_kept_rows_lie_well_inside_switzerland(region, atlas):
    truth = pl.read_ndjson(region[0] / "truth.jsonl")
    kept = atlas.filter(
        pl.col("sloid").is_in(truth["sloid"].implode())
        & (pl.col("validTo") == "9999-12-31")
        & (pl.col("trafficPointElementType") == "BOARDING_PLATFORM")
    )
    assert kept.height == truth.height
    pts = shapely.points(
        kept["wgs84East"].cast(pl.Float64).to_numpy(), kept["wgs84North"].cast(pl.Float64).to_numpy()
    )
    assert shapely.contains(_border(), pts).all()
    assert (shapely.distance(_border().boundary, pts) * 111).min() > 1.0


def test_registry_duplicates_share_number_and_designation(atlas):
    kept = atlas.filter(
        (pl.col("validTo") == "9999-12-31")
        & pl.col("designation").is_not_null()
        & (pl.col("trafficPointElementType") == "BOARDING_PLATFORM")
    )
    groups = kept.group_by("number", "designation").agg(pl.col("sloid").n_unique().alias("n"))
    assert groups["n"].max() >= 2
