"""The quota application process: applied → granted | refused; granted → revoked (the unspent part only).

| transition | from | to | actor | effects |
|---|---|---|---|---|
| grant | applied | granted | the promotion center of the application's region, or an admin; an amount ≤ the amount asked and ≤ what the annual cap leaves, with a reason | the SME is told |
| refuse | applied | refused | the same, with a reason | the SME is told |
| revoke | granted | revoked | the same, with a reason | what is not reserved or committed is taken back; the SME is told |

An application is filed by `services.apply_for_quota`. The enterprise's row is locked before the
application's, as an order does, so a revocation and an order never both count the same unspent money.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.money import format_fen
from marketplace.process import Ask, Firing, Process, Transition
from marketplace.states import IllegalTransition
from marketplace.vouchers.models import QuotaState

APPLIED, GRANTED = QuotaState.APPLIED.value, QuotaState.GRANTED.value
REFUSED, REVOKED = QuotaState.REFUSED.value, QuotaState.REVOKED.value

FORM_ONLY = frozenset({"grant"})
"""Transitions made through a form of their own (the amount), never as a bare button."""


def amount_within_limits(application, user, firing: Firing) -> None:
    """Refuse a grant of nothing, of more than was asked, or beyond what the region's annual cap leaves."""
    from marketplace.policy.rules import instrument
    from marketplace.vouchers.services import VOUCHER, grant_headroom

    amount = firing.values.get("amount_fen")
    if amount is None and firing.action == "grant" and not firing.values:
        return  # `Process.available` asks whether the button may show: the amount comes with the form
    rule = instrument(VOUCHER, application.region, application.year)
    if rule is None:
        raise IllegalTransition(_("The region has no 模型券 rules in force for %(year)s.", year=application.year))
    if not isinstance(amount, int) or amount <= 0:
        raise IllegalTransition(_("Enter the quota to approve."))
    if amount > application.requested_fen:
        raise IllegalTransition(_("You may approve at most the amount asked (%(asked)s).",
                                  asked=format_fen(application.requested_fen)))
    headroom = grant_headroom(application, rule)
    if amount > headroom:
        raise IllegalTransition(_("The annual cap leaves at most %(left)s for this enterprise in %(year)s.",
                                  left=format_fen(headroom), year=application.year))


def record_grant(application, user, firing: Firing) -> None:
    """Store the amount granted, the reason, who decided and when."""
    application.granted_fen = firing.values["amount_fen"]
    application.decision_reason = str(firing.values["reason"]).strip()[:1000]
    application.decided_by_id, application.decided_at = user.id, firing.when


def record_refusal(application, user, firing: Firing) -> None:
    """Store the reason, who decided and when."""
    application.decision_reason = str(firing.values["reason"]).strip()[:1000]
    application.decided_by_id, application.decided_at = user.id, firing.when


def take_back_unspent(application, user, firing: Firing) -> None:
    """Revoke what orders do not hold of the year's quota (never more than this application granted)."""
    from marketplace.vouchers.services import voucher_position

    position = voucher_position(application.enterprise_id, application.year)
    application.revoked_fen = min(position.available_fen, application.granted_fen or 0)
    application.revoke_reason = str(firing.values["reason"]).strip()[:1000]
    application.revoked_by_id, application.revoked_at = user.id, firing.when


def tell_sme(application, user, firing: Firing) -> None:
    """Tell the SME the decision."""
    from marketplace.vouchers.events import quota_decided

    quota_decided(application, user)


def load_locked(application_id: int):
    """Lock the enterprise's row, then the application's, and load the application fresh."""
    from marketplace.accounts.models import Organisation
    from marketplace.extensions import db
    from marketplace.locks import load_locked as load_row
    from marketplace.locks import lock_row
    from marketplace.vouchers.models import QuotaApplication

    application = db.get_or_404(QuotaApplication, application_id)
    lock_row(Organisation, application.enterprise_id)
    return load_row(QuotaApplication, application_id)


QUOTA = Process("quota", [
    Transition("grant", frozenset({APPLIED}), GRANTED, "quota.decide", _l("Approve a quota"),
               guards=(amount_within_limits,), effects=(record_grant, tell_sme),
               asks=(Ask("reason", _l("Reason for the decision"), _l("Give a reason for the decision.")),)),
    Transition("refuse", frozenset({APPLIED}), REFUSED, "quota.decide", _l("Reject the application"),
               effects=(record_refusal, tell_sme), style="secondary",
               asks=(Ask("reason", _l("Reason for the rejection"), _l("Give a reason for the rejection.")),)),
    Transition("revoke", frozenset({GRANTED}), REVOKED, "quota.decide", _l("Revoke the unspent quota"),
               effects=(take_back_unspent, tell_sme), style="secondary",
               asks=(Ask("reason", _l("Reason for the revocation"), _l("Give a reason for the revocation.")),)),
], load_locked=load_locked)


def page_moves(application, user) -> list[Transition]:
    """Return the buttons of an application's page (approving has its own form with the amount)."""
    return [t for t in QUOTA.available(application, user) if t.name not in FORM_ONLY]


def may_grant(application, user) -> bool:
    """Tell whether the user may approve this application now (the form with the amount shows)."""
    return any(t.name == "grant" for t in QUOTA.available(application, user))
