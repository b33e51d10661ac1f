"""Invented mobile numbers and the many ways an ad writes them.

Numbers are drawn at random in mobile ranges (Belgium mostly; France, the Netherlands, Romania)
and kept only when the `phonenumbers` library says they are valid mobile numbers. `render`
writes one in a given style: plain national or international formats, or an obfuscation (one
separator per digit, emoji keycaps, look-alike letters, numbers spelled out in French, Dutch or
English, wa.me link).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import phonenumbers

PLAIN_STYLES = ("plain", "dotted", "intl", "intl00", "intl_trunk")
OBFUSCATED_STYLES = ("words", "separators", "keycaps", "lookalike", "wame")
# Styles that only make sense for a Belgian number (national format, Belgian number words).
_BELGIAN_ONLY = frozenset({"plain", "dotted", "intl_trunk", "words"})

_PREFIXES: dict[str, tuple[str, tuple[str, ...], int]] = {
    # region: (country code, national-number prefixes, national-number length)
    "BE": ("32", ("470", "471", "472", "473", "475", "476", "477", "478", "479", "483", "484",
                  "485", "486", "487", "488", "489", "490", "491", "492", "493", "494", "495",
                  "496", "497", "498", "499"), 9),
    "FR": ("33", ("6", "7"), 9),
    "NL": ("31", ("61", "62", "63", "64", "65"), 9),
    "RO": ("40", ("72", "74", "75", "76"), 9),
}

_FR_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
             "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize")
_FR_TENS = ("", "", "vingt", "trente", "quarante", "cinquante", "soixante", "septante",
            "quatre-vingt", "nonante")
_NL_UNITS = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
             "tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
             "achttien", "negentien")
_NL_TENS = ("", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig",
            "negentig")
_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
             "eighteen", "nineteen")
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_KEYCAP = "\ufe0f\u20e3"


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number: country calling code and national significant number (digits only)."""

    region: str
    cc: str
    nsn: str

    @property
    def e164(self) -> str:
        return f"+{self.cc}{self.nsn}"


def new_phone(rng: random.Random, region: str, taken: set[str]) -> Phone:
    """Draw a valid, not yet used mobile number of `region` ("BE", "FR", "NL" or "RO")."""
    cc, prefixes, length = _PREFIXES[region]
    while True:
        prefix = rng.choice(prefixes)
        nsn = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
        phone = Phone(region, cc, nsn)
        if phone.e164 in taken or len(set(nsn[-6:])) < 3:
            continue
        parsed = phonenumbers.parse(phone.e164)
        if phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE:
            taken.add(phone.e164)
            return phone


def supports(phone: Phone, style: str) -> bool:
    """Whether `style` can write `phone` without ambiguity (and, for look-alikes, visibly)."""
    if style == "lookalike" and phone.region != "BE":
        return bool(set("01") & set(phone.cc + phone.nsn))
    return phone.region == "BE" or style not in _BELGIAN_ONLY


def _groups(phone: Phone) -> list[str]:
    """The national significant number cut as people write it."""
    n = phone.nsn
    if phone.region == "BE":
        return [n[:3], n[3:5], n[5:7], n[7:]]
    if phone.region == "FR":
        return [n[0], n[1:3], n[3:5], n[5:7], n[7:]]
    if phone.region == "NL":
        return [n[0], n[1:5], n[5:]]
    return [n[:3], n[3:6], n[6:]]


def _pair_fr(n: int) -> str:
    if n < 17:
        return _FR_UNITS[n]
    if n < 20:
        return f"dix-{_FR_UNITS[n - 10]}"
    tens, unit = divmod(n, 10)
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_FR_UNITS[unit]}"
    if unit == 0:
        return _FR_TENS[tens]
    if unit == 1:
        return f"{_FR_TENS[tens]} et un"
    return f"{_FR_TENS[tens]}-{_FR_UNITS[unit]}"


def _pair_nl(n: int) -> str:
    if n < 20:
        return _NL_UNITS[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return _NL_TENS[tens]
    unit_word = _NL_UNITS[unit]
    joiner = "ën" if unit_word.endswith("e") else "en"
    return f"{unit_word}{joiner}{_NL_TENS[tens]}"


def _pair_en(n: int) -> str:
    if n < 20:
        return _EN_UNITS[n]
    tens, unit = divmod(n, 10)
    return _EN_TENS[tens] if unit == 0 else f"{_EN_TENS[tens]}-{_EN_UNITS[unit]}"


def number_words(digits: str, lang: str) -> str:
    """Two-digit groups spelled as numbers ("34" → "trente-quatre"); "0x" read digit by digit."""
    pair = {"fr": _pair_fr, "nl": _pair_nl, "en": _pair_en}[lang]
    units = {"fr": _FR_UNITS, "nl": _NL_UNITS, "en": _EN_UNITS}[lang]
    if len(digits) == 2 and digits[0] != "0":
        return pair(int(digits))
    return " ".join(units[int(d)] for d in digits)


def _words(phone: Phone, lang: str) -> str:
    """ "0470 12 34 56" → "zéro quatre septante, douze, trente-quatre, cinquante-six" (fr)."""
    head, *pairs = _groups(phone)
    national = "0" + head  # "0470"
    units = {"fr": _FR_UNITS, "nl": _NL_UNITS, "en": _EN_UNITS}[lang]
    if lang == "fr":
        first = f"{units[0]} {units[int(national[1])]} {number_words(national[2:], 'fr')}"
    else:
        first = " ".join(units[int(d)] for d in national)
    return ", ".join([first, *(number_words(p, lang) for p in pairs)])


def render(phone: Phone, style: str, lang: str) -> str:
    """Write `phone` in `style` for an ad in `lang` ("fr", "nl", "en")."""
    groups = _groups(phone)
    intl = f"+{phone.cc} " + " ".join(groups)
    if style == "plain":
        return "0" + " ".join(groups)
    if style == "dotted":
        return "0" + ".".join(groups)
    if style == "intl":
        return intl
    if style == "intl00":
        n = phone.nsn
        body = f"{n[:3]} {n[3:6]} {n[6:]}" if phone.region == "BE" else " ".join(groups)
        return f"00{phone.cc} {body}"
    if style == "intl_trunk":
        return f"+{phone.cc} (0)" + " ".join(groups)
    if style == "separators":
        digits = ("0" + phone.nsn) if phone.region == "BE" else (phone.cc + phone.nsn)
        text = "-".join(digits)
        return text if phone.region == "BE" else "+" + text
    if style == "keycaps":
        digits = ("0" + phone.nsn) if phone.region == "BE" else phone.nsn
        caps = "".join(d + _KEYCAP for d in digits)
        return caps if phone.region == "BE" else f"+{phone.cc} {caps}"
    if style == "lookalike":
        base = ("0" + " ".join(groups)) if phone.region == "BE" else intl
        return base.replace("0", "O").replace("1", "l")
    if style == "words":
        return _words(phone, lang)
    if style == "wame":
        return f"wa.me/{phone.cc}{phone.nsn}"
    raise ValueError(f"unknown phone style {style!r}")
