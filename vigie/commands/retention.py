"""Retention commands: `vigie purge` (erase what the retention policy no longer justifies) and
`vigie retention report` (the review-period reminder for the data-protection officer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from vigie.commands.base import DatabaseOpt, Failure, app, edge, open_store, out, settings_for
from vigie.periods import MAX_MONTHS
from vigie.terminal import safe
from vigie.timezone import local_day

if TYPE_CHECKING:  # the store loads when a command runs, not for `--help`
    from storage.retention import PurgeResult
    from storage.retention_report import RetentionReport

retention_app = typer.Typer(
    help="Retention: the review-period reminder for the data-protection officer.",
    no_args_is_help=True,
)
app.add_typer(retention_app, name="retention")


def _summary(result: PurgeResult) -> None:
    verb = "Would erase" if result.dry_run else "Erased"
    out.print(f"{verb} {result.ads} ads last seen before {local_day(result.cutoff)} "
              f"(retention {result.months} months): {result.total_rows} rows in all.")
    if result.ads:
        out.print("  rows: " + ", ".join(f"{t} {n}" for t, n in result.rows.items() if n))
        out.print("  by site: " + ", ".join(f"{safe(s)} {n}" for s, n in result.by_site.items()))
    kept = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in result.kept.items())
    out.print(f"Kept past the cut-off (an ad may count twice): {kept}.")
    if result.dry_run:
        out.print("Dry run: nothing was erased.")
    else:
        out.print(f"Audit trail: one 'purge' entry per ad and a summary (batch {result.batch}).")


@app.command("purge")
def purge_cmd(
    reason: Annotated[
        str | None,
        typer.Option(help="Why (policy, DPO request): required unless --dry-run; audited."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be erased; erase nothing.")
    ] = False,
    older_than: Annotated[
        int | None,
        typer.Option("--older-than", min=1, max=MAX_MONTHS, metavar="MONTHS",
                     help="Retention period in months (default: VIGIE_RETENTION_MONTHS)."),
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Erase ads last seen more than the retention period ago that nothing keeps.

    An ad is kept if it or an ad of its network is flagged, if an investigator reviewed it, or
    if an open watchlist alert names it. Everything else about an erased ad goes: versions,
    analyses, evidence, phones, contacts, image URLs and hashes, aliases, flags, closed alerts,
    and the networks it was in (rebuilt at once from the ads that remain). One transaction; each
    erasure is audited by the ad's internal id (and an HMAC of its key when VIGIE_SECRET_KEY is
    set), never by its content.
    """
    from storage.retention import purge

    with edge():
        if not dry_run and (reason is None or not reason.strip()):
            raise Failure('--reason is required: say why this purge is made ("retention policy")')
        settings = settings_for(database)
        months = older_than or settings.retention_months
        key = settings.secret_key.encode() if settings.secret_key else None
        with open_store(settings) as store:
            result = purge(
                store.engine, months=months, actor=settings.user, zone=settings.zone,
                reason=reason or "", dry_run=dry_run, reference_key=key,
            )
            if result.ads and not dry_run:  # the erased ads' networks were dropped: rebuild
                from vigie.workflow import link_changes

                link_changes(store, settings)  # only the networks the erased ads were joined to
        _summary(result)


def _print_report(report: RetentionReport, limit: int) -> None:
    out.print(f"Retention {report.retention_months} months (cut-off "
              f"{local_day(report.retention_cutoff)}), review {report.review_months} months "
              f"(cut-off {local_day(report.review_cutoff)}).")
    out.print(f"Due for erasure now: {report.due} ads (run 'vigie purge --dry-run' to see "
              "what a purge would erase).")
    out.print(f"Held past retention, reason older than the review period: {len(report.held)} ads.")
    if report.held:
        table = Table("ad", "last seen", "kept because", "since", title="Held past review")
        for held in report.held[:limit]:
            table.add_row(safe(f"{held.site}/{held.ad_id}"), local_day(held.last_seen),
                          safe("; ".join(held.reasons)), local_day(held.since))
        out.print(table)
        if len(report.held) > limit:
            out.print(f"… and {len(report.held) - limit} more (--limit).")
    out.print(f"Imported files held past the review period: {len(report.imports)}.")
    if report.imports:
        table = Table("file", "from zone", "imported", "indicators", title="Imports past review")
        for held_file in report.imports[:limit]:
            table.add_row(safe(held_file.file_name), safe(held_file.source_zone),
                          local_day(held_file.imported_at), str(held_file.indicators))
        out.print(table)
    oldest = local_day(report.audit_oldest) if report.audit_oldest else "none"
    out.print(f"Audit trail: {report.audit_entries} entries, oldest {oldest} (its own retention: "
              "'vigie audit purge', VIGIE_AUDIT_RETENTION_MONTHS; 'vigie audit verify' checks it).")


@retention_app.command("report")
def report_cmd(
    review_months: Annotated[
        int | None,
        typer.Option("--review-months", min=1, max=MAX_MONTHS, metavar="MONTHS",
                     help="Review period (default: VIGIE_REVIEW_MONTHS)."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows shown per list.")] = 200,
    database: DatabaseOpt = None,
) -> None:
    """The review-period reminder: data held past its review date.

    Lists (1) the ads kept past the retention period (VIGIE_RETENTION_MONTHS) whose newest
    reason to keep them — a flag, an investigator's decision, an open watchlist alert — is
    older than the review period (VIGIE_REVIEW_MONTHS): close the alert, review the ad again
    or let the next purge erase it; (2) other zones' imported files held longer than the review
    period; (3) how many ads a purge would erase now; (4) the audit trail's size and age.
    The listing names ads by site and id only, and is itself recorded in the audit trail.
    """
    from storage.audit import AuditLog
    from storage.retention_report import retention_report

    with edge():
        settings = settings_for(database)
        with open_store(settings) as store:
            report = retention_report(
                store.engine, retention_months=settings.retention_months,
                review_months=review_months or settings.review_months,
            )
            AuditLog(store.engine).record(
                actor=settings.user, action="retention_report", zone=settings.zone,
                details={"held": len(report.held), "imports": len(report.imports),
                         "due": report.due},
            )
        _print_report(report, limit)
