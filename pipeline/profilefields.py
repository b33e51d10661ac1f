"""Profile blocks: the "Label: value" lines of an ad ("Âge : 24", "Imię: Kasia", "Kor: 30 év",
"Возраст: 22", "Zona: Ixelles"), in the languages of Brussels and of the workers seen there.

One table per language says which words label a name, an age or a place, and which words are an
age unit after a number ("24 ans", "30 év", "22 vjeç", "25 лет"). `pipeline.ages`,
`pipeline.aliases` and `pipeline.places` read these tables; nothing else here lists words.

`line_labels` finds every word (or two) that starts a line and is followed by a colon: whatever
its language, such a word is the label of a field, not a name ("Cena: 100 €", "Zona: Ixelles"),
unless a phone number follows ("Annelies: 0470…"). Its kind is "name", "age", "place" when the
tables know it, "" otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from pipeline.names import key

# language -> (name labels, age labels, place labels, age units after a number)
LANGUAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "fr": (
        ("nom", "prénom", "pseudo", "surnom", "nom d'artiste"),
        ("âge", "age"),
        ("lieu", "localisation", "adresse", "quartier", "zone", "commune", "secteur", "ville"),
        ("ans", "an", "années"),
    ),
    "nl": (
        ("naam", "voornaam", "roepnaam"),
        ("leeftijd",),
        ("locatie", "plaats", "adres", "wijk", "buurt", "gemeente", "regio"),
        ("jaar", "jr", "jarige"),
    ),
    "en": (
        ("name", "first name", "nickname", "working name"),
        ("age",),
        ("location", "area", "address", "based", "base", "based in", "place", "neighbourhood"),
        ("years", "year", "yrs", "yr", "yo", "y.o.", "y/o", "years old"),
    ),
    "de": (
        ("name", "vorname", "künstlername"),
        ("alter",),
        ("ort", "standort", "adresse", "lage", "bezirk"),
        ("jahre", "jährige", "jahren", "j."),
    ),
    "es": (
        ("nombre",),
        ("edad",),
        ("ubicación", "ubicacion", "zona", "dirección", "barrio", "lugar"),
        ("años", "añitos", "anos"),
    ),
    "pt": (
        ("nome",),
        ("idade",),
        ("localização", "localizacao", "local", "zona", "bairro", "endereço", "morada"),
        ("anos", "aninhos"),
    ),
    "it": (
        ("nome",),
        ("età", "eta"),
        ("zona", "luogo", "posizione", "indirizzo", "quartiere"),
        ("anni",),
    ),
    "ro": (
        ("nume", "prenume"),
        ("vârsta", "vârstă", "varsta", "vîrsta"),
        ("locație", "locatie", "locaţie", "zonă", "zona", "adresa", "adresă", "cartier"),
        ("ani", "de ani"),
    ),
    "pl": (
        ("imię", "imie", "pseudonim"),
        ("wiek",),
        ("lokalizacja", "miejsce", "adres", "dzielnica", "okolica"),
        ("lat", "lata", "latka"),
    ),
    "hu": (
        ("név", "becenév", "keresztnév"),
        ("kor", "életkor"),
        ("helyszín", "hely", "cím", "környék", "kerület"),
        ("év", "éves", "eves"),
    ),
    "cs": (("jméno",), ("věk",), ("místo", "lokalita", "adresa"), ("let", "roků")),
    "sk": (("meno",), ("vek",), ("miesto", "lokalita", "adresa"), ("rokov",)),
    "hr": (("ime",), ("dob", "godine", "starost"), ("lokacija", "mjesto"), ("godina",)),
    "sq": (
        ("emri", "emër"),
        ("mosha",),
        ("vendndodhja", "adresa", "lagjja", "zona"),
        ("vjeç", "vjec", "vjeçe", "vjece"),
    ),
    "bg": (
        ("име",),
        ("възраст",),
        ("място", "адрес", "район", "локация", "квартал"),
        ("години", "год.", "г."),
    ),
    "ru": (
        ("имя",),
        ("возраст",),
        ("место", "адрес", "район", "локация", "метро"),
        ("лет", "год", "года"),
    ),
    "uk": (
        ("ім'я", "імя"),
        ("вік",),
        ("місце", "адреса", "район", "локація"),
        ("років", "роки", "рік", "р."),
    ),
    "el": (("όνομα",), ("ηλικία",), ("περιοχή", "διεύθυνση"), ("ετών", "χρονών")),
    "tr": (("isim", "adı", "ad"), ("yaş", "yas"), ("konum", "adres", "semt"), ("yaşında",)),
    "lt": (("vardas",), ("amžius",), ("vieta",), ("metų",)),
    "lv": (("vārds",), ("vecums",), ("vieta",), ("gadi",)),
    "th": (("ชื่อ",), ("อายุ",), ("ที่อยู่",), ("ปี",)),
    "zh": (("名字", "姓名"), ("年龄", "年齡"), ("地址", "地区"), ("岁", "歲")),
    "vi": (("tên",), ("tuổi",), ("địa chỉ", "khu vực"), ("tuổi",)),
    "tl": (("pangalan",), ("edad",), ("lugar",), ("taong gulang",)),
}

# The words before a number of years that make it a limit or a duration, not an age ("más de 18
# años", "od 18 lat", "seit 5 Jahren"), for the languages whose words `pipeline.ages` does not
# already read (French, Dutch, English).
AGE_LIMITS_BEFORE: dict[str, tuple[str, ...]] = {
    "es": ("más de", "mas de", "mayor de", "mayores de", "desde", "hace", "menos de"),
    "pt": ("mais de", "maior de", "maiores de", "desde", "há", "menos de"),
    "it": ("più di", "piu di", "almeno", "da", "dai", "meno di", "maggiorenni da"),
    "ro": ("peste", "minim", "de la", "sub"),
    "pl": ("od", "powyżej", "ponad", "przez", "poniżej"),
    "de": ("ab", "über", "mindestens", "seit", "unter"),
    "hu": ("több mint", "legalább"),
    "sq": ("mbi", "nga", "nën"),
    "ru": ("от", "старше", "более", "больше"),
    "bg": ("от", "над", "под"),
    "uk": ("від", "старше", "понад"),
}

# Units of time and money after a number that make it no age ("24 horas", "2 ore", "1 óra",
# "30 lei"), for the languages whose words `pipeline.ages` does not already read.
NOT_AGE_AFTER: dict[str, tuple[str, ...]] = {
    "es": ("horas", "hora", "días", "dias", "noches", "minutos"),
    "pt": ("horas", "hora", "dias", "noites", "minutos", "reais"),
    "it": ("ore", "ora", "giorni", "notti", "minuti"),
    "ro": ("ore", "ora", "zile", "nopți", "nopti", "minute"),
    "pl": ("godz", "godzina", "godziny", "godzin", "dni", "minut", "zł"),
    "de": ("stunden", "stunde", "std", "tage", "nächte", "minuten"),
    "hu": ("óra", "órás", "ora", "nap", "perc", "ft"),
    "sq": ("orë", "ore", "ditë", "minuta"),
    "bg": ("часа", "час", "дни", "минути", "лв"),
    "ru": ("часов", "часа", "час", "дней", "суток", "минут", "руб"),
    "uk": ("годин", "днів", "хвилин", "грн"),  # (not "години": years in Bulgarian)
}

# The words after a number of years that make it a limit ("18 sau mai puțin", "20 o más").
AGE_LIMITS_AFTER: dict[str, tuple[str, ...]] = {
    "es": ("o menos", "o más", "o mas", "y más", "y mas", "para arriba", "en adelante"),
    "pt": ("ou menos", "ou mais", "e mais", "para cima"),
    "it": ("o meno", "o più", "o piu", "e più", "in su"),
    "ro": ("sau mai puțin", "sau mai putin", "sau mai mult", "sau mai mare", "și peste"),
    "pl": ("lub mniej", "lub więcej", "i więcej", "albo mniej", "i starsi", "wzwyż"),
    "de": ("oder jünger", "oder älter", "und älter", "oder weniger", "oder mehr", "und mehr"),
    "hu": ("vagy kevesebb", "vagy több", "felett", "alatt"),
    "ru": ("или меньше", "или младше", "и старше", "и больше"),
    "uk": ("або менше", "і старше", "або молодше"),
    "bg": ("или по-малко", "и нагоре"),
}

# "Barely", "only", "just" before an age ("їй лише 17", "abia 18", "apenas 19"), for the
# languages whose words `pipeline.ages` does not already read.
BARELY_BEFORE: dict[str, tuple[str, ...]] = {
    "es": ("apenas", "recién", "solo", "sólo"),
    "pt": ("apenas", "só"),
    "it": ("appena", "solo"),
    "ro": ("abia", "doar"),
    "pl": ("ledwo", "zaledwie", "tylko"),
    "hu": ("alig", "csak"),
    "de": ("gerade", "erst", "knapp", "nur"),
    "sq": ("vetëm", "sapo"),
    "bg": ("само", "едва"),
    "ru": ("только", "всего", "едва", "лишь"),
    "uk": ("лише", "тільки", "ледве", "всього"),
}

NAME, AGE, PLACE = "name", "age", "place"


def _key(label: str) -> str:
    """`label` in lower case, no accents, one space between words, plain apostrophes."""
    return " ".join(key(label).replace("’", "'").split())


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """Folded label -> kind; a label of two kinds ("zona" is a place, "edad" an age) keeps the
    first listed: name, then age, then place."""
    kinds: dict[str, str] = {}
    for names, ages, places, _ in LANGUAGES.values():
        for kind, labels in ((PLACE, places), (AGE, ages), (NAME, names)):
            for label in labels:
                kinds[_key(label)] = kind
    return kinds


def age_units() -> list[str]:
    """Every age unit of the tables, longest first (for a regex alternation)."""
    units = {u for *_, us in LANGUAGES.values() for u in us}
    return sorted(units, key=lambda u: (-len(u), u))


def place_labels() -> list[str]:
    """Every place label of the tables, longest first."""
    labels = {p for _, _, ps, _ in LANGUAGES.values() for p in ps}
    return sorted(labels, key=lambda u: (-len(u), u))


class Label(NamedTuple):
    start: int  # offsets of the label word(s)
    end: int
    kind: str  # NAME, AGE, PLACE or "" (a field the tables do not know)
    value: int  # offset of the value, after the colon and spaces


# A line start (or the text's), an optional bullet or emoji, one or two words (or two labels
# of two languages: "Age / Età"), a colon. The scan starts at the line break: one literal, fast.
_LABEL_WORDS = r"[^\W\d_](?:[^\W\d_]|['’][^\W\d_]){0,23}(?:[ \t][^\W\d_]{1,12})?"
_LINE_LABEL = re.compile(
    rf"\n[ \t]*(?:[^\w\s]{{1,3}}[ \t]*)?({_LABEL_WORDS}(?:[ \t]*/[ \t]*{_LABEL_WORDS})?)"
    r"[ \t]*[:：][ \t]*"
)
_PHONE_AFTER = re.compile(r"[+(]?\d[\d .\-/()]{5}")


@lru_cache(maxsize=16)  # asked for by ages and aliases, field after field
def line_labels(text: str) -> tuple[Label, ...]:
    """Every field label at the start of a line of `text` ("Wiek: 26" -> "Wiek", AGE)."""
    if ":" not in text and "：" not in text:
        return ()
    return tuple(_line_labels(text))


def _line_labels(text: str) -> Iterator[Label]:
    kinds = _kinds()
    for m in _LINE_LABEL.finditer("\n" + text):
        value = m.end() - 1
        if _PHONE_AFTER.match(text, value):
            continue  # "Annelies: 0470 12 34 56": a name before a phone number
        start, end = m.start(1) - 1, m.end(1) - 1
        parts = (kinds.get(_key(part), "") for part in text[start:end].split("/"))
        yield Label(start, end, next((kind for kind in parts if kind), ""), value)
