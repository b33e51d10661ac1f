"""The demo's exchange: zone 5344 exports a signed, pseudonymised file, zone 5341 (its own
database) imports it and finds its ads sharing a phone or a photo with zone 5344's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from pipeline.analyze import analyze
from pipeline.images import hamming, hash_image
from pipeline.types import ImageRef, RawAd
from storage.exchange.alerts import list_imported_alerts
from storage.repository import Store
from vigie.demo import generate
from vigie.demo.pages import contact_line
from vigie.exchange_demo import run_exchange_demo


def _demo_store(path: Path) -> Store:
    """The demo corpus analysed directly (no crawl), images hashed in memory."""
    corpus = generate(seed=7, n_static=30, n_js=12)
    store = Store.open(f"sqlite:///{path}")
    hashes: dict[str, tuple[str, str]] = {}
    for ad in corpus.ads:
        images = []
        for name in ad.images:
            if name not in hashes:
                found = corpus.image_bytes(name)
                assert found is not None
                hashes[name] = hash_image(found[0])
            images.append(ImageRef(f"http://127.0.0.1/img/{name}", *hashes[name]))
        raw = RawAd(ad.site, ad.ad_id, f"http://127.0.0.1{ad.url_path}", ad.title, ad.text,
                    ad.location_text, ad.lang, contact_text=contact_line(ad),
                    posted_at=ad.posted_at, images=tuple(images))
        store.save(raw, analyze(raw))
    return store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _demo_store(tmp_path_factory.mktemp("demo") / "vigie.db")


@pytest.mark.slow
def test_two_zones_exchange_and_show_cross_zone_hits(demo_store: Store, tmp_path: Path) -> None:
    console = Console(file=io.StringIO(), width=160)
    result = run_exchange_demo(demo_store, work_dir=tmp_path, out=console)
    assert (tmp_path / "zone-5344-export.json.sig").exists()
    assert result.imported.signer is not None
    assert result.imported.signer.zone == "5344"
    assert result.imported.indicators == result.exported.indicators > 0
    a_ads = [a for a in demo_store.list_ads(limit=1000) if a.zone == "5344"]
    a_phones = {p.e164 for a in a_ads for p in a.analysis.phones}
    a_images = [i.phash for a in a_ads for i in a.raw.images if i.phash]
    exported = (tmp_path / "zone-5344-export.json").read_text()
    assert not any(phone in exported for phone in a_phones)  # pseudonymised
    assert result.hits, "the demo corpus plants networks across zones: expected a hit"
    with Store.open(f"sqlite:///{tmp_path / 'zone-5341.db'}") as zone_b:
        assert {a.zone for a in zone_b.list_ads(limit=1000)} == {"5341"}
        for hit in result.hits:
            ad = zone_b.get_ad(site=hit.ad[0], ad_id=hit.ad[1])
            assert ad is not None
            assert ad.zone == "5341"
            if hit.kind == "phone":
                assert hit.local_value in a_phones
                assert hit.local_value in {p.e164 for p in ad.analysis.phones}
            elif hit.kind == "image" and hit.platform == "phash":
                assert min(hamming(hit.local_value, h) for h in a_images) == hit.distance
        # zone B's networks joined zone A's indicators: every hit is in a network that says so
        networks = zone_b.list_networks(min_zones=0)
        assert networks == result.linked.networks
        hit_ads = {hit.ad for hit in result.hits}
        linked = {f.ad for n in networks for f in n.foreign if n.foreign_zones == ("5344",)}
        assert linked == hit_ads
        for n in result.linked.joined:
            assert all(f.pseudonymised or f.kind == "image" for f in n.foreign)
            assert not any(phone in e.evidence for e in n.edges for phone in a_phones
                           if e.kind.startswith("imported-"))
        alerts = list_imported_alerts(zone_b.engine, limit=1000)
        assert {a.ad for a in alerts} == hit_ads
        assert result.linked.alerts_opened == len(alerts)
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Cross-zone hits" in printed
    assert f"{len(result.hits)} cross-zone hits" in printed
    assert (f"{len(result.linked.joined)} of its {len(result.linked.networks)} networks are also "
            "seen by zone 5344") in printed
