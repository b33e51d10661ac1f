"""`vigie export`: the zone's indicators for other zones (STIX 2.1, MISP, CSV, Vigie JSON),
streamed from the database to the file with a progress bar on standard error.

Only what an export needs is imported here (not the linker nor the model that `vigie import`
runs), so that the command's own memory is the export's.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from vigie.commands.base import DatabaseOpt, Failure, app, edge, err, open_store, out, settings_for
from vigie.progressbar import export_progress


@app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    reason: Annotated[
        str | None, typer.Option(help="Why (case reference): required, kept in the audit trail.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="stix, misp, csv or vigie.")] = "vigie",
    since: Annotated[
        datetime | None, typer.Option(help="Only ads seen since (UTC date or date-time).")
    ] = None,
    min_score: Annotated[
        float | None, typer.Option("--min-score", min=0.0, max=1.0, help="Lowest risk score.")
    ] = None,
    flag: Annotated[str | None, typer.Option(help="Only ads flagged minor or trafficking.")] = None,
    network: Annotated[str | None, typer.Option(help="Only the ads of this network.")] = None,
    tlp: Annotated[str, typer.Option(help="TLP 2.0: clear, green, amber, amber+strict, red.")] = (
        "amber"
    ),
    pseudonymise: Annotated[
        bool, typer.Option("--pseudonymise", help="Replace values by HMAC under the shared key.")
    ] = False,
    sign: Annotated[
        Path | None, typer.Option("--sign", help="Sign with this private key (KEYFILE).")
    ] = None,
    recipient: Annotated[
        str, typer.Option(help="For whom the export is made (kept in the audit trail).")
    ] = "Brussels police zones",
    delimiter: Annotated[
        str, typer.Option(help="CSV cell separator: ';' (Excel, Belgian locales) or ','.")
    ] = ";",
    all_ads: Annotated[
        bool, typer.Option("--all", help="CSV: every ad's values, not only flagged ads'.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="No progress bar (none either off a terminal).")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Export indicators (phones, photo hashes, handles, aliases, networks) for other zones."""
    # The store and the formats (STIX, MISP) load only when an export runs, not for --help.
    from storage.columns import as_utc
    from storage.exchange.collect import ExportFilters
    from storage.exchange.exporter import export
    from storage.exchange.formats import FORMATS
    from storage.exchange.model import TLP_LEVELS
    from storage.exchange.pseudonym import PSEUDONYM_FILE, load_key
    from storage.exchange.signing import load_private

    with edge():
        if reason is None or not reason.strip():
            raise Failure('--reason is required: say why this export is made ("case ref")')
        if fmt not in FORMATS:
            raise Failure(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
        if tlp not in TLP_LEVELS:
            raise Failure(f"--tlp: expected one of {', '.join(TLP_LEVELS)}, got {tlp!r}")
        if flag is not None and flag not in ("minor", "trafficking"):
            raise Failure(f"--flag: expected minor or trafficking, got {flag!r}")
        if delimiter not in (";", ","):
            raise Failure(f"--delimiter: expected ';' or ',', got {delimiter!r}")
        # A spreadsheet is for reading: by default only flagged ads' values go in it.
        flags = (flag,) if flag else (
            ("minor", "trafficking") if fmt == "csv" and not all_ads else ())
        settings = settings_for(database)
        key = load_key(settings.keys / PSEUDONYM_FILE) if pseudonymise else None
        private = load_private(sign) if sign is not None else None
        filters = ExportFilters(
            since=as_utc(since) if since else None, min_score=min_score,
            flags=flags, network_id=network,
        )
        with open_store(settings) as store, export_progress(err, quiet=quiet) as progress:
            result = export(
                store, output, fmt=fmt, zone=settings.zone, actor=settings.user, reason=reason,
                tlp=tlp, filters=filters, recipient=recipient, pseudonym_key=key,
                signing_key=private, csv_delimiter=delimiter, progress=progress,
            )
        out.print(f"Exported {result.indicators} indicators, {result.networks} networks to "
                  f"{result.path} ({fmt}, TLP:{tlp.upper()}"
                  + (", pseudonymised" if key else "")
                  + (", flagged ads only; --all for every ad" if fmt == "csv" and not flag
                     and not all_ads else "") + ")")
        if result.signature:
            out.print(f"Signature: {result.signature}")
        if result.jws:
            out.print(f"JWS (EdDSA, detached; for MISP/OpenCTI operators): {result.jws}")
        else:
            out.print("[yellow]Not signed[/]: other zones will refuse it unless --allow-unsigned.")
