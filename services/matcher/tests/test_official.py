"""Generic profile: GTFS stops.txt as the official side."""

import zipfile

from matcher.engine import match
from matcher.official import gtfs_official_stops
from matcher.tests.factory import at, element, osm_frame

STOPS = (
    "\ufeffstop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code\n"
    "P1,Gare Centrale,{lat1},{lon1},1,,\n"
    "8501234:0:A,Gare Centrale,{lat2},{lon2},0,P1,A\n"
    "Q7,Rue Haute,{lat3},{lon3},,,\n"
)


def feed(tmp_path):
    (lon1, lat1), (lon2, lat2), (lon3, lat3) = at(0, 0), at(5, 0), at(800, 0)
    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("stops.txt", STOPS.format(**locals()))
    return path


def test_boarding_points_become_official_stops(tmp_path):
    stops = gtfs_official_stops(feed(tmp_path))
    assert stops["sloid"].to_list() == ["8501234:0:A", "Q7"]
    assert stops["uic"].to_list() == [8501234, None]
    assert stops["designation"].to_list() == ["A", None]


def test_generic_profile_matches_gtfs_stops(tmp_path):
    official = gtfs_official_stops(feed(tmp_path))
    osm = osm_frame(
        element("platform", 5, 3, "1", local_ref="A"), element("platform", 790, 600, "2", name="Rue Haute")
    )
    result = match(official, osm, profile="generic")
    got = dict(result.matches.select("sloid", "match_type").iter_rows())
    assert got == {"8501234:0:A": "local_ref", "Q7": "name"}


def test_generic_profile_caps_names_at_1000_m(tmp_path):
    official = gtfs_official_stops(feed(tmp_path))
    osm = osm_frame(element("platform", 800, 1200, "2", name="Rue Haute"))
    assert match(official, osm, profile="generic").matches.is_empty()
    assert len(match(official, osm, profile="swiss").matches) == 1
