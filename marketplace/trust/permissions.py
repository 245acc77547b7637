"""What verification decides, in one place.

An organisation registers itself; until a promotion center (or an admin) verifies it, it may browse, post
needs and keep listings as drafts, but holds no 模型券 quota and none of its offerings can be 模型券-eligible.
Every voucher rule asks these two rules rather than `is_verified` directly.

Who verifies (`organisation.verify`: the promotion centers of the organisation's city, and admins), who may
ask (`organisation.request_verification`), who sees a licence (`verification.view_licence`) and who attests
an evaluation row (`evaluation.attest`: the evaluator organisation it names, never the model's vendor) are
here too.
"""
from __future__ import annotations

from marketplace.accounts.models import Organisation, OrgKind
from marketplace.permissions import member_of, rule, signed_in

ATTESTING_KINDS = frozenset({OrgKind.EVALUATOR.value, OrgKind.CENTER.value})
"""Kinds of organisation that can be named as, and attest as, a model's third-party evaluator."""


@rule("organisation.hold_vouchers")
def may_hold_vouchers(user, org) -> bool:
    """A verified enterprise may apply for and spend a 模型券 quota (the user is not consulted)."""
    return org is not None and org.is_enterprise and org.is_verified


@rule("organisation.offer_vouchers")
def may_offer_vouchers(user, org) -> bool:
    """A verified vendor's offerings may be 模型券-eligible (the user is not consulted)."""
    return org is not None and org.is_vendor and org.is_verified


def target_org(record):
    """The organisation a verification rule is about: the record itself, or a request's organisation."""
    return getattr(record, "organisation", record) if record is not None and not isinstance(record, Organisation) \
        else record


@rule("organisation.request_verification")
def may_request_verification(user, org=None) -> bool:
    """An SME's or vendor's own users upload its business licence to ask for verification."""
    org = org if org is not None else (user.organisation if signed_in(user) else None)
    return (signed_in(user) and not user.is_admin and org is not None and member_of(user, org.id)
            and (org.is_enterprise or org.is_vendor))


@rule("organisation.verify")
def may_verify(user, record=None) -> bool:
    """Promotion centers verify the organisations of their own city, admins every one (record-free: the queue)."""
    if not signed_in(user):
        return False
    if user.is_admin:
        return True
    if not user.organisation.is_center:
        return False
    org = target_org(record)
    return org is None or (org.city == user.organisation.city and org.id != user.organisation_id)


@rule("organisation.revoke_verification")
def may_revoke_verification(user, org=None) -> bool:
    """Only an admin takes a verification back (with a reason)."""
    return signed_in(user) and bool(user.is_admin)


@rule("verification.view_licence")
def may_view_licence(user, request) -> bool:
    """A business licence is seen by its own organisation, the promotion centers of its city and admins."""
    return signed_in(user) and (member_of(user, request.organisation_id) or may_verify(user, request))


@rule("evaluation.attest")
def may_attest(user, evaluation=None) -> bool:
    """The evaluator organisation a row names (an evaluation body or a promotion center) confirms or declines
    it; never the vendor whose model it is (record-free: the queue of rows naming one's organisation)."""
    if not (signed_in(user) and not user.is_admin and user.organisation.kind in ATTESTING_KINDS):
        return False
    if evaluation is None:
        return True
    return (evaluation.evaluator_org_id == user.organisation_id
            and evaluation.model.organisation_id != user.organisation_id)
