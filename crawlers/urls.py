"""One ad, one URL: tracking parameters dropped from links, `rel=canonical` followed on the page.

Sites add `?ref=premium`, `utm_source=…` or click ids to the links of the same ad; left in, the
ad is fetched and stored twice under two URLs. `clean_url` drops the spec's
`request.tracking_params` (glob patterns, case-insensitive; default `utm_*`, `ref`, `fbclid`,
`gclid`) and the fragment, and keeps every other parameter in its order. `canonical` reads the
page's `<link rel="canonical">`, trusted only on the site's own hosts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector


def clean_url(url: str, tracking: Sequence[str]) -> str:
    """`url` without its fragment and its tracking parameters."""
    parts = urlsplit(url)
    query = parts.query
    if query and tracking:
        patterns = [p.lower() for p in tracking]
        kept = [
            (name, value)
            for name, value in parse_qsl(query, keep_blank_values=True)
            if not any(fnmatchcase(name.lower(), p) for p in patterns)
        ]
        query = urlencode(kept, doseq=False)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def canonical(
    selector: Selector, url: str, *, hosts: Iterable[str], tracking: Sequence[str]
) -> str:
    """The page's canonical URL when it declares one on one of `hosts`, else `url`; cleaned."""
    for href in selector.css('link[rel~="canonical"]::attr(href)').getall():
        target = urljoin(url, href.strip())
        parts = urlsplit(target)
        if parts.scheme in ("http", "https") and parts.hostname in set(hosts):
            return clean_url(target, tracking)
    return clean_url(url, tracking)
