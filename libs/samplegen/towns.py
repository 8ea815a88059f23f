"""Real Swiss town centres that anchor the synthetic stops, with how far from the border they are safe."""

from __future__ import annotations

import numpy as np
import polars as pl

# name, lat, lon, weight (rough population share), safe radius km (distance to the border minus a
# margin, so nothing generated around the town can leave Switzerland), language, flags:
# L = on a lake (ferries), M = mountain resort (aerialways), T = tram network.
_TOWNS: list[tuple[str, float, float, float, float, str, str]] = [
    ("Zürich", 47.3769, 8.5417, 42.0, 12.0, "de", "LT"),
    ("Genève", 46.2100, 6.1500, 11.0, 1.8, "fr", "LT"),
    ("Basel", 47.5300, 7.6250, 12.0, 2.5, "de", "T"),
    ("Bern", 46.9480, 7.4474, 14.0, 12.0, "de", "T"),
    ("Lausanne", 46.5197, 6.6323, 14.0, 5.0, "fr", "LM"),
    ("Winterthur", 47.4988, 8.7237, 11.0, 9.0, "de", ""),
    ("Luzern", 47.0502, 8.3093, 8.0, 12.0, "de", "LM"),
    ("St. Gallen", 47.4245, 9.3767, 7.5, 7.0, "de", ""),
    ("Lugano", 46.0100, 8.9550, 6.5, 2.0, "it", "LM"),
    ("Biel/Bienne", 47.1368, 7.2467, 5.5, 9.0, "de", "L"),
    ("Thun", 46.7580, 7.6280, 4.5, 12.0, "de", "L"),
    ("Köniz", 46.9241, 7.4147, 4.2, 8.0, "de", ""),
    ("La Chaux-de-Fonds", 47.1000, 6.8450, 3.8, 2.0, "fr", ""),
    ("Fribourg", 46.8065, 7.1620, 3.8, 12.0, "fr", ""),
    ("Schaffhausen", 47.6950, 8.6400, 3.6, 1.0, "de", ""),
    ("Chur", 46.8499, 9.5329, 3.7, 12.0, "de", "M"),
    ("Neuchâtel", 46.9900, 6.9293, 3.4, 8.0, "fr", "L"),
    ("Uster", 47.3471, 8.7209, 3.5, 8.0, "de", ""),
    ("Sion", 46.2331, 7.3606, 3.4, 12.0, "fr", "M"),
    ("Emmen", 47.0827, 8.2997, 3.1, 8.0, "de", ""),
    ("Zug", 47.1662, 8.5155, 3.0, 10.0, "de", "L"),
    ("Yverdon-les-Bains", 46.7785, 6.6410, 3.0, 8.0, "fr", "L"),
    ("Dübendorf", 47.3972, 8.6187, 2.9, 6.0, "de", ""),
    ("Kriens", 47.0337, 8.2780, 2.8, 6.0, "de", "M"),
    ("Rapperswil", 47.2266, 8.8184, 2.7, 8.0, "de", "L"),
    ("Dietikon", 47.4017, 8.4001, 2.7, 6.0, "de", ""),
    ("Montreux", 46.4312, 6.9107, 2.6, 5.0, "fr", "LM"),
    ("Frauenfeld", 47.5536, 8.8987, 2.6, 8.0, "de", ""),
    ("Wetzikon", 47.3260, 8.7977, 2.5, 6.0, "de", ""),
    ("Baar", 47.1963, 8.5295, 2.4, 6.0, "de", ""),
    ("Aarau", 47.3925, 8.0444, 2.2, 10.0, "de", ""),
    ("Olten", 47.3500, 7.9030, 1.9, 10.0, "de", ""),
    ("Solothurn", 47.2088, 7.5323, 1.7, 10.0, "de", ""),
    ("Baden", 47.4733, 8.3059, 2.0, 6.0, "de", ""),
    ("Wil", 47.4615, 9.0455, 2.4, 7.0, "de", ""),
    ("Bulle", 46.6193, 7.0577, 2.3, 10.0, "fr", ""),
    ("Burgdorf", 47.0590, 7.6280, 1.6, 10.0, "de", ""),
    ("Langenthal", 47.2153, 7.7960, 1.6, 10.0, "de", ""),
    ("Interlaken", 46.6863, 7.8632, 1.0, 10.0, "de", "LM"),
    ("Brig", 46.3160, 7.9880, 1.3, 8.0, "de", "M"),
    ("Visp", 46.2940, 7.8820, 0.8, 6.0, "de", ""),
    ("Martigny", 46.1027, 7.0727, 1.8, 6.0, "fr", ""),
    ("Monthey", 46.2540, 6.9540, 1.8, 4.0, "fr", ""),
    ("Bellinzona", 46.1920, 9.0170, 2.0, 8.0, "it", ""),
    ("Locarno", 46.1700, 8.7990, 1.6, 5.0, "it", "LM"),
    ("Davos", 46.8027, 9.8360, 1.1, 10.0, "de", "M"),
    ("St. Moritz", 46.4908, 9.8355, 0.5, 6.0, "de", "LM"),
    ("Arosa", 46.7783, 9.6790, 0.3, 5.0, "de", "M"),
    ("Zermatt", 46.0207, 7.7491, 0.6, 4.0, "de", "M"),
    ("Grindelwald", 46.6242, 8.0414, 0.4, 6.0, "de", "M"),
    ("Engelberg", 46.8199, 8.4037, 0.4, 6.0, "de", "M"),
    ("Einsiedeln", 47.1286, 8.7464, 1.6, 8.0, "de", ""),
    ("Schwyz", 47.0207, 8.6530, 1.5, 8.0, "de", "M"),
    ("Altdorf", 46.8805, 8.6440, 0.9, 8.0, "de", ""),
    ("Sarnen", 46.8960, 8.2460, 1.0, 8.0, "de", "L"),
    ("Stans", 46.9580, 8.3660, 0.8, 6.0, "de", "M"),
    ("Glarus", 47.0404, 9.0680, 1.2, 8.0, "de", ""),
    ("Herisau", 47.3860, 9.2790, 1.6, 6.0, "de", ""),
    ("Appenzell", 47.3310, 9.4090, 0.6, 6.0, "de", "M"),
    ("Wädenswil", 47.2290, 8.6720, 2.4, 6.0, "de", "L"),
    ("Horgen", 47.2590, 8.5980, 2.2, 5.0, "de", "L"),
    ("Meilen", 47.2700, 8.6430, 1.4, 5.0, "de", "L"),
    ("Lenzburg", 47.3880, 8.1760, 1.1, 8.0, "de", ""),
    ("Zofingen", 47.2880, 7.9460, 1.2, 8.0, "de", ""),
    ("Brugg", 47.4810, 8.2080, 1.1, 6.0, "de", ""),
    ("Delémont", 47.3650, 7.3440, 1.3, 6.0, "fr", ""),
    ("Payerne", 46.8220, 6.9380, 1.0, 8.0, "fr", ""),
    ("Morges", 46.5110, 6.4980, 1.6, 6.0, "fr", "L"),
    ("Nyon", 46.3830, 6.2390, 2.1, 3.0, "fr", "L"),
    ("Vevey", 46.4600, 6.8430, 2.0, 5.0, "fr", "L"),
    ("Sierre", 46.2920, 7.5350, 1.7, 8.0, "fr", ""),
    ("Rorschach", 47.4780, 9.4900, 0.9, 3.0, "de", "L"),
    ("Sargans", 47.0450, 9.4460, 0.6, 2.0, "de", ""),
    ("Landquart", 46.9670, 9.5550, 0.9, 2.5, "de", ""),
    ("Ilanz", 46.7740, 9.2040, 0.5, 8.0, "de", ""),
    ("Andermatt", 46.6355, 8.5940, 0.2, 6.0, "de", "M"),
    ("Airolo", 46.5280, 8.6100, 0.2, 6.0, "it", "M"),
    ("Biasca", 46.3600, 8.9700, 0.6, 8.0, "it", ""),
    ("Spiez", 46.6860, 7.6800, 1.3, 6.0, "de", "L"),
    ("Meiringen", 46.7270, 8.1870, 0.5, 6.0, "de", "M"),
    ("Langnau im Emmental", 46.9390, 7.7870, 0.9, 8.0, "de", ""),
    ("Sursee", 47.1710, 8.1080, 1.0, 8.0, "de", ""),
    ("Willisau", 47.1220, 7.9940, 0.8, 8.0, "de", ""),
    ("Wohlen", 47.3500, 8.2790, 1.6, 6.0, "de", ""),
    ("Bülach", 47.5220, 8.5400, 2.0, 4.0, "de", ""),
    ("Kloten", 47.4510, 8.5840, 2.0, 4.0, "de", ""),
    ("Affoltern am Albis", 47.2770, 8.4500, 1.2, 5.0, "de", ""),
    ("Weinfelden", 47.5660, 9.1070, 1.1, 5.0, "de", ""),
    ("Amriswil", 47.5470, 9.2980, 1.3, 4.0, "de", ""),
    ("Gossau", 47.4150, 9.2540, 1.8, 4.0, "de", ""),
    ("Uzwil", 47.4360, 9.1340, 1.3, 5.0, "de", ""),
    ("Lyss", 47.0740, 7.3070, 1.5, 6.0, "de", ""),
    ("Murten", 46.9280, 7.1170, 0.8, 6.0, "de", "L"),
    ("Estavayer-le-Lac", 46.8490, 6.8460, 0.8, 5.0, "fr", "L"),
    ("Château-d'Oex", 46.4750, 7.1370, 0.3, 5.0, "fr", "M"),
    ("Gstaad", 46.4750, 7.2860, 0.4, 6.0, "de", "M"),
    ("Adelboden", 46.4920, 7.5600, 0.3, 5.0, "de", "M"),
    ("Lenk", 46.4560, 7.4430, 0.2, 5.0, "de", "M"),
    ("Frutigen", 46.5880, 7.6470, 0.6, 6.0, "de", ""),
    ("Scuol", 46.7970, 10.2990, 0.4, 2.0, "de", "M"),
    ("Disentis", 46.7030, 8.8530, 0.2, 6.0, "de", "M"),
    ("Thusis", 46.6970, 9.4400, 0.3, 6.0, "de", ""),
    ("Samedan", 46.5340, 9.8720, 0.3, 6.0, "de", ""),
    ("Klosters", 46.8690, 9.8800, 0.4, 5.0, "de", "M"),
    ("Flims", 46.8360, 9.2840, 0.3, 5.0, "de", "M"),
    ("Leukerbad", 46.3790, 7.6270, 0.2, 4.0, "de", "M"),
    ("Saas-Fee", 46.1080, 7.9270, 0.2, 3.0, "de", "M"),
    ("Verbier", 46.0960, 7.2280, 0.3, 4.0, "fr", "M"),
    ("Crans-Montana", 46.3110, 7.4800, 1.0, 5.0, "fr", "M"),
    ("Moutier", 47.2790, 7.3700, 0.8, 6.0, "fr", ""),
    ("Liestal", 47.4840, 7.7340, 1.4, 4.0, "de", ""),
    ("Sissach", 47.4640, 7.8120, 0.7, 4.0, "de", ""),
    ("Hinwil", 47.2980, 8.8440, 1.1, 6.0, "de", ""),
    ("Pfäffikon SZ", 47.2010, 8.7780, 1.0, 5.0, "de", "L"),
    ("Lachen", 47.1920, 8.8540, 0.9, 5.0, "de", "L"),
    ("Brunnen", 46.9940, 8.6060, 0.5, 5.0, "de", "LM"),
    ("Weggis", 47.0330, 8.4330, 0.4, 5.0, "de", "LM"),
    ("Schwarzenburg", 46.8180, 7.3420, 0.7, 6.0, "de", ""),
    ("Belp", 46.8910, 7.4990, 1.1, 5.0, "de", ""),
]


def towns() -> pl.DataFrame:
    """All anchor towns as a frame (index order is stable)."""
    cols = list(zip(*_TOWNS, strict=True))
    return pl.DataFrame(
        {
            "town": cols[0],
            "lat": cols[1],
            "lon": cols[2],
            "weight": cols[3],
            "safe_km": cols[4],
            "lang": cols[5],
            "flags": cols[6],
        }
    ).with_row_index("town_id")


def pick_towns(scale: float, rng: np.random.Generator) -> pl.DataFrame:
    """Towns used at this scale: all of them at 1.0, a weighted handful for a small region."""
    all_towns = towns()
    n = int(np.clip(round(len(all_towns) * np.sqrt(scale) * 1.1), 3, len(all_towns)))
    if n == len(all_towns):
        return all_towns
    w = all_towns["weight"].to_numpy()
    chosen = rng.choice(len(all_towns), size=n, replace=False, p=w / w.sum())
    return all_towns[np.sort(chosen)]


# Foreign anchors, clearly abroad (tens of km from the border), for the rows the filters drop.
FOREIGN: list[tuple[str, float, float, int]] = [
    ("München", 48.1402, 11.5586, 80),
    ("Stuttgart", 48.7833, 9.1817, 80),
    ("Freiburg im Breisgau", 47.9977, 7.8412, 80),
    ("Ulm", 48.3994, 9.9829, 80),
    ("Lyon", 45.7606, 4.8594, 87),
    ("Besançon", 47.2470, 6.0220, 87),
    ("Annecy", 45.9010, 6.1220, 87),
    ("Milano", 45.4862, 9.2045, 83),
    ("Bergamo", 45.6983, 9.6773, 83),
    ("Torino", 45.0620, 7.6790, 83),
    ("Innsbruck", 47.2632, 11.4008, 81),
    ("Kempten", 47.7267, 10.3139, 80),
]
