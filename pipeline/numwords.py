"""Numbers written as words — French (with the Belgian septante/nonante), Dutch, English and
Spanish.

"zéro quatre septante, douze, trente-quatre, cinquante-six" is a phone number. The values come from
`text2num` (`alpha2digit`), which knows the grammar of the three languages but gives no offsets
and merges whatever it can. So this module cuts the text into *phrases* itself — one number each,
by a small grammar over word classes — and hands each phrase to the library. What it adds:
offsets, the phrase cut (a comma always ends a number), unaccented "zero" in French, English
"oh", "plus" before a number (+) and "double"/"dubbel"/"triple" before a digit.

Input is the lowercased normalised text (same length as the text, so offsets are shared).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import alpha2digit


def _words(spaced: str) -> list[str]:
    return spaced.split()


# Word classes: Z zero, U 1–9, D "dix" (combines: dix-sept), T 10–19, V "vingt" (quatre-vingt),
# X other tens, H hundred, W/K "vingts"/"cents" (the plural ends a number), C connector
# (et/en/and), P plus, R double/triple, N a Dutch compound that is a whole number (vierendertig),
# Q a Dutch compound hundred (vierhonderd).
_FR_UNITS = _words("un une deux trois quatre cinq six sept huit neuf")
_FR: dict[str, str] = {
    "zéro": "Z", "zero": "Z", "dix": "D", "vingt": "V", "vingts": "W", "cent": "H", "cents": "K",
    "et": "C", "plus": "P", "double": "R", "triple": "R",
    **dict.fromkeys(_FR_UNITS, "U"),
    **dict.fromkeys(_words("onze douze treize quatorze quinze seize"), "T"),
    **dict.fromkeys(
        _words("trente quarante cinquante soixante septante huitante octante nonante"), "X"
    ),
}  # fmt: skip
_NL_UNITS = _words("een één twee drie vier vijf zes zeven acht negen")
_NL_TEENS = _words("tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien")
_NL_TENS = _words("twintig dertig veertig vijftig zestig zeventig tachtig negentig")
_NL: dict[str, str] = {
    "nul": "Z", "honderd": "H", "en": "C", "plus": "P", "dubbel": "R",
    **dict.fromkeys(_NL_UNITS, "U"),
    **dict.fromkeys(_NL_TEENS, "T"),
    **dict.fromkeys(_NL_TENS, "X"),
}  # fmt: skip
_EN: dict[str, str] = {
    "zero": "Z", "oh": "Z", "o": "Z", "nought": "Z", "hundred": "H", "and": "C", "plus": "P",
    "double": "R", "triple": "R",
    **dict.fromkeys(_words("one two three four five six seven eight nine"), "U"),
    **dict.fromkeys(
        _words("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"),
        "T",
    ),
    **dict.fromkeys(_words("twenty thirty forty fifty sixty seventy eighty ninety"), "X"),
}  # fmt: skip
_ES: dict[str, str] = {
    "cero": "Z", "cien": "H", "ciento": "H", "y": "C", "más": "P", "doble": "R",
    **dict.fromkeys(_words("uno una dos tres cuatro cinco seis siete ocho nueve"), "U"),
    **dict.fromkeys(
        _words(
            "diez once doce trece catorce quince dieciséis dieciseis diecisiete dieciocho "
            "diecinueve veinte"
        ),
        "T",
    ),
    **dict.fromkeys(
        _words(
            "veintiuno veintiún veintidós veintidos veintitrés veintitres veinticuatro "
            "veinticinco veintiséis veintiseis veintisiete veintiocho veintinueve"
        ),
        "N",
    ),
    **dict.fromkeys(_words("treinta cuarenta cincuenta sesenta setenta ochenta noventa"), "X"),
}  # fmt: skip
_NU = "|".join(_NL_UNITS)
_NL_BELOW100 = rf"(?:(?:{_NU})[eë]n(?:{'|'.join(_NL_TENS)})|{'|'.join(_NL_TENS + _NL_TEENS)}|{_NU})"
_NL_COMPOUND = re.compile(
    rf"(?P<q>(?:{_NU})honderd)|(?:(?:{_NU})?honderd{_NL_BELOW100}|(?:{_NU})[eë]n(?:{'|'.join(_NL_TENS)}))"
)
LANGS = ("fr", "nl", "en", "es")
_CONNECTORS = frozenset(("et", "en", "and", "y", "plus", "más", "double", "dubbel", "doble"))
_CONNECTORS |= {"triple"}
_LEXICON = {"fr": _FR, "nl": _NL, "en": _EN, "es": _ES}
_REPEAT = {"double": 2, "dubbel": 2, "doble": 2, "triple": 3}
_ALIAS = {"fr": {"zero": "zéro"}, "nl": {}, "en": {"oh": "zero", "o": "zero"}, "es": {}}

# One number, as a pattern over the class string of a phrase ("|" marks a comma or the like).
_FR_B100 = r"U?V(?:D[UT]?|C?[UT])?|U?W|X(?:D[UT]?|C?[UT])?|D[UT]?|T|U"
_NL_B100 = r"UCX|N|X|T|U"
_EN_B100 = r"XU?|T|U"
_ES_B100 = r"XCU|X|N|T|U"
_PHRASE = {
    "fr": re.compile(rf"Z|U?(?:H(?:{_FR_B100})?|K)|{_FR_B100}"),
    "nl": re.compile(rf"Z|(?:Q|U?H)(?:{_NL_B100})?|{_NL_B100}"),
    "en": re.compile(rf"Z|U?HC?(?:{_EN_B100})?|{_EN_B100}"),
    "es": re.compile(rf"Z|H(?:{_ES_B100})?|{_ES_B100}"),
}

_WORD = re.compile(r"[^\W\d_]+")
_PHRASE_GAP = re.compile(r" {1,2}|[-\u2010\u2011]")  # inside one number: spaces or a tight hyphen
_RUN_GAP = re.compile(r"[ ,.;:/\-\u2010\u2011\u2013\u2014]{1,4}")  # between numbers
# The gate: a number in words needs a zero word, or a number word after a digit group that starts
# with 0, or after "plus" / "+".
_ZERO_WORDS = ("zéro", "zero", "nul", "nought", "cero")
_WORD_AFTER = re.compile(r"[\s,.\-/]{0,3}([^\W\d_]{2,24})(?![^\W\d_])")
# English "oh four seven…": a literal start keeps the search fast; the word start is checked after.
_OH = re.compile(r"o[h ,-][ ,-]*(?:oh?|one|two|three|four|five|six|seven|eight|nine)\b")


@dataclass(frozen=True, slots=True)
class WordNumber:
    """A number read from words: its digits and the [start, end) it spans in the text."""

    digits: str
    start: int
    end: int
    plus: bool = False


def word_class(word: str, lang: str) -> str | None:
    """The class of `word` (lowercase) in `lang`, or None if it is no number word there."""
    cls = _LEXICON[lang].get(word)
    if cls is None and lang == "nl" and len(word) > 6:
        m = _NL_COMPOUND.fullmatch(word)
        if m is not None:
            cls = "Q" if m.group("q") else "N"
    return cls


_ALL_WORDS = frozenset(w for lex in _LEXICON.values() for w, c in lex.items() if c not in "CR")


def is_number_word(word: str) -> bool:
    """Whether `word` (lowercase) is a number word in one of the languages."""
    if word in _ALL_WORDS:
        return True
    return len(word) > 6 and _NL_COMPOUND.fullmatch(word) is not None


def _any_class(word: str) -> bool:
    return is_number_word(word) or word in _CONNECTORS


# A number word next to a digit, glued or a few separators away: "3five1", "4six2", "9one7",
# "04negen40een86drie1", "four 71 thirty-eight", "0478 35 47 twenty-five". Number words that
# are everyday words too count only glued to digits. Words before a digit are looked for in the
# reversed text, so both searches start on a digit and stay fast.
_EVERYDAY = frozenset(
    ("un", "une", "een", "one", "neuf", "sept", "cent", "elf", "nul", "o", "oh")
    + ("uno", "una", "dos", "tres", "seis", "once", "diez", "cien")
)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_STRICT = [w for w in _ALL_WORDS if w not in _EVERYDAY and len(w) > 1]
_LOOSE = [w for w in _EVERYDAY if w in _ALL_WORDS and len(w) > 1]  # "o": a look-alike
_NUMBER_WORD_AFTER = re.compile(
    rf"\d(?:[\W_]{{0,3}}(?:{_alternation(_STRICT)}|{_NL_COMPOUND.pattern})"
    rf"|(?:{_alternation(_LOOSE)}))(?![^\W\d_])"
)
_NUMBER_WORD_BEFORE = re.compile(  # on the reversed text
    rf"\d(?:[\W_]{{0,3}}(?:{_alternation(w[::-1] for w in _STRICT)})"
    rf"|(?:{_alternation(w[::-1] for w in _LOOSE)}))(?![^\W\d_])"
)


def _mixed(low: str) -> bool:
    if _NUMBER_WORD_AFTER.search(low) is not None:
        return True
    return _NUMBER_WORD_BEFORE.search(low[::-1]) is not None


def may_have_number_words(low: str, ends: Iterable[int] = ()) -> bool:
    """Cheap test: could `low` hold a number written (partly) in words?

    `ends`: offsets right after digit groups that could start a phone number (they begin with 0);
    a number word there ("04 septante…") opens the way too.
    """
    if any(w in low for w in _ZERO_WORDS):
        return True
    if any(m.start() == 0 or not low[m.start() - 1].isalpha() for m in _OH.finditer(low)):
        return True
    if _mixed(low):
        return True
    for marker in ("plus", "+"):
        i = low.find(marker)
        while i >= 0:
            m = _WORD_AFTER.match(low, i + len(marker))
            if m is not None and m.start(1) > i + len(marker) and is_number_word(m.group(1)):
                return True
            i = low.find(marker, i + len(marker))
    return False


@lru_cache(maxsize=4096)
def _convert(words: tuple[str, ...], lang: str) -> str | None:
    alias = _ALIAS[lang]
    out = alpha2digit(" ".join(alias.get(w, w) for w in words), lang, threshold=0)
    digits = out.replace(" ", "")
    return digits if digits.isdigit() and digits.isascii() else None


def _choose_lang(words: list[str]) -> str:
    counts = [sum(word_class(w, lang) is not None for w in words) for lang in LANGS]
    return LANGS[counts.index(max(counts))]


def _phrases(low: str, run: list[re.Match[str]]) -> list[WordNumber]:
    """Cut one run of number words into numbers."""
    words = [m.group() for m in run]
    lang = _choose_lang(words)
    classes: list[str] = []
    for k, w in enumerate(words):
        if k and _PHRASE_GAP.fullmatch(low, run[k - 1].end(), run[k].start()) is None:
            classes.append("|")
        classes.append(word_class(w, lang) or "#")
    cls = "".join(classes)
    # Position in `cls` → token index (the "|" marks take no token).
    tok_at = [k for k, c in enumerate(cls) if c != "|"]
    tok_index = {pos: i for i, pos in enumerate(tok_at)}
    out: list[WordNumber] = []
    pattern = _PHRASE[lang]
    plus_start: int | None = None
    repeat, repeat_start = 1, 0
    pos = 0
    while pos < len(cls):
        c = cls[pos]
        if c == "P":
            plus_start = run[tok_index[pos]].start()
            pos += 1
            continue
        if c == "R":
            repeat = _REPEAT.get(words[tok_index[pos]], 1)
            repeat_start = run[tok_index[pos]].start()
            pos += 1
            continue
        m = pattern.match(cls, pos)
        if m is None:
            if c != "|":
                plus_start, repeat = None, 1
            pos += 1
            continue
        first, last = tok_index[m.start()], tok_index[m.end() - 1]
        digits = _convert(tuple(words[first : last + 1]), lang)
        if digits is not None:
            start = run[first].start() if plus_start is None else plus_start
            if repeat > 1 and len(digits) == 1:
                digits *= repeat
                start = min(start, repeat_start)
            out.append(WordNumber(digits, start, run[last].end(), plus_start is not None))
        plus_start, repeat = None, 1
        pos = m.end()
    return out


def find_word_numbers(low: str) -> list[WordNumber]:
    """Every number written in words in `low`, in text order. Linear in len(low)."""
    out: list[WordNumber] = []
    run: list[re.Match[str]] = []
    for m in _WORD.finditer(low):
        number = _any_class(m.group())
        if number and (not run or _RUN_GAP.fullmatch(low, run[-1].end(), m.start()) is not None):
            run.append(m)
            continue
        if run:
            out.extend(_phrases(low, run))
        run = [m] if number else []
    if run:
        out.extend(_phrases(low, run))
    return out
