"""The exchange part of `vigie demo`: two zones swap a signed, pseudonymised file.

Zone A (5344) works on the demo database and exports the indicators of the ads located in its
zone (with their scores and flags), signed with its key and pseudonymised under the zones'
shared key. (Only flagged ads would give no hit on the default corpus: its planted networks
seldom contain a flagged ad.) Zone B
(5341) keeps the ads of its own zone in a second, separate SQLite database, trusts A's key,
imports the file and looks for its ads sharing a phone, a handle or a photo with A's export:
the cross-zone hits. It then relinks its networks with A's indicators joined
(`vigie.crosslink`): the hits become networks "also seen by zone 5344", and alerts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storage.exchange.collect import ExportFilters
from storage.exchange.exporter import ExportResult, export
from storage.exchange.importer import ImportReport, import_file
from storage.exchange.matching import Match
from storage.exchange.pseudonym import create_key, install_key
from storage.exchange.signing import (
    PRIVATE_FILE,
    PUBLIC_FILE,
    create_keypair,
    load_private,
    load_public,
    trust,
    trusted_keys,
)
from storage.repository import Store
from vigie.crosslink import CrossLinkReport, link_with_imports

ZONE_A = "5344"
ZONE_B = "5341"


@dataclass(frozen=True, slots=True)
class ExchangeDemoResult:
    exported: ExportResult
    imported: ImportReport
    zone_b_ads: int
    hits: list[Match]
    linked: CrossLinkReport


def _zone_b_store(store: Store, path: Path, zone: str) -> tuple[Store, int]:
    """Zone B's own database: the demo ads located in zone B."""
    path.unlink(missing_ok=True)
    zone_b = Store.open(f"sqlite:///{path}")
    count = 0
    for raw, analysis in store.analyses():
        if analysis.zone == zone:
            zone_b.save(raw, analysis)
            count += 1
    return zone_b, count


def run_exchange_demo(
    store: Store, *, work_dir: Path, out: Console, zone_a: str = ZONE_A, zone_b: str = ZONE_B
) -> ExchangeDemoResult:
    """Run the two-zone exchange on the demo database `store`; print the cross-zone hits."""
    keys_a, keys_b = work_dir / f"zone-{zone_a}" / "keys", work_dir / f"zone-{zone_b}" / "keys"
    key_pair = create_keypair(keys_a, zone_a, overwrite=True)
    shared = create_key(keys_a / "pseudonym.key", overwrite=True)
    install_key(keys_b / "pseudonym.key", keys_a / "pseudonym.key")
    trust(keys_b, load_public(keys_a / PUBLIC_FILE))

    path = work_dir / f"zone-{zone_a}-export.json"
    exported = export(
        store, path, fmt="vigie", zone=zone_a, actor="demo-analyst-a",
        reason="demo: cross-zone exchange", tlp="amber", recipient=f"zone {zone_b}",
        filters=ExportFilters(ad_zones=(zone_a,)),
        pseudonym_key=shared, signing_key=load_private(keys_a / PRIVATE_FILE),
    )
    out.print(f"\n[bold]Exchange[/]: zone {zone_a} exported {exported.indicators} indicators of "
              f"the ads in its zone to {path.name} (signed, key {key_pair.fingerprint}; "
              "pseudonymised)")

    b_store, b_ads = _zone_b_store(store, work_dir / f"zone-{zone_b}.db", zone_b)
    with b_store:
        imported = import_file(
            b_store.engine, path, trusted=trusted_keys(keys_b), actor="demo-analyst-b",
            zone=zone_b,
        )
        linked = link_with_imports(b_store, own_zone=zone_b, pseudonym_key=shared)
        hits = linked.matches
        out.print(f"Zone {zone_b} ({b_ads} ads of its own) verified zone "
                  f"{imported.source_zone}'s signature and imported {imported.indicators} "
                  "indicators.")
        table = Table("zone B ad", "its flags", "shares with zone A", "A's flags",
                      title="Cross-zone hits")
        for m in hits:
            ad = b_store.get_ad(site=m.ad[0], ad_id=m.ad[1])
            shared_value = f"{m.kind} {m.local_value}"
            if m.kind == "image":
                shared_value += f" (±{m.distance} bits)"
            table.add_row(f"{m.ad[0]}/{m.ad[1]}", ", ".join(ad.flags) if ad else "-",
                          shared_value, ", ".join(m.indicator.flags) or "-")
    out.print(table)
    out.print(f"{len(hits)} cross-zone hits in zone {zone_b}.")
    joined = [n for n in linked.joined if zone_a in n.foreign_zones]
    through = sum(1 for n in joined for e in n.edges if e.kind.startswith("imported-"))
    out.print(f"Zone {zone_b} relinked: {len(joined)} of its {len(linked.networks)} networks are "
              f"also seen by zone {zone_a} ({sum(len(n.members) for n in joined)} ads, {through} "
              f"links through zone {zone_a}'s indicators); {linked.alerts_opened} new alerts on "
              "its dashboard.")
    return ExchangeDemoResult(exported, imported, b_ads, hits, linked)
