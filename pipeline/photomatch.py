"""Which photos are the same photo: the one decision that linking, watchlists, the import of other
zones' indicators and `vigie images match` all take.

A photo is known by its hashes (`Photo`): the 64-bit pHash and dHash (every stored image has
them) and, for images hashed since issue 16, the sign-DCT hashes by region
(`pipeline.photohash`: whole picture, trimmed content, crops). Two photos match when

- their pHashes lie within `MatchRule.phash` bits, or their dHashes within `MatchRule.dhash`
  bits: a hash is only ever compared with a hash of its own kind (a pHash with a dHash would be
  chance: one plain picture raised 33 alerts that way);
- or a DCT hash of one lies within `MatchRule.dct` bits of a DCT hash of the other in one of the
  8 orientations of the square (mirrors, quarter turns: the hash is permuted without the
  picture), where at least one of the two is a whole-picture hash (`whole`, `trim`), or both are
  the same band (`t85` with `t85`: a banner across the other part). A crop is so matched against
  the whole of its copy, never a crop against a crop.

`PhotoIndex` keeps photos in exact, sub-linear Hamming indexes (`pipeline.hashindex`): `match`
answers a query, `add` the matches of new photos with those already there (for linking). Every
answer carries its evidence: the hash kinds, the orientation and the distance.

Radii (`MatchRule`): DCT 8 bits whole picture to whole picture, 6 for a crop, 4 for a turned
picture, each confirmed by the regions' block hashes within 8 bits. Measured (bench/photomatch.py):
no false match among 499,500 pairs of generated pictures nor among 147 million pairs of photos
of random hashes (1,000,000 stored hashes); the blind material's dev half
(bench/photomatch_eval.py): no false match, none among its look-alike negative pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from pipeline.hashindex import HashIndex, parse_hash
from pipeline.photohash import (
    BAND_REGIONS,
    INSCRIBED_REGIONS,
    ORIENTATIONS,
    REGIONS,
    ROT_REGIONS,
    WHOLE_REGIONS,
    orient_many,
)

K = TypeVar("K")

DEFAULT_PHASH_RADIUS = 8
DEFAULT_DHASH_RADIUS = 3  # weak on repeated patterns: unrelated curtains lie 4-6 bits apart
DEFAULT_DCT_RADIUS = 8
DEFAULT_CROP_RADIUS = 6
DEFAULT_TURN_RADIUS = 4
DEFAULT_BLOCK_RADIUS = 8
_LOW = (1 << 64) - 1
_SLOTS = 64  # index keys: photo id * _SLOTS + region
_CHUNK = 1024  # photos searched together
_PLAIN = ("phash", "dhash")


@dataclass(frozen=True, slots=True)
class MatchRule:
    """The radius of each hash kind, in bits (None: that kind never matches)."""

    phash: int | None = DEFAULT_PHASH_RADIUS
    dhash: int | None = DEFAULT_DHASH_RADIUS
    dct: int | None = DEFAULT_DCT_RADIUS
    crop: int = DEFAULT_CROP_RADIUS  # a DCT match of a crop region: at most this many bits
    turn: int = DEFAULT_TURN_RADIUS  # ... of a turned picture (`r±θ`, `iθ`)
    blocks: int = DEFAULT_BLOCK_RADIUS  # a DCT match is confirmed by the block hashes

    def __post_init__(self) -> None:
        for name in ("phash", "dhash", "dct", "crop", "turn", "blocks"):
            r = getattr(self, name)
            if r is not None and not 0 <= r <= 32:
                raise ValueError(f"{name} radius must be 0 to 32 bits: {r}")


@dataclass(frozen=True, slots=True)
class Photo:
    """The hashes of one photo as ints (None: not known)."""

    phash: int | None = None
    dhash: int | None = None
    dct: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, phash: str | None = None, dhash: str | None = None, dct: str | None = None,
           ) -> Photo:
        """From stored text: 16 hex digits each, `dct` as written by `encode_dct`. A malformed
        value is ValueError."""
        return cls(
            parse_hash(phash) if phash else None,
            parse_hash(dhash) if dhash else None,
            decode_dct(dct) if dct else {},
        )

    def __bool__(self) -> bool:
        return self.phash is not None or self.dhash is not None or bool(self.dct)


@dataclass(frozen=True, slots=True, order=True)
class PhotoMatch(Generic[K]):
    """One photo matching another: `kind` phash, dhash or dct; for dct, `detail` says which
    regions and orientation (`whole~c86 rot90`: the query's whole picture, turned a quarter,
    against the other's centre 86%)."""

    distance: int
    kind: str
    detail: str
    key: K

    @property
    def evidence(self) -> str:
        return f"{self.kind} {self.detail}: {self.distance} bits".replace("  ", " ")


def encode_dct(hashes: dict[str, int]) -> str:
    """`region=32 hex digits` pairs in REGIONS order, space-separated: a region's DCT hash,
    then its block hash (`pipeline.photohash.pair_hash`)."""
    return " ".join(f"{r}={hashes[r]:032x}" for r in REGIONS if r in hashes)


def decode_dct(text: str) -> dict[str, int]:
    """The inverse of `encode_dct`; ValueError for anything else."""
    out: dict[str, int] = {}
    for part in text.split():
        region, sep, value = part.partition("=")
        if not sep or region not in REGIONS or len(value) != 32 or value.lower() != value:
            raise ValueError(f"not a region hash: {part[:50]!r}")
        out[region] = parse_hash(value[:16]) << 64 | parse_hash(value[16:])
    return out


def encode_photo(photo: Photo) -> str:
    """A photo's hashes as one text: `phash=… dhash=…` then `encode_dct`'s pairs."""
    plain = [f"{k}={v:016x}" for k, v in (("phash", photo.phash), ("dhash", photo.dhash))
             if v is not None]
    return " ".join([*plain, encode_dct(photo.dct)]).strip()


def decode_photo(text: str) -> Photo:
    """The inverse of `encode_photo`; 16 bare hex digits are a pHash (what a watchlist kept
    before). ValueError for anything else."""
    text = text.strip()
    if len(text) == 16 and "=" not in text:
        return Photo(phash=parse_hash(text))
    plain: dict[str, int] = {}
    rest: list[str] = []
    for part in text.split():
        kind, sep, value = part.partition("=")
        if kind in _PLAIN and sep:
            if len(value) != 16:
                raise ValueError(f"not a {kind}: {part[:40]!r}")
            plain[kind] = parse_hash(value)
        else:
            rest.append(part)
    photo = Photo(plain.get("phash"), plain.get("dhash"), decode_dct(" ".join(rest)))
    if not photo:
        raise ValueError("no hash in a photo's text")
    return photo


def is_dct(text: str) -> bool:
    try:
        return bool(decode_dct(text))
    except ValueError:
        return False


def _comparable(query_region: str, stored_region: str) -> bool:
    return _COMPARABLE[query_region, stored_region]


def _comparable_pair(a: str, b: str) -> bool:
    """A turned copy (`r±θ`) meets a whole picture or a turned canvas's content (`iθ`); `iθ`
    meets nothing else; a crop meets a whole picture; a band also the same band."""
    if a in INSCRIBED_REGIONS or b in INSCRIBED_REGIONS:
        return {a, b} <= set(INSCRIBED_REGIONS) | set(ROT_REGIONS) and (
            (a in ROT_REGIONS) != (b in ROT_REGIONS))
    return (
        a in WHOLE_REGIONS
        or b in WHOLE_REGIONS
        or (a == b and a in BAND_REGIONS)
    )


_COMPARABLE = {(a, b): _comparable_pair(a, b) for a in REGIONS for b in REGIONS}
_TURNS = frozenset(ROT_REGIONS + INSCRIBED_REGIONS)


def _radius(rule: MatchRule, a: str, b: str) -> int:
    """The DCT radius between regions a and b (-1: never compared)."""
    if not _COMPARABLE[a, b] or rule.dct is None:
        return -1
    if a in _TURNS or b in _TURNS:
        return min(rule.dct, rule.turn)
    if a in WHOLE_REGIONS and b in WHOLE_REGIONS:
        return rule.dct
    return min(rule.dct, rule.crop)


class PhotoIndex(Generic[K]):
    """Photos by key, searchable by `MatchRule`: exact within each radius, sub-linear."""

    def __init__(self, rule: MatchRule | None = None) -> None:
        self.rule = rule or MatchRule()
        self._keys: list[K] = []
        self._plain: dict[str, HashIndex[int]] = {
            "phash": HashIndex(self.rule.phash or 0),
            "dhash": HashIndex(self.rule.dhash or 0),
        }
        self._dct: HashIndex[int] = HashIndex(self.rule.dct or 0)  # key: _SLOTS * photo + region
        self._blocks: dict[int, int] = {}  # the same key -> the region's block hash
        self._radius = {pair: _radius(self.rule, *pair) for pair in _COMPARABLE}
        self._n_entries = 0

    def __len__(self) -> int:
        return len(self._keys)

    def key(self, photo_id: int) -> K:
        return self._keys[photo_id]

    def extend(self, items: Iterable[tuple[K, Photo]]) -> list[int]:
        """Add photos; returns their ids (positions)."""
        plain: dict[str, tuple[list[int], list[int]]] = {"phash": ([], []), "dhash": ([], [])}
        dct_keys: list[int] = []
        dct_values: list[int] = []
        ids: list[int] = []
        for key, photo in items:
            pid = len(self._keys)
            self._keys.append(key)
            ids.append(pid)
            for kind, value in (("phash", photo.phash), ("dhash", photo.dhash)):
                if value is not None:
                    plain[kind][0].append(pid)
                    plain[kind][1].append(value)
            for region, value in photo.dct.items():
                entry = _SLOTS * pid + REGIONS.index(region)
                dct_keys.append(entry)
                dct_values.append(value >> 64)
                self._blocks[entry] = value & _LOW
        for kind, (keys, values) in plain.items():
            if keys:
                self._plain[kind].add_many(keys, np.array(values, dtype=np.uint64))
        if dct_keys:
            self._dct.add_many(dct_keys, np.array(dct_values, dtype=np.uint64))
        return ids

    def match(self, photo: Photo, *, exclude: int | None = None) -> list[PhotoMatch[K]]:
        """The photos matching `photo`, nearest first, one (the best evidence) per photo id;
        `exclude`: a photo id never answered (the query's own)."""
        best = self.match_ids([photo], [exclude])[0]
        out = [PhotoMatch(d, kind, detail, self._keys[pid]) for pid, (d, kind, detail)
               in best.items()]
        return sorted(out, key=lambda m: (m.distance, m.kind, m.detail, str(m.key)))

    def match_ids(
        self, photos: Sequence[Photo], exclude: Sequence[int | None] | None = None
    ) -> list[dict[int, tuple[int, str, str]]]:
        """For each photo, its matches as photo id -> (distance, kind, detail), the best
        evidence per id; `exclude[i]`: a photo id never answered for photo i. One batched
        search for all of them."""
        skip = list(exclude) if exclude is not None else [None] * len(photos)
        best: list[dict[int, tuple[int, str, str]]] = [{} for _ in photos]

        def keep(i: int, pid: int, found: tuple[int, str, str]) -> None:
            if pid != skip[i] and (pid not in best[i] or found < best[i][pid]):
                best[i][pid] = found

        for kind, radius in (("phash", self.rule.phash), ("dhash", self.rule.dhash)):
            rows = [(i, v) for i, p in enumerate(photos)
                    if (v := p.phash if kind == "phash" else p.dhash) is not None]
            if not rows or radius is None or not len(self._plain[kind]):
                continue
            values = np.array([v for _, v in rows], dtype=np.uint64)
            for (i, _), found in zip(rows, self._plain[kind].query_many(values, radius),
                                     strict=True):
                for pid, d in found:
                    keep(i, pid, (d, kind, ""))
        queries = [(i, r, v) for i, p in enumerate(photos) for r, v in p.dct.items()]
        if queries and self.rule.dct is not None and len(self._dct):
            oriented = orient_many(np.array([v >> 64 for _, _, v in queries], dtype=np.uint64))
            blocks = orient_many(np.array([v & _LOW for _, _, v in queries], dtype=np.uint64),
                                 blocks=True).tolist()
            hits = self._dct.query_many(oriented.reshape(-1), self.rule.dct)
            for row, found in enumerate(hits):
                if not found:
                    continue
                orientation, q = divmod(row, len(queries))
                i, region, _ = queries[q]
                block = blocks[orientation][q]
                for entry, d in found:
                    pid, stored = divmod(entry, _SLOTS)
                    if d <= self._radius[region, REGIONS[stored]] and (
                        (self._blocks[entry] ^ block).bit_count() <= self.rule.blocks
                    ):
                        how = ORIENTATIONS[orientation]
                        detail = f"{region}~{REGIONS[stored]}" + (f" {how}" if how != "id" else "")
                        keep(i, pid, (d, "dct", detail))
        return best

    def add(self, items: Sequence[tuple[K, Photo]]) -> list[tuple[int, int, int, str, str]]:
        """Add photos and return their matches with every photo already there and with each
        other: (earlier id, later id, distance, kind, detail), one per pair, best evidence."""
        photos = [p for _, p in items]
        ids = self.extend(items)
        pairs: dict[tuple[int, int], tuple[int, str, str]] = {}
        for lo in range(0, len(ids), _CHUNK):
            chunk = ids[lo : lo + _CHUNK]
            found_by = self.match_ids(photos[lo : lo + _CHUNK], chunk)
            for pid, found_here in zip(chunk, found_by, strict=True):
                for other, found in found_here.items():
                    pair = (min(pid, other), max(pid, other))
                    if pair not in pairs or found < pairs[pair]:
                        pairs[pair] = found
        return sorted((a, b, d, kind, detail) for (a, b), (d, kind, detail) in pairs.items())
