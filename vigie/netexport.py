"""Take networks away as graphs (`pipeline.graphexport`): read them and their ads from the store,
pseudonymise the values when asked (the zones' shared HMAC key, as exchange files do), write the
file(s) and audit the export like any other."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.graphexport import FORMATS, build_graph, write
from pipeline.types import AdKey, Analysis
from storage.audit import AuditLog
from storage.exchange.pseudonym import digest
from storage.networks import get_network
from storage.repository import Store
from storage.webqueries import ads_by_keys

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
    """Write the stored networks (or one, `network_id`, read alone) as a graph in `fmt`;
    audited (with `details` added to the audit entry's)."""
    if not reason.strip():
        raise GraphExportError('a graph export needs a reason (--reason "case reference")')
    if fmt not in FORMATS:
        raise GraphExportError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if network_id is not None:
        one = get_network(store.engine, network_id=network_id)
        if one is None:
            raise GraphExportError(f"no network {network_id!r}")
        networks = [one]
    else:
        networks = store.list_networks(min_zones=0)
    keys = [key for network in networks for key in network.members]
    stored = ads_by_keys(store.engine, keys=keys)
    ads: dict[AdKey, tuple[Analysis, dict[str, Any]]] = {
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
        for key, ad in stored.items()
    }
    pseudonym = None
    if pseudonym_key is not None:
        key = pseudonym_key

        def pseudonym(kind: str, value: str) -> str:
            platform = ""
            if kind == "handle":  # "whatsapp:+32…": the platform, then the handle
                platform, _, value = value.partition(":")
            return digest(key, _KINDS[kind], platform, value)

    graph = build_graph(networks, ads, pseudonym=pseudonym)
    files = write(graph, path, fmt)
    sha = hashlib.sha256()
    for file in files:
        sha.update(file.read_bytes())
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
            "networks": len(networks),
            "ads": len(ads),
            "pseudonymised": pseudonym_key is not None,
            **(details or {}),
        },
    )
    return GraphExport(
        files, len(networks), len(ads), graph.number_of_nodes(), graph.number_of_edges()
    )
