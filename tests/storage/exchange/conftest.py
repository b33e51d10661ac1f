"""Fixtures for the exchange tests: a zone's database holding hand-built ads, an exchange
bundle covering every indicator kind, and key directories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.types import Analysis, Contact, ImageRef, PhoneMatch, Place, RawAd
from storage.exchange.model import ExchangeBundle, ExchangeIndicator, ExchangeNetwork
from storage.exchange.pseudonym import pseudonymise
from storage.repository import Store

SEEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = bytes(range(32))

AdBuilder = Callable[..., None]


def _place(zone: str | None) -> Place | None:
    if zone is None:
        return None
    return Place(commune="Ixelles", zone=zone, postcode=None, in_brussels=True, spans=())


@pytest.fixture
def open_store(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Store]]:
    """`open_store(name)`: a zone's own empty database, on the test's backend."""
    opened: list[Store] = []
    urls: dict[str, str] = {}

    def build(name: str) -> Store:
        if name not in urls and backend == "postgres":
            urls[name] = request.getfixturevalue("postgres_schemas").fresh(name)
        url = urls.setdefault(name, f"sqlite:///{tmp_path / name}.db")
        store = Store.open(url)
        opened.append(store)
        return store

    yield build
    for store in opened:
        store.close()


@pytest.fixture
def add_ad() -> AdBuilder:
    """Save one ad with the given phones, contacts (kind, value), aliases, image hashes."""

    def add(
        store: Store,
        ad_id: str,
        *,
        zone: str | None = "5339",
        phones: tuple[str, ...] = (),
        contacts: tuple[tuple[str, str], ...] = (),
        images: tuple[tuple[str, str], ...] = (),
        score: float = 0.0,
        flags: tuple[str, ...] = (),
    ) -> None:
        refs = tuple(
            ImageRef(f"http://127.0.0.1/img/{ad_id}-{n}.png", phash, dhash)
            for n, (phash, dhash) in enumerate(images)
        )
        raw = RawAd("demo-static", ad_id, f"http://127.0.0.1/ad/{ad_id}", "Titre", "Texte",
                    images=refs)
        analysis = Analysis(
            site=raw.site, ad_id=ad_id,
            phones=tuple(PhoneMatch(p, "BE", False, ()) for p in phones),
            contacts=tuple(Contact(k, v, ()) for k, v in contacts),
            place=_place(zone), images=refs, minor_score=score, flags=flags,
        )
        store.save(raw, analysis, seen_at=SEEN)

    return add


@pytest.fixture
def bundle() -> ExchangeBundle:
    """Every kind, in clear and pseudonymised, with flags, dates, zones and a network."""
    indicators = [
        ExchangeIndicator("phone", "+32470123456", score=0.82, flags=("minor",), first_seen=SEEN,
                          last_seen=SEEN, sightings=2, zones=("5339", "5340")),
        ExchangeIndicator("email", "lina.b@example.invalid", score=0.1, sightings=1),
        ExchangeIndicator("handle", "lina_b", platform="telegram", score=0.4,
                          flags=("minor", "trafficking"), sightings=1, zones=("5341",)),
        ExchangeIndicator("url", "https://example.invalid/p/l'ina", sightings=1),
        ExchangeIndicator("alias", "Lina", sightings=3),
        ExchangeIndicator("image", "ffee001122334455", platform="phash", score=1.0,
                          first_seen=SEEN, last_seen=SEEN, sightings=1),
        ExchangeIndicator("image", "0123456789abcdef", platform="dhash", sightings=1),
        pseudonymise(ExchangeIndicator("phone", "+32470999999", sightings=1), KEY),
        pseudonymise(ExchangeIndicator("handle", "nora", platform="snapchat"), KEY),
    ]
    network = ExchangeNetwork("Nabc123", (indicators[0].id, indicators[2].id, indicators[5].id),
                              ("5339", "5341"), 0.7)
    return ExchangeBundle(zone="5344", exported_at=SEEN, tlp="amber+strict",
                          indicators=tuple(indicators), networks=(network,),
                          pseudonym_key_id="0123456789abcdef")
