"""Policy calculators: pure functions over the rules and what an enterprise has already used.

All amounts are integer fen. Percentages are applied with floor rounding so a subsidy never exceeds
its rate; caps are applied after the rate. `estimate` is the one calculator: the deduction at checkout
(`voucher_deduction`) is the estimate of the same rule, so the estimator and the order never disagree on a
missing rate (null means no rate limit: only the caps apply) or on the minimum 数字化水平. The 模型券 is
also bounded by the enterprise's approved quota (`quota_fen`, see `marketplace.vouchers.services`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from marketplace.policy.rules import Instrument


def rate_of(amount_fen: int, rate_bp: int) -> int:
    """Return floor(amount × rate) in fen for a rate in basis points."""
    if amount_fen < 0 or rate_bp < 0:
        raise ValueError("amount and rate must not be negative")
    return amount_fen * rate_bp // 10_000


@dataclass
class Estimate:
    """What an enterprise may claim from one instrument for a planned purchase or project, and why."""

    instrument: Instrument
    amount_fen: int
    eligible: bool
    reasons: list[tuple[str, dict]] = field(default_factory=list)


def estimate(rule: Instrument, amount_fen: int, digital_level: int | None, used_fen: int,
             awarded_count: int = 0, quota_fen: int | None = None) -> Estimate:
    """Estimate one instrument: level eligibility, the rate, the per-item cap, the annual cap, the yearly count
    and, for an instrument paid from an approved quota (the 模型券), what is left of that quota."""
    reasons: list[tuple[str, dict]] = []
    if rule.min_digital_level is not None and (digital_level or 0) < rule.min_digital_level:
        reasons.append(("level_too_low", {"required": rule.min_digital_level, "actual": digital_level or 0}))
        return Estimate(rule, 0, False, reasons)
    if rule.yearly_count_cap is not None and awarded_count >= rule.yearly_count_cap:
        reasons.append(("count_reached", {"cap": rule.yearly_count_cap}))
        return Estimate(rule, 0, False, reasons)
    value = rate_of(amount_fen, rule.rate_bp) if rule.rate_bp is not None else amount_fen
    if rule.rate_bp is not None:
        reasons.append(("rate", {"rate_bp": rule.rate_bp, "amount": value}))
    if rule.item_cap_fen is not None and value > rule.item_cap_fen:
        value = rule.item_cap_fen
        reasons.append(("item_cap", {"cap": rule.item_cap_fen}))
    if rule.annual_cap_fen is not None:
        remaining = max(rule.annual_cap_fen - used_fen, 0)
        if value > remaining:
            value = remaining
            reasons.append(("annual_cap", {"cap": rule.annual_cap_fen, "used": used_fen, "remaining": remaining}))
    if quota_fen is not None:
        left = max(quota_fen - used_fen, 0)
        if value > left:
            value = left
            reasons.append(("quota", {"quota": quota_fen, "used": used_fen, "remaining": left}))
    return Estimate(rule, value, value > 0, reasons)


def voucher_deduction(eligible_fen: int, used_fen: int, rule: Instrument | None,
                      digital_level: int | None = None, quota_fen: int | None = None) -> int:
    """Return the 模型券 deduction for an eligible amount at order time: exactly what `estimate` allows."""
    if rule is None or eligible_fen <= 0:
        return 0
    return estimate(rule, eligible_fen, digital_level, used_fen, quota_fen=quota_fen).amount_fen
