"""Which country a text says a phone number is from: its *country cues*.

An ad names the country of a foreign number in words or with a flag: "numéro français",
"NL nummer", "Bulgarian number", "número español", "număr românesc", "magyar szám",
"🇷🇴 0722…", "06 71 38 24 90 (France)". `find_cues` lists every cue of a text with its offsets;
`near_cues` gives the ones that stand with a given number (right before it in the same phrase, or
right after it). Country words come from `data/country_cues.txt` (names and adjectives in
French, Dutch, English, Spanish, Italian, Romanian, German, Portuguese, Hungarian, Polish and
Bulgarian); flags are read from their regional-indicator letters; a two-letter country code in
capitals ("BE 0465…", "NL nummer") counts only right before a number or a number word.

How `phones` uses them (the country resolution order, see README "Phone regions"):
the number's own plan (+/00 and a country code) → a cue standing with the number → the site's
region → a cue anywhere else in the text → otherwise every country where the number is valid,
reported as ambiguous.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import phonenumbers

_FLAG = re.compile("([\U0001f1e6-\U0001f1ff])([\U0001f1e6-\U0001f1ff])")
_WORD = re.compile(r"[^\W\d_]+")
_CODE = re.compile(r"(?<![^\W\d_])([A-Z]{2})(?![^\W\d_])")
_NUMBER_WORDS = frozenset(
    ("number", "nummer", "numéro", "numero", "número", "număr", "numar", "nr", "num", "gsm")
    + ("tel", "tél", "phone", "mobile", "mobiel", "line", "szám", "numer", "номер", "telefon")
)
_ALIASES = {"UK": "GB", "EL": "GR"}
# How far a cue may stand before the number it qualifies ("Numéro français : 06…",
# "Romanian number 0739…", "Deutsche Nummer 0173…") and after it ("… 4577 (Hungarian)").
_BEFORE, _AFTER = 32, 14


@cache
def _lexicon() -> dict[str, str]:
    words: dict[str, str] = {}
    data = resources.files("pipeline.data").joinpath("country_cues.txt").read_text("utf-8")
    for line in data.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        region, _, forms = line.partition("\t")
        for form in forms.split():
            words[form.casefold()] = region.strip()
    return words


def _flag_region(a: str, b: str) -> str:
    return chr(ord(a) - 0x1F1E6 + 65) + chr(ord(b) - 0x1F1E6 + 65)


# start, end, region, firm: a flag, a capital code or a word next to a number word ("numéro
# français", "Bulgarian number") says which country the number is from; a bare adjective
# ("Romanian 0739…") may be the person's nationality only.
Cue = tuple[int, int, str, bool]


def find_cues(text: str, lo: int = 0, hi: int | None = None) -> tuple[Cue, ...]:
    """Every country cue of `text[lo:hi]`, in text order."""
    cues: list[Cue] = []
    lo, hi = max(0, lo), len(text) if hi is None else min(hi, len(text))
    if _FLAG.search(text, lo, hi) is not None:
        for m in _FLAG.finditer(text, lo, hi):
            region = _flag_region(m.group(1), m.group(2))
            if region in phonenumbers.SUPPORTED_REGIONS:
                cues.append((m.start(), m.end(), region, True))
    lex = _lexicon()
    words = list(_WORD.finditer(text, lo, hi))
    for k, m in enumerate(words):
        word = m.group()
        if len(word) < 2:
            continue
        named = lex.get(word.casefold())
        if named is not None:
            firm = any(
                0 <= x < len(words)
                and words[x].group().casefold() in _NUMBER_WORDS
                and abs(words[x].start() - m.start()) < 24
                for x in (k - 1, k + 1)
            )
            cues.append((m.start(), m.end(), named, firm))
        elif (
            len(word) == 2
            and word.isupper()
            and not text[max(0, m.start() - 3) : m.start()].rstrip()[-1:].isdigit()  # "12 SO 30"
            and (code := _code_cue(text, m.end(), word))
        ):
            cues.append((m.start(), m.end(), code, True))
    cues.sort()
    return tuple(cues)


def _code_cue(text: str, end: int, word: str) -> str | None:
    """A capital country code counts right before a digit ("BE 0465…") or a number word."""
    region = _ALIASES.get(word, word)
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return None
    rest = text[end : end + 12].lstrip(" :-")
    if rest[:1].isdigit() or rest[:1] in "+(":
        return region
    nxt = _WORD.match(rest)
    return region if nxt is not None and nxt.group().casefold() in _NUMBER_WORDS else None


_BREAK = re.compile(r"[.!?;\n]\s|\d")


_AFTER_GAP = re.compile(r"\s{0,2}[(\[]?\s{0,2}")


def near_cues(text: str, cues: tuple[Cue, ...], start: int, end: int) -> list[tuple[str, bool]]:
    """(region, firm) of the cues standing with the number at text[start:end]: the one right
    after it ("… (France)", firm in brackets), then the nearest one before it in the same
    phrase with no digit between."""
    out: list[tuple[str, bool]] = []
    for c_start, _, region, firm in cues:
        if end <= c_start <= end + _AFTER:
            gap = _AFTER_GAP.fullmatch(text, end, c_start)
            if gap is not None:
                out.append((region, firm or "(" in gap.group() or "[" in gap.group()))
            break
    for _, c_end, region, firm in reversed(cues):
        if c_end > start:
            continue
        if c_end < start - _BEFORE:
            break
        if _BREAK.search(text, c_end, start) is None:
            out.append((region, firm))
            break
    return out


def text_regions(cues: tuple[Cue, ...]) -> list[str]:
    """The regions the text names, in order of first appearance."""
    return list(dict.fromkeys(cue[2] for cue in cues))
