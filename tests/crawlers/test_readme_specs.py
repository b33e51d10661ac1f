"""Every YAML block of the README is valid YAML, and every spec or spec fragment in it loads: a
technician copies them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawlers.sitespec import SiteSpec, parse_spec

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", README.read_text("utf-8"), re.S)
SPEC_KEYS = set(SiteSpec.model_fields)
MINIMAL: dict[str, Any] = {
    "name": "readme",
    "base_url": "http://127.0.0.1:8000/",
    "listing": {"ad_links": "a.ad::attr(href)"},
    "ad": {"id": {"css": "article::attr(data-id)"}, "title": "h1", "text": "div.body"},
}


def test_the_readme_has_yaml_blocks() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_each_yaml_block_is_valid_and_each_spec_loads(block: str) -> None:
    data = yaml.safe_load(block)
    assert isinstance(data, dict)
    if set(data) <= SPEC_KEYS:  # a spec, or the fields of one shown on their own
        parse_spec({**MINIMAL, **data}, source="README.md")
