"""Profile blocks in the languages of Brussels and of the workers seen there."""

from __future__ import annotations

import pytest

from pipeline.ages import find_ages
from pipeline.aliases import find_aliases
from pipeline.places import find_places
from pipeline.profilefields import AGE, LANGUAGES, NAME, PLACE, age_units, line_labels
from pipeline.text import normalise


def ages(text: str) -> list[int]:
    return [a.value for a in find_ages(normalise(text), "text")]


def aliases(text: str) -> list[str]:
    return [a.name for a in find_aliases(normalise(text), "text")]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Wiek: 31", AGE),
        ("Edad: 31", AGE),
        ("Idade : 31", AGE),
        ("Vârsta: 31", AGE),
        ("Возраст: 31", AGE),
        ("Ηλικία: 31", AGE),
        ("• Mosha: 31", AGE),
        ("Imię: Ewa", NAME),
        ("Ім’я: Оля", NAME),
        ("Emri: Besa", NAME),
        ("Lokalizacja: Etterbeek", PLACE),
        ("Helyszín: Uccle", PLACE),
        ("Preise: 100 €", ""),
        ("Opening hours: late", ""),
    ],
)
def test_line_labels_know_the_kind_of_a_field(line: str, kind: str) -> None:
    text = f"Intro line\n{line}\nmore"
    (label,) = line_labels(text)
    assert label.kind == kind
    assert text[label.value :].startswith(line.split(":", 1)[1].strip())


def test_a_word_before_a_phone_number_is_no_label() -> None:
    assert list(line_labels("Ewa: 0470 11 22 33")) == []


def test_only_line_starts_are_labels() -> None:
    assert list(line_labels("And then she said: come")) == []
    assert list(line_labels("x\n  and then she said: come")) == []


def test_every_language_has_a_table_of_each_kind() -> None:
    for lang, tables in LANGUAGES.items():
        assert all(tables), lang
    assert age_units()[0] == max(age_units(), key=len)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Wiek: 31\nJęzyki: polski", 31),
        ("Kor: 27 év", 27),
        ("Edad: 33", 33),
        ("Възраст: 29", 29),
        ("Ηλικία: 35", 35),
        ("nice girl, 24 vjeç", 24),
        ("Мне 26 лет", 26),
        ("Тя е на 28 години", 28),
        ("Мені 25 років", 25),
        ("Ich bin 30 Jahre alt", 30),
        ("Am 22 de ani", 22),
        ("27 éves vagyok", 27),
    ],
)
def test_ages_in_the_workers_languages(text: str, value: int) -> None:
    assert ages(text) == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Wiek: 18+",
        "Edad: más de 18 años",
        "Alter: 18-40 Jahre",
        "klienci od 18 lat",
        "seit 5 Jahren in Brüssel",
        "Возраст клиентов от 20 лет",
    ],
)
def test_limits_and_durations_in_the_workers_languages_are_no_age(text: str) -> None:
    assert ages(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Nueva\nNombre: Rocío\nEdad: 25", "Rocío"),
        ("Imię: Ewa\nWiek: 23", "Ewa"),
        ("Név: Réka\nKor: 28", "Réka"),
        ("Имя: Лена\nВозраст: 25", "Лена"),
        ("Emri: Besa", "Besa"),
    ],
)
def test_name_fields_give_the_alias(text: str, name: str) -> None:
    assert name in aliases(text)


def test_field_labels_are_no_names() -> None:
    text = "Sofia\nZona: Etterbeek\nCena: 100 €\nOrario: 10-20\nNome: Sofia"
    assert aliases(text) == ["Sofia"]


def test_a_label_in_two_languages_has_the_kind_of_either() -> None:
    text = "Intro\nAge / Edad: 29\nName / Nombre: Lucía"
    assert [label.kind for label in line_labels(text)] == [AGE, NAME]
    assert ages(text) == [29]
    assert aliases(text) == ["Lucía"]


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("Lokalizacja: 1070", "Anderlecht"),
        ("Contact: 0470 12 34 56\nUbicación: 1180", "Uccle"),
        ("Pilar, vivo en Forest, solo español", "Forest"),
        ("Helyszín: 1030", "Schaerbeek"),
    ],
)
def test_place_labels_and_phrases_of_the_workers_languages(text: str, commune: str) -> None:
    assert commune in [p.commune for p in find_places(normalise(text), "text")]


@pytest.mark.parametrize(
    "text", ["Abierto 24 horas", "Disponibile 24 ore su 24", "Dostępna 24 godz.", "Nyitva 12 óra"]
)
def test_hours_in_the_workers_languages_are_no_age(text: str) -> None:
    assert ages(text) == []


def test_a_list_of_names_with_notes_in_parentheses() -> None:
    text = "This week: Greta (German), Ilona (Polish) and Marta (Czech). Open daily."
    assert aliases(text) == ["Greta", "Ilona", "Marta"]


def test_name_without_colon_reads_as_after_im() -> None:
    assert aliases("new lady come, name Anna and Mia, speak little") == ["Anna", "Mia"]
    assert aliases("the name says everything") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Olá, chamo-me Luana e sou nova aqui", "Luana"),
        ("Përshëndetje, unë quhem Drita", "Drita"),
        ("Szia, a nevem Boglárka", "Boglárka"),
        ("Ahoj, jmenuji se Lenka", "Lenka"),
        ("Bok, zovem se Ivana", "Ivana"),
    ],
)
def test_name_phrases_of_more_workers_languages(text: str, name: str) -> None:
    assert aliases(text) == [name]


def test_a_limit_word_before_a_number_is_no_name() -> None:
    text = "Nur Kunden ab 25 Jahre. Ich bin Heidi, 31"
    assert "Ab" not in aliases(text)
    assert ages(text) == [31]
    assert ages("Олена, 24 р., нова") == [24]


@pytest.mark.parametrize(
    ("text", "value"),
    [("Нова дівчина, їй лише 19", 19), ("fată nouă, abia 19 ani", 19), ("tiene apenas 19", 19)],
)
def test_barely_in_the_workers_languages(text: str, value: int) -> None:
    assert ages(text) == [value]


@pytest.mark.parametrize(
    "text", ["abia 18... sau mai puțin", "clientes de 30 o más", "Männer 40 Jahre oder älter"]
)
def test_limits_after_the_number_in_the_workers_languages(text: str) -> None:
    assert ages(text) == []


@pytest.mark.parametrize("text", ["solo 50 euro", "tylko 2 dni", "csak 30 perc", "nur 25 Minuten"])
def test_only_before_a_price_or_a_duration_is_no_age(text: str) -> None:
    assert ages(text) == []


def test_hungarian_name_before_vagyok() -> None:
    assert aliases("Szia! Réka vagyok, új vagyok Brüsszelben") == ["Réka"]
