"""Browser-step selectors checked with the rules Playwright applies, so that `vigie sites`
accepts exactly what will run in Chromium.

A step's selector is a Playwright selector: CSS with Playwright's pseudo-classes (`:has-text()`,
`:text()`, `:text-is()`, `:text-matches()`, `:visible`, `:nth-match()`, `:has()`, `:is()`,
`:not()`…), an engine prefix (`text=`, `css=`, `xpath=`, `id=`, `data-testid=`…), or parts
chained with ` >> `. cssselect's own extension `:contains()` is refused: Chromium does not know
it (the whole listing page was lost to one). Checked with the `Css` grammar (cssselect) once
Playwright's pseudo-classes are set aside, and with lxml for XPath.
"""

from __future__ import annotations

import re
from typing import Annotated

from cssselect import SelectorError
from lxml import etree
from parsel.csstranslator import HTMLTranslator
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from crawlers.specerrors import show

_TRANSLATOR = HTMLTranslator()
_ENGINES = {
    "css",
    "text",
    "xpath",
    "id",
    "data-testid",
    "data-test-id",
    "data-test",
    "nth",
    "internal:text",
    "internal:role",
    "role",
    "visible",
}
# Playwright's pseudo-classes that take an argument (parentheses balanced inside quotes), and
# those that take none; replaced by a neutral `:root`-free placeholder before the CSS check.
_WITH_ARG = (
    "has-text",
    "text",
    "text-is",
    "text-matches",
    "nth-match",
    "right-of",
    "left-of",
    "above",
    "below",
    "near",
)
_NO_ARG = ("visible",)
_FOREIGN = {"contains": ":has-text()"}  # cssselect extensions Chromium refuses, and what to use


def _split_chain(selector: str) -> list[str]:
    """The parts of a `>>` chain, ignoring `>>` inside quotes or brackets."""
    parts, depth, quote, start, i = [], 0, "", 0, 0
    while i < len(selector):
        c = selector[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif selector.startswith(">>", i) and depth == 0:
            parts.append(selector[start:i])
            start = i + 2
            i += 1
        i += 1
    parts.append(selector[start:])
    return [p.strip() for p in parts]


def _pseudo_end(text: str, start: int) -> int:
    """The index after the `)` closing the argument that opens at `start` (a `(`)."""
    depth, quote, i = 0, "", start
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced parentheses")


def _strip_playwright(css: str) -> str:
    """`css` with Playwright's own pseudo-classes removed (kept: what CSS itself must parse)."""
    out, i = [], 0
    names = sorted((*_WITH_ARG, *_NO_ARG), key=len, reverse=True)
    while i < len(css):
        if css[i] == ":" and not css.startswith("::", i):
            name = next((n for n in names if css.startswith(f":{n}", i)), None)
            after = i + 1 + len(name) if name else i
            if name in _WITH_ARG and after < len(css) and css[after] == "(":
                i = _pseudo_end(css, after)
                out.append("[data-vigie-pw]")
                continue
            if name in _NO_ARG and (
                after >= len(css) or not (css[after].isalnum() or css[after] in "-_(")
            ):
                i = after
                out.append("[data-vigie-pw]")
                continue
        out.append(css[i])
        i += 1
    return "".join(out)


def check_part(part: str) -> None:
    """Raise ValueError when one part of a chain is not a selector Playwright runs."""
    if not part:
        raise ValueError("empty part in a >> chain")
    engine, sep, body = part.partition("=")
    if sep and re.fullmatch(r"[a-z][a-z0-9:_-]*", engine):
        if engine not in _ENGINES:
            raise ValueError(f"unknown selector engine {engine!r}")
        if not body.strip():
            raise ValueError(f"{engine}= needs a value")
        if engine == "xpath":
            etree.XPath(body)
        elif engine == "css":
            check_part(body)
        return
    if part.startswith(("//", "..")):
        etree.XPath(part)
        return
    if part.startswith(("'", '"')):  # a quoted text selector
        return
    for name, instead in _FOREIGN.items():
        if re.search(rf":{name}\(", part):
            raise ValueError(f":{name}() is not a selector Chromium runs (use {instead})")
    _TRANSLATOR.css_to_xpath(_strip_playwright(part))


def _playwright(value: str) -> str:
    try:
        for part in _split_chain(value):
            check_part(part)
    except (SelectorError, ValueError, etree.XPathSyntaxError) as exc:
        raise PydanticCustomError(
            "vigie_pwselector",
            "expected a Playwright selector, got {value} ({reason})",
            {"value": show(value), "reason": str(exc) or type(exc).__name__},
        ) from None
    return value


PwSelector = Annotated[str, Field(min_length=1), AfterValidator(_playwright)]
