"""Small source files built inside each test: ATLAS CSV, OSM XML and GTFS zips."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

ATLAS_COLUMNS = (
    "sloid;numberShort;uicCountryCode;number;checkDigit;validFrom;validTo;designation;"
    "designationOperational;length;boardingAreaHeight;compassDirection;parentSloid;"
    "trafficPointElementType;lv95East;lv95North;wgs84East;wgs84North;height;creationDate;"
    "editionDate;parentSloidServicePoint;designationOfficial;servicePointBusinessOrganisation;"
    "servicePointBusinessOrganisationNumber;servicePointBusinessOrganisationAbbreviationDe;"
    "servicePointBusinessOrganisationAbbreviationFr;servicePointBusinessOrganisationAbbreviationIt;"
    "servicePointBusinessOrganisationAbbreviationEn;servicePointBusinessOrganisationDescriptionDe;"
    "servicePointBusinessOrganisationDescriptionFr;servicePointBusinessOrganisationDescriptionIt;"
    "servicePointBusinessOrganisationDescriptionEn;status"
).split(";")
ZURICH = ("8.5402", "47.3782")


def atlas_row(sloid: str, number: str = "8503000", designation: str = "1", **fields: str) -> dict:
    """One valid, kept Swiss boarding platform unless `fields` say otherwise."""
    row = {c: "" for c in ATLAS_COLUMNS}
    row.update(
        sloid=sloid,
        number=number,
        designation=designation,
        uicCountryCode="85",
        validFrom="2020-01-01",
        validTo="2099-12-31",
        trafficPointElementType="BOARDING_PLATFORM",
        wgs84East=ZURICH[0],
        wgs84North=ZURICH[1],
        designationOfficial="Zürich HB",
        parentSloidServicePoint="ch:1:sloid:3000",
        servicePointBusinessOrganisationNumber="100",
        servicePointBusinessOrganisationAbbreviationDe="SBB",
        servicePointBusinessOrganisationDescriptionDe="Schweizerische Bundesbahnen",
        status="VALIDATED",
    )
    row.update(fields)
    return row


def atlas_text(rows: list[dict], columns: list[str] | None = None) -> str:
    """The CSV text (header plus rows, `;`-separated) without the BOM."""
    cols = columns or ATLAS_COLUMNS
    lines = [";".join(cols)] + [";".join(r.get(c, "") for c in cols) for r in rows]
    return "\n".join(lines) + "\n"


def write_atlas(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    """Write the CSV as the portal does: UTF-8 with a BOM."""
    path.write_bytes(b"\xef\xbb\xbf" + atlas_text(rows, columns).encode("utf-8"))
    return path


def zip_files(path: Path, files: dict[str, str | bytes]) -> Path:
    """A deflated zip holding `files`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return path


def osm_node(osm_id: int, lon: float, lat: float, **tags: str) -> str:
    """A `<node>` element; tag keys use `__` for `:` (gtfs__name -> gtfs:name)."""
    body = "".join(f"<tag k={quoteattr(k.replace('__', ':'))} v={quoteattr(v)}/>" for k, v in tags.items())
    return f'<node id="{osm_id}" lon="{lon}" lat="{lat}">{body}</node>'


def osm_way(osm_id: int, refs: list[int], **tags: str) -> str:
    """A `<way>` element."""
    nds = "".join(f'<nd ref="{r}"/>' for r in refs)
    body = "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
    return f'<way id="{osm_id}">{nds}{body}</way>'


def osm_relation(osm_id: int, members: list[tuple[str, int, str]], **tags: str) -> str:
    """A `<relation>` element; members are (type, ref, role)."""
    mem = "".join(f'<member type="{t}" ref="{r}" role="{role}"/>' for t, r, role in members)
    body = "".join(f"<tag k={quoteattr(k.replace('__', ':'))} v={quoteattr(v)}/>" for k, v in tags.items())
    return f'<relation id="{osm_id}">{mem}{body}</relation>'


def write_osm(path: Path, elements: list[str]) -> Path:
    """An OSM XML document as Overpass writes it."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n' + "\n".join(elements) + "\n</osm>\n",
        encoding="utf-8",
    )
    return path


GTFS_STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code,"
    "original_stop_id\n"
    "Parent8503000,Zürich HB,47.3782,8.5402,1,,,\n"
    "8503000:0:1,Zürich HB,47.3782,8.5402,0,Parent8503000,1,\n"
    "8503000:0:2,Zürich HB,47.3783,8.5403,0,Parent8503000,,ch:1:sloid:3000:0:9\n"
    "8503000:0:7,Zürich HB,47.3790,8.5410,0,Parent8503000,07,\n"
    "8500010,Basel SBB,47.5474,7.5896,0,,,\n"
    "8500020:0:A,Bern Bahnhof,46.9490,7.4390,0,,,\n"
    "8500030,Olten,47.3520,7.9070,0,,,\n"
)
GTFS_ROUTES = (
    "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    "91-10-A-j25-1,11,10,Zürich - Basel,2\n92-3-j25,12,3,,3\n"
)
GTFS_TRIPS = (
    "route_id,service_id,trip_id,trip_headsign,direction_id\n"
    "91-10-A-j25-1,s1,t1,Basel SBB,0\n91-10-A-j25-1,s1,t2,Basel SBB,0\n"
    "91-10-A-j25-1,s1,t3,Zürich HB,1\n92-3-j25,s1,t4,Bern,0\n"
)
# t1 and t2 share a pattern (rows deliberately out of order); t3 reverses it; t4 is another line.
GTFS_STOP_TIMES = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "t1,08:00:00,08:00:00,8503000:0:1,1\nt2,09:30:00,09:30:00,8500010,3\n"
    "t1,08:30:00,08:30:00,8500030,2\nt1,09:00:00,09:00:00,8500010,3\n"
    "t2,09:00:00,09:00:00,8503000:0:1,1\nt2,09:15:00,09:15:00,8500030,2\n"
    "t3,10:00:00,10:00:00,8500010,1\nt3,11:00:00,11:00:00,8503000:0:2,2\n"
    "t4,12:00:00,12:00:00,8500020:0:A,1\nt4,12:10:00,12:10:00,8503000:0:7,2\n"
)


def gtfs_files(**overrides: str | bytes) -> dict[str, str | bytes]:
    """The members of a small feed; keyword names like stop_times replace `stop_times.txt`."""
    files: dict[str, str | bytes] = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n11,SBB,x,Europe/Zurich\n",
        "stops.txt": GTFS_STOPS,
        "routes.txt": GTFS_ROUTES,
        "trips.txt": GTFS_TRIPS,
        "stop_times.txt": GTFS_STOP_TIMES,
    }
    files.update({f"{name}.txt": body for name, body in overrides.items()})
    return files


def atlas_for_gtfs() -> list[dict]:
    """ATLAS rows that the small feed resolves against, one per resolution method."""
    return [
        atlas_row("ch:1:sloid:3000:0:1", "8503000", "1", wgs84East="8.5402", wgs84North="47.3782"),
        atlas_row("ch:1:sloid:3000:0:9", "8503000", "9", wgs84East="8.5403", wgs84North="47.3783"),
        atlas_row("ch:1:sloid:3000:0:7", "8503000", "7", wgs84East="8.5410", wgs84North="47.3790"),
        atlas_row("ch:1:sloid:10:0:1", "8500010", "", wgs84East="7.5896", wgs84North="47.5474"),
        atlas_row("ch:1:sloid:10:0:2", "8500010", "", wgs84East="7.5900", wgs84North="47.5480"),
        atlas_row("ch:1:sloid:20:0:1", "8500020", "B", wgs84East="7.4391", wgs84North="46.9491"),
        atlas_row("ch:1:sloid:30:0:1", "8500030", "", wgs84East="7.9000", wgs84North="47.3500"),
    ]
