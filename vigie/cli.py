"""`vigie` — the command line. Thin: parse options, call the layers, render with rich.

Any failure is translated at one edge into a one-line message and exit code 2 (1 when a batch
had to skip lines): see `vigie.commands.base`. Each capability's commands live in a module of
`vigie/commands/`; importing it registers them on the one Typer app.

The modules are imported only when one of their commands runs (or its help is asked for):
`vigie --help`, `vigie --version` and shell completion of command names load Typer and rich
only, not Scrapy, scikit-learn, jsonschema or Alembic. The list below gives, for each command,
its module(s) and the first paragraph of its help, shown by `vigie --help` without importing
the module; tests/vigie/cli/test_startup.py checks it against the commands themselves.
"""

from __future__ import annotations

from vigie.commands.base import LazyCommand, app, register_lazy

LAZY_COMMANDS = (
    LazyCommand(
        "analyze",
        ("batch",),
        "Analyse ads in batch (JSON Lines in, JSON Lines out, same order).",
    ),
    LazyCommand(
        "demo",
        ("core",),
        "Serve the synthetic demo sites on loopback, crawl both, analyse, link, "
        "summarise.",
    ),
    LazyCommand(
        "crawl",
        ("core",),
        "Crawl one site into the database, then relink the networks.",
    ),
    LazyCommand(
        "sites",
        ("sites",),
        "List the site specs and validate them; `vigie sites check` tries one on a page.",
    ),
    LazyCommand(
        "ads",
        ("core",),
        "List stored ads, highest risk first.",
    ),
    LazyCommand(
        "networks",
        ("networks",),
        "List stored networks with the zones they span and their movement; export them as "
        "graphs.",
    ),
    LazyCommand(
        "runs",
        ("schedule",),
        "List crawl runs, newest first, with what each found (or one scheduled run's "
        "log).",
    ),
    LazyCommand(
        "schedule",
        ("schedule",),
        "Run the crawl daemon: each site on its cron schedule, outcomes stored "
        "(`vigie runs`).",
    ),
    LazyCommand(
        "export",
        ("export",),
        "Export indicators (phones, photo hashes, handles, aliases, networks) for "
        "other zones.",
    ),
    LazyCommand(
        "import",
        ("exchange",),
        "Import another zone's signed exchange file (its signer must be a trusted "
        "zone).",
    ),
    LazyCommand(
        "matches",
        ("exchange",),
        "Local ads sharing a phone, handle, email or photo with another zone's "
        "imported indicators.",
    ),
    LazyCommand(
        "keys",
        ("exchange",),
        "The zone's exchange keys: signing pair, trusted zones, shared "
        "pseudonymisation key.",
    ),
    LazyCommand(
        "images",
        ("images",),
        "Photos: match pictures as Vigie links them.",
    ),
    LazyCommand(
        "link",
        ("linking",),
        'Link ads into networks: one line per ad, {"id", "network"} (null: links to '
        "nothing).",
    ),
    LazyCommand(
        "train",
        ("model",),
        "Train the risk model on the synthetic, hand-written and blind dev ads (never a test or "
        "sealed split), each hand weighing the same, and save it.",
    ),
    LazyCommand(
        "evaluate",
        ("extraction", "linking", "model"),
        "Measure Vigie against labelled data (extraction, model, networks).",
    ),
    LazyCommand(
        "purge",
        ("retention",),
        "Erase ads last seen more than the retention period ago that nothing keeps.",
    ),
    LazyCommand(
        "retention",
        ("retention",),
        "Retention: the review-period reminder for the data-protection officer.",
    ),
    LazyCommand(
        "audit",
        ("audit",),
        "The audit trail: export it (CSV or JSON Lines), verify its hash chain, apply"
        " its retention period.",
    ),
    LazyCommand(
        "serve",
        ("web",),
        "Serve the investigators' review app (log in with an account from `vigie "
        "users add`).",
    ),
    LazyCommand(
        "users",
        ("web",),
        "Accounts of the review app.",
    ),
    LazyCommand(
        "db",
        ("db",),
        "The database schema: upgrade it to this Vigie's version, show its revision.",
    ),
)
register_lazy(LAZY_COMMANDS)

__all__ = ["app"]

if __name__ == "__main__":  # pragma: no cover
    app()
