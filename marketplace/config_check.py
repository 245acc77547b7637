"""The production start check: every piece production needs, listed at once when missing.

`problems(app)` returns one sentence per missing piece; `flask config-check` prints them, and a production
web or job worker refuses to start with the same list (`require_production_ready`). Development and tests
(`MARKETPLACE_ENV=development`, TESTING) are not checked.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask

WEAK_SECRETS = {"dev-only-not-for-production", "test-secret", "changeme", "secret"}
MIN_SECRET_LENGTH = 32


class ConfigurationError(RuntimeError):
    """Production was started with missing pieces; the message lists all of them."""


def is_production(app: Flask) -> bool:
    """Tell whether the app runs the production configuration (MARKETPLACE_ENV unset or "production")."""
    return not app.testing and os.environ.get("MARKETPLACE_ENV", "production") == "production"


def settings_problems(app: Flask) -> list[str]:
    """Check the settings alone (no database or index access)."""
    config = app.config
    found = []
    secret = str(config.get("SECRET_KEY") or "")
    if secret in WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        found.append(f"MARKETPLACE_SECRET_KEY must be a random secret of at least {MIN_SECRET_LENGTH} characters "
                     "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`).")
    if not str(config.get("SQLALCHEMY_DATABASE_URI") or "").startswith("postgresql"):
        found.append("DATABASE_URL must point to PostgreSQL (postgresql+psycopg://…); SQLite is the embedded default.")
    if not str(config.get("JOBS_URL") or "").startswith(("redis://", "rediss://", "unix://")):
        found.append("MARKETPLACE_JOBS_URL must be a Redis URL shared by the web and job workers (redis://…).")
    if config.get("JOBS_IMMEDIATE"):
        found.append("MARKETPLACE_JOBS_IMMEDIATE must be off: web requests must not index or send mail themselves.")
    if not str(config.get("RATELIMIT_STORAGE_URI") or "").startswith(("redis://", "rediss://", "unix://")):
        found.append("MARKETPLACE_RATELIMIT_STORAGE_URI must be a Redis URL, so every worker counts the same limits.")
    if config.get("MAIL_BACKEND") != "smtp":
        found.append("MARKETPLACE_MAIL_BACKEND must be smtp in production (the file backend keeps mail on disk).")
    if not config.get("MAIL_SERVER") or (config.get("MAIL_SERVER") == "localhost" and not config.get("MAIL_USERNAME")
                                         and not config.get("MAIL_LOCAL_RELAY")):
        found.append("MARKETPLACE_MAIL_SERVER (with _PORT, _USERNAME, _PASSWORD, _USE_TLS) must name the mail server "
                     "(set MARKETPLACE_MAIL_LOCAL_RELAY=1 if a relay on localhost is intended).")
    if config.get("MATCHING_STORE") != "postgres":
        found.append("MARKETPLACE_MATCHING_STORE must be postgres (pgvector): the embedded index keeps a copy in "
                     "every web worker's memory and reloads files after each edit.")
    if config.get("WEBHOOK_ALLOW_LOCAL"):
        found.append("MARKETPLACE_WEBHOOK_ALLOW_LOCAL must be off: webhooks may then reach the platform's own "
                     "loopback services over plain http.")
    if not str(config.get("SITE_URL") or "").startswith("https://"):
        found.append("MARKETPLACE_SITE_URL must be the public https:// address (links in e-mails).")
    return found


def database_problems(app: Flask) -> list[str]:
    """Check that the database answers and its schema is at the migrations' head."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from marketplace.config import ROOT
    from marketplace.extensions import db

    try:
        with app.app_context(), db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the finding
        return [f"The database cannot be reached: {type(exc).__name__}: {str(exc)[:200]}"]
    heads = set(ScriptDirectory(str(ROOT / "migrations")).get_heads())
    if current != heads:
        return [f"The database schema is at {', '.join(sorted(current)) or 'nothing'}, not at "
                f"{', '.join(sorted(heads))}: run `flask db upgrade heads`."]
    return []


def index_problems(app: Flask) -> list[str]:
    """Check that the search index was built and saved (`flask reindex --if-needed` in the release step)."""
    from embeddings import store
    from marketplace.matching.engine import vocabulary_stamp
    from marketplace.matching.sync import STAMPS_FILE

    engine = app.extensions["matching"]
    if engine.persistent:
        return database_index_problems(app)
    directory = Path(engine.directory)
    version = store.manifest_version(directory)
    problem = "The search index in {} is {}: run `flask reindex --if-needed` before starting."
    if version == 0:
        return [problem.format(directory, "missing")]
    try:
        stamps = json.loads((directory / STAMPS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [problem.format(directory, "missing its change stamps")]
    if stamps.get("version") != version or stamps.get("vocabulary") != vocabulary_stamp():
        return [problem.format(directory, "from another build or vocabulary")]
    return []


def database_index_problems(app: Flask) -> list[str]:
    """Check the PostgreSQL search tables: pgvector installed, tables and vector index there, rows in step."""
    from marketplace.matching.documents import current_stamps

    engine = app.extensions["matching"]
    problem = "The search index in PostgreSQL is {}: run `flask reindex --if-needed` before starting."
    try:
        with app.app_context():
            backend = engine.index().backend
            stored = backend.stamps()
            wanted = engine._read(current_stamps)
    except Exception as exc:  # noqa: BLE001 - missing extension, tables or connection: the finding
        return [problem.format(f"not usable ({type(exc).__name__}: {str(exc)[:160]})")]
    behind = sum(1 for d, stamp in wanted.items() if stored.get(d) != stamp) + len(set(stored) - set(wanted))
    if behind > engine.catch_up_limit:
        return [problem.format(f"{behind} documents behind the records")]
    return []


def problems(app: Flask, database: bool = True, index: bool = True) -> list[str]:
    """Return every missing piece of a production start, one sentence each (empty: ready)."""
    found = settings_problems(app)
    if database:
        found += database_problems(app)
    if index:
        found += index_problems(app)
    return found


def require_production_ready(app: Flask, index: bool = True) -> None:
    """Refuse a production start with missing pieces, naming all of them in one message."""
    found = problems(app, index=index)
    if found:
        raise ConfigurationError("Production start refused; missing:\n" + "\n".join(f"- {p}" for p in found))
