"""Take networks away as graphs (`pipeline.graphexport`): read them and their ads from the store
a page of networks at a time, pseudonymise the values when asked (the zones' shared HMAC key, as
exchange files do), write the file(s) as they are read (`pipeline.graphwrite`) and audit the
export like any other."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.graphexport import FORMATS, network_items
from pipeline.graphwrite import GraphWriter
from pipeline.types import AdKey, Analysis, Network
from storage.audit import AuditLog
from storage.exchange.pseudonym import digest
from storage.networks import get_network, list_networks
from storage.repository import Store
from storage.webqueries import ads_by_keys

NETWORKS_PER_PAGE = 200
"""Networks read (with their members' ads) at a time: the bound on what an export holds."""

# The pseudonym's kind for each node kind (the exchange's own kinds, so values match its HMACs).
_KINDS = {"phone": "phone", "handle": "handle", "alias": "alias", "photo": "image"}


class GraphExportError(ValueError):
    """A graph export that cannot be made (unknown network or format, no reason)."""


@dataclass(frozen=True)
class GraphExport:
    files: list[Path]
    networks: int
    ads: int
    nodes: int
    edges: int


def export_graph(
    store: Store,
    path: Path,
    *,
    fmt: str,
    zone: str | None,
    actor: str,
    reason: str,
    network_id: str | None = None,
    pseudonym_key: bytes | None = None,
    details: Mapping[str, Any] | None = None,
) -> GraphExport:
    """Write the stored networks (or one, `network_id`) as a graph in `fmt`; audited."""
    if not reason.strip():
        raise GraphExportError('a graph export needs a reason (--reason "case reference")')
    if fmt not in FORMATS:
        raise GraphExportError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    pseudonym = None
    if pseudonym_key is not None:
        key = pseudonym_key

        def pseudonym(kind: str, value: str) -> str:
            platform = ""
            if kind == "handle":  # "whatsapp:+32…": the platform, then the handle
                platform, _, value = value.partition(":")
            return digest(key, _KINDS[kind], platform, value)

    if network_id is not None and get_network(store.engine, network_id=network_id) is None:
        raise GraphExportError(f"no network {network_id!r}")
    counts = {"networks": 0, "ads": 0}
    with GraphWriter(path, fmt, pseudonymised=pseudonym is not None) as writer:
        for page in _pages(store, network_id):
            ads = _ads(store, [key for network in page for key in network.members])
            for network in page:
                writer.add(*network_items(network, ads, pseudonym=pseudonym))
            counts["networks"] += len(page)
            counts["ads"] += len(ads)
    files = writer.files
    sha = hashlib.sha256()
    for file in files:
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 16), b""):
                sha.update(chunk)
    AuditLog(store.engine).record(
        actor=actor,
        action="export",
        zone=zone,
        object_type="network_graph",
        object_id=sha.hexdigest(),
        reason=reason.strip(),
        details={
            "file": path.name,
            "format": fmt,
            "network": network_id or "all",
            "networks": counts["networks"],
            "ads": counts["ads"],
            "pseudonymised": pseudonym_key is not None,
            **(details or {}),
        },
    )
    return GraphExport(files, counts["networks"], counts["ads"], writer.nodes, writer.edges)


def _pages(store: Store, network_id: str | None) -> Iterator[list[Network]]:
    """The networks to export, a page at a time (riskiest first), or the one asked for."""
    if network_id is not None:
        found = get_network(store.engine, network_id=network_id)
        if found is not None:
            yield [found]
        return
    offset = 0
    while page := list_networks(store.engine, min_zones=0, limit=NETWORKS_PER_PAGE,
                                offset=offset):
        yield page
        offset += len(page)


def _ads(store: Store, keys: list[AdKey]) -> dict[AdKey, tuple[Analysis, dict[str, Any]]]:
    """Each member's analysis and node attributes."""
    return {
        key: (
            ad.analysis,
            {
                "site": ad.site,
                "ad_id": ad.ad_id,
                "zone": ad.zone,
                "minor_score": round(ad.minor_score, 3),
                "trafficking_score": round(ad.trafficking_score, 3),
                "first_seen": ad.first_seen.isoformat(),
                "title": ad.raw.title,
            },
        )
        for key, ad in ads_by_keys(store.engine, keys=keys).items()
    }
