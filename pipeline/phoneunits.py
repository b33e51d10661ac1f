"""Phone-number candidates in a text: *units* and what rules them out.

A unit is a digit group ("0470"), look-alike letters read as digits in digit context ("O47O",
see `lookalike`) or a number in words ("septante", see `numwords`), with its offsets. A unit that
is plainly something else is *blocked*, which breaks a number apart: a price ("150 €", "€150"),
an hour ("22h"), a size or weight ("165 cm", "1m65", "55 kg"), an age ("22 ans", "19yo"), a date
("12/03/2025"), an IBAN, part of a web address, or digits glued to a short word ("x2"; but
"tel0470…" is fine, and so is a long word a page glued on: "0470 12 34 56WhatsApp").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from pipeline.lookalike import LOOKALIKES, SEPARATORS, overlay
from pipeline.numwords import find_word_numbers, is_number_word, may_have_number_words

_S = re.escape(SEPARATORS)
_L = re.escape("".join(LOOKALIKES))
_DIGITS = re.compile(r"\d+")
_LOOK_GATE = re.compile(  # a look-alike glued to a digit, or a short one a separator away
    rf"\d[{_L}]|[{_L}]\d"
    rf"|\d[{_S}]{{1,3}}[{_L}]{{1,4}}(?![^\W_])"
    rf"|(?<![^\W_])[{_L}]{{1,4}}[{_S}]{{1,3}}\d"
)
_LOOK_CHARS = frozenset(LOOKALIKES)
_WORD = re.compile(r"[^\W\d_]+")
_UNIT_WORDS = frozenset(
    ("eur", "euro", "euros", "cm", "mm", "kg", "kilo", "kilos", "an", "ans", "jaar", "jaren")
    + ("yo", "year", "years", "yr", "yrs", "h", "hr", "hrs", "heure", "heures", "uur", "min")
    + ("mins", "minute", "minutes", "minuten", "nuit", "nuits", "nacht", "nachten", "night")
    + ("nights", "jour", "jours", "dag", "dagen", "day", "days", "x", "m", "chf", "lei", "ron")
    + ("sec", "pers", "p", "fois", "keer", "times")
)
_SYMBOLS_AFTER = frozenset("€$£%°")
_UNIT_STARTS = _SYMBOLS_AFTER | {" "}
_DATE = re.compile(
    r"(?:0?[1-9]|[12]\d|3[01])([./-])(?:0?[1-9]|1[0-2])\1(?:(?:19|20)\d\d(?!\d)|\d\d(?![./\-]?\d))"
    r"|(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)"
)
_IBAN = re.compile(r"[A-Z]{2} ?\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?!\w)")
_LINK_BEFORE = re.compile(r"(?:wa\.me/|[?&]phone=)$", re.IGNORECASE)
_PHONE_WORDS = frozenset(
    ("tel", "tél", "tl", "gsm", "nr", "num", "no", "wa", "whatsapp", "phone", "mob", "mobile")
    + ("call", "bel", "sms", "telegram", "signal")
)


@dataclass(slots=True)
class Unit:
    digits: str
    start: int
    end: int
    obfuscated: bool = False
    plus: bool = False
    blocked: bool = False  # plainly not part of a phone number: breaks runs
    spoken: bool = False  # read from number words: its length says nothing of the grouping


def lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def word_before(text: str, pos: int, skip: int) -> tuple[str, str]:
    """The word ending before `pos` once up to `skip` non-word characters are passed, and those."""
    i, low = pos, max(0, pos - skip)
    while i > low and not text[i - 1].isalnum():
        i -= 1
    j, low = i, max(0, i - 24)
    while j > low and text[j - 1].isalpha():
        j -= 1
    return text[j:i].lower(), text[i:pos]


def _after_is_unit(text: str, e: int) -> bool:
    """Is the digit group ending at `e` followed by a unit ("150 €", "165 cm", "22 ans")?"""
    c = text[e : e + 1]
    if c == " ":
        e += 1
        c = text[e : e + 1]
    if not c or c.isdigit():
        return False
    if c in _SYMBOLS_AFTER:
        return True
    m = _WORD.match(text, e) if c.isalpha() else None
    return m is not None and m.group().lower() in _UNIT_WORDS


def _blocked(text: str, s: int, e: int) -> int:
    """0 if the digit group text[s:e] may belong to a phone number; else the offset up to which
    digits are ruled out (past an IBAN or a date), at least `e`."""
    before = text[s - 1] if s else " "
    after = text[e] if e < len(text) else " "
    if (iban := _iban_at(text, s)) is not None:
        return iban
    long = e - s >= 8  # a whole number glued by the page: "belme0474960517of"
    if before.isalpha():
        word = word_before(text, s, 0)[0]
        if word in _UNIT_WORDS or (
            len(word) <= 3 and not long and word not in _PHONE_WORDS and not is_number_word(word)
        ):
            return e  # glued to a short word: "x2", "n0470"; "Appelle0470…" is a page's glue
    if after.isalpha():
        glued = _WORD.match(text, e)
        word = "" if glued is None else glued.group().lower()
        if word in _UNIT_WORDS or (len(word) <= 3 and not long and not is_number_word(word)):
            return e  # "10h", "165cm", "22ans", "2ème", "12A"; but "9one7", "4six2"
    elif after in _UNIT_STARTS and _after_is_unit(text, e):
        return e
    if before in "€$£" or (before == " " and s >= 2 and text[s - 2] in "€$£"):
        return e
    if before in "/=?&#:" and _in_url(text, s):
        return e
    if after in "./-" and not (s >= 2 and text[s - 2].isdigit() and before in "./-"):
        date = _DATE.match(text, s)
        if date is not None:
            return date.end()
    return 0


def _iban_at(text: str, s: int) -> int | None:
    """The end of an IBAN whose check digits start at `s` ("BE68 5390…", "BE 68 5390…")."""
    k = s - 2 if text[s - 1 : s] != " " else s - 3
    if k < 0 or not text[k : k + 2].isupper() or (k and text[k - 1].isalnum()):
        return None
    iban = _IBAN.match(text, k)
    if iban is None or sum(c.isalnum() for c in iban.group()) < 15:  # the shortest IBAN: Norway
        return None
    return iban.end()


def _in_url(text: str, s: int) -> bool:
    """Is text[s] inside a web address (and not a wa.me/… or ?phone= link)?"""
    low = max(0, s - 300)
    k = text.rfind(" ", low, s)
    chunk = text[k + 1 if k >= 0 else low : s]
    if "://" not in chunk and not chunk.startswith("www."):
        return False
    return _LINK_BEFORE.search(text, max(0, s - 32), s) is None


def _digit_units(text: str, replaced: list[int]) -> list[Unit]:
    """Digit groups of `text`, not yet settled (see `settle`)."""
    if not replaced:
        return [Unit(m.group(), m.start(), m.end()) for m in _DIGITS.finditer(text)]
    return [
        Unit(m.group(), m.start(), m.end(), _touches(replaced, m.start(), m.end()))
        for m in _DIGITS.finditer(text)
    ]


def settle(text: str, units: list[Unit]) -> None:
    """Mark the digit units of one run (in order) blocked, international (+, wa.me/…) or not.

    Done only for runs that may hold a number: most digit groups of an ad never need it.
    """
    blocked_until = -1
    for unit in units:
        if unit.spoken:
            continue
        s, e = unit.start, unit.end
        until = blocked_until if s < blocked_until else _blocked(text, s, e)
        if until:
            blocked_until = max(blocked_until, until)
            unit.blocked = True
            continue
        before = text[s - 1 : s]
        if before == "+" or (before == " " and text[s - 2 : s - 1] == "+"):
            unit.plus = True
        elif before in ("/", "=") and _LINK_BEFORE.search(text, max(0, s - 32), s):
            # wa.me/…, ?phone=…: WhatsApp's own click-to-chat link, a standard way to give a
            # number, not a disguise (no more than tel:+32…): international, not obfuscated.
            unit.plus = True


def _touches(replaced: list[int], start: int, end: int) -> bool:
    k = bisect_left(replaced, start)
    return k < len(replaced) and replaced[k] < end


def _word_units(text: str, low: str) -> list[Unit]:
    return [
        Unit(w.digits, w.start, w.end, True, w.plus, _after_is_unit(text, w.end), spoken=True)
        for w in find_word_numbers(low)
    ]


def _digit_reading(text: str) -> tuple[str, list[Unit]]:
    """The text with look-alikes read (when any stand in digit context) and its digit units."""
    units = _digit_units(text, [])
    n = len(text)
    if any(
        not _LOOK_CHARS.isdisjoint(text[max(0, u.start - 5) : u.end + 6])
        and _LOOK_GATE.search(text, max(0, u.start - 5), min(n, u.end + 6))
        for u in units
    ):
        look, replaced = overlay(text)
        if replaced:
            return look, _digit_units(look, replaced)
    return text, units


def read_units(text: str) -> tuple[str, list[Unit]]:
    """The text as read for digits (same length, look-alikes in digit context replaced) and all
    its units — digits, look-alikes, number words — in text order."""
    look, units = _digit_reading(text)
    low = lower(look)  # look-alikes already read as digits are no words ("o" is English zero)
    if may_have_number_words(low, (u.end for u in units if u.digits[0] == "0")):
        words = _word_units(look, low)
        if words:
            units = sorted([*units, *words], key=lambda u: u.start)
    return look, units
