"""State names shared by the processes: the IllegalTransition error and the labels of states and actions."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError


class IllegalTransition(DomainError):
    """Raised when an action is not allowed from the record's current state."""


class ListingState(str, enum.Enum):
    """Lifecycle of anything vendors list: profiles, models, offerings."""

    DRAFT = "draft"
    PUBLISHED = "published"
    DELISTED = "delisted"


STATE_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "delisted": _l("Delisted"),
    "featured": _l("Featured"),
    "open": _l("Open"),
    "in_talks": _l("In talks"),
    "contracted": _l("Contracted"),
    "closed": _l("Closed"),
    "listed": _l("Listed"),
    "unlisted": _l("Not listed"),
    "placed": _l("Awaiting payment"),
    "paid": _l("Payment received"),
    "fulfilled": _l("Delivery complete"),
    "refunded": _l("Refund made"),
    "cancelled": _l("Order cancelled"),
    "active": _l("In force"),
    "terminated": _l("Ended"),
    "pending": _l("Awaiting signatures"),
    "superseded": _l("Superseded"),
    "withdrawn": _l("Withdrawn"),
    "invited": _l("Invited"),
    "submitted": _l("Proposal received"),
    "shortlisted": _l("Shortlisted"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "confirmed": _l("Contract confirmed by one side"),
    "scheduled": _l("Meeting scheduled"),
    "recorded": _l("Outcome recorded"),
    "approved": _l("Verified"),
    "rejected": _l("Not approved"),
    "revoked": _l("Verification revoked"),
    "verified": _l("Verified"),
    "unverified": _l("Not verified"),
    "attested": _l("Third-party attested"),
    "self_reported": _l("Self-reported"),
}

ACTION_LABELS = {
    "publish": _l("publish"),
    "delist": _l("delist"),
    "close": _l("close"),
    "reopen": _l("reopen"),
    "feature": _l("feature"),
    "unfeature": _l("unfeature"),
    "unpublish": _l("unpublish"),
    "add": _l("add to the directory"),
    "renew": _l("renew"),
    "remove": _l("remove from the directory"),
    "pay": _l("record payment for"),
    "fulfil": _l("deliver"),
    "refund": _l("refund"),
    "cancel": _l("cancel"),
    "submit": _l("submit"),
    "shortlist": _l("shortlist"),
    "accept": _l("accept"),
    "decline": _l("decline"),
    "withdraw": _l("withdraw"),
    "confirm": _l("confirm the contract of"),
    "contract": _l("contract"),
    "start_talks": _l("start talks on"),
    "decline_invitation": _l("decline the invitation of"),
    "moderate": _l("take down"),
    "record_outcome": _l("record the outcome of"),
    "approve": _l("verify"),
    "reject": _l("reject"),
    "revoke": _l("revoke the verification of"),
    "attest": _l("attest"),
}
