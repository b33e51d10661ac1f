"""RawAd → Analysis: normalise every field, extract, assess with the risk model.

Pure: no Scrapy, no database, no network. Safe to call on any strings.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TypeVar

from models.classifier import RiskModel
from models.tokens import tokens
from models.types import Assessment, Example, Features, Hit
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
    Place,
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
def default_model() -> RiskModel:
    """The shipped model (`models/artefact/`), loaded once on first use (never at import time)."""
    return RiskModel.load()


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
        lambda a, b: replace(a, obfuscated=a.obfuscated or b.obfuscated, spans=a.spans + b.spans),
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


@dataclass(frozen=True, slots=True)
class _Extracted:
    docs: dict[str, NormText]
    phones: list[PhoneMatch]
    contacts: list[Contact]
    aliases: list[Alias]
    ages: list[Age]
    place: Place | None
    features: Features
    sources: dict[str, list[Span]]

    def fields(self) -> dict[str, str]:
        return {name: doc.text for name, doc in self.docs.items()}


def _facts(
    phones: Sequence[PhoneMatch],
    aliases: Sequence[Alias],
    ages: Sequence[Age],
    region: str,
    network_size: int,
    place: Place | None = None,
) -> tuple[Features, dict[str, list[Span]]]:
    """The model's structured features and the evidence each structured indicator points to.

    The words of the ad's aliases and place are `masked`: the model never learns them."""
    foreign = [p for p in phones if p.region != region]
    obfuscated = [p for p in phones if p.obfuscated]
    features = Features(
        ages=tuple(a.value for a in ages),
        n_aliases=len(aliases),
        n_phones=len(phones),
        foreign_phone=bool(foreign),
        obfuscated_phone=bool(obfuscated),
        network_size=network_size,
        masked=_masked(aliases, place),
    )
    sources: dict[str, list[Span]] = {
        "ages": [s for a in ages if a.value <= 18 for s in a.spans],
        "phones.obfuscated": [s for p in obfuscated for s in p.spans],
        "phones.foreign": [s for p in foreign for s in p.spans],
        "aliases": [s for a in aliases for s in a.spans],
        "network": [s for p in phones for s in p.spans],
    }
    return features, sources


def _masked(aliases: Sequence[Alias], place: Place | None) -> frozenset[str]:
    quotes = [a.name for a in aliases]
    if place is not None:
        quotes += [s.quote for s in place.spans]
    return frozenset(t.text for q in quotes for t in tokens(q))


def _docs(raw: RawAd) -> dict[str, NormText]:
    return {name: normalise(value) for name, attr in FIELDS if (value := getattr(raw, attr))}


def _extract(raw: RawAd, region: str, network_size: int) -> _Extracted:
    docs = _docs(raw)
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
    features, sources = _facts(phones, aliases, ages, region, network_size, place)
    return _Extracted(docs, phones, contacts, aliases, ages, place, features, sources)


def _indicators(
    assessment: Assessment,
    docs: Mapping[str, NormText],
    sources: Mapping[str, Sequence[Span]],
    network_size: int,
    network_id: str | None,
) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    for h in assessment.hits:
        description = h.description
        if h.source == "network":  # name the network the size was read from
            where = f"network {network_id}: " if network_id else ""
            description = f"{description} ({where}{network_size} ads)"
        out.append(
            Indicator(h.code, h.category, description, _evidence(h, docs, sources), h.weight)
        )
    return tuple(out)


def example(
    raw: RawAd,
    labels: Mapping[str, bool],
    *,
    group: str = "",
    region: str = "BE",
    network_size: int = 0,
) -> Example:
    """A labelled ad as the model's training input (`models.train.train`).

    This is the interface investigators' review decisions plug into: the review app's storage
    yields (RawAd, {"minor": bool, "trafficking": bool}) pairs, and each becomes an Example.
    """
    ex = _extract(raw, region, network_size)
    return Example(
        fields=tuple(ex.fields().items()),
        features=ex.features,
        minor=bool(labels.get("minor", False)),
        trafficking=bool(labels.get("trafficking", False)),
        group=group,
    )


_WARM_UP = RawAd(
    site="vigie", ad_id="warm-up", url="", title="Bonjour, Lina 25 ans",
    text="Bonjour, je m'appelle Lina, 25 ans, à Ixelles. Tél 0470 12 34 56. New in town.",
    location_text="Ixelles", lang="fr",
)  # fmt: skip


def prepare(region: str = "BE") -> None:
    """Make a long run of `analyze` ready: load what analysis loads on first use (the model,
    lexicons, gazetteer, name lists, spaCy) by analysing one ad, then hand everything loaded so
    far to `gc.freeze`. Those objects live as long as the process; unfrozen, every full
    collection of the cyclic garbage collector walks them again (~8 % of analysis CPU in
    `bench/analyze.py`). For batch entry points (`vigie analyze`, the crawler's store)."""
    analyze(_WARM_UP, region=region)
    gc.freeze()


def analyze(
    raw: RawAd,
    *,
    region: str = "BE",
    model: RiskModel | None = None,
    network_size: int = 0,
    network_id: str | None = None,
) -> Analysis:
    """Everything Vigie reads out of one ad. `region` is the default country for phones;
    `network_size` is the number of ads sharing a contact or photo with this one (itself
    included) when known, `network_id` the network it was read from (named in the evidence)."""
    ex = _extract(raw, region, network_size)
    assessment = (model or default_model()).assess(ex.fields(), ex.features)
    return Analysis(
        site=raw.site,
        ad_id=raw.ad_id,
        phones=tuple(ex.phones),
        contacts=tuple(ex.contacts),
        aliases=tuple(ex.aliases),
        ages=tuple(ex.ages),
        place=ex.place,
        images=raw.images,
        indicators=_indicators(assessment, ex.docs, ex.sources, network_size, network_id),
        minor_score=assessment.minor_score,
        trafficking_score=assessment.trafficking_score,
        flags=assessment.flags,
        model_version=assessment.model_version,
    )


def rescore(
    raw: RawAd,
    analysis: Analysis,
    *,
    network_size: int,
    network_id: str | None = None,
    region: str = "BE",
    model: RiskModel | None = None,
) -> Analysis:
    """`analysis` (of `raw`) scored again with a new `network_size`, once linking knows it.

    Only the model runs again: the phones, contacts, aliases, ages, place and image hashes are
    the stored analysis' own (extraction does not depend on the network); the texts are only
    normalised again, for the model's tokens and the evidence spans. Same result as
    `analyze(raw, network_size=..., network_id=...)` when `analysis` is `analyze(raw)`.
    """
    if (raw.site, raw.ad_id) != (analysis.site, analysis.ad_id):
        raise ValueError(
            f"analysis of {analysis.site}/{analysis.ad_id} given for ad {raw.site}/{raw.ad_id}"
        )
    docs = _docs(raw)
    features, sources = _facts(
        analysis.phones, analysis.aliases, analysis.ages, region, network_size, analysis.place
    )
    fields = {name: doc.text for name, doc in docs.items()}
    assessment = (model or default_model()).assess(fields, features)
    return replace(
        analysis,
        indicators=_indicators(assessment, docs, sources, network_size, network_id),
        minor_score=assessment.minor_score,
        trafficking_score=assessment.trafficking_score,
        flags=assessment.flags,
        model_version=assessment.model_version,
    )
