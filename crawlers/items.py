"""What a spider yields: `RawAd` (defined in `pipeline.types` so that processing and storage can
name it without importing Scrapy), with its images as `ImageRef`s."""

from __future__ import annotations

from pipeline.types import ImageRef, RawAd

__all__ = ["ImageRef", "RawAd"]
