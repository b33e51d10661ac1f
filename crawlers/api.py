"""JSON listing endpoints: the ad links of each page of a site's API, and its next page.

    listing:
      api:
        url: "/api/ads?offset={offset}&limit=20"   # {page}, {offset} or {cursor}
        ad_links: "items[].url"                    # JMESPath: the ad pages' URLs (or ids)
        ad_url: "/ad/{}"                           # optional: the URL of an ad from its id
        cursor: "meta.next"                        # JMESPath of the next cursor ({cursor} URLs)
        start: 0                                   # the first page or offset (default 0; page 1)

Pagination stops at the first page with no ad link (or no next cursor), and at
`limits.max_pages`. Requests to the API never go through the browser.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urljoin

import jmespath
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from crawlers.specfields import JMESPath

PLACES = ("{page}", "{offset}", "{cursor}")


class ApiSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    url: Annotated[str, Field(min_length=1)]
    ad_links: JMESPath
    ad_url: str | None = None
    cursor: JMESPath | None = None
    start: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _coherent(self) -> ApiSpec:
        places = [p for p in PLACES if p in self.url]
        if len(places) > 1:
            raise PydanticCustomError(
                "vigie_api", "expected at most one of {page}, {offset} or {cursor} in the URL", {}
            )
        if "{cursor}" in self.url and self.cursor is None:
            raise PydanticCustomError(
                "vigie_api", "a {cursor} URL needs cursor: the path of the next cursor", {}
            )
        if self.ad_url is not None and "{}" not in self.ad_url:
            raise PydanticCustomError(
                "vigie_api", "ad_url: expected a URL with {} where the ad's id goes", {}
            )
        return self

    @property
    def paging(self) -> str | None:
        return next((p.strip("{}") for p in PLACES if p in self.url), None)


def first_url(api: ApiSpec, base_url: str) -> str:
    """The URL of the API's first page."""
    start = api.start if api.start is not None else (1 if api.paging == "page" else 0)
    url = api.url.replace("{page}", str(start)).replace("{offset}", str(start))
    return urljoin(base_url, url.replace("&cursor={cursor}", "").replace("cursor={cursor}", ""))


def read_page(
    api: ApiSpec, doc: Any, *, url: str, number: int, seen: int
) -> tuple[list[str], str | None]:
    """(ad URLs, next page URL) of one API page: `number` is this page's index (0 for the first),
    `seen` how many ad links the pages before it gave."""
    found = jmespath.search(api.ad_links, doc) if doc is not None else None
    items = found if isinstance(found, list) else [found] if found is not None else []
    links = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            continue
        value = str(item).strip()
        if value:
            target = api.ad_url.replace("{}", quote(value, safe="")) if api.ad_url else value
            links.append(urljoin(url, target))
    if not links:
        return [], None
    start = api.start if api.start is not None else (1 if api.paging == "page" else 0)
    nxt: str | None = None
    if api.paging == "page":
        nxt = api.url.replace("{page}", str(start + number + 1))
    elif api.paging == "offset":
        nxt = api.url.replace("{offset}", str(start + seen + len(links)))
    elif api.paging == "cursor" and api.cursor is not None:
        cursor = jmespath.search(api.cursor, doc)
        if isinstance(cursor, str | int) and not isinstance(cursor, bool) and str(cursor):
            nxt = api.url.replace("{cursor}", quote(str(cursor), safe=""))
    return links, urljoin(url, nxt) if nxt else None
