"""Shared set-ups for the catalogue and redemption tests: a delivered voucher-paid order and its files."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from werkzeug.datastructures import FileStorage

from marketplace.extensions import db
from marketplace.orders.services import mark_fulfilled, mark_paid, place_order
from marketplace.redemptions.services import Claim
from tests.factories import make_offering, make_quota, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PLACED = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


def pdf(name: str = "合同.pdf", data: bytes = PDF) -> FileStorage:
    """Return an upload of a small PDF (or of the given bytes) under a name."""
    return FileStorage(stream=io.BytesIO(data), filename=name)


def three_files() -> dict[str, FileStorage]:
    """Return the contract, invoice and acceptance uploads."""
    return {"contract": pdf("合同.pdf"), "invoice": pdf("发票.pdf"), "acceptance": pdf("验收单.pdf")}


def funded_buyer(city: str = "zhuhai"):
    """A verified SME of a city whose center approved it a 模型券 quota for the orders' year and this year."""
    from datetime import date

    sme = make_user("enterprise", city=city)
    for year in sorted({PLACED.year, date.today().year}):
        make_quota(sme.organisation, year=year)
    return sme


def voucher_order(price_fen: int = 100_000_00, fulfil: bool = True, pay: bool = True, vendor=None,
                  center=None, when: datetime = PLACED, key: str = "k1", buyer=None) -> SimpleNamespace:
    """A zhuhai SME's order of an offering in the zhuhai catalogue, paid and delivered (unless told), with the
    zhuhai center; returns the users and the order (committed)."""
    sme = buyer or funded_buyer()
    vendor = vendor or make_user("vendor", city="zhuhai")
    center = center or make_user("center", city="zhuhai")
    offering = make_offering(vendor.organisation, price_fen=price_fen)
    order, _ = place_order(sme, offering, 1, key, when=when)
    db.session.flush()
    if pay:
        mark_paid(order.id, vendor, when=when + timedelta(days=1))
    if fulfil:
        mark_fulfilled(order.id, vendor, when=when + timedelta(days=5))
    db.session.commit()
    return SimpleNamespace(sme=sme, vendor=vendor, center=center, offering=offering, order=order)


def full_claim(order, invoice_number: str = "44001234") -> Claim:
    """The claim that holds for an order: its list amount invoiced, its deduction claimed."""
    return Claim(invoice_number, order.list_fen, order.voucher_fen)
