"""Thin Scrapy adapters around Vigie's library code.

- `ImageHashPipeline`: downloads each ad's images through Scrapy (robots.txt, delays, retries,
  size cap) and hashes the bytes in memory with `pipeline.images.hash_photo`. Nothing is written:
  no FILES_STORE, no IMAGES_STORE, no file path.
- `StorePipeline`: `pipeline.analyze.analyze` then `storage.repository.Store.save`.

Stats: `vigie/images_hashed`, `vigie/images_rejected/<reason>`, `vigie/images_failed/<error>`,
`vigie/ads_new|changed|unchanged`, `vigie/ads_dropped/<stage>`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import DownloadCancelledError, DropItem, NotConfigured, StopDownload
from scrapy.http import Response
from scrapy.pipelines.media import FileInfo, FileInfoOrError, MediaPipeline
from twisted.python.failure import Failure

from crawlers.config import CrawlConfig
from crawlers.sitespec import LimitsSpec, SiteSpec
from pipeline.analyze import analyze, prepare
from pipeline.images import ImageRejected, hash_photo
from pipeline.types import AdKey, Analysis, ImageRef, RawAd
from storage.errors import StorageError
from storage.repository import Store

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Headers

logger = logging.getLogger(__name__)

ad_stored = object()
"""Signal sent after an ad was saved: `ad` (the RawAd) and `outcome` ("new", "changed",
"unchanged"), from the crawl's thread (crawlers.runner turns it into progress)."""

_HASHED = "hashed"
_REJECTED = "rejected:"
_LIMIT = "vigie_max_image_bytes"  # request meta: the image's byte limit


def _count(crawler: Crawler, key: str) -> None:
    crawler.stats.inc_value(f"vigie/{key}")


class ImageHashPipeline(MediaPipeline):
    """Media pipeline whose "store" is the item itself: `ImageRef(url, phash, dhash)`, or
    `ImageRef(url, error=reason)` when the image was refused or could not be fetched."""

    LOG_FAILED_RESULTS = False  # failures are counted and logged per image below

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not CrawlConfig.from_settings(crawler.settings).hash_images:
            raise NotConfigured("VIGIE_HASH_IMAGES is off")
        pipe = cls(crawler=crawler)
        crawler.signals.connect(pipe._headers_received, signal=signals.headers_received)
        return pipe

    def _headers_received(
        self, headers: Headers, body_length: int, request: Request, spider: object
    ) -> None:
        """Stop an image announced bigger than the limit before its body is read (the
        response then arrives empty, flagged "download_stopped", and is refused as too_big)."""
        limit = request.meta.get(_LIMIT)
        if limit is not None and body_length > limit:
            raise StopDownload(fail=False)

    def _limits(self) -> LimitsSpec:
        spec: SiteSpec | None = getattr(self.crawler.spider, "spec", None)
        return spec.limits if spec is not None else LimitsSpec()

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        if not isinstance(item, RawAd):
            return []
        limit = self._limits().max_image_bytes
        # download_maxsize is the backstop for a body without Content-Length.
        meta = {_LIMIT: limit, "download_maxsize": limit + 1, "allow_offsite": True}
        return [Request(ref.url, meta=meta) for ref in item.images]

    def media_to_download(
        self, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> None:
        return None  # nothing is stored, so nothing is ever "already downloaded"

    async def media_downloaded(
        self,
        response: Response,
        request: Request,
        info: MediaPipeline.SpiderInfo,
        *,
        item: Any = None,
    ) -> FileInfo:
        """Hash the body in memory, in a worker thread (decoding must not stall the crawl);
        the outcome travels in the FileInfo's `status` and `checksum`."""
        info_ = FileInfo(url=request.url, path="", checksum=None, status=_HASHED)
        if "download_stopped" in response.flags:
            info_["status"] = f"{_REJECTED}too_big"
            return info_
        if response.status != 200:
            info_["status"] = f"{_REJECTED}http_{response.status}"
            return info_
        limits = self._limits()
        try:
            phash, dhash, dct = await asyncio.to_thread(
                hash_photo,
                response.body,
                max_bytes=limits.max_image_bytes,
                max_pixels=limits.max_image_pixels,
            )
        except ImageRejected as exc:
            info_["status"] = f"{_REJECTED}{exc.reason}"
            logger.info("image refused: %s", exc, extra={"url": request.url})
            return info_
        info_["checksum"] = f"{phash}:{dhash}:{dct}"
        return info_

    def media_failed(
        self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo
    ) -> Failure:
        failure.raiseException()

    def file_path(
        self,
        request: Request,
        response: Response | None = None,
        info: MediaPipeline.SpiderInfo | None = None,
        *,
        item: Any = None,
    ) -> str:
        return ""  # never stored

    def item_completed(
        self, results: list[FileInfoOrError], item: Any, info: MediaPipeline.SpiderInfo
    ) -> Any:
        if not isinstance(item, RawAd) or not item.images:
            return item
        refs = [self._ref(ref, result) for ref, result in zip(item.images, results, strict=True)]
        return dataclasses.replace(item, images=tuple(refs))

    def _ref(self, ref: ImageRef, result: FileInfoOrError) -> ImageRef:
        _, value = result
        if isinstance(value, Failure):
            if isinstance(value.value, DownloadCancelledError) and "max size" in str(value.value):
                reason = "too_big"
            else:
                reason = f"download_failed:{type(value.value).__name__}"
            logger.info("image not fetched: %s", value.getErrorMessage(), extra={"url": ref.url})
        elif value.get("checksum"):
            phash, dhash, dct = [*str(value["checksum"]).split(":"), ""][:3]
            _count(self.crawler, "images_hashed")
            return ImageRef(url=ref.url, phash=phash, dhash=dhash, dct=dct or None)
        else:
            reason = str(value["status"]).removeprefix(_REJECTED)
        _count(self.crawler, f"images_rejected/{reason}")
        return ImageRef(url=ref.url, error=reason)


class StorePipeline:
    """Analyse each RawAd and save it; counts `vigie/ads_new`, `_changed`, `_unchanged`.

    Analysis and storage run in one worker thread, one ad at a time: the crawl keeps downloading
    meanwhile, and the database sees a single writer. The analysis' models are loaded when the
    spider opens, before any request is in flight.
    """

    def __init__(self, crawler: Crawler, *, database_url: str, region: str) -> None:
        self.crawler = crawler
        self.database_url = database_url
        self.region = region
        self._store: Store | None = None
        self._worker: ThreadPoolExecutor | None = None
        # (site, ad_id) → (network size, network id) as last linked: an ad crawled again is
        # scored with its network, as the link after the crawl would rescore it anyway.
        self._networks: dict[AdKey, tuple[int, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = CrawlConfig.from_settings(crawler.settings)
        if not config.database_url:
            raise NotConfigured("VIGIE_DATABASE_URL is not set: ads are not stored")
        return cls(crawler, database_url=config.database_url, region=config.region)

    def open_spider(self) -> None:
        self._store = Store.open(self.database_url)
        spider = self.crawler.spider
        site = spider.name if spider is not None else None  # a generic spider is named for its site
        self._networks = self._store.memberships(site=site)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vigie-store")
        prepare(self.region)

    def close_spider(self) -> None:
        if self._worker is not None:
            self._worker.shutdown(wait=True)
            self._worker = None
        if self._store is not None:
            self._store.close()
            self._store = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawAd):
            return item
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(self._worker, self._save, item)
        except _Failed as exc:
            _count(self.crawler, f"ads_dropped/{exc.stage}")
            raise DropItem(str(exc)) from exc.__cause__
        _count(self.crawler, f"ads_{outcome}")
        self.crawler.signals.send_catch_log(signal=ad_stored, ad=item, outcome=outcome)
        return item

    def _save(self, item: RawAd) -> str:
        """Analyse and store one ad, in the worker thread."""
        if self._store is None:
            raise RuntimeError("StorePipeline used before open_spider")
        try:
            size, network = self._networks.get((item.site, item.ad_id), (1, None))
            analysis: Analysis = analyze(
                item, region=self.region, network_size=size, network_id=network
            )
        except Exception as exc:  # an extractor bug must cost one ad, not the crawl
            extra = {"site": item.site, "url": item.url}
            logger.exception("analysis failed for %s/%s", item.site, item.ad_id, extra=extra)
            raise _Failed("analyze", f"analysis failed: {type(exc).__name__}: {exc}") from exc
        try:
            return self._store.save(item, analysis, network_size=size)
        except StorageError as exc:
            raise _Failed("store", f"not stored: {exc}") from exc


class _Failed(Exception):
    """An ad that could not be analysed or stored, and at which `stage`."""

    def __init__(self, stage: str, message: str) -> None:
        self.stage = stage
        super().__init__(message)
