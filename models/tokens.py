"""A cheap canonical token stream for matching: folded, de-leeted, repeats squeezed, spacing undone.

`tokens(text)` reads a (pipeline-normalised) text and returns tokens whose `start`/`end` index
that text, so every match keeps its evidence. The same `canon` is applied to lexicon phrases,
so "T0UTE  JEUUUNE", "toute jeune" and "t o u t e jeune" all meet the phrase "toute jeune".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Words (letters, digits, and the leet symbols @ $ inside them) or one pictographic symbol.
_TOKEN = re.compile(
    r"[^\W_]+(?:[@$][^\W_]*)*|[@$][^\W_]+|[\u2190-\u2bff\u2600-\u27bf\U0001f000-\U0001faff]"
)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# Letters NFKD does not decompose: Polish ł, Turkish dotless ı, German ß, Nordic ø, đ.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ı": "i", "ß": "ss", "ø": "o", "đ": "d", "ħ": "h"})
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
_CANON: dict[str, str] = {}  # raw word -> canonical word: a plain dict is faster than lru_cache
_CANON_LIMIT = 1 << 17


class Token(NamedTuple):
    """One canonical word and where it stands in the text it was read from."""

    text: str
    start: int
    end: int


_new_tuple = tuple.__new__


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    low = word.lower()
    if not low.isascii():
        low = "".join(
            c for c in unicodedata.normalize("NFKD", low) if unicodedata.category(c) != "Mn"
        ).translate(_UNDECOMPOSED)
    return low


def canon(word: str) -> str:
    """One word's canonical form: lower case, no accents, leetspeak read, a letter repeated three
    times or more kept twice ("teeeen" is "teen"; squeezing to one would make "teen" "ten")."""
    w = _fold_word(word)
    if w[:1].isalpha() and not w.isalpha():
        w = w.translate(_LEET)
    return _REPEAT.sub(r"\1\1", w)


def tokens(text: str) -> list[Token]:
    """Canonical tokens of `text`; runs of 3+ single letters ("t e e n") are joined into one."""
    out: list[Token] = []
    run: list[Token] = []
    cache = _CANON
    new = _new_tuple  # Token(...) through its Python-level __new__ costs more than the rest
    for m in _TOKEN.finditer(text):
        raw = m[0]
        word = cache.get(raw)
        if word is None:
            word = canon(raw)
            if len(cache) < _CANON_LIMIT:
                cache[raw] = word
        if len(word) == 1 and word.isalpha():
            start, end = m.span()
            if run and start - run[-1].end > 2:
                _flush(run, out)
            run.append(new(Token, (word, start, end)))
            continue
        if run:
            _flush(run, out)
        out.append(new(Token, (word, *m.span())))
    _flush(run, out)
    return out


def _flush(run: list[Token], out: list[Token]) -> None:
    if len(run) >= 3:
        out.append(Token(canon("".join(t.text for t in run)), run[0].start, run[-1].end))
    else:
        out.extend(run)
    run.clear()


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase as the canonical words it must match."""
    return tuple(t.text for t in tokens(phrase))
