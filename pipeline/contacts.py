"""Contacts other than a bare phone number: e-mail, messenger handles and links, other URLs.

- E-mail, plain or written around filters ("anna [at] mail [dot] be", "anna arobase mail point
  com"); the value is the lowercase address.
- Links: wa.me/…, api.whatsapp.com/send?phone=… (whatsapp, value E.164), t.me/… (telegram),
  snapchat.com/add/…, instagram.com/…, onlyfans.com/…, signal.me/#p/… ; any other link is a
  "url", canonical (https, lowercase host without www., no fragment, no tracking parameters,
  no trailing /) so that the same page written two ways links two ads. A link written around
  filters with a bracketed dot ("anna-bxl[.]com", "hxxps://anna(.)be") is read as the link.
- Mentions: "Telegram: @anna_bxl", "Snap 👻 anna.bxl", "Insta: anna", "OF: anna"; a messenger
  named next to a phone number ("WhatsApp : 0470 12 34 56", "0470… (WhatsApp)") gives that
  messenger with the number in E.164.

Every value keeps its evidence span. Cheap substring tests keep ads without any of this fast.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from urllib.parse import parse_qsl, urlencode, urlsplit

import phonenumbers

from pipeline.phones import MAX_CHARS, find_phones
from pipeline.text import NormText
from pipeline.types import Contact, Span

_LINK_HOSTS = (
    "wa.me", "t.me", "telegram.me", "telegram.dog", "snapchat.com", "instagram.com",
    "instagr.am", "onlyfans.com", "signal.me", "whatsapp.com",
)  # fmt: skip
_URL_END = r"[^\s<>\"'\[\]{}|\\^`]"
_URL = re.compile(
    rf"(?:https?://|www\.){_URL_END}+"
    rf"|(?<![\w.@/-])(?:{'|'.join(re.escape(h) for h in _LINK_HOSTS)})/{_URL_END}*",
    re.IGNORECASE,
)
# A link written around filters: "lola-bxl[.]com", "www.lola(.)be/profil", "hxxps://lola{.}be".
_DEFANGED_DOT = r"(?:\[\.\]|\(\.\)|\{\.\}|\s?[\[({]dot[\])}]\s?)"
_DEFANGED = re.compile(
    rf"(?<![^\s:;,<>(\"'«])(?:(?:https?|hxxps?)://)?(?:[a-z0-9-]+(?:\.|{_DEFANGED_DOT}))+[a-z]{{2,6}}"
    rf"(?![\w-])(?:/{_URL_END}*)?",
    re.IGNORECASE,
)
_DEFANGED_SPLIT = re.compile(_DEFANGED_DOT, re.IGNORECASE)
_DEFANGED_MARKERS = ("[.]", "(.)", "{.}", "dot]", "dot)", "dot}")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_", "ref_src")

_AT_MARKERS = ("@", "(at)", "[at]", "{at}", "<at>", " at ", "arobase", "apenstaart")
_AT = re.compile(
    r"\s?(?:@|[(\[{<]\s?(?:at|@|arobase|apenstaartje)\s?[)\]}>])\s?"
    r"|\s(?:at|arobase|apenstaartje)\s",
    re.IGNORECASE,
)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOT = r"(?:\s?[(\[{]\s?(?:dot|point|punt|\.)\s?[)\]}]\s?|\s(?:dot|point|punt|\.)\s|\.)"
_DOMAIN = re.compile(rf"{_LABEL}(?:{_DOT}{_LABEL}){{1,4}}(?![\w@])", re.IGNORECASE)
_DOT_SPLIT = re.compile(_DOT, re.IGNORECASE)
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_COMMON_TLDS = frozenset(
    ("com", "be", "fr", "nl", "net", "org", "eu", "de", "lu", "ro", "bg", "es", "it", "hu")
    + ("uk", "ch", "info", "io", "me", "co", "biz", "ru", "ua", "pl", "pt", "br", "ng", "xyz")
)

# Messenger mentions, on the lowercased text.
_MENTION = re.compile(
    r"\b(?:t(?:elegram|g)|s(?:napchat|nap|c|ignal)|i(?:nstagram|nsta|g)|o(?:nly ?fans|f)"
    r"|w(?:hats ?app|atsapp?|sp|a))\b|👻"
)
_MENTION_MARKERS = (
    "telegram", "snap", "insta", "onlyfans", "only fans", "signal", "whats", "watsap", "wsp", "👻",
)  # fmt: skip


def _any_of(markers: tuple[str, ...]) -> re.Pattern[str]:
    """One search for "does the text hold any of these strings" (cheaper than `any(... in ...)`)."""
    return re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)))


_LINK_MARKERS = _any_of(_LINK_HOSTS)
_DEFANGED_ANY = _any_of(_DEFANGED_MARKERS)
_AT_ANY = _any_of(_AT_MARKERS)
_MENTION_ANY = _any_of(_MENTION_MARKERS)
_SHORT_MENTIONS = frozenset(("tg", "sc", "ig", "of", "wa"))  # count only before ":" or "@"
_KIND = {
    "telegram": "telegram", "tg": "telegram", "snapchat": "snapchat", "snap": "snapchat",
    "sc": "snapchat", "👻": "snapchat", "signal": "signal", "instagram": "instagram",
    "insta": "instagram", "ig": "instagram", "onlyfans": "onlyfans", "only fans": "onlyfans",
    "of": "onlyfans", "whatsapp": "whatsapp", "whats app": "whatsapp", "watsap": "whatsapp",
    "watsapp": "whatsapp", "wsp": "whatsapp", "wa": "whatsapp",
}  # fmt: skip
_WEAK = frozenset(("tg", "sc", "ig", "of", "wa", "snap", "insta", "signal"))  # need ":" or "@"
_AFTER_MENTION = re.compile(
    r"[ \t]*(?P<sep>[:=>\-–—]+|👻)?[ \t]*(?P<at>@)?(?P<h>[a-z0-9][a-z0-9._\-]{0,31})"
)
_HANDLE = {
    "telegram": re.compile(r"[a-z][a-z0-9_]{4,31}"),
    "instagram": re.compile(r"[a-z0-9._]{1,30}"),
    "snapchat": re.compile(r"[a-z][a-z0-9._\-]{2,14}"),
    "onlyfans": re.compile(r"[a-z0-9._\-]{3,30}"),
    "signal": re.compile(r"[a-z_][a-z0-9_]{2,31}\.\d{2,9}"),
}
_NOT_HANDLES = frozenset(
    ("ou", "or", "et", "and", "en", "of", "me", "moi", "mij", "only", "uniquement", "seulement")
    + ("alleen", "also", "aussi", "ook", "dispo", "disponible", "available", "beschikbaar")
    + ("contact", "message", "messages", "msg", "sms", "appel", "call", "bellen", "privé")
    + ("prive", "private", "telegram", "whatsapp", "signal", "snapchat", "instagram", "the")
    + ("le", "la", "de", "het", "op", "sur", "on", "via", "par", "by", "with", "avec", "met")
)
_PHONE_MESSENGERS = frozenset(("whatsapp", "telegram", "signal"))
_PHONE_AFTER, _PHONE_BEFORE = 40, 14  # how far from a mention a phone may stand (characters)


def _e164(digits: str) -> str:
    """E.164 for the digits of an international link ("32470123456"), "+digits" if invalid."""
    try:
        num = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return "+" + digits
    if phonenumbers.is_valid_number(num):
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return "+" + digits


def canonical_url(raw: str) -> str | None:
    """https, lowercase host without www., no userinfo/fragment/tracking/default port or final /."""
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not host or parts.scheme.lower() not in ("http", "https"):
        return None
    host = host.removeprefix("www.")
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not k.lower().startswith(_TRACKING)]
    )  # fmt: skip
    return f"https://{netloc}{path}" + (f"?{query}" if query else "")


def _link(url: str) -> tuple[str, str] | None:
    """(kind, value) for a link."""
    canon = canonical_url(url)
    if canon is None:
        return None
    parts = urlsplit(canon)
    host = parts.hostname or ""
    segs = [s for s in parts.path.split("/") if s]
    first = segs[0].lower() if segs else ""
    if host == "wa.me" and first.lstrip("+").isdigit():
        return "whatsapp", _e164(first.lstrip("+"))
    if host == "api.whatsapp.com":
        phone = dict(parse_qsl(parts.query)).get("phone", "").lstrip("+")
        if phone.isdigit():
            return "whatsapp", _e164(phone)
    if host in ("t.me", "telegram.me", "telegram.dog") and first:
        if first.startswith("+") and first[1:].isdigit():
            return "telegram", _e164(first[1:])
        if _HANDLE["telegram"].fullmatch(first) and first not in ("joinchat", "share", "s"):
            return "telegram", first
    if host == "snapchat.com" and len(segs) >= 2 and first == "add":
        return "snapchat", segs[1].lower()
    if host in ("instagram.com", "instagr.am") and first and first not in (
        "p", "reel", "reels", "explore", "stories", "accounts", "tv",
    ):  # fmt: skip
        return "instagram", first
    if host == "onlyfans.com" and first:
        return "onlyfans", first
    if host == "signal.me" and "+" in parts.fragment + url:
        digits = "".join(c for c in url.rsplit("+", 1)[-1] if c.isdigit())
        if digits:
            return "signal", _e164(digits)
    return "url", canon


class _Collector:
    def __init__(self, doc: NormText, field: str) -> None:
        self.doc, self.field = doc, field
        self.found: dict[tuple[str, str], list[Span]] = {}
        self.emails: list[tuple[int, int]] = []  # normalised offsets of the e-mails found

    def add(self, kind: str, value: str, span: Span) -> None:
        """Record an occurrence, unless it overlaps one already recorded for the same value."""
        spans = self.found.setdefault((kind, value), [])
        k = bisect_left(spans, span.start, key=lambda s: s.start)
        if k > 0 and spans[k - 1].end > span.start:
            return
        if k < len(spans) and spans[k].start < span.end:
            return
        spans.insert(k, span)

    def add_norm(self, kind: str, value: str, start: int, end: int) -> None:
        if kind == "email":
            self.emails.append((start, end))
        self.add(kind, value, self.doc.span(self.field, start, end))

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.emails)

    def contacts(self) -> list[Contact]:
        return [Contact(kind, value, tuple(spans)) for (kind, value), spans in self.found.items()]


def _defanged(text: str, low: str, out: _Collector) -> list[tuple[int, int]]:
    """Links with a bracketed dot; their ranges (normalised offsets)."""
    if _DEFANGED_ANY.search(low) is None:
        return []
    ranges = []
    for m in _DEFANGED.finditer(text):
        if out.overlaps(m.start(), m.end()) or not _DEFANGED_SPLIT.search(m.group()):
            continue  # an e-mail's domain ("lola[at]mail[.]com"), or no bracketed dot at all
        url = m.group().rstrip(".,;:!?)'\"»")
        plain = _DEFANGED_SPLIT.sub(".", url)
        host = plain.split("://")[-1].split("/")[0].lower()
        if host.rsplit(".", 1)[-1] not in _COMMON_TLDS:
            continue
        found = _link(re.sub(r"^hxxp", "http", plain, flags=re.IGNORECASE))
        if found is not None:
            out.add_norm(found[0], found[1], m.start(), m.start() + len(url))
            ranges.append((m.start(), m.start() + len(url)))
    return ranges


def _links(text: str, low: str, out: _Collector) -> None:
    defanged = _defanged(text, low, out)
    if "://" not in text and "www." not in low and _LINK_MARKERS.search(low) is None:
        return
    for m in _URL.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in defanged):
            continue
        url = m.group().rstrip(".,;:!?)'\"»")
        found = _link(url)
        if found is not None:
            out.add_norm(found[0], found[1], m.start(), m.start() + len(url))


def _emails(text: str, low: str, out: _Collector) -> None:
    if _AT_ANY.search(low) is None:
        return
    for m in _AT.finditer(text):
        start = m.start()
        while start > max(0, m.start() - 64) and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        local = text[start : m.start()].strip(".")
        dom = _DOMAIN.match(text, m.end())
        if not local or dom is None:
            continue
        at = m.group()
        if at.strip() == "@" and at[0].isspace() and not at[-1].isspace():
            continue  # "IG @lola.bxl", "Snap @lola": a handle, not an address
        labels = [lab.lower() for lab in _DOT_SPLIT.split(dom.group())]
        plain = m.group().strip() == "@" and "." in dom.group() and " " not in dom.group()
        if not labels[-1].isalpha() or (not plain and labels[-1] not in _COMMON_TLDS):
            continue
        out.add_norm("email", f"{local.lower()}@{'.'.join(labels)}", start, dom.end())


def _may_mention(low: str) -> bool:
    """Cheap test for a messenger mention: a long name, or a short one before ":" or "@"."""
    if _MENTION_ANY.search(low) is not None:
        return True
    for sep in ":@":
        i = low.find(sep)
        while i >= 0:
            word = low[max(0, i - 4) : i].rstrip()
            if word[-2:] in _SHORT_MENTIONS and (len(word) < 3 or not word[-3].isalpha()):
                return True
            i = low.find(sep, i + 1)
    return False


def _mentions(text: str, low: str, out: _Collector, field: str, doc: NormText) -> None:
    if not _may_mention(low):
        return
    mentions = list(_MENTION.finditer(low))
    if not mentions:
        return
    phones: list[tuple[int, int, str]] | None = None
    for m in mentions:
        if low[m.end() : m.end() + 1] == "." and low[m.end() + 1 : m.end() + 2].isalpha():
            continue  # a host name ("wa.me/…", "snapchat.com/…"): read as a link
        word = m.group()
        kind = _KIND.get(word) or _KIND.get(" ".join(word.split()), "")
        after = _AFTER_MENTION.match(low, m.end())
        if kind != "whatsapp" and after is not None and _handle(word, kind, after):
            handle = after.group("h").rstrip("._-")
            out.add_norm(kind, handle, m.start(), after.start("h") + len(handle))
            continue
        if kind not in _PHONE_MESSENGERS:
            continue
        if phones is None:
            phones = sorted(
                (s.start, s.end, p.e164) for p in find_phones(doc, field) for s in p.spans
            )
        kw_start, kw_end = doc.to_original(m.start(), m.end())
        near = _phone_near(phones, kw_start, kw_end)
        if near is not None:
            start, end = min(kw_start, near[0]), max(kw_end, near[1])
            out.add(kind, near[2], Span(field, start, end, doc.original[start:end]))


def _phone_near(
    phones: list[tuple[int, int, str]], kw_start: int, kw_end: int
) -> tuple[int, int, str] | None:
    """The phone right after a mention (within _PHONE_AFTER), else the one right before it."""
    k = bisect_left(phones, kw_end, key=lambda p: p[0])
    if k < len(phones) and phones[k][0] <= kw_end + _PHONE_AFTER:
        return phones[k]
    if k > 0 and kw_start - _PHONE_BEFORE <= phones[k - 1][1] <= kw_start:
        return phones[k - 1]
    return None


def _handle(word: str, kind: str, after: re.Match[str]) -> bool:
    """Is what follows a mention a handle of that messenger?"""
    handle = after.group("h").rstrip("._-")
    if handle in _NOT_HANDLES or not any(c.isalpha() for c in handle):
        return False
    pattern = _HANDLE.get(kind)
    if pattern is None or not pattern.fullmatch(handle):
        return False
    if after.group("sep") or after.group("at"):
        return True
    return word not in _WEAK and any(c in "0123456789_." for c in handle)


def find_contacts(doc: NormText, field: str) -> list[Contact]:
    """Every non-phone contact in one field of an ad, one Contact per (kind, value)."""
    text = doc.text if len(doc.text) <= MAX_CHARS else doc.text[:MAX_CHARS]
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    out = _Collector(doc, field)
    _emails(text, low, out)
    _links(text, low, out)
    _mentions(text, low, out, field, doc)
    return out.contacts()
