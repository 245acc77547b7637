"""Verification and attestation services: submit a licence, decide, revoke; the queues; attest a result.

Who may do each thing is `marketplace.trust.permissions`; how a request, an organisation's verification
or an evaluation row moves is `marketplace.trust.process`. The caller commits, once.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.catalog.models import Attestation, IndustrialModel, ModelEvaluation
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.locks import load_locked
from marketplace.permissions import require
from marketplace.trust.models import VerificationRequest, VerificationState
from marketplace.trust.permissions import ATTESTING_KINDS
from marketplace.trust.process import ATTESTATION, ORGANISATION, VERIFICATION
from marketplace.uploads.services import save_upload

LICENCE_PURPOSE = "licence"
QUEUE_STATES = ("submitted", "approved", "rejected", "revoked")


def requests_of(org_id: int) -> list[VerificationRequest]:
    """Return an organisation's verification requests, newest first (its history)."""
    return list(db.session.scalars(select(VerificationRequest).where(VerificationRequest.organisation_id == org_id)
                                   .order_by(VerificationRequest.id.desc())))


def open_request(org_id: int) -> VerificationRequest | None:
    """Return the organisation's request that awaits a decision, if any."""
    return db.session.scalar(select(VerificationRequest).where(
        VerificationRequest.organisation_id == org_id,
        VerificationRequest.state == VerificationState.SUBMITTED.value).limit(1))


def submit_verification(user: User, upload: FileStorage | None) -> VerificationRequest:
    """Keep the user's organisation's business licence and ask its city's promotion centers to verify it."""
    from marketplace.notifications.events import verification_submitted

    org = load_locked(Organisation, user.organisation_id)
    require(user, "organisation.request_verification", org)
    if org.is_verified:
        raise DomainError(_("Your organisation is already verified."), "licence")
    if open_request(org.id) is not None:
        raise DomainError(_("Your business licence is already awaiting review."), "licence")
    stored = save_upload(upload, user=user, purpose=LICENCE_PURPOSE, field="licence")
    request = VerificationRequest(organisation=org, licence=stored, submitted_by_id=user.id,
                                  state=VerificationState.SUBMITTED.value)
    db.session.add(request)
    db.session.flush()
    record_audit("verification.submitted", user, request, {"file": stored.filename})
    verification_submitted(request, user)
    return request


def decide_verification(request_id: int, action: str, user: User, reason: str = "") -> VerificationRequest:
    """Approve or reject a verification request (a reason is required to reject)."""
    return VERIFICATION.fire(request_id, action, user, reason=reason)


def revoke_verification(org_id: int, user: User, reason: str) -> Organisation:
    """Take an organisation's verification back, with a reason (admins only)."""
    return ORGANISATION.fire(org_id, "revoke", user, reason=reason)


def verification_queue(user: User, state: str = "submitted") -> Select:
    """Select the requests a reviewer decides about: their city's (a promotion center) or all (an admin), oldest
    open request first; `state` "all" lists every request, newest first."""
    require(user, "organisation.verify")
    stmt = (select(VerificationRequest).join(VerificationRequest.organisation)
            .options(selectinload(VerificationRequest.organisation), selectinload(VerificationRequest.licence)))
    if not user.is_admin:
        stmt = stmt.where(Organisation.city == user.organisation.city, Organisation.id != user.organisation_id)
    if state in QUEUE_STATES:
        stmt = stmt.where(VerificationRequest.state == state)
    if state == "submitted":
        return stmt.order_by(VerificationRequest.submitted_at, VerificationRequest.id)
    return stmt.order_by(VerificationRequest.id.desc())


def open_count(user: User) -> int:
    """Return how many verification requests await this reviewer's decision."""
    from sqlalchemy import func

    stmt = verification_queue(user).order_by(None)
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


LIMITS = {
    "enterprise": (_l("Apply for or spend a 模型券 (model voucher) quota."),),
    "vendor": (_l("Have your offerings accepted as 模型券 (model voucher)-eligible."),),
}
"""What an unverified SME or vendor cannot do yet, in words (the rules themselves are in `trust.permissions`)."""


def verification_status(org: Organisation) -> dict:
    """What an organisation's page and dashboard say about its verification: state, limits, the open request."""
    history = requests_of(org.id)
    return {"verified": org.is_verified, "limits": [str(t) for t in LIMITS.get(org.kind, ())],
            "open": next((r for r in history if r.is_open), None),
            "last": history[0] if history else None, "history": history}


# ---- attested evaluations ------------------------------------------------------------------------------------------

def evaluator_choices() -> list[tuple[int, str]]:
    """Return the organisations a vendor may name as a model's third-party evaluator (evaluation bodies and
    promotion centers), by name."""
    rows = db.session.execute(select(Organisation.id, Organisation.name)
                              .where(Organisation.kind.in_(sorted(ATTESTING_KINDS)))
                              .order_by(Organisation.kind.desc(), Organisation.name))
    return [(row.id, row.name) for row in rows]


def attestation_queue(user: User) -> Select:
    """Select the evaluation rows naming the user's organisation as evaluator: awaiting an answer first."""
    require(user, "evaluation.attest")
    waiting_first = case((ModelEvaluation.attestation == Attestation.PENDING.value, 0), else_=1)
    return (select(ModelEvaluation).join(ModelEvaluation.model)
            .where(ModelEvaluation.evaluator_org_id == user.organisation_id,
                   IndustrialModel.organisation_id != user.organisation_id)
            .options(selectinload(ModelEvaluation.model).selectinload(IndustrialModel.organisation))
            .order_by(waiting_first, ModelEvaluation.id.desc()))


def answer_attestation(evaluation_id: int, action: str, user: User, reason: str = "") -> ModelEvaluation:
    """Attest or decline an evaluation row that names the user's organisation (a reason is required to decline)."""
    return ATTESTATION.fire(evaluation_id, action, user, reason=reason)


def trust_panel(user: User) -> dict:
    """What the dashboard's trust block shows this user: their organisation's verification (SMEs and vendors),
    the verification requests awaiting them (centers, admins), the results awaiting their attestation."""
    from sqlalchemy import func

    from marketplace.permissions import can

    panel: dict = {}
    if can(user, "organisation.request_verification", user.organisation) or (
            not user.is_admin and not user.organisation.is_verified):
        panel["status"] = verification_status(user.organisation)
    if can(user, "organisation.verify"):
        panel["queue_count"] = open_count(user)
    if can(user, "evaluation.attest"):
        waiting = attestation_queue(user).where(ModelEvaluation.attestation == Attestation.PENDING.value)
        panel["attest_count"] = db.session.scalar(select(func.count()).select_from(waiting.order_by(None).subquery()))
    if panel:  # an evaluation body's block holds only attestations: headed by what it is, not by verification
        panel["title"] = _("Evaluation results to attest") if set(panel) == {"attest_count"} else _("Verification")
    return panel
