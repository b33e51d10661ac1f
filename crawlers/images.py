"""Photo URLs as sites serve them: `src`, `srcset` and `<picture><source>` (the largest
candidate), lazy-loading attributes (`data-src`, `data-lazy`, `data-original`, `data-srcset`…)
and CSS `background-image: url(…)` in a `style` attribute; relative and protocol-relative URLs
resolved against the page.

The spec's `images` selector may name the `<img>` elements, a container (a gallery: every image
inside it is read), or an attribute (`img::attr(data-src)`; a `srcset` value is parsed as one).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

# Attributes that hold one URL, by preference: lazy loaders keep the real one in data-*, with a
# placeholder (a data: URI, a 1-pixel GIF) in src.
_URL_ATTRS = ("data-src", "data-lazy", "data-lazy-src", "data-original", "data-url", "src")
_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset", "srcset")
_BACKGROUND = re.compile(r"""background(?:-image)?\s*:[^;]*?url\(\s*(['"]?)(.*?)\1\s*\)""", re.I)
_CANDIDATE = re.compile(r"^(\S+?)(?:\s+(\d+(?:\.\d+)?)([wx]))?$")
_PLACEHOLDER = re.compile(r"(?:^data:|blank\.gif|spacer\.gif|placeholder|1x1\.(?:gif|png))", re.I)


def _candidates(value: str) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """A `srcset`'s (width, URL) and (density, URL) candidates. Split on commas followed by
    whitespace, so that a comma inside a URL stays in it."""
    widths: list[tuple[float, str]] = []
    densities: list[tuple[float, str]] = []
    for part in re.split(r",\s+", value.strip()):
        match = _CANDIDATE.match(part.strip().rstrip(","))
        if not match:
            continue
        url, size, unit = match.group(1), match.group(2), match.group(3)
        (widths if unit == "w" else densities).append((float(size or 1), url))
    return widths, densities


def srcset_best(value: str) -> str | None:
    """The largest candidate of a `srcset`: the widest when widths are given, else the densest;
    None when empty."""
    widths, densities = _candidates(value)
    pool = widths or densities
    return max(pool, key=lambda c: c[0])[1] if pool else None


def _picture_best(root: Any) -> list[str]:
    """A <picture>'s largest photo: the widest `w` candidate among its <source>s and its
    <img>; without widths, the densest `x` one; else the <img>'s own choice."""
    widths: list[tuple[float, str]] = []
    densities: list[tuple[float, str]] = []
    for node in root.iter():
        if isinstance(node.tag, str):
            for attr in _SRCSET_ATTRS:
                w, d = _candidates(node.get(attr) or "")
                widths += w
                densities += d
    if widths:
        return [max(widths, key=lambda c: c[0])[1]]
    if densities and max(d for d, _ in densities) > 1:
        return [max(densities, key=lambda c: c[0])[1]]
    imgs = [_from_element(n) for n in root.iter("img")]
    found = [c[0] for c in imgs if c] or [
        c[0] for c in (_from_element(n) for n in root.iter() if isinstance(n.tag, str)) if c
    ]
    return found[:1]


def _is_srcset(value: str) -> bool:
    return bool(re.search(r"\s\d+(?:\.\d+)?[wx](?:\s*,|\s*$)", value))


def _from_element(node: Any) -> list[str]:
    """The photo URLs one element gives, best first: srcset's largest, else a real URL
    attribute, else its background image."""
    found: list[str] = []
    for attr in _SRCSET_ATTRS:
        value = node.get(attr)
        if value and (best := srcset_best(value)):
            found.append(best)
            break
    else:
        for attr in _URL_ATTRS:
            value = (node.get(attr) or "").strip()
            if value and not _PLACEHOLDER.search(value):
                found.append(value)
                break
    style = node.get("style") or ""
    found += [m.group(2) for m in _BACKGROUND.finditer(style) if m.group(2).strip()]
    return found


def _from_match(root: Any) -> list[str]:
    tag = root.tag.lower() if isinstance(root.tag, str) else ""
    if tag == "picture":  # <source srcset> for other formats/sizes, <img> the fallback
        return _picture_best(root)
    if tag == "img" or root.get("style"):
        own = _from_element(root)
        if own or tag == "img":
            return own
    # A container: every picture, image and background inside it, in page order.
    urls: list[str] = []
    for node in root.iter():
        if not isinstance(node.tag, str) or node is root or _in_picture(node, root):
            continue
        name = node.tag.lower()
        if name == "picture":
            urls += _from_match(node)
        elif name == "img" or node.get("style"):
            urls += _from_element(node)[:1] if name == "img" else _from_element(node)
    return urls


def _in_picture(node: Any, root: Any) -> bool:
    """Whether `node` is inside a <picture> below `root` (read with its picture)."""
    for ancestor in node.iterancestors():
        if ancestor is root:
            return False
        if isinstance(ancestor.tag, str) and ancestor.tag.lower() == "picture":
            return True
    return False


def image_urls(selector: Selector, css: str, *, base_url: str) -> list[str]:
    """Absolute http(s) photo URLs matched by `css`, in page order, without duplicates."""
    found: dict[str, None] = {}
    for match in selector.css(css):
        root = match.root
        if isinstance(root, str):
            value = root.strip()
            if "url(" in value:  # a style attribute
                raws = [m.group(2) for m in _BACKGROUND.finditer(value)]
            elif _is_srcset(value):
                raws = [srcset_best(value) or ""]
            else:
                raws = [value]
        else:
            raws = _from_match(root)
        for raw in raws:
            raw = raw.strip()
            if not raw or _PLACEHOLDER.search(raw):
                continue
            url = urljoin(base_url, raw).split("#")[0]
            if urlsplit(url).scheme in ("http", "https"):
                found.setdefault(url, None)
    return list(found)
