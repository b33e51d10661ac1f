"""libphonenumber's own matcher, run first: Vigie finds at least what the library finds.

`phones` adds to these matches what the library cannot read (obfuscations, numbers in words,
a country given in words); where both read the same characters differently, the library's
reading stands unless the text names the number's country.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat

# Every number the library matches has at least 4 digits (the shortest national significant
# number of any region) with nothing but punctuation between them: a text without such a
# stretch holds none, and the matcher need not run (it costs most of the phone search).
_FOUR_DIGITS = re.compile(r"\d(?:[\W_x]*\d){3}")
# A match: start, end (offsets in the text), e164, region.
Match = tuple[int, int, str, str]


def library_matches(text: str, region: str) -> Iterator[Match]:
    """What `phonenumbers.PhoneNumberMatcher(text, region)` finds (its default leniency)."""
    if _FOUR_DIGITS.search(text) is None:
        return
    for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
        num = m.number
        e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
        yield m.start, m.end, e164, phonenumbers.region_code_for_number(num) or region
