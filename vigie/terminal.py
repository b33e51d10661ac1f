"""Untrusted text made safe for the terminal (issue 17.4).

A crawled value — an ad id, a title, a phone as written, a site's error message — may hold rich
markup (`[/]` crashes rich, `[link=…]` makes a live link, `[bold]` restyles the table) or control
characters (ANSI escape sequences that recolour, move the cursor or retitle the terminal; bidi
overrides that reorder what is shown). `safe` escapes the markup and removes those characters;
every value printed through rich that did not come from Vigie itself goes through it.
"""

from __future__ import annotations

import re

from rich.markup import escape

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def strip_controls(value: object) -> str:
    """The text without control characters (newline and tab kept)."""
    return _CONTROL.sub("", str(value))


def safe(value: object) -> str:
    """`value` as rich markup that shows exactly its printable text."""
    return escape(strip_controls(value))
