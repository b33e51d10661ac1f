"""Where a field of an ad is read: a CSS selector, or a source of structured data, with an
optional regular expression after it and fallbacks.

    title: "h1.ad-title"                          # CSS, as always
    phone:                                        # a list: the first source that gives a value
      - {jsonld: "telephone"}                     # JMESPath on each JSON-LD object of the page
      - {css: "a[href^='tel:']::attr(href)", regex: "tel:(.+)"}
    age: {microdata: "age"}                       # on each microdata item (itemprop names)
    alias: {opengraph: "og:title", regex: "^(\\w+)"}
    text: {script: "script#__NEXT_DATA__", json: "props.pageProps.ad.body"}  # embedded state
    location: {json: "ad.city"}                   # an ad page that is a JSON document
    lang: {default: "fr"}                         # a constant when nothing else gave one
"""

from __future__ import annotations

import warnings
from typing import Annotated, Any

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from crawlers.specerrors import show
from crawlers.specsyntax import Css, Regex, _css

KINDS = ("css", "jsonld", "microdata", "opengraph", "json", "default")


def _jmespath(value: str) -> str:
    try:
        jmespath.compile(value)
    except JMESPathError as exc:
        raise PydanticCustomError(
            "vigie_jmespath",
            "expected a JMESPath expression, got {value} ({reason})",
            {"value": show(value), "reason": " ".join(str(exc).split())},
        ) from None
    return value


JMESPath = Annotated[str, Field(min_length=1), AfterValidator(_jmespath)]


with warnings.catch_warnings():  # the field `json` shadows BaseModel.json, deprecated: harmless
    warnings.filterwarnings("ignore", message='Field name "json"', category=UserWarning)

    class _Fields(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid")
        json: JMESPath | None = None  # type: ignore[assignment]


class Source(_Fields):
    """One place a field's value is read (exactly one kind), then `regex` (group 1 when the
    pattern has a group, else the whole match; a value that does not match is dropped)."""

    css: Css | None = None
    jsonld: JMESPath | None = None
    microdata: JMESPath | None = None
    opengraph: str | None = None
    script: Css | None = None
    default: str | None = None
    regex: Regex | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        given = [k for k in KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "vigie_source",
                "expected exactly one of css, jsonld, microdata, opengraph, json or default,"
                " got {given}",
                {"given": ", ".join(given) or "none"},
            )
        if self.script is not None and self.json is None:
            raise PydanticCustomError(
                "vigie_source", "script needs json: the path to read in the script's JSON", {}
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in KINDS if getattr(self, k) is not None)


class IdSource(Source):
    """An ad's identifier: any source of a field, or `url_regex` on the ad's URL (group 1 when
    the pattern has a group, else the whole match)."""

    url_regex: Regex | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> IdSource:
        given = [k for k in (*KINDS, "url_regex") if getattr(self, k) is not None]
        if len(given) != 1 or self.default is not None:
            raise PydanticCustomError(
                "vigie_id",
                'expected exactly one of "css", "url_regex", "jsonld", "microdata", "opengraph"'
                ' or "json", got {given}',
                {"given": ", ".join(given) or "none"},
            )
        return self


def _sources(value: Any) -> Any:
    """A field written as a CSS string, one source, or a list of them: always a tuple of
    sources. A plain CSS string is checked here, so that its error names the field itself."""
    if isinstance(value, str):
        return ({"css": _css(value)},)
    items = value if isinstance(value, list | tuple) else [value]
    return tuple({"css": item} if isinstance(item, str) else item for item in items)


def _nonempty(value: tuple[Source, ...]) -> tuple[Source, ...]:
    if not value:
        raise PydanticCustomError("vigie_source", "expected at least one source", {})
    return value


FieldSources = Annotated[tuple[Source, ...], BeforeValidator(_sources), AfterValidator(_nonempty)]


def as_sources(value: Any) -> tuple[Source, ...]:
    """Validate a field's value the way a spec does (tests and callers)."""
    return tuple(Source.model_validate(item) for item in _sources(value))


def _id_sources(value: Any) -> Any:
    """An id written as one source or a list of them (fallbacks): always a tuple."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)


IdSources = Annotated[tuple[IdSource, ...], BeforeValidator(_id_sources), AfterValidator(_nonempty)]
