"""crawlers.pipelines: image hashing through Scrapy's media pipeline, analysis and storage.

The methods are called directly (no reactor); the crawl in test_runner.py runs them for real and
proves that nothing reaches the disk.
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, DropItem, NotConfigured, StopDownload
from scrapy.http import Headers, Response
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.request import RequestFingerprinter
from twisted.python.failure import Failure

import crawlers.pipelines
from crawlers.pipelines import ImageHashPipeline, StorePipeline
from crawlers.runner import crawl_settings
from crawlers.sitespec import load_spec
from crawlers.spiders.generic import GenericSpider, spider_for
from pipeline.images import hash_photo
from pipeline.types import Analysis, ImageRef, RawAd
from storage.errors import StorageError

URL = "http://127.0.0.1:5555"


def _png() -> bytes:
    im = Image.new("RGB", (64, 64), "white")  # 4,096 px: under the 5,000 allowed below
    ImageDraw.Draw(im).ellipse((8, 8, 40, 56), fill=(20, 120, 200))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _crawler(tmp_path: Path | None = None, **overrides: Any) -> Crawler:
    db = f"sqlite:///{tmp_path / 'vigie.db'}" if tmp_path else ""
    settings = crawl_settings(database_url=db, settings_overrides=overrides)
    spec = load_spec("demo-static")
    spec = spec.model_copy(
        update={"limits": spec.limits.model_copy(update={"max_image_pixels": 5000})}
    )
    crawler = Crawler(spider_for(spec), settings)
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.request_fingerprinter = RequestFingerprinter(crawler)
    crawler.spider = crawler.spidercls.from_crawler(crawler)
    return crawler


def _ad(*urls: str) -> RawAd:
    return RawAd(
        site="demo-static",
        ad_id="S0001",
        url=f"{URL}/static/ad/S0001",
        title="Lina, nouvelle à Bruxelles",
        text="Disponible en semaine. Tél : 0470 12 34 56",
        images=tuple(ImageRef(url=u) for u in urls),
    )


def _response(url: str, body: bytes, status: int = 200) -> Response:
    return Response(url, status=status, body=body, request=Request(url))


def _downloaded(pipe: ImageHashPipeline, response: Response) -> dict[str, Any]:
    return dict(asyncio.run(pipe.media_downloaded(response, response.request, None)))


def _quick_analyze(raw: RawAd, *, region: str, **_: object) -> Analysis:
    """Stands in for pipeline.analyze (tested in tests/pipeline; it loads language models)."""
    return Analysis(site=raw.site, ad_id=raw.ad_id)


def _stats(crawler: Crawler) -> dict[str, Any]:
    return crawler.stats.get_stats()


def test_image_requests_carry_the_site_limits() -> None:
    crawler = _crawler()
    pipe = ImageHashPipeline.from_crawler(crawler)
    pipe.open_spider()
    requests = pipe.get_media_requests(_ad(f"{URL}/img/a.png", "https://cdn.test/b.jpg"), None)
    assert [r.url for r in requests] == [f"{URL}/img/a.png", "https://cdn.test/b.jpg"]
    spider = crawler.spider
    assert isinstance(spider, GenericSpider)
    assert requests[0].meta["vigie_max_image_bytes"] == spider.spec.limits.max_image_bytes
    assert requests[0].meta["allow_offsite"] is True
    assert pipe.get_media_requests({"not": "an ad"}, None) == []


def test_downloaded_images_are_hashed_in_memory_or_refused() -> None:
    pipe = ImageHashPipeline.from_crawler(_crawler())
    png = _png()
    stopped = _response(f"{URL}/img/huge.png", b"")
    stopped.flags.append("download_stopped")
    outcomes = [
        _downloaded(pipe, _response(f"{URL}/img/a.png", png)),
        _downloaded(pipe, _response(f"{URL}/img/gone.png", b"", 404)),
        _downloaded(pipe, _response(f"{URL}/img/junk.png", b"<html>")),
        _downloaded(pipe, stopped),
    ]
    assert outcomes[0]["checksum"] == ":".join(hash_photo(png))
    assert outcomes[0]["path"] == ""
    assert [o["status"] for o in outcomes] == [
        "hashed",
        "rejected:http_404",
        "rejected:format",
        "rejected:too_big",
    ]


def test_image_announced_too_big_is_stopped_at_the_headers() -> None:
    crawler = _crawler()
    pipe = ImageHashPipeline.from_crawler(crawler)
    pipe.open_spider()
    (request,) = pipe.get_media_requests(_ad(f"{URL}/img/a.png"), None)
    spider = crawler.spider
    assert isinstance(spider, GenericSpider)
    limit = spider.spec.limits.max_image_bytes
    pipe._headers_received(Headers(), limit, request, spider)  # at the limit: fine
    pipe._headers_received(Headers(), -1, request, spider)  # unknown length: the backstop
    with pytest.raises(StopDownload):
        pipe._headers_received(Headers(), limit + 1, request, spider)
    assert request.meta["download_maxsize"] == limit + 1


def test_item_gets_image_refs_with_hashes_or_reasons() -> None:
    crawler = _crawler()
    pipe = ImageHashPipeline.from_crawler(crawler)
    pipe.open_spider()
    png = _png()
    big = Image.new("RGB", (100, 100))  # 10,000 px > the 5,000 allowed above
    big_bytes = io.BytesIO()
    big.save(big_bytes, "PNG")
    urls = [f"{URL}/img/{n}" for n in ("a.png", "huge.png", "slow.png", "far.png", "gone.png")]
    results = [
        (True, _downloaded(pipe, _response(urls[0], png))),
        (True, _downloaded(pipe, _response(urls[1], big_bytes.getvalue()))),
        (False, Failure(DownloadCancelledError("larger than download max size (5)"))),
        (False, Failure(ConnectionRefusedError("refused"))),
        (True, _downloaded(pipe, _response(urls[4], b"", 404))),
    ]
    item = pipe.item_completed(results, _ad(*urls), None)
    phash, dhash, dct = hash_photo(png)
    assert item.images == (
        ImageRef(url=urls[0], phash=phash, dhash=dhash, dct=dct),
        ImageRef(url=urls[1], error="too_many_pixels"),
        ImageRef(url=urls[2], error="too_big"),
        ImageRef(url=urls[3], error="download_failed:ConnectionRefusedError"),
        ImageRef(url=urls[4], error="http_404"),
    )
    stats = _stats(crawler)
    assert stats["vigie/images_hashed"] == 1
    assert stats["vigie/images_rejected/too_many_pixels"] == 1
    assert stats["vigie/images_rejected/too_big"] == 1
    assert stats["vigie/images_rejected/http_404"] == 1


def test_image_hashing_can_be_turned_off() -> None:
    with pytest.raises(NotConfigured):
        ImageHashPipeline.from_crawler(_crawler(VIGIE_HASH_IMAGES=False))


def test_store_pipeline_needs_a_database_url() -> None:
    with pytest.raises(NotConfigured, match="VIGIE_DATABASE_URL"):
        StorePipeline.from_crawler(_crawler())


def test_store_pipeline_saves_and_counts_outcomes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regions: list[str] = []

    def quick_analyze(raw: RawAd, *, region: str, **_: object) -> Analysis:
        regions.append(region)
        return _quick_analyze(raw, region=region)

    monkeypatch.setattr(crawlers.pipelines, "analyze", quick_analyze)
    monkeypatch.setattr(crawlers.pipelines, "prepare", lambda region: regions.append(region))
    crawler = _crawler(tmp_path, VIGIE_REGION="fr")
    pipe = StorePipeline.from_crawler(crawler)
    ad = _ad()
    changed = RawAd(**{**{f: getattr(ad, f) for f in ad.__slots__}, "text": "Autre texte."})

    async def run() -> list[Any]:
        pipe.open_spider()
        try:
            return [await pipe.process_item(x) for x in (ad, ad, changed, {"not": "an ad"})]
        finally:
            pipe.close_spider()

    assert asyncio.run(run()) == [ad, ad, changed, {"not": "an ad"}]
    assert regions == ["FR"] * 4  # prepare() at open, then the three ads
    stats = _stats(crawler)
    assert stats["vigie/ads_new"] == 1
    assert stats["vigie/ads_unchanged"] == 1
    assert stats["vigie/ads_changed"] == 1


def test_failing_ad_is_dropped_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crawler = _crawler(tmp_path)
    pipe = StorePipeline.from_crawler(crawler)
    monkeypatch.setattr(crawlers.pipelines, "analyze", _quick_analyze)
    pipe.open_spider()

    def broken(raw: RawAd, *, region: str, **_: object) -> object:
        raise RuntimeError("extractor bug")

    def refuse(*args: object, **kwargs: object) -> str:
        raise StorageError("disk full")

    async def run() -> None:
        with pytest.raises(DropItem, match="^analysis failed: RuntimeError: extractor bug$"):
            await pipe.process_item(_ad())
        monkeypatch.setattr(crawlers.pipelines, "analyze", _quick_analyze)
        assert pipe._store is not None
        monkeypatch.setattr(pipe._store, "save", refuse)
        with pytest.raises(DropItem, match="^not stored: disk full$"):
            await pipe.process_item(_ad())

    monkeypatch.setattr(crawlers.pipelines, "analyze", broken)
    try:
        asyncio.run(run())
    finally:
        pipe.close_spider()
    stats = _stats(crawler)
    assert stats["vigie/ads_dropped/analyze"] == 1
    assert stats["vigie/ads_dropped/store"] == 1


def test_an_ad_crawled_again_keeps_the_score_its_network_gave_it(tmp_path: Path) -> None:
    """Linking rescored a networked ad with its network's size; crawled again unchanged, it is
    scored with that size at once (not as if alone until the next link)."""
    from pipeline.analyze import analyze
    from pipeline.link import link
    from storage.repository import Store

    shared = "Nouvelle en ville, appelez le 0470 12 34 56."
    ads = [
        RawAd(
            site="demo-static",
            ad_id=f"n{i}",
            url=f"http://127.0.0.1/n{i}",
            title=f"Ad {i}",
            text=shared,
            lang="fr",
        )
        for i in range(5)
    ]
    with Store.open(f"sqlite:///{tmp_path / 'vigie.db'}") as store:
        for raw in ads:
            store.save(raw, analyze(raw))
        other = RawAd(
            site="demo-other",
            ad_id="x",
            url="http://127.0.0.1/x",
            title="X",
            text=shared,
            lang="fr",
        )  # another site's networked ad: not loaded
        store.save(other, analyze(other))
        (network,) = link(store.analyses())
        store.replace_networks([network])
        size, nid = len(network.members), network.network_id
        for raw in ads:  # what link_stored's rescoring stores
            store.save(raw, analyze(raw, network_size=size, network_id=nid), network_size=size)
        linked = store.get_ad(site="demo-static", ad_id="n0")
    assert linked is not None
    assert linked.network_size == size

    crawler = _crawler(tmp_path)
    pipe = StorePipeline.from_crawler(crawler)

    async def run() -> None:
        pipe.open_spider()
        try:
            assert set(pipe._networks) == {(raw.site, raw.ad_id) for raw in ads}
            await pipe.process_item(ads[0])
        finally:
            pipe.close_spider()

    asyncio.run(run())
    assert _stats(crawler)["vigie/ads_unchanged"] == 1
    with Store.open(f"sqlite:///{tmp_path / 'vigie.db'}") as store:
        again = store.get_ad(site="demo-static", ad_id="n0")
        assert store.networked_sizes()[("demo-static", "n0")] == size
    assert again is not None
    assert again.analysis == linked.analysis  # the network-scored analysis, not the lone one
    assert again.trafficking_score == linked.trafficking_score
