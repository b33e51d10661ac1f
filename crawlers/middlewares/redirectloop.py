"""End redirect loops at once: a redirect back to a URL of the same chain is a loop.

Scrapy's RedirectMiddleware follows up to REDIRECT_MAX_TIMES redirects; a loop A → B → A would
spin until then, or be dropped silently by the duplicate filter. This middleware runs just before
it and raises `RedirectLoop` (an `IgnoreRequest`: the request's errback counts it as
`vigie/redirect_loop`).
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import canonicalize_url, safe_url_string

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class RedirectLoop(IgnoreRequest):
    """A redirect led back to a URL already visited in the same chain of redirects."""


class RedirectLoopMiddleware:
    """Raises `RedirectLoop` on a redirect to a URL of the request's own redirect chain."""

    def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get(b"Location")
        if request.meta.get("dont_redirect", False) or response.status not in _REDIRECTS:
            return response
        if not header:
            return response
        location = safe_url_string(header.decode("latin-1"))
        target = canonicalize_url(urljoin(request.url, location))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {canonicalize_url(url) for url in chain}:
            raise RedirectLoop(f"redirect loop: {' → '.join(chain)} → {location}")
        return response
