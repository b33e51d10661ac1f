"""Parsing an exchange file's JSON without letting a hostile file crash the reader."""

from __future__ import annotations

import json

from storage.exchange.errors import MalformedFile

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in a JSON exchange file (the formats need 8)."""


def _depth(doc: object) -> int:
    """How deeply `doc` nests, without recursion (a hostile file must not exhaust the stack)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in
                             (node.values() if isinstance(node, dict) else node))
    return deepest


def parse_json(data: bytes) -> object:
    """The JSON document in `data`; MalformedFile for bad UTF-8, bad JSON, absurd nesting, or a
    number Python refuses (integers past 4,300 digits)."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedFile(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise MalformedFile(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # e.g. "Exceeds the limit (4300 digits) for integer string"
        raise MalformedFile(f"not valid JSON: {str(exc).splitlines()[0]}") from None
    if _depth(doc) > MAX_DEPTH:
        raise MalformedFile(f"JSON nested deeper than {MAX_DEPTH} levels")
    return doc
