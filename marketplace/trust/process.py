"""The verification and attestation processes.

VERIFICATION — a business-licence submission (`VerificationRequest.state`):

| transition | from | to | actor | effects |
|---|---|---|---|---|
| approve | submitted | approved | a promotion center of the organisation's city, or an admin | the organisation is verified by the reviewer's organisation; its users are told |
| reject | submitted | rejected | the same, with a reason | its users are told why; it may submit a new licence |

ORGANISATION — whether an organisation is verified (`Organisation.verification_status`):

| transition | from | to | actor | effects |
|---|---|---|---|---|
| revoke | verified | unverified | an admin, with a reason | the approved request is marked revoked; its users are told why |

ATTESTATION — one evaluation row of a model card (`ModelEvaluation.attestation`):

| transition | from | to | actor | effects |
|---|---|---|---|---|
| attest | pending | attested | the evaluator organisation the row names (never the model's vendor) | who and when are kept; the vendor is told |
| decline | pending | declined | the same, with a reason | the vendor is told why; the row stays self-reported |

Every move is audited by `marketplace.process`.
"""
from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import Organisation
from marketplace.catalog.models import Attestation, ModelEvaluation
from marketplace.extensions import db
from marketplace.locks import load_locked
from marketplace.process import Ask, Firing, Process, Transition
from marketplace.trust.models import VerificationRequest, VerificationState

SUBMITTED, APPROVED = VerificationState.SUBMITTED.value, VerificationState.APPROVED.value
REJECTED, REVOKED = VerificationState.REJECTED.value, VerificationState.REVOKED.value


def reason_of(firing: Firing) -> str | None:
    """The reason the actor gave, trimmed (None when none was asked or given)."""
    return str(firing.values.get("reason") or "").strip()[:500] or None


def record_decision(request: VerificationRequest, user, firing: Firing) -> None:
    """Keep who decided and why; on approval the organisation becomes verified by the reviewer's organisation."""
    from marketplace.notifications.events import verification_decided

    request.decided_by_id, request.decided_by_org_id = user.id, user.organisation_id
    request.reason = reason_of(firing)
    if firing.action == "approve":
        org = request.organisation
        org.verified_at, org.verified_by_org_id = firing.when, user.organisation_id
    db.session.flush()
    verification_decided(request, user)


def revoke_effects(org: Organisation, user, firing: Firing) -> None:
    """Mark the approved request revoked (when there is one) and tell the organisation's users why."""
    from marketplace.notifications.events import verification_revoked

    reason = reason_of(firing)
    latest = db.session.scalar(select(VerificationRequest).where(
        VerificationRequest.organisation_id == org.id, VerificationRequest.state == APPROVED)
        .order_by(VerificationRequest.id.desc()).limit(1))
    if latest is not None:
        latest.state, latest.revoked_at, latest.revoked_by_id = REVOKED, firing.when, user.id
        latest.revoke_reason = reason
    db.session.flush()
    verification_revoked(org, reason or "", user)


def record_attestation(evaluation: ModelEvaluation, user, firing: Firing) -> None:
    """Keep who attested (or declined) and why, and tell the model's vendor."""
    from marketplace.notifications.events import evaluation_answered

    evaluation.attested_by_id = user.id
    evaluation.attestation_note = reason_of(firing)
    if firing.action == "decline":
        evaluation.attested_at = None
    db.session.flush()
    evaluation_answered(evaluation, user)


REASON = Ask("reason", _l("Reason"), _l("Give a reason."))

VERIFICATION = Process("verification", [
    Transition("approve", frozenset({SUBMITTED}), APPROVED, "organisation.verify", _l("Verify"),
               stamp="decided_at", effects=(record_decision,), audit="verification.approved"),
    Transition("reject", frozenset({SUBMITTED}), REJECTED, "organisation.verify", _l("Reject"), style="secondary",
               stamp="decided_at", effects=(record_decision,), asks=(REASON,), audit="verification.rejected"),
], load_locked=partial(load_locked, VerificationRequest))

ORGANISATION = Process("organisation", [
    Transition("revoke", frozenset({"verified"}), "unverified", "organisation.revoke_verification",
               _l("Revoke verification"), style="secondary", effects=(revoke_effects,), asks=(REASON,),
               audit="verification.revoked"),
], load_locked=partial(load_locked, Organisation), state_attr="verification_status")

ATTESTATION = Process("attestation", [
    Transition("attest", frozenset({Attestation.PENDING.value}), Attestation.ATTESTED.value, "evaluation.attest",
               _l("Confirm this result"), stamp="attested_at", effects=(record_attestation,),
               audit="evaluation.attested"),
    Transition("decline", frozenset({Attestation.PENDING.value}), Attestation.DECLINED.value, "evaluation.attest",
               _l("Decline"), style="secondary", effects=(record_attestation,), asks=(REASON,),
               audit="evaluation.declined"),
], load_locked=partial(load_locked, ModelEvaluation), state_attr="attestation")
