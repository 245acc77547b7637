"""Does the datasets migration go up and down without touching existing agreements?"""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from marketplace.extensions import db
from tests.factories import make_active_agreement, make_offering, make_user
from tests.test_migrations import no_index_events

NEW_TABLES = {"dataset", "dataset_access_request", "agreement_version_dataset", "agreement_version_model"}


def test_down_and_up_keeps_agreements_and_their_free_texts(app):
    """Downgrading to 0022 drops only the new tables; upgrading again brings them back empty, and an agreement made
    before keeps its descriptions and names no dataset or model."""
    with app.app_context(), no_index_events():
        vendor, sme = make_user("vendor"), make_user("enterprise")
        agreement_id = make_active_agreement(vendor, sme, [make_offering(vendor.organisation)]).id
        db.session.remove()
        downgrade(revision="0022_merge_finish")
        assert not NEW_TABLES & set(inspect(db.engine).get_table_names())
        assert db.session.execute(text("SELECT data_description FROM agreement WHERE id = :i"),
                                  {"i": agreement_id}).scalar() == "三年来 12 万张缺陷图片与工艺参数"
        db.session.remove()
        upgrade(revision="heads")
        assert NEW_TABLES <= set(inspect(db.engine).get_table_names())
        from marketplace.resonance.models import Agreement

        agreement = db.session.get(Agreement, agreement_id)
        assert agreement.data_description == "三年来 12 万张缺陷图片与工艺参数"
        assert agreement.latest_version.datasets == [] and agreement.latest_version.models == []
        db.session.remove()
