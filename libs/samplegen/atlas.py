"""Write atlas.csv in the ATLAS traffic-point format: 34 columns, ';'-separated, UTF-8 with BOM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from samplegen import geo
from samplegen.atlas_rows import _dates, check_digits

COLUMNS = (
    "sloid",
    "numberShort",
    "uicCountryCode",
    "number",
    "checkDigit",
    "validFrom",
    "validTo",
    "designation",
    "designationOperational",
    "length",
    "boardingAreaHeight",
    "compassDirection",
    "parentSloid",
    "trafficPointElementType",
    "lv95East",
    "lv95North",
    "wgs84East",
    "wgs84North",
    "height",
    "creationDate",
    "editionDate",
    "parentSloidServicePoint",
    "designationOfficial",
    "servicePointBusinessOrganisation",
    "servicePointBusinessOrganisationNumber",
    "servicePointBusinessOrganisationAbbreviationDe",
    "servicePointBusinessOrganisationAbbreviationFr",
    "servicePointBusinessOrganisationAbbreviationIt",
    "servicePointBusinessOrganisationAbbreviationEn",
    "servicePointBusinessOrganisationDescriptionDe",
    "servicePointBusinessOrganisationDescriptionFr",
    "servicePointBusinessOrganisationDescriptionIt",
    "servicePointBusinessOrganisationDescriptionEn",
    "status",
)


def _where(mask: np.ndarray, values: np.ndarray) -> pl.Series:
    """A string column holding values where mask is set and nulls elsewhere."""
    return pl.Series(values.astype(str), dtype=pl.Utf8).set(pl.Series(~mask), None)


def _measures(rows: pl.DataFrame, rng) -> dict[str, pl.Series]:
    """Length, boarding height, compass direction and altitude, shaped like the registry's."""
    n, kind = rows.height, rows["kind"].to_numpy()
    rail, road = kind == "rail", np.isin(kind, ["bus", "tram"])
    length = np.where(rail, rng.integers(150, 421, n), rng.integers(10, 41, n)).astype(str)
    height_cm = np.where(rail, "55", np.where(rng.random(n) < 0.5, "22", "16"))
    compass = np.round(np.degrees(rows["bearing"].to_numpy()) + 90 * rng.integers(0, 4, n)) % 360
    altitude = np.where(kind == "aerialway", 900 + rng.random(n) * 2100, 260 + rng.random(n) * 900)
    return {
        "length": _where(rail | (road & (rng.random(n) < 0.6)), length),
        "boardingAreaHeight": _where(rail | (rng.random(n) < 0.4), height_cm),
        "compassDirection": _where(road & (rng.random(n) < 0.4), compass.astype(int)),
        "height": pl.Series(np.round(altitude, 1)),
    }


def _timestamps(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    """creationDate and a later editionDate, as 'YYYY-MM-DD HH:MM:SS'."""
    created = np.datetime64("2019-01-01T00:00:00") + rng.integers(0, 5 * 365 * 86400, n)
    edited = created + rng.integers(0, 2 * 365 * 86400, n)
    return (np.char.replace(created.astype(str), "T", " "), np.char.replace(edited.astype(str), "T", " "))


def _identity(rows: pl.DataFrame, rng) -> dict[str, pl.Series]:
    """sloid, numbers, validity and designations."""
    n, number = rows.height, rows["uic"].to_numpy()
    rail = (rows["kind"] == "rail").to_numpy()
    return {
        "sloid": rows["sloid"],
        "numberShort": pl.Series(number % 100_000),
        "uicCountryCode": rows["country"],
        "number": rows["uic"],
        "checkDigit": pl.Series(check_digits(number)),
        "validFrom": pl.Series(_dates(rng, n, "2014-12-14", "2024-12-15")),
        "validTo": rows["valid_to"],
        "designation": rows["designation"].replace("", None),
        "designationOperational": _where(
            rail & (rng.random(n) < 0.2),
            np.char.add("Gleis ", rows["designation"].to_numpy().astype(str)),
        ),
    }


def _placement(rows: pl.DataFrame) -> dict[str, pl.Series]:
    """Parents, element type, LV95 and WGS84 coordinates, official name."""
    lat, lon = rows["lat"].to_numpy(), rows["lon"].to_numpy()
    east, north = geo.wgs84_to_lv95(lat, lon)
    sp_sloid = "ch:1:sloid:" + (rows["uic"] % 100_000).cast(pl.Utf8)
    platform_of_station = (rows["kind"] == "rail") & (rows["element"] != "BOARDING_AREA")
    return {
        # a station's platforms hang below its boarding area (the area row has no parent)
        "parentSloid": _where(platform_of_station.to_numpy(), (sp_sloid + ":1").to_numpy()),
        "trafficPointElementType": rows["element"],
        "lv95East": pl.Series(np.round(east, 2)),
        "lv95North": pl.Series(np.round(north, 2)),
        "wgs84East": pl.Series(np.round(lon, 7)),
        "wgs84North": pl.Series(np.round(lat, 7)),
        "parentSloidServicePoint": sp_sloid,
        "designationOfficial": rows["name"],
    }


def _organisation(rows: pl.DataFrame) -> dict[str, pl.Series]:
    """The business organisation columns (rows already joined with the operators)."""
    org = {
        "servicePointBusinessOrganisation": "ch:1:sboid:"
        + (100_000 + rows["number"].cast(pl.Int64)).cast(pl.Utf8),
        "servicePointBusinessOrganisationNumber": rows["number"],
    }
    for kind, col in (("Abbreviation", "abbr"), ("Description", "desc")):
        for lang in ("de", "fr", "it", "en"):
            org[f"servicePointBusinessOrganisation{kind}{lang.capitalize()}"] = rows[f"{col}_{lang}"]
    return org


def atlas_frame(rows: pl.DataFrame, ops: pl.DataFrame, rng) -> pl.DataFrame:
    """The 34 ATLAS columns for every row, in file order."""
    created, edited = _timestamps(rng, rows.height)
    rows = rows.join(ops, on="op_id", how="left", maintain_order="left")
    frame = pl.DataFrame(
        {
            **_identity(rows, rng),
            **_measures(rows, rng),
            **_placement(rows),
            "creationDate": pl.Series(created),
            "editionDate": pl.Series(edited),
            **_organisation(rows),
        }
    )
    return frame.with_columns(status=pl.lit("VALIDATED")).select(COLUMNS)


def write_atlas(rows: pl.DataFrame, ops: pl.DataFrame, out: Path, rng) -> int:
    """Write atlas.csv; returns the number of data rows."""
    frame = atlas_frame(rows, ops, rng)
    frame.write_csv(out / "atlas.csv", separator=";", include_bom=True)
    return frame.height
