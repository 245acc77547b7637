"""Backup and restore: one archive holding the database, the instance files that are not derived, and a manifest.

    marketplace-<time>.tar.gz
      manifest.json        format, time, database kind, schema revision, row counts, files
      database.sqlite      SQLite: a consistent copy made with the online backup API
      database.pgdump      PostgreSQL: `pg_dump --format=custom` of one snapshot (the counts read the same one)
      instance/...         every instance file except the database, the search index and backups

The search index is derived data and is left out: a restore rebuilds it, or verifies and catches up an
index already in the instance folder, through the engine's own check. A restore goes into an empty
database only (unless forced), copies pages or runs `pg_restore` — never UPDATE or DELETE, so the ledger
tables' append-only triggers are not tripped — then migrates to the newest schema.
"""
from __future__ import annotations

import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import create_engine, func, inspect, literal, select, text
from sqlalchemy.engine import Connection

from marketplace.accounts.models import Organisation, User
from marketplace.cases.models import Case
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.orders.models import Order, VoucherEntry
from marketplace.resonance.models import LedgerEntry

FORMAT = 1
MANIFEST = "manifest.json"
INSTANCE = "instance"
DERIVED = ("index", "backups")
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
COUNTED = {"orders": Order, "ledger_entries": LedgerEntry, "voucher_entries": VoucherEntry, "offerings": Offering,
           "models": IndustrialModel, "providers": ProviderProfile, "needs": Need, "cases": Case,
           "organisations": Organisation, "users": User}


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message says why and what to do."""


# ---- facts about a database ----------------------------------------------------------------------

def count_rows(conn: Connection) -> dict[str, int]:
    """Count the rows that matter (orders, ledger and voucher rows, listings, ...) in the tables that exist."""
    existing = set(inspect(conn).get_table_names())
    return {name: conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()
            for name, model in COUNTED.items() if model.__tablename__ in existing}


def schema_revision(conn: Connection) -> list[str]:
    """Return the Alembic revision(s) the database is at (empty if it was never migrated)."""
    if "alembic_version" not in inspect(conn).get_table_names():
        return []
    return sorted(conn.scalars(text("SELECT version_num FROM alembic_version")))


SEEDED_BY_MIGRATIONS = {"policy_instrument": "changed_by_id"}
"""Tables a migration fills, and the column that is empty in the rows it wrote (the default policy
instruments, changed by nobody): those rows alone do not make a database non-empty."""


def has_rows(conn: Connection) -> bool:
    """Tell whether any of the app's tables holds a row (a freshly migrated database holds only the rows its
    migrations seeded)."""
    existing = set(inspect(conn).get_table_names())
    for table in db.metadata.sorted_tables:
        if table.name not in existing:
            continue
        query = select(literal(1)).select_from(table)
        if table.name in SEEDED_BY_MIGRATIONS:
            query = query.where(table.c[SEEDED_BY_MIGRATIONS[table.name]].is_not(None))
        if conn.scalar(query.limit(1)) is not None:
            return True
    return False


def sqlite_path() -> Path:
    """Return the file of the app's SQLite database; refuse an in-memory one."""
    name = db.engine.url.database
    if not name or name == ":memory:":
        raise BackupError("The database is in memory; there is nothing on disk to back up or restore into.")
    return Path(name).resolve()


# ---- PostgreSQL programs -------------------------------------------------------------------------

def pg_program(name: str) -> str:
    """Find pg_dump / pg_restore: MARKETPLACE_PG_BIN, then PATH, then Debian's /usr/lib/postgresql/*/bin."""
    candidates = []
    if current_app.config.get("PG_BIN"):
        candidates.append(Path(current_app.config["PG_BIN"]) / name)
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    versions = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates += sorted((Path(p) for p in versions), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
                         reverse=True)
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    raise BackupError(f"{name} was not found: install the PostgreSQL client programs or set MARKETPLACE_PG_BIN "
                      f"to the folder that holds them.")


def pg_target() -> tuple[str, dict]:
    """Return the libpq URL of the app's database (without its password) and an environment carrying it."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def run(args: list[str], env: dict | None = None) -> None:
    """Run a PostgreSQL program; its error output becomes the BackupError message."""
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


# ---- create --------------------------------------------------------------------------------------

def default_archive(directory: Path | None = None) -> Path:
    """Return where a backup goes when no path is given: MARKETPLACE_BACKUP_DIR or instance/backups."""
    folder = directory or Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")
    return folder / time.strftime("marketplace-%Y%m%dT%H%M%S.tar.gz")


def dump_database(folder: Path) -> tuple[Path, dict]:
    """Write a consistent copy of the database into `folder`; returns the file and its facts (counts, revision)."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        target = folder / "database.sqlite"
        source = sqlite3.connect(sqlite_path())
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        snapshot = create_engine(f"sqlite:///{target}")
        try:
            with snapshot.connect() as conn:
                facts = {"counts": count_rows(conn), "revision": schema_revision(conn)}
        finally:
            snapshot.dispose()
        return target, facts
    if dialect == "postgresql":
        target = folder / "database.pgdump"
        url, env = pg_target()
        with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            snapshot_id = conn.scalar(text("SELECT pg_export_snapshot()"))
            facts = {"counts": count_rows(conn), "revision": schema_revision(conn)}
            run([pg_program("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", "--file", str(target),
                 "--dbname", url], env)
        return target, facts
    raise BackupError(f"Backups of {dialect} databases are not supported.")


def instance_files(root: Path, exclude: set[Path]) -> list[Path]:
    """List the instance files to archive: everything but the database, the search index and backups."""
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or rel.parts[0] in DERIVED or path.resolve() in exclude:
            continue
        if any(str(path.resolve()) == str(e) + suffix for e in exclude for suffix in SQLITE_SIDE_FILES):
            continue
        out.append(path)
    return out


def create_backup(path: Path | None = None) -> tuple[Path, dict]:
    """Write a backup archive of the database and the instance files; returns its path and its manifest."""
    path = Path(path) if path else default_archive()
    if path.is_dir():
        path = default_archive(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = Path(current_app.instance_path)
    exclude = {path.resolve()}
    if db.engine.dialect.name == "sqlite":
        exclude.add(sqlite_path())
    with tempfile.TemporaryDirectory() as tmp:
        dump, facts = dump_database(Path(tmp))
        files = instance_files(root, exclude)
        manifest = {"format": FORMAT, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "database": {"dialect": db.engine.dialect.name, "file": dump.name},
                    "schema_revision": facts["revision"], "counts": facts["counts"],
                    "instance_files": [f.relative_to(root).as_posix() for f in files],
                    "search_index": "not included (derived from the database; rebuilt or verified on restore)"}
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            raw = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(raw), int(time.time())
            tar.addfile(info, io.BytesIO(raw))
            tar.add(dump, arcname=dump.name)
            for file in files:
                tar.add(file, arcname=f"{INSTANCE}/{file.relative_to(root).as_posix()}")
        os.replace(partial, path)
    return path, manifest


# ---- restore -------------------------------------------------------------------------------------

def read_manifest(archive: Path) -> dict:
    """Read and check the manifest of a backup archive."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(f"{MANIFEST} is not a file")
            manifest = json.load(member)
    except (OSError, KeyError, ValueError, tarfile.TarError) as exc:
        raise BackupError(f"{archive} is not a marketplace backup: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has backup format {manifest.get('format')!r}; this version reads {FORMAT}.")
    return manifest


def clear_postgres(conn: Connection) -> None:
    """Drop every table and function of the current schema (DROP fires no row triggers), ready for pg_restore."""
    for name in inspect(conn).get_table_names():
        conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    functions = conn.scalars(text("SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
                                  "ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"))
    for signature in list(functions):
        conn.execute(text(f"DROP FUNCTION IF EXISTS {signature} CASCADE"))


def load_database(dump: Path, dialect: str) -> None:
    """Replace the app's (empty or forfeited) database with the dumped one."""
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        source = sqlite3.connect(dump)
        target_path = sqlite_path()
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)  # page copy: nothing is updated or deleted row by row
        finally:
            target.close()
            source.close()
    else:
        with db.engine.begin() as conn:
            clear_postgres(conn)
        url, env = pg_target()
        run([pg_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             "--dbname", url, str(dump)], env)
    db.engine.dispose()


def restore_backup(archive: Path, force: bool = False) -> dict:
    """Restore a backup into this app's database and instance folder, migrate, and rebuild or verify the index."""
    from flask_migrate import upgrade

    manifest = read_manifest(archive)
    dialect = db.engine.dialect.name
    if manifest["database"]["dialect"] != dialect:
        raise BackupError(f"The backup holds a {manifest['database']['dialect']} database; "
                          f"this site runs on {dialect}.")
    if dialect == "sqlite":
        sqlite_path()
    with db.engine.connect() as conn:
        occupied = has_rows(conn)
    if occupied and not force:
        raise BackupError("The database is not empty. Restore into an empty database, or pass --force to replace it.")
    root = Path(current_app.instance_path)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        load_database(Path(tmp) / manifest["database"]["file"], dialect)
        upgrade(revision="heads")
        files = Path(tmp) / INSTANCE
        if files.is_dir():
            shutil.copytree(files, root, dirs_exist_ok=True)
    with db.engine.connect() as conn:
        counts, revision = count_rows(conn), schema_revision(conn)
    missing = {k: (v, counts.get(k)) for k, v in manifest["counts"].items() if counts.get(k) != v}
    if missing:
        raise BackupError(f"Restored row counts differ from the backup's: {missing}")
    index = current_app.extensions["matching"].ensure_index()
    return {"counts": counts, "from_revision": manifest["schema_revision"], "revision": revision,
            "files": len(manifest["instance_files"]), "index": index}
