"""`vigie networks`: list the stored networks; `vigie networks export`: take them away as a graph
(GraphML, GEXF, Neo4j CSV), audited."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vigie import console as show
from vigie import jsonrows
from vigie.commands.base import (
    DatabaseOpt,
    Failure,
    JsonOpt,
    app,
    edge,
    emit_json,
    open_store,
    out,
    settings_for,
)
from vigie.terminal import safe

networks_app = typer.Typer(
    help="List stored networks with the zones they span and their movement; export them as graphs.",
    invoke_without_command=True,
)
app.add_typer(networks_app, name="networks")


@networks_app.callback()
def networks(
    ctx: typer.Context,
    min_zones: Annotated[
        int,
        typer.Option("--min-zones", min=0, help="Only networks spanning at least this many zones."),
    ] = 0,
    limit: Annotated[
        int, typer.Option(min=1, help="How many at most (riskiest and largest first).")
    ] = 50,
    as_json: JsonOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """List stored networks with the zones they span and their movement."""
    if ctx.invoked_subcommand is not None:
        return
    with edge():
        settings = settings_for(database)
        with open_store(settings) as store:
            rows = store.list_networks(min_zones=min_zones, limit=limit)
            total = store.count_networks(min_zones=min_zones) if len(rows) == limit else len(rows)
        if as_json:
            emit_json(jsonrows.network(n) for n in rows)
        else:
            title = "Networks" if total == len(rows) else f"Networks ({len(rows)} of {total:,})"
            show.networks(out, rows, title=title)


@networks_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="File (a directory for neo4j).")],
    fmt: Annotated[
        str, typer.Option("--format", help="graphml, gexf (Gephi, Maltego) or neo4j (CSV).")
    ] = "graphml",
    network: Annotated[
        str | None, typer.Option("--network", help="Only this network (its id).")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="Why (case reference): required, kept in the audit trail.")
    ] = None,
    pseudonymise: Annotated[
        bool,
        typer.Option("--pseudonymise", help="Replace values by HMAC under the zones' shared key."),
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Export networks as a graph: ads, phones, handles, aliases and photo hashes as nodes, every
    link as an edge with its evidence. Audited like any export."""
    from storage.exchange.pseudonym import PSEUDONYM_FILE, load_key
    from vigie.netexport import GraphExportError, export_graph

    with edge():
        if reason is None or not reason.strip():
            raise Failure('--reason is required: say why this export is made ("case ref")')
        settings = settings_for(database)
        key = load_key(settings.keys / PSEUDONYM_FILE) if pseudonymise else None
        with open_store(settings) as store:
            try:
                result = export_graph(
                    store,
                    output,
                    fmt=fmt,
                    zone=settings.zone,
                    actor=settings.user,
                    reason=reason,
                    network_id=network,
                    pseudonym_key=key,
                )
            except GraphExportError as exc:
                raise Failure(str(exc)) from None
        files = ", ".join(safe(f) for f in result.files)
        out.print(
            f"Exported {result.networks} network(s), {result.ads} ads ({result.nodes} nodes, "
            f"{result.edges} edges) to {files} ({fmt}" + (", pseudonymised" if key else "") + ")",
            highlight=False,
        )
