"""模数共振 agreements end to end: drafting rules, signatures, versions in force, the ledger and statements."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orders.services import mark_paid, place_order, refund
from marketplace.resonance.models import Agreement, AppendOnlyViolation, LedgerEntry
from marketplace.resonance.services import PartyTerm, amend, sign, terminate
from tests.factories import make_active_agreement, make_offering, make_quota, make_user


@pytest.fixture
def parties(app):
    """A vendor with an offering, an SME (data party) and another SME buyer, ids only."""
    with app.app_context():
        vendor = make_user("vendor")
        data_sme = make_user("enterprise")
        buyer = make_user("enterprise", city="zhuhai")
        make_quota(buyer.organisation, 100_000_000, 2026)
        center = make_user("center", city="zhuhai")  # the demonstration award is Zhuhai's instrument
        other_vendor = make_user("vendor")
        offering = make_offering(vendor.organisation, price_fen=100_001)
        foreign = make_offering(other_vendor.organisation, title="别家方案")
        return {"vendor": vendor.id, "vendor_org": vendor.organisation_id, "vendor_email": vendor.email,
                "data": data_sme.id, "data_org": data_sme.organisation_id, "data_email": data_sme.email,
                "buyer": buyer.id, "buyer_email": buyer.email, "center": center.id, "center_email": center.email,
                "center_org": center.organisation_id, "other_vendor_email": other_vendor.email,
                "other_vendor_org": other_vendor.organisation_id, "offering": offering.id, "foreign": foreign.id}


def u(user_id):
    """Load a user."""
    from marketplace.accounts.models import User

    return db.session.get(User, user_id)


def form(p, **overrides):
    """A complete agreement form: vendor 70% model, SME 30% data, covering the vendor's offering."""
    data = {"title": "压铸气孔检测智能体", "agent_description": "基于 X 光图像的压铸件气孔判级智能体",
            "data_description": "两年 DR 图像 6 万张及判级记录",
            "parties-0-organisation_id": str(p["vendor_org"]), "parties-0-role": "model", "parties-0-share": "70",
            "parties-1-organisation_id": str(p["data_org"]), "parties-1-role": "data", "parties-1-share": "30",
            "parties-2-organisation_id": "", "parties-3-organisation_id": "",
            "offering_ids": [str(p["offering"])]}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides,message", [
    ({"parties-1-share": "29.99"}, "100%"),
    ({"parties-1-organisation_id": "VENDOR"}, "twice"),
    ({"parties-1-role": "model"}, "cannot take the role"),
    ({"offering_ids": ["FOREIGN"]}, "not owned by a party"),
    ({"parties-1-share": "12.345"}, "percentage"),
])
def test_bad_terms_are_refused_with_clear_messages(app, client, auth, parties, overrides, message):
    """Shares ≠ 100%, a duplicate party, an unsuitable kind, or a foreign offering each give a clear error."""
    resolved = {k: ([str(parties["foreign"])] if v == ["FOREIGN"] else str(parties["vendor_org"]) if v == "VENDOR" else v)
                for k, v in overrides.items()}
    auth.login(parties["vendor_email"])
    client.get("/lang/en")
    response = client.post("/resonance/new", data=form(parties, **resolved))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "压铸气孔检测智能体" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Agreement)) == 0


def test_agreement_is_active_only_after_every_party_signs(app, client, auth, parties):
    """A drafted agreement awaits signatures; after both parties sign it is active."""
    auth.login(parties["vendor_email"])
    response = client.post("/resonance/new", data=form(parties))
    assert response.status_code == 302
    agreement_url = response.headers["Location"]
    client.post(agreement_url + "/sign")
    with app.app_context():
        assert db.session.scalar(select(Agreement)).state == "draft"
    auth.logout()
    auth.login(parties["data_email"])
    client.post(agreement_url + "/sign")
    with app.app_context():
        agreement = db.session.scalar(select(Agreement))
        assert agreement.state == "active" and agreement.active_version.number == 1


def test_paid_order_is_split_exactly_and_recorded_once(app, in_app, parties):
    """Paying an order of a covered offering posts one row per party, summing exactly to the order amount."""
    item = db.session.get(__import__("marketplace.catalog.models", fromlist=["Offering"]).Offering, parties["offering"])
    make_active_agreement(u(parties["vendor"]), u(parties["data"]), [item], shares=(3333, 6667))
    order, _ = place_order(u(parties["buyer"]), item, 3, "split-1")
    mark_paid(order.id, u(parties["vendor"]))
    db.session.commit()
    rows = db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id)).all()
    assert sum(r.amount_fen for r in rows) == order.list_fen == 300_003
    assert {r.party_id: r.amount_fen for r in rows} == {parties["vendor_org"]: 99_991, parties["data_org"]: 200_012}


def test_refund_reversal_nets_to_zero_without_editing_rows(app, in_app, parties):
    """A refund posts reversing rows; per party and in total the order nets to zero; originals are unchanged."""
    from marketplace.catalog.models import Offering

    item = db.session.get(Offering, parties["offering"])
    make_active_agreement(u(parties["vendor"]), u(parties["data"]), [item])
    order, _ = place_order(u(parties["buyer"]), item, 7, "rev-1")
    mark_paid(order.id, u(parties["vendor"]))
    db.session.commit()
    originals = {r.id: r.amount_fen for r in db.session.scalars(select(LedgerEntry))}
    refund(order.id, u(parties["vendor"]), "需求变更")
    db.session.commit()
    rows = db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id)).all()
    assert len(rows) == 4 and sum(r.amount_fen for r in rows) == 0
    for party in (parties["vendor_org"], parties["data_org"]):
        assert sum(r.amount_fen for r in rows if r.party_id == party) == 0
    assert {r.id: r.amount_fen for r in rows if r.id in originals} == originals


def test_ledger_rows_cannot_be_edited_or_deleted(app, in_app, parties, frozen_clock):
    """Editing or deleting a ledger row is refused by the code and by the database."""
    from marketplace.catalog.models import Offering

    item = db.session.get(Offering, parties["offering"])
    make_active_agreement(u(parties["vendor"]), u(parties["data"]), [item])
    order, _ = place_order(u(parties["buyer"]), item, 1, "guard-1")
    mark_paid(order.id, u(parties["vendor"]))
    db.session.commit()
    row = db.session.scalars(select(LedgerEntry)).first()
    row.amount_fen += 1
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(LedgerEntry)).first())
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()
    for statement in ("UPDATE ledger_entry SET amount_fen = 0", "DELETE FROM ledger_entry",
                      "UPDATE voucher_entry SET amount_fen = 0"):
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()


def test_each_payment_is_split_by_the_version_in_force_then(app, in_app, parties):
    """An amendment applies only after everyone signs; earlier payments keep the old shares; termination stops splits."""
    from marketplace.catalog.models import Offering

    item = db.session.get(Offering, parties["offering"])
    vendor, data = u(parties["vendor"]), u(parties["data"])
    agreement = make_active_agreement(vendor, data, [item], shares=(6000, 4000))
    start = datetime.now(timezone.utc)

    def pay(key, minutes):
        order, _ = place_order(u(parties["buyer"]), item, 1, key)
        mark_paid(order.id, vendor, when=start + timedelta(minutes=minutes))
        db.session.commit()
        return {r.party_id: r.share_bp for r in db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id))}

    assert pay("v1", 1) == {parties["vendor_org"]: 6000, parties["data_org"]: 4000}
    amend(agreement.id, vendor, [PartyTerm(parties["vendor_org"], "model", 5000),
                                 PartyTerm(parties["data_org"], "data", 4000),
                                 PartyTerm(parties["center_org"], "center", 1000)], [item.id], "加入促进中心")
    db.session.commit()
    assert pay("still-v1", 2)[parties["vendor_org"]] == 6000
    for who in (vendor, data, u(parties["center"])):
        sign(agreement.id, who)
    db.session.commit()
    assert pay("v2", 3) == {parties["vendor_org"]: 5000, parties["data_org"]: 4000, parties["center_org"]: 1000}
    versions = {v.number: v.state for v in db.session.get(Agreement, agreement.id).versions}
    assert versions == {1: "superseded", 2: "active"}
    terminate(agreement.id, data, "合作结束")
    db.session.commit()
    assert pay("after-end", 4) == {}


def test_offering_cannot_be_in_two_active_agreements(app, in_app, parties):
    """A second agreement over an offering already covered cannot come into force."""
    from marketplace.catalog.models import Offering


    item = db.session.get(Offering, parties["offering"])
    make_active_agreement(u(parties["vendor"]), u(parties["data"]), [item])
    with pytest.raises(DomainError, match=item.title):
        make_active_agreement(u(parties["vendor"]), u(parties["buyer"]), [item], title="第二份协议")


def test_statement_permissions_and_csv(app, client, auth, parties):
    """Parties see their statement and CSV; a non-party gets 403 on the agreement; centers see everything."""
    with app.app_context():
        from marketplace.catalog.models import Offering

        item = db.session.get(Offering, parties["offering"])
        agreement = make_active_agreement(u(parties["vendor"]), u(parties["data"]), [item])
        order, _ = place_order(u(parties["buyer"]), item, 2, "stmt-1")
        mark_paid(order.id, u(parties["vendor"]))
        db.session.commit()
        agreement_id = agreement.id
    auth.login(parties["data_email"])
    csv_text = client.get("/resonance/statement?format=csv").get_data(as_text=True)
    assert csv_text.strip().splitlines()[-1].split(",")[-2] == "80001"  # 40% of 200,002 fen, largest remainder
    header, first = csv_text.lstrip("\ufeff").splitlines()[:2]
    assert header.startswith("流水号,日期（北京时间）") and "分成收入" in first  # people read their own language
    auth.logout()
    auth.login(parties["other_vendor_email"])
    assert client.get(f"/resonance/{agreement_id}").status_code == 403
    assert client.get(f"/resonance/statement?agreement={agreement_id}").status_code == 403
    auth.logout()
    auth.login(parties["center_email"])
    page = client.get("/resonance/").get_data(as_text=True)
    assert "¥2,000.02" in page
    auth.logout()
    assert client.get("/resonance/statement").status_code == 302


def test_demonstration_caps_are_enforced(app, client, auth, parties):
    """A center may select at most 5 agreements a year and award at most 500,000 CNY each."""
    with app.app_context():
        vendor = u(parties["vendor"])
        ids = []
        for i in range(6):
            offer = make_offering(vendor.organisation, title=f"示范方案{i}")
            ids.append(make_active_agreement(vendor, u(parties["data"]), [offer], title=f"示范协议{i}").id)
    auth.login(parties["center_email"])
    too_big = client.post("/resonance/demonstrations", data={"agreement_id": ids[0], "year": "2026",
                                                             "award": "500000.01", "reason": "示范性强"})
    assert too_big.status_code == 422 and "¥500,000.00" in too_big.get_data(as_text=True)
    for agreement_id in ids[:5]:
        ok = client.post("/resonance/demonstrations", data={"agreement_id": agreement_id, "year": "2026",
                                                            "award": "500000", "reason": "可复制推广"})
        assert ok.status_code == 302
    sixth = client.post("/resonance/demonstrations", data={"agreement_id": ids[5], "year": "2026",
                                                           "award": "100000", "reason": "第六个"})
    assert sixth.status_code == 422
    auth.logout()
    auth.login(parties["vendor_email"])
    assert client.post("/resonance/demonstrations", data={"agreement_id": ids[5], "year": "2027",
                                                          "award": "1", "reason": "x"}).status_code == 403


def test_statement_csv_dates_are_china_time_for_people_and_utc_for_machines(app):
    """Is an entry made at 17:30 UTC dated the next day, 01:30, in the page's CSV, and 17:30 in the API's?"""
    from datetime import datetime
    from types import SimpleNamespace

    from marketplace.resonance.statements import statement_csv

    row = SimpleNamespace(id=7, created_at=datetime(2026, 3, 10, 17, 30), agreement_id=1,
                          agreement=SimpleNamespace(title="注塑质检智能体分成协议"), version=SimpleNamespace(number=1),
                          order_id=3, party_id=4, party=SimpleNamespace(name="甲方"), kind="revenue", share_bp=6000,
                          amount_fen=12_345)
    result = SimpleNamespace(rows=[row], party_id=4, total_fen=12_345)
    people = statement_csv(result, "zh_CN").splitlines()
    machine = statement_csv(result).splitlines()
    assert "2026-03-11 01:30:00" in people[1] and "分成收入" in people[1] and people[2].startswith("合计")
    assert machine[0].startswith("entry_id,date_utc") and "2026-03-10 17:30:00" in machine[1]
    assert people[1].endswith("12345,123.45") and machine[1].endswith("12345,123.45")
