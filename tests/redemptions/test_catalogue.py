"""The 模型券 service catalogue: who may apply and decide, and that eligibility follows the buyer's region."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.orders.services import quote
from marketplace.permissions import can
from marketplace.policy import rules
from marketplace.redemptions.catalogue import (
    apply_for_catalogue,
    decide_entry,
    eligible_offering_ids,
    is_voucher_eligible,
)
from marketplace.redemptions.models import CatalogueEntry
from marketplace.states import IllegalTransition
from tests.factories import admit_to_catalogue, make_offering, make_user
from tests.redemptions.helpers import funded_buyer

YEAR = date.today().year


def applied(vendor, **fields):
    """A vendor's published offering (in no catalogue) and its application for zhuhai's catalogue."""
    offering = make_offering(vendor.organisation, voucher_eligible=False, **fields)
    entry = apply_for_catalogue(vendor, offering, "zhuhai", "已在珠海交付 3 家")
    db.session.commit()
    return offering, entry


def test_an_unverified_vendor_cannot_apply_for_a_catalogue(in_app):
    """A vendor no promotion center verified may not apply; its offering stays out of every catalogue."""
    vendor = make_user("vendor", verified_at=None)
    offering = make_offering(vendor.organisation, voucher_eligible=False)
    assert not can(vendor, "catalogue.apply", offering)
    with pytest.raises(PermissionDenied):
        apply_for_catalogue(vendor, offering, "zhuhai")


def test_an_offering_gets_a_deduction_only_once_the_center_admits_it(in_app):
    """Applying alone gives no 模型券; after the zhuhai center admits it a zhuhai SME's quote deducts 30%."""
    vendor, center = make_user("vendor"), make_user("center", city="zhuhai")
    sme = funded_buyer()
    offering, entry = applied(vendor, price_fen=10_000_00)
    assert quote(sme.organisation, offering, 1, YEAR).voucher_fen == 0
    decide_entry(entry.id, "admit", center)
    db.session.commit()
    assert entry.state == "in_catalogue" and entry.decided_by_id == center.id
    assert quote(sme.organisation, offering, 1, YEAR).voucher_fen == 3_000_00


def test_a_vendor_unverified_since_applying_is_not_admitted_and_gets_no_deduction(in_app):
    """The center cannot admit the offering of a vendor whose verification was withdrawn, and an admitted
    offering of such a vendor gives no deduction."""
    vendor, center = make_user("vendor"), make_user("center", city="zhuhai")
    sme = funded_buyer()
    _offering, entry = applied(vendor)
    vendor.organisation.verified_at = None
    db.session.commit()
    with pytest.raises(IllegalTransition, match="verified|认证"):
        decide_entry(entry.id, "admit", center)
    db.session.rollback()
    listed = make_offering(vendor.organisation, title="已入目录的方案")
    assert quote(sme.organisation, listed, 1, YEAR).voucher_fen == 0


def test_only_the_regions_center_or_an_admin_decides(in_app):
    """A center of another city may not admit zhuhai's applications; the zhuhai center and admins may."""
    vendor = make_user("vendor")
    _offering, entry = applied(vendor)
    assert not can(make_user("center", city="foshan"), "catalogue.decide", entry)
    assert can(make_user("center", city="zhuhai"), "catalogue.decide", entry)
    assert can(make_user("admin"), "catalogue.decide", entry)
    assert not can(vendor, "catalogue.decide", entry)
    with pytest.raises(PermissionDenied):
        decide_entry(entry.id, "admit", make_user("center", city="foshan"))


@pytest.fixture
def two_regions(in_app):
    """A 模型券 instrument in force in guangzhou too (the default region, zhuhai, has its own)."""
    from marketplace.policy.models import PolicyInstrument

    db.session.add(PolicyInstrument(**{**rules.default_row(rules.templates()["model_voucher"]), "region": "guangzhou"}))
    db.session.commit()
    rules.forget_rules()


def test_an_offering_outside_the_buyers_regions_catalogue_gets_no_deduction(in_app, two_regions):
    """An offering only in zhuhai's catalogue gives a zhuhai SME its deduction and a guangzhou SME none."""
    vendor = make_user("vendor")
    offering = make_offering(vendor.organisation, price_fen=10_000_00)  # admitted in the default region, zhuhai
    zhuhai, guangzhou = funded_buyer(), funded_buyer("guangzhou")
    assert quote(zhuhai.organisation, offering, 1, YEAR).voucher_fen == 3_000_00
    priced = quote(guangzhou.organisation, offering, 1, YEAR)
    assert priced.region == "guangzhou" and priced.voucher_fen == 0
    admit_to_catalogue(offering, "guangzhou")
    assert quote(guangzhou.organisation, offering, 1, YEAR).voucher_fen == 3_000_00


def test_a_removed_offering_gets_no_deduction_on_new_orders_but_old_orders_keep_theirs(in_app):
    """Removing (with a reason) stops future deductions; an order placed before keeps its 模型券 amount."""
    from marketplace.orders.services import place_order

    vendor, center = make_user("vendor"), make_user("center", city="zhuhai")
    sme = funded_buyer()
    offering = make_offering(vendor.organisation, price_fen=10_000_00)
    order, _ = place_order(sme, offering, 1, "before")
    db.session.commit()
    entry = db.session.scalar(select(CatalogueEntry).where(CatalogueEntry.offering_id == offering.id))
    with pytest.raises(IllegalTransition):
        decide_entry(entry.id, "strike", center, reason="  ")
    db.session.rollback()
    decide_entry(entry.id, "strike", center, reason="验收投诉两起，暂停")
    db.session.commit()
    assert entry.state == "catalogue_removed" and entry.reason == "验收投诉两起，暂停"
    assert quote(sme.organisation, offering, 1, YEAR).voucher_fen == 0
    assert db.session.get(type(order), order.id).voucher_fen == 3_000_00


def test_a_refused_offering_may_apply_again(in_app):
    """A refusal needs a reason; the vendor may then apply again and the entry waits for review anew."""
    vendor, center = make_user("vendor"), make_user("center", city="zhuhai")
    offering, entry = applied(vendor)
    with pytest.raises(IllegalTransition):
        decide_entry(entry.id, "refuse", center)
    db.session.rollback()
    decide_entry(entry.id, "refuse", center, reason="缺少交付案例")
    db.session.commit()
    with pytest.raises(DomainError):
        apply_for_catalogue(vendor, offering, "nowhere")
    again = apply_for_catalogue(vendor, offering, "zhuhai", "补充了两个案例")
    db.session.commit()
    assert again.id == entry.id and again.state == "applied" and again.reason is None and again.note == "补充了两个案例"
    with pytest.raises(DomainError):
        apply_for_catalogue(vendor, offering, "zhuhai")


def test_the_list_filter_agrees_with_the_eligibility_rule(in_app):
    """The SQL behind "voucher-eligible only" selects exactly the offerings `is_voucher_eligible` accepts."""
    verified, unverified = make_user("vendor"), make_user("vendor")
    center = make_user("center", city="zhuhai")
    listed = make_offering(verified.organisation, title="入目录")
    waiting, entry = applied(verified, title="待审核")
    struck = make_offering(verified.organisation, title="已移出")
    decide_entry(db.session.scalar(select(CatalogueEntry.id).where(CatalogueEntry.offering_id == struck.id)),
                 "strike", center, reason="停止服务")
    lapsed = make_offering(unverified.organisation, title="服务商未认证")
    unverified.organisation.verified_at = None
    db.session.commit()
    everything = [listed, waiting, struck, lapsed]
    selected = set(db.session.scalars(eligible_offering_ids("zhuhai")))
    assert selected == {o.id for o in everything if is_voucher_eligible(o, "zhuhai")} == {listed.id}
    assert entry.state == "applied"


def test_the_public_catalogue_lists_admitted_offerings_and_cards_name_the_region(app, client):
    """/catalogues/zhuhai (珠海市模型券服务目录) lists admitted offerings only; the offering page links to it."""
    with app.app_context():
        vendor = make_user("vendor")
        listed = make_offering(vendor.organisation, title="注塑缺陷检测入目录")
        make_offering(vendor.organisation, title="未入目录的方案", voucher_eligible=False)
        listed_id = listed.id
    page = client.get("/catalogues/zhuhai", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "注塑缺陷检测入目录" in page and "未入目录的方案" not in page
    assert client.get("/catalogues/atlantis").status_code == 404
    detail = client.get(f"/offerings/{listed_id}").get_data(as_text=True)
    assert "/catalogues/zhuhai" in detail


def test_voucher_filter_lists_what_the_sme_can_pay_with_its_regions_vouchers(app, client, auth, two_regions):
    """A guangzhou SME filtering on 模型券 sees only offerings in guangzhou's catalogue."""
    with app.app_context():
        vendor = make_user("vendor")
        make_offering(vendor.organisation, title="珠海目录方案")
        admit_to_catalogue(make_offering(vendor.organisation, title="广州目录方案", voucher_eligible=False),
                           "guangzhou")
        db.session.commit()
    auth.as_role("enterprise", city="guangzhou")
    page = client.get("/offerings?voucher=y").get_data(as_text=True)
    assert "广州目录方案" in page and "珠海目录方案" not in page


def test_an_sme_of_a_city_without_rules_finds_nothing_to_pay_with_vouchers(app, client, auth):
    """The 模型券 filter shows a Dongguan SME (no rules in force) no offering, as its checkout would deduct nothing."""
    with app.app_context():
        make_offering(make_user("vendor").organisation, title="珠海目录方案")
        db.session.commit()
    auth.as_role("enterprise", city="zhuhai")
    assert "珠海目录方案" in client.get("/offerings?voucher=y").get_data(as_text=True)
    auth.logout()
    auth.as_role("enterprise", city="dongguan")
    assert "珠海目录方案" not in client.get("/offerings?voucher=y").get_data(as_text=True)


def test_vendor_applies_and_center_admits_through_the_pages(app, client, auth):
    """The vendor applies on its offering's catalogue page; the zhuhai center admits it from its queue."""
    vendor = auth.as_role("vendor")
    with app.app_context():
        from marketplace.accounts.models import User

        offering_id = make_offering(db.session.get(User, vendor.user_id).organisation, title="申请中的方案",
                                    voucher_eligible=False).id
    response = client.post(f"/offerings/{offering_id}/catalogues", data={"region": "zhuhai", "note": "已交付"})
    assert response.status_code == 302
    auth.logout()
    auth.as_role("center", city="zhuhai")
    queue = client.get("/catalogues/review").get_data(as_text=True)
    assert "申请中的方案" in queue
    with app.app_context():
        entry_id = db.session.scalar(select(CatalogueEntry.id))
    assert client.post(f"/catalogues/entries/{entry_id}/admit").status_code == 302
    with app.app_context():
        assert db.session.get(CatalogueEntry, entry_id).state == "in_catalogue"
    auth.logout()
    auth.as_role("center", city="foshan")
    assert "申请中的方案" not in client.get("/catalogues/review?state=in_catalogue").get_data(as_text=True)
