"""Write locks that hold on every database the app runs on, so money and cap rules are rules everywhere.

A rule such as "the 模型券 used this year never exceeds the cap" is a read followed by a write. It only holds
if nobody else can write between the two. PostgreSQL gives row locks (`SELECT … FOR UPDATE`) and named
transaction locks (`pg_advisory_xact_lock`). SQLite has neither, and Python's driver runs SELECTs outside
any transaction until the first INSERT/UPDATE/DELETE, so there a read-then-write is not atomic at all.
The SQLite path therefore takes the database's single write lock up front (`BEGIN IMMEDIATE`): from then
on this transaction reads and writes alone until it commits or rolls back.

Every service that checks a money or cap rule calls `lock_row` or `lock_name` *before* reading what it
checks, then re-reads the rows it loaded earlier (`db.session.refresh`).
"""
from __future__ import annotations

from typing import ClassVar, Protocol, TypeVar

from flask import Flask
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.pool import ConnectionPoolEntry

from marketplace.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 30_000


class Keyed(Protocol):
    """A mapped model class with an integer primary key column `id`."""

    id: ClassVar[InstrumentedAttribute[int]]


KeyedT = TypeVar("KeyedT", bound=Keyed)


def dialect() -> str:
    """Return the name of the database dialect the session is bound to."""
    return db.session.get_bind().dialect.name


def hold_sqlite_write_lock() -> None:
    """Start an IMMEDIATE transaction on SQLite unless this connection already holds the write lock.

    The driver only opens a transaction before a data change, and a data change takes the write lock, so
    a connection that is already in a transaction already holds it.
    """
    connection = db.session.connection()
    raw = connection.connection.dbapi_connection
    if raw is None:  # only once the connection is closed or invalidated; session.connection() hands out live ones
        raise RuntimeError("the session's database connection is closed")
    if not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_row(model: type[Keyed], row_id: int) -> None:
    """Lock one row of a model for the rest of the transaction (SQLite: the whole database's write lock)."""
    if dialect() == "sqlite":
        hold_sqlite_write_lock()
        return
    db.session.execute(select(model.id).where(model.id == row_id).with_for_update())


def load_locked(model: type[KeyedT], row_id: int) -> KeyedT:
    """Lock one row and load it fresh from the database; LookupError when there is no such row."""
    db.session.flush()
    lock_row(model, row_id)
    record = db.session.get(model, row_id)
    if record is None:
        raise LookupError(row_id)
    db.session.refresh(record)
    return record


def lock_name(name: str) -> None:
    """Serialise every transaction that locks the same name, e.g. "demonstrations:2026" (a phantom-safe lock)."""
    if dialect() == "sqlite":
        hold_sqlite_write_lock()
        return
    db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name})


def configure_sqlite(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """Let SQLite writers wait for each other instead of failing, and readers run beside a writer (WAL)."""
    if type(dbapi_connection).__module__.split(".")[0] not in ("sqlite3", "pysqlite2"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode")
    row = cursor.fetchone()
    if row is None or row[0] not in ("memory", "wal"):
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def install(app: Flask) -> None:
    """Configure SQLite connections once per process (busy timeout, WAL)."""
    if not event.contains(Engine, "connect", configure_sqlite):
        event.listen(Engine, "connect", configure_sqlite)
