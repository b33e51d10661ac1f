"""Numbering plans: is a digit string a valid phone number, and of which country?

`lookup` gives every valid reading of a candidate — one for an international number (+, 00),
one per region for a national one (the default region first, then NEIGHBOUR_REGIONS) — after a
cheap pre-test against the region's possible lengths and number pattern, so that random digit
strings rarely reach `phonenumbers`. The digits are clean already, so the number is built
directly rather than through `phonenumbers.parse`, and validated by its type. `choose` keeps
the reading to report. Lookups are cached: the same numbers come back ad after ad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat, PhoneNumberType

# Tried in this order when a national number is not valid in the default region.
NEIGHBOUR_REGIONS = ("BE", "FR", "NL", "DE", "LU", "RO", "BG", "ES", "IT", "HU", "NG")
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


def _regions(default: str) -> tuple[str, ...]:
    return (default, *(r for r in NEIGHBOUR_REGIONS if r != default))


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


@lru_cache(maxsize=16_384)
def _national(digits: str, default: str) -> tuple[Hit, ...]:
    """The default region if `digits` is valid there, else every neighbour where it is.

    Without a leading 0, only the default region (its trunk 0 dropped) and the regions that have
    no trunk prefix (Spain, Luxembourg, Italian mobiles) are tried.
    """
    hits: list[Hit] = []
    for region in _regions(default):
        info = _region_info(region)
        if digits[0] == "0" and info.prefix:
            if not digits.startswith(info.prefix):
                continue
            nsn = digits[len(info.prefix) :]
        elif digits[0] != "0" and info.prefix and region != default:
            continue
        else:
            nsn = digits  # no trunk prefix written (after a cue), or Italy, which keeps its 0
        if not _fits(info, nsn):
            continue
        num = _number(info.code, nsn)
        # Valid for the region = of a known type there (one type evaluation, not two).
        kind = phonenumbers.number_type(num)
        if kind == PhoneNumberType.UNKNOWN or phonenumbers.region_code_for_number(num) != region:
            continue
        if region == default:
            return (_hit(num, region, kind),)  # read in the default region: no need to look on
        hits.append(_hit(num, region, kind))
    return tuple(hits)


def lookup(digits: str, plus: bool, default: str, trunkless: bool) -> tuple[Hit, ...]:
    """Every valid reading of a candidate; international ones have exactly one."""
    if plus or digits.startswith("00"):
        hit = _international(digits if plus else digits[2:])
        return () if hit is None else (hit,)
    if digits[0] != "0" and not trunkless:
        return ()
    return _national(digits, default)


def choose(
    hits: tuple[Hit, ...], digits: str, plus: bool, groups: tuple[int, ...], default: str
) -> tuple[str, str, bool] | None:
    """(e164, region, written as the region groups it) — the reading to keep, if any.

    A national number valid in the default region is read there; otherwise in a neighbouring
    region where it is a mobile number or written as that region groups it, preferring the
    grouping ("06 12 34 56 78" FR, "06-12345678" or "06 1234 5678" NL), then the order of
    NEIGHBOUR_REGIONS.
    Without a trunk prefix (only after a phone cue), only mobile numbers count.
    """
    if plus or digits.startswith("00"):
        return hits[0][0], hits[0][1] or default, True
    kept = [
        h
        for h in hits
        if (digits[0] == "0" or h[3]) and (h[1] == default or h[3] or _grouped_as(h, groups))
    ]
    if not kept:
        return None
    best = next((h for h in kept if h[1] == default), None)
    best = best or next((h for h in kept if _grouped_as(h, groups)), kept[0])
    return best[0], best[1], _grouped_as(best, groups)


# How people commonly group national numbers, besides the official format, where two
# neighbours share a number range (06… is a mobile in France and in the Netherlands).
_USUAL_GROUPS: dict[str, frozenset[tuple[int, ...]]] = {
    "NL": frozenset({(2, 8), (2, 4, 4), (3, 3, 4), (2, 2, 3, 3)}),
    "FR": frozenset({(2, 2, 2, 2, 2), (1, 3, 2, 2, 2)}),
}


def _grouped_as(hit: Hit, groups: tuple[int, ...]) -> bool:
    return hit[2] == groups or groups in _USUAL_GROUPS.get(hit[1], frozenset())
