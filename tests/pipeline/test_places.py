from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.places import find_places, resolve_place
from pipeline.text import normalise
from pipeline.types import Place

# The 19 communes, French and Dutch names, and their police zones, written out here (not read
# from the gazetteer) so that the data file is checked against the real map.
COMMUNES = [
    ("Bruxelles-Ville", "Brussel-Stad", "Bruxelles", "5339"),
    ("Ixelles", "Elsene", "Ixelles", "5339"),
    ("Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek", "Molenbeek-Saint-Jean", "5340"),
    ("Koekelberg", "Koekelberg", "Koekelberg", "5340"),
    ("Berchem-Sainte-Agathe", "Sint-Agatha-Berchem", "Berchem-Sainte-Agathe", "5340"),
    ("Ganshoren", "Ganshoren", "Ganshoren", "5340"),
    ("Anderlecht", "Anderlecht", "Anderlecht", "5341"),
    ("Saint-Gilles", "Sint-Gillis", "Saint-Gilles", "5341"),
    ("Uccle", "Ukkel", "Uccle", "5342"),
    ("Watermael-Boitsfort", "Watermaal-Bosvoorde", "Watermael-Boitsfort", "5342"),
    ("Auderghem", "Oudergem", "Auderghem", "5342"),
    ("Etterbeek", "Etterbeek", "Etterbeek", "5343"),
    ("Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", "Woluwe-Saint-Lambert", "5343"),
    ("Woluwe-Saint-Pierre", "Sint-Pieters-Woluwe", "Woluwe-Saint-Pierre", "5343"),
    ("Schaerbeek", "Schaarbeek", "Schaerbeek", "5344"),
    ("Saint-Josse-ten-Noode", "Sint-Joost-ten-Node", "Saint-Josse-ten-Noode", "5344"),
    ("Evere", "Evere", "Evere", "5344"),
]
# Communes whose name is also an ordinary word: they need a place context.
CONTEXT_COMMUNES = [
    ("Jette", "Jette", "5340"),
    ("Forest", "Forest", "5341"),
    ("Vorst", "Forest", "5341"),
]


def places(text: str, field: str = "text") -> list[Place]:
    return find_places(normalise(text), field)


def one(text: str, field: str = "text") -> Place:
    found = places(text, field)
    assert len(found) == 1, found
    return found[0]


def where(text: str, field: str = "text") -> tuple[str | None, str | None]:
    p = resolve_place(places(text, field))
    assert p is not None
    return p.commune, p.zone


@pytest.mark.parametrize(("fr", "nl", "commune", "zone"), COMMUNES)
def test_every_commune_in_french_and_dutch_gives_its_zone(
    fr: str, nl: str, commune: str, zone: str
) -> None:
    for name in (fr, nl):
        p = one(f"Appartement privé à {name}, discret.")
        assert (p.commune, p.zone, p.in_brussels) == (commune, zone, True)
        assert p.spans[0].quote == name


@pytest.mark.parametrize(("name", "commune", "zone"), CONTEXT_COMMUNES)
def test_communes_that_are_also_words_need_a_place_context(
    name: str, commune: str, zone: str
) -> None:
    assert where(f"Je reçois à {name}.") == (commune, zone)
    assert where(f"métro {name}") == (commune, zone)
    assert where(name, "location") == (commune, zone)
    assert places(f"{name.lower()} and more") == []
    assert places(f"{name} is lovely") == []


@pytest.mark.parametrize(
    "text",
    [
        "je jette un oeil",
        "a walk in the forest",
        "a Forest walk",
        "de vorst van het land",
        "mooie haren",
        "Jette un oeil à mes photos",
        "schone laken",
    ],
)
def test_ordinary_words_are_not_places(text: str) -> None:
    assert places(text) == []


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("SCHAERBEEK", "Schaerbeek"),
        ("schaerbeek", "Schaerbeek"),
        ("Saint Josse ten Noode", "Saint-Josse-ten-Noode"),
        ("St-Josse", "Saint-Josse-ten-Noode"),
        ("St. Gilles", "Saint-Gilles"),
        ("Molenbeek St Jean", "Molenbeek-Saint-Jean"),
        ("MOLENBEEK", "Molenbeek-Saint-Jean"),
        ("Woluwé-St-Lambert", "Woluwe-Saint-Lambert"),
        ("Sint Pieters Woluwe", "Woluwe-Saint-Pierre"),
        ("Berchem Ste Agathe", "Berchem-Sainte-Agathe"),
        ("Watermael", "Watermael-Boitsfort"),
        ("Bosvoorde", "Watermael-Boitsfort"),
        ("Oudergem", "Auderghem"),
        ("IXELLES", "Ixelles"),
        ("ixèlles", "Ixelles"),
    ],
)
def test_names_match_whatever_their_case_accents_hyphens_and_abbreviations(
    text: str, commune: str
) -> None:
    assert one(f"({text})").commune == commune


@pytest.mark.parametrize(
    ("text", "commune", "zone"),
    [
        ("Laeken", "Bruxelles", "5339"),
        ("Neder-Over-Heembeek", "Bruxelles", "5339"),
        ("à Haren", "Bruxelles", "5339"),
        ("Gare du Nord", None, "5344"),
        ("Noordstation", None, "5344"),
        ("Gare du Midi", None, "5341"),
        ("Zuidstation", None, "5341"),
        ("Avenue Louise", None, "5339"),
        ("Louizalaan", None, "5339"),
        ("Alhambra", "Bruxelles", "5339"),
        ("Flagey", "Ixelles", "5339"),
        ("Matonge", "Ixelles", "5339"),
        ("Merode", "Etterbeek", "5343"),
        ("Place Liedts", "Schaerbeek", "5344"),
        ("Liedtsplein", "Schaerbeek", "5344"),
        ("près de l'Yser", "Bruxelles", "5339"),
        ("IJzerplein", "Bruxelles", "5339"),
        ("Porte de Namur", None, "5339"),
        ("métro Bourse", "Bruxelles", "5339"),
        ("à la Bourse", "Bruxelles", "5339"),
        ("Beursplein", "Bruxelles", "5339"),
        ("Sablon", "Bruxelles", "5339"),
        ("Châtelain", "Ixelles", "5339"),
        ("Basilique de Koekelberg", "Koekelberg", "5340"),
        ("Heysel", "Bruxelles", "5339"),
        ("Rue d'Aerschot", "Schaerbeek", "5344"),
        ("Porte d'Anderlecht", "Bruxelles", "5339"),
        ("Étangs Noirs", "Molenbeek-Saint-Jean", "5340"),
        ("Stockel", "Woluwe-Saint-Pierre", "5343"),
        ("place Saint-Job", "Uccle", "5342"),
        ("près de Forest National", "Forest", "5341"),
        ("près du métro Delta", "Auderghem", "5342"),
        ("Gare de l'Ouest", "Molenbeek-Saint-Jean", "5340"),
        ("near Brussels-North station", None, "5344"),
    ],
)
def test_neighbourhoods_and_landmarks_give_their_commune_and_zone(
    text: str, commune: str | None, zone: str
) -> None:
    assert where(f"Nouvelle, {text}, discrète") == (commune, zone)


def test_a_landmark_across_communes_of_one_zone_gives_the_zone_only() -> None:
    assert where("Woluwe") == (None, "5343")
    assert where("Montgomery") == (None, "5343")


@pytest.mark.parametrize(
    ("text", "commune", "zone"),
    [
        ("Incall in 1170. Cash only.", "Watermael-Boitsfort", "5342"),
        ("Je reçois dans le 1090.", "Jette", "5340"),
        ("Ik ontvang in 1060, discreet.", "Saint-Gilles", "5341"),
        ("Quartier 1030 – appartement privé", "Schaerbeek", "5344"),
        ("Incall in 1040", None, None),  # two zones share 1040
    ],
)
def test_a_bare_postcode_after_a_locative_word_is_a_place(
    text: str, commune: str | None, zone: str | None
) -> None:
    assert where(text) == (commune, zone)


@pytest.mark.parametrize("text", ["à 1200 m de la gare", "Dans le 1090 € la nuit", "in 1030 min"])
def test_a_postcode_after_a_locative_word_still_needs_no_unit(text: str) -> None:
    assert find_places(normalise(text), "text") == []


def test_brussels_alone_is_the_region_not_the_city() -> None:
    for name in ("Bruxelles", "Brussel", "Brussels", "BXL"):
        p = one(f"new in {name}")
        assert (p.commune, p.zone, p.in_brussels) == (None, None, True)


@pytest.mark.parametrize(
    ("code", "commune", "zone"),
    [
        ("1000", "Bruxelles", "5339"),
        ("1020", "Bruxelles", "5339"),
        ("1030", "Schaerbeek", "5344"),
        ("1060", "Saint-Gilles", "5341"),
        ("1070", "Anderlecht", "5341"),
        ("1080", "Molenbeek-Saint-Jean", "5340"),
        ("1081", "Koekelberg", "5340"),
        ("1082", "Berchem-Sainte-Agathe", "5340"),
        ("1083", "Ganshoren", "5340"),
        ("1090", "Jette", "5340"),
        ("1120", "Bruxelles", "5339"),
        ("1130", "Bruxelles", "5339"),
        ("1140", "Evere", "5344"),
        ("1150", "Woluwe-Saint-Pierre", "5343"),
        ("1160", "Auderghem", "5342"),
        ("1170", "Watermael-Boitsfort", "5342"),
        ("1180", "Uccle", "5342"),
        ("1190", "Forest", "5341"),
        ("1200", "Woluwe-Saint-Lambert", "5343"),
        ("1210", "Saint-Josse-ten-Noode", "5344"),
    ],
)
def test_postcodes_give_their_commune_and_zone(code: str, commune: str, zone: str) -> None:
    p = one(f"Adresse: B-{code}")
    assert (p.commune, p.zone, p.postcode) == (commune, zone, code)
    # "1030 Bruxelles": bpost's locality, still the postcode's commune
    assert where(f"{code} Bruxelles") == (commune, zone)


def test_a_postcode_shared_by_two_zones_gives_no_zone() -> None:
    p = one("B-1040")
    assert (p.commune, p.zone, p.postcode) == (None, None, "1040")
    assert where("1040 Bruxelles") == (None, None)


def test_a_postcode_shared_by_two_communes_of_one_zone_gives_the_zone() -> None:
    p = one("(1050)")
    assert (p.commune, p.zone, p.postcode) == (None, "5339", "1050")


def test_a_commune_or_landmark_decides_an_ambiguous_postcode() -> None:
    p = resolve_place(places("Etterbeek 1040"))
    assert p is not None
    assert (p.commune, p.zone, p.postcode) == ("Etterbeek", "5343", "1040")
    assert [s.quote for s in p.spans] == ["Etterbeek", "1040"]
    p = resolve_place(places("Schuman (1040)"))
    assert p is not None
    assert (p.commune, p.zone, p.postcode) == ("Bruxelles", "5339", "1040")


@pytest.mark.parametrize(
    "text",
    [
        "Tel 0470 1050 12",
        "Prix 1000 €",
        "1050 euros",
        "1200 eur",
        "0032 2 1030 55",
        "1000x merci",
        "tarif 1180",
        "n° 1030",
        "Rue 12/1050",
        "1,050",
        "10.1050",
    ],
)
def test_numbers_that_are_not_postcodes_give_no_place(text: str) -> None:
    assert places(text) == []


def test_a_bare_number_is_a_postcode_only_in_the_location_field() -> None:
    assert places("j'ai 1030 followers") == []
    assert one("1030", "location").commune == "Schaerbeek"


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Antwerpen", "Antwerpen"),
        ("Anvers", "Antwerpen"),
        ("Liège", "Liège"),
        ("Luik", "Liège"),
        ("Gent", "Gent"),
        ("Gand", "Gent"),
        ("Charleroi", "Charleroi"),
        ("Namur", "Namur"),
        ("Leuven", "Leuven"),
        ("Lille", "Lille"),
        ("Paris", "Paris"),
        ("Amsterdam", "Amsterdam"),
        ("Brussels Airport", "Zaventem"),
    ],
)
def test_places_outside_brussels_keep_the_city_and_no_zone(text: str, city: str) -> None:
    p = one(f"De passage à {text} cette semaine")
    assert (p.commune, p.zone, p.postcode, p.in_brussels) == (city, None, None, False)


@pytest.mark.parametrize(
    "text", ["chaussée de Waterloo", "Chaussée de Louvain 200", "rue de Liège", "avenue de Paris"]
)
def test_a_street_named_after_a_city_is_not_that_city(text: str) -> None:
    assert all(p.in_brussels for p in places(text))


def test_names_inside_longer_words_are_not_places() -> None:
    assert places("Ixellesien Schaerbeekois Antwerpenaar Parisienne") == []


def test_the_longest_name_wins() -> None:
    p = one("Porte de Namur")
    assert (p.commune, p.zone, p.in_brussels) == (None, "5339", True)
    assert p.spans[0].quote == "Porte de Namur"


def test_a_commune_makes_a_zone_wide_landmark_precise() -> None:
    assert where("Ixelles, Avenue Louise") == ("Ixelles", "5339")


def test_spans_quote_the_original_text() -> None:
    original = "Ｉｘｅｌｌｅｓ\u200b, près de la Place\u00a0Flagey"
    found = find_places(normalise(original), "title")
    assert found
    for p in found:
        for s in p.spans:
            assert s.field == "title"
            assert original[s.start : s.end] == s.quote
    quotes = sorted(s.quote for p in found for s in p.spans)
    assert quotes[0] == "Place\u00a0Flagey"
    assert quotes[1].startswith("Ｉｘｅｌｌｅｓ")


def test_resolve_prefers_a_consistent_commune_and_reinforces_it_with_the_postcode() -> None:
    p = resolve_place(places("Schaerbeek, près de la Gare du Nord (1030). Nouvelle à Bruxelles."))
    assert p is not None
    assert (p.commune, p.zone, p.postcode, p.in_brussels) == ("Schaerbeek", "5344", "1030", True)


def test_resolve_gives_no_zone_when_mentions_disagree() -> None:
    p = resolve_place(places("Ixelles ou Schaerbeek"))
    assert p is not None
    assert (p.commune, p.zone, p.in_brussels) == (None, None, True)
    p = resolve_place(places("Ixelles (1030)"))
    assert p is not None
    assert p.zone is None


def test_resolve_keeps_the_zone_of_two_communes_of_one_zone() -> None:
    assert where("Schaerbeek, Evere") == (None, "5344")


def test_resolve_prefers_brussels_over_places_elsewhere() -> None:
    assert where("Avant à Anvers, maintenant à Uccle") == ("Uccle", "5342")


def test_resolve_outside_brussels_keeps_the_most_mentioned_city() -> None:
    p = resolve_place(places("Gent, Antwerpen, Antwerpen"))
    assert p is not None
    assert (p.commune, p.zone, p.in_brussels) == ("Antwerpen", None, False)
    assert len(p.spans) == 2


def test_resolve_of_nothing_is_none() -> None:
    assert resolve_place([]) is None


def test_resolve_combines_places_from_several_fields() -> None:
    found = find_places(normalise("Etterbeek"), "location") + find_places(
        normalise("Nouvelle près de Merode"), "text"
    )
    p = resolve_place(found)
    assert p is not None
    assert (p.commune, p.zone) == ("Etterbeek", "5343")
    assert {s.field for s in p.spans} == {"location", "text"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_never_raises_and_spans_quote_it(text: str) -> None:
    for field in ("text", "location"):
        found = find_places(normalise(text), field)
        for p in found:
            for s in p.spans:
                assert 0 <= s.start <= s.end <= len(text)
                assert text[s.start : s.end] == s.quote
        resolve_place(found)


FRAGMENTS = [
    "Ixelles",
    "à Forest",
    "1050",
    "B-1040",
    " ",
    ",",
    "(",
    ")",
    "Gare du Nord",
    "Anvers",
    "chaussée de ",
    "\u200b",
    "é",
    "St-",
    "Josse",
    "0470",
    "€",
    "1190 ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=20).map("".join))
def test_near_miss_texts_never_raise_and_spans_quote_them(text: str) -> None:
    found = find_places(normalise(text), "text")
    for p in found:
        assert p.zone in {None, "5339", "5340", "5341", "5342", "5343", "5344"}
        for s in p.spans:
            assert text[s.start : s.end] == s.quote
    resolve_place(found)


def test_the_location_field_outranks_the_communes_a_text_lists() -> None:
    found = find_places(normalise("Schaerbeek"), "location") + find_places(
        normalise("Je me déplace à Ixelles, Uccle et Schaerbeek, près de Meiser."), "text"
    )
    p = resolve_place(found)
    assert p is not None
    assert (p.commune, p.zone) == ("Schaerbeek", "5344")
    assert [(s.field, s.quote) for s in p.spans] == [
        ("location", "Schaerbeek"),
        ("text", "Schaerbeek"),
        ("text", "Meiser"),
    ]
    # without it, the text's communes disagree
    p = resolve_place(found[1:])
    assert p is not None
    assert p.zone is None


def test_a_location_field_without_a_zone_leaves_the_decision_to_all_mentions() -> None:
    found = find_places(normalise("Bruxelles"), "location") + find_places(
        normalise("Nouvelle à Forest"), "text"
    )
    assert where_all(found) == ("Forest", "5341")


def test_a_postcode_in_the_text_completes_the_location_field() -> None:
    found = find_places(normalise("Schaerbeek"), "location") + find_places(
        normalise("près de la Gare du Nord (1030)"), "text"
    )
    p = resolve_place(found)
    assert p is not None
    assert (p.commune, p.zone, p.postcode) == ("Schaerbeek", "5344", "1030")


def where_all(found: list[Place]) -> tuple[str | None, str | None]:
    p = resolve_place(found)
    assert p is not None
    return p.commune, p.zone


def test_a_location_field_outside_brussels_outranks_new_in_brussels() -> None:
    found = find_places(normalise("Liège"), "location") + find_places(
        normalise("Nouvelle à Bruxelles, de passage quelques jours."), "text"
    )
    p = resolve_place(found)
    assert p is not None
    assert (p.commune, p.zone, p.in_brussels) == ("Liège", None, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik ontvang aan het Van Meenenplein", ("Saint-Gilles", "5341")),
        ("Incall Place Van Meenen, studio privé", ("Saint-Gilles", "5341")),
        ("Ontvangst Wienerplein, ma-vr", ("Watermael-Boitsfort", "5342")),
        ("Adres: Daillyplein, bel aan", ("Schaerbeek", "5344")),
        ("Incall Rue de Flandre", ("Bruxelles", "5339")),
        ("Appartement Chaussée d'Ixelles", ("Ixelles", "5339")),
        ("Studio near Herrmann-Debroux", ("Auderghem", "5342")),
        ("près du métro Thieffry", ("Etterbeek", "5343")),
        ("near Dailly", ("Schaerbeek", "5344")),
    ],
)
def test_streets_squares_and_quarters_resolve_to_their_commune(
    text: str, expected: tuple[str, str]
) -> None:
    assert where(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ik ontvang in Sint-Stevens-Woluwe, gratis parking",
        "Rustig appartement in Sint-Gillis-Waas",
        "Privé in Sint-Pieters-Leeuw",
        "Studio in Sint-Agatha-Rode",
    ],
)
def test_a_look_alike_outside_the_region_is_never_a_brussels_commune(text: str) -> None:
    place = resolve_place(find_places(normalise(text), "text"))
    assert place is not None
    assert not place.in_brussels
    assert place.zone is None


def test_a_commune_named_outright_outranks_a_landmark_of_another_zone() -> None:
    assert where("à Saint-Gilles, Porte de Hal côté Saint-Gilles") == ("Saint-Gilles", "5341")
    assert where("Ixelles, près de la gare du Midi") == ("Ixelles", "5339")
    # two communes of different zones still conflict
    assert where("Ixelles ou Saint-Gilles") == (None, None)


def test_a_context_name_alone_as_a_sentence_is_a_place_but_not_the_word() -> None:
    assert where("Leur cousin répond au 0477 40 31 28. Jette.") == ("Jette", "5340")
    assert where("Outcall Jette. Appel uniquement") == ("Jette", "5340")
    assert resolve_place(places("Elle jette un oeil. Jette un oeil!", "text")) is None
    assert where("Club Diamant, 1000 Brussel") == ("Bruxelles", "5339")
    assert where("Alma, 24 ans, dans le 1200") == ("Woluwe-Saint-Lambert", "5343")


def test_a_postcode_alone_in_the_sentence_after_a_phone_number() -> None:
    text = "Appelle-moi au 0470 55 66 77. 1060"
    assert [p.commune for p in find_places(normalise(text), "text")] == ["Saint-Gilles"]
    assert find_places(normalise("0470 55 1060"), "text") == []
