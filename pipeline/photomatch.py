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

Radii: a pair of unrelated photos is compared through ~150 pairs of DCT hashes (regions x
orientations); at 8 bits a pair of independent 64-bit hashes matches with odds 3e-10, so about
5e-8 per pair of photos (bench/photomatch.py measures it on a million real-valued hashes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from pipeline.hashindex import HashIndex, parse_hash
from pipeline.photohash import BAND_REGIONS, ORIENTATIONS, REGIONS, WHOLE_REGIONS, orient_many

K = TypeVar("K")

DEFAULT_PHASH_RADIUS = 8
DEFAULT_DHASH_RADIUS = 8
DEFAULT_DCT_RADIUS = 8


@dataclass(frozen=True, slots=True)
class MatchRule:
    """The radius of each hash kind, in bits (None: that kind never matches)."""

    phash: int | None = DEFAULT_PHASH_RADIUS
    dhash: int | None = DEFAULT_DHASH_RADIUS
    dct: int | None = DEFAULT_DCT_RADIUS

    def __post_init__(self) -> None:
        for name in ("phash", "dhash", "dct"):
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
    """`region=16 hex digits` pairs in REGIONS order, space-separated."""
    return " ".join(f"{r}={hashes[r]:016x}" for r in REGIONS if r in hashes)


def decode_dct(text: str) -> dict[str, int]:
    """The inverse of `encode_dct`; ValueError for anything else."""
    out: dict[str, int] = {}
    for part in text.split():
        region, sep, value = part.partition("=")
        if not sep or region not in REGIONS or len(value) != 16 or value.lower() != value:
            raise ValueError(f"not a region hash: {part[:40]!r}")
        out[region] = parse_hash(value)
    return out


def is_dct(text: str) -> bool:
    try:
        return bool(decode_dct(text))
    except ValueError:
        return False


def _comparable(query_region: str, stored_region: str) -> bool:
    return (
        query_region in WHOLE_REGIONS
        or stored_region in WHOLE_REGIONS
        or (query_region == stored_region and query_region in BAND_REGIONS)
    )


class PhotoIndex(Generic[K]):
    """Photos by key, searchable by `MatchRule`: exact within each radius, sub-linear."""

    def __init__(self, rule: MatchRule | None = None) -> None:
        self.rule = rule or MatchRule()
        self._keys: list[K] = []
        self._plain: dict[str, HashIndex[int]] = {
            "phash": HashIndex(self.rule.phash or 0),
            "dhash": HashIndex(self.rule.dhash or 0),
        }
        self._dct: HashIndex[int] = HashIndex(self.rule.dct or 0)  # key: 32 * photo + region
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
                dct_keys.append(32 * pid + REGIONS.index(region))
                dct_values.append(value)
        for kind, (keys, values) in plain.items():
            if keys:
                self._plain[kind].add_many(keys, np.array(values, dtype=np.uint64))
        if dct_keys:
            self._dct.add_many(dct_keys, np.array(dct_values, dtype=np.uint64))
        return ids

    def match(self, photo: Photo, *, exclude: int | None = None) -> list[PhotoMatch[K]]:
        """The photos matching `photo`, nearest first, one (the best evidence) per photo id;
        `exclude`: a photo id never answered (the query's own)."""
        best = self._match_ids(photo, exclude)
        out = [PhotoMatch(d, kind, detail, self._keys[pid]) for pid, (d, kind, detail)
               in best.items()]
        return sorted(out, key=lambda m: (m.distance, m.kind, m.detail, str(m.key)))

    def match_ids(self, photo: Photo, *, exclude: int | None = None,
                  ) -> dict[int, tuple[int, str, str]]:
        """`match` as photo id -> (distance, kind, detail)."""
        return self._match_ids(photo, exclude)

    def _match_ids(self, photo: Photo, exclude: int | None) -> dict[int, tuple[int, str, str]]:
        best: dict[int, tuple[int, str, str]] = {}

        def keep(pid: int, found: tuple[int, str, str]) -> None:
            if pid != exclude and (pid not in best or found < best[pid]):
                best[pid] = found

        for kind, value, radius in (("phash", photo.phash, self.rule.phash),
                                    ("dhash", photo.dhash, self.rule.dhash)):
            if value is not None and radius is not None and len(self._plain[kind]):
                for pid, d in self._plain[kind].query(value, radius):
                    keep(pid, (d, kind, ""))
        if photo.dct and self.rule.dct is not None and len(self._dct):
            regions = list(photo.dct)
            oriented = orient_many(np.array([photo.dct[r] for r in regions], dtype=np.uint64))
            hits = self._dct.query_many(oriented.reshape(-1), self.rule.dct)
            for row, found in enumerate(hits):
                orientation, region = divmod(row, len(regions))
                for entry, d in found:
                    pid, stored = divmod(entry, 32)
                    if _comparable(regions[region], REGIONS[stored]):
                        how = ORIENTATIONS[orientation]
                        detail = f"{regions[region]}~{REGIONS[stored]}" + (
                            f" {how}" if how != "id" else "")
                        keep(pid, (d, "dct", detail))
        return best

    def add(self, items: Sequence[tuple[K, Photo]]) -> list[tuple[int, int, int, str, str]]:
        """Add photos and return their matches with every photo already there and with each
        other: (earlier id, later id, distance, kind, detail), one per pair, best evidence."""
        photos = [p for _, p in items]
        ids = self.extend(items)
        pairs: dict[tuple[int, int], tuple[int, str, str]] = {}
        for pid, photo in zip(ids, photos, strict=True):
            for other, found in self._match_ids(photo, pid).items():
                pair = (min(pid, other), max(pid, other))
                if pair not in pairs or found < pairs[pair]:
                    pairs[pair] = found
        return sorted((a, b, d, kind, detail) for (a, b), (d, kind, detail) in pairs.items())
