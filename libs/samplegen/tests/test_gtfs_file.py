"""gtfs.zip: a valid Swiss-shaped feed, internally consistent and consistent with the OSM routes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

import polars as pl
import pytest

from .conftest import read_member

FILES = ("agency.txt", "calendar.txt", "routes.txt", "stops.txt", "trips.txt", "stop_times.txt")


@pytest.fixture(scope="module")
def feed(region) -> dict[str, pl.DataFrame]:
    return {name: read_member(region[0] / "gtfs.zip", name) for name in FILES}


def test_the_members_are_there(region):
    with zipfile.ZipFile(region[0] / "gtfs.zip") as zf:
        assert set(FILES) <= set(zf.namelist())
        assert zf.testzip() is None


def test_foreign_keys_hold(feed):
    def within(a: pl.Series, b: pl.Series) -> bool:
        return bool(a.drop_nulls().is_in(b.implode()).all())

    assert within(feed["stop_times.txt"]["trip_id"], feed["trips.txt"]["trip_id"])
    assert within(feed["stop_times.txt"]["stop_id"], feed["stops.txt"]["stop_id"])
    assert within(feed["trips.txt"]["route_id"], feed["routes.txt"]["route_id"])
    assert within(feed["trips.txt"]["service_id"], feed["calendar.txt"]["service_id"])
    assert within(feed["routes.txt"]["agency_id"], feed["agency.txt"]["agency_id"])
    assert within(feed["stops.txt"]["parent_station"], feed["stops.txt"]["stop_id"])
    assert feed["stops.txt"]["stop_id"].is_unique().all()
    assert feed["trips.txt"]["trip_id"].is_unique().all()


def test_swiss_id_shapes(feed, atlas):
    stops = feed["stops.txt"]
    assert stops["stop_id"].str.contains(r"^Parent85\d{5}$").any()
    assert stops["stop_id"].str.contains(r"^85\d{5}:0:\w+$").any()
    assert stops["stop_id"].str.contains(r"^85\d{5}$").any()
    parents = stops.filter(pl.col("location_type") == "1")["stop_id"]
    assert parents.str.starts_with("Parent").any() and parents.str.contains(r"^85\d{5}$").any()
    coded = stops.filter(pl.col("platform_code").is_not_null())
    assert coded["stop_id"].str.ends_with(":" + coded["platform_code"]).all()
    assert stops["original_stop_id"].drop_nulls().is_in(atlas["sloid"].implode()).mean() == 1.0
    assert feed["routes.txt"]["route_id"].str.contains(r"^\d+-\w+-[A-Z]+\d*-j25-1$").all()
    assert set(feed["trips.txt"]["direction_id"].unique()) == {"0", "1"}


def test_stop_times_are_ordered_per_trip(feed):
    st = feed["stop_times.txt"].with_columns(pl.col("stop_sequence").cast(pl.Int32))
    times = st["arrival_time"]
    assert times.str.contains(r"^\d{2}:\d{2}:\d{2}$").all()
    ok = (
        st.sort("trip_id", "stop_sequence")
        .group_by("trip_id")
        .agg(
            (pl.col("stop_sequence").diff().drop_nulls() == 1).all().alias("seq"),
            pl.col("arrival_time").is_sorted().alias("time"),
        )
    )
    assert ok["seq"].all() and ok["time"].all()


def _uic(stop_id: str) -> str:
    return re.sub(r"^Parent", "", stop_id).split(":")[0]


def test_osm_routes_follow_the_gtfs_trips(region, feed, atlas):
    truth = pl.read_ndjson(region[0] / "truth.jsonl").explode("osm_ids").drop_nulls()
    number = dict(atlas.select("sloid", "number").iter_rows())
    uic_of = {osm: number[s] for s, osm in truth.iter_rows()}
    st = feed["stop_times.txt"].with_columns(pl.col("stop_sequence").cast(pl.Int32))
    by_trip = st.sort("trip_id", "stop_sequence").group_by("trip_id").agg("stop_id")
    trips = {t: [_uic(s) for s in stops] for t, stops in by_trip.iter_rows()}
    checked = 0
    for rel in ET.parse(region[0] / "osm.osm").getroot().findall("relation"):
        tags = {t.get("k"): t.get("v") for t in rel.findall("tag")}
        if tags.get("type") != "route" or "ref_trips" not in tags:
            continue
        gtfs_route = tags["ref_trips"].split(".TA.")[1].rsplit(".", 2)[0]
        if "gtfs:route_id" in tags:
            assert tags["gtfs:route_id"].replace("-j24-", "-j25-") == gtfs_route
        seq = [
            uic_of[m.get("ref")]
            for m in rel.findall("member")
            if m.get("role") == "platform" and m.get("ref") in uic_of
        ]
        trip = iter(trips[tags["ref_trips"]])
        assert all(u in trip for u in seq)  # the relation's stops are the trip's, in order
        checked += 1
    assert checked > 10
