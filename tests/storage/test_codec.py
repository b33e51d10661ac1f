"""storage.codec: JSON round-trip of RawAd, Analysis and Network (property-based)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.types import (
    Age,
    Alias,
    Analysis,
    Contact,
    Edge,
    ImageRef,
    Indicator,
    Network,
    PhoneMatch,
    Place,
    RawAd,
    Span,
)
from storage.codec import (
    analysis_from_dict,
    analysis_to_dict,
    network_from_dict,
    network_to_dict,
    rawad_from_dict,
    rawad_to_dict,
)
from storage.errors import CorruptRecord

text = st.text(max_size=30)
short = st.text(min_size=1, max_size=12)
hexhash = st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)
offsets = st.builds(
    timezone, st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda m: timedelta(minutes=m))
)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.one_of(st.none(), offsets),
)
scores = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
spans = st.lists(
    st.builds(
        Span,
        field=st.sampled_from(["title", "text", "location"]),
        start=st.integers(0, 500),
        end=st.integers(0, 500),
        quote=text,
    ),
    max_size=3,
).map(tuple)
images = st.builds(
    ImageRef, url=text, phash=st.none() | hexhash, dhash=st.none() | hexhash, error=st.none() | text
)
raw_ads = st.builds(
    RawAd,
    site=short,
    ad_id=short,
    url=text,
    title=text,
    text=text,
    location_text=text,
    lang=st.none() | st.sampled_from(["fr", "nl", "en"]),
    contact_text=text,
    posted_at=st.none() | moments,
    fetched_at=st.none() | moments,
    page_sha256=st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    images=st.lists(images, max_size=3).map(tuple),
)
places = st.builds(
    Place,
    commune=st.none() | short,
    zone=st.none() | st.sampled_from(["5339", "5340", "5341", "5342", "5343", "5344"]),
    postcode=st.none() | st.from_regex(r"\A1[0-2][0-9]0\Z"),
    in_brussels=st.booleans(),
    spans=spans,
)
analyses = st.builds(
    Analysis,
    site=short,
    ad_id=short,
    phones=st.lists(
        st.builds(
            PhoneMatch,
            e164=st.from_regex(r"\A\+32470[0-9]{6}\Z"),
            region=st.just("BE"),
            obfuscated=st.booleans(),
            spans=spans,
        ),
        max_size=3,
    ).map(tuple),
    contacts=st.lists(st.builds(Contact, kind=short, value=text, spans=spans), max_size=3).map(
        tuple
    ),
    aliases=st.lists(st.builds(Alias, name=short, spans=spans), max_size=3).map(tuple),
    ages=st.lists(st.builds(Age, value=st.integers(0, 120), spans=spans), max_size=2).map(tuple),
    place=st.none() | places,
    images=st.lists(images, max_size=3).map(tuple),
    indicators=st.lists(
        st.builds(
            Indicator,
            code=short,
            category=short,
            description=text,
            spans=spans,
            weight=st.floats(-5, 5, allow_nan=False),
        ),
        max_size=3,
    ).map(tuple),
    minor_score=scores,
    trafficking_score=scores,
    flags=st.lists(st.sampled_from(["minor", "trafficking"]), unique=True).map(tuple),
    model_version=text,
)
keys = st.tuples(short, short)
networks = st.builds(
    Network,
    network_id=short,
    members=st.lists(keys, max_size=4).map(tuple),
    edges=st.lists(st.builds(Edge, a=keys, b=keys, kind=short, evidence=text), max_size=4).map(
        tuple
    ),
    phones=st.lists(short, max_size=3).map(tuple),
    aliases=st.lists(short, max_size=3).map(tuple),
    sites=st.lists(short, max_size=3).map(tuple),
    zones=st.lists(short, max_size=3).map(tuple),
    movement=st.lists(short, max_size=3).map(tuple),
    first_seen=st.none() | moments,
    last_seen=st.none() | moments,
    risk=scores,
)


def _through_json(doc: dict[str, Any]) -> Any:
    """What a JSON column gives back: fails if the document holds anything but JSON values."""
    return json.loads(json.dumps(doc, allow_nan=False))


def _same_times(a: datetime | None, b: datetime | None) -> bool:
    return a == b and (a is None or b is None or a.utcoffset() == b.utcoffset())


@settings(deadline=None)
@given(raw_ads)
def test_rawad_round_trip(raw: RawAd) -> None:
    back = rawad_from_dict(_through_json(rawad_to_dict(raw)))
    assert back == raw
    assert _same_times(back.posted_at, raw.posted_at)
    assert _same_times(back.fetched_at, raw.fetched_at)


@settings(deadline=None)
@given(analyses)
def test_analysis_round_trip(analysis: Analysis) -> None:
    assert analysis_from_dict(_through_json(analysis_to_dict(analysis))) == analysis


@settings(deadline=None)
@given(networks)
def test_network_round_trip(network: Network) -> None:
    back = network_from_dict(_through_json(network_to_dict(network)))
    assert back == network
    assert all(isinstance(key, tuple) for key in back.members)


def test_datetimes_are_iso_8601_and_tuples_are_lists() -> None:
    brussels = timezone(timedelta(hours=2))
    raw = RawAd(
        "demo-a",
        "1",
        "http://127.0.0.1/1",
        "t",
        "x",
        posted_at=datetime(2025, 6, 1, 8, 30, tzinfo=brussels),
        images=(ImageRef("http://127.0.0.1/a.png", phash="0f" * 8),),
    )
    doc = rawad_to_dict(raw)
    assert doc["posted_at"] == "2025-06-01T08:30:00+02:00"
    assert doc["images"] == [
        {"url": "http://127.0.0.1/a.png", "phash": "0f" * 8, "dhash": None, "error": None,
         "dct": None}
    ]
    net = network_to_dict(Network("n", (("demo-a", "1"),), ()))
    assert net["members"] == [["demo-a", "1"]]


def test_documents_missing_defaulted_fields_still_decode() -> None:
    assert analysis_from_dict({"site": "demo-a", "ad_id": "1"}) == Analysis("demo-a", "1")


@pytest.mark.parametrize(
    ("decode", "doc", "message"),
    [
        (
            rawad_from_dict,
            {"site": "demo-a"},
            r"stored RawAd does not decode \(4 error\(s\)\); "
            r"first: ad_id: Field required",
        ),
        (
            analysis_from_dict,
            {"site": "a", "ad_id": "1", "minor_score": "high"},
            r"stored Analysis .*first: minor_score: Input should be a valid number",
        ),
        (network_from_dict, "not a document", r"stored Network does not decode"),
    ],
)
def test_undecodable_documents_raise_corrupt_record(decode: Any, doc: Any, message: str) -> None:
    with pytest.raises(CorruptRecord, match=message):
        decode(doc)
