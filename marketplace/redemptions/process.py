"""The catalogue-entry and redemption processes: who moves them, from where to where, and what follows.

Catalogue entry (an offering in one region's 模型券 service catalogue):

| transition | from | to | actor | effects |
|---|---|---|---|---|
| admit | applied | in_catalogue | the region's center or an admin; the vendor must still be verified | notify vendor |
| refuse | applied | refused | the region's center or an admin, with a reason | notify vendor |
| strike | in_catalogue | catalogue_removed | the region's center or an admin, with a reason (future orders only) | notify vendor |
| reapply | refused, catalogue_removed | applied | the verified vendor | — |

Redemption (核销) of a voucher-paid, delivered order:

| transition | from | to | actor | effects |
|---|---|---|---|---|
| redeem | claimed | redeemed | the center of the buyer's region or an admin; the order still delivered | append the `redeem` ledger row; notify vendor |
| send_back | claimed | returned | the same, with a reason | notify vendor |
| resubmit | returned | claimed | the vendor (with new files and figures, `services.resubmit`) | — |

Every move is audited (`marketplace.process`).
"""
from __future__ import annotations

from functools import partial

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.locks import load_locked
from marketplace.orders.models import OrderState
from marketplace.permissions import can
from marketplace.process import Ask, Firing, Process, Transition
from marketplace.redemptions.models import CatalogueEntry, EntryState, Redemption, RedemptionState
from marketplace.states import IllegalTransition

APPLIED, LISTED = EntryState.APPLIED.value, EntryState.LISTED.value
REFUSED, REMOVED = EntryState.REFUSED.value, EntryState.REMOVED.value
CLAIMED, RETURNED, REDEEMED = (RedemptionState.CLAIMED.value, RedemptionState.RETURNED.value,
                               RedemptionState.REDEEMED.value)


def vendor_may_offer_vouchers(entry: CatalogueEntry, user, firing: Firing) -> None:
    """Refuse to admit an offering whose vendor may not offer vouchers (not verified)."""
    if not can(user, "organisation.offer_vouchers", entry.offering.organisation):
        raise IllegalTransition(_("Only a verified service provider's offerings can enter a 模型券 catalogue."))


def record_decision(entry: CatalogueEntry, user, firing: Firing) -> None:
    """Keep who decided, when, and the reason given (none when admitted)."""
    entry.decided_by_id = user.id
    entry.decided_at = firing.when
    reason = str(firing.values.get("reason") or "").strip()[:500]
    entry.reason = reason or None


def record_reapplication(entry: CatalogueEntry, user, firing: Firing) -> None:
    """Start a new application: who applied, when, the vendor's note; the last decision is cleared."""
    entry.applied_by_id = user.id
    entry.applied_at = firing.when
    entry.note = str(firing.values.get("note") or "").strip()[:500] or None
    entry.decided_by_id, entry.decided_at, entry.reason = None, None, None


def tell_vendor_of_entry(entry: CatalogueEntry, user) -> None:
    """Tell the vendor what became of its catalogue application (nothing when it applied itself)."""
    from marketplace.redemptions.notices import catalogue_decided

    catalogue_decided(entry, user)


CATALOGUE = Process("catalogue", [
    Transition("admit", frozenset({APPLIED}), LISTED, "catalogue.decide", _l("Admit to the catalogue"),
               guards=(vendor_may_offer_vouchers,), effects=(record_decision,), audit="catalogue.admitted"),
    Transition("refuse", frozenset({APPLIED}), REFUSED, "catalogue.decide", _l("Refuse"), style="secondary",
               effects=(record_decision,), audit="catalogue.refused",
               asks=(Ask("reason", _l("Reason for refusing"), _l("Give a reason for refusing.")),)),
    Transition("strike", frozenset({LISTED}), REMOVED, "catalogue.decide", _l("Remove from the catalogue"),
               style="secondary", effects=(record_decision,), audit="catalogue.removed",
               asks=(Ask("reason", _l("Reason for removing it"), _l("Give a reason for removing it.")),)),
    Transition("reapply", frozenset({REFUSED, REMOVED}), APPLIED, "catalogue.apply", _l("Apply again"),
               effects=(record_reapplication,), audit="catalogue.applied"),
], load_locked=partial(load_locked, CatalogueEntry), emit=tell_vendor_of_entry)


def order_still_delivered(redemption: Redemption, user, firing: Firing) -> None:
    """Refuse to confirm the redemption of an order that was refunded since it was submitted."""
    if redemption.order.state != OrderState.FULFILLED.value:
        raise IllegalTransition(_("The order is no longer delivered (it was refunded); it cannot be redeemed."))


def append_redeem_entry(redemption: Redemption, user, firing: Firing) -> None:
    """Mark the order's committed 模型券 money as redeemed: one `redeem` row in the buyer's voucher ledger."""
    from marketplace.extensions import db
    from marketplace.orders.models import VoucherEntry

    order = redemption.order
    redemption.decided_by_id = user.id
    redemption.return_reason = None
    db.session.add(VoucherEntry(enterprise_id=order.buyer_id, year=order.voucher_year, region=order.policy_region,
                                kind="redeem", amount_fen=order.voucher_fen, order_id=order.id,
                                note=f"核销 {redemption.invoice_number}"[:200], created_at=firing.when))


def keep_return_reason(redemption: Redemption, user, firing: Firing) -> None:
    """Keep why the center returned the redemption, for the vendor to correct."""
    redemption.decided_by_id = user.id
    redemption.return_reason = str(firing.values["reason"]).strip()[:500]


def count_submission(redemption: Redemption, user, firing: Firing) -> None:
    """Count the resubmission and record who sent it."""
    redemption.submissions += 1
    redemption.submitted_by_id = user.id


def tell_vendor_of_redemption(redemption: Redemption, user) -> None:
    """Tell the vendor (confirmed, returned) or the region's center (resubmitted) of the move."""
    from marketplace.redemptions.notices import redemption_changed

    redemption_changed(redemption, user)


REDEMPTION = Process("redemption", [
    Transition("redeem", frozenset({CLAIMED}), REDEEMED, "redemption.decide", _l("Confirm the redemption"),
               stamp="redeemed_at", guards=(order_still_delivered,), effects=(append_redeem_entry,),
               audit="redemption.confirmed", done=_l("This redemption is confirmed already.")),
    Transition("send_back", frozenset({CLAIMED}), RETURNED, "redemption.decide", _l("Return to the provider"),
               stamp="returned_at", style="secondary", effects=(keep_return_reason,), audit="redemption.returned",
               asks=(Ask("reason", _l("What must the provider correct?"), _l("Say what the provider must correct.")),)),
    Transition("resubmit", frozenset({RETURNED}), CLAIMED, "redemption.submit", _l("Resubmit"),
               stamp="submitted_at", effects=(count_submission,), audit="redemption.resubmitted"),
], load_locked=partial(load_locked, Redemption), emit=tell_vendor_of_redemption)
"""Resubmit is fired by `services.resubmit` after the new files are saved; it has no button of its own."""
