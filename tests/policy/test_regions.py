"""Are the rules in force read from the instrument table, edited by each region's center with history?"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.orders.services import place_order, quote
from marketplace.policy.models import PolicyInstrument
from marketplace.policy.rules import instrument, region_for
from marketplace.policy.services import current_version, instrument_history, save_instrument
from tests.factories import make_quota, make_user

EDIT = {"in_force": True, "year_from": 2026, "year_to": 2028, "rate_bp": 3000, "annual_cap_fen": 100_000_000,
        "item_cap_fen": None, "min_digital_level": None, "yearly_count_cap": None, "basis_zh": "示例", "basis_en": ""}


@pytest.fixture
def people(in_app, frozen_clock):
    """The Zhuhai and Foshan centers and an admin."""
    return {"zhuhai": make_user("center", city="zhuhai"), "foshan": make_user("center", city="foshan"),
            "admin": make_user("admin")}


def test_the_default_rules_come_from_the_table(people):
    """The rules file seeded version 1 of Zhuhai's four instruments; Foshan has none."""
    assert current_version("zhuhai", "model_voucher").version == 1
    assert instrument("model_voucher", "zhuhai", 2026).rate_bp == 3000
    assert region_for("foshan", 2026) is None


def test_a_center_changes_its_regions_rate_as_a_new_version_with_history(people):
    """Zhuhai's center lowers the rate to 20%: version 2 is in force, version 1 stays, the history says who and what."""
    save_instrument(people["zhuhai"], "zhuhai", "model_voucher", {**EDIT, "rate_bp": 2000}, "财政预算调整")
    assert instrument("model_voucher", "zhuhai", 2026).rate_bp == 2000
    versions = db.session.scalars(select(PolicyInstrument.version).where(PolicyInstrument.code == "model_voucher",
                                                                         PolicyInstrument.region == "zhuhai"))
    assert sorted(versions) == [1, 2]
    latest = instrument_history("zhuhai")[0]
    assert latest.row.changed_by_id == people["zhuhai"].id and latest.row.note == "财政预算调整"
    assert latest.changes == {"rate_bp": (3000, 2000), "basis_zh": (latest.changes["basis_zh"][0], "示例"),
                              "basis_en": (latest.changes["basis_en"][0], "")}


def test_a_center_edits_only_its_own_region_and_admins_any(people):
    """Foshan's center cannot touch Zhuhai's rules; it configures Foshan's, which then apply to Foshan SMEs."""
    with pytest.raises(PermissionDenied):
        save_instrument(people["foshan"], "zhuhai", "model_voucher", EDIT, "越权")
    save_instrument(people["foshan"], "foshan", "model_voucher", {**EDIT, "rate_bp": 2500}, "佛山市配置模型券")
    assert region_for("foshan", 2026) == "foshan"
    assert instrument("model_voucher", "foshan", 2026).rate_bp == 2500
    save_instrument(people["admin"], "shenzhen", "model_voucher", EDIT, "平台代为配置")
    assert region_for("shenzhen", 2026) == "shenzhen"


def test_unchanged_or_reversed_values_are_refused(people):
    """Saving the same values again, or a last year before the first, stores nothing."""
    save_instrument(people["zhuhai"], "zhuhai", "model_voucher", EDIT, "统一口径")
    with pytest.raises(DomainError, match="没有任何改动"):
        save_instrument(people["zhuhai"], "zhuhai", "model_voucher", EDIT, "再存一次")
    with pytest.raises(DomainError):
        save_instrument(people["zhuhai"], "zhuhai", "model_voucher", {**EDIT, "year_from": 2029}, "年份颠倒")


def test_withdrawing_an_instrument_takes_the_region_out(people):
    """Zhuhai's center marks the 模型券 not in force: Zhuhai SMEs get no 模型券 from then on."""
    save_instrument(people["zhuhai"], "zhuhai", "model_voucher", {**EDIT, "in_force": False}, "政策到期")
    assert instrument("model_voucher", "zhuhai", 2026) is None


def test_changing_a_rule_never_changes_past_orders(people):
    """An order placed at 30% keeps its deduction after the rate drops to 10%; the next quote uses 10%."""
    from tests.factories import make_offering

    vendor, sme = make_user("vendor"), make_user("enterprise", city="zhuhai")
    make_quota(sme.organisation, 100_000_000, 2026)
    offering = make_offering(vendor.organisation, price_fen=100_000_00)
    order, _ = place_order(sme, offering, 1, "before")
    save_instrument(people["zhuhai"], "zhuhai", "model_voucher", {**EDIT, "rate_bp": 1000}, "下调")
    db.session.commit()
    db.session.refresh(order)
    assert order.voucher_fen == 30_000_00 and quote(sme.organisation, offering, 1, 2026).voucher_fen == 10_000_00


def test_the_instrument_pages(people, client, auth):
    """The center sees its instruments and history and saves a change through the form; others' regions are 403."""
    auth.login(people["zhuhai"].email)
    page = client.get("/policy/instruments").get_data(as_text=True)
    assert "/policy/instruments/zhuhai/model_voucher" in page
    form = client.get("/policy/instruments/zhuhai/model_voucher").get_data(as_text=True)
    assert 'value="30"' in form
    response = client.post("/policy/instruments/zhuhai/model_voucher",
                           data={"in_force": "y", "year_from": "2026", "year_to": "2028", "rate": "25",
                                 "annual_cap": "1000000", "item_cap": "", "min_digital_level": "",
                                 "yearly_count_cap": "", "basis_zh": "", "basis_en": "", "note": "年中调整"})
    assert response.status_code == 302
    history = client.get("/policy/instruments?lang=en").get_data(as_text=True)
    assert "30% → 25%" in history and "年中调整" in history and people["zhuhai"].name in history
    assert client.get("/policy/instruments/foshan/model_voucher").status_code == 403
    assert client.get("/policy/instruments?region=foshan").status_code == 403
