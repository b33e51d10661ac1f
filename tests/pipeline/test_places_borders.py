"""Places across communes or zones, bare postcodes standing alone, stations (issue #14, point 3)."""

from __future__ import annotations

import pytest

from pipeline.places import find_places, resolve_place
from pipeline.text import normalise
from pipeline.types import Place


def where(*fields: tuple[str, str]) -> tuple[str | None, str | None]:
    found: list[Place] = []
    for field, text in fields:
        found += find_places(normalise(text), field)
    p = resolve_place(found)
    return (p.commune, p.zone) if p is not None and p.in_brussels else (None, None)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Near Gare du Nord.", "5344"),
        ("Brussels North, discreet", "5344"),
        ("à deux pas de la Gare du Midi", "5341"),
        ("metro Simonis", "5340"),
    ],
)
def test_a_place_across_communes_of_one_zone_gives_the_zone_and_no_commune(
    text: str, zone: str
) -> None:
    assert where(("text", text)) == (None, zone)


@pytest.mark.parametrize("text", ["Près de Madou.", "Porte de Hal", "à la Bascule", "Hallepoort"])
def test_a_place_on_a_border_between_zones_is_not_guessed(text: str) -> None:
    p = resolve_place(find_places(normalise(text), "text"))
    assert p is not None
    assert p.in_brussels
    assert (p.commune, p.zone) == (None, None)


def test_a_commune_given_with_a_border_place_decides() -> None:
    assert where(("text", "Saint-Josse, près de Madou")) == ("Saint-Josse-ten-Noode", "5344")
    assert where(("text", "Porte de Hal, côté Saint-Gilles")) == ("Saint-Gilles", "5341")


@pytest.mark.parametrize(
    ("field", "text", "commune"),
    [
        ("text", "Speaks English and a little French. 1180. +32 498 16 83 50", "Uccle"),
        ("title", "Ontspannen avond, 1180", "Uccle"),
        ("text", "Discrète • 1060 • sur rendez-vous", "Saint-Gilles"),
    ],
)
def test_a_bare_postcode_standing_alone_is_a_place(field: str, text: str, commune: str) -> None:
    assert where((field, text))[0] == commune


@pytest.mark.parametrize(
    "text", ["0478 / 1180 / 23", "30min 100, 1h 150, nuit 1000.", "1000 bisous!", "Merci 1000."]
)
def test_a_bare_number_next_to_digits_or_words_is_not_a_postcode(text: str) -> None:
    assert find_places(normalise(text), "text") == []


def test_a_location_field_giving_a_zone_takes_the_commune_the_text_names_in_it() -> None:
    assert where(("location", "Woluwe"), ("text", "installée à Woluwe-Saint-Lambert")) == (
        "Woluwe-Saint-Lambert",
        "5343",
    )
    # two communes of the zone in the text: the zone only
    assert where(("location", "Woluwe"), ("text", "Stockel ou Roodebeek")) == (None, "5343")


@pytest.mark.parametrize(
    ("text", "commune", "zone"),
    [
        ("métro Houba-Brugmann", "Bruxelles", "5339"),
        ("près du Palais de Justice", "Bruxelles", "5339"),
        ("Justitiepaleis", "Bruxelles", "5339"),
        ("avenue Jean Volders", "Saint-Gilles", "5341"),
        ("métro Joséphine-Charlotte", "Woluwe-Saint-Lambert", "5343"),
        ("quartier Maritime", "Molenbeek-Saint-Jean", "5340"),
        ("Maritiemwijk", "Molenbeek-Saint-Jean", "5340"),
        ("avenue Rogier", "Schaerbeek", "5344"),
        ("Place Albert", None, "5341"),
        ("Solbosch", None, "5339"),
        ("métro Delacroix", "Anderlecht", "5341"),
        ("Auderghem Shopping", "Auderghem", "5342"),
        ("metro Louiza", None, "5339"),
        ("wijk Scheut", "Anderlecht", "5341"),
        ("Cité Moderne", "Berchem-Sainte-Agathe", "5340"),
    ],
)
def test_stations_squares_and_streets_of_the_second_pass(
    text: str, commune: str | None, zone: str
) -> None:
    assert where(("text", f"Nouvelle, {text}, discrète")) == (commune, zone)


@pytest.mark.parametrize("text", ["Nueva en Bruselas", "Nowa w Brukseli", "Új lány Brüsszel"])
def test_brussels_in_other_languages_is_the_region(text: str) -> None:
    p = resolve_place(find_places(normalise(text), "text"))
    assert p is not None
    assert (p.commune, p.zone, p.in_brussels) == (None, None, True)


@pytest.mark.parametrize(
    ("text", "commune", "zone"),
    [
        ("rue d'Anderlecht", "Bruxelles", "5339"),  # not Anderlecht
        ("rue de Mérode", None, "5341"),  # not Merode (Etterbeek)
        ("Place de Londres", "Ixelles", "5339"),  # not London
        ("avenue d'Auderghem", None, None),  # the City and Etterbeek, not Auderghem
    ],
)
def test_a_street_named_after_another_place_is_that_street(
    text: str, commune: str | None, zone: str | None
) -> None:
    p = resolve_place(find_places(normalise(f"Nouvelle, {text}, discrète"), "text"))
    assert p is not None
    assert (p.commune, p.zone, p.in_brussels) == (commune, zone, True)


@pytest.mark.parametrize(
    "text", ["Bruxelles centre.", "Brussel Centrum", "Brussels city centre", "Bruselas centro"]
)
def test_the_centre_of_brussels_alone_is_the_region(text: str) -> None:
    p = resolve_place(find_places(normalise(text), "text"))
    assert p is not None
    assert (p.commune, p.zone, p.in_brussels) == (None, None, True)


def test_the_centre_with_a_place_of_the_city_is_the_city() -> None:
    assert where(("text", "Bruxelles centre, à deux pas de la Bourse.")) == ("Bruxelles", "5339")
    assert where(("title", "Nouvelles filles chaque semaine - Bourse")) == ("Bruxelles", "5339")
    assert where(("text", "Hotel close to Louise")) == (None, "5339")


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Hotel in Diegem", "Machelen"),
        ("à Wezembeek", "Wezembeek-Oppem"),
        ("Groot-Bijgaarden", "Dilbeek"),
    ],
)
def test_the_periphery_is_outside_the_region(text: str, city: str) -> None:
    p = resolve_place(find_places(normalise(text), "text"))
    assert p is not None
    assert (p.commune, p.zone, p.in_brussels) == (city, None, False)
