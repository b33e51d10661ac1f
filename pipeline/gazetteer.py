"""The Brussels gazetteer (`data/brussels.yaml`) compiled for matching in one pass.

Names and texts are folded character for character (lower case, accents stripped, every other
character a space), so a match in the folded text has the same offsets in the normalised text.
All names go into one trie-shaped regular expression that starts with a literal space: the regex
engine jumps from space to space, tries the trie once at each word start, longest name first,
never backtracking beyond one name's length.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml


def _fold_char(c: str) -> str:
    if not c.isalnum():
        return " "
    low = c.lower()
    if len(low) != 1:
        return c
    base = unicodedata.normalize("NFD", low)[0]
    return base if base.isalnum() else low


def _fold_byte(b: int) -> int:
    folded = _fold_char(chr(b))
    return ord(folded) if len(folded) == 1 and ord(folded) < 256 else b


# Folding runs on every text, so it goes through Latin-1 bytes (one C pass each way): a character
# outside Latin-1 becomes "?", then a space, like all punctuation (no place name needs one).
_FOLD_BYTES = bytes(_fold_byte(b) for b in range(256))


def fold(s: str) -> str:
    """Lower case, no accents, letters and digits only (all else a space); same length as `s`."""
    return s.encode("latin-1", "replace").translate(_FOLD_BYTES).decode("latin-1")


# Letters beyond Latin-1 that place names are written in: Latin Extended ("București",
# "Łódź") folds to its base letter; Cyrillic (ads by Bulgarian, Russian, Ukrainian writers:
# "Брюксел, Андерлехт") to one Latin letter each, so offsets still hold. The gazetteer's
# Cyrillic names are folded the same way, so a match needs no exact transliteration scheme.
_WIDE_LETTER = re.compile("[\u0100-\u024f\u0400-\u04ff]")
_CYRILLIC = dict(
    zip(
        "абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюяђјљњћџ",
        "abvggdeeezziiiiklmnoprstufhccssayjeuadjlncd",
        strict=True,
    )
)
_EXTRA = {"ł": "l", "đ": "d", "ı": "i", "ŀ": "l", "ħ": "h"}


class _WideTable(dict[int, str]):
    """str.translate table folding any character; each new character is worked out once."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if code < 256:
            out = _fold_char(c)
        else:
            low = c.lower()[:1]
            out = _CYRILLIC.get(low) or _EXTRA.get(low) or " "
            if out == " " and c.isalnum():
                base = unicodedata.normalize("NFD", low)[:1]
                out = base if base.isascii() and base.isalnum() else " "
        if len(out) != 1:
            out = " "
        self[code] = out
        return out


_WIDE = _WideTable()


def fold_wide(s: str) -> str:
    """`fold`, but letters of Latin Extended and Cyrillic become Latin letters, not spaces."""
    if _WIDE_LETTER.search(s) is None:
        return fold(s)
    return s.translate(_WIDE)


def name_key(s: str) -> str:
    """The lookup key of a name: folded, without any whitespace."""
    return "".join(fold_wide(s).split())


_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "sint": "st"}


def _variants(name: str) -> set[str]:
    words = fold_wide(name).split()
    short = [_ABBREVIATIONS.get(w, w) for w in words]
    return {" ".join(words), " ".join(short)}


@dataclass(frozen=True, slots=True)
class Entry:
    """What a matched name stands for."""

    kind: str  # commune | landmark | street | border | region | city
    commune: str | None
    zone: str | None
    in_brussels: bool
    needs_context: bool


@dataclass(frozen=True, slots=True)
class Gazetteer:
    entries: Mapping[str, Entry]  # name_key -> entry
    pattern: re.Pattern[str]  # over " " + folded text; group 1 is a name
    postcodes: Mapping[str, tuple[str, ...]]  # postcode -> communes (canonical names)
    zone_of: Mapping[str, str]  # commune -> zone
    words: frozenset[str]  # folded one-word names, for other extractors' stop-lists
    forms: frozenset[str] = frozenset()  # every folded form, single-spaced

    def zones_of_postcode(self, code: str) -> frozenset[str]:
        return frozenset(self.zone_of[c] for c in self.postcodes.get(code, ()))


def trie_regex(words: Iterable[str], space: str = " *") -> str:
    """A regex matching any of `words` (folded, single-spaced), longest first at one position.

    A space in a word matches `space`: by default any run of spaces, or none ("saint gilles",
    "saintgilles").
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [
            (space if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _add(entries: dict[str, Entry], names: Iterable[str], entry: Entry, forms: set[str]) -> None:
    for name in names:
        for form in _variants(name):
            key = form.replace(" ", "")
            if key in entries and entries[key] != entry:
                raise ValueError(f"gazetteer name {name!r} has two meanings")
            entries[key] = entry
            forms.add(form)


@functools.cache
def gazetteer() -> Gazetteer:
    """The compiled gazetteer, built once on first use."""
    raw = yaml.safe_load(
        resources.files("pipeline").joinpath("data/brussels.yaml").read_text(encoding="utf-8")
    )
    entries: dict[str, Entry] = {}
    forms: set[str] = set()
    zone_of: dict[str, str] = {}
    postcodes: dict[str, list[str]] = {}
    for c in raw["communes"]:
        zone_of[c["name"]] = c["zone"]
        for code in c["postcodes"]:
            postcodes.setdefault(code, []).append(c["name"])
        _add(entries, c["names"], Entry("commune", c["name"], c["zone"], True, False), forms)
        ctx = Entry("commune", c["name"], c["zone"], True, True)
        _add(entries, c.get("context_names", ()), ctx, forms)
    for lm in raw["landmarks"]:
        commune = lm.get("commune")
        zone = zone_of[commune] if commune else lm["zone"]
        _add(entries, lm.get("names", ()), Entry("landmark", commune, zone, True, False), forms)
        ctx = Entry("landmark", commune, zone, True, True)
        _add(entries, lm.get("context_names", ()), ctx, forms)
    _add(entries, raw["streets"], Entry("street", None, None, True, False), forms)
    _add(entries, raw.get("borders", ()), Entry("border", None, None, True, False), forms)
    _add(entries, raw["region"], Entry("region", None, None, True, False), forms)
    for city in raw["cities"]:
        _add(entries, city.get("names", ()), Entry("city", city["name"], None, False, False), forms)
        ctx = Entry("city", city["name"], None, False, True)
        _add(entries, city.get("context_names", ()), ctx, forms)
    pattern = re.compile(" (" + trie_regex(sorted(forms)) + ")(?![^ ])")
    return Gazetteer(
        entries=entries,
        pattern=pattern,
        postcodes={k: tuple(v) for k, v in postcodes.items()},
        zone_of=zone_of,
        words=frozenset(f for f in forms if " " not in f),
        forms=frozenset(forms),
    )
