"""Nothing a crawl does reaches beyond the sites it crawls: Scrapy's cookie middleware splits
domains with tldextract, which fetches the public suffix list from the internet on first use (a
traceback, then its bundled copy, on a machine without internet). `use_bundled_suffixes` points it
at the bundled copy from the start."""

from __future__ import annotations


def use_bundled_suffixes() -> None:
    """Make Scrapy's cookie middleware read the public suffix list tldextract ships."""
    import scrapy.downloadermiddlewares.cookies as cookies  # noqa: PLC0415
    from tldextract import TLDExtract  # noqa: PLC0415

    current = getattr(cookies, "_split_domain", None)
    if isinstance(current, TLDExtract) and not current.suffix_list_urls:
        return
    cookies._split_domain = TLDExtract(  # noqa: SLF001 — Scrapy's own module-level extractor
        include_psl_private_domains=True, suffix_list_urls=(), cache_dir=None
    )
