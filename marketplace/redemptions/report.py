"""The reimbursement report: confirmed redemptions per vendor for a region and period — what the voucher
authority owes each vendor — as a page (printable) and a CSV.

A period is a month (`2026-11`) or a quarter (`2026-Q4`) in local time (the site's timezone, Asia/Shanghai):
a redemption confirmed at 2026-11-30 23:30 in Shanghai (15:30 UTC) belongs to November. Amounts are integer
fen; the CSV gives yuan as exact text beside them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation, User
from marketplace.csv_export import csv_text
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.money import fen_to_yuan_text
from marketplace.orders.models import Order
from marketplace.permissions import require
from marketplace.redemptions.models import Redemption, RedemptionState

PERIOD = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


def local_zone() -> ZoneInfo:
    """Return the site's local timezone."""
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")


def local(moment: datetime | None) -> datetime | None:
    """Return a stored UTC time (naive from the database, or aware) in local time."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_zone())


def local_date(moment: datetime | None) -> str:
    """Return a stored UTC time's local date as YYYY-MM-DD ('' when missing)."""
    shown = local(moment)
    return shown.strftime("%Y-%m-%d") if shown else ""


@dataclass(frozen=True)
class Period:
    """A month or a quarter, with its UTC bounds [start, end) computed from local midnight."""

    code: str
    first: date
    after: date

    @property
    def start_utc(self) -> datetime:
        """The period's first local midnight, in UTC (naive, as the database stores times)."""
        return utc_midnight(self.first)

    @property
    def end_utc(self) -> datetime:
        """The local midnight after the period, in UTC (naive)."""
        return utc_midnight(self.after)

    @property
    def label(self) -> str:
        """The period as people write it: 2026年11月 / 2026年第4季度 (or Nov 2026 / Q4 2026)."""
        match = PERIOD.match(self.code)
        assert match
        year, month, quarter = match.groups()
        if quarter:
            return _("Q%(quarter)s %(year)s", quarter=quarter, year=year)
        return _("%(year)s-%(month)s", year=year, month=month)


def utc_midnight(day: date) -> datetime:
    """Return a local midnight as a naive UTC time."""
    return datetime(day.year, day.month, day.day, tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


def parse_period(code: str | None, today: date | None = None) -> Period:
    """Read a period code (YYYY-MM or YYYY-Qn); empty means the current local month."""
    if not code:
        today = today or datetime.now(local_zone()).date()
        code = f"{today.year}-{today.month:02d}"
    match = PERIOD.match(code.strip())
    if not match:
        raise DomainError(_("Choose a month (2026-11) or a quarter (2026-Q4)."), "period")
    year, month, quarter = int(match.group(1)), match.group(2), match.group(3)
    first_month = int(month) if month else (int(quarter) - 1) * 3 + 1
    span = 1 if month else 3
    after_month = first_month + span
    after = date(year + 1, after_month - 12, 1) if after_month > 12 else date(year, after_month, 1)
    return Period(code.strip(), date(year, first_month, 1), after)


@dataclass
class VendorLines:
    """One vendor's confirmed redemptions in the period and the amount owed to it."""

    vendor: Organisation
    lines: list[Redemption] = field(default_factory=list)
    owed_fen: int = 0
    invoiced_fen: int = 0


@dataclass
class Report:
    """A region's reimbursement report for a period: lines per vendor and the totals."""

    region: str | None
    period: Period
    vendors: list[VendorLines] = field(default_factory=list)
    owed_fen: int = 0
    invoiced_fen: int = 0
    count: int = 0


def reimbursement_report(user: User, period: Period, region: str | None = None) -> Report:
    """Build the report the user may read: a center its own region, an admin any region (None: all), a vendor
    only its own lines (in any region, or the one asked)."""
    require(user, "reimbursement.view")
    vendor_id = None
    if not user.is_admin and user.organisation.is_center:
        region = user.organisation.city
    elif not user.is_admin:
        vendor_id = user.organisation_id
    stmt = (select(Redemption).where(Redemption.state == RedemptionState.REDEEMED.value,
                                     Redemption.redeemed_at >= period.start_utc,
                                     Redemption.redeemed_at < period.end_utc)
            .options(selectinload(Redemption.order).selectinload(Order.buyer), selectinload(Redemption.vendor))
            .order_by(Redemption.vendor_id, Redemption.redeemed_at, Redemption.id))
    if region:
        stmt = stmt.where(Redemption.region == region)
    if vendor_id is not None:
        stmt = stmt.where(Redemption.vendor_id == vendor_id)
    report = Report(region or None, period)
    by_vendor: dict[int, VendorLines] = {}
    for line in db.session.scalars(stmt):
        group = by_vendor.get(line.vendor_id)
        if group is None:
            group = by_vendor[line.vendor_id] = VendorLines(line.vendor)
            report.vendors.append(group)
        group.lines.append(line)
        group.owed_fen += line.claimed_fen
        group.invoiced_fen += line.invoice_fen
        report.owed_fen += line.claimed_fen
        report.invoiced_fen += line.invoice_fen
        report.count += 1
    report.vendors.sort(key=lambda g: g.vendor.name)
    return report


CSV_HEADER = ["行类型", "地区", "服务商", "服务商统一社会信用代码", "订单号", "采购企业", "下单日期", "交付日期",
              "核销确认日期", "发票号码", "订单金额（分）", "订单金额（元）", "发票金额（分）", "发票金额（元）",
              "模型券核销金额（分）", "模型券核销金额（元）"]


def report_csv(report: Report) -> str:
    """Render the report as CSV: one row per redemption, a subtotal per vendor, then the total (Chinese headers,
    local dates, fen and exact yuan)."""
    rows: list[list] = []
    for group in report.vendors:
        for line in group.lines:
            order = line.order
            rows.append(["明细", line.region, group.vendor.name, group.vendor.credit_code, order.id, order.buyer.name,
                         local_date(order.created_at), local_date(order.fulfilled_at), local_date(line.redeemed_at),
                         line.invoice_number, order.list_fen, fen_to_yuan_text(order.list_fen), line.invoice_fen,
                         fen_to_yuan_text(line.invoice_fen), line.claimed_fen, fen_to_yuan_text(line.claimed_fen)])
        rows.append(["服务商小计", report.region or "", group.vendor.name, group.vendor.credit_code, "", "", "", "",
                     "", "", "", "", group.invoiced_fen, fen_to_yuan_text(group.invoiced_fen), group.owed_fen,
                     fen_to_yuan_text(group.owed_fen)])
    rows.append(["合计", report.region or "", "", "", "", "", "", "", "", "", "", "", report.invoiced_fen,
                 fen_to_yuan_text(report.invoiced_fen), report.owed_fen, fen_to_yuan_text(report.owed_fen)])
    return csv_text(CSV_HEADER, rows, bom=True)


def period_choices(today: date | None = None) -> list[tuple[str, str]]:
    """Return the periods offered on the report page: the last 12 months, then this year's and last year's
    quarters, newest first."""
    today = today or datetime.now(local_zone()).date()
    months = []
    year, month = today.year, today.month
    for _step in range(12):
        months.append(f"{year}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    quarters = [f"{y}-Q{q}" for y in (today.year, today.year - 1) for q in (4, 3, 2, 1)
                if date(y, (q - 1) * 3 + 1, 1) <= today]
    return [(code, parse_period(code).label) for code in months + quarters]
