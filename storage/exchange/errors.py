"""The exchange's domain errors: one line each, naming what is wrong (the CLI prints them)."""

from __future__ import annotations

from storage.errors import StorageError


class ExchangeError(StorageError):
    """An export or import that cannot go ahead."""


class MalformedFile(ExchangeError):
    """An exchange file that does not parse or does not follow its format; nothing was written."""


class SignatureError(ExchangeError):
    """A file whose signature is missing, unknown, or does not match its bytes."""


class KeyFileError(ExchangeError):
    """A key file that is missing, unreadable or not what it should be."""
