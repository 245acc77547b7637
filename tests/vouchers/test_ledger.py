"""The 模型券 ledger: reserve, commit, release and redeem rows, honest labels, the balance and the CSV export."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import VoucherEntry
from marketplace.orders.services import cancel, mark_paid, place_order, refund, voucher_used
from marketplace.resonance.models import AppendOnlyViolation
from marketplace.vouchers.services import ledger_rows, voucher_position
from tests.factories import make_quota

YEAR = 2026


@pytest.fixture
def funded(market):
    """The Zhuhai SME holds an approved 100,000 CNY quota for 2026."""
    make_quota(market.sme.organisation, 100_000_00, YEAR)
    return market


def kinds(order) -> list[str]:
    """The ledger kinds an order has, in order."""
    return list(db.session.scalars(select(VoucherEntry.kind).where(VoucherEntry.order_id == order.id)
                                   .order_by(VoucherEntry.id)))


def test_placing_reserves_paying_commits_refunding_releases(funded):
    """Each order state leaves its row: reserve on placing, commit on payment, release on refund."""
    m = funded
    order, _ = place_order(m.sme, m.offering, 1, "life-1")
    assert kinds(order) == ["reserve"]
    mark_paid(order.id, m.vendor)
    assert kinds(order) == ["reserve", "commit"]
    refund(order.id, m.vendor, "客户取消项目")
    assert kinds(order) == ["reserve", "commit", "release"]
    cancelled, _ = place_order(m.sme, m.offering, 1, "life-2")
    cancel(cancelled.id, m.sme)
    assert kinds(cancelled) == ["reserve", "release"]


def test_the_balance_is_quota_minus_reserved_minus_committed(funded):
    """One unpaid order (reserved), one paid (committed), one cancelled (released): available is what is left."""
    m = funded
    unpaid, _ = place_order(m.sme, m.offering, 1, "b-1")
    paid, _ = place_order(m.sme, m.offering, 1, "b-2")
    mark_paid(paid.id, m.vendor)
    gone, _ = place_order(m.sme, m.offering, 1, "b-3")
    cancel(gone.id, m.sme)
    position = voucher_position(m.sme.organisation_id, YEAR)
    assert (position.quota_fen, position.reserved_fen, position.committed_fen, position.released_fen) == (
        100_000_00, 30_000_00, 30_000_00, 30_000_00)
    assert position.available_fen == 40_000_00 == 100_000_00 - 30_000_00 - 30_000_00
    assert voucher_used(m.sme.organisation_id, YEAR) == position.used_fen == 60_000_00


def test_a_redeem_row_changes_no_balance_and_rows_stay_append_only(funded):
    """Redeeming a paid order's deduction leaves the balance alone; no ledger row can be edited."""
    m = funded
    order, _ = place_order(m.sme, m.offering, 1, "r-1")
    mark_paid(order.id, m.vendor)
    before = voucher_position(m.sme.organisation_id, YEAR)
    redeem = VoucherEntry(enterprise_id=order.buyer_id, year=YEAR, region="zhuhai", kind="redeem",
                          amount_fen=order.voucher_fen, order_id=order.id)
    db.session.add(redeem)
    db.session.flush()
    after = voucher_position(m.sme.organisation_id, YEAR)
    assert redeem.signed_fen == 0 and after.available_fen == before.available_fen
    assert after.redeemed_fen == order.voucher_fen and after.committed_fen == before.committed_fen
    redeem.amount_fen = 1
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


def test_labels_say_reserved_for_an_unpaid_order_never_used(funded):
    """The rows read: reserved, committed, released (cancelled or refunded) — in both languages, nothing 'used'."""
    m = funded
    order, _ = place_order(m.sme, m.offering, 1, "l-1")
    mark_paid(order.id, m.vendor)
    refund(order.id, m.vendor, "退货")
    labels = [e.kind_label for e in db.session.scalars(select(VoucherEntry).order_by(VoucherEntry.id))]
    assert labels == ["已预留（订单已下、尚未付款）", "已确认（订单已付款）", "已释放（订单已退款）"]
    assert [e.signed_fen for e in db.session.scalars(select(VoucherEntry).order_by(VoucherEntry.id))] == [
        -30_000_00, 0, 30_000_00]


def test_running_balance_ends_at_what_is_available(funded):
    """Quota, then each row's change: the last balance is the available amount."""
    m = funded
    first, _ = place_order(m.sme, m.offering, 1, "rb-1")
    mark_paid(first.id, m.vendor)
    second, _ = place_order(m.sme, m.offering, 1, "rb-2")
    cancel(second.id, m.sme)
    rows = ledger_rows(m.sme.organisation_id, YEAR)
    assert [r.balance_fen for r in rows] == [100_000_00, 70_000_00, 70_000_00, 40_000_00, 70_000_00]
    assert rows[-1].balance_fen == voucher_position(m.sme.organisation_id, YEAR).available_fen


def read_csv(response) -> list[list[str]]:
    """Parse a CSV download (without its byte-order mark)."""
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_export_has_chinese_headers_fen_exact_yuan_and_local_dates(funded, client, auth):
    """An order placed at 20:30 UTC on 10 March is dated 11 March (Beijing time); yuan are exact decimal text."""
    m = funded
    place_order(m.sme, m.offering, 1, "csv-1", when=datetime(2026, 3, 10, 20, 30, tzinfo=UTC))
    db.session.commit()
    auth.login(m.sme.email)
    rows = read_csv(client.get(f"/vouchers/ledger.csv?year={YEAR}"))
    assert rows[0] == ["日期", "企业", "年度", "事项", "订单号", "金额（分）", "金额（元）", "余额变动（分）", "余额（分）",
                       "余额（元）"]
    reserve = rows[-1]
    with force_locale("zh_CN"):
        label = gettext("Reserved (order placed, not yet paid)")  # the Chinese text once the catalogue has it
    assert reserve[0] == "2026-03-11" and reserve[3] == label and reserve[1] == m.sme.organisation.name
    assert reserve[5:] == ["3000000", "30000.00", "-3000000", "7000000", "70000.00"]


def test_the_regions_center_exports_an_smes_ledger_others_cannot(funded, client, auth):
    """The Zhuhai center and an admin download the Zhuhai SME's ledger; the Foshan center and another SME get 403."""
    m = funded
    place_order(m.sme, m.offering, 1, "exp-1")
    db.session.commit()
    url = f"/vouchers/ledger.csv?year={YEAR}&org={m.sme.organisation_id}"
    for allowed in (m.center, m.admin):
        auth.login(allowed.email)
        assert len(read_csv(client.get(url))) == 3
        auth.logout()
    for refused in (m.foshan_center, m.foshan_sme, m.vendor):
        auth.login(refused.email)
        assert client.get(url).status_code == 403
        auth.logout()
    auth.login(m.center.email)
    page = client.get(f"/vouchers/ledger?year={YEAR}&org={m.sme.organisation_id}").get_data(as_text=True)
    assert m.sme.organisation.name in page and "¥70,000.00" in page
