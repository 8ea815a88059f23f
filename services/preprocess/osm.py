"""OSM stops, candidate ways and route relations as the `osm_*` frames."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson
import polars as pl

from preprocess import osm_tags
from preprocess.errors import SourceError
from preprocess.osm_read import OverpassExtension, read_with_osmium, read_xml
from preprocess.validate import blank_to_null

TAG_COLUMNS = {  # frame column -> OSM keys, first present wins
    "name": ("name",),
    "uic_name": ("uic_name",),
    "uic_ref": ("uic_ref",),
    "local_ref": ("local_ref", "ref"),
    "operator": ("operator",),
    "network": ("network",),
    "gtfs_name": ("gtfs:name",),
    "gtfs_id": ("gtfs:stop_id", "gtfs:id"),
    "ref_sloid": ("ref:sloid",),
    "wikidata": ("wikidata",),
}
CLASS_KEYS = ("public_transport", "railway", "amenity", "aerialway", "tram")
TAG_FIELDS = sorted({k for keys in TAG_COLUMNS.values() for k in keys} | set(CLASS_KEYS))
ELEMENT_SCHEMA = {
    "osm_id": pl.String,
    "osm_type": pl.String,
    "lon": pl.Float64,
    "lat": pl.Float64,
    "tags": pl.String,
}
ROUTE_SCHEMA = {
    "relation_id": pl.Int64,
    "mode": pl.String,
    "ref": pl.String,
    "name": pl.String,
    "network": pl.String,
    "operator": pl.String,
    "gtfs_route_id": pl.String,
    "ref_trips": pl.String,
}
ROUTE_STOP_SCHEMA = {"relation_id": pl.Int64, "seq": pl.Int32, "osm_id": pl.String, "role": pl.String}


@dataclass
class OsmResult:
    """The three OSM frames of docs/architecture.md."""

    elements: pl.DataFrame
    routes: pl.DataFrame
    route_stops: pl.DataFrame


def read_osm(path: Path) -> OsmResult:
    """Parse an `.osm` XML or `.osm.pbf` file into elements, routes and route stops."""
    path = Path(path)
    if not path.is_file():
        raise SourceError("osm", str(path), "file not found")
    collector = _Collector()
    try:
        read_with_osmium(path, collector)
    except OverpassExtension:
        collector = _Collector()  # start over with the slower reader that knows `<center>`
        read_xml(path, collector)
    return collector.result()


def _record(osm_id: str, osm_type: str, lon: float, lat: float, tags: dict[str, str]) -> tuple:
    """One element row: id, type, position and the kept tags as JSON (columns come later)."""
    return (osm_id, osm_type, lon, lat, orjson.dumps(osm_tags.kept_tags(tags)).decode())


def _with_tag_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Pull the named tag columns out of the JSON, vectorized; blank values count as absent."""
    decoded = pl.col("tags").str.json_decode(pl.Struct({k: pl.String for k in TAG_FIELDS}))
    frame = frame.with_columns(decoded.alias("_t"))
    return frame.with_columns(
        *(pl.coalesce([_tag(k) for k in keys]).alias(col) for col, keys in TAG_COLUMNS.items()),
        *(pl.col("_t").struct.field(k).alias(f"_{k}") for k in CLASS_KEYS),
    ).drop("_t")


def _tag(key: str) -> pl.Expr:
    """One decoded tag, blank as null."""
    return blank_to_null(pl.col("_t").struct.field(key))


class _Collector:
    """Keeps what the frames need while a reader streams the file."""

    def __init__(self) -> None:
        # Every node's coordinates, compactly, so that ways can be placed at their centre.
        self.node_ids, self.node_lon, self.node_lat = array("q"), array("d"), array("d")
        self.stops: list[tuple] = []
        self.node_uic_refs: set[str] = set()
        self.ways: list[tuple[int, dict[str, str], tuple[float, float] | None]] = []
        self.way_refs, self.way_owner = array("q"), array("q")
        self.routes: list[tuple] = []
        self.route_stops: list[tuple] = []
        self.masters: list[tuple[int, int]] = []

    def node(self, osm_id: int, lon: float, lat: float, tags: dict[str, str]) -> None:
        self.node_ids.append(osm_id)
        self.node_lon.append(lon)
        self.node_lat.append(lat)
        if tags.get("uic_ref"):
            self.node_uic_refs.add(tags["uic_ref"])
        if osm_tags.is_stop_node(tags):
            self.stops.append(_record(str(osm_id), "node", lon, lat, tags))

    def way(
        self, osm_id: int, refs: list[int], tags: dict[str, str], centre: tuple[float, float] | None
    ) -> None:
        if not osm_tags.is_candidate_way(tags):
            return
        if centre is None:
            self.way_refs.extend(refs)
            self.way_owner.extend([len(self.ways)] * len(refs))
        self.ways.append((osm_id, tags, centre))

    def relation(self, osm_id: int, members: list[tuple[str, int, str]], tags: dict[str, str]) -> None:
        if osm_tags.is_route_master(tags):
            self.masters.extend((osm_id, ref) for kind, ref, _ in members if kind == "relation")
        if not osm_tags.is_pt_route(tags):
            return
        self.routes.append(
            (
                osm_id,
                tags.get("route"),
                tags.get("ref"),
                tags.get("name"),
                tags.get("network"),
                tags.get("operator"),
                tags.get("gtfs:route_id"),
                tags.get("ref_trips"),
            )
        )
        stops = [(kind, ref, role) for kind, ref, role in members if osm_tags.is_stop_member(kind, role)]
        self.route_stops.extend(
            (osm_id, seq, str(ref) if kind == "node" else f"way_{ref}", role)
            for seq, (kind, ref, role) in enumerate(stops, start=1)
        )

    def result(self) -> OsmResult:
        """Build the frames once the whole file has been read."""
        rows = self.stops + self._way_rows()
        frame = pl.DataFrame(rows, schema=ELEMENT_SCHEMA, orient="row")
        elements = _classified(_with_tag_columns(frame))
        routes = _with_direction_and_master(
            pl.DataFrame(self.routes, schema=ROUTE_SCHEMA, orient="row"), self.masters
        )
        route_stops = pl.DataFrame(self.route_stops, schema=ROUTE_STOP_SCHEMA, orient="row")
        return OsmResult(elements, routes, route_stops)

    def _way_rows(self) -> list[tuple]:
        """Candidate ways at their centre: aerialway stations, and uic_refs no node carries."""
        centres = self._centres()
        rows = []
        for (osm_id, tags, given), computed in zip(self.ways, centres, strict=True):
            centre = given or computed
            if centre is None or not np.isfinite(centre).all():
                continue  # none of its nodes are in the file: nowhere to put it
            if tags.get("aerialway") == "station" or tags["uic_ref"] not in self.node_uic_refs:
                rows.append(_record(f"way_{osm_id}", "way", centre[0], centre[1], tags))
        return rows

    def _centres(self) -> list[tuple[float, float] | None]:
        """Bounding-box centres of the ways from the node coordinate arrays (vectorized)."""
        count = len(self.ways)
        if not self.way_refs:
            return [None] * count
        ids = np.frombuffer(self.node_ids, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        refs = np.frombuffer(self.way_refs, dtype=np.int64)
        pos = np.clip(np.searchsorted(ids, refs, sorter=order), 0, len(ids) - 1)
        found = ids[order[pos]] == refs if len(ids) else np.zeros(len(refs), bool)
        idx = order[pos][found]
        frame = (
            pl.DataFrame(
                {
                    "owner": np.frombuffer(self.way_owner, dtype=np.int64)[found],
                    "lon": np.frombuffer(self.node_lon, dtype=np.float64)[idx],
                    "lat": np.frombuffer(self.node_lat, dtype=np.float64)[idx],
                }
            )
            .group_by("owner")
            .agg(
                ((pl.col("lon").min() + pl.col("lon").max()) / 2).alias("lon"),
                ((pl.col("lat").min() + pl.col("lat").max()) / 2).alias("lat"),
            )
        )
        centres: list[tuple[float, float] | None] = [None] * count
        for owner, lon, lat in frame.iter_rows():
            centres[owner] = (lon, lat)
        return centres


def _classified(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `kind` and `is_tram`; stations are kept but never become match candidates."""
    pt, railway = pl.col("_public_transport"), pl.col("_railway")
    kind = (
        pl.when((pt == "station") | (railway == "station"))
        .then(pl.lit("station"))
        .when(pl.col("_aerialway") == "station")
        .then(pl.lit("aerialway"))
        .when(pl.col("_amenity") == "ferry_terminal")
        .then(pl.lit("ferry_terminal"))
        .when(pt == "stop_position")
        .then(pl.lit("stop_position"))
        .when(pt == "platform")
        .then(pl.lit("platform"))
        # A tram stop or halt without public_transport is mapped on the track: a stop position.
        .when(railway.is_in(["tram_stop", "halt"]) | (pt == "halt"))
        .then(pl.lit("stop_position"))
        .otherwise(pl.lit("platform"))
    )
    is_tram = ((railway == "tram_stop") | (pl.col("_tram") == "yes")).fill_null(False)
    return (
        frame.with_columns(kind.alias("kind"), is_tram.alias("is_tram"))
        .select("osm_id", "osm_type", "lon", "lat", "kind", "is_tram", *TAG_COLUMNS, "tags")
        .unique("osm_id", keep="first", maintain_order=True)
    )


def _with_direction_and_master(routes: pl.DataFrame, masters: list[tuple[int, int]]) -> pl.DataFrame:
    """Direction from the first `ref_trips` entry (`.H` or `.R`), and the route_master parent."""
    parents = pl.DataFrame(
        masters, schema={"route_master_id": pl.Int64, "relation_id": pl.Int64}, orient="row"
    ).unique("relation_id", keep="first")
    direction = pl.col("ref_trips").str.split(";").list.first().str.strip_chars().str.extract(r"\.([HR])$", 1)
    return (
        routes.with_columns(direction.alias("direction"))
        .join(parents, on="relation_id", how="left")
        .select(
            "relation_id",
            "mode",
            "ref",
            "name",
            "network",
            "operator",
            "gtfs_route_id",
            "direction",
            "route_master_id",
        )
    )
