"""The generated demo corpus: its ads, their images, and the ground truth that goes with them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from vigie.demo import images
from vigie.demo.images import ImageSpec

SITES = ("demo-static", "demo-js")
PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class DemoAd:
    """One synthetic ad and everything planted in it."""

    site: str  # "demo-static" | "demo-js"
    ad_id: str  # "S0001" | "J0001"
    lang: str  # "fr" | "nl" | "en"
    title: str
    body: tuple[str, ...]  # paragraphs
    location_text: str
    posted_at: datetime  # UTC
    phone_rendered: str  # the phone as the ad writes it
    phone_e164: str
    phone_style: str
    aliases: tuple[str, ...]
    ages: tuple[int, ...]
    commune: str | None
    zone: str | None
    images: tuple[str, ...]  # image names, served under /img/<name>
    minor_cues: tuple[str, ...] = ()
    trafficking_cues: tuple[str, ...] = ()
    hard_negatives: tuple[str, ...] = ()
    network: str | None = None

    @property
    def url_path(self) -> str:
        if self.site == "demo-static":
            return f"/static/ad/{self.ad_id}"
        return f"/js/ad.html?id={self.ad_id}"

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)

    @property
    def is_minor_cue(self) -> bool:
        return bool(self.minor_cues)

    @property
    def is_trafficking_cue(self) -> bool:
        return bool(self.trafficking_cues)

    def ground_truth(self) -> dict[str, Any]:
        """The ground-truth record of SITES.md (one JSON line)."""
        return {
            "site": self.site,
            "ad_id": self.ad_id,
            "url_path": self.url_path,
            "lang": self.lang,
            "posted_at": self.posted_at.isoformat(),
            "phones": [self.phone_e164],
            "phone_style": self.phone_style,
            "aliases": list(self.aliases),
            "ages": list(self.ages),
            "commune": self.commune,
            "zone": self.zone,
            "cues": {"minor": list(self.minor_cues), "trafficking": list(self.trafficking_cues)},
            "is_minor_cue": self.is_minor_cue,
            "is_trafficking_cue": self.is_trafficking_cue,
            "hard_negatives": list(self.hard_negatives),
            "network": self.network,
            "images": list(self.images),
        }


@dataclass(frozen=True)
class DemoCorpus:
    """All ads of both demo sites for one seed, and the specs of the images they show."""

    seed: int
    ads: tuple[DemoAd, ...]
    image_specs: dict[str, ImageSpec] = field(default_factory=dict, compare=False)

    @cached_property
    def _index(self) -> dict[tuple[str, str], DemoAd]:
        return {(ad.site, ad.ad_id): ad for ad in self.ads}

    @cached_property
    def _listings(self) -> dict[str, tuple[DemoAd, ...]]:
        def newest_first(site: str) -> tuple[DemoAd, ...]:
            ads = [ad for ad in self.ads if ad.site == site]
            return tuple(sorted(ads, key=lambda ad: (ad.posted_at, ad.ad_id), reverse=True))

        return {site: newest_first(site) for site in SITES}

    def get(self, site: str, ad_id: str) -> DemoAd | None:
        """The ad `ad_id` of `site`, or None."""
        return self._index.get((site, ad_id))

    def listing(self, site: str) -> tuple[DemoAd, ...]:
        """A site's ads, newest first (the order of its listing pages)."""
        return self._listings[site]

    def page(self, site: str, number: int) -> tuple[tuple[DemoAd, ...], bool] | None:
        """Listing page `number` (from 1) of `site` and whether a next page follows.

        None when `number` is out of range.
        """
        ads = self.listing(site)
        last = max(1, -(-len(ads) // PAGE_SIZE))
        if number < 1 or number > last:
            return None
        return ads[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], number < last

    def image_bytes(self, name: str) -> tuple[bytes, str] | None:
        """The rendered bytes and content type of image `name`, or None if unknown."""
        spec = self.image_specs.get(name)
        if spec is None:
            return None
        return images.render(spec), spec.content_type

    def ground_truth(self) -> list[dict[str, Any]]:
        """One ground-truth record per ad, in generation order."""
        return [ad.ground_truth() for ad in self.ads]

    def ground_truth_lines(self) -> list[str]:
        """The ground-truth JSON lines (no newline characters), as `write_ground_truth` writes."""
        return [json.dumps(record, ensure_ascii=False, sort_keys=True)
                for record in self.ground_truth()]

    def write_ground_truth(self, path: Path | str) -> None:
        """Write one JSON line per ad (SITES.md, "Ground truth")."""
        text = "".join(line + "\n" for line in self.ground_truth_lines())
        Path(path).write_text(text, encoding="utf-8")
