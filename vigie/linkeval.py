"""Linking measured against the demo corpus' planted networks: pairwise precision and recall.

No crawl: the generator's ads become RawAds as the sites show them (title, body, place, contact
line), their images are hashed from the generator's bytes in memory (`pipeline.images`), each is
analysed, then linked. Two ads form a true pair when the ground truth plants them in the same
network; a predicted pair when the linker put them in one network (`pipeline.linkscore`).
"""

from __future__ import annotations

from pipeline.analyze import analyze
from pipeline.images import hash_image
from pipeline.link import LinkConfig, Linker
from pipeline.linkscore import PairScores, pairwise
from pipeline.types import Analysis, ImageRef, RawAd
from vigie.demo import DemoCorpus, generate
from vigie.demo.pages import contact_line

__all__ = ["PairScores", "demo_items", "evaluate_demo", "pairwise"]


def demo_items(corpus: DemoCorpus, region: str = "BE") -> list[tuple[RawAd, Analysis]]:
    """Every demo ad as a site shows it, with its images hashed, and its analysis."""
    items = []
    for ad in corpus.ads:
        refs = []
        for name in ad.images:
            found = corpus.image_bytes(name)
            if found is not None:
                phash, dhash = hash_image(found[0])
                refs.append(ImageRef(url=f"/img/{name}", phash=phash, dhash=dhash))
        raw = RawAd(site=ad.site, ad_id=ad.ad_id, url=ad.url_path, title=ad.title, text=ad.text,
                    location_text=ad.location_text, lang=ad.lang, contact_text=contact_line(ad),
                    posted_at=ad.posted_at, images=tuple(refs))
        items.append((raw, analyze(raw, region=region)))
    return items


def evaluate_demo(seed: int, config: LinkConfig | None = None, n_static: int = 60,
                  n_js: int = 30) -> PairScores:
    """Generate the demo corpus for `seed`, analyse and link it, score it pairwise."""
    corpus = generate(seed=seed, n_static=n_static, n_js=n_js)
    linker = Linker(config)
    linker.add(demo_items(corpus))
    truth = {(ad.site, ad.ad_id): ad.network for ad in corpus.ads}
    return pairwise(seed, linker.network_ids(), truth)
