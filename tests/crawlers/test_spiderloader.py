"""crawlers.spiderloader: one spider per site spec, for `scrapy list` and `scrapy crawl NAME`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request

from crawlers.errors import SpecError
from crawlers.runner import crawl_settings
from crawlers.sitespec import SITES_DIR
from crawlers.spiderloader import SiteSpecSpiderLoader
from crawlers.spiders.generic import GenericSpider

REPO = Path(__file__).resolve().parents[2]


def _loader(**overrides: object) -> SiteSpecSpiderLoader:
    return SiteSpecSpiderLoader.from_settings(
        crawl_settings(database_url="sqlite://", settings_overrides=overrides)
    )


def test_one_spider_per_shipped_spec() -> None:
    loader = _loader()
    assert loader.list() == sorted(p.stem for p in SITES_DIR.glob("*.yaml"))
    cls = loader.load("demo-js")
    assert issubclass(cls, GenericSpider)
    assert cls.spec.name == "demo-js"
    with pytest.raises(KeyError, match="Spider not found: nope"):
        loader.load("nope")


def test_sites_dir_setting_chooses_the_specs(tmp_path: Path) -> None:
    shutil.copy(SITES_DIR / "demo-static.yaml", tmp_path / "demo-static.yaml")
    assert _loader(VIGIE_SITES_DIR=str(tmp_path)).list() == ["demo-static"]
    (tmp_path / "broken.yaml").write_text("name: broken\n", "utf-8")
    with pytest.raises(SpecError, match=r"broken\.yaml: base_url: required, but missing"):
        _loader(VIGIE_SITES_DIR=str(tmp_path))


def test_find_by_request_uses_the_spec_hosts() -> None:
    assert _loader().find_by_request(Request("http://127.0.0.1:8000/static/ads")) == [
        "demo-js",
        "demo-static",
    ]
    assert _loader().find_by_request(Request("http://elsewhere.test/")) == []


@pytest.mark.slow
def test_scrapy_list_from_the_repository_root() -> None:
    scrapy = Path(sys.executable).with_name("scrapy")
    proc = subprocess.run(
        [str(scrapy), "list"], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == sorted(p.stem for p in SITES_DIR.glob("*.yaml"))
