"""State names shared by the processes: the IllegalTransition error and the labels of states and actions."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError


class IllegalTransition(DomainError):
    """Raised when an action is not allowed from the record's current state."""


class AlreadyDone(IllegalTransition):
    """Raised when a move is asked for again after it was made (a double submit, a second tab): the record is
    already where the move leads. Pages say so kindly and show the record; the API answers 409 as before."""


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
    "revised": _l("Revised by the provider"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "confirmed": _l("Contract confirmed by one side"),
    "scheduled": _l("Meeting scheduled"),  # a matchmaking meeting, or an expert's visit
    "requested": _l("Awaiting the center's answer"),  # a request to an expert
    "completed": _l("Visit held"),  # a request to an expert
    "awaiting_confirmation": _l("Level awaiting confirmation"),  # a diagnosis visit
    "level_confirmed": _l("Level confirmed"),  # a diagnosis visit
    "done": _l("Done"),  # a follow-up of an enterprise file
    "awaiting_owner": _l("Awaiting the owner's answer"),  # a request to use a dataset
    "access_granted": _l("Access granted"),
    "access_refused": _l("Access refused"),
    "recorded": _l("Outcome recorded"),
    "in_catalogue": _l("In the catalogue"),
    "catalogue_removed": _l("Removed from the catalogue"),
    "claimed": _l("Redemption awaiting review"),
    "returned": _l("Returned for correction"),
    "redeemed": _l("Redeemed"),
    "visible": _l("Visible"),
    "held": _l("Under review"),
    "hidden": _l("Hidden by a moderator"),
    "applied": _l("Awaiting the center's decision"),  # a quota application or a catalogue application
    "granted": _l("Quota approved"),
    "refused": _l("Not approved"),  # a quota application or a catalogue application
    "approved": _l("Verified"),
    "rejected": _l("Rejected"),  # a verification request, or an item a moderator rejected
    "revoked": _l("Revoked"),  # a verification, or the unspent part of a quota
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
    "revise": _l("revise"),
    "shortlist": _l("shortlist"),
    "accept": _l("accept"),
    "decline": _l("decline"),
    "schedule": _l("schedule"),
    "complete": _l("record as held"),
    "withdraw": _l("withdraw"),
    "confirm_level": _l("confirm the level of"),
    "mark_done": _l("mark as done"),
    "confirm": _l("confirm the contract of"),
    "contract": _l("contract"),
    "start_talks": _l("start talks on"),
    "decline_invitation": _l("decline the invitation of"),
    "moderate": _l("take down"),
    "record_outcome": _l("record the outcome of"),
    "admit": _l("admit to the catalogue"),
    "reapply": _l("apply again for"),
    "strike": _l("remove from the catalogue"),
    "redeem": _l("confirm the redemption of"),
    "send_back": _l("return"),
    "resubmit": _l("resubmit"),
    "hide": _l("hide"),
    "restore": _l("restore"),
    "grant": _l("approve"),
    "refuse": _l("reject"),
    "approve": _l("approve"),  # a verification request or a held item
    "reject": _l("reject"),
    "revoke": _l("revoke"),  # a verification, or a quota's unspent part
    "attest": _l("attest"),
}
