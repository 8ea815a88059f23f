"""The matching state shared by the stages: open pools of stops and targets, and accepted edges."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from scipy.spatial import cKDTree

from matcher import spatial
from matcher.profiles import Profile

EDGE_SCHEMA = {"sloid": pl.String, "target_id": pl.Int64, "match_type": pl.String, "evidence": pl.String}
NAME_SOURCES = ("name", "uic_name", "gtfs_name")


@dataclass
class Context:
    """Open atlas representatives and OSM targets; stages accept edges, which close both ends."""

    profile: Profile
    atlas: pl.DataFrame  # representatives: sloid, uic, designation, designation_official, x, y
    targets: pl.DataFrame  # target_id, x, y, uic, local_ref, is_tram, unit_kind
    target_names: pl.DataFrame  # target_id, source, name
    members: pl.DataFrame  # target_id, osm_id, rep, unit_kind
    trios: pl.DataFrame
    routes: dict = field(default_factory=dict)
    forbidden: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"sloid": pl.String, "target_id": pl.Int64})
    )
    accepted: list[pl.DataFrame] = field(default_factory=list)
    all_atlas: pl.DataFrame | None = None  # representatives and duplicates alike
    direct: list[pl.DataFrame] = field(default_factory=list)  # element-level (manual) rows

    def __post_init__(self) -> None:
        self.open_atlas = self.atlas
        self.open_targets = self.targets
        if self.all_atlas is None:
            self.all_atlas = self.atlas

    def accept(self, edges: pl.DataFrame) -> int:
        """Record stage edges (minus users' vetoes) and close their stops and targets."""
        edges = (
            edges.select(list(EDGE_SCHEMA))
            .cast(EDGE_SCHEMA)
            .join(self.forbidden, on=["sloid", "target_id"], how="anti")
        )
        if edges.is_empty():
            return 0
        self.accepted.append(edges)
        self.close(edges["sloid"], edges["target_id"])
        return len(edges)

    def close(self, sloids: pl.Series, target_ids: pl.Series) -> None:
        """Remove stops and targets from the open pools."""
        self.open_atlas = self.open_atlas.filter(~pl.col("sloid").is_in(sloids.implode()))
        self.open_targets = self.open_targets.filter(~pl.col("target_id").is_in(target_ids.implode()))

    def edges(self) -> pl.DataFrame:
        """Every accepted edge so far."""
        return pl.concat(self.accepted) if self.accepted else pl.DataFrame(schema=EDGE_SCHEMA)


def target_attributes(members: pl.DataFrame, el: pl.DataFrame) -> pl.DataFrame:
    """Per target: the representative's position, and keys inherited from any member."""
    joined = (
        members.join(el, on="osm_id")
        .with_columns(is_rep=pl.col("osm_id") == pl.col("rep"))
        .sort("target_id", "is_rep", "osm_id", descending=[False, True, False])
    )
    # The representative comes first, so its own tags win over a member's.
    return joined.group_by("target_id", maintain_order=True).agg(
        x=pl.col("x").first(),
        y=pl.col("y").first(),
        lon=pl.col("lon").first(),
        lat=pl.col("lat").first(),
        rep=pl.col("rep").first(),
        unit_kind=pl.col("unit_kind").first(),
        rep_kind=pl.col("kind").first(),
        uic=pl.col("uic").drop_nulls().first(),
        local_ref=pl.col("local_ref").drop_nulls().first(),
        is_tram=pl.col("is_tram").any(),
    )


def target_name_table(members: pl.DataFrame, el: pl.DataFrame) -> pl.DataFrame:
    """Long frame (target_id, source, name) of every member's name tags."""
    joined = members.join(el, on="osm_id")
    parts = [joined.select("target_id", source=pl.lit(src), name=pl.col(src)) for src in NAME_SOURCES]
    return (
        pl.concat(parts)
        .drop_nulls("name")
        .filter(pl.col("name") != "")
        .unique()
        .sort("target_id", "source", "name")
    )


def with_nearest_stop(targets: pl.DataFrame, atlas: pl.DataFrame) -> pl.DataFrame:
    """Add each target's nearest official stop (sloid) and its distance in metres."""
    if atlas.is_empty() or targets.is_empty():
        return targets.with_columns(near_sloid=pl.lit(None, pl.String), near_m=pl.lit(None, pl.Float64))
    dist, idx = cKDTree(spatial.xy_of(atlas)).query(spatial.xy_of(targets), k=1)
    return targets.with_columns(near_sloid=atlas["sloid"].gather(pl.Series(idx)), near_m=pl.Series(dist))
