"""Subsidy estimates for an enterprise, and the editing of a region's instruments with their history.

An estimate reads the rules in force for the enterprise's own city only; a city without rules gets no
estimate (the default region's rules are an example, never applied). The 模型券 row of an estimate is the
enterprise's `voucher_standing` — the same answer the dashboard and the checkout give.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace import vocab
from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.locks import lock_name
from marketplace.money import format_bp, format_fen
from marketplace.permissions import require
from marketplace.policy.calculators import Estimate, estimate
from marketplace.policy.models import PolicyInstrument
from marketplace.policy.rules import current_versions, forget_rules, instruments_for, region_for, templates


def estimate_subsidies(enterprise: Organisation, amount_fen: int, kind: str,
                       year: int) -> tuple[str | None, list[Estimate]]:
    """Return (region, estimates) for a planned purchase or project of one kind in a year; (None, []) for a
    city without rules."""
    from marketplace.diagnosis.level import rule_level
    from marketplace.vouchers.services import VOUCHER, voucher_standing

    level = rule_level(enterprise)  # the confirmed level only (see marketplace.diagnosis.level)
    results = []
    for rule in instruments_for(enterprise.city, year):
        if rule.code == "resonance_award":
            continue
        if kind not in rule.applies_to:
            results.append(Estimate(rule, 0, False, [("not_applicable", {})]))
            continue
        if rule.code == VOUCHER:
            standing = voucher_standing(enterprise, year)
            if standing.reason is not None:
                results.append(Estimate(rule, 0, False, [(standing.reason, {})]))
                continue
            results.append(estimate(rule, amount_fen, level, standing.position.used_fen,
                                    quota_fen=standing.position.quota_fen))
            continue
        results.append(estimate(rule, amount_fen, level, 0))
    return region_for(enterprise.city, year), results


# Editing a region's instruments --------------------------------------------------------------------------

def editable_regions(user: User) -> list[str]:
    """Return the regions whose instruments the user edits: its own city for a center, every city for admins."""
    if user.is_admin:
        return list(vocab.codes(vocab.CITIES))
    return [user.organisation.city] if user.organisation.is_center else []


def current_version(region: str, code: str) -> PolicyInstrument | None:
    """Return the newest version of one instrument of a region, if it was ever configured."""
    return db.session.scalar(select(PolicyInstrument).where(PolicyInstrument.region == region,
                                                            PolicyInstrument.code == code)
                             .order_by(PolicyInstrument.version.desc()).limit(1))


def save_instrument(user: User, region: str, code: str, values: dict, note: str) -> PolicyInstrument:
    """Store a region's instrument as a new version (the caller commits); nothing is ever overwritten.

    `values` holds the editable columns (`PolicyInstrument.EDITABLE`). Refused when nothing changed, when
    the years are reversed, or for an unknown instrument. Orders keep the figures they were placed with.
    """
    require(user, "policy.edit_region", region)
    template = templates().get(code)
    if template is None or region not in vocab.codes(vocab.CITIES):
        raise DomainError(_("Unknown instrument or region."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why the rule changes."), "note")
    if values["year_from"] > values["year_to"]:
        raise DomainError(_("The first year must not be after the last year."), "year_to")
    lock_name(f"policy:{region}:{code}")
    previous = current_version(region, code)
    if previous is not None and all(getattr(previous, k) == values[k] for k in PolicyInstrument.EDITABLE):
        raise DomainError(_("Nothing changed."))
    row = PolicyInstrument(region=region, code=code, version=(previous.version + 1) if previous else 1,
                           name_zh=template["name_zh"], name_en=template["name_en"],
                           applies_to=list(template["applies_to"]), note=note[:300], changed_by_id=user.id,
                           **{k: values[k] for k in PolicyInstrument.EDITABLE})
    db.session.add(row)
    db.session.flush()
    record_audit("policy.instrument_changed", user, row, {"region": region, "code": code, "version": row.version,
                                                           **{f"changed_{k}": str(v) for k, v in
                                                              changes(previous, row).items()}})
    forget_rules()
    return row


FIELD_LABELS = {
    "in_force": _l("In force"), "year_from": _l("First year"), "year_to": _l("Last year"), "rate_bp": _l("Rate"),
    "annual_cap_fen": _l("Per enterprise per year"), "item_cap_fen": _l("Per item"),
    "min_digital_level": _l("Minimum digital level (empty: none)"),
    "yearly_count_cap": _l("Awards per year at most (empty: no limit)"),
    "basis_zh": _l("Policy basis (Chinese)"), "basis_en": _l("Policy basis (English)"),
}


def shown(key: str, value) -> str:
    """Show one stored value of an instrument as people read it (percent, yuan, yes/no, or — for none)."""
    if value is None or value == "":
        return "—"
    if key == "rate_bp":
        return format_bp(value)
    if key.endswith("_fen"):
        return format_fen(value)
    if key == "in_force":
        return str(_("Yes") if value else _("No"))
    return str(value)


@dataclass(frozen=True)
class Change:
    """One version of an instrument as the history shows it: who, when, why, and each value old → new."""

    row: PolicyInstrument
    changes: dict

    def lines(self) -> list[tuple[str, str, str]]:
        """Return (label, old, new) for each changed value, as people read them."""
        return [(str(FIELD_LABELS[k]), shown(k, old), shown(k, new)) for k, (old, new) in self.changes.items()]


def changes(previous: PolicyInstrument | None, row: PolicyInstrument) -> dict:
    """Return {column: (old, new)} for the editable values that differ between two versions (for a first
    version, the values it sets)."""
    if previous is None:
        return {k: (None, getattr(row, k)) for k in PolicyInstrument.EDITABLE if getattr(row, k) not in (None, "")}
    return {k: (getattr(previous, k), getattr(row, k)) for k in PolicyInstrument.EDITABLE
            if getattr(previous, k) != getattr(row, k)}


def instrument_history(region: str) -> list[Change]:
    """Return every version of a region's instruments, newest first, each with what it changed."""
    rows = list(db.session.scalars(select(PolicyInstrument).where(PolicyInstrument.region == region)
                                   .order_by(PolicyInstrument.code, PolicyInstrument.version)))
    history: list[Change] = []
    last: dict[str, PolicyInstrument] = {}
    for row in rows:
        history.append(Change(row, changes(last.get(row.code), row)))
        last[row.code] = row
    return sorted(history, key=lambda c: c.row.id, reverse=True)


def region_instruments(region: str) -> list[PolicyInstrument]:
    """Return the newest version of each of a region's instruments."""
    return current_versions(region)
