"""The opaque key of an ad in the review app's URLs: whatever a crawled site chose as its id.

An ad id comes from a hostile site: `E/1`, `..`, `[/]`, `%2F`, thousands of characters, any
Unicode or markup. Putting it in a path lets the router, a proxy or a browser normalise it into
another path (404 at best). The key is the URL-safe base64 (no padding) of the JSON array
`[site, ad_id]` with every non-ASCII character escaped: ASCII letters, digits, `-` and `_` only,
one key per ad, and decoding gives the exact (site, ad_id) back.
"""

from __future__ import annotations

import base64
import binascii
import json

MAX_KEY = 16_384
"""Longer keys are not decoded (no stored id is that long; a request line is bounded anyway)."""


def ad_key(site: str, ad_id: str) -> str:
    raw = json.dumps([site, ad_id], ensure_ascii=True, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")


def parse_ad_key(key: str) -> tuple[str, str] | None:
    """The (site, ad_id) a key names, or None when it is not a key."""
    if not key or len(key) > MAX_KEY:
        return None
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        value = json.loads(raw.decode("ascii"))
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError included
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, str) for v in value)
        and ad_key(value[0], value[1]) == key  # one key per ad: no alternative spelling
    ):
        return value[0], value[1]
    return None
