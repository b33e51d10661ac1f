"""How a page failed or what is wrong with one that is read all the same: the stats keys (under
`vigie/`) of the generic spider's counters."""

from __future__ import annotations

import re

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TCPTimedOutError
from twisted.internet.error import TimeoutError as TwistedTimeoutError

from crawlers.middlewares.redirectloop import RedirectLoop

_TIMEOUTS = (TwistedTimeoutError, TCPTimedOutError, DownloadTimeoutError, TimeoutError)


def failure_kind(error: BaseException) -> str:
    """The stats key (under `vigie/`) of a request that failed with `error`."""
    if isinstance(error, HttpError):
        return f"errors/http_{error.response.status}"
    if isinstance(error, RedirectLoop):
        return "redirect_loop"
    if isinstance(error, IgnoreRequest):
        # RedirectMiddleware's only message when a chain is longer than REDIRECT_MAX_TIMES.
        return "capped/redirects" if "max redirections" in str(error) else "refused"
    if isinstance(error, DownloadCancelledError):  # over DOWNLOAD_MAXSIZE (max_page_bytes)
        return "capped/size"
    if isinstance(error, ResponseDataLossError):
        return "truncated"
    if isinstance(error, PlaywrightTimeoutError):
        return "timeout/render"
    if isinstance(error, PlaywrightError) and (net := _NET_ERROR.search(str(error))):
        return f"errors/{net.group(0)}"  # Chromium's own name: net::ERR_CONNECTION_REFUSED…
    if isinstance(error, _TIMEOUTS):
        return "timeout/download"
    return f"errors/{type(error).__name__}"


_NET_ERROR = re.compile(r"net::ERR_[A-Z_]+")


def redirected(response: Response, url: str) -> bool:
    """Whether the page read at `url` is not the one requested (an HTTP or a browser redirect)."""
    if response.meta.get("redirect_urls"):
        return True
    return (
        url.split("#", 1)[0] != response.request.url.split("#", 1)[0] if response.request else False
    )


def malformed(response: TextResponse) -> list[str]:
    """What is wrong with a page that is read all the same: "encoding" when its bytes are not
    valid in its charset, "unclosed" when its document is never closed (no </html>)."""
    problems = []
    try:
        response.body.decode(response.encoding)
    except (UnicodeDecodeError, LookupError):
        problems.append("encoding")
    if isinstance(response, HtmlResponse) and b"</html" not in response.body[-4096:].lower():
        problems.append("unclosed")
    return problems
