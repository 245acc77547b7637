"""Flask commands: thin wrappers that call services (seed, reindex, send-digests)."""
from __future__ import annotations

import click
from flask import Flask

from marketplace.extensions import db


def install(app: Flask) -> None:
    """Register the marketplace's commands on the app."""

    @app.cli.command("seed")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
    def seed_command(if_empty: bool) -> None:
        """Load the Guangdong demo data (organisations, listings, needs, cases)."""
        from seed.loader import DEMO_PASSWORD, is_empty, load

        if not is_empty():
            if if_empty:
                click.echo("Database already has data; seed skipped.")
                return
            raise click.ClickException("The database is not empty; seed loads into an empty database only.")
        counts = load()
        db.session.commit()
        click.echo("Seeded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        click.echo(f"Demo password for every seeded account: {DEMO_PASSWORD}")

    @app.cli.command("reindex")
    @click.option("--if-needed", is_flag=True,
                  help="Only rebuild when the saved index is missing, foreign or damaged (a stale one catches up).")
    def reindex_command(if_needed: bool) -> None:
        """Rebuild the search index from the database, with a progress bar (one process at a time)."""
        from tqdm import tqdm

        engine = app.extensions["matching"]
        if if_needed:
            outcome = engine.ensure_index()
            index = engine.index()
            click.echo(f"Search index {outcome}: {len(index)} documents, version {index.version}")
            return
        bar = tqdm(total=0, unit="doc", desc="encoding")

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        count = engine.rebuild(progress=progress)
        bar.close()
        click.echo(f"Indexed {count} documents into {engine.directory}")

    @app.cli.command("send-digests")
    def send_digests_command() -> None:
        """Send the day's digests: needs matching vendors' listings and new saved-search results."""
        from marketplace.notifications.digests import send_digests

        app.extensions["matching"].ensure_index()
        counts = send_digests()
        db.session.commit()
        click.echo("Digests: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
