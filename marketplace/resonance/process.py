"""The 模数共振 agreement process: draft → (every party signs) → active → terminated, amendments as versions.

| transition | from | to | actor | effects |
|---|---|---|---|---|
| sign | draft, active | active once every party of the pending version signed | a party of the pending version, once | the version comes into force, the one before is superseded |
| amend | draft, active | (unchanged) | any party | a new pending version; the version in force stays in force |
| terminate | draft, active | terminated | a party of the version in force, with a reason | a pending version is withdrawn; later payments are not split |

Every move is audited (`marketplace.process`); the parties are notified.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record_audit
from marketplace.errors import DomainError, PermissionDenied
from marketplace.locks import lock_name
from marketplace.notifications.events import agreement_awaiting_signature, agreement_changed
from marketplace.process import Ask, Firing, Process, Transition
from marketplace.resonance.models import AgreementState, VersionState

DRAFT, ACTIVE, TERMINATED = AgreementState.DRAFT.value, AgreementState.ACTIVE.value, AgreementState.TERMINATED.value
OPEN = frozenset({DRAFT, ACTIVE})


def not_signed_yet(agreement, user, firing: Firing) -> None:
    """Refuse a second signature of the same version by the same organisation."""
    from marketplace.resonance.services import party_of

    party = party_of(agreement.pending_version, user.organisation_id)
    if party is None:  # not reached: the sign rule admits only parties of the version awaiting signatures
        raise PermissionDenied()
    if party.signed_at is not None:
        raise DomainError(_("Your organisation has already signed this version."))


def record_signature(agreement, user, firing: Firing) -> None:
    """Sign for the user's organisation; the last signature brings the version into force."""
    from marketplace.resonance.services import covering_agreement, party_of
    from marketplace.webhooks.events import agreement_signed

    version = agreement.pending_version
    party = party_of(version, user.organisation_id)
    if party is None:  # not reached: as in not_signed_yet
        raise PermissionDenied()
    party.signed_at, party.signed_by_id = firing.when, user.id
    if not version.fully_signed:
        agreement_signed(agreement, version, user.organisation_id)
        return
    lock_name("resonance:coverage")  # two agreements coming into force cannot both cover one offering
    for offering in version.offerings:
        other = covering_agreement(offering.id, exclude_agreement_id=agreement.id)
        if other is not None:
            raise DomainError(_("“%(title)s” is already covered by the active agreement “%(other)s”.",
                                   title=offering.title, other=other.title))
    current = agreement.active_version
    if current is not None:
        current.state, current.superseded_at = VersionState.SUPERSEDED.value, firing.when
    version.state, version.activated_at = VersionState.ACTIVE.value, firing.when
    agreement.state = ACTIVE
    record_audit("agreement.activated", user, agreement, {"version": version.number})
    agreement_changed(agreement, user)
    agreement_signed(agreement, version, user.organisation_id)


def propose_version(agreement, user, firing: Firing) -> None:
    """Add the new terms as a version awaiting every party's signature."""
    from marketplace.extensions import db
    from marketplace.resonance.services import new_version

    values = firing.values
    version = new_version(agreement, values["parties"], values["offering_ids"], values.get("note"), firing.when,
                          values.get("dataset_ids"), values.get("model_ids"), user.organisation_id)
    db.session.flush()
    agreement_awaiting_signature(agreement, version, user)


def end_agreement(agreement, user, firing: Firing) -> None:
    """Record the reason, withdraw a version still awaiting signatures, tell the parties."""
    agreement.termination_reason = str(firing.values["reason"]).strip()[:500]
    if agreement.pending_version is not None:
        agreement.pending_version.state = VersionState.WITHDRAWN.value
    agreement_changed(agreement, user)


def load_locked(agreement_id: int):
    """Lock and load an agreement (see `marketplace.locks`)."""
    from marketplace.resonance.services import lock_agreement

    return lock_agreement(agreement_id)


AGREEMENT = Process("agreement", [
    Transition("sign", OPEN, None, "agreement.sign", _l("Sign"), guards=(not_signed_yet,),
               effects=(record_signature,), audit="agreement.signed"),
    Transition("amend", OPEN, None, "agreement.amend", _l("Propose an amendment"), effects=(propose_version,),
               style="secondary", audit="agreement.amended"),
    Transition("terminate", OPEN, TERMINATED, "agreement.terminate", _l("Terminate"), stamp="terminated_at",
               effects=(end_agreement,), style="secondary", audit="agreement.terminated",
               asks=(Ask("reason", _l("Terminate: reason"), _l("Give a reason for the termination.")),)),
], load_locked=load_locked)
