"""Redemption (核销) services: the vendor submits or resubmits a delivered, voucher-paid order's redemption with
its 合同, 发票 and 验收单; the buyer's region's center confirms or returns it (`process.REDEMPTION`).

The caller commits once. Files go through `marketplace.uploads` (PDF, PNG or JPEG, checked by content);
who may download them is `redemption.view`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from marketplace.accounts.models import User
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.money import format_fen
from marketplace.orders.models import Order, OrderState
from marketplace.permissions import require
from marketplace.redemptions.models import Redemption, RedemptionState
from marketplace.redemptions.process import REDEMPTION
from marketplace.uploads.models import StoredFile
from marketplace.uploads.services import save_upload

FILE_KINDS = ("contract", "invoice", "acceptance")
"""The three files a redemption carries: 合同, 发票, 验收单 (form fields of the same names)."""


@dataclass(frozen=True)
class Claim:
    """What the vendor states in a redemption: invoice number and amount, why it differs, the voucher claimed."""

    invoice_number: str
    invoice_fen: int
    claimed_fen: int
    difference_note: str = ""


def redemption_of(order: Order) -> Redemption | None:
    """Return the order's redemption, if one was submitted."""
    return db.session.scalar(select(Redemption).where(Redemption.order_id == order.id))


def why_not_redeemable(order: Order) -> str | None:
    """Say why an order cannot be redeemed (None when it can): it must be delivered and carry a 模型券 deduction."""
    if not order.voucher_fen:
        return _("Only an order paid partly with 模型券 can be redeemed.")
    if order.state != OrderState.FULFILLED.value:
        return _("An order can be redeemed only after it is delivered.")
    return None


def check_claim(order: Order, claim: Claim) -> None:
    """Refuse a claim whose figures do not hold: the voucher claimed is the order's deduction, and an invoice
    that differs from the order's list amount says why."""
    reasons: list[tuple[str | None, str]] = []
    if not claim.invoice_number.strip():
        reasons.append(("invoice_number", _("Enter the invoice number.")))
    if claim.invoice_fen <= 0:
        reasons.append(("invoice_amount", _("The invoice amount must be more than zero.")))
    elif claim.invoice_fen != order.list_fen and not claim.difference_note.strip():
        reasons.append(("difference_note", _("The invoice amount differs from the order's list amount %(amount)s: "
                                              "say why.", amount=format_fen(order.list_fen))))
    if claim.claimed_fen != order.voucher_fen:
        reasons.append(("claimed", _("The 模型券 amount claimed must be the order's deduction, %(amount)s.",
                                     amount=format_fen(order.voucher_fen))))
    if reasons:
        raise DomainError(reasons=reasons)


def save_files(user: User, files: Mapping[str, FileStorage | None], required: bool) -> dict[str, StoredFile]:
    """Check and keep the uploaded files (all three when `required`); every bad file is named at once."""
    saved: dict[str, StoredFile] = {}
    reasons: list[tuple[str | None, str]] = []
    for kind in FILE_KINDS:
        upload = files.get(kind)
        if not required and (upload is None or not upload.filename):
            continue
        try:
            saved[kind] = save_upload(upload, user=user, purpose=f"redemption_{kind}", field=kind)
        except DomainError as exc:
            reasons.extend(exc.reasons)
    if reasons:
        raise DomainError(reasons=reasons)
    return saved


def apply_claim(redemption: Redemption, claim: Claim, saved: dict[str, StoredFile]) -> None:
    """Write the claim's figures and the new files onto the redemption."""
    redemption.invoice_number = claim.invoice_number.strip()[:40]
    redemption.invoice_fen = claim.invoice_fen
    redemption.claimed_fen = claim.claimed_fen
    redemption.difference_note = claim.difference_note.strip()[:500] or None
    for kind, stored in saved.items():
        setattr(redemption, f"{kind}_file", stored)


def submit_redemption(user: User, order: Order, claim: Claim, files: Mapping[str, FileStorage | None]) -> Redemption:
    """Submit a delivered, voucher-paid order's redemption (the vendor; the caller commits); a returned one
    is resubmitted, keeping any file not uploaded again."""
    require(user, "redemption.submit", order)
    existing = redemption_of(order)
    if existing is not None and existing.state != RedemptionState.RETURNED.value:
        raise DomainError(_("This order's redemption was already submitted."))
    reason = why_not_redeemable(order)
    if reason:
        raise DomainError(reason)
    check_claim(order, claim)
    saved = save_files(user, files, required=existing is None)
    if existing is not None:
        apply_claim(existing, claim, saved)
        db.session.flush()
        return REDEMPTION.fire(existing.id, "resubmit", user)
    redemption = Redemption(order=order, vendor_id=order.vendor_id, region=order.policy_region,
                            state=RedemptionState.CLAIMED.value, submitted_by_id=user.id)
    apply_claim(redemption, claim, saved)
    db.session.add(redemption)
    db.session.flush()
    record_audit("redemption.submitted", user, redemption,
                 {"order_id": order.id, "claimed_fen": claim.claimed_fen, "invoice_fen": claim.invoice_fen})
    from marketplace.redemptions.notices import redemption_changed

    redemption_changed(redemption, user)
    return redemption


def decide(redemption_id: int, action: str, user: User, reason: str = "",
           when: datetime | None = None) -> Redemption:
    """Confirm (`redeem`) or return (`send_back`) a redemption: the buyer's region's center or an admin."""
    if action not in ("redeem", "send_back"):
        raise DomainError(_("Unknown action."))
    return REDEMPTION.fire(redemption_id, action, user, when, reason=reason)


def queue(user: User, state: str = RedemptionState.CLAIMED.value) -> Select:
    """Select the redemptions in a state for the regions the user acts for, oldest submission first."""
    require(user, "redemption.queue")
    stmt = (select(Redemption).where(Redemption.state == state)
            .options(selectinload(Redemption.order).selectinload(Order.buyer), selectinload(Redemption.vendor)))
    if not user.is_admin:
        stmt = stmt.where(Redemption.region == user.organisation.city)
    return stmt.order_by(Redemption.submitted_at, Redemption.id)


def vendor_redemptions(user: User) -> Select:
    """Select the vendor's own redemptions, newest first."""
    return (select(Redemption).where(Redemption.vendor_id == user.organisation_id)
            .options(selectinload(Redemption.order).selectinload(Order.buyer))
            .order_by(Redemption.submitted_at.desc(), Redemption.id.desc()))


def file_of(user: User, redemption: Redemption, kind: str) -> StoredFile:
    """Return one of a redemption's files for a reader who may see the redemption (else PermissionDenied)."""
    require(user, "redemption.view", redemption)
    if kind not in FILE_KINDS:
        raise DomainError(_("Unknown file."))
    return redemption.file(kind)


def redemption_panel(order: Order, user: User) -> dict:
    """What an order page shows of its redemption: the redemption (to those who may see it), and whether the
    user may submit one now."""
    from marketplace.permissions import can

    existing = redemption_of(order)
    return {"redemption": existing if existing is not None and can(user, "redemption.view", existing) else None,
            "may_submit": existing is None and can(user, "redemption.submit", order)
            and why_not_redeemable(order) is None}
