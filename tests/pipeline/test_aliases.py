from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.aliases import find_aliases
from pipeline.text import normalise


def names(text: str, field: str = "text", lang: str | None = None) -> list[str]:
    return [a.name for a in find_aliases(normalise(text), field, lang=lang)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French
        ("Bonjour, je m'appelle Lola, nouvelle à Ixelles.", ["Lola"]),
        ("Je m’appelle Anne-Sophie", ["Anne-Sophie"]),
        ("je m appelle zoé", ["Zoé"]),
        ("Moi c'est Lola", ["Lola"]),
        ("moi, c'est lola", ["Lola"]),
        ("Mon prénom est Inès", ["Inès"]),
        ("Prénom : Eva", ["Eva"]),
        ("Appelez-moi Zoé", ["Zoé"]),
        ("Je suis Amira, douce et souriante", ["Amira"]),
        ("Je suis la belle Lola", ["Lola"]),
        ("C'est Lola.", ["Lola"]),
        ("JE SUIS LOLA, NOUVELLE A BRUXELLES", ["Lola"]),
        ("Nous sommes Lola et Mia, deux amies", ["Lola", "Mia"]),
        # Dutch
        ("Hallo, ik ben Sanne.", ["Sanne"]),
        ("Ik heet Fleur en ik ben nieuw", ["Fleur"]),
        ("Mijn naam is Noor", ["Noor"]),
        ("mijn naam is noor", ["Noor"]),
        ("Naam: Lieke", ["Lieke"]),
        ("Wij zijn Sanne en Eva", ["Sanne", "Eva"]),
        ("Hoi! Fleur en Noor hier.", ["Fleur", "Noor"]),
        ("Lola et Mia vous accueillent à Ixelles.", ["Lola", "Mia"]),
        ("Hello! Amber & Jade welcome you in Uccle.", ["Amber", "Jade"]),
        # English
        ("Hi, I'm Jessica", ["Jessica"]),
        ("I am NIKITA", ["Nikita"]),
        ("Call me Bella!", ["Bella"]),
        ("my name is kim", ["Kim"]),
        ("My name's Roxy", ["Roxy"]),
        ("Name:Kira", ["Kira"]),
        ("We are Lola & Mia", ["Lola", "Mia"]),
        ("It's Kim", ["Kim"]),
        # the name before an age
        ("Lola, 22 ans, Schaerbeek", ["Lola"]),
        ("Sanne 19 jaar", ["Sanne"]),
        ("Kim (21yo)", ["Kim"]),
        # the name before "here", "hier", "à votre écoute"
        ("Lola here.", ["Lola"]),
        ("Hoi! Sanne hier, 22 jaar.", ["Sanne"]),
        ("Paola, à votre écoute.", ["Paola"]),
        ("je suis arrivée hier", []),
        ("Kom hier!", []),
        # other ways to name
        ("Voici Chloé.", ["Chloé"]),
        ("On m'appelle aussi Mia.", ["Mia"]),
        ("Ook bekend als Fleur.", ["Fleur"]),
        ("Also known as Roxy.", ["Roxy"]),
        # several triggers, one name
        ("Je m'appelle Lola. Moi c'est Lola, à très vite", ["Lola"]),
    ],
)
def test_the_names_an_ad_gives_are_read(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("❤️ NIKITA ❤️ new in Brussels", ["Nikita"]),
        ("Sexy Lola nouvelle à Ixelles", ["Lola"]),
        ("NEW GIRL JESSICA 100% REAL PHOTOS", ["Jessica"]),
        ("Jessica", ["Jessica"]),
        ("Anna-Maria 19yo", ["Anna-Maria"]),
        ("💋 Lola & Mia 💋 duo", ["Lola", "Mia"]),
        ("Belle Brune Disponible Gare du Nord", []),
        ("Nouvelle Masseuse Professionnelle Près De Louise", []),
        ("Nouvelle à Bruxelles - Top Service", []),
        ("HOT NEW SEXY", []),
        ("Massage Relaxant Pour Homme Stressé", []),
        ("Vendredi et Samedi seulement", []),
        ("Sexy Brésilienne à Schaerbeek", []),
        ("Duo Lola & Mia", ["Lola", "Mia"]),
        ("Gorgeous Latina VALENTINA - Avenue Louise", ["Valentina"]),
        ("Miss Kim Available Now", ["Kim"]),
        ("Sexy Lola Nouvelle À Ixelles", ["Lola"]),
        ("Brand New Girl In Town", []),
        ("Beautiful Asian Massage Therapist", []),
        ("Vanessa — massage relaxant, Jette", ["Vanessa"]),
        ("Gezellig gezelschap in Koekelberg", []),
        ("Charmante Alicia, rendez-vous discrets", ["Alicia"]),
    ],
)
def test_names_set_apart_in_a_title_are_read(title: str, expected: list[str]) -> None:
    assert names(title, "title") == expected


def test_title_rules_apply_to_titles_only() -> None:
    assert names("Lola", "text") == []


@pytest.mark.parametrize(
    "text",
    [
        "Je suis Nouvelle",
        "Je suis Sexy et Hot",
        "I'm New in Brussels",
        "I'm Top",
        "Je suis Belle et Jeune",
        "je suis à Bruxelles",
        "I am in Brussels",
        "Je suis disponible lundi",
        "Je suis Lundi et Mardi",
        "I am available on Monday",
        "I'm Monday",
        "Je suis Belge et Brésilienne",
        "I'm Brazilian",
        "Ik ben Nederlandse",
        "je m'appelle Ixelles",
        "je suis Schaerbeek",
        "my name is Brussels",
        "Je suis en Janvier",
        "call me now",
        "Call me Now",
        "c'est parti",
        "le nom de la rue",
        "Nouvelle, 22 ans",
        "It's Friday",
        "ik ben Nieuw",
    ],
)
def test_common_words_days_nationalities_and_places_are_never_aliases(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Je suis à Woluwe-Saint-Pierre cette semaine.",
        "Je suis au Sablon, ik ben in Sint-Agatha-Berchem, I'm in Saint-Gilles.",
        "Enkel hier tot maart. Alleen hier vandaag. Only here today. Nog hier.",
        "Today I am Berchem-Sainte-Agathe's newest",
    ],
)
def test_a_place_after_a_trigger_or_an_adverb_before_here_is_no_alias(text: str) -> None:
    assert names(text) == []


def test_a_weak_trigger_takes_only_a_capitalised_name() -> None:
    assert names("je suis lola") == []
    assert names("je m'appelle lola") == ["Lola"]


def test_names_are_title_cased_and_merged_with_every_mention() -> None:
    found = find_aliases(normalise("Je m'appelle LOLA. Moi c'est lola."), "text")
    assert [(a.name, [s.quote for s in a.spans]) for a in found] == [("Lola", ["LOLA", "lola"])]


def test_the_language_hint_does_not_hide_other_languages() -> None:
    text = "Hello, I'm Jessica. Ik ben Sanne."
    assert names(text, lang="fr") == names(text, lang="en") == names(text) == ["Jessica", "Sanne"]


def test_spans_quote_the_original_text() -> None:
    original = "Je m'appelle Ｌｏｌａ\u200b et moi c'est Mi\u00ada"
    found = find_aliases(normalise(original), "title")
    assert [a.name for a in found] == ["Lola", "Mia"]
    for a in found:
        for s in a.spans:
            assert s.field == "title"
            assert original[s.start : s.end] == s.quote
    assert found[1].spans[0].quote == "Mi\u00ada"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["title", "text"]))
def test_any_text_never_raises_and_spans_quote_it(text: str, field: str) -> None:
    for alias in find_aliases(normalise(text), field):
        assert alias.name
        for s in alias.spans:
            assert 0 <= s.start <= s.end <= len(text)
            assert text[s.start : s.end] == s.quote


FRAGMENTS = [
    "je m'appelle ",
    "moi c'est ",
    "I'm ",
    "ik ben ",
    "Lola",
    "LOLA",
    " et ",
    " & ",
    "22 ans",
    ", ",
    "-",
    "Anne",
    "❤️",
    "Prénom:",
    "\u200b",
    "Ｌ",
    "Nouvelle",
    "é",
    " ",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=20).map("".join),
    st.sampled_from(["title", "text"]),
)
def test_near_miss_texts_never_raise_and_spans_quote_them(text: str, field: str) -> None:
    for alias in find_aliases(normalise(text), field):
        assert alias.name == alias.name.strip()
        for s in alias.spans:
            assert text[s.start : s.end] == s.quote


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Name, 29", "Name (27)" and several names in one ad
        ("Ines, 31, bilingual companion, Etterbeek", ["Ines"]),
        ("Lena (24), Mia (22) and Sara (26) welcome you", ["Lena", "Mia", "Sara"]),
        ("Samira | 24 | tunisienne", ["Samira"]),
        ("▸ Bee – 22 – only Thai\n▸ Pim – 25 – little English", ["Bee", "Pim"]),
        ("Boryana, 29. 24/7 available", ["Boryana"]),
        # "my name(s) (is) X", "her name is X", "ask for X", names without the apostrophe
        ("my names is Luna, 29", ["Luna"]),
        ("hello my name Ashley", ["Ashley"]),
        ("Her name is Valentina.", ["Valentina"]),
        ("Ask for TIFFANY", ["Tiffany"]),
        ("hiii im Kaylee, new", ["Kaylee"]),
        ("hey its Emmy!!", ["Emmy"]),
        # the workers' languages
        ("Oi amor! Sou Juliana, brasileira", ["Juliana"]),
        ("Sunt Larisa, locuiesc în Bruxelles", ["Larisa"]),
        ("Hola, me llamo Nerea", ["Nerea"]),
        # lists of names, even with no trigger
        (
            "Au Salon : Ramona, Alina, Georgiana, Denisa, Florina et Roberta.",
            ["Ramona", "Alina", "Georgiana", "Denisa", "Florina", "Roberta"],
        ),
        ("Brittany & Kayla, roommates", ["Brittany", "Kayla"]),
        # a name right before a phone number
        ("chacune son numéro : Emma 0477 92 03 15, Julia 0478 15 62 40", ["Emma", "Julia"]),
        ("Annelies: 32487672248", ["Annelies"]),
        ("Ask around, Kelly (555) 201-3344", ["Kelly"]),
        # a name alone after an emoji or at the start of a line
        ("Fresh young girl 🌸 Tori, brand new to this.", ["Tori"]),
        ("Kim 🌷 very young Asian girl", ["Kim"]),
    ],
)
def test_names_given_by_their_place_in_the_text_are_read(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "field"),
    [
        # ordinary words of an ad: common French, Dutch or English words, and no first names
        ("Mature & classy 💎 Galleria", "title"),
        ("Fresh young girl 🌸 new", "title"),
        ("Serious replies only", "title"),
        ("Busy? let me help you relax", "title"),
        ("Bilingual companion, business dinners", "text"),
        ("Quiet, looking for reviews", "text"),
        ("CLUB 35 ANS", "title"),
        ("FR / NL / EN", "title"),
        ("Âge : 24 ans", "text"),
        ("Independent 💯 Portland", "title"),
        ("Korean ladies - new every week", "title"),
        # foreign words, common in their own language
        ("BRASILEIRA 🇧🇷 EM BRUXELAS", "title"),
        ("Fată foarte tânără 🎀", "title"),
        # agency and house names
        ("Golden Lotus Agency Brussels - New Thai ladies", "text"),
        ("Privéhuis De Linde stelt voor", "text"),
        # not a name before a phone: the phone's own label
        ("Tel 0476 90 52 13", "text"),
        ("Handy +49 178 59447907", "text"),
        ("Zap: +55 81 99834 2210", "text"),
    ],
)
def test_ad_words_agencies_and_labels_are_never_aliases(text: str, field: str) -> None:
    assert names(text, field) == []


def test_the_names_before_their_ages_are_taken_not_the_words_between() -> None:
    assert names("Jovencita rumana, Bianca, 18 recién cumplidos") == ["Bianca"]
    assert names("Nikita, 28, petite (1m52), elegant") == ["Nikita"]
    assert names("soy Rosa, cubana, 35 años") == ["Rosa"]
