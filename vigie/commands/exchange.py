"""Exchange commands: `vigie import`, `vigie matches` and the `vigie keys` group
(the zone's signing key pair, the trusted zone keys, the zones' shared pseudonymisation key)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from vigie import jsonrows
from vigie.commands.base import (
    DatabaseOpt,
    Failure,
    JsonOpt,
    app,
    edge,
    emit_json,
    err,
    open_store,
    out,
    settings_for,
)
from vigie.terminal import safe

# The store, the exchange formats, the linker and the keys' cryptography are imported by each
# command when it runs: `vigie import --help` or `vigie keys --help` load none of them.

keys_app = typer.Typer(
    help="The zone's exchange keys: signing pair, trusted zones, shared pseudonymisation key.",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="An exchange file (Vigie JSON, STIX, MISP, CSV).")],
    verify: Annotated[
        bool, typer.Option("--verify", help="Only check signature and content; write nothing.")
    ] = False,
    allow_unsigned: Annotated[
        bool, typer.Option("--allow-unsigned", help="Accept a file that is not signed.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Import another zone's signed exchange file (its signer must be a trusted zone)."""
    from storage.exchange.importer import check_file, import_file
    from storage.exchange.signing import trusted_keys
    from vigie.crosslink import link_with_imports, shared_pseudonym_key
    from vigie.rescoring import rescoring

    with edge():
        settings = settings_for(database)
        trusted = trusted_keys(settings.keys)
        if verify:
            checked = check_file(file, trusted=trusted, allow_unsigned=allow_unsigned)
            who = f"signed by zone {checked.signer.zone}" if checked.signer else "UNSIGNED"
            out.print(f"{safe(file.name)}: valid {checked.format} file of zone "
                      f"{safe(checked.source_zone)}, "
                      f"{who}, {len(checked.bundle.indicators)} indicators (nothing written)")
            _print_skipped(checked.bundle.skipped)
            return
        with open_store(settings) as store:
            report = import_file(
                store.engine, file, trusted=trusted, actor=settings.user, zone=settings.zone,
                allow_unsigned=allow_unsigned,
            )
            # The new indicators join the networks and raise alerts now, not at the next crawl.
            # Also when the file was imported before: a run stopped between the import's commit
            # and its alerts is completed by running it again (alerts are raised once each).
            linked = link_with_imports(store, own_zone=settings.zone,
                                       pseudonym_key=shared_pseudonym_key(settings),
                                       before_store=rescoring(store, region=settings.region))
        if report.signer is None:
            err.print(f"[bold yellow]warning:[/] {safe(file.name)} is NOT signed: its zone "
                      f"({safe(report.source_zone)}) is what the file says, unverified")
        _print_skipped(report.skipped)
        if not report.added:
            out.print(f"{safe(file.name)} was imported before: no new indicator"
                      + (f"; {linked.alerts_opened} alerts completed." if linked.alerts_opened
                         else "; nothing changed."))
            return
        out.print(f"Imported {report.indicators} indicators and {report.networks} networks "
                  f"from zone {safe(report.source_zone)} ({report.format}).")
        if linked.matches:
            out.print(f"{len({m.ad for m in linked.matches})} local ads match other zones' "
                      f"indicators: {len(linked.joined)} networks also seen by another zone, "
                      f"{linked.alerts_opened} new alerts.")


def _print_skipped(skipped: tuple[str, ...]) -> None:
    if skipped:
        out.print("Skipped (not understood by Vigie): " + safe("; ".join(skipped)))


@app.command("matches")
def matches_cmd(
    max_distance: Annotated[
        int, typer.Option("--max-distance", min=0, max=16, help="Image hash bits that may differ.")
    ] = 6,
    as_json: JsonOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """Local ads sharing a phone, handle, email or photo with another zone's imported indicators."""
    from storage.exchange.matching import matches
    from vigie.crosslink import shared_pseudonym_key

    with edge():
        settings = settings_for(database)
        key = shared_pseudonym_key(settings)
        with open_store(settings) as store:
            found = matches(store, own_zone=settings.zone, pseudonym_key=key,
                            max_distance=max_distance)
        if as_json:
            emit_json(jsonrows.match(m) for m in found)
            return
        table = Table("ad", "zone", "shares", "with zone", "file", title="Cross-zone hits")
        for m in found:
            shares = f"{m.kind} {safe(m.local_value)}" + (
                " (HMAC)" if m.indicator.pseudonymised else "")
            if m.kind == "image":
                shares += f" ±{m.distance} bits"
            table.add_row(safe(f"{m.ad[0]}/{m.ad[1]}"), safe(m.ad_zone or "?"), shares,
                          safe(m.source_zone), safe(m.indicator.file_name))
        out.print(table)


@keys_app.command("init")
def keys_init(
    overwrite: Annotated[bool, typer.Option(help="Replace an existing key pair.")] = False,
) -> None:
    """Create this zone's Ed25519 signing key pair (the private key is written 0600)."""
    from storage.exchange.signing import PRIVATE_FILE, PUBLIC_FILE, create_keypair

    with edge():
        settings = settings_for()
        key = create_keypair(settings.keys, settings.zone, overwrite=overwrite)
        out.print(f"Key pair of zone {key.zone} in {settings.keys} (fingerprint {key.fingerprint})")
        out.print(f"Give the other zones {settings.keys / PUBLIC_FILE}; sign with "
                  f"--sign {settings.keys / PRIVATE_FILE}")


@keys_app.command("trust")
def keys_trust(
    public_key: Annotated[Path, typer.Argument(help="Another zone's signing.pub file.")],
) -> None:
    """Trust a zone's public key (replaces the key trusted before for that zone)."""
    from storage.exchange.signing import load_public, trust

    with edge():
        settings = settings_for()
        key = load_public(public_key)
        trust(settings.keys, key)
        out.print(f"Zone {key.zone} trusted (key {key.fingerprint}).")


@keys_app.command("untrust")
def keys_untrust(zone: Annotated[str, typer.Argument(help="The zone, 5339–5344.")]) -> None:
    """Stop trusting a zone's key."""
    from storage.exchange.model import ZONES
    from storage.exchange.signing import untrust

    with edge():
        if zone not in ZONES:
            raise Failure(f"expected a Brussels police zone 5339–5344, got {zone!r}")
        settings = settings_for()
        removed = untrust(settings.keys, zone)
        out.print(f"Zone {zone} " + ("no longer trusted." if removed else "was not trusted."))


@keys_app.command("list")
def keys_list() -> None:
    """This zone's key, the trusted zone keys, and the shared pseudonymisation key's id."""
    from storage.exchange.pseudonym import PSEUDONYM_FILE, key_id, load_key
    from storage.exchange.signing import PUBLIC_FILE, load_public, trusted_keys

    with edge():
        settings = settings_for()
        own = settings.keys / PUBLIC_FILE
        out.print(f"Zone {settings.zone}; keys in {settings.keys}")
        out.print(f"own key: {load_public(own).fingerprint if own.exists() else 'none'}")
        for key in trusted_keys(settings.keys):
            out.print(f"trusted: zone {key.zone} key {key.fingerprint}")
        path = settings.keys / PSEUDONYM_FILE
        out.print(f"pseudonymisation key: {key_id(load_key(path)) if path.exists() else 'none'}")


@keys_app.command("pseudonym-new")
def keys_pseudonym_new(
    overwrite: Annotated[bool, typer.Option(help="Replace the existing key.")] = False,
) -> None:
    """Generate the zones' shared pseudonymisation key (once, then distribute it)."""
    from storage.exchange.pseudonym import PSEUDONYM_FILE, create_key, key_id

    with edge():
        settings = settings_for()
        key = create_key(settings.keys / PSEUDONYM_FILE, overwrite=overwrite)
        out.print(f"Pseudonymisation key {key_id(key)} written (0600) to "
                  f"{settings.keys / PSEUDONYM_FILE}; hand it to the other zones securely.")


@keys_app.command("pseudonym-install")
def keys_pseudonym_install(
    source: Annotated[Path, typer.Argument(help="The shared key file received.")],
) -> None:
    """Install the zones' shared pseudonymisation key received from another zone."""
    from storage.exchange.pseudonym import PSEUDONYM_FILE, install_key, key_id

    with edge():
        settings = settings_for()
        key = install_key(settings.keys / PSEUDONYM_FILE, source)
        out.print(f"Pseudonymisation key {key_id(key)} installed.")
