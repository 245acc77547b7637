"""Do the Alembic migrations build exactly the schema the models describe?"""
from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from marketplace.db_types import schema_items_of
from marketplace.extensions import db
from tests.conftest import ROOT


def test_models_and_migrations_agree(app):
    """Autogenerate finds nothing to add or change after running every migration."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": schema_items_of(connection.dialect.name)})
        assert compare_metadata(context, db.metadata) == []


OLD_CODES = ["virtual_commissioning", "mould_process_gen", "generative_design", "production_scheduling",
             "process_optimization", "visual_inspection", "smart_sorting", "predictive_maintenance", "fault_diagnosis",
             "energy_optimization", "demand_forecast", "warehouse_logistics", "safety_monitoring", "knowledge_qa_agent",
             "operations_analytics"]
"""The 15 scenario codes the marketplace used before MIIT's 2025 taxonomy (written out: the test must not
depend on the app's legacy table it checks)."""


def stored_scenario_codes() -> dict[str, list[str]]:
    """Read every scenario code the database holds, per place it is kept, in row order."""
    import json
    import re

    from sqlalchemy import String, select, type_coerce

    from marketplace.analytics.models import SearchLog
    from marketplace.cases.models import Case
    from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
    from marketplace.events.models import Event
    from marketplace.needs.models import Need
    from marketplace.notifications.models import Notification, SavedSearch

    db.session.expire_all()

    def column(attr, model) -> list:
        """One column's values in row order."""
        return list(db.session.scalars(select(attr).order_by(model.id)))

    def codes(stored) -> list[str]:
        """A code list as stored by any revision: ',a,b,' text, or (PostgreSQL from 0012) an array."""
        return list(stored) if isinstance(stored, list) else [c for c in (stored or "").split(",") if c]

    found = {"need": column(Need.scenario, Need), "case": column(Case.scenario, Case)}
    for model in (ProviderProfile, IndustrialModel, Offering, Event):
        found[model.__tablename__] = [c for stored in column(type_coerce(model.scenarios, String), model)
                                      for c in codes(stored)]
    found["search_log"] = [json.loads(f)["scenario"] for f in column(SearchLog.filters, SearchLog)]
    found["saved_search"] = [f["scenario"] for f in column(SavedSearch.filters, SavedSearch)]
    found["notification"] = [m for link in column(Notification.link, Notification)
                             for m in re.findall(r"[?&]scenario=(\w+)", link or "")]
    return found


@contextmanager
def no_index_events():
    """Commit without writing the search index's outbox event (the schema of revision 0009 has no outbox table)."""
    from flask_sqlalchemy.session import Session as FlaskSession
    from sqlalchemy import event

    from marketplace.matching.sync import write_index_event

    event.remove(FlaskSession, "before_commit", write_index_event)
    try:
        yield
    finally:
        event.listen(FlaskSession, "before_commit", write_index_event)


def store_code_lists_as_text() -> None:
    """Write the code lists the current models just stored the way revisions before 0014 kept them (',a,b,').

    The models bind a code list as an array on PostgreSQL; into the text column of an old revision that lands
    as an array literal ('{a,b}'), which the old revisions never wrote. SQLite needs nothing.
    """
    if db.engine.dialect.name != "postgresql":
        return
    code_lists = {"provider_profile": ("industries", "scenarios", "cities_served"),
                  "industrial_model": ("industries", "scenarios", "modalities", "deployments"),
                  "offering": ("industries", "scenarios", "deployments"), "matchmaking_event": ("industries", "scenarios")}
    for table, names in code_lists.items():
        for name in names:
            db.session.execute(db.text(
                f"UPDATE {table} SET {name} = CASE WHEN {name} = '{{}}' THEN '' "
                f"ELSE ',' || btrim({name}, '{{}}') || ',' END WHERE {name} LIKE '{{%'"))
    db.session.commit()


LENT_COLUMNS = {"industrial_model": ("sku VARCHAR(64)", "intended_use TEXT", "limitations TEXT", "training_data TEXT",
                                      "cover_id INTEGER"),
                "offering": ("sku VARCHAR(64)", "cover_id INTEGER"),
                '"case"': ("anonymous BOOLEAN NOT NULL DEFAULT false",)}
"""Columns later revisions added to the listing and case tables (0019_imports, 0021_model_cards,
0025_case_anonymous) that the ORM writes."""


def test_scenario_migration_rewrites_every_stored_old_code_and_maps_back(app):
    """A database at 0009 whose records use every old scenario code holds only MIIT 2025 codes after upgrading
    (needs, cases, listing and event code lists, logged and saved search filters, digest links), each the
    agreed mapping of its old code; downgrading brings back only old codes."""
    from flask_migrate import downgrade, upgrade

    from marketplace import vocab
    from marketplace.analytics.models import SearchLog
    from marketplace.notifications.models import Notification, SavedSearch
    from tests.factories import make_case, make_event, make_model, make_need, make_offering, make_profile, make_user

    with app.app_context(), no_index_events():
        # The organisations are made at head (their table has grown since 0009) and kept loaded across the
        # downgrade (the session is removed after the test); the records that carry scenario codes are written at 0009.
        db.session().expire_on_commit = False
        sme, vendor = make_user("enterprise"), make_user("vendor")
        center = make_user("center").organisation
        downgrade(revision="0009_merge_hardening")
        for table, columns in LENT_COLUMNS.items():  # the ORM writes columns 0009 lacks: lend them meanwhile
            for column in columns:
                db.session.execute(db.text(f"ALTER TABLE {table} ADD COLUMN {column}"))
        pairs = list(zip(OLD_CODES, OLD_CODES[1:] + OLD_CODES[:1], strict=True))
        make_profile(vendor.organisation, scenarios=OLD_CODES)
        make_event(center, scenarios=OLD_CODES[::-1])
        for first, second in pairs:
            make_need(sme.organisation, title=f"需求 {first}", scenario=first)
            make_case(center, title=f"案例 {first}", scenario=first)
            make_model(vendor.organisation, name=f"模型 {first}", scenarios=[first, second],
                       evaluations=[])  # the evaluation table has grown since 0009; it carries no scenario code
            make_offering(vendor.organisation, title=f"服务 {first}", scenarios=[second, first],
                          voucher_eligible=False)  # no 模型券 catalogue table at 0009
            db.session.execute(SearchLog.__table__.insert().values(  # only the columns of revision 0009
                query=first, filters=f'{{"city": "foshan", "scenario": "{first}"}}', result_count=1, best_score=0.9))
            db.session.add(SavedSearch(user_id=sme.id, query=first, filters={"scenario": first, "kind": "offering"}))
            db.session.add(Notification(user_id=sme.id, kind="saved_search", params={"count": 1, "query": first},
                                        link=f"/search?q={first}&scenario={first}", dedupe_key=f"k:{first}"))
        db.session.commit()
        for table, columns in LENT_COLUMNS.items():
            for column in columns:
                db.session.execute(db.text(f"ALTER TABLE {table} DROP COLUMN {column.split()[0]}"))
        db.session.commit()
        store_code_lists_as_text()
        before = stored_scenario_codes()
        db.session.remove()

    with app.app_context():
        upgrade(revision="heads")
        after = stored_scenario_codes()
        new_codes = set(vocab.codes(vocab.SCENARIOS))
        for place, codes in after.items():
            assert codes and set(codes) <= new_codes, (place, set(codes) - new_codes)
            assert codes == [vocab.LEGACY_SCENARIOS[c] for c in before[place]], place
        assert set(after["need"]) == set(vocab.LEGACY_SCENARIOS.values())
        db.session.remove()

        downgrade(revision="0009_merge_hardening")
        back = stored_scenario_codes()
        for place, codes in back.items():
            assert set(codes) <= set(OLD_CODES), (place, set(codes) - set(OLD_CODES))
        assert back == before
        db.session.remove()
        upgrade(revision="heads")


def test_downgrade_maps_every_new_scenario_to_an_old_one():
    """Every one of the 40 MIIT scenarios has an old code to go back to, and the forward mapping is the agreed one."""
    import importlib.util

    from marketplace import vocab

    spec = importlib.util.spec_from_file_location("m0010", ROOT / "migrations" / "versions" / "0010_miit_scenarios.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.UPGRADE == vocab.LEGACY_SCENARIOS
    assert set(module.DOWNGRADE) == set(vocab.codes(vocab.SCENARIOS))
    assert set(module.DOWNGRADE.values()) <= set(OLD_CODES)


def test_voucher_migration_turns_old_uses_into_reservations_and_commits(app, frozen_clock):
    """Old `use` rows become `reserve` rows, and a paid order's also gets its `commit` row dated when it was paid;
    downgrading gives back exactly the old `use` rows."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from marketplace.orders.services import mark_paid, place_order
    from tests.factories import make_offering, make_quota, make_user

    def rows():
        return [tuple(r) for r in db.session.execute(text(
            "SELECT order_id, kind, amount_fen FROM voucher_entry ORDER BY order_id, kind"))]

    with app.app_context(), no_index_events():
        vendor, sme = make_user("vendor"), make_user("enterprise", city="zhuhai")
        make_quota(sme.organisation, 100_000_000, 2026)
        offering = make_offering(vendor.organisation, price_fen=10_000_00)
        unpaid, _ = place_order(sme, offering, 1, "old-1")
        paid, _ = place_order(sme, offering, 1, "old-2")
        mark_paid(paid.id, vendor)
        db.session.commit()
        unpaid_id, paid_id = unpaid.id, paid.id
        db.session.remove()
        downgrade(revision="0015_trust_foundation")
        assert rows() == [(unpaid_id, "use", 3_000_00), (paid_id, "use", 3_000_00)]
        db.session.remove()
        upgrade(revision="heads")
        assert rows() == [(unpaid_id, "reserve", 3_000_00), (paid_id, "commit", 3_000_00),
                          (paid_id, "reserve", 3_000_00)]
        commit_at, paid_at = db.session.execute(text(
            "SELECT v.created_at, o.paid_at FROM voucher_entry v JOIN \"order\" o ON o.id = v.order_id "
            "WHERE v.kind = 'commit'")).one()
        assert commit_at == paid_at
        db.session.remove()
