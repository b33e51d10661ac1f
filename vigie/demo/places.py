"""Where the demo ads say they are: Brussels communes, their police zones, and ways to write them.

Each `PlaceVariant` is one way an ad can state a location and the ground truth it implies
(the commune's canonical French name, the zone, or a city outside Brussels with no zone).
Postcode 1040 (shared by Etterbeek, zone 5343, and the City's European quarter, zone 5339)
is never used.
"""

from __future__ import annotations

from dataclasses import dataclass

ZONES: dict[str, str] = {
    "5339": "Bruxelles-Capitale/Ixelles",
    "5340": "Bruxelles-Ouest",
    "5341": "Midi",
    "5342": "Uccle/Watermael-Boitsfort/Auderghem",
    "5343": "Montgomery",
    "5344": "Bruxelles-Nord",
}

# canonical (French) name -> (zone, Dutch name, postcode)
COMMUNES: dict[str, tuple[str, str, str]] = {
    "Bruxelles": ("5339", "Brussel", "1000"),
    "Ixelles": ("5339", "Elsene", "1050"),
    "Molenbeek-Saint-Jean": ("5340", "Sint-Jans-Molenbeek", "1080"),
    "Koekelberg": ("5340", "Koekelberg", "1081"),
    "Jette": ("5340", "Jette", "1090"),
    "Ganshoren": ("5340", "Ganshoren", "1083"),
    "Berchem-Sainte-Agathe": ("5340", "Sint-Agatha-Berchem", "1082"),
    "Anderlecht": ("5341", "Anderlecht", "1070"),
    "Saint-Gilles": ("5341", "Sint-Gillis", "1060"),
    "Forest": ("5341", "Vorst", "1190"),
    "Uccle": ("5342", "Ukkel", "1180"),
    "Watermael-Boitsfort": ("5342", "Watermaal-Bosvoorde", "1170"),
    "Auderghem": ("5342", "Oudergem", "1160"),
    "Etterbeek": ("5343", "Etterbeek", ""),  # 1040 is shared with the City: never written
    "Woluwe-Saint-Lambert": ("5343", "Sint-Lambrechts-Woluwe", "1200"),
    "Woluwe-Saint-Pierre": ("5343", "Sint-Pieters-Woluwe", "1150"),
    "Schaerbeek": ("5344", "Schaarbeek", "1030"),
    "Saint-Josse-ten-Noode": ("5344", "Sint-Joost-ten-Node", "1210"),
    "Evere": ("5344", "Evere", "1140"),
}

# Parts of the City of Brussels, written as such in ads: (French, Dutch, postcode).
CITY_PARTS: tuple[tuple[str, str, str], ...] = (
    ("Laeken", "Laken", "1020"),
    ("Haren", "Haren", "1130"),
    ("Neder-Over-Heembeek", "Neder-Over-Heembeek", "1120"),
)

# Landmarks: (commune, {lang: text}). Each lies clearly inside one zone.
LANDMARKS: tuple[tuple[str, dict[str, str]], ...] = (
    ("Saint-Gilles", {"fr": "près de la place Bethléem", "nl": "bij het Bethlehemplein",
                      "en": "near Place Bethléem"}),
    ("Schaerbeek", {"fr": "près de la place Colignon", "nl": "bij het Colignonplein",
                    "en": "near Place Colignon"}),
    ("Ixelles", {"fr": "Avenue Louise", "nl": "Louizalaan", "en": "Avenue Louise"}),
    ("Ixelles", {"fr": "place Flagey", "nl": "Flageyplein", "en": "Place Flagey"}),
    ("Schaerbeek", {"fr": "place Liedts", "nl": "Liedtsplein", "en": "Place Liedts"}),
    ("Molenbeek-Saint-Jean", {"fr": "près de la Gare de l'Ouest", "nl": "bij het Weststation",
                              "en": "near Gare de l'Ouest"}),
    ("Etterbeek", {"fr": "place Jourdan", "nl": "Jourdanplein", "en": "Place Jourdan"}),
    ("Uccle", {"fr": "place Saint-Job", "nl": "Sint-Jobsplein", "en": "Place Saint-Job"}),
    ("Woluwe-Saint-Lambert", {"fr": "près du Woluwe Shopping", "nl": "bij Woluwe Shopping",
                              "en": "near Woluwe Shopping"}),
    ("Bruxelles", {"fr": "près de l'Atomium", "nl": "bij het Atomium", "en": "near the Atomium"}),
    ("Forest", {"fr": "près de Forest National", "nl": "bij Vorst Nationaal",
                "en": "near Forest National"}),
    ("Auderghem", {"fr": "près du métro Delta", "nl": "bij metro Delta", "en": "near Delta metro"}),
)

# Landmarks that straddle two communes (the Avenue Louise belongs to the City, the streets along
# it to Ixelles): written only together with the commune's name.
SHARED_LANDMARKS = frozenset({"Avenue Louise", "Louizalaan"})

# Outside Brussels: canonical city name -> {lang: text}
ELSEWHERE: dict[str, dict[str, str]] = {
    "Antwerpen": {"fr": "Anvers", "nl": "Antwerpen", "en": "Antwerp"},
    "Liège": {"fr": "Liège", "nl": "Luik", "en": "Liège"},
    "Lille": {"fr": "Lille", "nl": "Rijsel", "en": "Lille"},
    "Gent": {"fr": "Gand", "nl": "Gent", "en": "Ghent"},
}


@dataclass(frozen=True, slots=True)
class PlaceVariant:
    """One written location and what it means."""

    text: str
    commune: str
    zone: str | None


def zone_of(commune: str) -> str | None:
    """The police zone of a canonical Brussels commune name; None outside Brussels."""
    entry = COMMUNES.get(commune)
    return entry[0] if entry else None


def variants_for(commune: str, lang: str) -> list[PlaceVariant]:
    """Every way an ad in `lang` may state `commune` (a canonical Brussels commune name)."""
    zone, dutch, postcode = COMMUNES[commune]
    local = dutch if lang == "nl" else commune
    if commune == "Bruxelles":
        # "Bruxelles"/"Brussel" alone names the whole region (bpost's town name for every
        # Brussels postcode), so the City is written with its postcode or as the city centre.
        texts = [f"{postcode} {local}", "Brussel-Stad" if lang == "nl" else "Bruxelles-Ville"]
    else:
        texts = [local, dutch if lang != "nl" else commune]
        if postcode:
            texts.append(f"{postcode} {local}")
    for owner, names in LANDMARKS:
        if owner == commune:
            if names[lang] not in SHARED_LANDMARKS:
                texts.append(names[lang])
            texts.append(f"{local}, {names[lang]}")
    if commune == "Bruxelles":
        for fr, nl, code in CITY_PARTS:
            part = nl if lang == "nl" else fr
            texts.extend([part, f"{code} {part}"])
    return [PlaceVariant(text, commune, zone) for text in texts]


def elsewhere(city: str, lang: str) -> PlaceVariant:
    """A location outside Brussels (zone None)."""
    return PlaceVariant(ELSEWHERE[city][lang], city, None)


def communes_in(zone: str) -> list[str]:
    """The canonical communes of one zone, in table order."""
    return [name for name, (z, _nl, _pc) in COMMUNES.items() if z == zone]
