"""Near-duplicate ad texts and shared templates: MinHash LSH (datasketch) over word shingles.

Before shingling, a text is normalised so that what changes from one copy of a template to the
next does not count: `pipeline.text.normalise` (NFKC, confusables, odd digits), accents stripped,
lower-cased; phone-like spans become `#tel`, other digit runs `#num`, e-mails and @handles `#at`,
URLs `#url`; punctuation goes; then every run of words that spells one of the ad's own alias
names (given by the caller as `masks`, read the same way) becomes `#name`, whatever separated
the words ("Mary-Jane" and "mary  jane" alike). Shingles are runs of `shingle` consecutive
words. A text with fewer than `min_words` real words (placeholders do not count) gets no
signature: it is never indexed and never matches.

Signatures are datasketch's "affine32" MinHash with a fixed seed over CRC-32 shingle hashes,
computed for many texts in one compiled call (`pipeline.textsig`); they equal
`MinHash(num_perm, seed=seed, hashfunc=zlib.crc32)` fed the same shingles, at a small fraction of
its cost.
`query` takes candidates from datasketch's `MinHashLSH`, built on the first query (about 1.3 KB
a text: use `pairs` for bulk linking), and keeps those whose estimated Jaccard similarity
reaches the threshold. `pairs()` bands the signature matrix with numpy, with the LSH's own bands
and rows, and verifies the same way. A template copied N times gives N*(N-1)/2 pairs.
"""

from __future__ import annotations

import contextlib
import logging
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
from datasketch import LeanMinHash, MinHash, MinHashLSH

from pipeline.text import normalise
from pipeline.textsig import CRC_TABLE, signatures_into

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
Sig = npt.NDArray[np.uint32]

_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]*@[\w-]+(?:\.[\w-]+)*")  # an e-mail or an @handle
# Digits, possibly split by spaces, dots, dashes, slashes or brackets: 6 or more make a phone.
# Written to start with a character class (a "+" only when a digit follows), so that the regex
# engine skips straight to the next "+" or digit: the same matches as r"\+?\d(?:...)*".
_DIGITS = re.compile(r"[+\d](?<=\d|\+(?=\d))(?:[\s./()-]{0,3}\d)*")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"#?\w+")
# A "#" that does not start a word ("#" alone, "a#b", "##x", "#_"; "_" separates words): the
# split below would keep it.
_ODD_HASH = re.compile(r"#(?:(?![^\W_])|(?<=[^\W_]#))")
# ASCII bytes: letters, digits and "#" kept, every other byte a space (so "_" too).
_ASCII_WORDS = bytes(c if chr(c).isalnum() and c < 128 or c == 35 else 32 for c in range(256))
_PLACEHOLDERS = frozenset({"#tel", "#num", "#at", "#url", "#name"})


def _fold(s: str) -> str:
    """Lower-case, accents stripped."""
    s = s.casefold()
    return s if s.isascii() else _COMBINING.sub("", unicodedata.normalize("NFKD", s))


def _digits(m: re.Match[str]) -> str:
    return " #tel " if sum(map(str.isdigit, m.group())) >= 6 else " #num "


def _words(s: str) -> list[str]:
    r"""`#?\w+` runs of `s` with "_" a separator: for ASCII text, by one byte translation and a
    split (several times faster than the regex, same words)."""
    if s.isascii() and not ("#" in s and _ODD_HASH.search(s)):
        return s.encode().translate(_ASCII_WORDS).decode().split()
    return _WORD.findall(s.replace("_", " "))


def _placeholders(s: str) -> list[str]:
    """The words of a folded text, contacts, URLs and numbers replaced by placeholders."""
    if "http" in s or "www." in s:
        s = _URL.sub(" #url ", s)
    if "@" in s:
        s = _EMAIL.sub(" #at ", s)
    return _words(_DIGITS.sub(_digits, s))


def _mask(words: list[str], names: list[tuple[str, ...]]) -> list[str]:
    """Every run of words equal to one of `names` (longest first) becomes one `#name`."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        by_first.setdefault(name[0], []).append(name)
    starts: list[int] = []
    for first in by_first:
        i = -1
        with contextlib.suppress(ValueError):  # list.index scans in C
            while True:
                i = words.index(first, i + 1)
                starts.append(i)
    if not starts:
        return words
    starts.sort()
    out: list[str] = []
    done = 0  # words before this are in `out`
    for i in starts:
        if i < done:
            continue  # inside a name just masked
        for name in by_first[words[i]]:
            if tuple(words[i : i + len(name)]) == name:
                out += words[done:i]
                out.append("#name")
                done = i + len(name)
                break
    return out + words[done:]


@lru_cache(maxsize=1 << 16)
def _name_words(name: str) -> tuple[str, ...]:
    """A name's words as `tokens` reads them (names recur: an alias is in many ads)."""
    return tuple(_placeholders(_fold(name)))


def tokens(text: str, masks: Sequence[str] = ()) -> list[str]:
    """The words of `text` after normalisation, with placeholders for contacts, numbers and the
    given names (a name matches the same words, whatever separates them)."""
    words = _placeholders(_fold(normalise(text).text))
    if masks:
        names = {_name_words(m) for m in masks}
        real = sorted((n for n in names if not _PLACEHOLDERS.issuperset(n)), key=len, reverse=True)
        if real:
            words = _mask(words, real)
    return words


def _long_enough(words: Sequence[str], size: int, min_words: int) -> bool:
    """Whether the words make at least one shingle and `min_words` real words (placeholders
    do not count)."""
    real = len(words) - sum(map(_PLACEHOLDERS.__contains__, words))
    return real >= max(min_words, 1) and len(words) >= size


def shingles(words: Sequence[str], size: int, min_words: int) -> list[bytes]:
    """Runs of `size` words, or none when the text has fewer than `min_words` real words."""
    if not _long_enough(words, size, min_words):
        return []
    runs = zip(*(words[i:] for i in range(size)), strict=False)  # stops at the shortest
    return [" ".join(run).encode() for run in runs]


@lru_cache(maxsize=16)
def _layout(
    threshold: float, num_perm: int, seed: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], int, int]:
    """The permutations (affine32: uint32 a, odd, and b) and the LSH's own band layout (bands,
    rows): computed once per setting, as datasketch finds the layout by numeric integration
    (~70 ms, which an index made per batch of ads would pay each time)."""
    a, b = MinHash(num_perm=num_perm, seed=seed).permutations
    bands = MinHashLSH(threshold=threshold, num_perm=num_perm)
    a32, b32 = a.astype(np.uint32), b.astype(np.uint32)
    return a32, b32, bands.b, bands.r


class TextIndex(Generic[K]):
    """Keys (any hashable, unique) with ad texts; near-duplicate search by MinHash LSH."""

    def __init__(
        self,
        threshold: float = 0.7,
        num_perm: int = 64,
        shingle: int = 3,
        min_words: int = 6,
        seed: int = 1,
    ) -> None:
        self.threshold, self.num_perm, self.shingle = threshold, num_perm, shingle
        self.min_words, self.seed = min_words, seed
        self._a, self._b, self._bands, self._rows = _layout(threshold, num_perm, seed)
        self._keys: list[K] = []
        self._row: dict[K, int] = {}
        self._sigs: Sig = np.zeros((64, num_perm), dtype=np.uint32)
        self._lsh: MinHashLSH | None = None

    def __len__(self) -> int:
        """Texts indexed (short ones are not)."""
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._row

    def signatures(self, texts: Sequence[tuple[str, Sequence[str]]]) -> tuple[Sig, list[bool]]:
        """MinHash signatures of (text, masks) pairs, one row each, and whether each text was
        long enough (else its row is meaningless). The words are found here; their shingles are
        hashed and permuted by one compiled call over all the texts (`pipeline.textsig`)."""
        ok: list[bool] = []
        joined: list[bytes] = []
        for text, masks in texts:
            words = tokens(text, masks)
            good = _long_enough(words, self.shingle, self.min_words)
            ok.append(good)
            if good:
                joined.append(" ".join(words).encode())
        sigs = np.full((len(texts), self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        if joined:
            data = np.frombuffer(b"".join(joined), dtype=np.uint8)
            ends = np.cumsum([len(j) for j in joined], dtype=np.int64)
            rows = np.flatnonzero(ok)
            found = np.full((len(joined), self.num_perm), np.iinfo(np.uint32).max, np.uint32)
            signatures_into(data, ends, self.shingle, self._a, self._b, CRC_TABLE, found)
            sigs[rows] = found
        return sigs, ok

    def add(self, key: K, text: str, masks: Sequence[str] = ()) -> bool:
        """Index one text; False (and nothing stored) when it is too short to compare."""
        return self.add_many([(key, text, masks)]) == 1

    def add_many(self, items: Iterable[tuple[K, str, Sequence[str]]]) -> int:
        """Index (key, text, masks) triples in one batch; returns how many were long enough."""
        batch = list(items)
        keys = [k for k, _, _ in batch]
        if len(set(keys)) != len(keys) or any(k in self._row for k in keys):
            raise KeyError("duplicate key")
        n0 = len(self._keys)
        if n0 + len(batch) > len(self._sigs):  # room for all: one allocation, however many fit
            grown = np.zeros((max(2 * len(self._sigs), n0 + len(batch)), self.num_perm), np.uint32)
            grown[:n0] = self._sigs[:n0]
            self._sigs = grown
        for lo in range(0, len(batch), 1 << 15):  # signatures a slice at a time: bounded memory
            chunk = batch[lo : lo + (1 << 15)]
            sigs, ok = self.signatures([(t, m) for _, t, m in chunk])
            kept = [k for (k, _, _), good in zip(chunk, ok, strict=True) if good]
            n = len(self._keys)
            self._sigs[n : n + len(kept)] = sigs[np.flatnonzero(ok)]
            for i, k in enumerate(kept):
                self._row[k] = n + i
                self._keys.append(k)
                if self._lsh is not None:
                    self._lsh.insert(k, self._lean(n + i), check_duplication=False)
        return len(self._keys) - n0

    def query(self, text: str, masks: Sequence[str] = ()) -> list[K]:
        """Keys whose texts are near-duplicates of `text` (estimated Jaccard >= threshold),
        most similar first, then in insertion order."""
        sigs, ok = self.signatures([(text, masks)])
        if not ok[0]:
            return []
        if self._lsh is None:
            self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
            with self._lsh.insertion_session() as session:
                for i, k in enumerate(self._keys):
                    session.insert(k, self._lean(i), check_duplication=False)
        candidates = self._lsh.query(
            LeanMinHash(seed=self.seed, hashvalues=sigs[0], scheme="affine32")
        )
        rows = np.array(sorted(self._row[k] for k in candidates), dtype=np.int64)
        if not len(rows):
            return []
        sim = (self._sigs[rows] == sigs[0]).mean(axis=1)
        keep = np.flatnonzero(sim >= self.threshold)
        order = keep[np.argsort(-sim[keep], kind="stable")]
        return [self._keys[int(rows[i])] for i in order]

    def pairs(self, since: int = 0) -> list[tuple[K, K, float]]:
        """Every pair of indexed texts that share an LSH band and whose estimated Jaccard reaches
        the threshold: (earlier key, later key, estimate), in insertion order. With `since`, only
        the pairs whose later text is one indexed from position `since` on (`len(index)` before
        an `add_many`: the pairs that batch brings, without pairing all the others again)."""
        n = len(self._keys)
        since = min(max(0, since), n)
        sigs = self._sigs[:n]
        found = [np.zeros(0, np.int64)]
        for band in range(self._bands):
            values = self._band_values(sigs, band)
            found.append(_equal_pairs(values) if not since else _pairs_since(values, since))
        codes = np.unique(np.concatenate(found))
        out: list[tuple[K, K, float]] = []
        for lo in range(0, len(codes), 1 << 16):  # candidate pairs, verified in slabs
            a, b = codes[lo : lo + (1 << 16)] >> 32, codes[lo : lo + (1 << 16)] & 0xFFFFFFFF
            sim = (sigs[a] == sigs[b]).mean(axis=1)
            keep = np.flatnonzero(sim >= self.threshold)
            out.extend(
                zip(
                    [self._keys[i] for i in a[keep].tolist()],
                    [self._keys[i] for i in b[keep].tolist()],
                    sim[keep].tolist(),
                    strict=True,
                )
            )
        return out

    def _band_values(self, sigs: Sig, band: int) -> npt.NDArray[np.uint64]:
        """One band's value per signature: `pairs` pairs the texts whose values agree."""
        mix = np.random.default_rng(self.seed).integers(1, 2**63, self._rows, dtype=np.uint64) | 1
        cols = sigs[:, band * self._rows : (band + 1) * self._rows].astype(np.uint64)
        values: npt.NDArray[np.uint64] = (cols * mix).sum(axis=1, dtype=np.uint64)
        return values

    def band_codes(self, keys: Sequence[K]) -> dict[K, list[int]]:
        """The LSH band codes of the indexed `keys` (a key not indexed: none), as signed 64-bit
        integers: two texts `pairs` may pair share a code (a code also tells its band: a code
        shared by chance across bands only adds a candidate)."""
        rows = np.array([self._row[k] for k in keys if k in self._row], dtype=np.int64)
        kept = [k for k in keys if k in self._row]
        if not kept:
            return {}
        sigs = self._sigs[rows]
        codes = np.empty((len(kept), self._bands), dtype=np.uint64)
        salt = np.uint64(0x9E3779B97F4A7C15)
        for band in range(self._bands):
            codes[:, band] = self._band_values(sigs, band) * salt + np.uint64(band)
        signed = codes.view(np.int64).tolist()
        return dict(zip(kept, signed, strict=True))

    def _lean(self, row: int) -> LeanMinHash:
        return LeanMinHash(seed=self.seed, hashvalues=self._sigs[row], scheme="affine32")


def _pairs_since(values: npt.NDArray[np.uint64], since: int) -> npt.NDArray[np.int64]:
    """`_equal_pairs` of the pairs whose later row is `since` or after: the earlier rows are
    narrowed to those whose value one of the later rows has."""
    later = np.unique(values[since:])
    pos = np.minimum(np.searchsorted(later, values[:since]), len(later) - 1)
    rows = np.concatenate([np.flatnonzero(later[pos] == values[:since]),
                           np.arange(since, len(values))])  # ascending
    codes = _equal_pairs(values[rows])
    first, second = rows[codes >> 32], rows[codes & 0xFFFFFFFF]
    keep = second >= since
    out: npt.NDArray[np.int64] = (first[keep].astype(np.int64) << 32) | second[keep]
    return out


def _equal_pairs(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Codes i << 32 | j (i < j) of all pairs of rows with equal values (band hashes)."""
    if len(values) < 2:
        return np.zeros(0, np.int64)
    order = np.argsort(values, kind="stable")  # rows ascending within a run of equal values
    v = values[order]
    run_end = np.flatnonzero(np.append(v[1:] != v[:-1], True)) + 1  # exclusive end of each run
    end = np.repeat(run_end, np.diff(run_end, prepend=0))  # the end of its run, per position
    later = end - np.arange(len(v)) - 1  # members after it in its run
    first = np.repeat(np.arange(len(v)), later)
    second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later)
    codes: npt.NDArray[np.int64] = (order[first].astype(np.int64) << 32) | order[second]
    return codes
