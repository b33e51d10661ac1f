"""An element's text as a reader sees it: block elements (`p`, `div`, `br`, `li`…) start a new
line, inline ones do not, so "Tél : <b>0470</b> 12 34 56" stays one phone number while two
paragraphs stay two lines; and the links a selector names."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "thead", "tfoot", "tr", "td", "th", "ul"),
    }
)
_SKIP = frozenset({"script", "style", "template", "noscript"})
_SPACES = re.compile(r"\s+")  # as in a browser, a newline in the HTML source is just a space


def element_text(root: Any) -> str:
    """The visible text of an lxml element: one line per block, whitespace collapsed, no empty
    line."""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:  # iterative: a hostile page may nest deeper than Python's recursion limit
        node, closing = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if closing or tag is None or tag in _SKIP:
            if closing and tag in _BLOCK:
                parts.append("\n")
            if node is not root and node.tail:
                parts.append(_SPACES.sub(" ", node.tail))
            continue
        if tag in _BLOCK:
            parts.append("\n")
        if node.text:
            parts.append(_SPACES.sub(" ", node.text))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return _clean("".join(parts))


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def values(selector: Selector, css: str) -> list[str]:
    """Each match of `css`: an attribute or text node as is, an element as its visible text."""
    out = []
    for match in selector.css(css):
        root = match.root
        value = " ".join(root.split()) if isinstance(root, str) else element_text(root)
        if value:
            out.append(value)
    return out


def links(selector: Selector, css: str, *, base_url: str, attr: str = "href") -> list[str]:
    """Absolute http(s) URLs from `css` (attribute values, or the `attr` of matched elements),
    in page order, without duplicates."""
    found: dict[str, None] = {}
    for match in selector.css(css):
        root = match.root
        raw = root if isinstance(root, str) else root.get(attr)
        if not raw or not raw.strip():
            continue
        url = urljoin(base_url, raw.strip()).split("#")[0]
        if urlsplit(url).scheme in ("http", "https"):
            found.setdefault(url, None)
    return list(found)


def first(selector: Selector, css: str | None) -> str | None:
    if css is None:
        return None
    found = values(selector, css)
    return found[0] if found else None


def text(selector: Selector, css: str | None) -> str:
    return "\n".join(values(selector, css)) if css is not None else ""
