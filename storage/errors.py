"""Storage's domain errors: what callers (CLI, web, crawler pipelines) may catch and translate."""

from __future__ import annotations


class StorageError(Exception):
    """Something went wrong reading or writing Vigie's database."""


class BadDatabaseURL(StorageError):
    """A database URL that Vigie cannot use. The message never repeats a password."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"bad database URL {url!r}: {reason}")


class CorruptRecord(StorageError):
    """A stored JSON document that no longer decodes into the pipeline's types."""


class UnknownAd(StorageError):
    """A network names an ad that is not stored."""

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        self.keys = keys
        shown = ", ".join(f"{site}/{ad_id}" for site, ad_id in keys[:5])
        more = f" (and {len(keys) - 5} more)" if len(keys) > 5 else ""
        super().__init__(f"network members not stored: {shown}{more}")
