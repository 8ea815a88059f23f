"""Swiss transport companies as ATLAS business organisations, and which one runs which stop."""

from __future__ import annotations

import numpy as np
import polars as pl

# fmt: off
# abbreviation (De), number, abbreviation Fr/It/En, description De/Fr/It/En, OSM operator tag,
# GTFS route-id prefix.
_OPERATORS: list[tuple[str, str, str, str, str, str, str, str, str, str, str]] = [
    ("SBB", "11", "CFF", "FFS", "SBB", "Schweizerische Bundesbahnen SBB",
     "Chemins de fer fédéraux suisses CFF", "Ferrovie federali svizzere FFS",
     "Swiss Federal Railways SBB", "SBB CFF FFS", "11"),
    ("BLS", "33", "BLS", "BLS", "BLS", "BLS AG", "BLS SA", "BLS SA", "BLS Ltd", "BLS AG", "33"),
    ("PAG", "801", "CP", "AP", "PAG", "PostAuto AG", "CarPostal SA", "AutoPostale SA",
     "PostBus Ltd", "PostAuto", "80"),
    ("VBZ", "3849", "VBZ", "VBZ", "VBZ", "Verkehrsbetriebe Zürich", "Transports publics zurichois",
     "Trasporti pubblici di Zurigo", "Zurich Public Transport", "Verkehrsbetriebe Zürich", "91"),
    ("TPG", "881", "TPG", "TPG", "TPG", "Genfer Verkehrsbetriebe", "Transports publics genevois",
     "Trasporti pubblici ginevrini", "Geneva Public Transport", "Transports publics genevois",
     "88"),
    ("BVB", "37", "BVB", "BVB", "BVB", "Basler Verkehrs-Betriebe", "Transports publics bâlois",
     "Trasporti pubblici basilesi", "Basel Public Transport", "Basler Verkehrs-Betriebe", "37"),
    ("BERNMOBIL", "827", "BERNMOBIL", "BERNMOBIL", "BERNMOBIL",
     "Städtische Verkehrsbetriebe Bern", "Transports publics bernois",
     "Trasporti pubblici bernesi", "Bern Public Transport", "Bernmobil", "82"),
    ("VBL", "65", "VBL", "VBL", "VBL", "Verkehrsbetriebe Luzern AG", "Transports publics lucernois",
     "Trasporti pubblici lucernesi", "Lucerne Public Transport", "Verkehrsbetriebe Luzern", "65"),
    ("TL", "151", "TL", "TL", "TL", "Verkehrsbetriebe Lausanne",
     "Transports publics de la région lausannoise", "Trasporti pubblici di Losanna",
     "Lausanne Public Transport", "Transports publics de la région lausannoise", "15"),
    ("TPL", "812", "TPL", "TPL", "TPL", "Verkehrsbetriebe Lugano", "Transports publics luganais",
     "Trasporti Pubblici Luganesi", "Lugano Public Transport", "Trasporti Pubblici Luganesi",
     "81"),
    ("SBW", "773", "SBW", "SBW", "SBW", "Stadtbus Winterthur", "Bus urbain Winterthour",
     "Autobus urbani Winterthur", "Winterthur City Bus", "Stadtbus Winterthur", "77"),
    ("VBSG", "3853", "VBSG", "VBSG", "VBSG", "Verkehrsbetriebe St.Gallen",
     "Transports publics Saint-Gall", "Trasporti pubblici San Gallo", "St. Gallen Public Transport",
     "VBSG", "38"),
    ("TPF", "90", "TPF", "TPF", "TPF", "Freiburgische Verkehrsbetriebe",
     "Transports publics fribourgeois", "Trasporti pubblici friburghesi",
     "Fribourg Public Transport", "Transports publics fribourgeois", "90"),
    ("RhB", "72", "RhB", "FR", "RhB", "Rhätische Bahn", "Chemin de fer rhétique", "Ferrovia retica",
     "Rhaetian Railway", "Rhätische Bahn", "72"),
    ("MGB", "757", "MGB", "MGB", "MGB", "Matterhorn Gotthard Bahn", "Matterhorn Gotthard Bahn",
     "Matterhorn Gotthard Bahn", "Matterhorn Gotthard Railway", "Matterhorn Gotthard Bahn", "75"),
    ("SOB", "82", "SOB", "SOB", "SOB", "Schweizerische Südostbahn", "Chemin de fer du Sud-Est",
     "Ferrovia del Sud-Est", "Southeastern Railway", "Südostbahn", "84"),
    ("SGV", "161", "SGV", "SGV", "SGV", "Schifffahrtsgesellschaft des Vierwaldstättersees",
     "Compagnie de navigation du lac des Quatre-Cantons",
     "Società di navigazione del lago dei Quattro Cantoni", "Lake Lucerne Navigation Company",
     "SGV", "16"),
    ("CGN", "185", "CGN", "CGN", "CGN", "Schifffahrtsgesellschaft des Genfersees",
     "Compagnie Générale de Navigation sur le lac Léman",
     "Compagnia generale di navigazione sul lago Lemano", "Lake Geneva Navigation Company",
     "CGN", "18"),
    ("ZSG", "3848", "ZSG", "ZSG", "ZSG", "Zürichsee-Schifffahrtsgesellschaft",
     "Société de navigation du lac de Zurich", "Società di navigazione del lago di Zurigo",
     "Lake Zurich Navigation Company", "Zürichsee-Schifffahrtsgesellschaft", "34"),
    ("JB", "2044", "JB", "JB", "JB", "Jungfraubahnen", "Chemins de fer de la Jungfrau",
     "Ferrovie della Jungfrau", "Jungfrau Railways", "Jungfraubahnen", "20"),
    ("BBT", "2260", "BBT", "BBT", "BBT", "Bergbahnen Titlis Rotair", "Remontées Titlis",
     "Funivie Titlis", "Titlis Cableways", "Titlis Bergbahnen", "22"),
    # neighbours' railways, for the foreign rows of the world file
    ("DB", "9080", "DB", "DB", "DB", "Deutsche Bahn AG", "Deutsche Bahn AG", "Deutsche Bahn AG",
     "Deutsche Bahn AG", "DB", "80"),
    ("SNCF", "9087", "SNCF", "SNCF", "SNCF", "Französische Eisenbahnen",
     "Société nationale des chemins de fer français", "Ferrovie francesi",
     "French National Railways", "SNCF", "87"),
    ("TI", "9083", "TI", "TI", "TI", "Trenitalia", "Trenitalia", "Trenitalia", "Trenitalia",
     "Trenitalia", "83"),
    ("ÖBB", "9081", "ÖBB", "ÖBB", "ÖBB", "Österreichische Bundesbahnen",
     "Chemins de fer fédéraux autrichiens", "Ferrovie federali austriache", "Austrian Federal Railways",
     "ÖBB", "81"),
]

# Which company runs the stops of a kind in a town; everything else falls back per kind.
_CITY_BUS = {"Zürich": "VBZ", "Genève": "TPG", "Basel": "BVB", "Bern": "BERNMOBIL",
             "Luzern": "VBL", "Lausanne": "TL", "Lugano": "TPL", "Winterthur": "SBW",
             "St. Gallen": "VBSG", "Fribourg": "TPF", "Bulle": "TPF"}
_RAIL = {"Thun": "BLS", "Spiez": "BLS", "Interlaken": "BLS", "Frutigen": "BLS", "Lenk": "BLS",
         "Burgdorf": "BLS", "Langnau im Emmental": "BLS", "Schwarzenburg": "BLS", "Belp": "BLS",
         "Chur": "RhB", "Davos": "RhB", "St. Moritz": "RhB", "Arosa": "RhB", "Thusis": "RhB",
         "Samedan": "RhB", "Klosters": "RhB", "Ilanz": "RhB", "Scuol": "RhB", "Landquart": "RhB",
         "Zermatt": "MGB", "Brig": "MGB", "Visp": "MGB", "Andermatt": "MGB", "Disentis": "MGB",
         "Einsiedeln": "SOB", "Herisau": "SOB", "Rapperswil": "SOB", "Bulle": "TPF",
         "Grindelwald": "JB"}
_FERRY = {"Luzern": "SGV", "Weggis": "SGV", "Brunnen": "SGV", "Zürich": "ZSG", "Horgen": "ZSG",
          "Meilen": "ZSG", "Wädenswil": "ZSG", "Rapperswil": "ZSG", "Genève": "CGN",
          "Lausanne": "CGN", "Montreux": "CGN", "Vevey": "CGN", "Morges": "CGN", "Nyon": "CGN",
          "Thun": "BLS", "Spiez": "BLS", "Interlaken": "BLS"}
_AERIAL = {"Grindelwald": "JB", "Interlaken": "JB", "Engelberg": "BBT"}
_DEFAULT = {"rail": "SBB", "tram": "VBZ", "bus": "PAG", "ferry": "SGV", "aerialway": "BBT"}
# fmt: on


def operators() -> pl.DataFrame:
    """The business organisations, one row each, indexed by op_id."""
    cols = list(zip(*_OPERATORS, strict=True))
    names = [
        "abbr_de",
        "number",
        "abbr_fr",
        "abbr_it",
        "abbr_en",
        "desc_de",
        "desc_fr",
        "desc_it",
        "desc_en",
        "osm_operator",
        "route_prefix",
    ]
    return pl.DataFrame(dict(zip(names, cols, strict=True))).with_row_index("op_id")


def foreign_operator(country: np.ndarray) -> np.ndarray:
    """op_id of the national railway of a UIC country code (SBB for 85)."""
    index = {abbr: i for i, abbr in enumerate(o[0] for o in _OPERATORS)}
    lookup = np.zeros(100, dtype=np.uint32)
    for code, abbr in {80: "DB", 87: "SNCF", 83: "TI", 81: "ÖBB", 85: "SBB"}.items():
        lookup[code] = index[abbr]
    return lookup[country]


def assign(kind: np.ndarray, town: np.ndarray, in_core: np.ndarray) -> np.ndarray:
    """The op_id running each stop, from its kind, its town and whether it is in the town core."""
    index = {abbr: i for i, abbr in enumerate(o[0] for o in _OPERATORS)}
    frame = pl.DataFrame({"kind": kind, "town": town, "core": in_core})
    by_kind = {"rail": _RAIL, "tram": _CITY_BUS, "bus": _CITY_BUS, "ferry": _FERRY, "aerialway": _AERIAL}
    expr = pl.lit(None, dtype=pl.Utf8)
    for k, table in by_kind.items():
        # city companies run only the town's core; villages around it are PostAuto land
        local = pl.col("town").replace_strict(table, default=None, return_dtype=pl.Utf8)
        if k == "bus":
            local = pl.when(pl.col("core")).then(local)
        expr = pl.when(pl.col("kind") == k).then(local.fill_null(_DEFAULT[k])).otherwise(expr)
    abbr = frame.select(expr.alias("abbr"))["abbr"]
    return abbr.replace_strict(index, return_dtype=pl.UInt32).to_numpy()
