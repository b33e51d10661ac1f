"""A crawl never asks the internet for the public suffix list (Scrapy's cookie middleware)."""

from __future__ import annotations

import socket
from typing import Any

import pytest


def test_cookie_domains_split_with_the_bundled_suffix_list(monkeypatch: pytest.MonkeyPatch) -> None:
    import scrapy.downloadermiddlewares.cookies as cookies

    import crawlers.spiders.generic  # noqa: F401 — loading the spider sets it up

    def no_network(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    split = cookies._split_domain("ads.example.co.uk")
    assert (split.domain, split.suffix) == ("example", "co.uk")
    assert cookies._split_domain.suffix_list_urls == ()
