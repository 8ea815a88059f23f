"""The matching engine: group OSM into units, run the profile's stages in order, expand results."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import polars as pl

from matcher import routes, spatial
from matcher.confidence import confidence
from matcher.context import Context, target_attributes, target_name_table, with_nearest_stop
from matcher.grouping import build_units, official_groups, prepare_elements
from matcher.profiles import Profile, get_profile
from matcher.route_matching import match_routes
from matcher.stages import STAGES
from matcher.stages import manual as manual_stage

MATCH_SCHEMA = {
    "sloid": pl.String,
    "osm_id": pl.String,
    "match_type": pl.String,
    "distance_m": pl.Float64,
    "confidence": pl.Float64,
    "evidence": pl.String,
}


@dataclass
class MatchResult:
    """Everything one matching run produces."""

    matches: pl.DataFrame
    unmatched: pl.DataFrame
    osm_units: pl.DataFrame
    stage_timings: dict[str, float] = field(default_factory=dict)
    route_matches: pl.DataFrame | None = None

    def counts(self) -> dict[str, int]:
        """Matched pairs per match type, sorted by type."""
        rows = self.matches.group_by("match_type").len().sort("match_type").iter_rows()
        return {k: int(v) for k, v in rows}


class _Clock:
    """Wall time per named step, in the order the steps ran."""

    def __init__(self, on_stage: Callable[[str, int, int], None] | None, total: int) -> None:
        self.timings: dict[str, float] = {}
        self.on_stage, self.total = on_stage, total

    @contextmanager
    def step(self, name: str):
        """Time one named step, announcing it first."""
        if self.on_stage is not None:
            self.on_stage(name, len(self.timings), self.total)
        start = time.perf_counter()
        yield
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - start, 4)


def as_gtfs_frames(gtfs) -> dict:
    """Accept a GtfsResult-like object or a dict of frames; return a dict of frames."""
    if gtfs is None:
        return {}
    if isinstance(gtfs, dict):
        return gtfs
    return {k: getattr(gtfs, k, None) for k in ("stops", "routes", "itineraries", "itinerary_stops")}


def match(
    atlas_stops: pl.DataFrame,
    osm_elements: pl.DataFrame,
    gtfs=None,
    osm_routes: pl.DataFrame | None = None,
    osm_route_stops: pl.DataFrame | None = None,
    profile: str | Profile = "swiss",
    manual: pl.DataFrame | None = None,
    on_stage: Callable[[str, int, int], None] | None = None,
) -> MatchResult:
    """Match official stops to OSM elements; manual decisions come first and stay."""
    prof = get_profile(profile)
    frames = as_gtfs_frames(gtfs)
    clock = _Clock(on_stage, len(prof.stages) + 4)
    with clock.step("grouping"):
        ctx, atlas, el, osm_units = prepare(atlas_stops, osm_elements, prof)
    with clock.step("route_tokens"):
        ctx.routes = routes.route_tokens(
            frames, osm_routes, osm_route_stops, atlas.select("sloid", "representative"), ctx.members
        )
    for name in prof.stages:
        with clock.step(name):
            stage = STAGES.get(name) or (lambda c: manual_stage.run(c, manual))
            stage(ctx)
    with clock.step("finish"):
        matches = expand(ctx.edges(), ctx.members, atlas, el, manual, ctx.direct)
        unmatched = find_unmatched(atlas, el, matches, prof)
    route_matches = None
    if osm_routes is not None and frames.get("routes") is not None:
        with clock.step("route_matching"):
            with_uic = matches.join(atlas.select("sloid", "uic"), on="sloid")
            route_matches = match_routes(frames, osm_routes, osm_route_stops, with_uic, el)
    return MatchResult(matches, unmatched, osm_units, clock.timings, route_matches)


def prepare(
    atlas_stops: pl.DataFrame, osm_elements: pl.DataFrame, prof: Profile
) -> tuple[Context, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Official groups, matchable elements, OSM units, and the stages' context over them."""
    atlas = spatial.with_xy(official_groups(atlas_stops))
    el = prepare_elements(osm_elements, prof)
    # Only representatives enter the stages; duplicates inherit their matches at the end.
    reps = atlas.filter(pl.col("sloid") == pl.col("representative"))
    osm_units, members, trios = build_units(el, reps, prof)
    targets = with_nearest_stop(target_attributes(members, el), reps)
    ctx = Context(prof, reps, targets, target_name_table(members, el), members, trios, all_atlas=atlas)
    return ctx, atlas, el, osm_units


def expand(
    edges: pl.DataFrame,
    members: pl.DataFrame,
    atlas: pl.DataFrame,
    el: pl.DataFrame,
    manual: pl.DataFrame | None,
    direct: list[pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """Target edges to (sloid, osm_id) rows, plus element-level (manual) rows, propagated to
    official duplicates, with distance and confidence."""
    pairs = edges.join(members.select("target_id", "osm_id"), on="target_id").select(
        "sloid", "osm_id", "match_type", "evidence"
    )
    pairs = pl.concat([pairs, *(direct or [])])
    rows = pl.concat([pairs, propagate(pairs, atlas)])
    if manual is not None and not manual.is_empty():
        veto = manual.filter(pl.col("action") == "unmatch").select("sloid", "osm_id")
        rows = rows.join(veto, on=["sloid", "osm_id"], how="anti")
    return (
        with_distance(rows, atlas, el)
        .with_columns(confidence=confidence())
        .select(list(MATCH_SCHEMA))
        .cast(MATCH_SCHEMA)
        .unique(["sloid", "osm_id"], keep="first")
        .sort("sloid", "osm_id")
    )


def propagate(pairs: pl.DataFrame, atlas: pl.DataFrame) -> pl.DataFrame:
    """A duplicate without pairs of its own inherits its representative's; the evidence names
    where they came from."""
    dupes = atlas.filter(pl.col("sloid") != pl.col("representative")).select("sloid", "representative")
    dupes = dupes.join(pairs.select("sloid").unique(), on="sloid", how="anti")
    return dupes.join(pairs, left_on="representative", right_on="sloid").select(
        "sloid",
        "osm_id",
        "match_type",
        evidence=pl.concat_str(
            pl.lit('{"propagated_from":"'),
            pl.col("representative"),
            pl.lit('",'),
            pl.col("evidence").str.slice(1),
        ),
    )


def with_distance(rows: pl.DataFrame, atlas: pl.DataFrame, el: pl.DataFrame) -> pl.DataFrame:
    """Add distance_m: great-circle metres between each stop and each element."""
    rows = rows.join(atlas.select("sloid", "lon", "lat"), on="sloid").join(
        el.select("osm_id", olon="lon", olat="lat"), on="osm_id"
    )
    dist = spatial.haversine_m(
        rows["lon"].to_numpy(), rows["lat"].to_numpy(), rows["olon"].to_numpy(), rows["olat"].to_numpy()
    )
    return rows.with_columns(distance_m=pl.Series(dist, dtype=pl.Float64).round(2))


def find_unmatched(
    atlas: pl.DataFrame, el: pl.DataFrame, matches: pl.DataFrame, profile: Profile
) -> pl.DataFrame:
    """Both sides' leftovers; isolated when nothing of the other side lies within 50 m."""
    stops = atlas.filter(~pl.col("sloid").is_in(matches["sloid"].implode()))
    elements = el.filter(~pl.col("osm_id").is_in(matches["osm_id"].implode()))
    stop_near = spatial.nearest_distance(spatial.xy_of(stops), spatial.xy_of(el))
    el_near = spatial.nearest_distance(spatial.xy_of(elements), spatial.xy_of(atlas))
    return pl.concat(
        [
            stops.select(
                side=pl.lit("atlas"),
                id=pl.col("sloid"),
                isolated=pl.Series(stop_near > profile.isolation_m, dtype=pl.Boolean),
            ),
            elements.select(
                side=pl.lit("osm"),
                id=pl.col("osm_id"),
                isolated=pl.Series(el_near > profile.isolation_m, dtype=pl.Boolean),
            ),
        ]
    ).sort("side", "id")
