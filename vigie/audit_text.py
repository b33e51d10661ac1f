"""The audit trail as sentences a data-protection officer reads, in French, Dutch or English.

Each entry becomes one sentence ("searched phone number +32470… : 3 hits", "a recherché …"),
with the plural forms of each language, from the `audit.po` catalogues next to the review
app's own (vigie/web/locale/<lang>/LC_MESSAGES/): the web app's audit page and `vigie audit`
show the same text. The entry's details stay available as data (JSON) beside the sentence.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "audit"
LOCALE_DIR = Path(__file__).parent / "web" / "locale"  # the review app's (vigie/web/i18n.py)
LANGS = ("fr", "nl", "en")


def pick_lang(candidate: str) -> str:
    return candidate if candidate in LANGS else "fr"



class Entry(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def object_type(self) -> str | None: ...
    @property
    def object_id(self) -> str | None: ...
    @property
    def details(self) -> Mapping[str, Any]: ...


def N_(message: str) -> str:  # noqa: N802 — gettext's "mark, translate later"
    return message


@lru_cache(maxsize=len(LANGS))
def translations(lang: str) -> gettext.NullTranslations:
    """The `audit` catalogue of `lang`, with its plural rule (English: the msgids themselves)."""
    path = LOCALE_DIR / pick_lang(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


WORDS = {
    # values that appear in details, shown translated
    "bad credentials": N_("wrong user name or password"),
    "throttled": N_("too many attempts"),
    "confirm": N_("confirmed"),
    "dismiss": N_("dismissed"),
    "escalate": N_("escalated"),
    "phone": N_("phone number"),
    "alias": N_("alias"),
    "image": N_("image hash"),
    "text": N_("text"),
    "handle": N_("handle"),
    "email": N_("e-mail address"),
}


def describe(entry: Entry, lang: str) -> str:
    """One readable, translated sentence for an audit entry."""
    tr = translations(lang)
    _ = tr.gettext
    d = entry.details or {}
    obj = entry.object_id or ""

    def word(value: object) -> str:
        text = str(value)
        return _(WORDS[text]) if text in WORDS else text

    def count(key: str) -> int:
        value = d.get(key)
        if isinstance(value, list | tuple):
            return len(value)
        return int(value) if isinstance(value, int | float) else 0

    builders: dict[str, Callable[[], str]] = {
        "login": lambda: _("logged in"),
        "logout": lambda: _("logged out"),
        "login_failed": lambda: _("could not log in (%(why)s)") % {"why": word(d.get("why", "?"))},
        "view_ad": lambda: _("viewed ad %(ad)s") % {"ad": obj},
        "view_network": lambda: _("viewed network %(network)s") % {"network": obj},
        "view_networks": lambda: tr.ngettext(
            "viewed the list of networks (%(n)d network)",
            "viewed the list of networks (%(n)d networks)", count("networks"),
        ) % {"n": count("networks")},
        "view_queue": lambda: tr.ngettext(
            "viewed the review queue (%(n)d ad shown)",
            "viewed the review queue (%(n)d ads shown)", count("ads"),
        ) % {"n": count("ads")},
        "view_dashboard": lambda: _("viewed the dashboard"),
        "view_watchlists": lambda: _("viewed the watchlists"),
        "view_audit": lambda: _("viewed the audit log"),
        "search": lambda: tr.ngettext(
            "searched %(kind)s %(value)s: %(n)d result",
            "searched %(kind)s %(value)s: %(n)d results", count("hits"),
        ) % {"kind": word(entry.object_type or ""), "value": obj, "n": count("hits")},
        "decision": lambda: _("marked ad %(ad)s as %(decision)s") % {
            "ad": obj, "decision": word(d.get("decision", "?"))},
        "watchlist_change": lambda: _watch(_, d, obj, word),
        "export": lambda: tr.ngettext(
            "exported %(n)d indicator to %(file)s (%(format)s)",
            "exported %(n)d indicators to %(file)s (%(format)s)", count("indicators"),
        ) % {"n": count("indicators"), "file": d.get("file", ""), "format": d.get("format", "")},
        "import": lambda: tr.ngettext(
            "imported %(n)d indicator from zone %(zone)s (%(file)s)",
            "imported %(n)d indicators from zone %(zone)s (%(file)s)", count("indicators"),
        ) % {"n": count("indicators"), "zone": d.get("source_zone", "?"),
             "file": d.get("file", "")},
        "erase": lambda: _("erased %(object)s") % {"object": obj},
        "purge": lambda: (
            tr.ngettext("retention purge: %(n)d ad erased", "retention purge: %(n)d ads erased",
                        count("ads")) % {"n": count("ads")}
            if entry.object_type == "purge"
            else _("erased an ad past its retention period (reference %(ref)s)") % {"ref": obj}
        ),
        "retention_report": lambda: _("read the retention report"),
        "user_change": lambda: _("changed the account %(user)s") % {"user": obj},
        "audit_export": lambda: tr.ngettext(
            "exported the audit trail (%(n)d entry)", "exported the audit trail (%(n)d entries)",
            count("entries"),
        ) % {"n": count("entries")},
        "audit_verify": lambda: _("verified the audit trail's integrity"),
        "audit_purge": lambda: tr.ngettext(
            "purged the audit trail: %(n)d entry older than %(date)s removed",
            "purged the audit trail: %(n)d entries older than %(date)s removed", count("removed"),
        ) % {"n": count("removed"), "date": str(d.get("cutoff", ""))[:10]},
    }
    build = builders.get(entry.action)
    sentence = build() if build else f"{entry.action} {obj}".strip()
    if d.get("cross_zone"):
        owner = d.get("owner_zone")
        sentence += " — " + (_("outside the user's zone (zone %(zone)s)") % {"zone": owner}
                             if owner else _("outside the user's zone"))
    return sentence


def _watch(_: Callable[[str], str], d: Mapping[str, Any], obj: str,
           word: Callable[[object], str]) -> str:
    change = d.get("change")
    if change == "add":
        return _("added %(kind)s %(value)s to a watchlist") % {
            "kind": word(d.get("kind", "")), "value": d.get("value", "")}
    if change == "deactivate":
        return _("deactivated the watch entry %(entry)s (%(kind)s %(value)s)") % {
            "entry": obj, "kind": word(d.get("kind", "")), "value": d.get("value", "")}
    if change == "close_alert":
        return _("closed the alert %(alert)s") % {"alert": obj}
    return _("changed the watchlists (%(change)s)") % {"change": change or "?"}
