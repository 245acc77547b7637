"""Revenue statements: each party's ledger rows for a period, by agreement and by order, with totals and CSV."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.csv_export import csv_text
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.money import combine_sum, exact_sum, fen_to_yuan_text
from marketplace.permissions import can
from marketplace.resonance.models import Agreement, LedgerEntry


@dataclass
class Statement:
    """A party's statement for a period: rows, subtotals per agreement and per order, and the total."""

    party_id: int | None
    start: date | None
    end: date | None
    rows: list[LedgerEntry] = field(default_factory=list)
    by_agreement: dict[int, int] = field(default_factory=dict)
    by_order: dict[int, int] = field(default_factory=dict)
    total_fen: int = 0
    revenue_fen: int = 0
    reversed_fen: int = 0


def period_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Turn an inclusive date range into UTC datetime bounds [start, end + 1 day)."""
    low = datetime.combine(start, time.min, tzinfo=UTC) if start else None
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC) if end else None
    return low, high


def can_see_statement(user: User, agreement: Agreement | None = None, party_id: int | None = None) -> bool:
    """A party sees its own statement and its agreements; promotion centers and admins see everything."""
    if agreement is not None and not can(user, "agreement.view", agreement):
        return False
    return (party_id is None and agreement is not None) or can(user, "statement.view", party_id)


def reader_party(user: User, party_id: int | None) -> None:
    """Refuse a reader the statement of a party (None: every party) is not for."""
    if party_id is None and not can(user, "agreement.overview"):
        raise PermissionDenied()
    if party_id is not None and not can(user, "statement.view", party_id):
        raise PermissionDenied()


def period_dates(period: str) -> tuple[date, date] | None:
    """Return the first and last day of a period named YYYY-MM (a month) or YYYY (a year); None if malformed."""
    year_text, _sep, month_text = period.partition("-")
    if not (len(year_text) == 4 and year_text.isdigit() and year_text.isascii()):
        return None
    year = int(year_text)
    if year < 2000:
        return None
    if not _sep:
        return date(year, 1, 1), date(year, 12, 31)
    if not (len(month_text) == 2 and month_text.isdigit() and month_text.isascii() and 1 <= int(month_text) <= 12):
        return None
    month = int(month_text)
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


@dataclass(frozen=True)
class PeriodFigures:
    """A month or a year with ledger rows for a reader: its name, first and last day, rows and net total."""

    period: str
    start: date
    end: date
    entries: int
    total_fen: int


def statement_periods(user: User, party_id: int | None) -> tuple[list[PeriodFigures], list[PeriodFigures]]:
    """Return the months and the years (newest first) in which a party (None: every party) has ledger rows."""
    from sqlalchemy import func

    reader_party(user, party_id)
    year, month = func.extract("year", LedgerEntry.created_at), func.extract("month", LedgerEntry.created_at)
    stmt = select(year, month, func.count(LedgerEntry.id), *exact_sum(LedgerEntry.amount_fen)).group_by(year, month)
    if party_id is not None:
        stmt = stmt.where(LedgerEntry.party_id == party_id)
    months: list[PeriodFigures] = []
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for y, m, count, high, low in db.session.execute(stmt).all():
        y, m, total = int(y), int(m), combine_sum(high, low)
        name = f"{y:04d}-{m:02d}"
        start, end = period_dates(name) or (date(y, m, 1), date(y, m, 1))
        months.append(PeriodFigures(name, start, end, int(count), total))
        years[y][0] += int(count)
        years[y][1] += total
    months.sort(key=lambda p: p.period, reverse=True)
    return months, [PeriodFigures(f"{y:04d}", date(y, 1, 1), date(y, 12, 31), count, total)
                    for y, (count, total) in sorted(years.items(), reverse=True)]


def statement(user: User, party_id: int | None, start: date | None = None, end: date | None = None,
              agreement_id: int | None = None) -> Statement:
    """Build a statement for one party (or, for centers, every party when party_id is None)."""
    agreement = db.session.get(Agreement, agreement_id) if agreement_id else None
    if party_id is None and not can(user, "agreement.overview"):
        raise PermissionDenied()
    if not can_see_statement(user, agreement, party_id):
        raise PermissionDenied()
    low, high = period_bounds(start, end)
    stmt = select(LedgerEntry)
    if party_id is not None:
        stmt = stmt.where(LedgerEntry.party_id == party_id)
    if agreement_id is not None:
        stmt = stmt.where(LedgerEntry.agreement_id == agreement_id)
    if low is not None:
        stmt = stmt.where(LedgerEntry.created_at >= low)
    if high is not None:
        stmt = stmt.where(LedgerEntry.created_at < high)
    rows = list(db.session.scalars(stmt.order_by(LedgerEntry.created_at, LedgerEntry.id)))
    result = Statement(party_id, start, end, rows)
    by_agreement: dict[int, int] = defaultdict(int)
    by_order: dict[int, int] = defaultdict(int)
    for row in rows:
        by_agreement[row.agreement_id] += row.amount_fen
        by_order[row.order_id] += row.amount_fen
        if row.kind == "revenue":
            result.revenue_fen += row.amount_fen
        else:
            result.reversed_fen += row.amount_fen
    result.by_agreement, result.by_order = dict(by_agreement), dict(by_order)
    result.total_fen = result.revenue_fen + result.reversed_fen
    return result


MACHINE_HEADER = ["entry_id", "date_utc", "agreement_id", "agreement", "version", "order_id", "party_id", "party",
                  "kind", "share_bp", "amount_fen", "amount_yuan"]
"""The CSV header integrations read (the API's CSV): stable English names, times in UTC."""

PEOPLE_HEADER = {
    "zh": ["流水号", "日期（北京时间）", "协议编号", "协议", "版本", "订单号", "参与方编号", "参与方", "类型",
           "分成比例（基点）", "金额（分）", "金额（元）"],
    "en": ["Entry", "Date (China time)", "Agreement no.", "Agreement", "Version", "Order no.", "Party no.", "Party",
           "Kind", "Share (basis points)", "Amount (fen)", "Amount (yuan)"],
}
"""The CSV header people read (the statement page's download), by language; dates in the site's time zone."""

KIND_WORDS = {"zh": {"revenue": "分成收入", "reversal": "退款冲回"},
              "en": {"revenue": "Revenue share", "reversal": "Refund reversal"}}


def statement_csv(result: Statement, locale: str | None = None, zone: str = "Asia/Shanghai") -> str:
    """Render a statement as CSV (amounts in fen and in yuan, one row per ledger entry, then the total).

    Without a locale it is the machine form (English column names, UTC, ledger codes) the API serves; with one
    it is what a person downloads from the statement page: column names and kinds in their language, times in
    the site's time zone. Yuan are formatted from the integer fen (never through a float), and titles and names
    go through the shared CSV writer, so a title such as "=HYPERLINK(...)" stays text in a spreadsheet.
    """
    from zoneinfo import ZoneInfo

    language = None if locale is None else ("en" if str(locale).startswith("en") else "zh")
    header = MACHINE_HEADER if language is None else PEOPLE_HEADER[language]
    tz = ZoneInfo(zone)

    def when(moment) -> str:
        if language is None:
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        return moment.replace(tzinfo=UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")

    def kind(code: str) -> str:
        return code if language is None else KIND_WORDS[language].get(code, code)

    rows = [[row.id, when(row.created_at), row.agreement_id, row.agreement.title,
             row.version.number, row.order_id, row.party_id, row.party.name, kind(row.kind), row.share_bp,
             row.amount_fen, fen_to_yuan_text(row.amount_fen)] for row in result.rows]
    total = "total" if language is None else ("合计" if language == "zh" else "Total")
    rows.append([total, "", "", "", "", "", result.party_id or "", "", "", "", result.total_fen,
                 fen_to_yuan_text(result.total_fen)])
    return csv_text(header, rows)


def agreement_totals() -> dict[int, dict[str, int]]:
    """Return per agreement the revenue split, reversals and net total (for the promotion-center overview)."""
    rows = db.session.execute(select(LedgerEntry.agreement_id, LedgerEntry.kind, *exact_sum(LedgerEntry.amount_fen))
                              .group_by(LedgerEntry.agreement_id, LedgerEntry.kind)).all()
    totals: dict[int, dict[str, int]] = defaultdict(lambda: {"revenue": 0, "reversal": 0, "net": 0})
    for agreement_id, kind, high, low in rows:
        amount = combine_sum(high, low)
        totals[agreement_id][kind] = amount
        totals[agreement_id]["net"] += amount
    return dict(totals)
