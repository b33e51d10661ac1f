"""`vigie audit`: the audit trail for the data-protection officer — export (CSV or JSON Lines,
itself audited), `vigie audit verify` (the hash chain) and `vigie audit purge` (the trail's own
retention, `VIGIE_AUDIT_RETENTION_MONTHS`)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from vigie.commands.base import DatabaseOpt, Failure, app, edge, open_store, out, settings_for
from vigie.terminal import safe

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

audit_app = typer.Typer(
    help="The audit trail: export it (CSV or JSON Lines), verify its hash chain, apply its "
    "retention period.",
    invoke_without_command=True,
)
app.add_typer(audit_app, name="audit")

FIELDS = ("id", "at_utc", "at_brussels", "actor", "zone", "action", "description", "object_type",
          "object_id", "reason", "details", "prev_hash", "entry_hash")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@audit_app.callback()
def audit_export(
    ctx: typer.Context,
    since: Annotated[
        datetime | None, typer.Option(help="Only entries from this date or date-time (UTC).")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(help="Only entries before this date or date-time (UTC).")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only this user's entries.")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action (e.g. search).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json (one object a line).")] = "csv",
    lang: Annotated[str, typer.Option(help="Language of the descriptions: fr, nl or en.")] = "fr",
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write; '-' for standard output.")
    ] = Path("-"),
    database: DatabaseOpt = None,
) -> None:
    """Export the audit trail, oldest first, each entry with a readable translated description.

    The export is itself recorded in the trail (action audit_export, with its filters).
    """
    if ctx.invoked_subcommand is not None:
        return
    from storage.audit import ACTIONS, AuditLog
    from vigie.audit_text import LANGS

    with edge():
        if fmt not in ("csv", "json"):
            raise Failure(f"--format: expected csv or json, got {fmt!r}")
        if lang not in LANGS:
            raise Failure(f"--lang: expected one of {', '.join(LANGS)}, got {lang!r}")
        if action is not None and action not in ACTIONS:
            raise Failure(f"--action: expected one of {', '.join(sorted(ACTIONS))}, got {action!r}")
        settings = settings_for(database)
        filters = {"since": _utc(since), "until": _utc(until), "actor": user, "action": action}
        with open_store(settings) as store:
            # Recorded first: an export that fails half-way was still attempted.
            AuditLog(store.engine).record(
                actor=settings.user, action="audit_export", zone=settings.zone, object_type="audit",
                details={"format": fmt, "filters": {k: v.isoformat() if isinstance(v, datetime)
                                                    else v for k, v in filters.items()}},
            )
            dst = sys.stdout if str(output) == "-" else output.open(
                "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
            try:
                count = _write(dst, fmt, _rows(store.engine, filters, lang))
            finally:
                if dst is not sys.stdout:
                    dst.close()
        if str(output) != "-":
            out.print(f"{count} audit entries written to {safe(output)} ({fmt}).", highlight=False)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _rows(engine: Engine, filters: dict[str, Any], lang: str) -> Iterator[dict[str, Any]]:
    from storage.audit import AuditLog
    from vigie.audit_text import describe
    from vigie.timezone import local_time

    for entry in AuditLog(engine).iter_entries(**filters):
        yield {
            "id": entry.id, "at_utc": entry.at.isoformat(), "at_brussels": local_time(entry.at),
            "actor": entry.actor, "zone": entry.zone, "action": entry.action,
            "description": describe(entry, lang), "object_type": entry.object_type,
            "object_id": entry.object_id, "reason": entry.reason, "details": entry.details,
            "prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash,
        }


def _write(dst: TextIO, fmt: str, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    if fmt == "json":
        for row in rows:
            dst.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            count += 1
        return count
    # For Belgian spreadsheets: ';', a byte-order mark (file output), no cell read as a formula.
    writer = csv.writer(dst, delimiter=";", lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in rows:
        row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True,
                                    default=str)
        writer.writerow([_cell(row[name]) for name in FIELDS])
        count += 1
    return count


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


@audit_app.command("verify")
def audit_verify(database: DatabaseOpt = None) -> None:
    """Check the audit trail's hash chain: finds an entry changed or removed since it was written.

    Exits 1 when the chain is broken. Note the head it prints: removing the newest entries
    leaves no broken link, but changes the head.
    """
    from storage.audit import AuditLog
    from storage.auditchain import verify

    with edge():
        settings = settings_for(database)
        with open_store(settings) as store:
            with store.engine.connect() as conn:
                result = verify(conn)
            AuditLog(store.engine).record(
                actor=settings.user, action="audit_verify", zone=settings.zone,
                object_type="audit", details={"entries": result.entries, "ok": result.ok,
                                              "breaks": len(result.breaks)},
            )
    anchor = f", starting at the purge record before entry {result.anchored_at}" if (
        result.anchored_at) else ""
    out.print(f"{result.entries} entries checked{anchor}; head: entry {result.head_id} "
              f"{result.head_hash}", highlight=False)
    if result.ok:
        out.print("Audit trail intact: every entry matches its hash and follows the one before.",
                  highlight=False)
        return
    for broken in result.breaks:
        out.print(f"[bold red]broken:[/] {broken.describe()}", highlight=False)
    raise typer.Exit(1)


@audit_app.command("purge")
def audit_purge(
    older_than: Annotated[
        int | None,
        typer.Option("--older-than", min=1, max=120, metavar="MONTHS",
                     help="Retention of the trail (default: VIGIE_AUDIT_RETENTION_MONTHS)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be removed; remove nothing.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Remove audit entries older than the trail's retention period, and record that it did.

    The record keeps the number removed, the cut-off and the hash of the last entry removed:
    `vigie audit verify` starts the chain from it.
    """
    from storage.auditchain import purge_audit
    from storage.engine import write_engine
    from storage.retention import months_before

    with edge():
        settings = settings_for(database)
        months = older_than or settings.audit_retention_months
        cutoff = months_before(datetime.now(UTC), months)
        with open_store(settings) as store, write_engine(store.engine).begin() as conn:
            result = purge_audit(conn, cutoff=cutoff, months=months, actor=settings.user,
                                 zone=settings.zone, dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    out.print(f"{verb} {result.removed} audit entries older than {cutoff:%Y-%m-%d} "
              f"(retention {months} months).", highlight=False)
    if result.record_id is not None:
        out.print(f"Recorded as audit entry {result.record_id}.", highlight=False)
