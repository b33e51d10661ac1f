"""The one shape of a stored image hash, checked where hashes enter the database.

A 64-bit pHash or dHash is stored as 16 lowercase hex digits (what `pipeline.images` writes).
Anything else — from another tool, an old database, a caller of the Python API — would make
every later comparison (`hamming`) fail, so `Store.save` and the watchlists refuse it with
`MalformedHash`, and the readers skip (and log) one that is already stored.
"""

from __future__ import annotations

import re

from storage.errors import StorageError

IMAGE_HASH = re.compile(r"[0-9a-f]{16}")


class MalformedHash(StorageError):
    """An image hash that is not 16 lowercase hex digits."""


def is_image_hash(value: str | None) -> bool:
    return value is not None and IMAGE_HASH.fullmatch(value) is not None


def check_image_hash(value: str | None, where: str) -> None:
    """Raise MalformedHash unless `value` is None/empty (no hash) or a well-formed hash."""
    if value and not is_image_hash(value):
        raise MalformedHash(
            f"{where}: an image hash is 16 lowercase hex digits, not {value[:40]!r}"
        )


def check_region_hashes(value: str | None, where: str) -> None:
    """Raise MalformedHash unless `value` is None/empty or region hashes as
    `pipeline.photomatch.encode_dct` writes them."""
    from pipeline.photomatch import is_dct

    if value and not is_dct(value):
        raise MalformedHash(f"{where}: region hashes are `region=16 hex digits` pairs, not "
                            f"{value[:60]!r}")
