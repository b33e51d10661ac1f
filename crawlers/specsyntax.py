"""Syntax checks shared by the parts of a site spec: CSS selectors and regular expressions."""

from __future__ import annotations

import re
from typing import Annotated

from cssselect import SelectorError
from parsel.csstranslator import HTMLTranslator
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from crawlers.specerrors import show

_TRANSLATOR = HTMLTranslator()


def _css(value: str) -> str:
    try:
        _TRANSLATOR.css_to_xpath(value)
    except (SelectorError, ValueError) as exc:
        raise PydanticCustomError(
            "vigie_css",
            "expected a CSS selector, got {value} ({reason})",
            {"value": show(value), "reason": str(exc) or type(exc).__name__},
        ) from None
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise PydanticCustomError(
            "vigie_regex",
            "expected a regular expression, got {value} ({reason})",
            {"value": show(value), "reason": str(exc)},
        ) from None
    return value


Css = Annotated[str, Field(min_length=1), AfterValidator(_css)]
Regex = Annotated[str, Field(min_length=1), AfterValidator(_regex)]
