"""Measure a crawl's stored ads against a synthetic site's truth (ads, phones, images).

Used by ``test_realsites_crawl.py`` and from a shell while writing a spec::

    PYTHONPATH=. .venv/bin/python -m tests.crawlers.realsites._measure site_a sqlite:////tmp/a.db http://127.0.0.1:8765
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from storage.repository import Store
from tests.crawlers.realsites import load_truth


@dataclass
class Score:
    site: str
    ads_truth: int = 0
    ads_found: int = 0
    phones_truth: int = 0
    phones_found: int = 0
    images_truth: int = 0
    images_found: int = 0
    missing_ads: list[str] = field(default_factory=list)
    missing_phones: list[tuple[str, str]] = field(default_factory=list)
    missing_images: list[tuple[str, str]] = field(default_factory=list)
    extra_ads: list[str] = field(default_factory=list)
    not_ad_phones_seen: list[tuple[str, str]] = field(default_factory=list)
    placeholder_seen: list[str] = field(default_factory=list)
    wrong_phones: list[tuple[str, str]] = field(default_factory=list)

    @staticmethod
    def _share(found: int, total: int) -> float:
        return found / total if total else 1.0

    @property
    def ads(self) -> float:
        return self._share(self.ads_found, self.ads_truth)

    @property
    def phones(self) -> float:
        return self._share(self.phones_found, self.phones_truth)

    @property
    def images(self) -> float:
        return self._share(self.images_found, self.images_truth)

    def summary(self) -> str:
        figures = (
            f"{self.site}: ads {self.ads_found}/{self.ads_truth}, "
            f"phones {self.phones_found}/{self.phones_truth}, "
            f"images {self.images_found}/{self.images_truth}"
        )
        details = {
            "missing ads": self.missing_ads,
            "missing phones": self.missing_phones,
            "missing images": self.missing_images[:10],
            "extra ads": self.extra_ads,
            "not-ad phones": self.not_ad_phones_seen,
            "wrong phones": self.wrong_phones,
            "placeholder": self.placeholder_seen,
        }
        return figures + "; " + ", ".join(f"{k} {v}" for k, v in details.items())


def stored_ads(db_url: str, site: str) -> dict[str, Any]:
    store = Store.open(db_url)
    return {ad.ad_id: ad for ad in store.list_ads(site=site, limit=10000)}


def measure(site: str, db_url: str, base_url: str, stored_site: str | None = None) -> Score:
    truth = load_truth(site, base_url)
    ads = stored_ads(db_url, stored_site or site)
    score = Score(site)
    truth_ids = {t["id"] for t in truth["ads"]}
    score.extra_ads = sorted(set(ads) - truth_ids)
    not_ad = set(truth["not_ad_phones"])
    placeholder = truth["placeholder_image"]
    for ad in ads.values():
        phones = {p.e164 for p in ad.analysis.phones} if ad.analysis else set()
        for p in sorted(phones & not_ad):
            score.not_ad_phones_seen.append((ad.ad_id, p))
        if any(img.url == placeholder for img in ad.raw.images):
            score.placeholder_seen.append(ad.ad_id)
    for t in truth["ads"]:
        score.ads_truth += 1
        score.phones_truth += len(t["phones"])
        score.images_truth += len(t["images"])
        ad = ads.get(t["id"])
        if ad is None:
            score.missing_ads.append(t["id"])
            score.missing_phones += [(t["id"], p) for p in t["phones"]]
            score.missing_images += [(t["id"], u) for u in t["images"]]
            continue
        score.ads_found += 1
        phones = {p.e164 for p in ad.analysis.phones} if ad.analysis else set()
        for p in t["phones"]:
            if p in phones:
                score.phones_found += 1
            else:
                score.missing_phones.append((t["id"], p))
        score.wrong_phones += [(t["id"], p) for p in sorted(phones - set(t["phones"]))]
        images = {img.url for img in ad.raw.images}
        for u in t["images"]:
            if u in images:
                score.images_found += 1
            else:
                score.missing_images.append((t["id"], u))
    return score


if __name__ == "__main__":  # pragma: no cover - a shell helper
    sys.stdout.write(measure(sys.argv[1], sys.argv[2], sys.argv[3]).summary() + "\n")
