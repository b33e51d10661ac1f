from __future__ import annotations

import random
import string
import time
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.phones import find_phones
from pipeline.text import normalise
from pipeline.types import PhoneMatch

BE = "+32470123456"


def _find(text: str, region: str = "BE") -> list[PhoneMatch]:
    return find_phones(normalise(text), "text", region=region)


def _one(text: str, region: str = "BE") -> PhoneMatch:
    found = _find(text, region)
    assert len(found) == 1, found
    return found[0]


# --- styles, each with its e164, region and whether it is an obfuscation ---------------------

PLAIN = [
    ("Tél : 0470 12 34 56", BE, "BE"),
    ("0470/12.34.56", BE, "BE"),
    ("0470-12-34-56", BE, "BE"),
    ("0470123456", BE, "BE"),
    ("+32 470 12 34 56", BE, "BE"),
    ("+32470123456", BE, "BE"),
    ("0032 470 123 456", BE, "BE"),
    ("00 32 470 12 34 56", BE, "BE"),
    ("+32 (0)470 12 34 56", BE, "BE"),
    ("+32 0470 12 34 56", BE, "BE"),
    ("(+32) 470 12 34 56", BE, "BE"),
    ("tel:+32470123456", BE, "BE"),
    # WhatsApp's own click-to-chat links are a standard way to give a number, not a disguise
    ("wa.me/32470123456", BE, "BE"),
    ("https://wa.me/32470123456", BE, "BE"),
    ("https://api.whatsapp.com/send?phone=32470123456", BE, "BE"),
    ("02 512 34 56", "+3225123456", "BE"),
    ("+33 6 12 34 56 78", "+33612345678", "FR"),
    ("+31 6 1234 5678", "+31612345678", "NL"),
    ("+40 721 234 567", "+40721234567", "RO"),
    ("0470\u00a012\u00a034\u00a056", BE, "BE"),  # no-break spaces are ordinary
]

OBFUSCATED = [
    ("O47O l2 34 56", BE, "BE"),  # look-alike letters
    ("o47o-I2-34-56", BE, "BE"),
    ("Je suis O47O-l2-34-S6", BE, "BE"),
    ("O 4 7 O l 2 3 4 5 6", BE, "BE"),
    ("+33 6 l2 34 56 78", "+33612345678", "FR"),
    ("0-4-7-0-1-2-3-4-5-6", BE, "BE"),  # one separator per digit
    ("0 4 7 0 1 2 3 4 5 6", BE, "BE"),
    ("+3-3-6-1-2-3-4-5-6-7-8", "+33612345678", "FR"),
    ("0470_12_34_56", BE, "BE"),  # unusual separators
    ("0470*12*34*56", BE, "BE"),
    ("0\ufe0f\u20e34\ufe0f\u20e37\ufe0f\u20e30\ufe0f\u20e31\ufe0f\u20e32\ufe0f\u20e3"
     "3\ufe0f\u20e34\ufe0f\u20e35\ufe0f\u20e36\ufe0f\u20e3", BE, "BE"),  # emoji keycaps
    ("０４７０ １２ ３４ ５６", BE, "BE"),  # fullwidth
    ("⓪④⑦⓪①②③④⑤⑥", BE, "BE"),  # circled
    ("0\u200b4\u200b7\u200b0\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6", BE, "BE"),  # zero-width
    ("zéro quatre septante, douze, trente-quatre, cinquante-six", BE, "BE"),
    ("zéro quatre cent septante douze trente-quatre cinquante-six", BE, "BE"),
    ("zero quatre sept zero un deux trois quatre cinq six", BE, "BE"),
    ("nul vier zeven nul, twaalf, vierendertig, zesenvijftig", BE, "BE"),
    ("zero four seven zero, twelve, thirty-four, fifty-six", BE, "BE"),
    ("0 quatre 7 zéro 12 34 56", BE, "BE"),  # words mixed with digits
    ("04 septante douze trente-quatre cinquante-six", BE, "BE"),
    ("plus trente-deux, quatre cent septante, douze, trente-quatre, cinquante-six", BE, "BE"),
    ("double zéro trente-deux quatre septante douze trente-quatre cinquante-six", BE, "BE"),
    ("zéro six, douze, trente-quatre, cinquante-six, septante-huit", "+33612345678", "FR"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "e164", "region"), PLAIN)
def test_plain_styles(text: str, e164: str, region: str) -> None:
    found = _one(text)
    assert (found.e164, found.region, found.obfuscated) == (e164, region, False)


@pytest.mark.parametrize(("text", "e164", "region"), OBFUSCATED)
def test_obfuscated_styles(text: str, e164: str, region: str) -> None:
    found = _one(text)
    assert (found.e164, found.region, found.obfuscated) == (e164, region, True)


# --- what never is a phone number -------------------------------------------------------------

NEGATIVES = [
    "150€, 200 euros/h, 1 h : 150 €, 30 min : 80 €",  # prices
    "Disponible 24/7, 7j/7, de 10h-22h, 10:00-22:00, de 14h à 22h",  # hours
    "Le 12/03/2025, le 01.03.2025 à 20:00, le 01/03/25 à 20.00, 2025-03-12",  # dates
    "1030 Schaerbeek, 1060 Saint-Gilles, B-1050 Ixelles",  # postcodes
    "1m65, 1,65 m, 165 cm, 55 kg, 90-60-90, 85B",  # heights, measurements
    "Laura, 23 ans, 19yo, 21 jaar",  # ages
    "Rue de la Loi 16, 1040 Bruxelles, 2ème étage, boîte 0123456789",  # street numbers
    "IBAN BE68 5390 0754 7034, BE71 0961 2345 6769, BE 71 0961 2345 6769",  # IBANs
    "https://site.example/annonce/0470123456?ref=0471234567",  # parts of a web address
    "Réf. 0470123456, ID: 0470123456, annonce #0470123456",  # references
    "BTW BE 0123.456.789",  # company number
    "TVA BE 0412.345.678, BTW NL 0712.345.678",  # VAT: a country code between word and digits
    "0,50 € la minute",
    "047012345678901234",  # too long to be one number
    "Born 01-02-2003 at 04:30",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_never_phones(text: str) -> None:
    assert _find(text) == []


def test_a_country_code_between_a_reference_word_and_digits_keeps_the_reference() -> None:
    # the same digits after a phone cue are a number (valid in the Netherlands)
    assert [p.e164 for p in _find("GSM 0412.345.678")] == ["+31412345678"]  # among others
    assert _find("TVA BE 0412.345.678") == []


def test_a_bar_with_another_look_alike_between_digits_reads_as_digits() -> None:
    found = _one("Tél. 04B4 o| 97 50")
    assert (found.e164, found.obfuscated) == ("+32484019750", True)


def test_a_long_word_glued_by_the_page_does_not_hide_the_number() -> None:
    assert _one("Tel:0470 12 34 56WhatsApp").e164 == BE
    assert _find("Tel: 0470 12 34 56ab") == []  # a short glued word: a code, not a number


def test_a_phone_next_to_negatives_is_still_found() -> None:
    text = "Laura, 23 ans, 1m65. Le 12/03/2025 0470 12 34 56, 150€ 1h, 1060 Saint-Gilles"
    assert [p.e164 for p in _find(text)] == [BE]


# --- regions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region", "e164", "chosen"),
    [
        ("06 12 34 56 78", "BE", "+33612345678", "FR"),  # French grouping
        ("06-12345678", "BE", "+31612345678", "NL"),  # Dutch grouping
        ("06 1234 5678", "BE", "+31612345678", "NL"),
        ("0612345678", "BE", "+33612345678", "FR"),  # no grouping: zone, mobile, then A-Z
        ("0721 234 567", "BE", "+40721234567", "RO"),
        ("015123456789", "BE", "+4915123456789", "DE"),
        ("0612345678", "NL", "+31612345678", "NL"),  # the default region wins
        ("0470 12 34 56", "FR", "+33470123456", "FR"),  # also a French landline
        ("02 512 34 56", "FR", "+3225123456", "BE"),  # too short for France
    ],
)
def test_national_numbers_resolve_by_validity(
    text: str, region: str, e164: str, chosen: str
) -> None:
    found = _one(text, region)
    assert (found.e164, found.region) == (e164, chosen)
    # not valid in the site's region, no cue: reported with the other countries it may be from
    assert found.ambiguous is (chosen != region)


@pytest.mark.parametrize(
    ("text", "e164", "chosen"),
    [
        ("Numéro français : 06 72 18 44 90", "+33672184490", "FR"),
        ("NL nummer 06-41 82 33 07", "+31641823307", "NL"),
        ("Bulgarian number 0888 214 736 (Viber)", "+359888214736", "BG"),  # also valid in BE
        ("UK number 07402 648542", "+447402648542", "GB"),
        ("Deutsche Nummer 0173 8718297", "+491738718297", "DE"),
        ("número español 612 874 390", "+34612874390", "ES"),  # Spain writes no trunk 0
        ("🇪🇸 654 218 390 WhatsApp", "+34654218390", "ES"),
        ("magyar szám 06 20 381 4406", "+36203814406", "HU"),
        ("06 71 38 24 90 (France)", "+33671382490", "FR"),
        ("Number is still Dutch 🇳🇱 06 24617604", "+31624617604", "NL"),
        ("Hívj: 36 30 218 4577 (Hungarian)", "+36302184577", "HU"),  # country code, no +
        ("BE 0465 90 37 16", "+32465903716", "BE"),
    ],
)
def test_the_text_names_the_country(text: str, e164: str, chosen: str) -> None:
    found = _one(text)
    assert (found.e164, found.region, found.ambiguous) == (e164, chosen, False)


def test_a_nationality_is_not_the_country_of_a_number_valid_at_home() -> None:
    # "française" says who she is, not which plan 0470… is in (it is a French landline too)
    assert _one("Belle française, 0470 12 34 56").e164 == BE
    # but it decides between foreign readings: 06… is no Belgian number
    found = _one("Belle française, nouvelle à Bruxelles. Appelle 06 12 34 56 78")
    assert (found.e164, found.ambiguous) == ("+33612345678", False)


def test_a_number_without_trunk_prefix_needs_a_phone_cue() -> None:
    assert _one("Tel: 470 12 34 56").e164 == BE
    assert _find("Maison 470 12 34 56") == []


# --- evidence ---------------------------------------------------------------------------------


def test_spans_quote_the_original_text_of_each_occurrence() -> None:
    text = "Appelle 0470/12.34.56 ou +32 470 12 34 56 (même numéro), sinon 0471 23 45 67"
    found = _find(text)
    assert [p.e164 for p in found] == [BE, "+32471234567"]
    assert [s.quote for s in found[0].spans] == ["0470/12.34.56", "+32 470 12 34 56"]
    for p in found:
        for s in p.spans:
            assert text[s.start : s.end] == s.quote
            assert s.field == "text"


def test_span_maps_through_normalisation() -> None:
    text = "Tél\u00a0: ０４７０\u200b12 34 56 !"
    [found] = _find(text)
    [span] = found.spans
    assert span.quote == "０４７０\u200b12 34 56"
    assert found.obfuscated


def test_obfuscated_if_any_occurrence_is() -> None:
    [found] = _find("0470 12 34 56 — ou O47O l2 34 56")
    assert found.obfuscated
    assert len(found.spans) == 2


def test_two_numbers_in_one_run_are_split() -> None:
    assert [p.e164 for p in _find("0470 12 34 56 0471 23 45 67")] == [BE, "+32471234567"]


# --- robustness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda rng: "".join(rng.choice("0123456789 .-/") for _ in range(1_000_000)),
        lambda rng: " ".join("04" for _ in range(333_333)),
        lambda rng: "".join(rng.choice("OolI|SB") for _ in range(1_000_000)),
        lambda rng: "".join(rng.choice("OolI|SB0123456789 .-") for _ in range(1_000_000)),
        lambda rng: " ".join(rng.choice(["zéro", "six", "septante"]) for _ in range(150_000)),
        lambda rng: "Tél 0470 12 34 56, " * 50_000,
        lambda rng: " ".join("O" for _ in range(500_000)),
    ],
    ids=[
        "digits-and-separators",
        "zero-groups",
        "look-alikes",
        "mixed",
        "number-words",
        "one-number-repeated",
        "spaced-look-alikes",
    ],
)
def test_a_megabyte_is_read_in_bounded_time(make: Callable[[random.Random], str]) -> None:
    text = make(random.Random(7))
    start = time.process_time()  # CPU time: a busy machine does not inflate it
    find_phones(normalise(text), "text")
    assert time.process_time() - start < 2.0


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    for p in find_phones(normalise(text), "text"):
        assert phonenumbers.is_valid_number(phonenumbers.parse(p.e164))
        for s in p.spans:
            assert text[s.start : s.end] == s.quote


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 .-/+()OolISB|\u200b", max_size=60))
def test_digit_soup_never_raises(text: str) -> None:
    for p in find_phones(normalise(text), "text"):
        assert p.e164.startswith("+")


# --- property: any valid mobile, in any style, in any text, is recovered ----------------------

_MOBILE = {"BE": ("32", ("46", "47", "48", "49")), "FR": ("33", ("6", "7")), "NL": ("31", ("6",))}


def _words(spaced: str) -> list[str]:
    return spaced.split()


_FR_UNITS = _words(
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
)
_FR_TENS = ["", ""] + _words(
    "vingt trente quarante cinquante soixante septante quatre-vingt nonante"
)
_NL_UNITS = _words(
    "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
    "zestien zeventien achttien negentien"
)
_NL_TENS = ["", "", *_words("twintig dertig veertig vijftig zestig zeventig tachtig negentig")]
_EN_UNITS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _pair(n: int, lang: str) -> str:
    if lang == "fr":
        if n < 17:
            return _FR_UNITS[n]
        if n < 20:
            return f"dix-{_FR_UNITS[n - 10]}"
        tens, unit = divmod(n, 10)
        if tens == 8:
            return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_FR_UNITS[unit]}"
        if unit == 0:
            return _FR_TENS[tens]
        return f"{_FR_TENS[tens]} et un" if unit == 1 else f"{_FR_TENS[tens]}-{_FR_UNITS[unit]}"
    units, tens_words = (_NL_UNITS, _NL_TENS) if lang == "nl" else (_EN_UNITS, _EN_TENS)
    if n < 20:
        return units[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return tens_words[tens]
    if lang == "nl":
        joiner = "ën" if units[unit].endswith("e") else "en"
        return f"{units[unit]}{joiner}{tens_words[tens]}"
    return f"{tens_words[tens]}-{units[unit]}"


def _say(digits: str, lang: str, by_pairs: bool) -> str:
    """Digits in words: "0x" and odd leftovers digit by digit, the rest in pairs if asked."""
    units = {"fr": _FR_UNITS, "nl": _NL_UNITS, "en": _EN_UNITS}[lang]
    if by_pairs and len(digits) == 2 and digits[0] != "0":
        return _pair(int(digits), lang)
    return " ".join(units[int(d)] for d in digits)


def _groups(region: str, nsn: str, variant: int) -> list[str]:
    if region == "BE":
        return [nsn[:3], nsn[3:5], nsn[5:7], nsn[7:]]
    if region == "FR":
        return [nsn[0], nsn[1:3], nsn[3:5], nsn[5:7], nsn[7:]]
    return [nsn[0], nsn[1:]] if variant % 2 else [nsn[0], nsn[1:5], nsn[5:]]


def _national(region: str, nsn: str, variant: int, sep: str) -> str:
    head, *rest = _groups(region, nsn, variant)
    if region == "NL":
        sep = "-" if variant % 2 else " "
    return sep.join(["0" + head, *rest])


def _render(draw: st.DrawFn, region: str, cc: str, nsn: str, style: str) -> str:
    national = "0" + nsn
    variant = draw(st.integers(0, 3))
    sep = draw(st.sampled_from([" ", ".", "/", "-"]))
    if style == "national":
        return _national(region, nsn, variant, sep)
    if style == "international":
        body = " ".join(_groups(region, nsn, variant))
        return draw(st.sampled_from([f"+{cc} {body}", f"00{cc} {body}", f"+{cc} (0){body}",
                                     f"+{cc}{nsn}", f"tel:+{cc}{nsn}"]))  # fmt: skip
    if style == "per_digit":
        digits = national if region != "NL" else cc + nsn
        text = draw(st.sampled_from(["-", " ", ".", "_", "*", " - ", "·"])).join(digits)
        return text if region != "NL" else "+" + text
    if style in ("keycaps", "fullwidth", "circled", "zero_width"):
        folds: dict[str, Callable[[str], str]] = {
            "keycaps": lambda d: d + "\ufe0f\u20e3",
            "fullwidth": lambda d: chr(0xFF10 + int(d)),
            "circled": lambda d: "⓪①②③④⑤⑥⑦⑧⑨"[int(d)],
            "zero_width": lambda d: d + "\u200b",
        }
        fold = folds[style]
        written = national if region != "NL" else nsn
        folded = "".join(fold(d) for d in written)
        return folded if region != "NL" else f"+{cc} {folded}"
    if style == "lookalike":
        text = _national(region, nsn, variant, sep)
        zero, one = draw(st.sampled_from("Oo")), draw(st.sampled_from("lI"))
        return text.replace("0", zero).replace("1", one)
    if style == "words":
        lang = draw(st.sampled_from(["fr", "nl", "en"]))
        by_pairs = draw(st.booleans())
        glue = draw(st.sampled_from([", ", " - ", ". "]))
        if region == "NL":  # a Dutch national number in words reads as French: go international
            head = "plus " + _pair(int(cc), lang)
            parts = [head, _say(nsn[0], lang, False)]
            parts += [_say(nsn[k : k + 2], lang, by_pairs) for k in range(1, 9, 2)]
            return glue.join(parts)
        head, *rest = _groups(region, nsn, variant)
        pairs = [p for g in rest for p in ([g] if len(g) == 2 else [g[:2], g[2:]])]
        first = _say("0" + head, lang, False)
        return glue.join([first, *(_say(p, lang, by_pairs) for p in pairs)])
    assert style == "wame"
    return draw(st.sampled_from([f"wa.me/{cc}{nsn}", f"https://wa.me/{cc}{nsn}"]))


_OBFUSCATED_STYLES = ("per_digit", "keycaps", "fullwidth", "circled", "zero_width", "lookalike",
                      "words")  # fmt: skip
_STYLES = ("national", "international", "wame", *_OBFUSCATED_STYLES)
_WORD = st.text(alphabet=string.ascii_letters + "éèàçëï", min_size=1, max_size=9)


@st.composite
def _ads(draw: st.DrawFn) -> tuple[str, str, str, bool]:
    region = draw(st.sampled_from(sorted(_MOBILE)))
    cc, prefixes = _MOBILE[region]
    prefix = draw(st.sampled_from(prefixes))
    nsn = prefix + draw(st.text(alphabet="0123456789", min_size=9 - len(prefix),
                                max_size=9 - len(prefix)))  # fmt: skip
    number = phonenumbers.parse(f"+{cc}{nsn}")
    assume(phonenumbers.is_valid_number(number))
    assume(phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE)
    style = draw(st.sampled_from(_STYLES))
    phone = _render(draw, region, cc, nsn, style)
    before = " ".join(draw(st.lists(_WORD, max_size=6)))
    after = " ".join(draw(st.lists(_WORD, max_size=6)))
    label = draw(st.sampled_from(["Tél :", "Contact:", "GSM", "WhatsApp :", "Appelle-moi au",
                                  "Bel me op", "Call me on"]))  # fmt: skip
    end = draw(st.sampled_from([". ", "\n", " ! ", ", merci. "]))
    # a foreign number says where it is from (the corpus contract), in words or with a flag
    country = {
        "BE": [""],
        "FR": ["numéro français ", "French number ", "\U0001f1eb\U0001f1f7 "],
        "NL": ["NL nummer ", "Nederlands nummer ", "\U0001f1f3\U0001f1f1 "],
    }[region]
    text = f"{before}\n{label} {draw(st.sampled_from(country))}{phone}{end}{after}"
    return text, f"+{cc}{nsn}", region, style in _OBFUSCATED_STYLES


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(_ads())
def test_any_mobile_in_any_style_is_recovered(ad: tuple[str, str, str, bool]) -> None:
    text, e164, region, obfuscated = ad
    found = _find(text)
    assert [(p.e164, p.region, p.ambiguous) for p in found] == [(e164, region, False)], text
    assert found[0].obfuscated is obfuscated, text


# --- issue 14: obfuscations read by the general grammar (units, joins, words, look-alikes) ----


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("Call @ 1-713-405-2298 ask for Dee", "US", "+17134052298"),  # trunk "1-"
        ("call me at 713 405 2298", "US", "+17134052298"),  # plain US, no trunk
        ("Call/txt: 832*519*0047", "US", "+18325190047"),
        ("3FIVE1-four 4 0-2 nine 1 3", "US", "+13514402913"),  # digits and words mixed
        ("(469) 4Six2-Nine100", "US", "+14694629100"),
        ("four 04 thirty-eight 40 120", "US", "+14043840120"),
        ("txt 4#8#0#3#3#1#2#0#5#7", "US", "+14803312057"),  # symbol separators
        ("2!1!4 - 7!2!1 - 9!0!3!6", "US", "+12147219036"),
        ("text me 4o4 9one7 22 6three, no calls", "US", "+14049172263"),
        ("04|70|55|81|29", "BE", "+32470558129"),  # pipes
        ("0466🌸15🌸72🌸08 🌸 appel uniquement", "BE", "+32466157208"),  # emoji between groups
        ("gsm 0468 21\n45 07 merci", "BE", "+32468214507"),  # a line break inside
        ("0472 19 (pas d'appel masqué) 33 08", "BE", "+32472193308"),  # a short phrase inside
        ("belme0474960517of sms", "BE", "+32474960517"),  # glued to words
        ("gewoon 32472822022", "BE", "+32472822022"),  # country code without +
        ("Tel. 04negen40een86drie1 (ook WhatsApp)", "BE", "+32494018631"),
        ("04zeven54een41nul6", "BE", "+32475414106"),
        ("0487 54 43 twenty-six", "BE", "+32487544326"),
        ("O499 32 B9 S8", "BE", "+32499328958"),  # look-alikes O, B, S
        ("Réf 48213 · 0472 66 35 10 · 1030", "BE", "+32472663510"),
    ],
)
def test_issue_obfuscations(text: str, region: str, e164: str) -> None:
    found = _find(text, region)
    assert [p.e164 for p in found] == [e164], text
    assert found[0].obfuscated or region == "US" or text[0].isalpha(), text


def test_the_library_reading_stands_for_plain_numbers_in_any_region() -> None:
    # the US writes no trunk 0: a plain number is found without any cue
    assert [p.e164 for p in _find("Jade 713 405 2298", "US")] == ["+17134052298"]
    # a Belgian number on a US site: the text names the country
    found = _one("Belgian number 0470 12 34 56", "US")
    assert (found.e164, found.region, found.ambiguous) == (BE, "BE", False)


def test_numbers_come_in_text_order() -> None:
    found = _find("call me at 713 405 2298 or 06 12 34 56 78, or 1-212-555-0199x", "US")
    assert [p.e164 for p in found][:2] == ["+17134052298", "+33612345678"]


@pytest.mark.parametrize(
    "text", ["call me at 470 12 34 56", "Call @ 470 12 34 56", "Call/text 470 12 34 56",
             "txt 470 12 34 56", "appelle-moi au 470 12 34 56", "bel me op 470 12 34 56"],
)  # fmt: skip
def test_cue_phrases_allow_a_number_without_its_trunk_zero(text: str) -> None:
    assert [p.e164 for p in _find(text)] == [BE]


def test_a_linking_word_alone_is_no_cue() -> None:
    assert _find("see me at 470 12 34 56") == []


@pytest.mark.parametrize(
    "text",
    [
        "\nTél : numéro français 06 01 00 00 00. SEVENTEEN",
        "\nTél : numéro français zéro six, zéro un, zéro zéro, zéro zéro, zéro zéro\nSEVENTEEN",
    ],
)
def test_a_number_word_after_the_number_does_not_shift_it(text: str) -> None:
    """Found by the property test above: of two equally good readings, the one that starts after
    the label and reads fewer digits from words wins over one that borrows the next word."""
    assert [p.e164 for p in _find(text)] == ["+33601000000"]
