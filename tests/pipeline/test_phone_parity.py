"""Never worse than the library: on plain numbers, Vigie finds at least what
`phonenumbers.PhoneNumberMatcher(text, region)` finds, for every region a site may be in.

Texts are generated from phonenumbers' own example numbers, every number type a region has, in
every format its formatter writes and with everyday separators.
"""

from __future__ import annotations

import re

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from pipeline.phonelib import library_matches
from pipeline.phones import find_phones
from pipeline.text import normalise

REGIONS = ("BE", "FR", "NL", "DE", "GB", "US", "RO", "BG", "ES", "IT")
_TYPES = [v for k, v in vars(PhoneNumberType).items() if k.isupper() and k != "UNKNOWN"]
_FORMATS = (
    PhoneNumberFormat.E164,
    PhoneNumberFormat.INTERNATIONAL,
    PhoneNumberFormat.NATIONAL,
    PhoneNumberFormat.RFC3966,
)


def _written(region: str) -> list[str]:
    """Every example number of `region`, in every format and with everyday separators."""
    out: list[str] = []
    for kind in _TYPES:
        num = phonenumbers.example_number_for_type(region, kind)
        if num is None:
            continue
        forms = [phonenumbers.format_number(num, f) for f in _FORMATS]
        national = forms[2]
        groups = re.findall(r"\d+", national)
        for sep in (" ", ".", "-", "/", ""):
            forms.append(sep.join(groups))
        if len(groups) > 1:
            forms.append(f"({groups[0]}) {' '.join(groups[1:])}")
            forms.append(f"({groups[0]}) {'-'.join(groups[1:])}")
        out.extend(dict.fromkeys(forms))
    return out


def _texts(region: str) -> list[str]:
    return [
        text
        for number in _written(region)
        for text in (number, f"Contact : {number} merci", f"Call me at {number}.\nLena, 24")
    ]


@pytest.mark.parametrize("region", REGIONS)
def test_at_least_what_the_library_finds(region: str) -> None:
    texts = _texts(region)
    assert len(texts) > 40  # several types, formats and separators per region
    found_by_library = 0
    for text in texts:
        library = {
            phonenumbers.format_number(m.number, PhoneNumberFormat.E164)
            for m in phonenumbers.PhoneNumberMatcher(text, region)
        }
        found_by_library += bool(library)
        ours = {p.e164 for p in find_phones(normalise(text), "text", region=region)}
        assert library <= ours, (region, text, library, ours)
    assert found_by_library > len(texts) // 3  # the comparison is not empty


@pytest.mark.parametrize("region", REGIONS)
def test_international_forms_are_found_from_any_region(region: str) -> None:
    # the number's own plan decides its country, whatever the site's region
    for kind in _TYPES:
        num = phonenumbers.example_number_for_type(region, kind)
        if num is None or phonenumbers.number_type(num) not in (
            PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            continue
        e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
        text = "WhatsApp " + phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
        for site in ("BE", "US", "JP"):
            found = find_phones(normalise(text), "text", region=site)
            assert [(p.e164, p.ambiguous) for p in found] == [(e164, False)], (site, text)


@pytest.mark.parametrize(
    "text",
    [
        "14020",  # a Dutch short national number: 5 digits
        "Tel 0470 12 34 56 ext 24",
        "prix 150€, 1h, 24 ans, 1050 Ixelles",
        "+1 (212) 555-0199 x 12",
        "0-4-7-0-1-2-3-4-5-6",
        "ab 12.34 cd 5678",
    ],
)
def test_the_four_digit_gate_skips_only_texts_the_library_finds_nothing_in(text: str) -> None:
    for region in REGIONS:
        expected = [
            (m.start, m.end, phonenumbers.format_number(m.number, PhoneNumberFormat.E164))
            for m in phonenumbers.PhoneNumberMatcher(text, region)
        ]
        assert [m[:3] for m in library_matches(text, region)] == expected
