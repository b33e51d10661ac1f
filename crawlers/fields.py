"""Read a field's sources (`crawlers.specfields`) on a page: HTML read with CSS, structured data
read with extruct (JSON-LD, microdata, OpenGraph), JavaScript state in a `<script>` read with
chompjs, a JSON page read as JSON; then JMESPath, then the source's regex.

The first source that gives a value wins; the others are fallbacks. A `jsonld` or `microdata`
path is applied to each item of the page (`telephone`), and when that gives nothing, to the list
of them all (`[?"@type"=='Person'].name | [0]`). Structured data and JSON are
parsed once per page, and only when a source asks for them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

import jmespath
from parsel import Selector

from crawlers.images import image_urls
from crawlers.specfields import Source
from crawlers.textread import values as css_values

logger = logging.getLogger(__name__)

MAX_SCRIPT_CHARS = 2_000_000  # embedded state larger than this is not parsed


class Page:
    """One fetched page: its HTML selector (empty for a JSON page), its text and URL."""

    def __init__(self, selector: Selector, *, url: str, text: str | None = None) -> None:
        self.selector = selector
        self.url = url
        self._text = text

    @cached_property
    def document(self) -> Any:
        """The page as JSON, when it is a JSON document (an API's answer); else None."""
        text = (self._text or "").lstrip()
        if not text.startswith(("{", "[")):
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    @cached_property
    def structured(self) -> dict[str, list[dict[str, Any]]]:
        """JSON-LD (with @graph flattened), microdata and OpenGraph items, extruct's uniform
        form."""
        import extruct  # noqa: PLC0415 — heavy: only for specs that read structured data

        html = self.selector.get() if self.document is None else ""
        try:
            data = extruct.extract(
                html,
                base_url=self.url,
                syntaxes=["json-ld", "microdata", "opengraph"],
                uniform=True,
                errors="ignore",
            )
        except Exception:  # noqa: BLE001 — a hostile page's broken markup reads as no data
            logger.info("%s: structured data unreadable", self.url, exc_info=True)
            return {"json-ld": [], "microdata": [], "opengraph": []}
        jsonld: list[dict[str, Any]] = []
        for item in data.get("json-ld", []):
            jsonld += _flatten(item)
        return {
            "json-ld": jsonld,
            "microdata": [i for i in data.get("microdata", []) if isinstance(i, dict)],
            "opengraph": [i for i in data.get("opengraph", []) if isinstance(i, dict)],
        }

    def script(self, css: str) -> Any:
        """The JSON or JavaScript object literal in the first script matched by `css`."""
        import chompjs  # noqa: PLC0415 — only for specs that read embedded state

        for text in self.selector.css(css).xpath("string()").getall():
            text = text.strip()[:MAX_SCRIPT_CHARS]
            if not text:
                continue
            try:
                return chompjs.parse_js_object(text)
            except (ValueError, TypeError):
                continue
        return None


def _flatten(item: Any) -> list[dict[str, Any]]:
    if isinstance(item, list):
        return [d for i in item for d in _flatten(i)]
    if not isinstance(item, dict):
        return []
    graph = item.get("@graph")
    return [item, *_flatten(graph)] if graph is not None else [item]


def _strings(found: Any) -> Iterator[str]:
    """The text values in a JMESPath result: strings and numbers, lists flattened."""
    if found is None or isinstance(found, bool):
        return
    if isinstance(found, list):
        for item in found:
            yield from _strings(item)
    elif isinstance(found, str):
        if text := " ".join(found.split()):
            yield text
    elif isinstance(found, int | float):
        yield str(found)
    elif isinstance(found, dict):  # a schema.org object: its name, its URL, its value
        for key in ("name", "url", "contentUrl", "value", "@id"):
            if key in found:
                yield from _strings(found[key])
                return


def _raw(page: Page, source: Source, *, images: bool) -> list[str]:
    if source.css is not None:
        if images:
            return image_urls(page.selector, source.css, base_url=page.url)
        return css_values(page.selector, source.css)
    if source.default is not None:
        return [source.default]
    if source.json is not None:
        doc = page.script(source.script) if source.script is not None else page.document
        return list(_strings(jmespath.search(source.json, doc))) if doc is not None else []
    kind, path = (
        ("json-ld", source.jsonld)
        if source.jsonld is not None
        else ("microdata", source.microdata)
        if source.microdata is not None
        else ("opengraph", None)
    )
    items = page.structured[kind]
    out: list[str] = []
    for item in items:
        if path is None:
            out += _strings(item.get(source.opengraph or ""))
        else:
            out += _strings(jmespath.search(path, item))
    if not out and path is not None and items:  # a path over all the items: a filter, an index
        out += _strings(jmespath.search(path, items))
    return out


def _regex(values: list[str], pattern: str | None) -> list[str]:
    if pattern is None:
        return values
    compiled = re.compile(pattern)
    out = []
    for value in values:
        match = compiled.search(value)
        if match:
            found = match.group(1) if compiled.groups else match.group(0)
            if found and found.strip():
                out.append(found.strip())
    return out


def read(page: Page, sources: Sequence[Source] | None, *, images: bool = False) -> list[str]:
    """The values of the first of `sources` that gives any (all of them, in page order)."""
    return traced(page, sources, images=images)[1]


def traced(
    page: Page, sources: Sequence[Source] | None, *, images: bool = False
) -> tuple[int | None, list[str]]:
    """(index of the source that gave the values, the values); (None, []) when none did."""
    for index, source in enumerate(sources or ()):
        found = _regex(_raw(page, source, images=images), source.regex)
        if found:
            return index, found
    return None, []


def describe(source: Source) -> str:
    """A source as the spec writes it: `css: h1.title`, `jsonld: telephone | regex: …`."""
    parts = [f"{k}: {v}" for k, v in source.model_dump(exclude_none=True).items()]
    return " | ".join(parts)


def first(page: Page, sources: Sequence[Source] | None) -> str | None:
    found = read(page, sources)
    return found[0] if found else None


def text(page: Page, sources: Sequence[Source] | None) -> str:
    return "\n".join(read(page, sources))
