"""The 模型券 position of an enterprise, decided in one place, and the quota applications behind it.

`voucher_standing(enterprise, year)` is the one answer to "what 模型券 money does this enterprise have?":
the estimator, the dashboard, the checkout and the quota application all read it. An enterprise gets
money only when (1) it may hold vouchers (verified, rule `organisation.hold_vouchers`), (2) its city has
a 模型券 instrument in force for the year, and (3) its region's center granted it a quota for the year.

The balance (`voucher_position`), per order's ledger rows:

    available = quota − reserved − committed
              = quota − Σ reserve + Σ release

where *quota* is what the center granted for the year less any revoked part, *reserved* is the deduction
of orders placed but not paid (a `reserve` row without `commit` or `release`), *committed* that of paid
orders not refunded (`commit` without `release`; a `redeem` row leaves it committed — redeemed is a part of
committed), and a released order (cancelled or refunded) counts for nothing.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.csv_export import csv_text
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.locks import lock_row
from marketplace.money import MAX_AMOUNT_FEN, fen_to_yuan_text, format_fen
from marketplace.orders.models import VoucherEntry, VoucherKind
from marketplace.permissions import can, require
from marketplace.policy.rules import Instrument, default_region, instrument
from marketplace.templating import local_date
from marketplace.vouchers.models import COUNTED_STATES, OPEN_STATES, QuotaApplication, QuotaState

VOUCHER = "model_voucher"
MAX_PROJECTS = 4000


@dataclass(frozen=True)
class VoucherPosition:
    """An enterprise's 模型券 money in a year, in fen: quota, what orders hold of it, and what is left."""

    quota_fen: int = 0
    reserved_fen: int = 0
    committed_fen: int = 0
    redeemed_fen: int = 0
    released_fen: int = 0

    @property
    def used_fen(self) -> int:
        """What orders hold: reserved plus committed."""
        return self.reserved_fen + self.committed_fen

    @property
    def available_fen(self) -> int:
        """What the enterprise may still deduct: quota − reserved − committed, never below zero."""
        return max(self.quota_fen - self.used_fen, 0)


@dataclass(frozen=True)
class VoucherStanding:
    """Whether and how much 模型券 money an enterprise has in a year, and why (`reason` when it has none)."""

    year: int
    city: str | None
    rule: Instrument | None
    reason: str | None
    position: VoucherPosition = field(default_factory=VoucherPosition)
    example_region: str | None = None

    @property
    def region(self) -> str | None:
        """The region whose rules apply (the enterprise's city), or None when its city has none."""
        return self.rule.region if self.rule else None

    @property
    def has_money(self) -> bool:
        """Whether any deduction is possible now."""
        return self.reason is None and self.position.available_fen > 0

    @property
    def quota_fen(self) -> int:
        """The approved quota that counts (0 when a condition is missing)."""
        return self.position.quota_fen if self.reason is None else 0

    @property
    def available_fen(self) -> int:
        """What may still be deducted (0 when a condition is missing)."""
        return self.position.available_fen if self.reason is None else 0


REASONS = {
    "not_enterprise": lambda s: _("Only manufacturing enterprises hold 模型券."),
    "unverified": lambda s: _("Your organisation is not verified yet: a promotion center must verify it before "
                              "it can apply for or use a 模型券 quota."),
    "no_rules": lambda s: _("%(city)s has no 模型券 rules configured for %(year)s, so no voucher money applies to "
                            "your orders. The rules of %(example)s are shown only as an example.",
                            city=city_name(s.city), year=s.year, example=city_name(s.example_region)),
    "no_quota": lambda s: _("You have no approved 模型券 quota for %(year)s: apply for one, and the deduction "
                            "starts once your region's promotion center approves it.", year=s.year),
}


def city_name(code: str | None) -> str:
    """Return a city's name in the reader's language."""
    from marketplace.templating import term_label

    return term_label(code, "city") if code else "—"


def explain(standing: VoucherStanding) -> str | None:
    """Say in the reader's language why an enterprise gets no 模型券 money, or None when it has a quota."""
    return REASONS[standing.reason](standing) if standing.reason else None


def granted_quota(enterprise_id: int, year: int) -> int:
    """Return the quota granted to an enterprise for a year, less what was revoked."""
    rows = db.session.scalars(select(QuotaApplication).where(QuotaApplication.enterprise_id == enterprise_id,
                                                             QuotaApplication.year == year,
                                                             QuotaApplication.state.in_(COUNTED_STATES)))
    return sum(a.quota_fen for a in rows)


def order_states(enterprise_id: int, year: int) -> dict[int | None, dict[str, int]]:
    """Return, per order, the amount of each ledger kind it has (an order has at most one row per kind)."""
    per_order: dict[int | None, dict[str, int]] = defaultdict(dict)
    rows = db.session.execute(select(VoucherEntry.order_id, VoucherEntry.kind, VoucherEntry.amount_fen)
                              .where(VoucherEntry.enterprise_id == enterprise_id, VoucherEntry.year == year))
    for order_id, kind, amount in rows:
        per_order[order_id][kind] = amount
    return per_order


def voucher_position(enterprise_id: int, year: int) -> VoucherPosition:
    """Return the year's quota and what orders hold of it (the balance rule is this module's docstring)."""
    reserved = committed = redeemed = released = 0
    for kinds in order_states(enterprise_id, year).values():
        amount = kinds.get(VoucherKind.RESERVE.value, 0)
        if VoucherKind.RELEASE.value in kinds:
            released += kinds[VoucherKind.RELEASE.value]
        elif VoucherKind.COMMIT.value in kinds:
            committed += amount
            redeemed += kinds.get(VoucherKind.REDEEM.value, 0)
        else:
            reserved += amount
    return VoucherPosition(granted_quota(enterprise_id, year), reserved, committed, redeemed, released)


def voucher_standing(enterprise: Organisation, year: int) -> VoucherStanding:
    """Decide an enterprise's 模型券 money for a year: the one function the estimator, dashboard and checkout read."""
    if not enterprise.is_enterprise:
        return VoucherStanding(year, enterprise.city, None, "not_enterprise")
    rule = instrument(VOUCHER, enterprise.city, year)
    if rule is None:
        return VoucherStanding(year, enterprise.city, None, "no_rules", example_region=default_region())
    position = voucher_position(enterprise.id, year)
    if not can(None, "organisation.hold_vouchers", enterprise):
        return VoucherStanding(year, enterprise.city, rule, "unverified", position)
    if position.quota_fen <= 0:
        return VoucherStanding(year, enterprise.city, rule, "no_quota", position)
    return VoucherStanding(year, enterprise.city, rule, None, position)


def deduction_for(standing: VoucherStanding, eligible_fen: int, digital_level: int | None) -> int:
    """Return the 模型券 deduction an eligible amount gets: the rule's rate and caps, within the available quota."""
    from marketplace.policy.calculators import voucher_deduction

    if standing.reason is not None:
        return 0
    return voucher_deduction(eligible_fen, standing.position.used_fen, standing.rule, digital_level,
                             quota_fen=standing.position.quota_fen)


# Quota applications ---------------------------------------------------------------------------------------

def now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def open_application(enterprise_id: int, year: int) -> QuotaApplication | None:
    """Return the enterprise's application for a year that awaits a decision or was granted, if any."""
    return db.session.scalar(select(QuotaApplication).where(QuotaApplication.enterprise_id == enterprise_id,
                                                            QuotaApplication.year == year,
                                                            QuotaApplication.state.in_(OPEN_STATES)))


def apply_for_quota(user: User, year: int, projects: str, requested_fen: int | None,
                    when: datetime | None = None) -> QuotaApplication:
    """File the user's SME's application for a year's 模型券 quota (the caller commits); its centers are told."""
    require(user, "quota.apply")
    enterprise = user.organisation
    lock_row(Organisation, enterprise.id)
    rule = instrument(VOUCHER, enterprise.city, year)
    if rule is None:
        raise DomainError(_("%(city)s has no 模型券 rules configured for %(year)s: there is no quota to apply for.",
                            city=city_name(enterprise.city), year=year))
    projects = (projects or "").strip()
    if not projects:
        raise DomainError(_("Describe the projects you plan to pay with the vouchers."), "projects")
    if len(projects) > MAX_PROJECTS:
        raise DomainError(_("Keep the planned projects under %(n)s characters.", n=MAX_PROJECTS), "projects")
    if requested_fen is None or requested_fen <= 0:
        raise DomainError(_("Enter the amount you apply for."), "amount")
    cap = rule.annual_cap_fen if rule.annual_cap_fen is not None else MAX_AMOUNT_FEN
    if requested_fen > cap:
        raise DomainError(_("The 模型券 is at most %(cap)s per enterprise per year.", cap=format_fen(cap)), "amount")
    if open_application(enterprise.id, year) is not None:
        raise DomainError(_("You already have an application for %(year)s that is awaiting a decision or granted.",
                            year=year))
    application = QuotaApplication(enterprise_id=enterprise.id, year=year, region=rule.region, projects=projects,
                                   requested_fen=requested_fen, state=QuotaState.APPLIED.value,
                                   submitted_by_id=user.id, created_at=when or now())
    db.session.add(application)
    db.session.flush()
    record_audit("quota.applied", user, application, {"year": year, "requested_fen": requested_fen})
    from marketplace.vouchers.events import quota_applied

    quota_applied(application, user)
    return application


def grant_headroom(application: QuotaApplication, rule: Instrument | None) -> int:
    """Return the most a center may grant on an application: the amount asked, within what the annual cap leaves."""
    if rule is None:
        return 0
    others = granted_quota(application.enterprise_id, application.year)
    cap = rule.annual_cap_fen if rule.annual_cap_fen is not None else MAX_AMOUNT_FEN
    return max(min(application.requested_fen, cap - others), 0)


def applications_for(enterprise_id: int) -> list[QuotaApplication]:
    """Return an enterprise's applications, newest first."""
    return list(db.session.scalars(select(QuotaApplication).where(QuotaApplication.enterprise_id == enterprise_id)
                                   .order_by(QuotaApplication.year.desc(), QuotaApplication.id.desc())))


def applications_queue(user: User, state: str | None = QuotaState.APPLIED.value) -> Select:
    """Select the applications a center (its own city) or an admin (every region) decides, oldest first."""
    stmt = select(QuotaApplication)
    if not user.is_admin:
        stmt = stmt.where(QuotaApplication.region == user.organisation.city)
    if state:
        stmt = stmt.where(QuotaApplication.state == state)
    return stmt.order_by(QuotaApplication.created_at, QuotaApplication.id)


def pending_count(user: User) -> int:
    """Count the applications awaiting this center's (or admin's) decision."""
    stmt = applications_queue(user)
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


# The ledger with its running balance, and its CSV ------------------------------------------------------------

@dataclass(frozen=True)
class LedgerRow:
    """One line of the ledger page and CSV: when, what, the order, the change and the balance after it."""

    when: datetime
    label: str
    order_id: int | None
    amount_fen: int
    signed_fen: int
    balance_fen: int


def ledger_rows(enterprise_id: int, year: int) -> list[LedgerRow]:
    """Return a year's ledger oldest first: quota granted and revoked, each order's rows, with a running balance
    that ends at the available amount."""
    events: list[tuple[datetime, int, str, int | None, int, int]] = []
    for application in db.session.scalars(select(QuotaApplication).where(
            QuotaApplication.enterprise_id == enterprise_id, QuotaApplication.year == year,
            QuotaApplication.state.in_(COUNTED_STATES))):
        events.append((aware(application.decided_at), 0, _("Quota approved by the promotion center"), None,
                       application.granted_fen or 0, application.granted_fen or 0))
        if application.revoked_fen:
            events.append((aware(application.revoked_at), 0, _("Unspent quota revoked: %(reason)s",
                                                                reason=application.revoke_reason or ""),
                           None, application.revoked_fen, -application.revoked_fen))
    entries = db.session.scalars(select(VoucherEntry).where(VoucherEntry.enterprise_id == enterprise_id,
                                                            VoucherEntry.year == year)
                                 .order_by(VoucherEntry.created_at, VoucherEntry.id))
    for entry in entries:
        events.append((aware(entry.created_at), 1, entry.kind_label, entry.order_id, entry.amount_fen,
                       entry.signed_fen))
    events.sort(key=lambda e: (e[0], e[1]))
    rows, balance = [], 0
    for when, _order, label, order_id, amount, signed in events:
        balance += signed
        rows.append(LedgerRow(when, label, order_id, amount, signed, balance))
    return rows


def aware(moment: datetime | None) -> datetime:
    """Read a stored time as UTC (SQLite gives it back without a zone)."""
    moment = moment or datetime(1970, 1, 1)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def ledger_csv(enterprise: Organisation, year: int) -> str:
    """Render a year's ledger as CSV with Chinese headers: amounts in integer fen and as exact yuan text."""
    header = ["日期", "企业", "年度", "事项", "订单号", "金额（分）", "金额（元）", "余额变动（分）",
              "余额（分）", "余额（元）"]
    rows = [[local_date(r.when), enterprise.name, year, r.label, r.order_id or "", r.amount_fen,
             fen_to_yuan_text(r.amount_fen), r.signed_fen, r.balance_fen, fen_to_yuan_text(r.balance_fen)]
            for r in ledger_rows(enterprise.id, year)]
    return csv_text(header, rows, bom=True)
