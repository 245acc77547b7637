"""`flask backup create` / `flask backup restore`: every order, ledger row, voucher row and listing comes back.

Runs on the session database (SQLite, or PostgreSQL with TEST_DB_BACKEND=postgres, restoring into a second
database created on the same server for the test).
"""
from __future__ import annotations

import tarfile
import uuid
from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.backup import COUNTED
from marketplace.extensions import db
from marketplace.matching.documents import current_stamps
from tests.conftest import ROOT
from tests.factories import (
    make_active_agreement,
    make_case,
    make_model,
    make_need,
    make_offering,
    make_quota,
    make_user,
)


def marketplace_with_money(app) -> None:
    """Listings, a need, a case, and paid, refunded and voucher-deducted orders under a 模数共振 agreement."""
    from marketplace.orders.services import mark_paid, place_order, refund

    with app.app_context():
        vendor, data_sme = make_user("vendor"), make_user("enterprise")
        buyer, center = make_user("enterprise", city="zhuhai"), make_user("center")
        make_quota(buyer.organisation, 100_000_000, datetime.now(UTC).year)  # Zhuhai has rules; a quota was approved
        offering = make_offering(vendor.organisation, title="注塑件外观缺陷检测", price_fen=100_001,
                                 voucher_eligible=True)
        make_offering(vendor.organisation, title="空压站群控节能", scenarios=["energy_management"])
        make_model(vendor.organisation, name="注塑缺陷检测小模型")
        make_need(buyer.organisation, title="冲压件毛刺视觉检测")
        make_case(center.organisation)
        make_active_agreement(vendor, data_sme, [offering])
        for key, paid, refunded in (("b-1", True, False), ("b-2", True, True), ("b-3", False, False)):
            order, _ = place_order(buyer, offering, 2, key)
            if paid:
                mark_paid(order.id, vendor)
            if refunded:
                refund(order.id, vendor, "需求变更")
            db.session.commit()


def rows_of(app) -> dict[str, list[tuple]]:
    """Every row of the counted tables (orders, ledger and voucher rows, listings, ...), in id order."""
    with app.app_context():
        return {name: [tuple(r) for r in db.session.execute(select(model.__table__).order_by(model.__table__.c.id))]
                for name, model in COUNTED.items()}


@pytest.fixture
def second_database(database_uri, tmp_path):
    """An empty database to restore into: a new SQLite file, or a new database on the same PostgreSQL server."""
    if not database_uri.startswith("postgresql"):
        yield f"sqlite:///{tmp_path}/restored.sqlite"
        return
    url = make_url(database_uri)
    name = f"restore_{uuid.uuid4().hex[:8]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def fresh_site(uri: str, folder) -> object:
    """An app on an empty, migrated database and an empty instance folder (what `flask db upgrade` leaves)."""
    site = create_app({"SQLALCHEMY_DATABASE_URI": uri, "INSTANCE_PATH": str(folder)})
    with site.app_context():
        upgrade(revision="heads")
    return site


def test_restore_into_an_empty_site_brings_back_every_order_ledger_and_voucher_row(app, runner, second_database,
                                                                                    tmp_path, frozen_clock):
    """After backup and restore into an empty site, are all orders, ledger and voucher rows and listings there,
    with the search index rebuilt from them?"""
    marketplace_with_money(app)
    outbox = sorted(p.name for p in (tmp_path / "instance" / "mail").glob("*.eml"))
    before = rows_of(app)
    assert before["orders"] and len(before["ledger_entries"]) == 6 and len(before["voucher_entries"]) >= 3
    archive = tmp_path / "backup.tar.gz"
    made = runner.invoke(args=["backup", "create", str(archive)])
    assert made.exit_code == 0, made.output
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "manifest.json" in names and outbox and {f"instance/mail/{n}" for n in outbox} <= names
    assert not any(n.startswith("instance/index") for n in names)

    site = fresh_site(second_database, tmp_path / "restored")
    restored = site.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "search index rebuilt" in restored.output
    assert rows_of(site) == before
    assert sorted(p.name for p in (tmp_path / "restored" / "mail").glob("*.eml")) == outbox
    with site.app_context():
        index = site.extensions["matching"].index()
        assert set(index.ids()) == set(current_stamps(db.session)) and len(index) == 5

    again = site.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert again.exit_code != 0 and "not empty" in again.output
    forced = site.test_cli_runner().invoke(args=["backup", "restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    assert "search index loaded and verified" in forced.output
    assert rows_of(site) == before
    with site.app_context():
        db.session.remove()
        db.engine.dispose()


def test_restoring_an_older_backup_migrates_it_to_the_newest_schema(tmp_path):
    """Is a backup taken at an older schema revision migrated to the newest one when restored?"""
    old = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/old.sqlite",
                      "INSTANCE_PATH": str(tmp_path / "old")})
    with old.app_context():
        upgrade(revision="0006_matchmaking_workflow")
    made = old.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "old.tar.gz")])
    assert made.exit_code == 0, made.output
    site = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/new.sqlite",
                       "INSTANCE_PATH": str(tmp_path / "new")})
    restored = site.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "old.tar.gz")])
    assert restored.exit_code == 0, restored.output
    assert "migrated from 0006_matchmaking_workflow" in restored.output
    with site.app_context():
        version = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    assert version == set(ScriptDirectory(str(ROOT / "migrations")).get_heads())
