"""The request-shaping parts of a site spec: `request` (headers and cookies every request of the
site carries) and `form` (an age gate or consent form to submit when a page shows it)."""

from __future__ import annotations

import re
from typing import Annotated

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
from crawlers.specsyntax import Css


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP token (RFC 9110)
_COOKIE_NAME = _HEADER_NAME


def _header_value(value: str) -> str:
    if any(c in value for c in "\r\n\0"):
        raise PydanticCustomError(
            "vigie_header",
            "expected one line without control characters, got {value}",
            {"value": show(value)},
        )
    return value


def _token(value: str) -> str:
    if not _HEADER_NAME.match(value):
        raise PydanticCustomError(
            "vigie_token",
            "expected an HTTP header or cookie name (letters, digits and -_.!#$%&'*+^`|~),"
            " got {value}",
            {"value": show(value)},
        )
    return value


DEFAULT_TRACKING = ("utm_*", "ref", "fbclid", "gclid")

Token = Annotated[str, AfterValidator(_token)]
HeaderValue = Annotated[str, AfterValidator(_header_value)]


def _pairs(value: object) -> object:
    """A YAML mapping kept as (name, value) pairs: a spec stays frozen and hashable."""
    if isinstance(value, dict):
        return tuple((str(k), v) for k, v in value.items())
    raise PydanticCustomError(
        "vigie_mapping", "expected a mapping of name: value, got {value}", {"value": show(value)}
    )


Pairs = Annotated[tuple[tuple[Token, HeaderValue], ...], BeforeValidator(_pairs)]


class RequestSpec(_Model):
    """What every request to the site carries: `headers` (e.g. Accept-Language, Referer) and
    `cookies` (e.g. the cookie an age gate or a consent wall sets once passed), in static and in
    browser mode alike; and `tracking_params`, the query parameters (glob patterns) dropped from
    every link so that one ad has one URL (`crawlers.urls`)."""

    headers: Pairs = ()
    cookies: Pairs = ()
    tracking_params: tuple[Annotated[str, Field(min_length=1)], ...] = DEFAULT_TRACKING

    @model_validator(mode="after")
    def _no_reserved(self) -> RequestSpec:
        reserved = {"host", "content-length", "cookie", "transfer-encoding", "connection"}
        for name, _ in self.headers:
            if name.lower() in reserved:
                raise PydanticCustomError(
                    "vigie_header",
                    "{name} is set by the crawler itself (cookies go under request.cookies)",
                    {"name": name, "field": "headers"},
                )
        return self


class FormSpec(_Model):
    """A form to submit when a page shows it (an age gate, a consent wall): the form found by
    `selector`, its own fields kept (hidden tokens included), `fields` set on top, submitted with
    the `submit` button when given. Static mode posts it like the form would; browser mode
    submits it in the page, so the browser sends its own headers."""

    selector: Css
    fields: Annotated[tuple[tuple[str, HeaderValue], ...], BeforeValidator(_pairs)] = ()
    submit: Css | None = None
