"""ATLAS traffic points: parse the `;` CSV, validate it, apply the four Swiss filters."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from preprocess.boundary import Boundary, load_boundary
from preprocess.errors import SourceError
from preprocess.textfile import check_text, read_text_bytes
from preprocess.validate import blank_to_null, parse_lon_lat

REQUIRED_COLUMNS = (
    "sloid",
    "number",
    "uicCountryCode",
    "designation",
    "designationOfficial",
    "validFrom",
    "validTo",
    "trafficPointElementType",
    "wgs84East",
    "wgs84North",
    "parentSloidServicePoint",
    "servicePointBusinessOrganisationNumber",
    "servicePointBusinessOrganisationAbbreviationDe",
    "servicePointBusinessOrganisationDescriptionDe",
)
SWISS_COUNTRY_CODE = 85
PLATFORM_TYPE = "BOARDING_PLATFORM"
FILTERS = ("country", "boundary", "validity", "element_type")  # applied in this order
ATLAS_SCHEMA = {
    "sloid": pl.String,
    "uic": pl.Int64,
    "designation": pl.String,
    "designation_official": pl.String,
    "lon": pl.Float64,
    "lat": pl.Float64,
    "operator": pl.String,
    "operator_number": pl.String,
    "parent_sloid": pl.String,
    "duplicate_group": pl.Int64,
}


@dataclass
class AtlasResult:
    """Kept stops plus the numbers the stats page shows."""

    stops: pl.DataFrame
    raw_rows: int
    filter_counts: dict[str, int] = field(default_factory=dict)
    duplicate_groups: int = 0


def read_atlas(path: Path, boundary: Boundary | None = None, today: date | None = None) -> AtlasResult:
    """Parse an ATLAS traffic-point CSV (or zip) into `atlas_stops`; bad input is a SourceError."""
    raw = _load_raw(Path(path))
    frame = _typed(raw, str(path))
    kept, counts = _apply_filters(frame, boundary or load_boundary(), today or date.today())
    stops, groups = _with_duplicate_groups(_shape(kept))
    return AtlasResult(stops, raw.height, counts, groups)


def _load_raw(path: Path) -> pl.DataFrame:
    """Every column as a string, with the file's line number of each row (header is line 1)."""
    data = read_text_bytes(path, "atlas")
    check_text(data, "atlas", str(path))
    try:
        frame = pl.read_csv(io.BytesIO(data), separator=";", infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise SourceError("atlas", str(path), f"unreadable CSV: {str(exc).splitlines()[0]}") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise SourceError("atlas", str(path), f"missing column(s) {', '.join(missing)}", 1)
    return frame.select(REQUIRED_COLUMNS).with_row_index("row", offset=2)


def _typed(raw: pl.DataFrame, file: str) -> pl.DataFrame:
    """Cast coordinates and codes, raising on the first bad value with its row."""
    _require_sloid(raw, file)
    return parse_lon_lat(raw, "atlas", file, "wgs84East", "wgs84North").with_columns(
        pl.col("uicCountryCode").str.strip_chars().cast(pl.Int64, strict=False).alias("country"),
        pl.col("number").str.strip_chars().cast(pl.Int64, strict=False).alias("uic"),
        _parse_date("validTo").alias("valid_to"),
        _parse_date("validFrom").alias("valid_from"),
    )


def _parse_date(column: str) -> pl.Expr:
    """ISO dates, with the Swiss `dd.mm.yyyy` form as a fallback."""
    text = pl.col(column).str.strip_chars()
    return pl.coalesce(text.str.to_date("%Y-%m-%d", strict=False), text.str.to_date("%d.%m.%Y", strict=False))


def _require_sloid(raw: pl.DataFrame, file: str) -> None:
    """Every row needs a sloid: it is the key everything downstream joins on."""
    empty = raw.filter(pl.col("sloid").is_null() | (pl.col("sloid").str.strip_chars() == ""))
    if empty.height:
        raise SourceError("atlas", file, "empty sloid", int(empty["row"][0]))


def _apply_filters(
    frame: pl.DataFrame, boundary: Boundary, today: date
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Apply the four filters in order, counting what each one removes."""
    counts: dict[str, int] = {}
    for name in FILTERS:
        before = frame.height
        frame = frame.filter(_filter_mask(name, frame, boundary, today))
        counts[name] = before - frame.height
    return frame, counts


def _filter_mask(name: str, frame: pl.DataFrame, boundary: Boundary, today: date) -> pl.Series:
    """The keep-mask of one filter; nulls count as not kept."""
    if name == "country":
        mask = frame["country"] == SWISS_COUNTRY_CODE
    elif name == "boundary":
        lon = frame["lon"].fill_null(float("nan")).to_numpy()
        lat = frame["lat"].fill_null(float("nan")).to_numpy()
        mask = pl.Series(boundary.inside(lon, lat))
    elif name == "validity":
        mask = frame["valid_to"] >= today
    else:
        mask = frame["trafficPointElementType"].str.strip_chars() == PLATFORM_TYPE
    return mask.fill_null(False)


def _shape(kept: pl.DataFrame) -> pl.DataFrame:
    """Rename to the `atlas_stops` contract; one row per sloid (the latest version wins)."""
    return (
        kept.sort("valid_from", descending=True, nulls_last=True)
        .unique("sloid", keep="first", maintain_order=True)
        .select(
            pl.col("sloid").str.strip_chars(),
            "uic",
            blank_to_null(pl.col("designation")).alias("designation"),
            pl.col("designationOfficial").fill_null("").alias("designation_official"),
            "lon",
            "lat",
            pl.coalesce(
                blank_to_null(pl.col("servicePointBusinessOrganisationAbbreviationDe")),
                blank_to_null(pl.col("servicePointBusinessOrganisationDescriptionDe")),
            ).alias("operator"),
            blank_to_null(pl.col("servicePointBusinessOrganisationNumber")).alias("operator_number"),
            blank_to_null(pl.col("parentSloidServicePoint")).alias("parent_sloid"),
        )
        .sort("sloid")
    )


def _with_duplicate_groups(stops: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Number the groups of rows sharing a non-empty (number, designation); singletons get null."""
    key = pl.struct("uic", "designation")
    in_group = pl.col("designation").is_not_null() & (pl.len().over("uic", "designation") > 1)
    stops = stops.with_columns(pl.when(in_group).then(key.rank("dense")).otherwise(None).alias("_rank"))
    # Dense rank over all rows leaves gaps where singletons were: renumber the groups 1..n.
    stops = stops.with_columns(pl.col("_rank").rank("dense").cast(pl.Int64).alias("duplicate_group")).drop(
        "_rank"
    )
    groups = stops["duplicate_group"].n_unique() - (1 if stops["duplicate_group"].null_count() else 0)
    return stops.select(list(ATLAS_SCHEMA)).cast(ATLAS_SCHEMA), int(groups)
