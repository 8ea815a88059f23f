"""Word lists for Swiss-looking stop, street and village names in German, French and Italian."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocab:
    """Landmark names first, then combinations prefix + root + suffix + modifier."""

    heads: tuple[str, ...]
    roots: tuple[str, ...]
    forms: tuple[tuple[str, str], ...]  # (text before the root, text after it)
    mods: tuple[str, ...]


# fmt: off
STOPS: dict[str, Vocab] = {
    "de": Vocab(
        heads=("Bahnhof", "Post", "Dorf", "Zentrum", "Kirche", "Schulhaus", "Gemeindehaus",
               "Rathaus", "Friedhof", "Spital", "Sportplatz", "Bellevue", "Paradeplatz",
               "Sankt Josef", "Sankt Anna", "Kreuzplatz", "Bahnhofplatz",
               "Hirschen", "Löwen", "Sonne", "Kreuz", "Oberdorf", "Unterdorf", "Industrie",
               "Sankt Leonhard", "Gewerbezone", "Alterszentrum"),
        roots=("Linden", "Birken", "Wiesen", "Berg", "See", "Garten", "Mühle", "Sonnen", "Rosen",
               "Tannen", "Eichen", "Ahorn", "Buchen", "Feld", "Wald", "Bach", "Kirch", "Schul",
               "Markt", "Burg", "Matten", "Rain", "Halden", "Acker", "Weiher", "Brunnen", "Hügel",
               "Reben", "Kapellen", "Schützen", "Zelg", "Rüti", "Hof", "Moos", "Breiten", "Letten",
               "Sand", "Stein", "Tal", "Egg", "Bühl", "Hasel", "Espen", "Ulmen", "Föhren",
               "Lärchen", "Kastanien", "Nussbaum"),
        forms=(("", "strasse"), ("", "weg"), ("", "platz"), ("", "hof"), ("", "matt"),
               ("", "rain"), ("", "halde"), ("", "gasse")),
        mods=("", " Nord", " Süd", " Ost", " West", " Mitte", " Oberdorf", " Unterdorf", " Ende"),
    ),
    "fr": Vocab(
        heads=("Gare", "Poste", "Centre", "Église", "Collège", "Hôtel de Ville", "Place du Marché",
               "Cimetière", "Hôpital", "Saint-François", "Saint-Martin", "Bel-Air",
               "Croix-Blanche", "Village", "Temple", "Château", "Pont", "Stade", "Les Bains",
               "Bellevue", "Saint-Jean", "Grand-Pont"),
        roots=("Alpes", "Tilleuls", "Pâquis", "Vignes", "Acacias", "Cèdres", "Peupliers", "Roses",
               "Prés", "Fontaines", "Marronniers", "Charmilles", "Jardins", "Sources",
               "Bergières", "Moulins", "Platanes", "Lilas", "Pins", "Sapins", "Mélèzes",
               "Cerisiers", "Noyers", "Vergers", "Collines", "Rochers", "Étangs", "Granges",
               "Champs", "Bois"),
        forms=(("Rue des ", ""), ("Chemin des ", ""), ("Avenue des ", ""), ("Route des ", ""),
               ("Place des ", ""), ("Les ", ""), ("Champ des ", ""), ("Clos des ", "")),
        mods=("", " Nord", " Sud", " Est", " Ouest", " Centre", " Haut", " Bas", " Gare"),
    ),
    "it": Vocab(
        heads=("Stazione", "Posta", "Centro", "Chiesa", "Scuole", "Municipio", "Piazza",
               "Cimitero", "Ospedale", "San Rocco", "San Antonio", "Lido", "Paese", "Ponte",
               "Castello", "Funicolare"),
        roots=("Cantonale", "San Gottardo", "Pessina", "Nassa", "Ceresio", "Besso", "Geretta",
               "Trevano", "Cattedrale", "Dufour", "Motta", "Pretorio", "Soave", "Peri", "Canova",
               "Industria", "Molino", "Ronchi", "Vignola", "Brentani", "Castagnola", "Lago",
               "Monte", "Bosco", "Campagna", "Stazione", "Chiesa", "Ronco", "Mulini", "Sole"),
        forms=(("Via ", ""), ("Piazza ", ""), ("Viale ", ""), ("Vicolo ", ""), ("Strada ", ""),
               ("Contrada ", ""), ("Largo ", ""), ("Salita ", "")),
        mods=("", " Nord", " Sud", " Alta", " Bassa", " Centro", " Est", " Ovest", " Vecchia"),
    ),
}

AERIAL = Vocab(
    heads=("Talstation", "Bergstation", "Mittelstation"),
    roots=("Fürenalp", "Brunni", "Trübsee", "Gerschnialp", "Männlichen", "First", "Pfingstegg",
           "Sunnegga", "Rothorn", "Schwarzsee", "Furi", "Hörnli", "Weisshorn", "Jakobshorn",
           "Parsenn", "Corviglia", "Diavolezza", "Corvatsch", "Niederhorn", "Stockhorn",
           "Niesen", "Pilatus", "Stanserhorn", "Säntis", "Ebenalp", "Chäserrugg", "Rigi Scheidegg",
           "Gemsstock", "Cardada", "Monte Tamaro"),
    forms=(("", ""), ("", " Bergstation"), ("", " Talstation"), ("Alp ", "")),
    mods=("", " Ost", " West"),
)

# Village names: root + suffix, optionally prefixed, per language.
VILLAGES: dict[str, Vocab] = {
    "de": Vocab(
        heads=(),
        roots=("Hünen", "Bütt", "Rüti", "Egg", "Matt", "Wald", "Buch", "Hasl", "Rick", "Wetz",
               "Grün", "Mett", "Roth", "Lind", "Oster", "Wang", "Gund", "Hed", "Emm", "Kirch",
               "Stall", "Ried", "Gais", "Mos", "Nie", "Hitz", "Bett", "Wiedl", "Tägers", "Seen"),
        forms=(("", "wil"), ("", "ikon"), ("", "dorf"), ("", "bach"), ("", "berg"),
               ("", "hausen"), ("", "ingen"), ("", "au"), ("", "schwand"), ("", "stetten"),
               ("", "wangen"), ("", "kon")),
        mods=("", " ZH", " BE", " SG", " AG", " LU", " TG", " im Tal", " am See"),
    ),
    "fr": Vocab(
        heads=(),
        roots=("Vill", "Cor", "Chav", "Mont", "Bel", "Roch", "Gland", "Prill", "Cuar", "Ecub",
               "Pomp", "Sav", "Bussign", "Crissi", "Penth", "Daill", "Orb", "Ollon", "Aub", "Lign"),
        forms=(("", "ens"), ("", "ier"), ("", "ey"), ("", "ette"), ("", "on"), ("", "y"),
               ("", "az"), ("", "ières"), ("", "ans"), ("", "oz")),
        mods=("", "", "", " sur Glâne", " le Jorat", " près Payerne", " la Ville", " le Grand"),
    ),
    "it": Vocab(
        heads=(),
        roots=("Cade", "Sorn", "Mur", "Biog", "Brè", "Gord", "Caví", "Vir", "Sem", "Loc",
               "Tess", "Mag", "Cugn", "Arog", "Pregass", "Sorengh", "Vezi", "Agn", "Cast", "Mend"),
        forms=(("", "ago"), ("", "ino"), ("", "one"), ("", "ate"), ("", "ello"), ("", "ano"),
               ("", "ezzo"), ("", "ona")),
        mods=("", "", "", " Sopra", " Sotto", " Vecchio"),
    ),
}

# Station suffixes for a town's further railway stations ("Winterthur Grüze").
STATION_DISTRICTS: dict[str, tuple[str, ...]] = {
    "de": ("Nord", "Süd", "Ost", "West", "Stadelhofen", "Hardbrücke", "Wiesental", "Seebach",
           "Altstetten", "Enge", "Wollishofen", "Grüze", "Hegi", "Töss", "Wylerfeld", "Oerlikon",
           "Hauptbahnhof", "Stadt", "Industrie", "Allmend"),
    "fr": ("Nord", "Sud", "Est", "Ouest", "Centre", "La Plaine", "Eaux-Vives", "Sécheron",
           "Malley", "Prilly", "Ville", "Gare", "Les Bains", "Champel"),
    "it": ("Nord", "Sud", "Est", "Ovest", "Centro", "Paradiso", "Vedeggio", "San Antonino",
           "Città", "Lago"),
}

LAKE_SUFFIX = {"de": " (See)", "fr": " (lac)", "it": " (lago)"}
# fmt: on
