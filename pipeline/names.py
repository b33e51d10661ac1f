"""What kept libraries know about a word: is it a first name, is it a common word?

- First names: `data/first_names.txt`, the `first_names*` lists of every locale of Faker's person
  providers (MIT licence, notice in the file; `data/make_first_names.py` writes it again from a
  newer Faker): about 30,000 names from ~90 locales (Romanian, Bulgarian, Hungarian, Thai,
  Portuguese…: the names of foreign workers as well as Belgian ones).
- Common words: wordfreq's "small" word lists (Apache-2.0; the data ships in the wheel, no
  download), as Zipf frequencies (log10 of uses per billion words; 3 is one use in a million
  words).

A word's *commonness* is its highest Zipf frequency in French, Dutch or English when it is a
listed first name (so "Mia", Italian for "my", or "Luna", Romanian for "moon", stay names), and in
any language ads here are written in when it is not ("brasileira", "foarte", "нова" are common
words of Portuguese, Romanian, Bulgarian). `pipeline.aliases` weighs this against how strongly
the text presents the word as a name. Nothing here lists ad vocabulary: "companion", "mature",
"ans", "FR" are simply frequent words of one of these languages and no first name.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from importlib import resources
from math import log10

logger = logging.getLogger(__name__)

# The languages whose common words an ad in Brussels is likely written in: the three of the
# Region, then those of the workers' ads (Spanish, Portuguese, Romanian, Bulgarian, …).
HOME_LANGS = ("fr", "nl", "en")
OTHER_LANGS = ("de", "es", "pt", "it", "ro", "pl", "bg", "hu", "ru", "uk", "cs", "tr")


def key(word: str) -> str:
    """`word` in lower case without accents, in any script ("Mădălina" -> "madalina")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _lists() -> tuple[dict[str, int], dict[str, str]]:
    """`data/first_names.txt`: each name (`key` form) -> how many locales list it, and -> the
    languages of those locales, comma-separated."""
    text = resources.files("pipeline").joinpath("data/first_names.txt").read_text("utf-8")
    names, langs = {}, {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, count, where = (line.split("\t") + [""])[:3]
            names[name] = int(count)
            langs[name] = where
    logger.debug("%d first names loaded", len(names))
    return names, langs


def first_names() -> dict[str, int]:
    """Every first name of `data/first_names.txt` (`key` form) -> how many locales list it."""
    return _lists()[0]


@functools.cache
def _frequencies() -> tuple[dict[str, int], dict[str, int]]:
    """Each word's highest Zipf frequency, in tenths, in the home languages and in all
    languages: two merged dicts of the words at 3 or more (one use in a million words; below
    that every rule here treats a word as unknown). wordfreq's own per-language dicts are let go
    and the values are small ints, so as to keep memory small (~15 MB)."""
    from wordfreq import get_frequency_dict, get_frequency_list

    home: dict[str, int] = {}
    every: dict[str, int] = {}
    for i, lang in enumerate(HOME_LANGS + OTHER_LANGS):
        for word, freq in get_frequency_dict(lang, wordlist="small").items():
            if freq < 1e-6 or not word.isalpha():
                continue
            tenths = round(10 * (log10(freq) + 9.0))
            if lang in OTHER_LANGS and tenths >= _FOREIGN_MIN:
                _FOREIGN.setdefault(word, []).append((i, tenths))
            if lang in HOME_LANGS and tenths > home.get(word, 0):
                home[word] = tenths
            if tenths > every.get(word, 0):
                every[word] = tenths
        get_frequency_dict.cache_clear()
        get_frequency_list.cache_clear()
    return home, every


# The words common (Zipf >= 3.5) in one of OTHER_LANGS: word -> [(language index, tenths)].
_FOREIGN_MIN = 35
_FOREIGN: dict[str, list[tuple[int, int]]] = {}


def _foreign_zipf(word: str, but: str) -> float:
    """The highest Zipf frequency of `word` in OTHER_LANGS other than the languages `but`
    (comma-separated codes) — those whose Faker locales list `word` as a first name."""
    _frequencies()
    langs = HOME_LANGS + OTHER_LANGS
    return (
        max((t for i, t in _FOREIGN.get(word, ()) if langs[i] not in but.split(",")), default=0)
        / 10
    )


def _zipf(word: str, langs: tuple[str, ...]) -> float:
    home, every = _frequencies()
    return (home if langs == HOME_LANGS else every).get(word, 0) / 10


def locales(word: str) -> int:
    """How many of Faker's locales list `word` (any case, accents or not) as a first name; for a
    hyphenated name ("Marie-Lou"), the fewest of its parts."""
    names = first_names()
    k = key(word)
    if k in names or "-" not in k:
        return names.get(k, 0)
    return min((names.get(p, 0) for p in k.split("-")), default=0)


def is_first_name(word: str) -> bool:
    """True when `word` is a first name of some locale."""
    return locales(word) > 0


_RARELY_LISTED = 1  # (measured on the blind dev split: 2 or more loses real names)


@functools.lru_cache(maxsize=65536)
def commonness(word: str) -> float:
    """How common `word` is as an ordinary word (Zipf scale, 0 = unknown, 7 = "the"): in
    French, Dutch or English for a listed first name, in any of the ads' languages otherwise.
    Hyphenated words count as their most common part ("Marie-Lou": a name; "rendez-vous")."""
    low = word.lower()
    k = locales(low)
    langs = HOME_LANGS if k else HOME_LANGS + OTHER_LANGS
    if k and "-" not in low and (k <= _RARELY_LISTED or low != key(low)):
        # A name only one locale lists is weighed, as written, in the other languages too, but
        # for the language of that locale: "Noi", "Zona", "Cena", "Vali" are names of an
        # Icelandic or English locale and everyday words of Italian, Romanian or Polish;
        # "Ioana" (Romanian), "Réka" (Hungarian) are frequent in their own language because
        # they are names there; "Mia", "Luna" are listed far and wide and stay names. So is a
        # name written with accents the locales do not give it: "Olá" (Portuguese "hello") is
        # no "Ola"; "María" is Spanish and Spanish lists "Maria".
        return max(_zipf(low, HOME_LANGS), _foreign_zipf(low, _lists()[1].get(key(low), "")))
    if "-" in low:
        parts = [p for p in low.split("-") if p]
        if parts and all(is_first_name(p) for p in parts):  # a compound of names is a name
            return min(_zipf(p, HOME_LANGS) for p in parts)
        return max(_zipf(low, langs), *(_zipf(p, langs) for p in parts))
    return _zipf(low, langs)


# How strongly the text presents a word as a name.
STRONG = 3  # "je m'appelle X", "my name is X", "Prénom : X"
MEDIUM = 2  # "I'm X", "X here", "X, 29", "X (27)", a list of names, a name before a phone
WEAK = 1  # a word set apart in a title

# A listed first name is taken while its commonness (Zipf) stays under the base of its cue plus
# 0.1 per locale listing it (up to 10): the more widely a name is given, the more common a word
# it may also be ("Grace", "Joy", "Kim" with a cue; never "Belle", "Lundi", "Paris").
_LISTED_BASE = {STRONG: 5.0, MEDIUM: 4.5, WEAK: 3.8}
# A word no locale lists is taken only when rarer than this: an unknown name ("Thaynara",
# "Boryana") is rare in every language; a title word of any ad language is not.
_UNLISTED_MAX = {STRONG: 4.5, MEDIUM: 3.3, WEAK: -1.0}


@functools.cache
def _places() -> frozenset[str]:
    from pipeline.gazetteer import gazetteer

    g = gazetteer()
    return frozenset(w for w in g.words if (e := g.entries.get(w)) and not e.needs_context)


@functools.lru_cache(maxsize=65536)
def is_place(word: str) -> bool:
    """True when `word` is a one-word Brussels place name of the gazetteer ("Jette", "Forest"),
    or a hyphenated one ("Saint-Gilles") that needs no context to be a place."""
    from pipeline.gazetteer import fold, gazetteer, name_key

    if "-" in word:
        entry = gazetteer().entries.get(name_key(word))
        return entry is not None and not entry.needs_context
    return fold(word).strip() in _places()


@functools.lru_cache(maxsize=65536)
def plausible(word: str, cue: int) -> bool:
    """True when `word` can be a first name given a cue of strength `cue` (STRONG, MEDIUM,
    WEAK): a listed first name not too common a word, or a rare word."""
    k = locales(word)
    c = commonness(word)
    if k:
        return c < _LISTED_BASE[cue] + 0.1 * min(k, 10)
    return c < _UNLISTED_MAX[cue]
