"""Text normalisation that remembers where every character came from.

Extractors work on the normalised text (NFKC; fullwidth, circled, dingbat, mathematical and
non-Latin decimal digits folded to ASCII; emoji keycaps to digits; zero-width characters and soft
hyphens dropped) but report evidence in offsets of the *original* text, through
`NormText.to_original`.

Only the non-ASCII stretches of a text are looked at character by character; ASCII runs are copied
whole, so a mostly-ASCII ad with a few accents or no-break spaces stays cheap.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.types import Span

# Characters that carry nothing a reader sees: dropped.
_INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # arabic letter mark
    "\u180e"  # mongolian vowel separator
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/non-joiner/joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # BOM / zero-width no-break space
    "\ufe0e\ufe0f"  # variation selectors (text/emoji presentation)
    "\u20e3"  # combining enclosing keycap: "4️⃣" is "4" + FE0F + 20E3
)

# Emoji and symbols that NFKC leaves alone but a reader takes for digits.
_EXTRA_DIGITS = {
    "\U0001f51f": "10",  # keycap ten
    "\u24ea": "0",  # circled digit zero (NFKC maps it, kept for clarity)
    "\U0001f100": "0.",
}

# Whitespace variants folded to a plain space (NFKC keeps some, e.g. U+3000 is mapped already).
_SPACES = frozenset(
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\t"
)


@dataclass(frozen=True, slots=True)
class NormText:
    """A normalised text and the map back to the original.

    `index[i]` is the offset in `original` of the character that produced `text[i]`;
    `index[len(text)]` is `len(original)`. `index` is None when the text was already normal
    (identity map), the common case, which keeps analysis fast.
    """

    original: str
    text: str
    index: tuple[int, ...] | None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of the normalised text back to the original text."""
        if self.index is None:
            return start, end
        o_start = self.index[start]
        if end <= start:
            return o_start, o_start
        # End at the end of the original character that produced text[end - 1].
        last = self.index[end - 1]
        o_end = self.index[end] if end < len(self.text) else len(self.original)
        o_end = max(o_end, last + 1)
        return o_start, o_end

    def span(self, field: str, start: int, end: int) -> Span:
        """Evidence for text[start:end], quoted from the original."""
        o_start, o_end = self.to_original(start, end)
        return Span(field=field, start=o_start, end=o_end, quote=self.original[o_start:o_end])


# Digits NFKC leaves alone: dingbat circled digits (❶ ➀ ➊), double circled (⓵), negative ⓿,
# and any non-ASCII decimal digit (Arabic-Indic, Devanagari…), folded through unicodedata.digit.
_OTHER_DIGITS = "\u2776-\u2793\u24f5-\u24ff"
_WORK = re.compile(
    "["
    + re.escape("".join(sorted(_INVISIBLE | _SPACES | set(_EXTRA_DIGITS))))
    + _OTHER_DIGITS
    + "]|(?![0-9])\\d"
)
# A stretch that needs folding: non-ASCII characters, with the character before them (a combining
# mark composes with its base), or a tab.
_DIRTY = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+|\t")


def _needs_work(s: str) -> bool:
    if not unicodedata.is_normalized("NFKC", s):
        return True
    return _WORK.search(s) is not None


def _fold_digits(piece: str) -> str:
    if piece.isascii():
        return piece
    return "".join(
        str(d) if not ch.isascii() and (d := unicodedata.digit(ch, -1)) >= 0 else ch for ch in piece
    )


@lru_cache(maxsize=8192)  # an ad's few distinct characters come back again and again
def _piece(cluster: str) -> str:
    """What one cluster (a base character and its combining marks) reads as."""
    if cluster in _SPACES:
        return " "
    if cluster in _EXTRA_DIGITS:
        return _EXTRA_DIGITS[cluster]
    return _fold_digits(unicodedata.normalize("NFKC", cluster))


def _fold(s: str, i: int, n: int, out: list[str], index: list[int]) -> None:
    """Normalise s[i:n] (a dirty stretch) into `out`, recording origins in `index`."""
    while i < n:
        c = s[i]
        # A cluster is a base character and the combining marks after it, so NFKC can compose.
        j = i + 1
        while j < n and unicodedata.combining(s[j]) and s[j] not in _INVISIBLE:
            j += 1
        if c in _INVISIBLE:
            i += 1
            continue
        piece = _piece(s[i:j] if j > i + 1 else c)
        out.append(piece)
        index.extend([i] * len(piece))
        i = j


def normalise(s: str) -> NormText:
    """Normalise `s` for extraction; linear in len(s), never raises on any str."""
    if s.isascii() and "\t" not in s:
        return NormText(s, s, None)
    if not _needs_work(s):
        return NormText(s, s, None)
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _DIRTY.finditer(s):
        start, end = m.span()
        if start > pos:
            out.append(s[pos:start])
            index.extend(range(pos, start))
        _fold(s, start, end, out, index)
        pos = end
    if pos < len(s):
        out.append(s[pos:])
        index.extend(range(pos, len(s)))
    text = "".join(out)
    if text == s:
        return NormText(s, s, None)
    index.append(len(s))
    return NormText(s, text, tuple(index))
