"""`vigie sites`: list and validate the site specs; `vigie sites check`: what a spec reads on one
page."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from crawlers.sitespec import load_spec, load_specs
from vigie import console as show
from vigie.commands.base import Failure, app, edge, out, settings_for

sites_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help="List the site specs and validate them; `vigie sites check` tries one on a page.",
)
app.add_typer(sites_app, name="sites")


@sites_app.callback()
def sites(ctx: typer.Context) -> None:
    """List the site specs and validate them."""
    if ctx.invoked_subcommand is not None:
        return
    with edge():
        settings = settings_for()
        show.sites(out, load_specs(settings.sites_dir))


@sites_app.command("check")
def check_cmd(
    site: Annotated[
        str, typer.Argument(help="Site name (a spec in the sites directory) or a YAML path.")
    ],
    url: Annotated[str, typer.Option("--url", help="The page to read (absolute URL).")],
    listing: Annotated[
        bool, typer.Option("--listing", help="Read it as a listing page (default: an ad page).")
    ] = False,
) -> None:
    """Fetch (or render, for render: browser) one page and print what every field of the spec
    extracts from it, with the source that matched. Nothing is stored."""
    from crawlers.sitecheck import check  # noqa: PLC0415 — httpx, Playwright: only here

    with edge():
        settings = settings_for()
        spec = load_spec(site, settings.sites_dir)
        if not url.startswith(("http://", "https://")):
            raise Failure(f"--url: expected an absolute http(s) URL, got {url!r}")
        try:
            report = check(
                spec,
                url,
                kind="listing" if listing else "ad",
                chromium=str(settings.chromium_path) if spec.browser else None,
            )
        except Exception as exc:  # noqa: BLE001 — a network or browser failure, said in one line
            raise Failure(
                f"could not read {url}: {type(exc).__name__}: {exc}".splitlines()[0]
            ) from None
        out.print(f"{escape(report.kind)} page {escape(report.url)} (HTTP {report.status or '—'})")
        for note in report.notes:
            out.print(f"  {escape(note)}")
        if listing:
            out.print(f"ad_links: {len(report.ad_links)} link(s)")
            for link in report.ad_links[:20]:
                out.print(f"  {escape(link)}")
            out.print(f"next_page: {escape(report.next_page[0]) if report.next_page else '—'}")
            return
        table = Table(title=f"{spec.name}: fields")
        for col in ("field", "source that matched", "values"):
            table.add_column(col)
        for result in report.fields:
            values = " ⏎ ".join(v[:120] for v in result.values[:5]) or "—"
            if len(result.values) > 5:
                values += f" (+{len(result.values) - 5})"
            source = result.source or f"nothing matched ({result.tried} source(s) tried)"
            table.add_row(result.name, escape(source), escape(values))
        out.print(table)
