"""Misspelt place names: one typo away from a gazetteer name ("Ixeles", "Schaerbek", "Anderlech",
"Saint Gille", "Molenbek").

A word or two-word window is read as a place when it is at one edit (a letter missing, extra,
replaced, or two letters swapped) from exactly one long, unambiguous gazetteer name. Guards: the
name is at least 7 letters (short names have too many neighbours: "Evere"/"every"); the word
starts with a capital letter (any case in the location field); it is not itself a gazetteer
name, a common word of the ads' languages, nor a first name; its first two letters are those of
the name (typos rarely hit them, and this keeps the search to a few dictionary lookups a word);
names that need a context ("Forest", "Jette") are never guessed. A long name (9+ letters) may
also be guessed at two edits ("Anderleck", "Schaerbeck") from a single word that keeps its first
three letters, when exactly one name is that near.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from pipeline.gazetteer import Entry, gazetteer
from pipeline.names import commonness, is_first_name

MIN_LEN = 7  # letters of a name that may be guessed from a typo
MAX_WORDS = 3  # words of a misspelt name ("Sint Pieter Leeuw")
MIN_LEN_TWO = 9  # letters of a name that may be guessed at two edits
_WORD = re.compile(r"(?<![a-z0-9])[a-z0-9]+")
_NEXT_WORD = re.compile(r" {1,3}([a-z0-9]+)")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of a and b at most 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :] or (
            a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i + 1 :] == b[i:] if la > lb else a[i:] == b[i + 1 :]


def osa_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment) of a and b."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


class _Index:
    def __init__(self) -> None:
        g = gazetteer()
        self.keys: dict[str, Entry] = {}
        for key, entry in g.entries.items():
            if len(key) < MIN_LEN or entry.needs_context or not key.isalpha():
                continue
            # communes, the region and cities in all their forms (a look-alike outside the
            # region must be found as surely as the commune); landmarks in one word only
            if entry.kind in ("commune", "region", "city") or key in g.words:
                self.keys[key] = entry
        self.near: dict[str, set[str]] = {}  # a key, or a key less one letter -> keys
        for key in self.keys:
            for variant in (key, *_deletes(key)):
                self.near.setdefault(variant, set()).add(key)
        self.heads = frozenset(k[:2] for k in self.keys)
        # (first two letters, length) of any word one edit from a key: most words fail this
        self.shapes = frozenset(
            (k[:2], n) for k in self.keys for n in range(len(k) - 1, len(k) + 2)
        )
        # One edit to a word of 6+ letters leaves its first three or its last three letters
        # as they were: a word sharing neither with a key of about its length is not near it.
        self.prefixes = frozenset(
            (k[:3], n) for k in self.keys for n in range(len(k) - 1, len(k) + 2)
        )
        self.suffixes = frozenset(
            (k[-3:], n) for k in self.keys for n in range(len(k) - 1, len(k) + 2)
        )
        self.known = frozenset(g.entries)
        # the long keys by their first three letters, for the guesses at two edits
        self.long_by_head: dict[str, list[str]] = {}
        for key in self.keys:
            if len(key) >= MIN_LEN_TWO:
                self.long_by_head.setdefault(key[:3], []).append(key)
        # (first three letters, length) of any word two edits from a long key
        self.two_shapes = frozenset(
            (k[:3], n)
            for ks in self.long_by_head.values()
            for k in ks
            for n in range(len(k) - 2, len(k) + 3)
        )
        # (first two letters, length) of a text's first word that may begin a misspelt name:
        # the first word of a name's form, or the whole name written as one word
        # ... or the first word of a name of several words, of 4+ letters, typed with its
        # first three letters right ("Saint Gille", "Sint Pieter Leeuw", "Woluwe St Lamber")
        firsts = {
            f.split()[0]
            for f in g.forms
            if " " in f and "".join(f.split()) in self.keys and len(f.split()[0]) >= 4
        }
        self.firsts = self.shapes | frozenset(
            (w[:2], n) for w in firsts for n in range(len(w) - 1, len(w) + 2)
        )
        self.firsts3 = self.prefixes | frozenset(
            (w[:3], n) for w in firsts for n in range(len(w) - 1, len(w) + 2)
        )
        # a word start (in folded text) with the first two letters of a key: found in C
        # word starts with the first two letters of a key, in the folded text and, a capital
        # first ("Ixeles", "IXELES"), in the original text (a word in lower case is weighed
        # only in the location field); one branch per first letter, so the engine fails fast
        seconds: dict[str, str] = {}
        for h in sorted(self.heads):
            seconds[h[0]] = seconds.get(h[0], "") + h[1]
        lower = "|".join(f"{a}[{b}]" for a, b in seconds.items())
        upper = "|".join(f"{a.upper()}[{b}{b.upper()}]" for a, b in seconds.items())
        self.starts = re.compile(f"(?<![a-z0-9])(?:{lower})(?=[a-z0-9])")
        self.capital_starts = re.compile(rf"(?<!\w)(?:{upper})(?=\w)")

    def lookup(self, word: str, known_ok: bool = False) -> Entry | None:
        """The one entry `word` is a typo of (or is, with `known_ok`), else None."""
        n = len(word)
        if (word in self.known and not known_ok) or (word[:2], n) not in self.shapes:
            return None
        if (word[:3], n) not in self.prefixes and (word[-3:], n) not in self.suffixes:
            return None
        return _lookup(word)


@functools.lru_cache(maxsize=4096)
def lookup_two(word: str) -> Entry | None:
    """The one long entry `word` is two edits from (same first three letters), else None."""
    index = _index()
    if len(word) < MIN_LEN_TWO - 1 or word in index.known:
        return None
    entries = {
        index.keys[k]
        for k in index.long_by_head.get(word[:3], ())
        if abs(len(k) - len(word)) <= 2 and osa_distance(word, k) <= 2
    }
    return entries.pop() if len(entries) == 1 else None


@functools.lru_cache(maxsize=4096)  # ads repeat their words ("Nouvelle", "Saint")
def _lookup(word: str) -> Entry | None:
    index = _index()
    found: set[str] = set()
    for variant in (word, *_deletes(word)):
        found |= index.near.get(variant, set())
    entries = {index.keys[k] for k in found if within_one(word, k)}
    return entries.pop() if len(entries) == 1 else None


@functools.cache
def _index() -> _Index:
    return _Index()


def _plain_word(original: str) -> bool:
    """A common word or a first name: never taken for a misspelt place."""
    return commonness(original) >= 3.0 or is_first_name(original)


def fuzzy_hits(
    text: str, folded: str, location: bool, taken: list[tuple[int, int]]
) -> Iterator[tuple[int, int, Entry]]:
    """(start, end, entry) of each misspelt place name in `text` (`folded` its folded form),
    outside the `taken` spans (the exact matches). Only words with a capital (every word in
    the location field) whose first two letters begin a name are weighed: a few a text."""
    index = _index()
    taken_starts = {ts for ts, _ in taken}
    after = 0  # a guess ends here: the next one starts after it
    for start in index.starts.finditer(folded) if location else index.capital_starts.finditer(text):
        s = start.start()
        if s < after or s in taken_starts:
            continue
        first = _WORD.match(folded, s)
        if first is None:
            continue
        n = first.end() - s
        if any(ts <= s < te for ts, te in taken):
            continue
        if (folded[s : s + 2], n) not in index.firsts or (
            (folded[s : s + 3], n) not in index.firsts3
            and (folded[first.end() - 3 : first.end()], n) not in index.suffixes
        ):
            two = _two_edits(text, folded, s, first.end())
            if two is not None:
                yield two
                after = two[1]
            continue
        # the window's words, as long as no exact match starts inside it
        limit = min((ts for ts in taken_starts if ts > s), default=len(folded))
        ends, words = [first.end()], [first.group()]
        while len(words) < MAX_WORDS:
            nxt = _NEXT_WORD.match(folded, ends[-1])
            if nxt is None or nxt.start(1) >= limit:
                break
            ends.append(nxt.end())
            words.append(words[-1] + nxt.group(1))
        for end, word in zip(reversed(ends), reversed(words), strict=True):
            # "Sint Gilles Waas" before "Sint Gilles" before "Sint"
            if len(word) < MIN_LEN - 1 or not word.isalpha():
                continue
            entry = index.lookup(word)
            if entry is not None and not (end == ends[0] and _plain_word(text[s:end])):
                yield s, end, entry
                after = end
                break
        else:
            two = _two_edits(text, folded, s, first.end())
            if two is not None:
                yield two
                after = two[1]


def _two_edits(text: str, folded: str, start: int, end: int) -> tuple[int, int, Entry] | None:
    """A single long word two edits from one long name ("Anderleck"), not a common word."""
    if (folded[start : start + 3], end - start) not in _index().two_shapes:
        return None
    word = folded[start:end]
    if not word.isalpha() or _plain_word(text[start:end]):
        return None
    entry = lookup_two(word)
    return None if entry is None else (start, end, entry)


def longer_name(folded: str, start: int, end: int) -> tuple[int, Entry] | None:
    """A longer name misspelt around an exact one: "Sint-Gillis-Was" (Sint-Gillis-Waas, outside
    the region, not Sint-Gillis), "Woluwe St Lamber" (Woluwe-Saint-Lambert, not Woluwe): the end
    and entry of the longer name when the exact name and the word or two after it are one edit
    from it."""
    index = _index()
    word, pos = "".join(folded[start:end].split()), end
    for _ in range(2):
        nxt = _NEXT_WORD.match(folded, pos)
        if nxt is None:
            return None
        word, pos = word + nxt.group(1), nxt.end()
        entry = index.lookup(word, known_ok=True)
        if entry is not None:
            return pos, entry
    return None
