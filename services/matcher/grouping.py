"""Pre-grouping of OSM elements into stop units (single, pair, trio) and official duplicate groups."""

from __future__ import annotations

import numpy as np
import polars as pl

from matcher import spatial
from matcher.profiles import Profile

INF = float("inf")


KEY_TAGS = ("name", "uic_name", "uic_ref", "local_ref", "gtfs_name")


def blank_to_null(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    """Blank key texts as null: staged frames keep '' apart from NULL, and '' is no key."""
    present = [c for c in columns if c in frame.columns]
    return frame.with_columns(
        pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c) for c in present
    )


def prepare_elements(osm: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Matchable OSM elements (stations excluded) with x, y and a numeric uic."""
    kept = osm.filter(~pl.col("kind").is_in(list(profile.excluded_kinds)))
    kept = blank_to_null(kept, KEY_TAGS).with_columns(
        uic=pl.col("uic_ref").str.strip_chars().cast(pl.Int64, strict=False),
        is_tram=pl.col("is_tram").fill_null(False),
    )
    return spatial.with_xy(kept).sort("osm_id")


def official_groups(atlas: pl.DataFrame) -> pl.DataFrame:
    """Atlas stops with duplicate_group filled (same uic and designation) and a representative."""
    atlas = blank_to_null(atlas, ("designation", "designation_official"))
    if "duplicate_group" not in atlas.columns or atlas["duplicate_group"].null_count() == len(atlas):
        key = pl.struct("uic", pl.col("designation").str.strip_chars())
        shared = (pl.col("designation").str.strip_chars().fill_null("") != "") & (pl.len().over(key) > 1)
        atlas = atlas.with_columns(
            duplicate_group=pl.when(shared).then(key.rank("dense").cast(pl.Int64)).otherwise(None)
        )
    rep = pl.col("sloid").min().over("duplicate_group")
    return atlas.with_columns(
        representative=pl.when(pl.col("duplicate_group").is_null()).then(pl.col("sloid")).otherwise(rep)
    )


def find_trios(el: pl.DataFrame, atlas: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Trios (osm_id, uic, role side|middle): 3 elements of a UIC around one stop_position."""
    two_officials = atlas.group_by("uic").len().filter(pl.col("len") == 2).select("uic")
    per_uic = (
        el.filter(pl.col("uic").is_not_null())
        .filter((pl.len().over("uic") == 3) & ((pl.col("kind") == "stop_position").sum().over("uic") == 1))
        .join(two_officials, on="uic", how="semi")
    )
    mid = per_uic.filter(pl.col("kind") == "stop_position").select("uic", mx=pl.col("x"), my=pl.col("y"))
    sides = (
        per_uic.filter(pl.col("kind") != "stop_position")
        .join(mid, on="uic")
        .with_columns(dx=pl.col("x") - pl.col("mx"), dy=pl.col("y") - pl.col("my"))
    )
    sides = sides.with_columns(d=(pl.col("dx") ** 2 + pl.col("dy") ** 2).sqrt())
    # "In the middle": the two sides point in opposite directions from the stop_position.
    ok = (
        sides.group_by("uic")
        .agg(
            near=(pl.col("d") <= profile.trio_side_max_m).all(),
            dot=pl.col("dx").first() * pl.col("dx").last() + pl.col("dy").first() * pl.col("dy").last(),
        )
        .filter(pl.col("near") & (pl.col("dot") < 0))
        .select("uic")
    )
    found = per_uic.join(ok, on="uic", how="semi")
    return found.select(
        "osm_id",
        "uic",
        role=pl.when(pl.col("kind") == "stop_position").then(pl.lit("middle")).otherwise(pl.lit("side")),
    )


def agreeing_uics(el: pl.DataFrame, atlas: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """UICs whose platform, stop_position and official counts agree (they earn the 15 m pairs)."""
    with_uic = el.filter(pl.col("uic").is_not_null())
    near = (
        atlas.select("sloid", "uic", "x", "y")
        .join(with_uic.select("uic", ox="x", oy="y"), on="uic")
        .with_columns(d=((pl.col("x") - pl.col("ox")) ** 2 + (pl.col("y") - pl.col("oy")) ** 2).sqrt())
    )
    official = (
        near.group_by("sloid", "uic")
        .agg(pl.col("d").min())
        .filter(pl.col("d") <= profile.official_count_max_m)
        .group_by("uic")
        .agg(n_official=pl.len())
    )
    kinds = with_uic.group_by("uic").agg(
        n_platform=(pl.col("kind") == "platform").sum(), n_stop=(pl.col("kind") == "stop_position").sum()
    )
    return (
        kinds.join(official, on="uic")
        .filter((pl.col("n_platform") == pl.col("n_stop")) & (pl.col("n_stop") == pl.col("n_official")))
        .select("uic")
    )


def _best_two(edges: pl.DataFrame, me: str, other: str) -> pl.DataFrame:
    """Per `me`: its nearest `other`, that distance and the ratio to the second candidate."""
    return (
        edges.sort(me, "dist", other)
        .group_by(me, maintain_order=True)
        .agg(
            pl.col(other).first().alias(f"best_{other}"),
            d1=pl.col("dist").first(),
            d2=pl.col("dist").get(1, null_on_oob=True).fill_null(INF),
        )
        .with_columns(ratio=pl.col("d2") / pl.max_horizontal(pl.col("d1"), pl.lit(1e-9)))
    )


def _shared_key(p: str, s: str) -> pl.Expr:
    """Which key a platform (suffix p) and stop_position (suffix s) share: uic, name or tram."""

    def col(name: str, side: str) -> pl.Expr:
        """One side's copy of a column."""
        return pl.col(f"{name}_{side}")

    return (
        pl.when(col("uic", p) == col("uic", s))
        .then(pl.lit("uic"))
        .when(col("name", p) == col("name", s))
        .then(pl.lit("name"))
        .when(col("is_tram", p) & col("is_tram", s))
        .then(pl.lit("tram"))
    )


def pair_edges(el: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Every platform/stop_position pair close enough to matter, with shared key and conflicts."""
    cols = ["osm_id", "uic", "name", "is_tram", "local_ref"]
    plat = el.filter(pl.col("kind") == "platform").rename({c: f"{c}_p" for c in cols})
    stop = el.filter(pl.col("kind") == "stop_position").rename({c: f"{c}_s" for c in cols})
    # Search far enough that a second candidate which would pass the ratio test is still seen.
    radius = profile.pair_agreeing_max_m * profile.pair_ratio_fallback
    edges = spatial.candidate_edges(plat, stop, radius, [f"{c}_p" for c in cols], [f"{c}_s" for c in cols])
    return edges.rename({"osm_id_p": "p", "osm_id_s": "s"}).with_columns(
        key_kind=_shared_key("p", "s"),
        contradicts=(pl.col("local_ref_p") != pl.col("local_ref_s")).fill_null(False),
    )


def find_pairs(el: pl.DataFrame, atlas: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Mutual-nearest platform/stop_position pairs sharing a key (UIC, name, tram) and passing
    the ratio test; nearness is judged against every candidate, keyed or not."""
    edges = pair_edges(el, profile)
    if edges.is_empty():
        return pl.DataFrame(schema={"p": pl.String, "s": pl.String, "key_kind": pl.String})
    bp, bs = _best_two(edges, "p", "s"), _best_two(edges, "s", "p")
    agree = agreeing_uics(el, atlas, profile)["uic"].implode()
    facts = edges.select("p", best_s="s", key_kind="key_kind", contradicts="contradicts", uic="uic_p")
    limit = (
        pl.when((pl.col("key_kind") == "uic") & pl.col("uic").is_in(agree))
        .then(profile.pair_agreeing_max_m)
        .otherwise(profile.pair_max_m)
    )
    ok = pl.col("key_kind").is_not_null() & ~pl.col("contradicts") & (pl.col("d1") <= limit)
    bp = bp.join(facts, on=["p", "best_s"]).filter(ok)
    # Strict: mutual nearest, and both beat their runner-up by 1.5x.
    strict = bp.join(bs, left_on=["p", "best_s"], right_on=["best_p", "s"], suffix="_s").filter(
        pl.min_horizontal("ratio", "ratio_s") >= profile.pair_ratio_strict
    )
    strict = strict.select("p", s="best_s", key_kind="key_kind")
    return pl.concat([strict, _fallback_pairs(bp, strict, profile)])


def _fallback_pairs(bp: pl.DataFrame, strict: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """The platform's nearest stop_position beats its runner-up by 2x: a pair even when that
    stop_position has another platform nearer, provided no other platform claims it too."""
    taken = pl.concat([strict["p"], strict["s"]]).implode()
    fallback = bp.filter(
        (pl.col("ratio") >= profile.pair_ratio_fallback)
        & ~pl.col("p").is_in(taken)
        & ~pl.col("best_s").is_in(taken)
    )
    return fallback.filter(pl.len().over("best_s") == 1).select("p", s="best_s", key_kind="key_kind")


def build_units(
    el: pl.DataFrame, atlas: pl.DataFrame, profile: Profile
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Returns (osm_units, target members, trios): units for output, match targets for stages."""
    trios = find_trios(el, atlas, profile)
    rest = el.filter(~pl.col("osm_id").is_in(trios["osm_id"].implode()))
    pairs = find_pairs(rest, atlas, profile)
    paired = pl.concat([pairs["p"], pairs["s"]])
    singles = rest.filter(~pl.col("osm_id").is_in(paired.implode())).select("osm_id")
    # Targets are what a stage matches: a single, a pair, or one side of a trio with its middle.
    trio_mid = trios.filter(pl.col("role") == "middle").select("uic", mid="osm_id")
    trio_sides = trios.filter(pl.col("role") == "side").join(trio_mid, on="uic")
    members = pl.concat(
        [
            singles.select(rep="osm_id", osm_id="osm_id", unit_kind=pl.lit("single"), unit_key="osm_id"),
            pairs.select(rep="p", osm_id="p", unit_kind=pl.lit("pair"), unit_key="p"),
            pairs.select(rep="p", osm_id="s", unit_kind=pl.lit("pair"), unit_key="p"),
            trio_sides.select(rep="osm_id", osm_id="osm_id", unit_kind=pl.lit("trio"), unit_key="mid"),
            trio_sides.select(rep="osm_id", osm_id="mid", unit_kind=pl.lit("trio"), unit_key="mid"),
        ]
    )
    members = _numbered(members)
    osm_units = members.select("osm_id", "unit_id", "unit_kind").unique("osm_id").sort("osm_id")
    return osm_units, members.select("target_id", "osm_id", "rep", "unit_kind"), trios


def _numbered(members: pl.DataFrame) -> pl.DataFrame:
    """Deterministic integer ids: unit_id per unit, target_id per matchable target."""
    unit_keys = members["unit_key"].unique().sort()
    rep_keys = members["rep"].unique().sort()
    return members.with_columns(
        unit_id=pl.col("unit_key").replace_strict(
            unit_keys, np.arange(len(unit_keys)), return_dtype=pl.Int64
        ),
        target_id=pl.col("rep").replace_strict(rep_keys, np.arange(len(rep_keys)), return_dtype=pl.Int64),
    ).cast({"unit_id": pl.Int64, "target_id": pl.Int64})  # an empty input keeps its str dtype
