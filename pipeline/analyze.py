"""RawAd → Analysis: normalise every field, extract, assess with the risk model.

Pure: no Scrapy, no database, no network. Safe to call on any strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import TypeVar

from models.rules import RuleModel
from models.types import Features, Hit
from pipeline.ages import find_ages
from pipeline.aliases import find_aliases
from pipeline.contacts import find_contacts
from pipeline.phones import find_phones
from pipeline.places import find_places, resolve_place
from pipeline.text import NormText, normalise
from pipeline.types import (
    Age,
    Alias,
    Analysis,
    Contact,
    Indicator,
    PhoneMatch,
    RawAd,
    Span,
)

T = TypeVar("T")

# Fields of a RawAd, by the name evidence spans use.
FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("text", "text"),
    ("location", "location_text"),
    ("contact", "contact_text"),
)


@cache
def default_model() -> RuleModel:
    """The shipped model, loaded once on first use (never at import time)."""
    return RuleModel.default()


def _merge(items: Iterable[T], key: Callable[[T], object], combine: Callable[[T, T], T]) -> list[T]:
    merged: dict[object, T] = {}
    for item in items:
        k = key(item)
        merged[k] = combine(merged[k], item) if k in merged else item
    return list(merged.values())


def _merge_phones(items: Iterable[PhoneMatch]) -> list[PhoneMatch]:
    return _merge(
        items,
        lambda p: p.e164,
        lambda a, b: PhoneMatch(a.e164, a.region, a.obfuscated or b.obfuscated, a.spans + b.spans),
    )


def _merge_contacts(items: Iterable[Contact]) -> list[Contact]:
    return _merge(
        items, lambda c: (c.kind, c.value), lambda a, b: Contact(a.kind, a.value, a.spans + b.spans)
    )


def _merge_aliases(items: Iterable[Alias]) -> list[Alias]:
    return _merge(items, lambda a: a.name.casefold(), lambda a, b: Alias(a.name, a.spans + b.spans))


def _merge_ages(items: Iterable[Age]) -> list[Age]:
    return _merge(items, lambda a: a.value, lambda a, b: Age(a.value, a.spans + b.spans))


def _evidence(
    hit: Hit,
    docs: Mapping[str, NormText],
    sources: Mapping[str, Sequence[Span]],
) -> tuple[Span, ...]:
    if hit.field is not None and hit.field in docs:
        return (docs[hit.field].span(hit.field, hit.start, hit.end),)
    if hit.source is not None:
        return tuple(sources.get(hit.source, ()))
    return ()


def analyze(raw: RawAd, *, region: str = "BE", model: RuleModel | None = None) -> Analysis:
    """Everything Vigie reads out of one ad. `region` is the default country for phones."""
    docs = {name: normalise(value) for name, attr in FIELDS if (value := getattr(raw, attr))}
    phones = _merge_phones(
        p for name, doc in docs.items() for p in find_phones(doc, name, region=region)
    )
    contacts = _merge_contacts(c for name, doc in docs.items() for c in find_contacts(doc, name))
    aliases = _merge_aliases(
        a
        for name, doc in docs.items()
        if name != "location"
        for a in find_aliases(doc, name, lang=raw.lang)
    )
    ages = _merge_ages(
        a for name, doc in docs.items() if name in ("title", "text") for a in find_ages(doc, name)
    )
    # The location field is the most specific place hint; the texts come after it.
    place = resolve_place([p for name, doc in docs.items() for p in find_places(doc, name)])

    foreign = [p for p in phones if p.region != region]
    obfuscated = [p for p in phones if p.obfuscated]
    features = Features(
        ages=tuple(a.value for a in ages),
        n_aliases=len(aliases),
        n_phones=len(phones),
        foreign_phone=bool(foreign),
        obfuscated_phone=bool(obfuscated),
    )
    assessment = (model or default_model()).assess(
        {name: doc.text for name, doc in docs.items()}, features
    )
    sources: dict[str, list[Span]] = {
        "ages": [s for a in ages if a.value < 18 for s in a.spans],
        "phones.obfuscated": [s for p in obfuscated for s in p.spans],
        "phones.foreign": [s for p in foreign for s in p.spans],
        "aliases": [s for a in aliases for s in a.spans],
    }
    indicators = tuple(
        Indicator(h.code, h.category, h.description, _evidence(h, docs, sources), h.weight)
        for h in assessment.hits
    )
    return Analysis(
        site=raw.site,
        ad_id=raw.ad_id,
        phones=tuple(phones),
        contacts=tuple(contacts),
        aliases=tuple(aliases),
        ages=tuple(ages),
        place=place,
        images=raw.images,
        indicators=indicators,
        minor_score=assessment.minor_score,
        trafficking_score=assessment.trafficking_score,
        flags=assessment.flags,
        model_version=assessment.model_version,
    )
