"""Build (and check) the labelled extraction corpus: phones.jsonl and ads.jsonl.

Written from the issue "Extraction that survives obfuscation", never from the extractors' code,
so that an evaluation against it can fail honestly. Deterministic (fixed seed): running it again
rewrites the same files. `python build_corpus.py --check` only validates the committed files.

Every label is computed from the pieces a text is made of (the number that was rendered, the name
that was slotted in), never read back from the text. Synthetic data only: invented names, random
but valid-format numbers, non-explicit ad texts.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
SEED = 20250312
LANGS = ("fr", "nl", "en")
# Default region first, then neighbours, then the usual origin countries (issue's order).
REGION_ORDER = ("BE", "FR", "NL", "DE", "LU", "RO", "BG", "ES", "IT", "HU", "NG")


# --------------------------------------------------------------------------- numbers
@dataclass(frozen=True)
class Num:
    e164: str
    kind: str  # e.g. "BE mobile", "FR mobile", "NG mobile"
    national: bool  # may be written in national format (resolves back to e164 by the rule)

    @property
    def parsed(self) -> phonenumbers.PhoneNumber:
        return phonenumbers.parse(self.e164)

    def groups(self, intl: bool) -> list[str]:
        fmt = PhoneNumberFormat.INTERNATIONAL if intl else PhoneNumberFormat.NATIONAL
        return re.findall(r"\d+", phonenumbers.format_number(self.parsed, fmt))

    def nsn(self) -> str:
        return str(phonenumbers.national_significant_number(self.parsed))

    @property
    def cc(self) -> str:
        return str(self.parsed.country_code)


def resolve_national(digits: str) -> str | None:
    """The labelling rule for a number written without a country code."""
    for region in REGION_ORDER:
        try:
            parsed = phonenumbers.parse(digits, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return str(phonenumbers.format_number(parsed, PhoneNumberFormat.E164))
    return None


def is_valid_e164(e164: str) -> bool:
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(e164)))
    except NumberParseException:
        return False


# kind -> (country code, national-number patterns); "#" is a random digit.
NUMBER_PLANS: dict[str, tuple[str, tuple[str, ...]]] = {
    "BE mobile": ("32", tuple(f"4{p}######" for p in range(60, 100))),
    "BE landline": ("32", ("2#######", "9#######", "3#######", "81######", "10######")),
    "FR mobile": ("33", ("6########", "7########")),
    "NL mobile": ("31", ("61#######", "62#######", "63#######", "64#######", "65#######")),
    "DE mobile": ("49", ("151########", "160#######", "170#######", "176########")),
    "LU mobile": ("352", ("621######", "661######", "691######")),
    "RO mobile": ("40", ("72#######", "74#######", "75#######", "76#######")),
    "BG mobile": ("359", ("87#######", "88#######", "89#######")),
    "ES mobile": ("34", ("6########",)),
    "IT mobile": ("39", ("32########", "34########", "38########")),
    "HU mobile": ("36", ("20#######", "30#######", "70#######")),
    "NG mobile": ("234", ("803#######", "806#######", "813#######")),
}


WANTED_TYPES = {
    "mobile": (phonenumbers.PhoneNumberType.MOBILE,
               phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE),
    "landline": (phonenumbers.PhoneNumberType.FIXED_LINE,),
}


class NumberFactory:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, kind: str) -> Num:
        cc, patterns = NUMBER_PLANS[kind]
        for _ in range(10_000):
            pattern = self.rng.choice(patterns)
            nsn = "".join(str(self.rng.randrange(10)) if c == "#" else c for c in pattern)
            e164 = f"+{cc}{nsn}"
            if e164 in self.used or not is_valid_e164(e164):
                continue
            if phonenumbers.number_type(phonenumbers.parse(e164)) not in WANTED_TYPES[kind[3:]]:
                continue  # no premium-rate, pager or personal numbers
            national = phonenumbers.format_number(
                phonenumbers.parse(e164), PhoneNumberFormat.NATIONAL
            )
            ok_national = resolve_national(re.sub(r"\D", "", national)) == e164
            if kind.startswith(("BE", "FR", "DE")) and not ok_national:
                continue  # keep the national-format countries national-writable
            self.used.add(e164)
            return Num(e164, kind, ok_national)
        raise RuntimeError(f"no valid number for {kind}")

    def be_and_fr(self) -> Num:
        """A BE mobile whose national form is also a valid French landline (04 91 …)."""
        for _ in range(10_000):
            num = self.make("BE mobile")
            try:
                fr = phonenumbers.parse("0" + num.nsn(), "FR")
            except NumberParseException:
                continue
            if phonenumbers.is_valid_number(fr):
                return num
        raise RuntimeError("no BE/FR double")


# --------------------------------------------------------------------------- number words
FR_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
    "dix-neuf",
)
FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 7: "septante",
           9: "nonante"}
NL_UNITS = (
    "nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
    "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
    "negentien",
)
NL_TENS = {2: "twintig", 3: "dertig", 4: "veertig", 5: "vijftig", 6: "zestig", 7: "zeventig",
           8: "tachtig", 9: "negentig"}
EN_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
EN_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy",
           8: "eighty", 9: "ninety"}


def fr_2(n: int, belgian: bool) -> str:
    if n < 20:
        return FR_UNITS[n]
    t, u = divmod(n, 10)
    if t == 8:
        return "quatre-vingts" if u == 0 else "quatre-vingt-" + FR_UNITS[u]
    if not belgian and t in (7, 9):
        head = "soixante" if t == 7 else "quatre-vingt"
        return head + (" et onze" if n == 71 else "-" + FR_UNITS[10 + u])
    if u == 0:
        return FR_TENS[t]
    return FR_TENS[t] + (" et un" if u == 1 else "-" + FR_UNITS[u])


def fr_3(n: int, belgian: bool) -> str:
    h, r = divmod(n, 100)
    head = "cent" if h == 1 else FR_UNITS[h] + " cent"
    if r == 0:
        return head + ("s" if h > 1 else "")
    return head + " " + fr_2(r, belgian)


def nl_2(n: int) -> str:
    if n < 20:
        return NL_UNITS[n]
    t, u = divmod(n, 10)
    if u == 0:
        return NL_TENS[t]
    unit = NL_UNITS[u]
    return unit + ("ën" if unit.endswith("e") else "en") + NL_TENS[t]


def nl_3(n: int) -> str:
    h, r = divmod(n, 100)
    return ("honderd" if h == 1 else NL_UNITS[h] + "honderd") + (nl_2(r) if r else "")


def en_2(n: int) -> str:
    if n < 20:
        return EN_UNITS[n]
    t, u = divmod(n, 10)
    return EN_TENS[t] + ("-" + EN_UNITS[u] if u else "")


def en_3(n: int) -> str:
    h, r = divmod(n, 100)
    return EN_UNITS[h] + " hundred" + (" " + en_2(r) if r else "")


WORDERS: dict[str, tuple[Callable[[int], str], Callable[[int], str], Callable[[int], str]]] = {
    "fr_be": (lambda d: FR_UNITS[d], lambda n: fr_2(n, True), lambda n: fr_3(n, True)),
    "fr": (lambda d: FR_UNITS[d], lambda n: fr_2(n, False), lambda n: fr_3(n, False)),
    "nl": (lambda d: NL_UNITS[d], nl_2, nl_3),
    "en": (lambda d: EN_UNITS[d], en_2, en_3),
}


def word_group(group: str, lang: str) -> str:
    digit, two, three = WORDERS[lang]
    if len(group) == 1 or group[0] == "0" or len(group) > 3:
        return " ".join(digit(int(c)) for c in group)
    return two(int(group)) if len(group) == 2 else three(int(group))


def split_for_words(num: Num, rng: random.Random) -> list[str]:
    """National digits cut the way people read them out: 0 | 472 | 34 | 56 | 78 and so on."""
    g = num.groups(intl=False)
    first, rest = g[0], g[1:]
    if len(first) == 4:  # 0471 -> 0 471 or 0 4 7 1
        head = [first[0], first[1:]] if rng.random() < 0.5 else list(first)
    else:
        head = [first]
    pairs: list[str] = []
    for part in rest:  # 511 -> 511 ; 234567 -> 23 45 67
        pairs += [part] if len(part) <= 3 else re.findall(r"\d\d", part)
    return head + pairs


# --------------------------------------------------------------------------- digit styles
ZW = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
MATH_BASES = {"bold": 0x1D7CE, "double-struck": 0x1D7D8, "sans": 0x1D7E2, "sans-bold": 0x1D7EC,
              "monospace": 0x1D7F6}
LOOKALIKE = {"0": ("O", "o"), "1": ("l", "I", "|"), "5": ("S",), "8": ("B",)}


def map_digits(s: str, f: Callable[[int], str]) -> str:
    return "".join(f(int(c)) if c.isdigit() else c for c in s)


def circled(d: int) -> str:
    return "\u24ea" if d == 0 else chr(0x2460 + d - 1)


def dingbat(d: int) -> str:
    return "\u24ff" if d == 0 else chr(0x2776 + d - 1)


def spaced(num: Num, rng: random.Random, intl: bool | None = None) -> str:
    use_intl = (not num.national) if intl is None else intl
    g = num.groups(intl=use_intl)
    if use_intl:
        return "+" + g[0] + " " + " ".join(g[1:])
    return " ".join(g)


def lookalike(text: str, rng: random.Random) -> str:
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if c in LOOKALIKE]
    picks = set(rng.sample(spots, k=min(len(spots), max(2, len(spots) // 2))))
    return "".join(rng.choice(LOOKALIKE[c]) if i in picks else c for i, c in enumerate(chars))


def sprinkle(text: str, rng: random.Random, marks: tuple[str, ...], rate: float) -> str:
    out: list[str] = []
    for i, c in enumerate(text):
        out.append(c)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if c.isdigit() and nxt.isdigit() and rng.random() < rate:
            out.append(rng.choice(marks))
    return "".join(out)


def ensure_changed(text: str, styled: str, rng: random.Random, marks: tuple[str, ...]) -> str:
    return styled if styled != text else sprinkle(text, rng, marks, 1.0)


Style = Callable[[Num, random.Random], str]


def st_spaces(n: Num, r: random.Random) -> str:
    return spaced(n, r, intl=False)


def st_compact(n: Num, r: random.Random) -> str:
    return "".join(n.groups(intl=False))


def st_dots(n: Num, r: random.Random) -> str:
    return ".".join(n.groups(intl=False))


def st_slash(n: Num, r: random.Random) -> str:
    g = n.groups(intl=False)
    return g[0] + r.choice(("/", " / ")) + r.choice((".", "", " ")).join(g[1:])


def st_dashes(n: Num, r: random.Random) -> str:
    return r.choice(("-", " - ", "–")).join(n.groups(intl=False))


def st_mixed_separators(n: Num, r: random.Random) -> str:
    g = n.groups(intl=False)
    seps = (" ", ".", "-", "/", " . ", " - ", "_", "•")
    out = g[0]
    for part in g[1:]:
        out += r.choice(seps) + part
    return f"({g[0]}) " + " ".join(g[1:]) if r.random() < 0.25 else out


def st_separator_per_digit(n: Num, r: random.Random) -> str:
    return r.choice((" ", ".", "-", "/", " . ", "_", "*")).join("".join(n.groups(intl=False)))


def st_plus(n: Num, r: random.Random) -> str:
    g = n.groups(intl=True)
    return "+" + "".join(g) if r.random() < 0.35 else "+" + g[0] + " " + " ".join(g[1:])


def st_double_zero(n: Num, r: random.Random) -> str:
    g = n.groups(intl=True)
    if r.random() < 0.3:
        return "00" + "".join(g)
    return "00" + g[0] + r.choice((" ", "/")) + r.choice((" ", ".", "")).join(g[1:])


def st_plus_paren_zero(n: Num, r: random.Random) -> str:
    g = n.groups(intl=True)
    return f"+{g[0]} (0){r.choice((' ', ''))}" + r.choice((" ", ".")).join(g[1:])


def st_wa_me(n: Num, r: random.Random) -> str:
    d = n.cc + n.nsn()
    return r.choice((f"wa.me/{d}", f"https://wa.me/{d}", f"https://api.whatsapp.com/send?phone={d}",
                     f"wa.me/+{d}"))


def st_tel_link(n: Num, r: random.Random) -> str:
    if n.national and r.random() < 0.4:
        return "tel:" + "".join(n.groups(intl=False))
    return "tel:+" + n.cc + n.nsn()


def st_fullwidth(n: Num, r: random.Random) -> str:
    return map_digits(spaced(n, r), lambda d: chr(0xFF10 + d)).replace("+", r.choice(("+", "＋")))


def st_circled(n: Num, r: random.Random) -> str:
    return map_digits(spaced(n, r), circled)


def st_dingbat(n: Num, r: random.Random) -> str:
    return map_digits(spaced(n, r), dingbat)


def st_math(n: Num, r: random.Random) -> str:
    base = MATH_BASES[r.choice(sorted(MATH_BASES))]
    return map_digits(spaced(n, r), lambda d: chr(base + d))


def st_keycap(n: Num, r: random.Random) -> str:
    tail = r.choice(("\ufe0f\u20e3", "\ufe0f\u20e3", "\u20e3"))
    return map_digits(spaced(n, r), lambda d: f"{d}{tail}").replace(" ", r.choice((" ", "")))


def st_zero_width(n: Num, r: random.Random) -> str:
    text = spaced(n, r)
    return ensure_changed(text, sprinkle(text, r, ZW, 0.5), r, ZW)


def st_soft_hyphen(n: Num, r: random.Random) -> str:
    text = spaced(n, r)
    return ensure_changed(text, sprinkle(text, r, ("\u00ad",), 0.5), r, ("\u00ad",))


def st_lookalike(n: Num, r: random.Random) -> str:
    return lookalike(spaced(n, r), r)


def words(lang: str) -> Style:
    def style(n: Num, r: random.Random) -> str:
        sep = r.choice((" ", ", ", " - ", " "))
        return sep.join(word_group(p, lang) for p in split_for_words(n, r))
    return style


def words_mixed(lang: str) -> Style:
    def style(n: Num, r: random.Random) -> str:
        parts = split_for_words(n, r)
        flags = [r.random() < 0.5 for _ in parts]
        # at least two groups in words and one in digits
        flags[0], flags[-1], flags[r.randrange(1, len(parts) - 1)] = True, False, True
        return " ".join(word_group(p, lang) if f else p for p, f in zip(parts, flags, strict=True))
    return style


STYLES: dict[str, Style] = {
    "spaces": st_spaces, "compact": st_compact, "dots": st_dots, "slash": st_slash,
    "dashes": st_dashes, "mixed_separators": st_mixed_separators,
    "separator_per_digit": st_separator_per_digit, "plus": st_plus, "double_zero": st_double_zero,
    "plus_paren_zero": st_plus_paren_zero, "wa_me": st_wa_me, "tel_link": st_tel_link,
    "fullwidth": st_fullwidth, "circled": st_circled, "dingbat_circled": st_dingbat,
    "math_digits": st_math, "keycap_emoji": st_keycap, "zero_width": st_zero_width,
    "soft_hyphen": st_soft_hyphen, "lookalike_letters": st_lookalike,
    "words_fr_be": words("fr_be"), "words_fr": words("fr"), "words_nl": words("nl"),
    "words_en": words("en"), "words_mixed_fr": words_mixed("fr_be"),
    "words_mixed_nl": words_mixed("nl"), "words_mixed_en": words_mixed("en"),
}
NATIONAL_ONLY = {"spaces", "compact", "dots", "slash", "dashes", "mixed_separators",
                 "separator_per_digit", "words_fr_be", "words_fr", "words_nl", "words_en",
                 "words_mixed_fr", "words_mixed_nl", "words_mixed_en"}


def render(style: str, num: Num, rng: random.Random) -> str:
    if style in NATIONAL_ONLY and not num.national:
        raise ValueError(f"{num.e164} cannot be written nationally ({style})")
    return STYLES[style](num, rng)


# --------------------------------------------------------------------------- phones.jsonl
CONTEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "plain": {
        "fr": ("Appelle-moi au {p}", "Contact : {p}", "Pour un rendez-vous : {p} (pas de numéro "
               "masqué)", "Mon numéro {p}, réponse rapide", "Infos et rdv au {p} 🌹",
               "Tél. {p} — SMS bienvenus", "☎️ {p}"),
        "nl": ("Bel me op {p}", "Contact: {p}", "Afspraak maken via {p}", "Mijn nummer is {p}, "
               "snel antwoord", "Sms of bel {p}", "Info en afspraken: {p} 🌹", "📞 {p}"),
        "en": ("Call me on {p}", "Contact: {p}", "Bookings: {p}, quick reply", "My number is {p}",
               "Text me at {p}", "Info and appointments {p} 🌹", "📱 {p}"),
    },
    "messenger": {
        "fr": ("WhatsApp : {p}", "Uniquement WhatsApp {p}", "Telegram {p}", "Signal : {p}",
               "Contacte-moi sur WhatsApp au {p}", "Dispo sur Telegram ({p})"),
        "nl": ("Enkel WhatsApp: {p}", "Telegram {p}", "Signal: {p}",
               "Stuur me een bericht op WhatsApp {p}", "Bereikbaar via Telegram: {p}"),
        "en": ("WhatsApp only {p}", "Telegram: {p}", "Signal {p}", "Message me on WhatsApp {p}",
               "Reach me on Signal or WhatsApp: {p}"),
    },
    "distractors": {
        "fr": ("Dispo 7j/7 de 10h à 22h. 150€ l'heure, 100 e la demi-heure. Tél : {p}",
               "Tarif 200 euros/h — 24/7 — appelle le {p}",
               "Ouvert de 10:00 à 22:00. Rue Haute 123, 1000 Bruxelles. Contact : {p}",
               "Nouvelle, 22 ans, 1m65. 120€ la demi-heure. Rdv au {p} à partir de 11h.",
               "Depuis le 12/03/2025 à Ixelles (1050). 300 euros la soirée. Numéro : {p}"),
        "nl": ("Open van 10u tot 22u, 150 euro per uur. Bel {p}",
               "24/7 beschikbaar — 100€ per 30 min — bel {p}",
               "Prijs 120 euro. Schaarbeek (1030), Helmetsesteenweg 45. Contact: {p}",
               "Vanaf 12-03-2025 in Brussel, van 12.00 tot 02.00. Telefoon: {p}",
               "19 jaar, 1m70. 200€/u. Bel {p} tussen 10:00 en 23:00."),
        "en": ("Available 24/7, 150€/hour. Call {p}",
               "10:00-22:00 · 200 EUR · booking {p}",
               "Rates from 100€ (30 min). Since 12/03/2025. Call me on {p} after 11am.",
               "Room 204, Avenue Louise 480. Price 250 euros. Phone {p}",
               "22yo, new in town, 2025-03-12 to 2025-03-19 only. 180€/h. Text {p}"),
    },
    "two": {
        "fr": ("Appelle le {p} ou le {q}", "Nouveau numéro : {p} (ancien : {q})",
               "WhatsApp {p} — appels au {q}"),
        "nl": ("Bel {p} of {q}", "Nieuw nummer {p}, oud nummer {q}", "WhatsApp {p}, bellen {q}"),
        "en": ("Call {p} or text {q}", "New number {p} (old one {q})",
               "WhatsApp {p} — calls {q}"),
    },
    "same_twice": {
        "fr": ("Appelle-moi au {p} (WhatsApp : {q})",), "nl": ("Bel {p} — WhatsApp {q}",),
        "en": ("Call {p}, WhatsApp {q}",),
    },
}

ALL_FOREIGN = ("NL mobile", "LU mobile", "RO mobile", "BG mobile", "ES mobile", "IT mobile",
               "HU mobile", "NG mobile")
NAT = ("BE mobile", "BE mobile", "BE landline", "BE mobile", "FR mobile", "BE mobile")
INTL = ("BE mobile", "NL mobile", "BE mobile", "RO mobile", "FR mobile", "NG mobile",
        "BE landline", "DE mobile", "BG mobile")
TRUNK0 = ("BE mobile", "FR mobile", "BE landline", "NL mobile", "DE mobile", "BE mobile")
OBF = ("BE mobile", "BE mobile", "FR mobile", "BE mobile", "BE landline", "RO mobile")
# (category, styles cycled, count, number kinds cycled, context)
PLAN: tuple[tuple[str, tuple[str, ...], int, tuple[str, ...], str], ...] = (
    ("separators", ("spaces",), 10, NAT, "plain"),
    ("separators", ("compact",), 6, NAT, "plain"),
    ("separators", ("dots",), 6, NAT, "plain"),
    ("separators", ("slash",), 6, ("BE mobile", "BE landline", "BE mobile"), "plain"),
    ("separators", ("dashes",), 6, NAT, "plain"),
    ("separators", ("mixed_separators",), 7, NAT, "plain"),
    ("separators", ("separator_per_digit",), 8, NAT, "plain"),
    ("international", ("plus",), 10, INTL, "plain"),
    ("international", ("double_zero",), 6, INTL, "plain"),
    ("international", ("plus_paren_zero",), 6, TRUNK0, "plain"),
    ("links", ("wa_me",), 6, INTL, "plain"),
    ("links", ("tel_link",), 6, INTL, "plain"),
    ("messenger", ("spaces", "plus", "compact"), 9, ("BE mobile", "RO mobile", "BE mobile"),
     "messenger"),
    ("unicode_digits", ("fullwidth",), 6, OBF, "plain"),
    ("unicode_digits", ("circled",), 6, OBF, "plain"),
    ("unicode_digits", ("dingbat_circled",), 2, ("BE mobile",), "plain"),
    ("unicode_digits", ("math_digits",), 7, OBF, "plain"),
    ("unicode_digits", ("keycap_emoji",), 7, OBF, "plain"),
    ("invisible_chars", ("zero_width",), 7, OBF, "plain"),
    ("invisible_chars", ("soft_hyphen",), 5, OBF, "plain"),
    ("lookalike_letters", ("lookalike_letters",), 8, OBF, "plain"),
    ("number_words", ("words_fr_be",), 8, ("BE mobile", "BE mobile", "BE landline"), "plain"),
    ("number_words", ("words_fr",), 4, ("FR mobile",), "plain"),
    ("number_words", ("words_nl",), 7, ("BE mobile", "BE mobile", "BE landline"), "plain"),
    ("number_words", ("words_en",), 6, ("BE mobile",), "plain"),
    ("number_words", ("words_mixed_fr", "words_mixed_nl", "words_mixed_en"), 9,
     ("BE mobile", "BE mobile", "BE mobile", "FR mobile"), "plain"),
    ("foreign_national", ("spaces", "compact", "dots"), 12,
     ("FR mobile", "DE mobile", "FR mobile", "DE mobile"), "plain"),
    ("foreign_international", ("plus", "double_zero", "spaces"), 16, ALL_FOREIGN, "plain"),
    ("distractors", ("spaces", "dots", "plus", "slash", "compact"), 15,
     ("BE mobile", "BE mobile", "FR mobile", "BE landline"), "distractors"),
)
LANG_OF_WORDS = {"words_fr_be": "fr", "words_fr": "fr", "words_nl": "nl", "words_en": "en",
                 "words_mixed_fr": "fr", "words_mixed_nl": "nl", "words_mixed_en": "en"}


def phone_row(text: str, phones: list[str], note: str) -> dict[str, Any]:
    return {"text": text, "phones": phones, "note": note}


def build_positives(rng: random.Random, nums: NumberFactory) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    i = 0
    for category, styles, count, kinds, ctx in PLAN:
        for k in range(count):
            style, kind = styles[k % len(styles)], kinds[k % len(kinds)]
            lang = LANG_OF_WORDS.get(style, LANGS[i % 3])
            i += 1
            num = nums.make(kind)
            if category == "foreign_international" and style == "spaces":
                style = "plus_spaced"
                rendered = spaced(num, rng, intl=True)
            else:
                rendered = render(style, num, rng)
            text = rng.choice(CONTEXTS[ctx][lang]).format(p=rendered)
            rows.append(phone_row(text, [num.e164], f"{category} | {style} | {kind} | {lang}"))
    for k in range(12):  # two different numbers in one text
        lang = LANGS[k % 3]
        a = nums.make(("BE mobile", "BE mobile", "FR mobile", "BE landline")[k % 4])
        b = nums.make(("BE mobile", "RO mobile", "BE mobile", "NL mobile")[k % 4])
        pa = render(("spaces", "dots", "compact", "slash")[k % 4], a, rng)
        pb = render(("plus", "keycap_emoji", "zero_width", "fullwidth")[k % 4], b, rng)
        text = rng.choice(CONTEXTS["two"][lang]).format(p=pa, q=pb)
        rows.append(phone_row(text, [a.e164, b.e164], f"two_numbers | mixed | {a.kind}+{b.kind}"
                              f" | {lang}"))
    for k in range(5):  # one number written twice, two ways: one phone expected
        lang = LANGS[k % 3]
        a = nums.make("BE mobile")
        text = CONTEXTS["same_twice"][lang][0].format(p=render("spaces", a, rng),
                                                      q=render("plus", a, rng))
        rows.append(phone_row(text, [a.e164], f"same_number_twice | spaces+plus | BE | {lang}"))
    for k in range(5):  # national form valid in BE and in FR: the default region wins
        lang = LANGS[k % 3]
        a = nums.be_and_fr()
        g = "0" + a.nsn()
        fr_style = " ".join(g[j:j + 2] for j in range(0, 10, 2))
        text = rng.choice(CONTEXTS["plain"][lang]).format(p=fr_style)
        rows.append(phone_row(text, [a.e164], f"default_region_wins | FR-style pairs | BE mobile"
                              f" also valid FR landline | {lang}"))
    return rows


# --------------------------------------------------------------------------- negatives
BXL_POSTCODES = (("1000", "Bruxelles"), ("1030", "Schaerbeek"), ("1060", "Saint-Gilles"),
                 ("1070", "Anderlecht"), ("1080", "Molenbeek"), ("1090", "Jette"),
                 ("1140", "Evere"), ("1180", "Uccle"), ("1190", "Forest"), ("1210", "Saint-Josse"))
STREETS = ("rue Haute", "Chaussée d'Ixelles", "rue Royale", "Nieuwstraat", "Avenue Louise",
           "Chaussée de Haecht", "Boulevard Lemonnier", "Helmetsesteenweg", "rue Neuve")


def be_iban(rng: random.Random) -> str:
    account = f"{rng.randrange(10**9, 10**10)}"
    check = int(account) % 97 or 97
    bban = f"{account}{check:02d}"
    kk = 98 - int(bban + "111400") % 97  # "BE00" -> B=11 E=14 00
    iban = f"BE{kk:02d}{bban}"
    return " ".join(iban[j:j + 4] for j in range(0, 16, 4))


def be_vat(rng: random.Random) -> str:
    base = rng.randrange(2_000_000, 9_999_999)
    num = f"0{base}{97 - (base % 97):02d}"
    return f"BE {num[:4]}.{num[4:7]}.{num[7:]}"


def neg_fill(rng: random.Random) -> dict[str, str]:
    pc, commune = rng.choice(BXL_POSTCODES)
    d, m = rng.randrange(1, 29), rng.randrange(1, 13)
    height = rng.randrange(155, 181)
    return {
        "p1": str(rng.choice((50, 60, 80, 100, 120, 150))),
        "p2": str(rng.choice((150, 180, 200, 250, 300))),
        "p3": str(rng.choice((400, 500, 600, 800, 1000))),
        "date": f"{d:02d}/{m:02d}/2025", "iso": f"2025-{m:02d}-{d:02d}",
        "ddate": f"{d:02d}.{m:02d}.2025", "hdate": f"{d:02d}-{m:02d}-2025",
        "d2": f"{min(d + 6, 28):02d}/{m:02d}/2025",
        "pc": pc, "commune": commune,
        "street": f"{rng.choice(STREETS)} {rng.randrange(1, 400)}",
        "hm": f"1m{height - 100}", "hcm": f"{height} cm",
        "age": str(rng.randrange(19, 36)), "iban": be_iban(rng), "vat": be_vat(rng),
        "ref": str(rng.randrange(100_000, 9_999_999)), "code": str(rng.randrange(1000, 9999)),
        "sq": str(rng.randrange(20, 90)), "dist": str(rng.randrange(100, 900, 50)),
        "room": str(rng.randrange(100, 699)), "bus": str(rng.randrange(12, 99)),
    }


NEGATIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "prices": {
        "fr": ("{p1}€ la demi-heure, {p2}€ l'heure.", "Tarifs : 30 min {p1} euros, 1h {p2} euros",
               "{p1} e la demi-heure, {p2} e l'heure, nuit {p3} e",
               "{p2} euros/h, pas de négociation", "Prix : {p1}€ / {p2}€ / {p3}€"),
        "nl": ("{p1} euro per half uur, {p2} euro per uur", "Prijs: {p2}€/u, nacht {p3}€",
               "Tarieven {p1} - {p2} - {p3} euro"),
        "en": ("Rates: 30 min {p1}€, 1 hour {p2}€", "{p2} EUR/hour, overnight {p3} EUR",
               "€{p1} (30 min) – €{p2} (60 min) – €{p3} (night)"),
    },
    "hours": {
        "fr": ("Disponible 24/7", "Ouvert de 10h à 22h, 7j/7", "Horaires : 10:00-22:00",
               "Dispo 24h/24 et 7j/7", "De 11h30 à 23h45 du lundi au samedi"),
        "nl": ("Open 7/7 van 10u tot 23u", "Beschikbaar van 12.00 tot 02.00 uur", "24/7 open",
               "Van 09:30 tot 21:30, ook op zondag"),
        "en": ("Open 24/7", "Mon-Sat 10:00-22:00, Sun 12:00-20:00", "Available 10am-10pm",
               "Hours: 9:30 – 21:30"),
    },
    "dates": {
        "fr": ("Présente du {date} au {d2} seulement", "Annonce publiée le {iso}",
               "De retour le {ddate} à 14:30"),
        "nl": ("Hier van {hdate} tot {d2}", "Geplaatst op {iso} om 14:32", "Terug op {ddate}"),
        "en": ("Available from {date} until {d2}", "Posted {iso} 14:32", "Back on {ddate}"),
    },
    "postcodes": {
        "fr": ("Je reçois à {pc} {commune}", "Quartier {commune} ({pc}), près du métro",
               "Déplacements dans le {pc} et le 1050"),
        "nl": ("Ontvang in {pc} {commune}", "Regio {pc} - 1050 - 1000"),
        "en": ("Incall in {pc} {commune}", "Areas: 1000, 1050, {pc}"),
    },
    "heights": {
        "fr": ("Taille {hm}, {age} ans", "{hcm}, nouvelle en ville"),
        "nl": ("Lengte {hcm}, {age} jaar", "{hm}, nieuw in de stad"),
        "en": ("Height {hm} ({hcm})", "{hcm}, {age}yo"),
    },
    "ages": {
        "fr": ("Nouvelle, {age} ans, disponible", "Âgée de {age} ans"),
        "nl": ("{age} jaar, net aangekomen", "Leeftijd: {age}"),
        "en": ("{age} y.o., new in town", "Age: {age}"),
    },
    "measurements": {
        "fr": ("Studio de {sq} m², à {dist} m du métro", "Parking à 2 km, chambre de 12 m2"),
        "nl": ("Appartement van {sq} m², op {dist} m van het station", "Parking op 3 km"),
        "en": ("{sq} m² apartment, {dist} m from the metro", "Hotel 2 km from the station"),
    },
    "street_numbers": {
        "fr": ("Adresse : {street}, {pc} {commune}", "{street} bte 4, 3e étage"),
        "nl": ("Adres: {street}, {pc} {commune}", "{street}, bus 12"),
        "en": ("Address: {street}, 2nd floor", "{street}, flat 3B"),
    },
    "iban": {
        "fr": ("Acompte par virement : {iban}", "IBAN {iban} (pas de cash)"),
        "nl": ("Voorschot op rekening {iban}", "Rekeningnummer: {iban}"),
        "en": ("Deposit to IBAN {iban}", "Bank transfer {iban} accepted"),
    },
    "references": {
        "fr": ("Réf. annonce {ref}", "Commande n° {ref} confirmée", "ID : {ref}",
               "TVA {vat}"),
        "nl": ("Advertentie nr. {ref}", "Bestelling {ref} bevestigd", "BTW {vat}"),
        "en": ("Ad ID #{ref}", "Order {ref} confirmed", "Ref: {ref}-{code}"),
    },
    "short_runs": {
        "fr": ("Code porte {code}, chambre {room}", "Bus {bus} ou tram 92, arrêt à 2 min",
               "Appartement 3B, sortie 12"),
        "nl": ("Deurcode {code}, kamer {room}", "Tram {bus} of bus 71, halte op 2 min"),
        "en": ("Door code {code}, room {room}", "Bus {bus}, exit 12, 2 min walk"),
    },
    "number_words": {
        "fr": ("Sept jours sur sept, de dix heures à vingt-deux heures, cent cinquante euros",
               "Septante euros la demi-heure, vingt-deux ans",
               "Deux cents euros l'heure, quatre-vingt-dix euros la demi-heure"),
        "nl": ("Zeven dagen op zeven, van tien tot tweeëntwintig uur, zeventig euro",
               "Honderdvijftig euro per uur, vierentwintig jaar"),
        "en": ("Twenty-four seven, one hundred fifty euros an hour",
               "Twenty-two years old, open from ten to ten"),
    },
    "unicode_numbers": {
        "fr": ("Dispo 2️⃣4️⃣/7️⃣ — １５０€ la demi-heure", "Nouvelle ① semaine seulement, ⑳ ans"),
        "nl": ("２４/７ open, 𝟭𝟱𝟬€ per uur", "Kamer 2️⃣0️⃣4️⃣, 1️⃣0️⃣u-2️⃣2️⃣u"),
        "en": ("Open 𝟮𝟰/𝟳, rates from １００€", "Room ２０４, code 4️⃣5️⃣2️⃣1️⃣"),
    },
}
MIXED_NEG: dict[str, tuple[str, ...]] = {
    "fr": ("Nouvelle, {age} ans, {hm}. Dispo 7j/7 de 10h à 22h. {p1}€ la demi-heure, {p2}€ "
           "l'heure. {street}, {pc} {commune}. Depuis le {date}.",
           "Tarifs {p1}/{p2}/{p3} euros — 24/7 — code porte {code} — réf. {ref}",
           "Du {date} au {d2}, 10:00-22:00, {pc} {commune}, {p2} euros/h"),
    "nl": ("{age} jaar, {hcm}. Open van 10u tot 22u, {p1} euro per half uur. {street}, {pc} "
           "{commune}. Sinds {hdate}.",
           "24/7 — {p2}€/u — kamer {room} — deurcode {code} — {iso}"),
    "en": ("{age}yo, {hm}, available 24/7. {p1}€ (30 min), {p2}€ (1h). {street}, {pc} "
           "{commune}. Since {date}.",
           "Mon-Sun 10:00-22:00 · {p2} EUR/h · room {room} · ad #{ref} · {iso}"),
}


def build_negatives(rng: random.Random) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for category, by_lang in NEGATIVES.items():
        templates = [(lang, t) for lang in LANGS for t in by_lang[lang]]
        for lang, template in templates:
            text = template.format(**neg_fill(rng))
            if rng.random() < 0.5:  # pad with numbers of another kind, same language
                pool = [t for c, b in NEGATIVES.items() if c not in (category, "number_words")
                        for t in b[lang] if "{vat}" not in t]
                text = text.rstrip(".") + ". " + rng.choice(pool).format(**neg_fill(rng))
            rows.append(phone_row(text, [], f"negative | {category} | {lang}"))
    for lang in LANGS:
        for template in MIXED_NEG[lang]:
            for _ in range(3):
                rows.append(phone_row(template.format(**neg_fill(rng)), [],
                                      f"negative | mixed | {lang}"))
    return rows


# --------------------------------------------------------------------------- ads.jsonl
ZONE_OF = {
    "Bruxelles": "5339", "Ixelles": "5339",
    "Molenbeek-Saint-Jean": "5340", "Koekelberg": "5340", "Jette": "5340", "Ganshoren": "5340",
    "Berchem-Sainte-Agathe": "5340",
    "Anderlecht": "5341", "Saint-Gilles": "5341", "Forest": "5341",
    "Uccle": "5342", "Watermael-Boitsfort": "5342", "Auderghem": "5342",
    "Etterbeek": "5343", "Woluwe-Saint-Lambert": "5343", "Woluwe-Saint-Pierre": "5343",
    "Schaerbeek": "5344", "Saint-Josse-ten-Noode": "5344", "Evere": "5344",
}
# (surface, canonical commune, postcode, languages it is written in)
COMMUNES: tuple[tuple[str, str, str, str], ...] = (
    ("Bruxelles", "Bruxelles", "1000", "fr"), ("Brussel", "Bruxelles", "1000", "nl"),
    ("Brussels", "Bruxelles", "1000", "en"), ("Laeken", "Bruxelles", "1020", "fr en"),
    ("Laken", "Bruxelles", "1020", "nl"), ("Haren", "Bruxelles", "1130", "fr en"),
    ("Neder-Over-Heembeek", "Bruxelles", "1120", "fr nl en"),
    ("Ixelles", "Ixelles", "1050", "fr en"), ("Elsene", "Ixelles", "1050", "nl"),
    ("Molenbeek-Saint-Jean", "Molenbeek-Saint-Jean", "1080", "fr en"),
    ("Sint-Jans-Molenbeek", "Molenbeek-Saint-Jean", "1080", "nl"),
    ("Molenbeek", "Molenbeek-Saint-Jean", "1080", "fr nl en"),
    ("Koekelberg", "Koekelberg", "1081", "fr nl en"), ("Jette", "Jette", "1090", "fr nl en"),
    ("Ganshoren", "Ganshoren", "1083", "fr nl en"),
    ("Berchem-Sainte-Agathe", "Berchem-Sainte-Agathe", "1082", "fr en"),
    ("Sint-Agatha-Berchem", "Berchem-Sainte-Agathe", "1082", "nl"),
    ("Anderlecht", "Anderlecht", "1070", "fr nl en"),
    ("Saint-Gilles", "Saint-Gilles", "1060", "fr en"),
    ("Sint-Gillis", "Saint-Gilles", "1060", "nl"),
    ("Forest", "Forest", "1190", "fr en"), ("Vorst", "Forest", "1190", "nl"),
    ("Uccle", "Uccle", "1180", "fr en"), ("Ukkel", "Uccle", "1180", "nl"),
    ("Watermael-Boitsfort", "Watermael-Boitsfort", "1170", "fr en"),
    ("Watermaal-Bosvoorde", "Watermael-Boitsfort", "1170", "nl"),
    ("Auderghem", "Auderghem", "1160", "fr en"), ("Oudergem", "Auderghem", "1160", "nl"),
    ("Etterbeek", "Etterbeek", "1040", "fr nl en"),
    ("Woluwe-Saint-Lambert", "Woluwe-Saint-Lambert", "1200", "fr en"),
    ("Sint-Lambrechts-Woluwe", "Woluwe-Saint-Lambert", "1200", "nl"),
    ("Woluwe-Saint-Pierre", "Woluwe-Saint-Pierre", "1150", "fr en"),
    ("Sint-Pieters-Woluwe", "Woluwe-Saint-Pierre", "1150", "nl"),
    ("Schaerbeek", "Schaerbeek", "1030", "fr en"), ("Schaarbeek", "Schaerbeek", "1030", "nl"),
    ("Saint-Josse-ten-Noode", "Saint-Josse-ten-Noode", "1210", "fr en"),
    ("Sint-Joost-ten-Node", "Saint-Josse-ten-Noode", "1210", "nl"),
    ("Saint-Josse", "Saint-Josse-ten-Noode", "1210", "fr"),
    ("Evere", "Evere", "1140", "fr nl en"),
)
POSTCODES = {"1000": "Bruxelles", "1020": "Bruxelles", "1030": "Schaerbeek",
             "1060": "Saint-Gilles", "1070": "Anderlecht", "1080": "Molenbeek-Saint-Jean",
             "1081": "Koekelberg", "1082": "Berchem-Sainte-Agathe", "1083": "Ganshoren",
             "1090": "Jette", "1120": "Bruxelles", "1130": "Bruxelles", "1140": "Evere",
             "1150": "Woluwe-Saint-Pierre", "1160": "Auderghem", "1170": "Watermael-Boitsfort",
             "1180": "Uccle", "1190": "Forest", "1200": "Woluwe-Saint-Lambert",
             "1210": "Saint-Josse-ten-Noode"}
AMBIGUOUS_POSTCODE = "1040"  # Etterbeek and part of the City of Brussels
# (location_text form, commune, fr phrase, nl phrase, en phrase)
LANDMARKS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Place Bethléem", "Saint-Gilles", "près de la Place Bethléem", "vlakbij het Bethlehemplein",
     "near Place Bethléem"),
    ("Flagey", "Ixelles", "près de Flagey", "vlakbij Flagey", "near Flagey"),
    ("Matonge", "Ixelles", "à Matonge", "in Matonge", "in Matonge"),
    ("Place Liedts", "Schaerbeek", "près de la Place Liedts", "vlakbij het Liedtsplein",
     "near Place Liedts"),
    ("Alhambra", "Bruxelles", "quartier Alhambra", "in de wijk Alhambra", "in the Alhambra area"),
    ("Porte de Namur", "Ixelles", "à la Porte de Namur", "aan de Porte de Namur",
     "at Porte de Namur"),
    ("Bourse", "Bruxelles", "près de la Bourse", "vlakbij de Beurs", "near the Bourse"),
    ("Sablon", "Bruxelles", "au Sablon", "aan de Sablon", "at the Sablon"),
    ("Châtelain", "Ixelles", "quartier Châtelain", "in de wijk Châtelain",
     "in the Châtelain area"),
    ("Basilique de Koekelberg", "Koekelberg", "près de la Basilique de Koekelberg",
     "vlakbij de Basiliek van Koekelberg", "near the Basilique de Koekelberg"),
    ("Heysel", "Bruxelles", "près du Heysel", "vlakbij de Heizel", "near Heysel"),
    ("Place Jourdan", "Etterbeek", "près de la Place Jourdan", "vlakbij Place Jourdan",
     "near Place Jourdan"),
    ("Merode", "Etterbeek", "près de Merode", "vlakbij Merode", "near Merode"),
    ("Place Meiser", "Schaerbeek", "près de la Place Meiser", "vlakbij Place Meiser",
     "near Place Meiser"),
    ("Yser", "Bruxelles", "près du métro Yser", "vlakbij metro IJzer", "near Yser metro"),
    ("Avenue Louise, Ixelles", "Ixelles", "Avenue Louise, côté Ixelles", "Louizalaan in Elsene",
     "Avenue Louise, Ixelles"),
)
OUTSIDE = {"fr": ("Liège", "Charleroi", "Namur", "Mons", "Lille", "Anvers", "Gand"),
           "nl": ("Antwerpen", "Gent", "Leuven", "Brugge", "Luik"),
           "en": ("Antwerp", "Ghent", "Liège", "Charleroi")}
REGION_WORD = {"fr": "Bruxelles", "nl": "Brussel", "en": "Brussels"}

NAMES = ("Lola", "Mia", "Sanne", "Jessica", "Bella", "Nikita", "Chloé", "Inès", "Yasmina",
         "Daria", "Anastasia", "Emma", "Lotte", "Naomi", "Bianca", "Kiara", "Luna", "Alina",
         "Sofia", "Eva", "Jade", "Zoë", "Nora", "Lina", "Vanessa", "Roxana", "Ioana", "Andreea",
         "Mihaela", "Blessing", "Esther", "Svetlana", "Elif", "Marta", "Kasia", "Tamara", "Lieke",
         "Femke", "Camila", "Valentina", "Aylin", "Nadia", "Rania", "Maëlle", "Océane", "Kelly",
         "Tiffany", "Marie-Lou")

ALIAS_ONE = {
    "fr": ("Bonjour, je m'appelle {N}.", "Coucou, moi c'est {N} !", "Je suis {N}, souriante et "
           "discrète.", "Mon prénom : {N}.", "{N} ici 🌸"),
    "nl": ("Hallo, ik ben {N}.", "Mijn naam is {N}.", "Hoi, ik heet {N} 🌸", "{N} hier!",
           "Ik ben {N}, vriendelijk en discreet."),
    "en": ("Hi, I'm {N}.", "Call me {N} 🌸", "My name is {N}.", "Hello gentlemen, {N} here.",
           "I'm {N}, friendly and discreet."),
}
ALIAS_TWO = {
    "fr": ("Nous sommes {N} et {M}, deux amies.", "{N} et {M} vous accueillent."),
    "nl": ("Wij zijn {N} en {M}, twee vriendinnen.", "{N} en {M} verwelkomen je."),
    "en": ("We are {N} & {M}, two friends.", "{N} and {M} welcome you."),
}
MINOR_ALIAS = {"fr": (0, 1, 3), "nl": (0, 1, 2), "en": (0, 1, 2)}  # the plainest patterns
AGE_TWO = {"fr": "{N}, {a} ans, et {M}, {b} ans.", "nl": "{N} is {a} jaar, {M} is {b} jaar.",
           "en": "{N} is {a}yo, {M} is {b} y.o."}
AGE_ONE = {
    "fr": ("J'ai {n} ans.", "Âgée de {n} ans.", "J'ai {w} ans.", "Âge : {n}.",
           "{n} ans, nouvelle en ville.", "{W} ans, étudiante."),
    "nl": ("Ik ben {n} jaar.", "{n} jaar oud.", "Ik ben {w} jaar.", "Leeftijd: {n}.",
           "{W} jaar, net aangekomen."),
    "en": ("{n}yo.", "{n} y.o., new in town.", "Age: {n}.", "I'm {w} years old.",
           "{n} years old.", "I am {w}."),
}
AGE_18 = {"fr": ("Je viens d'avoir 18 ans.", "Tout juste dix-huit ans !"),
          "nl": ("Net 18 geworden!", "Pas achttien jaar."),
          "en": ("Just turned 18!", "Just turned eighteen.")}
AGE_WORD = {"fr": lambda n: fr_2(n, True), "nl": nl_2, "en": en_2}
CUES = {
    "fr": ("Disponible 24/7.", "Dispo de 10h à 22h.", "Appartement privé et discret.",
           "Déplacements à l'hôtel possibles.", "Paiement en espèces uniquement.",
           "Je ne parle pas français, seulement anglais.", "Rendez-vous par SMS uniquement.",
           "{p}€ la demi-heure.", "Nouvelle en ville."),
    "nl": ("24/7 beschikbaar.", "Van 10u tot 22u.", "Privé appartement, discreet.",
           "Ook hotelbezoek.", "Alleen cash.", "Spreek geen Nederlands, alleen Engels.",
           "Afspraak enkel via sms.", "{p}€ per half uur.", "Nieuw in de stad."),
    "en": ("Available 24/7.", "10:00-22:00.", "Private apartment, very discreet.",
           "Outcall to hotels.", "Cash only.", "No French, English only.",
           "Appointments by text only.", "{p}€ for 30 min.", "New in town."),
}
MINOR_CUES = {"fr": ("Nouvelle en ville.", "Disponible 24/7.", "Rendez-vous par SMS uniquement."),
              "nl": ("Nieuw in de stad.", "24/7 beschikbaar.", "Afspraak enkel via sms."),
              "en": ("New in town.", "Available 24/7.", "Appointments by text only.")}
TRAPS = {
    "fr": ("Disponible du Lundi au Samedi.", "Présente jusqu'en Mars seulement.",
           "Belle Brésilienne, souriante.", "Vue sur Vivastreet et Redlights.",
           "Première fois en Belgique.", "Nouvelle !", "Ukrainienne, douce et polie.",
           "1m65, souriante."),
    "nl": ("Beschikbaar van Maandag tot Zaterdag.", "Enkel hier tot Maart.",
           "Vriendelijke Roemeense dame.", "Ook op Redlights.", "Eerste keer in België.",
           "Nieuw!", "Spaanse, vriendelijk en beleefd.", "1m70, vriendelijk."),
    "en": ("Available Monday to Saturday.", "Only here until March.", "Sweet Latina lady.",
           "Also on Vivastreet.", "First time in Belgium.", "Brand new!",
           "Polish, polite and friendly.", "1m65, friendly."),
}
PLACE_SENT: dict[str, dict[str, tuple[str, ...]]] = {
    "commune": {"fr": ("Je reçois à {X}.", "Appartement privé à {X}.", "Je suis à {X} cette "
                       "semaine.", "Quartier {X}."),
                "nl": ("Ik ontvang in {X}.", "Privé appartement in {X}.", "Deze week in {X}.",
                       "Regio {X}."),
                "en": ("Incall in {X}.", "Private apartment in {X}.", "In {X} this week.",
                       "Area: {X}.")},
    "landmark": {"fr": ("Je reçois {X}.",), "nl": ("Ik ontvang {X}.",), "en": ("Incall {X}.",)},
    "postcode": {"fr": ("Je reçois dans le {X}.",), "nl": ("Ik ontvang in {X}.",),
                 "en": ("Incall in {X}.",)},
}
TITLES_NAMED = {
    "fr": ("❤️ {NU} ❤️ nouvelle à {T}", "{N} – disponible 24/7", "✨ {N} ✨", "{N}, {a} ans",
           "🌹 {N} 🌹 de passage à {T}", "{N} – Nouvelle"),
    "nl": ("❤️ {NU} ❤️ nieuw in {T}", "{N} – 24/7 beschikbaar", "✨ {N} ✨", "{N}, {a} jaar",
           "🌹 {N} 🌹 op doorreis in {T}", "{N} – Nieuw"),
    "en": ("❤️ {NU} ❤️ new in {T}", "{N} – available 24/7", "✨ {N} ✨", "{N}, {a}yo",
           "🌹 {N} 🌹 visiting {T}", "{N} – New"),
}
TITLES_PLAIN = {
    "fr": ("Nouvelle en ville", "Sexy Nouvelle à {T}", "Disponible 24/7", "Nouvelle à {T} ❤️",
           "Première fois en Belgique"),
    "nl": ("Nieuw in de stad", "Sexy en Nieuw in {T}", "24/7 beschikbaar", "Nieuw in {T} ❤️",
           "Eerste keer in België"),
    "en": ("New in town", "Sexy Latina new in {T}", "Available 24/7", "New in {T} ❤️",
           "First time in Belgium"),
}
AD_STYLES = ("spaces", "spaces", "compact", "dots", "slash", "plus", "plus_paren_zero", "wa_me",
             "keycap_emoji", "zero_width", "fullwidth", "lookalike_letters", "words",
             "separator_per_digit", "tel_link", "math_digits")
AD_KINDS = ("BE mobile",) * 14 + ("FR mobile", "BE landline", "RO mobile", "NG mobile",
                                 "BG mobile", "NL mobile")
WORDS_FOR = {"fr": "words_fr_be", "nl": "words_nl", "en": "words_en"}


@dataclass
class AdPlace:
    kind: str  # commune, landmark, postcode, ambiguous, outside, none
    commune: str | None = None
    city: str | None = None
    title_name: str | None = None  # usable in a title ("nouvelle à {T}")
    location_text: str = ""
    sentence: str | None = None
    qualified: bool = False


def pick_place(kind: str, lang: str, rng: random.Random) -> AdPlace:
    if kind == "none":
        return AdPlace("none")
    if kind == "outside":
        city = rng.choice(OUTSIDE[lang])
        place = AdPlace(kind, city=city, title_name=city)
        mode = rng.random()
        place.location_text = city if mode < 0.6 else ""
        if mode >= 0.35:
            place.sentence = rng.choice(PLACE_SENT["commune"][lang][:3]).format(X=city)
        return place
    if kind in ("postcode", "ambiguous"):
        pc = AMBIGUOUS_POSTCODE if kind == "ambiguous" else rng.choice(sorted(POSTCODES))
        place = AdPlace(kind, commune=POSTCODES.get(pc))
        mode = rng.random()
        place.location_text = pc if mode < 0.6 else ""
        if mode >= 0.35:
            place.sentence = rng.choice(PLACE_SENT["postcode"][lang]).format(X=pc)
        return place
    if kind == "landmark":
        loc, commune, *phrases = rng.choice(LANDMARKS)
        place = AdPlace(kind, commune=commune)
        place.sentence = rng.choice(PLACE_SENT["landmark"][lang]).format(
            X=phrases[LANGS.index(lang)])
        if rng.random() < 0.3:
            place.location_text = loc
        return place
    written = lang if lang != "en" or rng.random() < 0.8 else rng.choice(("fr", "nl"))
    surface, commune, pc, _ = rng.choice([c for c in COMMUNES if written in c[3].split()])
    place = AdPlace(kind, commune=commune, title_name=surface)
    mode = rng.random()
    if mode < 0.25:
        place.location_text = ""
    elif mode < 0.55:
        place.location_text = surface
    elif mode < 0.75:
        place.location_text = f"{pc} {surface}" if rng.random() < 0.5 else f"{surface} ({pc})"
    elif commune != "Bruxelles":  # "Jette, Bruxelles": the region's name qualifies the commune
        place.qualified = True
        place.location_text = f"{surface}, {REGION_WORD[lang]}"
        if rng.random() < 0.5:
            place.title_name = REGION_WORD[lang]
    else:
        place.location_text = surface
    if not place.location_text or rng.random() < 0.5:
        place.sentence = rng.choice(PLACE_SENT["commune"][lang]).format(X=surface)
    return place


def pick_age(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.06:
        return rng.choice((16, 17))
    if roll < 0.14:
        return 18
    return rng.randrange(19, 35)


def age_sentence(age: int, lang: str, rng: random.Random) -> str:
    if age == 18 and rng.random() < 0.6:
        return rng.choice(AGE_18[lang])
    word = AGE_WORD[lang](age)
    # stated minor ages only in the plainest wording, never with anything else attached
    template = rng.choice(AGE_ONE[lang][:4] if age < 18 else AGE_ONE[lang])
    return template.format(n=age, w=word, W=word[:1].upper() + word[1:])


def phone_sentence(lang: str, rng: random.Random, nums: NumberFactory) -> tuple[str, str]:
    kind = rng.choice(AD_KINDS)
    num = nums.make(kind)
    style = rng.choice(AD_STYLES)
    if style == "words":
        style = "words_fr" if kind == "FR mobile" else WORDS_FOR[lang]
    if style in NATIONAL_ONLY and not num.national:
        style = "plus"
    if style == "plus_paren_zero" and kind not in TRUNK0:
        style = "plus"
    ctx = "messenger" if rng.random() < 0.3 else "plain"
    return rng.choice(CONTEXTS[ctx][lang]).format(p=render(style, num, rng)), num.e164


def build_ad(idx: int, lang: str, place_kind: str, rng: random.Random,
             nums: NumberFactory) -> dict[str, Any]:
    roll = rng.random()
    n_names = 0 if roll < 0.12 else (2 if roll < 0.22 else 1)
    names = rng.sample(NAMES, n_names)
    ages: list[int] = []
    if n_names == 2 and rng.random() < 0.6:
        ages = rng.sample(range(19, 31), 2)
    elif n_names < 2 and rng.random() < 0.72:
        ages = [pick_age(rng)]
    minor = any(a < 18 for a in ages)
    place = pick_place(place_kind, lang, rng)

    title_t = place.title_name
    if names and (n_names == 1 or rng.random() < 0.5):
        options = [t for t in TITLES_NAMED[lang] if (title_t or "{T}" not in t)
                   and (len(ages) == 1 or "{a}" not in t)]
        title = rng.choice(options).format(N=names[0], NU=names[0].upper(), T=title_t,
                                           a=ages[0] if ages else "")
    elif names:
        sep = {"fr": " et ", "nl": " en ", "en": " & "}[lang]
        title = "🌸 " + sep.join(n.upper() if rng.random() < 0.5 else n for n in names) + " 🌸"
    else:
        options = [t for t in TITLES_PLAIN[lang] if (title_t or "{T}" not in t)
                   and not (minor and t.startswith("Sexy"))]
        title = rng.choice(options).format(T=title_t)

    sentences: list[str] = []
    if n_names == 1:
        alias_pool = [ALIAS_ONE[lang][i] for i in MINOR_ALIAS[lang]] if minor else ALIAS_ONE[lang]
        sentences.append(rng.choice(alias_pool).format(N=names[0]))
    elif n_names == 2:
        sentences.append(rng.choice(ALIAS_TWO[lang]).format(N=names[0], M=names[1]))
    if len(ages) == 2:
        sentences.append(AGE_TWO[lang].format(N=names[0], M=names[1], a=ages[0], b=ages[1]))
    elif ages:
        sentences.append(age_sentence(ages[0], lang, rng))
    cue_pool = MINOR_CUES[lang] if minor else CUES[lang]
    cues = rng.sample(cue_pool, rng.randrange(1, 3))
    sentences += [c.format(p=rng.choice((60, 80, 100, 120, 150))) for c in cues
                  if c.lower().rstrip(".") not in " ".join(sentences).lower()]
    if not minor and rng.random() < 0.6:
        sentences.append(rng.choice(TRAPS[lang]))
    if place.sentence:
        sentences.insert(rng.randrange(1, len(sentences) + 1), place.sentence)
    phones: list[str] = []
    roll = rng.random()
    for _ in range(0 if roll < 0.18 else (2 if roll < 0.28 else 1)):
        sentence, e164 = phone_sentence(lang, rng, nums)
        sentences.append(sentence + ("." if sentence[-1].isalnum() else ""))
        phones.append(e164)

    commune = place.commune
    return {
        "id": f"ad-{idx:03d}", "lang": lang, "title": title, "text": " ".join(sentences),
        "location_text": place.location_text,
        "expected": {"aliases": names, "ages": list(dict.fromkeys(ages)), "commune": commune,
                     "zone": ZONE_OF[commune] if commune else None, "city": place.city,
                     "phones": phones},
        "note": f"place={place.kind}{' (region-qualified)' if place.qualified else ''}",
    }


def build_ads(rng: random.Random, nums: NumberFactory) -> list[dict[str, Any]]:
    kinds = (["commune"] * 84 + ["landmark"] * 32 + ["postcode"] * 16 + ["ambiguous"] * 6
             + ["outside"] * 20 + ["none"] * 22)
    rng.shuffle(kinds)
    return [build_ad(i + 1, LANGS[i % 3], kind, rng, nums) for i, kind in enumerate(kinds)]


# --------------------------------------------------------------------------- validation
PHONEISH = re.compile(r"(?:\+|\b)\d(?:[ ./\-]?\d){8,}")
BANNED = re.compile(r"\b(?:sex(?!y)\w*|nud\w*|nue?s?|naked|porn\w*|escort\w*)\b", re.I)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def check_phones(rows: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, 1):
        if set(row) != {"text", "phones", "note"}:
            errors.append(f"phones:{i}: keys {sorted(row)}")
        if row["text"] in seen:
            errors.append(f"phones:{i}: duplicate text")
        seen.add(row["text"])
        errors += [f"phones:{i}: invalid {p}" for p in row["phones"] if not is_valid_e164(p)]
        if BANNED.search(row["text"]):
            errors.append(f"phones:{i}: banned word")
        if not row["phones"] and not re.search(r"\b(?:TVA|BTW|VAT)\b", row["text"]):
            # a negative must not hold a run that reads as a national or international number
            for m in PHONEISH.finditer(row["text"]):
                digits = re.sub(r"\D", "", m.group())
                if m.group().startswith(("+", "0")) and resolve_national(
                        ("+" if m.group().startswith("+") else "") + digits):
                    errors.append(f"phones:{i}: negative holds phone-like {m.group()!r}")
    negatives = sum(not r["phones"] for r in rows)
    if len(rows) < 330 or negatives < 110:
        errors.append(f"phones: {len(rows)} rows, {negatives} negatives: too few")
    return errors


def check_ads(ads: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    ids = [a["id"] for a in ads]
    if len(set(ids)) != len(ids) or len(ads) < 160:
        errors.append("ads: duplicate ids or fewer than 160 ads")
    for ad in ads:
        exp, where = ad["expected"], ad["id"]
        if ad["lang"] not in LANGS or set(exp) != {"aliases", "ages", "commune", "zone", "city",
                                                  "phones"}:
            errors.append(f"{where}: bad lang or expected keys")
        commune, zone = exp["commune"], exp["zone"]
        if (commune is None) != (zone is None) or (commune and ZONE_OF.get(commune) != zone):
            errors.append(f"{where}: commune {commune} / zone {zone} inconsistent")
        if exp["city"] is not None and commune is not None:
            errors.append(f"{where}: both city and commune")
        blob = f"{ad['title']} {ad['text']} {ad['location_text']}"
        for name in exp["aliases"]:
            if name != name[:1].upper() + name[1:].lower().replace("-l", "-L") or \
                    name.lower() not in blob.lower():
                errors.append(f"{where}: alias {name!r} not Title Case or not in text")
        if not all(isinstance(a, int) and 16 <= a <= 40 for a in exp["ages"]):
            errors.append(f"{where}: ages {exp['ages']}")
        errors += [f"{where}: invalid {p}" for p in exp["phones"] if not is_valid_e164(p)]
        if BANNED.search(blob):
            errors.append(f"{where}: banned word")
    return errors


def summary(rows: list[dict[str, Any]], ads: list[dict[str, Any]]) -> str:
    cats = Counter(r["note"].split(" | ")[1 if not r["phones"] else 0] for r in rows)
    styles = Counter(r["note"].split(" | ")[1] for r in rows if r["phones"])
    langs = Counter(r["note"].split(" | ")[-1] for r in rows)
    place = Counter(a["note"] for a in ads)
    ad_langs = Counter(a["lang"] for a in ads)
    ages = Counter(a for ad in ads for a in ad["expected"]["ages"])
    return "\n".join((
        f"phones.jsonl: {len(rows)} rows, {sum(bool(r['phones']) for r in rows)} positive, "
        f"{sum(not r['phones'] for r in rows)} negative",
        f"  categories: {dict(sorted(cats.items()))}", f"  styles: {dict(sorted(styles.items()))}",
        f"  langs: {dict(sorted(langs.items()))}",
        f"ads.jsonl: {len(ads)} ads, langs {dict(sorted(ad_langs.items()))}",
        f"  places: {dict(sorted(place.items()))}",
        f"  with aliases {sum(bool(a['expected']['aliases']) for a in ads)}, two names "
        f"{sum(len(a['expected']['aliases']) == 2 for a in ads)}, with ages "
        f"{sum(bool(a['expected']['ages']) for a in ads)}, ages<18 "
        f"{sum(v for k, v in ages.items() if k < 18)}, age 18 {ages[18]}, with phones "
        f"{sum(bool(a['expected']['phones']) for a in ads)}",
    ))


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only validate the committed files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    phones_path, ads_path = HERE / "phones.jsonl", HERE / "ads.jsonl"
    if not args.check:
        rng = random.Random(SEED)
        nums = NumberFactory(rng)
        rows = build_positives(rng, nums) + build_negatives(rng)
        ads = build_ads(rng, nums)
        write_jsonl(phones_path, rows)
        write_jsonl(ads_path, ads)
    rows, ads = read_jsonl(phones_path), read_jsonl(ads_path)
    errors = check_phones(rows) + check_ads(ads)
    for error in errors:
        log.error("%s", error)
    log.info("%s", summary(rows, ads))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
