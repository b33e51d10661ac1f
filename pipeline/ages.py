"""Ages an ad states: "22 ans", "19 jaar", "22yo", "age: 22", "dix-neuf ans", "negentien jaar",
"I'm nineteen", "just turned 18" — in French, Dutch and English.

Only a number tied to an age word counts, and not when the words around it make it a duration
("depuis 15 ans", "20 years of experience"), an age-limit notice ("+18", "plus de 18 ans",
"18 years and over") or a range of clients ("hommes de 25 à 60 ans"). Heights, prices, times,
phone fragments and postcodes carry no age word. Number words are read with `text_to_num`.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from text_to_num import text2num

from pipeline.gazetteer import trie_regex
from pipeline.names import MEDIUM, is_place, plausible
from pipeline.profilefields import (
    AGE,
    AGE_LIMITS_AFTER,
    AGE_LIMITS_BEFORE,
    BARELY_BEFORE,
    NOT_AGE_AFTER,
    age_units,
    line_labels,
)
from pipeline.text import NormText
from pipeline.types import Age, Span

logger = logging.getLogger(__name__)

MIN_AGE = 12
MAX_AGE = 79
MAX_CHARS = 50_000  # a field is read up to here: far beyond any ad, a bound for adversarial input

_FR_UNIT = r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf)"
_FR_TEEN = r"(?:onze|douze|treize|quatorze|quinze|seize)"
_FR_WORDS = (
    r"(?:(?:vingt|trente|quarante|cinquante|soixante|septante)"
    rf"(?:[\s-]+(?:et[\s-]+)?(?:{_FR_TEEN}|dix(?:[\s-]+(?:sept|huit|neuf))?|{_FR_UNIT}))?"
    rf"|dix[\s-]+(?:sept|huit|neuf)|{_FR_TEEN})"
)
_EN_WORDS = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy)(?:[\s-]+(?:one|two|three|four|five|six|"
    r"seven|eight|nine))?|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_NL_WORDS = (
    r"(?:(?:(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)[eë]n)?(?:twintig|dertig|veertig|"
    r"vijftig|zestig|zeventig)|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|"
    r"negentien)"
)
_NUM = rf"(?:(?<![\d.,:/])\d{{2}}(?!\d)|{_FR_WORDS}|{_EN_WORDS}|{_NL_WORDS})"
_ES_WORDS = (
    r"(?:(?:veinti(?:uno|dós|dos|trés|tres|cuatro|cinco|séis|seis|siete|ocho|nueve))"
    r"|(?:treinta|cuarenta|cincuenta|sesenta)(?:\s+y\s+(?:uno|dos|tres|cuatro|cinco|seis|siete"
    r"|ocho|nueve))?|veinte|dieciocho|diecinueve)"
)
# Age words of every language of `pipeline.profilefields` ("ans", "jaar", "years", "años",
# "de ani", "év", "vjeç", "лет", "години"…), as one alternation, longest first.
_UNITS = trie_regex(age_units(), space=r"\s")
_UNIT = (
    rf"(?:{_UNITS}|ann[ée]es|y\.\s?o\.?|a[ñn]os|a[ñn]itos|(?:de\s)?ani|j[äa]hrige|[ée]ves)"
    r"(?:[\s-]+(?:old|oud))?(?![^\W\d_])"
)
# Glued to the digits only: "31j", "41a" (French and Dutch short forms).
_SHORT_UNIT = re.compile(r"[ja](?![\w])")
# What may not follow a bare number in "I'm 19": a unit of something else, more digits, …
_NOT_AGE_WORDS = trie_regex({w for ws in NOT_AGE_AFTER.values() for w in ws})
_NOT_AN_AGE_AFTER = (
    r"(?![\d/:h€$£%+x]|[.,]\d|\s?(?:cm|kg|m\b|h\b|e\b|eur|euro|min|x\b|/|hrs?\b|hours?|heures?"
    r"|uur|jours?|days?|dagen|nights?|nuits?|dollars?|usd|lei|lbs?\b|ans?\s+d"
    rf"|(?:{_NOT_AGE_WORDS})(?![^\W\d_])))"
)

# Two digits followed by an age word; the scan for digits runs in C, no look-behind before it.
_TWO_DIGITS = re.compile(rf"\d\d(?=\s?[-‐]?\s?{_UNIT}|[ja](?!\w)|\s*(?:et|and|en|y|и|&)\s*\d\d)")
_UNIT_AFTER = re.compile(rf"\s?[-‐]?\s?{_UNIT}")
# Number words: found from their unit ("an" left out: the English article is everywhere).
# (only the age words of the languages whose numbers `_value` reads: a shorter scan)
_WORD_UNIT = re.compile(
    r"(?:ans|ann[ée]es|jaar|jr|jarige|years?|yrs?|yo|y\.\s?o\.?|y/o|a[ñn]os)"
    r"(?:[\s-]+(?:old|oud))?(?![a-zà-ÿ])"
)
_WORDS_BEFORE = re.compile(rf"(?<!\w)({_FR_WORDS}|{_EN_WORDS}|{_NL_WORDS})\s?[-‐]?\s?$")
_NUM_AFTER = re.compile(rf"({_NUM})(?:\s?[-‐]?\s?{_UNIT}|{_NOT_AN_AGE_AFTER})")
_NUM_AFTER_LABEL = re.compile(rf"({_NUM}){_NOT_AN_AGE_AFTER}(?:\s?{_UNIT})?")
_NUM_GEWORDEN = re.compile(rf"({_NUM})\s+(?:jaar\s+)?geworden")
# Words that announce an age, in one scan (each alternative starts with a literal); the named
# group that matched says how the number after it is read.
_TRIGGER = re.compile(
    r"(?P<label>(?:age|âge|leeftijd)\s*[:=\-]?\s*)"
    r"|(?P<before>(?:i(?:\s?'?\s?m|\s+am)|ik\s+ben|turned|vien[st]\s+d'\s?avoir)\s+)"
    r"|(?P<net>net\s+)"
)
# "barely 18", "just 18", "à peine 18", "tout juste 18", "pas 18" (Dutch): a scan of its own,
# with a literal start, cheaper than one more branch of the triggers above.
# (one trie: a single branch tried at each letter, not one per word)
_BARELY_WORDS = trie_regex(
    {"barely", "just", "peine", "juste", "pas", "piepjong"}
    | {w for ws in BARELY_BEFORE.values() for w in ws},
    space=r"\s",
)
_BARELY = re.compile(rf"(?:{_BARELY_WORDS})(?![^\W\d_])(?:\s+legal)?[\s\W]{{1,4}}")
_NUM_BARE = re.compile(rf"({_NUM}){_NOT_AN_AGE_AFTER}(?!\s?[-‐.]\s?\d|\s\d)")
_NUMBER_AFTER = {
    "label": _NUM_AFTER_LABEL,
    "before": _NUM_AFTER,
    "net": re.compile(rf"{_NUM_GEWORDEN.pattern}|{_NUM_BARE.pattern}"),
}

# The words right before the number that make it something other than the person's age.
_LIMITS = trie_regex({w for ws in AGE_LIMITS_BEFORE.values() for w in ws}, space=r"\s+")
_LIMIT_BEFORE = re.compile(rf"(?:{_LIMITS})\W*")
_LEFT_EXCLUDE = re.compile(
    rf"(?:(?<!\w)(?:{_LIMITS}|"
    r"depuis|pendant|durant|il\s+y\s+a|[çc]a\s+fait|plus\s+de|moins\s+de|au\s+moins|"
    r"minimum|over|under|since|for|sinds|al|gedurende|meer\s+dan|minder\s+dan|jonger\s+dan|"
    r"ouder\s+dan|older\s+than|younger\s+than|at\s+least|minstens|minimaal|tous\s+les|chaque|"
    r"every|elke|after|apr[èe]s|na|avant|before|voor|within|dans|binnen|in|aux|from|vanaf|"
    r"[àa]\s+partir\s+de|dès|until|jusqu'\s?[àa]|up\s+to|tot|entre|between|tussen|above|"
    r"boven|onder)"
    r"|[+<>≥≤]"
    # the second number of a range: "25 à 60 ans", "18-25 yo", "entre 25 ans et 60 ans" (but
    # "Nadia et Rina, 22 et 24 ans" lists two ages)
    r"|\d\s*(?:ans|jaar|years?)?\s*(?:[àa]|-|–|tot|to|/)"
    r"|(?:entre|between|tussen|van|from|de|ou|or|of)\s+\d+\s*(?:ans|jaar|years?)?\s*"
    r"(?:and|et|en|ou|or|of)"
    # the tail of a phone number or a list of figures
    r"|\d{2,}[ .\-/]\d{2,}[ .\-/]?"
    r")\s*$"
    r"|(?:^|\s)-$",  # "-18 ans" (under 18), but not "Lola - 22 ans"
)
_LEFT_WORDS = re.compile(
    r"(?<!\w)(?:minimum|min|over|under|at\s+least|minstens|minimaal|plus\s+de|moins\s+de)\s*$"
)
_LIST_AFTER = re.compile(rf"\s*(?:et|and|en|y|и|&)\s*\d\d\s?{_UNIT}")
_LIMITS_AFTER = trie_regex({w for ws in AGE_LIMITS_AFTER.values() for w in ws}, space=r"\s+")
_RIGHT_EXCLUDE = re.compile(
    rf"\s*(?:[.…,!]*\s*(?:{_LIMITS_AFTER})|"
    r"et\s+plus|ou\s+plus|en\s+ouder|of\s+ouder|en\s+meer|of\s+meer|and\s+over|and\s+up|"
    r"and\s+older|or\s+older|or\s+over|or\s+more|minimum|min\b|r[ée]volus|\+|d'\s?exp|"
    r"de\s+m[ée]tier|de\s+carri[èe]re|d'\s?activit|of\s+experience|experience|ervaring|"
    r"in\s+the\s+business|in\s+het\s+vak|ago|geleden|plus\s+tard|later|de\s+moins|de\s+plus|"
    r"ou\s+moins|or\s+younger|et\s+moins|en\s+jonger|of\s+jonger|maximum|max\b"
    # the first number of a range
    rf"|(?:[àa]|-|–|tot|to|and|et|en|ou|or|of)\s*{_NUM}\s?{_UNIT})",
)


@lru_cache(maxsize=1024)
def _value(words: str) -> int | None:
    """The integer a number (digits or fr/en/nl/es words) stands for, or None."""
    if words.isdigit():
        return int(words)
    phrase = re.sub(r"(twee|drie)en", r"\1ën", words)
    for lang in ("fr", "en", "nl", "es"):
        try:
            return int(text2num(phrase, lang))
        except ValueError:
            continue
    return None


def _lower(text: str) -> str:
    """`text` in lower case with plain apostrophes, offsets unchanged."""
    low = text.lower()
    if len(low) != len(text):  # a few letters ("İ") lower to two characters
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.replace("’", "'")


# "Name, 29", "Name (27)", "Name | 24 |", "Name – 25 –", "Name 21", "Name here, forty-one": a
# bare number right after a first name. Found from the number; the name is looked for before it.
_BARE = re.compile(
    # (not after another figure: "0470 12 34" is a phone number's digits)
    rf"(?P<d>\d\d)(?<![\w.,:/+#°€$£-]\d\d)(?<!\d[ \t]\d\d)(?<!\d[ \t][ \t]\d\d)(?!\d)"
    # a spelled-out number only right after a separator ("Charlotte, thirty-three"): the scan
    # starts at the separator, far rarer than a letter
    rf"|[,(|]\s*(?P<w>{_FR_WORDS}|{_EN_WORDS}|{_ES_WORDS})(?!\w)"
)
_BARE_AFTER = re.compile(rf"{_NOT_AN_AGE_AFTER}(?![-‐.]\d|\s?[-‐]\s?\d|\s\d|\s?[)]\s?\d)")
# The name before a number, read backwards from the number (one anchored match on the reversed
# text before it, not a search): separator, optional "here/hier/ici", the name.
_NAME_BEFORE_REVERSED = re.compile(
    r"(?:\s*[,.(|:•★–—-]\s*|\s*[^\w\s(),.]{1,3}\s*|[ \t]+)(?:(?:ereh|reih|ici)\s+)?"
    r"((?:[^\W\d_]{2,24}-)?[^\W\d_]{2,24})(?![\w'’])"
)
_CAPITALISED_BEFORE = re.compile(r"[^\W\d_]*[^\W\d_a-zà-ÿ][^\W\d_]*[ \t]+$")
_AND_NUMBER = re.compile(rf"\s*(?:and|et|en|y|и|&)\s*(\d\d)(?!\d){_NOT_AN_AGE_AFTER}")


@lru_cache(maxsize=16)
def name_age_pairs(text: str) -> tuple[tuple[int, int, int, int], ...]:
    """(name start, name end, number start, number end) of every "Name, 29" in `text`: a
    capitalised word that may be a first name (`pipeline.names`, medium cue), then a separator,
    then a bare number that no unit makes a price, time, size or phone digits."""
    low = _lower(text)
    pairs = []
    for m in _BARE.finditer(low):
        start, end = m.span(m.lastgroup or 0)
        j = start - 1
        while j >= 0 and low[j] in " \t":
            j -= 1
        if j < 0 or low[j].isdigit() or not _BARE_AFTER.match(low, end):
            continue  # the digits of a phone number or a list of figures, or a price, a time
        before = _NAME_BEFORE_REVERSED.match(low[max(0, start - 40) : start][::-1])
        if before is None:
            continue
        name_start, name_end = start - before.end(1), start - before.start(1)
        word = text[name_start:name_end]
        if not word[0].isupper() or is_place(word) or not plausible(word, MEDIUM):
            continue
        if _LIMIT_BEFORE.fullmatch(low, name_start, start):  # "Más de 25 años", "Mbi 25 vjeç"
            continue
        if not low[name_end:start].strip() and _CAPITALISED_BEFORE.search(
            text, max(0, name_start - 30), name_start
        ):
            continue  # "avenue Louis Bertrand 45": a name in a longer proper noun, a street
        pairs.append((name_start, name_end, start, end))
        more = _AND_NUMBER.match(low, end)  # "Paris & Lexi, 19 and 20"
        if more:
            pairs.append((name_start, name_end, more.start(1), more.end(1)))
    return tuple(pairs)


def _candidates(low: str, text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, number, kind) of every number tied to an age word or a name."""
    found = []
    for d in _TWO_DIGITS.finditer(low):
        if d.start() > 0 and (low[d.start() - 1].isalnum() or low[d.start() - 1] in ".,:/"):
            continue  # part of a longer figure, a decimal, a time, a ratio, "1m65"
        u = _UNIT_AFTER.match(low, d.end()) or _SHORT_UNIT.match(low, d.end())
        if u:
            found.append((d.start(), u.end(), d.group(), "unit"))
        elif m := _LIST_AFTER.match(low, d.end()):  # "22 et 24 ans": the first of two ages
            found.append((d.start(), d.end(), d.group(), "list"))
    for u in _WORD_UNIT.finditer(low):
        if u.start() > 1 and low[u.start() - 1] in " -‐" and low[u.start() - 2].isalpha():
            m = _WORDS_BEFORE.search(low, max(0, u.start() - 48), u.start())
            if m:
                found.append((m.start(1), u.end(), m.group(1), "unit"))
    for t in _TRIGGER.finditer(low):
        if t.start() > 0 and low[t.start() - 1].isalnum():
            continue
        kind = t.lastgroup or ""
        m = _NUMBER_AFTER[kind].match(low, t.end())
        if m:
            number = next(g for g in m.groups() if g)
            found.append((t.start(), m.end(), number, kind))
    for label in line_labels(text):  # "Wiek: 26", "Kor: 30 év", "Возраст: 22"
        if label.kind == AGE and (m := _NUM_AFTER_LABEL.match(low, label.value)):
            found.append((label.start, m.end(), m.group(1), "label"))
    for t in _BARELY.finditer(low):
        if t.start() > 0 and low[t.start() - 1].isalnum():
            continue
        m = _NUM_BARE.match(low, t.end())
        if m:
            found.append((t.start(), m.end(), m.group(1), "barely"))
    for _, _, start, end in name_age_pairs(text):
        found.append((start, end, low[start:end], "name"))
    return found


def find_ages(doc: NormText, field: str) -> list[Age]:
    """The ages `doc` gives, one Age per value (MIN_AGE–MAX_AGE), spans in text order."""
    text = doc.text
    if len(text) > MAX_CHARS:
        logger.warning("age search reads the first %d of %d characters", MAX_CHARS, len(text))
        text = text[:MAX_CHARS]
    low = _lower(text)
    kept: list[tuple[int, int, int]] = []
    covered = bytearray(len(low))  # 1 where a kept age was read: overlaps in O(length)
    # Longest first, so "âge : 22 ans" wins over the "22 ans" inside it.
    for start, end, number, kind in sorted(_candidates(low, text), key=lambda c: c[0] - c[1]):
        if covered.find(1, start, end) >= 0:
            continue
        # A label ("… 0406 Age: 24") states the age whatever figures come before it.
        left = _LEFT_WORDS if kind == "label" else _LEFT_EXCLUDE
        if kind != "name" and left.search(low, max(0, start - 30), start):
            continue  # (after a name, "Lola, 22": nothing but the name and a separator)
        if kind != "list" and _RIGHT_EXCLUDE.match(low, end, end + 40):
            continue
        value = _value(number)
        if value is not None and MIN_AGE <= value <= MAX_AGE:
            kept.append((start, end, value))
            covered[start:end] = b"\x01" * (end - start)
    found: dict[int, list[Span]] = {}
    for start, end, value in sorted(kept):
        found.setdefault(value, []).append(doc.span(field, start, end))
    return [Age(value, tuple(spans)) for value, spans in found.items()]
