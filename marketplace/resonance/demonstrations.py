"""模数共振 demonstration selection: promotion centers pick active agreements per year, within the policy caps."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.locks import lock_name
from marketplace.money import format_fen
from marketplace.permissions import require
from marketplace.policy.rules import instrument
from marketplace.resonance.models import Agreement, AgreementState, DemonstrationSelection
from marketplace.resonance.services import lock_agreement


def selections(year: int | None = None) -> list[DemonstrationSelection]:
    """Return the demonstration selections (of a year), newest year first."""
    stmt = select(DemonstrationSelection)
    if year is not None:
        stmt = stmt.where(DemonstrationSelection.year == year)
    return list(db.session.scalars(stmt.order_by(DemonstrationSelection.year.desc(), DemonstrationSelection.id)))


def select_demonstration(agreement_id: int, user: User, year: int, award_fen: int, reason: str,
                         when: datetime | None = None) -> DemonstrationSelection:
    """Select an active agreement as a demonstration case; the yearly count and the award cap are enforced."""
    require(user, "demonstration.select")
    rule = instrument("resonance_award", user.organisation.city, year)
    if rule is None:
        raise DomainError(_("No demonstration award is defined for %(year)s.", year=year), "year")
    agreement = lock_agreement(agreement_id)
    if agreement.state != AgreementState.ACTIVE.value:
        raise DomainError(_("Only an active agreement can be selected."))
    if award_fen is None or award_fen <= 0:
        raise DomainError(_("The award must be more than zero."), "award")
    if rule.item_cap_fen is not None and award_fen > rule.item_cap_fen:
        raise DomainError(_("The award may be at most %(cap)s.", cap=format_fen(rule.item_cap_fen)), "award")
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for the selection."), "reason")
    lock_name(f"resonance:demonstrations:{year}")  # two centers cannot both take the year's last place
    taken = list(db.session.scalars(select(DemonstrationSelection).where(DemonstrationSelection.year == year)))
    if any(s.agreement_id == agreement.id for s in taken):
        raise DomainError(_("This agreement is already selected for %(year)s.", year=year))
    if rule.yearly_count_cap is not None and len(taken) >= rule.yearly_count_cap:
        raise DomainError(_("%(year)s already has %(cap)s demonstration cases, the most allowed.",
                               year=year, cap=rule.yearly_count_cap))
    selection = DemonstrationSelection(agreement=agreement, center_id=user.organisation_id, year=year,
                                       award_fen=award_fen, reason=reason.strip()[:500],
                                       created_at=when or datetime.now(UTC))
    db.session.add(selection)
    db.session.flush()
    record_audit("demonstration.selected", user, agreement, {"year": year, "award_fen": award_fen})
    return selection


def selected_count(year: int) -> int:
    """Return how many agreements are selected for a year."""
    return db.session.scalar(select(func.count()).select_from(DemonstrationSelection)
                             .where(DemonstrationSelection.year == year)) or 0


def demonstration_agreements() -> dict[int, list[DemonstrationSelection]]:
    """Return {agreement id: its selections}, for marking cases and offerings publicly."""
    out: dict[int, list[DemonstrationSelection]] = {}
    for s in selections():
        out.setdefault(s.agreement_id, []).append(s)
    return out


def agreements_for_selection() -> list[Agreement]:
    """Return the active agreements a center may select from."""
    return list(db.session.scalars(select(Agreement).where(Agreement.state == AgreementState.ACTIVE.value)
                                   .order_by(Agreement.id)))


def demonstration_offering_ids() -> dict[int, int]:
    """Return {offering id: latest demonstration year} for offerings covered by a selected agreement."""
    out: dict[int, int] = {}
    for s in selections():
        version = s.agreement.active_version or s.agreement.latest_version
        for offering in version.offerings:
            out[offering.id] = max(out.get(offering.id, 0), s.year)
    return out
