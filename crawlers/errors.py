"""The acquisition package's domain errors, translated only at the edges (CLI, stats, log)."""

from __future__ import annotations


class CrawlerError(Exception):
    """Base of every error the crawlers package raises on purpose."""


class SpecError(CrawlerError, ValueError):
    """A site spec that cannot be used. The message names the file, the field and the fix.

    `str(err)` reads `<file>: <field.path>: <what was expected>, got <value>` (or without the field
    path when the problem is the file itself). When a spec has several problems, each further one
    is a line of its own, in the same form, listed in `more`.
    """

    def __init__(
        self, source: str, message: str, *, field: str | None = None, more: tuple[str, ...] = ()
    ) -> None:
        self.source = source
        self.field = field
        self.detail = message
        self.more = more
        where = f"{source}: {field}: " if field else f"{source}: "
        super().__init__("\n".join((where + message, *more)))


class ConfigError(CrawlerError, ValueError):
    """Scrapy settings (the `VIGIE_*` ones or their combination) that cannot work together."""
