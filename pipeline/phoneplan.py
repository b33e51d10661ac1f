"""Numbering plans: is a digit string a valid phone number, and of which country?

`lookup` gives the valid readings of a candidate — one for an international number (+, 00); for a
national one, its reading in the first preferred region where it is valid (a country the text
names with the number, the site's region, a country named elsewhere in the text), failing that
its reading in every region of the world where it is valid — after a cheap pre-test against the
region's possible lengths and number pattern, so that random digit strings rarely reach
`phonenumbers`. The digits are clean already, so the number is built directly rather than
through `phonenumbers.parse`, and validated by its type. `choose` keeps the reading to report
and the ones it stays ambiguous with. There is no fixed list of fallback countries. Lookups are
cached: the same numbers come back ad after ad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat, PhoneNumberType

MIN_INTL = 8  # digits after + or 00


@dataclass(frozen=True, slots=True)
class _RegionInfo:
    code: int  # country calling code
    prefix: str  # national (trunk) prefix, "" when the region has none
    lengths: frozenset[int]  # possible lengths of the national significant number
    pattern: re.Pattern[str] | None  # any valid national significant number


_NO_REGION = _RegionInfo(0, "", frozenset(), None)


@lru_cache(maxsize=512)
def _region_info(region: str) -> _RegionInfo:
    md = PhoneMetadata.metadata_for_region(region)
    if md is None or md.general_desc is None or md.general_desc.national_number_pattern is None:
        return _NO_REGION
    return _RegionInfo(
        md.country_code or 0,
        md.national_prefix or "",
        frozenset(md.general_desc.possible_length),
        re.compile(md.general_desc.national_number_pattern),
    )


def _fits(info: _RegionInfo, nsn: str) -> bool:
    """Cheap pre-test (no parsing) that `nsn` may be a number of the region."""
    if len(nsn) not in info.lengths or info.pattern is None:
        return False
    return info.pattern.fullmatch(nsn) is not None


def _number(code: int, nsn: str) -> phonenumbers.PhoneNumber:
    """The number `phonenumbers.parse` would build, without parsing (digits are known clean)."""
    num = phonenumbers.PhoneNumber(country_code=code, national_number=int(nsn))
    zeros = len(nsn) - len(nsn.lstrip("0"))
    if zeros:  # Italy keeps its leading 0 in the national significant number
        num.italian_leading_zero = True
        if zeros > 1:
            num.number_of_leading_zeros = zeros
    return num


def _intl_split(body: str) -> tuple[int, str] | None:
    """(country code, national significant number) of an international number, if it may be one;
    a trunk prefix written after the country code ("+32 (0)470…") is dropped."""
    for k in (1, 2, 3):
        code = int(body[:k])
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ()):
            info = _region_info(region)
            nsn = body[k:]
            if _fits(info, nsn):
                return code, nsn
            prefix = info.prefix
            if prefix and nsn.startswith(prefix) and _fits(info, nsn[len(prefix) :]):
                return code, nsn[len(prefix) :]
    return None


# A valid reading: e164, region, the region's national grouping, mobile-like.
Hit = tuple[str, str, tuple[int, ...], bool]
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _hit(num: phonenumbers.PhoneNumber, region: str, kind: int) -> Hit:
    national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
    return (
        f"+{num.country_code}{phonenumbers.national_significant_number(num)}",
        region,
        tuple(len(g) for g in re.findall(r"\d+", national)),
        kind in _MOBILE_TYPES,
    )


@lru_cache(maxsize=16_384)
def _international(body: str) -> Hit | None:
    if len(body) < MIN_INTL or body[0] == "0" or (split := _intl_split(body)) is None:
        return None
    code, nsn = split
    num = _number(code, nsn)
    if not phonenumbers.is_valid_number(num):
        return None
    return f"+{code}{nsn}", phonenumbers.region_code_for_number(num) or "", (), True


def _read_in(digits: str, region: str, trunkless: bool) -> Hit | None:
    """The reading of a national-format `digits` in `region`, if valid there.

    Written with the region's trunk prefix ("0470…", US "1-713…") or, when `trunkless` (after a
    cue, or in a region whose numbers are written without one), without it; regions with no
    trunk prefix (Spain, Italy) take the digits as they stand.
    """
    info = _region_info(region)
    if info.pattern is None:
        return None
    prefix = info.prefix
    if prefix and digits.startswith(prefix) and len(digits) > len(prefix):
        nsns = [digits[len(prefix) :]]
        if trunkless and prefix != "0":  # US "713…" never starts with its trunk 1; "1…" may
            nsns.append(digits)
    elif prefix and not trunkless:
        return None
    else:
        nsns = [digits]
    for nsn in nsns:
        if not _fits(info, nsn):
            continue
        num = _number(info.code, nsn)
        # Valid for the region = of a known type there (one type evaluation, not two).
        kind = phonenumbers.number_type(num)
        if kind == PhoneNumberType.UNKNOWN or phonenumbers.region_code_for_number(num) != region:
            continue
        return _hit(num, region, kind)
    return None


@lru_cache(maxsize=16_384)
def _national(
    digits: str, prefer: tuple[str, ...], trunkless: bool, world: bool
) -> tuple[Hit, ...]:
    """The reading in the first region of `prefer` where `digits` is valid; failing that, its
    reading in every region of the world where it is (written with that region's trunk
    prefix): the number's ambiguity. A number without trunk prefix valid in none of `prefer` is
    no number: bare digit strings are valid somewhere far too often.
    """
    for region in prefer:
        hit = _read_in(digits, region, trunkless)
        if hit is not None:
            return (hit,)
    if not world or (trunkless and digits[0] != "0"):
        return ()
    hits = []
    for region in _trunk_regions(len(digits)):
        if region in prefer or not digits.startswith(_region_info(region).prefix):
            continue
        hit = _read_in(digits, region, False)
        if hit is not None:
            hits.append(hit)
    return tuple(hits)


@lru_cache(maxsize=32)
def _trunk_regions(n: int) -> tuple[str, ...]:
    """Regions where a national number of `n` digits written with its trunk prefix (or, with
    none, as it stands: Italy keeps its 0) may be valid, in alphabetical order."""
    out = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        info = _region_info(region)
        if n - len(info.prefix) in info.lengths:
            out.append(region)  # with no trunk prefix, numbers may start with 0 (Italy)
    return tuple(out)


def lookup(
    digits: str, plus: bool, prefer: tuple[str, ...], trunkless: bool, world: bool = True
) -> tuple[Hit, ...]:
    """Every valid reading of a candidate: one for an international number; one for a national
    number valid in a preferred region (the first such); else, if `world`, every reading in
    the world."""
    if plus or digits.startswith("00"):
        hit = _international(digits if plus else digits[2:])
        return () if hit is None else (hit,)
    if digits[0] != "0" and not trunkless:
        return ()
    return _national(digits, prefer, trunkless, world)


def bare_international(digits: str, codes: frozenset[int]) -> Hit | None:
    """A number written with its country code but no + or 00 ("32475…", "36 30 218 4577"),
    when the code is one of `codes` (the site's, or a country the text names)."""
    for k in (1, 2, 3):
        if len(digits) > k and int(digits[:k]) in codes:
            hit = _international(digits)
            return hit if hit is not None and hit[0] == "+" + digits else None
    return None


# The reading kept: e164, region, written as the region groups it, the other e164 it may be.
Choice = tuple[str, str, bool, tuple[str, ...]]


def choose(
    hits: tuple[Hit, ...], digits: str, plus: bool, groups: tuple[int, ...], prefer: tuple[str, ...]
) -> Choice | None:
    """The reading to report, if any, and the other readings it stays ambiguous with.

    International, or valid in a preferred region (a cue's country, the site's region): that
    reading. Otherwise the readings of the world where it is a mobile number or written as that
    region groups it. They are ordered by world numbering zone (the first digit of the country
    code, Europe's 3 and 4 as one) shared with a preferred region, then written grouping, then
    mobile type, then nearness of the country code to a preferred one (codes were given
    out by geography within a zone), then region code: the first is reported, the others are
    its `candidates` — a best guess, flagged as such. Without a trunk
    prefix (only after a phone cue, or in a region that writes none), only mobile numbers count.
    """
    if plus or digits.startswith("00"):
        return hits[0][0], hits[0][1] or (prefer[0] if prefer else ""), True, ()
    if len(hits) == 1 and hits[0][1] in prefer:
        h = hits[0]
        return h[0], h[1], _grouped_as(h, groups), ()
    kept = [h for h in hits if (digits[0] == "0" or h[3]) and (h[3] or _grouped_as(h, groups))]
    if not kept:
        return None
    zones = {_zone(_region_info(r).code) for r in prefer}
    codes = [_region_info(r).code for r in prefer]
    kept.sort(
        key=lambda h: (
            _zone(_code(h)) not in zones,
            not _grouped_as(h, groups),
            not h[3],
            min((abs(_code(h) - c) for c in codes), default=0),
            h[1],
        )
    )
    best = kept[0]
    others = tuple(dict.fromkeys(h[0] for h in kept[1:] if h[0] != best[0]))
    return best[0], best[1], _grouped_as(best, groups), others


def _code(hit: Hit) -> int:
    return _region_info(hit[1]).code


def _zone(code: int) -> int:
    """ITU world numbering zone of a country calling code (Europe spans zones 3 and 4)."""
    first = int(str(code)[0]) if code else 0
    return 3 if first == 4 else first


# How people commonly group national numbers, besides the official format, where two
# neighbours share a number range (06… is a mobile in France and in the Netherlands).
_USUAL_GROUPS: dict[str, frozenset[tuple[int, ...]]] = {
    "NL": frozenset({(2, 8), (2, 4, 4), (3, 3, 4), (2, 2, 3, 3)}),
    "FR": frozenset({(2, 2, 2, 2, 2), (1, 3, 2, 2, 2)}),
}


def _grouped_as(hit: Hit, groups: tuple[int, ...]) -> bool:
    return hit[2] == groups or groups in _USUAL_GROUPS.get(hit[1], frozenset())


def calling_code(region: str) -> int:
    """The country calling code of `region` (0 when phonenumbers does not know it)."""
    return _region_info(region).code


def writes_trunk_zero(region: str) -> bool:
    """Whether national numbers of `region` are written with a leading trunk 0 ("0470…"):
    where they are not (the US, Spain, Italy's mobiles), a number may start at any digit."""
    return _region_info(region).prefix.startswith("0")
