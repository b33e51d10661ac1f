"""Core commands: the demo, crawling, site specs, stored ads and networks."""

from __future__ import annotations

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
    err,
    open_store,
    out,
    settings_for,
)
from vigie.terminal import safe

# crawlers.distributed.DEFAULT_PREFIX, written out so that the module (Redis, Scrapy) is imported
# only by a crawl; tests/vigie/cli/test_startup.py checks that the two agree.
DEFAULT_PREFIX = "vigie"


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic corpus.")] = 7,
    static_ads: Annotated[
        int, typer.Option("--static-ads", min=1, help="Ads on the static site.")
    ] = 60,
    js_ads: Annotated[
        int, typer.Option("--js-ads", min=1, help="Ads on the JavaScript site.")
    ] = 30,
    database: DatabaseOpt = None,
) -> None:
    """Serve the synthetic demo sites on loopback, crawl both, analyse, link, summarise."""
    from crawlers.sitespec import load_spec
    from storage.engine import redact_url
    from vigie.demo import DemoServer, generate
    from vigie.exchange_demo import run_exchange_demo
    from vigie.workflow import crawl_sites, link_stored

    with edge():
        settings = settings_for(database)
        specs = [
            load_spec("demo-static", settings.sites_dir),
            load_spec("demo-js", settings.sites_dir),
        ]
        corpus = generate(seed=seed, n_static=static_ads, n_js=js_ads)
        with DemoServer(corpus) as server, open_store(settings) as store:
            out.print(f"Demo sites on [bold]{server.base_url}[/] (loopback only)")
            out.print(f"Database: {safe(redact_url(settings.database))}")
            totals = {"demo-static": static_ads, "demo-js": js_ads}
            with show.crawl_progress(out, totals) as on_item:
                report = crawl_sites(
                    specs,
                    database_url=settings.database,
                    base_url=server.base_url,
                    chromium_path=str(settings.chromium_path),
                    region=settings.region,
                    log_level=settings.log_level,
                    on_item=on_item,
                )
            networks = link_stored(store, settings)
            show.summary(out, store, report, networks)
            # Two zones exchange a signed, pseudonymised indicator file (issue: exchange).
            run_exchange_demo(store, work_dir=settings.data_dir / "exchange-demo", out=out)
            out.print(
                "\nReview the flagged ads: [bold].venv/bin/vigie users add NAME[/] (asks a"
                " password), then [bold].venv/bin/vigie serve[/] and open http://127.0.0.1:8000/"
            )


@app.command("crawl")
def crawl_cmd(
    site: Annotated[
        str, typer.Argument(help="Site name (a spec in the sites directory) or a YAML path.")
    ],
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Override the spec's base_url.")
    ] = None,
    database: DatabaseOpt = None,
    redis: Annotated[
        str | None,
        typer.Option(
            "--redis",
            help="Redis URL of a shared frontier: run the same command on several machines (one"
            " PostgreSQL for all); a killed crawl started again resumes.",
        ),
    ] = None,
    redis_prefix: Annotated[
        str, typer.Option("--redis-prefix", help="Prefix of the frontier's keys in Redis.")
    ] = DEFAULT_PREFIX,
) -> None:
    """Crawl one site into the database, then relink the networks."""
    from crawlers.distributed import check_redis
    from crawlers.errors import CrawlerError
    from crawlers.outcome import REASON
    from crawlers.sitespec import load_spec
    from storage.errors import StorageError
    from storage.runs import RunLog
    from vigie.schedule import finish_run
    from vigie.workflow import crawl_sites, link_changes

    with edge():
        settings = settings_for(database)
        spec = load_spec(site, settings.sites_dir)
        if redis:
            try:
                check_redis(redis)  # before the store and the progress bar
            except CrawlerError as exc:
                raise Failure(str(exc)) from None
        with open_store(settings) as store:
            runlog = RunLog(store.engine)  # a manual crawl is a run too (`vigie runs`)
            run_id = runlog.start(site=spec.name, zone=settings.zone)
            try:
                with (
                    runlog.keep_alive(run_id),
                    show.crawl_progress(out, {spec.name: None}) as on_item,
                ):
                    report = crawl_sites(
                        [spec],
                        database_url=settings.database,
                        base_url=base_url,
                        chromium_path=str(settings.chromium_path),
                        region=settings.region,
                        log_level=settings.log_level,
                        on_item=on_item,
                        redis_url=redis,
                        redis_prefix=redis_prefix,
                    )
            except (CrawlerError, ValueError) as exc:
                runlog.finish(run_id, status="failed", message=str(exc))
                raise Failure(str(exc)) from None
            except BaseException:  # interrupted: the run must not stay "running"
                runlog.finish(run_id, status="failed", message="interrupted")
                raise
            site_stats = report.stats.get(spec.name, {})
            status = finish_run(runlog, run_id, site_stats)
            show.crawl_report(out, report)
            if status != "ok":  # reached nothing: say why, exit 1 (2 is for bad input)
                reason = site_stats.get(REASON) or "see the log"
                err.print(f"[bold red]crawl {status}:[/] {safe(reason)}", highlight=False)
                raise typer.Exit(1)
            # A worker ends only once the shared frontier is finished, so every ad is stored by
            # then; two workers ending together may race to replace the networks: one wins.
            try:
                count = link_changes(store, settings)  # what this crawl saved, into the networks
            except StorageError as exc:
                if not redis:
                    raise
                out.print(f"Networks not relinked here (another worker did at once): {safe(exc)}")
                return
            out.print(f"{count} networks after linking.")


@app.command()
def ads(
    flag: Annotated[
        str | None, typer.Option(help="Only ads with this flag: minor or trafficking.")
    ] = None,
    zone: Annotated[
        str | None, typer.Option(help="Only ads in this police zone (5339–5344).")
    ] = None,
    site: Annotated[str | None, typer.Option(help="Only ads of this site.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many at most.")] = 50,
    as_json: JsonOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """List stored ads, highest risk first."""
    with edge():
        if flag is not None and flag not in ("minor", "trafficking"):
            raise Failure(f"--flag: expected minor or trafficking, got {flag!r}")
        if zone is not None and zone not in {str(z) for z in range(5339, 5345)}:
            raise Failure(f"--zone: expected a Brussels police zone 5339–5344, got {zone!r}")
        settings = settings_for(database)
        with open_store(settings) as store:
            rows = store.list_ads(flag=flag, zone=zone, site=site, limit=limit)
        if as_json:
            emit_json(jsonrows.ad(r) for r in rows)
        else:
            show.ads(out, rows)
