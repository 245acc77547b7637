"""Flask commands: thin wrappers that call services (seed, reindex, send-digests, analytics refresh, backup create /
restore)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from marketplace.extensions import db


def install(app: Flask) -> None:
    """Register the marketplace's commands on the app."""

    @app.cli.group("api-token")
    def api_token_group() -> None:
        """Create, list and revoke API tokens."""

    @api_token_group.command("create")
    @click.argument("email")
    @click.option("--scope", "scopes", multiple=True, default=("read",), show_default=True,
                  help="A scope (repeat for several): read, listings, needs, orders, statements.")
    @click.option("--name", default="command line", show_default=True, help="What the token is for.")
    def api_token_create(email: str, scopes: tuple[str, ...], name: str) -> None:
        """Create an API token for the user with this e-mail and print it (it is not shown again)."""
        from sqlalchemy import func, select

        from marketplace.accounts.models import User
        from marketplace.api.tokens import create_token
        from marketplace.errors import DomainError

        user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
        if user is None:
            raise click.ClickException(f"No user has the e-mail {email}.")
        try:
            token, secret = create_token(user, name, [s for part in scopes for s in part.split(",")])
        except DomainError as exc:
            raise click.ClickException(str(exc)) from None
        db.session.commit()
        click.echo(f"Token {token.id} for {user.email}, scopes: {token.scopes}")
        click.echo(secret)

    @api_token_group.command("revoke")
    @click.argument("token_id", type=int)
    def api_token_revoke(token_id: int) -> None:
        """Revoke a token by its id."""
        from marketplace.api.models import ApiToken
        from marketplace.api.tokens import revoke_token
        from marketplace.errors import DomainError

        token = db.session.get(ApiToken, token_id)
        if token is None:
            raise click.ClickException(f"There is no token {token_id}.")
        try:
            revoke_token(token.user, token_id)
        except DomainError as exc:
            raise click.ClickException(str(exc)) from None
        db.session.commit()
        click.echo(f"Token {token_id} ({token.name}) revoked.")

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
        from marketplace.analytics.aggregates import refresh_aggregates

        refresh_aggregates()
        click.echo("Analytics figures computed (needs' best matches follow once the search index is loaded).")

    @app.cli.command("reindex")
    @click.option("--if-needed", is_flag=True,
                  help="Only rebuild when the saved index is missing, foreign or damaged (a stale one catches up).")
    @click.option("--queue", is_flag=True,
                  help="Hand the encoding to the job workers in batches (any number of workers share it) and return.")
    @click.option("--encoder", default=None,
                  help="Prepare another encoder (e5, use, sentence-transformers) without changing what is served.")
    def reindex_command(if_needed: bool, queue: bool, encoder: str | None) -> None:
        """Rebuild the search index from the database, with a progress bar and an estimate of the time left.

        With --if-needed (what `make run` does) a usable saved index is only loaded and caught up; a cold
        build shows the same bar. Vectors already stored for a text are reused, so an interrupted run resumes.
        """
        from tqdm import tqdm

        engine = app.extensions["matching"]
        bars: list[tqdm] = []
        if queue or encoder:
            batches = engine.batches()
            if queue:
                task = app.extensions["jobs"].encode_task
                for batch in batches:
                    task(batch, encoder)
                click.echo(f"Queued {len(batches)} batches ({sum(map(len, batches))} documents) for the job workers"
                           f"{' (encoder ' + encoder + ')' if encoder else ''}; `flask jobs status` shows the queue.")
                return
            encoded = 0
            for batch in tqdm(batches, unit="batch", desc=f"encoding for {encoder}"):
                encoded += engine.encode_batch(batch, encoder)
            click.echo(f"Encoder {encoder} prepared: {encoded} texts encoded, the rest were stored already. Set "
                       f"MARKETPLACE_MATCHING_BACKEND={encoder} and run `flask reindex` to serve it.")
            return

        def progress(done: int, total: int) -> None:
            """Draw the encoding progress; tqdm estimates the time left from the rate so far."""
            if not bars:
                click.echo(f"Preparing {total} documents for the search index: texts encoded before are reused, the "
                           "others are encoded (the time left appears after the first batch)")
                bars.append(tqdm(total=total, unit="doc", desc="encoding"))
            bar = bars[0]
            bar.total = total
            bar.n = done
            bar.refresh()

        if if_needed:
            outcome = engine.ensure_index(progress=progress)
            for bar in bars:
                bar.close()
            index = engine.index()
            click.echo(f"Search index {outcome}: {len(index)} documents, version {index.version}")
            return
        count = engine.rebuild(progress=progress)
        for bar in bars:
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

    @app.cli.group("analytics")
    def analytics_group() -> None:
        """The analytics' precomputed figures."""

    @analytics_group.command("refresh")
    @click.option("--matches", type=int, default=None,
                  help="How many needs' best matches to recompute at most (default ANALYTICS_MATCH_BATCH, 200).")
    @click.option("--load-index/--no-load-index", default=True,
                  help="Load (or build) the search index first, so needs' best matches can be computed.")
    def analytics_refresh_command(matches: int | None, load_index: bool) -> None:
        """Recompute a batch of needs' best matches, then the map and the funnel."""
        from marketplace.analytics.aggregates import refresh_aggregates

        if load_index:
            app.extensions["matching"].ensure_index()
        done = refresh_aggregates(match_limit=matches)
        summarised = done["match_summaries"]
        click.echo(f"Analytics refreshed at {done['computed_at']:%Y-%m-%d %H:%M:%S} UTC; needs' best matches "
                   + ("not computed (search index not loaded)" if summarised is None else f"recomputed: {summarised}"))

    @app.cli.group("backup")
    def backup_group() -> None:
        """Back up the database and instance files into one archive, or restore one."""

    @backup_group.command("create")
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    def backup_create_command(path: Path | None) -> None:
        """Write a .tar.gz backup (database, instance files, manifest) to PATH, a folder, or instance/backups."""
        from marketplace.backup import BackupError, create_backup

        try:
            archive, manifest = create_backup(path)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
        click.echo(f"Backup written to {archive}")
        click.echo(f"Schema {', '.join(manifest['schema_revision'])}; {counts}; "
                   f"{len(manifest['instance_files'])} instance files; search index not included (derived)")

    @backup_group.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace a database that already holds data.")
    def backup_restore_command(archive: Path, force: bool) -> None:
        """Restore a backup into an empty database and instance folder, migrate it, rebuild or verify the index."""
        from marketplace.backup import BackupError, restore_backup

        try:
            result = restore_backup(archive, force=force)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items())
        migrated = "" if result["from_revision"] == result["revision"] else \
            f" (migrated from {', '.join(result['from_revision']) or 'nothing'})"
        click.echo(f"Restored {archive}: {counts}; {result['files']} instance files")
        click.echo(f"Schema {', '.join(result['revision'])}{migrated}; search index {result['index']}")
