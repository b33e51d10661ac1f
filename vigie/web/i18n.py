"""French, Dutch and English for the review app: gettext catalogues read straight from the
`.po` files of `locale/` (Babel), and dates and numbers formatted per language.

English is the source language (the msgids); a missing translation falls back to it, and a test
keeps every message translated into French and Dutch. To add a message: use `_("…")` in a
template or a route (or `N_("…")` for a label defined at import time), then add it to the three
`locale/<lang>/LC_MESSAGES/messages.po` files.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from models.scoretext import score_decimals

LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = ("fr", "nl", "en")
DEFAULT_LANG = "fr"
LANG_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English"}
_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
TIMEZONE = ZoneInfo("Europe/Brussels")


def N_(message: str) -> str:  # noqa: N802 — the gettext convention for "mark, translate later"
    """Mark a message for extraction without translating it (translated where it is shown)."""
    return message


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> dict[str, str]:
    """msgid → translation for `lang` (only the translated, non-fuzzy messages)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        catalog = read_po(f, locale=_LOCALES[lang])
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def pick_lang(candidate: str | None) -> str:
    return candidate if candidate in LANGS else DEFAULT_LANG


class Translator:
    """`_("msgid", name=value)`: the translation, with `%(name)s` placeholders filled in."""

    def __init__(self, lang: str) -> None:
        self.lang = pick_lang(lang)
        self.locale = Locale.parse(_LOCALES[self.lang])
        self._messages = catalogue(self.lang)

    def __call__(self, message: str, **values: object) -> str:
        text = self._messages.get(message, message)
        return text % values if values else text

    def datetime(self, value: dt.datetime | None) -> str:
        if value is None:
            return "—"
        return format_datetime(value, "medium", tzinfo=TIMEZONE, locale=self.locale)

    def date(self, value: dt.datetime | None) -> str:
        if value is None:
            return "—"
        return format_date(value.astimezone(TIMEZONE), "medium", locale=self.locale)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def score(self, value: float) -> str:
        return format_decimal(value, "0.00", locale=self.locale)

    def queue_score(self, value: float) -> str:
        """A risk score as the queue shows it: enough decimals to order its top
        (`models.scoretext`)."""
        return format_decimal(value, "0." + "0" * score_decimals(value), locale=self.locale)

    def percent(self, value: float) -> str:
        return format_percent(value, "#,##0.0 %", locale=self.locale)
