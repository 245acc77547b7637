"""The reimbursement report: exact totals per vendor and period, local-time boundaries, who sees what, CSV."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.redemptions.report import parse_period, reimbursement_report, report_csv
from marketplace.redemptions.services import decide, submit_redemption
from tests.factories import make_user
from tests.redemptions.helpers import full_claim, three_files, voucher_order

LATE_NOV = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)   # 23:59 on 30 November in Shanghai
EARLY_DEC = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 00:30 on 1 December in Shanghai


def redeemed(when: datetime, price_fen: int, key: str, **parties):
    """A delivered voucher order whose redemption the zhuhai center confirmed at `when`."""
    w = voucher_order(price_fen=price_fen, key=key, **parties)
    redemption = submit_redemption(w.vendor, w.order, full_claim(w.order, f"INV-{key}"), three_files())
    db.session.flush()
    decide(redemption.id, "redeem", w.center, when=when)
    db.session.commit()
    return w


@pytest.fixture
def confirmed(in_app):
    """Two vendors in zhuhai's region: 甲 with redemptions confirmed late on 30 November and early on 1 December
    (local time), 乙 with one in November."""
    center = make_user("center", city="zhuhai")
    vendor_a, vendor_b = make_user("vendor", name="甲服务商"), make_user("vendor", name="乙服务商")
    a1 = redeemed(LATE_NOV, 12_345_67, "a1", vendor=vendor_a, center=center)
    a2 = redeemed(EARLY_DEC, 1_000_01, "a2", vendor=vendor_a, center=center)
    b1 = redeemed(datetime(2026, 11, 2, 3, 0, tzinfo=UTC), 999_99, "b1", vendor=vendor_b, center=center)
    return {"center": center, "a": vendor_a, "b": vendor_b, "a1": a1, "a2": a2, "b1": b1}


def test_periods_are_months_or_quarters_in_local_time():
    """November 2026 runs from 1 Nov 00:00 to 1 Dec 00:00 Shanghai time, i.e. 31 Oct 16:00 to 30 Nov 16:00 UTC."""
    from marketplace import create_app

    with create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).app_context():
        november = parse_period("2026-11")
        assert (november.first, november.after) == (date(2026, 11, 1), date(2026, 12, 1))
        assert november.start_utc == datetime(2026, 10, 31, 16, 0) and november.end_utc == datetime(2026, 11, 30, 16, 0)
        q4 = parse_period("2026-Q4")
        assert (q4.first, q4.after) == (date(2026, 10, 1), date(2027, 1, 1))
        assert parse_period(None, today=date(2026, 3, 9)).code == "2026-03"
        for bad in ("2026-13", "2026-Q5", "26-11", "2026-11; drop"):
            with pytest.raises(DomainError):
                parse_period(bad)


def test_totals_per_vendor_are_exact_and_follow_local_period_boundaries(confirmed):
    """A redemption confirmed at 23:59 local on 30 November counts in November, one at 00:30 local on
    1 December in December; each vendor's amount owed is the exact sum of its deductions."""
    a1, a2, b1 = (confirmed[k].order for k in ("a1", "a2", "b1"))
    november = reimbursement_report(confirmed["center"], parse_period("2026-11"))
    owed = {g.vendor.name: (g.owed_fen, [r.order_id for r in g.lines]) for g in november.vendors}
    assert owed == {"甲服务商": (a1.voucher_fen, [a1.id]), "乙服务商": (b1.voucher_fen, [b1.id])}
    assert a1.voucher_fen == 3_703_70 and b1.voucher_fen == 299_99  # 30% rounded down to the fen
    assert november.owed_fen == 3_703_70 + 299_99 and november.count == 2
    december = reimbursement_report(confirmed["center"], parse_period("2026-12"))
    assert [(g.vendor.name, g.owed_fen) for g in december.vendors] == [("甲服务商", a2.voucher_fen)]
    quarter = reimbursement_report(confirmed["center"], parse_period("2026-Q4"))
    assert quarter.owed_fen == a1.voucher_fen + a2.voucher_fen + b1.voucher_fen and quarter.count == 3


def test_a_center_sees_its_region_a_vendor_its_own_lines(confirmed):
    """A foshan center's report of zhuhai redemptions is empty; a vendor sees only its lines; an admin all."""
    q4 = parse_period("2026-Q4")
    assert reimbursement_report(make_user("center", city="foshan"), q4).count == 0
    mine = reimbursement_report(confirmed["b"], q4)
    assert [g.vendor.id for g in mine.vendors] == [confirmed["b"].organisation_id] and mine.count == 1
    assert reimbursement_report(make_user("admin"), q4).count == 3
    assert reimbursement_report(make_user("admin"), q4, region="shantou").count == 0
    from marketplace.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        reimbursement_report(make_user("enterprise", city="zhuhai"), q4)


def test_csv_has_chinese_headers_local_dates_fen_and_exact_yuan(confirmed):
    """The CSV lists each redemption with local dates, fen and yuan text, a subtotal per vendor and the total."""
    report = reimbursement_report(confirmed["center"], parse_period("2026-11"))
    text = report_csv(report)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["行类型", "地区", "服务商"] and "模型券核销金额（元）" in rows[0]
    detail = [r for r in rows if r[0] == "明细"]
    late = next(r for r in detail if r[4] == str(confirmed["a1"].order.id))
    assert late[8] == "2026-11-30"  # confirmed 15:59 UTC = 23:59 in Shanghai
    assert late[-2:] == ["370370", "3703.70"]
    assert {r[2]: r[-2:] for r in rows if r[0] == "服务商小计"} == {"甲服务商": ["370370", "3703.70"],
                                                                  "乙服务商": ["29999", "299.99"]}
    assert rows[-1][0] == "合计" and rows[-1][-2:] == ["400369", "4003.69"]


def test_report_page_and_csv_download(app, client, auth):
    """The center's page shows the period's lines and totals and offers the CSV and printing."""
    with app.app_context():
        w = redeemed(LATE_NOV, 12_345_67, "p1")
        center_email = w.center.email
    auth.login(center_email)
    page = client.get("/reimbursement?period=2026-11").get_data(as_text=True)
    assert "INV-p1" in page and "¥3,703.70" in page and 'data-action="print"' in page
    assert "INV-p1" not in client.get("/reimbursement?period=2026-10").get_data(as_text=True)
    response = client.get("/reimbursement?period=2026-11&format=csv")
    assert response.mimetype == "text/csv" and "370370" in response.get_data(as_text=True)
    assert "attachment" in response.headers["Content-Disposition"]
