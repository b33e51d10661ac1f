"""What a format writer reads from: an export's header, then its indicators and networks as
iterators that can be walked more than once (MISP writes attributes, then objects; STIX lists
the indicators again in its report).

Two sources: `BundleSource` over an `ExchangeBundle` in memory (`dumps`, tests, the fuzzers) and
`spool.Spool`, which streams a database's ads through a temporary file (`exporter.export`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Protocol

from storage.exchange.model import (
    ExchangeBundle,
    ExchangeIndicator,
    ExchangeNetwork,
    ExportHeader,
)

Member = tuple[ExchangeNetwork, tuple[ExchangeIndicator, ...]]
"""A network and its member indicators, in the order of `network.indicator_ids`."""


class Output(Protocol):
    """Where a writer puts its bytes (a file, a BytesIO, the exporter's signing sink)."""

    def write(self, data: bytes, /) -> object: ...


class ExportSource(Protocol):
    """The contents of one export, read in order and in bounded memory."""

    @property
    def header(self) -> ExportHeader: ...

    @property
    def indicator_count(self) -> int: ...

    @property
    def network_count(self) -> int: ...

    def indicators(self) -> Iterator[ExchangeIndicator]:
        """Every indicator, in the export's order."""
        ...

    def networks(self) -> Iterator[Member]:
        """Every network with at least one exported indicator, with its member indicators."""
        ...

    def indicator_networks(self) -> Iterator[tuple[ExchangeIndicator, tuple[str, ...]]]:
        """Every indicator with the ids of the networks it belongs to (network order)."""
        ...


class BundleSource:
    """An `ExchangeBundle` as a source (networks' unknown indicator ids are left out)."""

    def __init__(self, bundle: ExchangeBundle) -> None:
        self._bundle = bundle

    @property
    def header(self) -> ExportHeader:
        return self._bundle.header

    @property
    def indicator_count(self) -> int:
        return len(self._bundle.indicators)

    @property
    def network_count(self) -> int:
        return len(self._bundle.networks)

    def indicators(self) -> Iterator[ExchangeIndicator]:
        return iter(self._bundle.indicators)

    def networks(self) -> Iterator[Member]:
        by_id = {i.id: i for i in self._bundle.indicators}
        for n in self._bundle.networks:
            yield n, tuple(by_id[i] for i in n.indicator_ids if i in by_id)

    def indicator_networks(self) -> Iterator[tuple[ExchangeIndicator, tuple[str, ...]]]:
        networks: dict[str, list[str]] = defaultdict(list)
        for n in self._bundle.networks:
            for indicator_id in n.indicator_ids:
                networks[indicator_id].append(n.network_id)
        for i in self._bundle.indicators:
            yield i, tuple(networks.get(i.id, ()))


class Counted:
    """A source whose indicator walks report each indicator to `tick` (a progress bar)."""

    def __init__(self, source: ExportSource, tick: Callable[[int], None]) -> None:
        self._source = source
        self._tick = tick

    @property
    def header(self) -> ExportHeader:
        return self._source.header

    @property
    def indicator_count(self) -> int:
        return self._source.indicator_count

    @property
    def network_count(self) -> int:
        return self._source.network_count

    def indicators(self) -> Iterator[ExchangeIndicator]:
        for i in self._source.indicators():
            self._tick(1)
            yield i

    def networks(self) -> Iterator[Member]:
        return self._source.networks()

    def indicator_networks(self) -> Iterator[tuple[ExchangeIndicator, tuple[str, ...]]]:
        for row in self._source.indicator_networks():
            self._tick(1)
            yield row
