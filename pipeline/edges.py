"""The edges of the ad graph: what two ads share, found incrementally as ads arrive.

Four kinds, each with its evidence:
- `phone`: the same E.164 number; evidence the number.
- `contact`: the same messaging handle (WhatsApp, Telegram, …; not URLs or e-mails of a site);
  evidence `kind:value`.
- `image`: pHashes within `image_radius` bits (`pipeline.hashindex`, exact within the radius);
  evidence `phash <a> ~ <b>: <d> bits`. Measured on the demo corpus (seeds 7–10, 1,900 pairs of
  re-encoded, cropped, resized copies against 31,000 pairs of distinct pictures): copies lie
  0–10 bits apart, most within 6, distinct pictures 14 or more; the demo's pairwise F1 is 1.0 at
  radius 6, 8 and 10 alike. What decides is scale: two unrelated 64-bit hashes fall within 10
  bits with odds of 1e-8, within 8 of 3e-10, so among a million pictures radius 10 makes ~7,000
  chance links and radius 8 ~200 (bench/link.py, 1M ads: pairwise precision 0.85 at 10, 0.995
  at 8). Hence the default of 8 (bench, 200,000 ads: F1 0.906 at 8, 0.896 at 10, 0.895 at 6).
- `text`: near-duplicate texts or a shared template (`pipeline.textsim`, MinHash LSH over
  normalised shingles, the phone numbers and the ad's own aliases masked); evidence
  `text ~<estimated Jaccard>`.

Shared exact values are joined to the first ad that had them (a star, not a clique), so the
edges grow linearly with the ads; near-duplicate images and texts give one edge per matching
pair of distinct hashes or texts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from pipeline.hashindex import HashIndex, parse_hash
from pipeline.hubs import DEFAULT_HUB_MIN_ADS, DEFAULT_HUB_MIN_GROUPS
from pipeline.linkkinds import DEFAULT_IMAGE_RADIUS, DEFAULT_TEXT_THRESHOLD, LINKING_CONTACTS
from pipeline.photomatch import DEFAULT_DCT_RADIUS, MatchRule, Photo, PhotoIndex, decode_dct
from pipeline.textsim import TextIndex
from pipeline.types import AdKey, Analysis, Edge, ImageRef, RawAd

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """What joins two ads. `image_radius`: pHash bits (None: images never link);
    `text_threshold`: estimated Jaccard of shingles (None: texts never link); `hub_min_ads` and
    `hub_min_groups`: when a shared value is a hub that joins nothing (`pipeline.hubs`)."""

    image_radius: int | None = DEFAULT_IMAGE_RADIUS
    text_threshold: float | None = DEFAULT_TEXT_THRESHOLD
    text_min_words: int = 12
    hub_min_ads: int | None = DEFAULT_HUB_MIN_ADS  # None: no value is ever a hub
    hub_min_groups: int = DEFAULT_HUB_MIN_GROUPS
    dct_radius: int | None = DEFAULT_DCT_RADIUS  # sign-DCT region hashes (None: not used)

    def __post_init__(self) -> None:
        if self.image_radius is not None and not 0 <= self.image_radius <= 32:
            raise ValueError(f"image_radius must be 0 to 32 bits: {self.image_radius}")
        if self.dct_radius is not None and not 0 <= self.dct_radius <= 32:
            raise ValueError(f"dct_radius must be 0 to 32 bits: {self.dct_radius}")
        if self.text_threshold is not None and not 0.0 < self.text_threshold <= 1.0:
            raise ValueError(f"text_threshold must be in (0, 1]: {self.text_threshold}")
        if self.hub_min_ads is not None and not 2 <= self.hub_min_groups <= self.hub_min_ads:
            raise ValueError(
                f"hub thresholds: need 2 <= hub_min_groups <= hub_min_ads, got "
                f"{self.hub_min_groups} and {self.hub_min_ads}"
            )


@dataclass(frozen=True, slots=True)
class LinkAd:
    """What the linker needs of one ad."""

    key: AdKey
    analysis: Analysis
    seen: datetime | None  # posted, else fetched: first/last seen
    text: str = ""
    images: tuple[ImageRef, ...] = ()
    posted: datetime | None = None  # the posting date alone: movement between zones

    @classmethod
    def of(cls, raw: RawAd, analysis: Analysis) -> LinkAd:
        by_url = {im.url: im for im in raw.images}
        by_url.update({im.url: im for im in analysis.images if im.phash or im.url not in by_url})
        text = f"{raw.title}\n{raw.text}" if raw.title else raw.text
        return cls(
            (raw.site, raw.ad_id),
            analysis,
            raw.posted_at or raw.fetched_at,
            text,
            tuple(by_url.values()),
            raw.posted_at,
        )


def exact_values(ad: Analysis) -> Iterator[tuple[str, str]]:
    """(kind, value) of the phones and person-identifying handles of an ad."""
    for p in ad.phones:
        yield "phone", p.e164
    for c in ad.contacts:
        if c.kind in LINKING_CONTACTS:
            yield "contact", f"{c.kind}:{c.value}"


class EdgeFinder:
    """Finds the edges between each new batch of ads and every ad seen before (and within the
    batch). Feeding ads in several batches gives the same joins as one batch."""

    def __init__(self, config: LinkConfig | None = None) -> None:
        self.config = config or LinkConfig()
        self._first: dict[tuple[str, str], AdKey] = {}
        self._hash_id: dict[int, int] = {}  # distinct pHash -> id in the index
        self._hash_owner: list[AdKey] = []  # per id: the first ad with that pHash
        self._hash_value: list[int] = []  # per id: the pHash
        radius = self.config.image_radius
        self._images: HashIndex[int] = HashIndex(radius=radius or 0)
        self._photos: PhotoIndex[AdKey] = PhotoIndex(
            MatchRule(phash=None, dhash=None, dct=self.config.dct_radius)
        )
        self._photo_id: dict[str, int] = {}  # distinct DCT hashes -> photo id
        self._photo_wholes: list[str] = []  # per photo id: its whole-picture hash
        self._texts: TextIndex[AdKey] | None = None
        if self.config.text_threshold is not None:
            self._texts = TextIndex(
                threshold=self.config.text_threshold, min_words=self.config.text_min_words
            )

    def add(self, ads: Sequence[LinkAd]) -> list[Edge]:
        """Edges that the ads of this batch bring: phones and handles, images, texts."""
        edges = list(self._exact(ads))
        if self.config.image_radius is not None:
            edges += self._near_images(ads, self.config.image_radius)
        if self.config.image_radius is not None and self.config.dct_radius is not None:
            edges += self._near_photos(ads)
        if self._texts is not None:
            edges += self._near_texts(ads, self._texts)
        return edges

    def text_bands(self, keys: Sequence[AdKey]) -> dict[AdKey, list[int]]:
        """The text LSH band codes of ads seen (`TextIndex.band_codes`): none without texts."""
        return self._texts.band_codes(keys) if self._texts is not None else {}

    def _exact(self, ads: Iterable[LinkAd]) -> Iterator[Edge]:
        for ad in ads:
            for kind, value in dict.fromkeys(exact_values(ad.analysis)):
                first = self._first.setdefault((kind, value), ad.key)
                if first != ad.key:
                    yield Edge(first, ad.key, kind, value)

    def _near_images(self, ads: Sequence[LinkAd], radius: int) -> list[Edge]:
        edges: list[Edge] = []
        new_ids: list[int] = []
        new_hashes: list[int] = []
        for ad in ads:
            for im in ad.images:
                if not im.phash:
                    continue
                try:
                    h = parse_hash(im.phash)
                except ValueError:
                    log.warning("bad pHash %r in %s", im.phash, ad.key)
                    continue
                known = self._hash_id.get(h)
                if known is None:
                    known = self._hash_id[h] = len(self._hash_owner)
                    self._hash_owner.append(ad.key)
                    self._hash_value.append(h)
                    new_ids.append(known)
                    new_hashes.append(h)
                elif self._hash_owner[known] != ad.key:
                    edges.append(
                        Edge(
                            self._hash_owner[known],
                            ad.key,
                            "image",
                            f"phash {im.phash} ~ {im.phash}: 0 bits",
                        )
                    )
        if not new_ids:
            return edges
        since = new_ids[0]
        self._images.add_many(new_ids, np.array(new_hashes, dtype=np.uint64))
        a, b, d = self._images.pair_ids(radius, since)  # ids are positions: keys 0, 1, 2, ...
        order = np.lexsort((a, d, b))  # by the later hash, then distance
        owners, values = self._hash_owner, self._hash_value
        for i, j, dist in zip(a[order].tolist(), b[order].tolist(), d[order].tolist(), strict=True):
            if owners[i] != owners[j]:
                edges.append(
                    Edge(
                        owners[i],
                        owners[j],
                        "image",
                        f"phash {values[i]:016x} ~ {values[j]:016x}: {dist} bits",
                    )
                )
        return edges

    def _near_photos(self, ads: Sequence[LinkAd]) -> list[Edge]:
        """Edges by sign-DCT region hashes (`pipeline.photomatch`): one per pair of distinct
        photos of different ads; a photo seen before is joined to its first ad."""
        edges: list[Edge] = []
        new: list[tuple[AdKey, Photo]] = []
        wholes: list[str] = []
        for ad in ads:
            for im in ad.images:
                if not im.dct:
                    continue
                known = self._photo_id.get(im.dct)
                if known is not None:
                    done = len(self._photos)
                    owner = self._photos.key(known) if known < done else new[known - done][0]
                    if owner != ad.key:
                        whole = _whole(im.dct)
                        edges.append(Edge(owner, ad.key, "image",
                                          f"dct {whole} ~ {whole} same: 0 bits"))
                    continue
                try:
                    photo = Photo(dct=decode_dct(im.dct))
                except ValueError:
                    log.warning("bad DCT hashes %r in %s", im.dct[:60], ad.key)
                    continue
                self._photo_id[im.dct] = len(self._photos) + len(new)
                new.append((ad.key, photo))
                wholes.append(_whole(im.dct))
        if not new:
            return edges
        first = len(self._photos)
        whole_of = self._photo_wholes
        whole_of.extend(wholes)
        for i, j, dist, _kind, detail in self._photos.add(new):
            a, b = self._photos.key(i), self._photos.key(j)
            if a != b and j >= first:
                edges.append(Edge(a, b, "image",
                                  f"dct {whole_of[i]} ~ {whole_of[j]} {detail}: {dist} bits"))
        return edges

    def _near_texts(self, ads: Sequence[LinkAd], index: TextIndex[AdKey]) -> list[Edge]:
        batch = [
            (ad.key, ad.text, [al.name for al in ad.analysis.aliases])
            for ad in ads
            if ad.text and ad.key not in index
        ]
        since = len(index)
        if not index.add_many(batch):
            return []
        new = {key for key, _, _ in batch}
        return [
            Edge(a, b, "text", f"text ~{sim:.2f}")
            for a, b, sim in index.pairs(since)
            if b in new and a != b
        ]


def _whole(dct: str) -> str:
    """The whole-picture hash in region hashes (`whole=...`), as 16 hex digits."""
    for part in dct.split():
        if part.startswith("whole="):
            return part[6:]
    return dct.split()[0].partition("=")[2] if dct.split() else ""
