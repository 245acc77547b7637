"""Subsidy estimates for an enterprise: every instrument in force, what it may claim, and why or why not."""
from __future__ import annotations

from marketplace.accounts.models import Organisation
from marketplace.policy.calculators import Estimate, estimate
from marketplace.policy.rules import instruments_for, region_for


def estimate_subsidies(enterprise: Organisation, amount_fen: int, kind: str, year: int) -> tuple[str, list[Estimate]]:
    """Return (region, estimates) for a planned purchase or project of one kind in a year."""
    from marketplace.orders.services import voucher_used

    results = []
    for rule in instruments_for(enterprise.city, year):
        if rule.code == "resonance_award":
            continue
        if kind not in rule.applies_to:
            results.append(Estimate(rule, 0, False, [("not_applicable", {})]))
            continue
        used = voucher_used(enterprise.id, year) if rule.code == "model_voucher" else 0
        results.append(estimate(rule, amount_fen, enterprise.digital_level, used))
    return region_for(enterprise.city, year), results
