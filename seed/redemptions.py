"""Demo data for the 模型券 lifecycle after the order: offerings waiting for the zhuhai center to admit them to
its 模型券 catalogue, and the redemptions (核销) of two delivered voucher-paid orders — one confirmed (so the
reimbursement report has a line), one submitted and waiting in the center's queue. Everything goes through
the services; the files are small generated PDFs kept like any upload.
"""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from marketplace.accounts.models import Organisation, User
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderState
from marketplace.policy.rules import load_rules
from marketplace.redemptions.catalogue import apply_for_catalogue
from marketplace.redemptions.models import CatalogueEntry
from marketplace.redemptions.services import Claim, decide, submit_redemption

APPLICANTS = ("ob_zhian_doc_api", "oa_taoyun_llm_cloud")
"""Offerings whose vendors apply for the default region's catalogue (left waiting for the center)."""

FILES = {"contract": "合同", "invoice": "发票", "acceptance": "验收单"}


def demo_pdf(title: str) -> bytes:
    """Return a small, valid one-page PDF naming the document (ASCII body; the title goes in the file name)."""
    text = f"Demo document: {title.encode('unicode_escape').decode('ascii')}"
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def demo_files(order: Order) -> dict[str, FileStorage]:
    """Return the three redemption files of an order as uploads."""
    return {kind: FileStorage(io.BytesIO(demo_pdf(f"{name} {order.id}")), filename=f"{name}-订单{order.id}.pdf",
                              content_type="application/pdf")
            for kind, name in FILES.items()}


def center_user(region: str) -> User | None:
    """Return the first user of the promotion center acting for a region (None when there is none)."""
    return db.session.scalar(select(User).join(Organisation).where(Organisation.kind == "center",
                                                                   Organisation.city == region).order_by(User.id))


def load_redemption_work(offerings: dict) -> dict[str, int]:
    """Create catalogue applications waiting for review, and one confirmed and one waiting redemption."""
    region = load_rules()[0]
    applied = 0
    for key in APPLICANTS:
        offering = offerings.get(key)
        if offering is None or db.session.scalar(select(CatalogueEntry.id).where(
                CatalogueEntry.offering_id == offering.id, CatalogueEntry.region == region)):
            continue
        apply_for_catalogue(offering.organisation.users[0], offering, region,
                            "已在佛山 3 家企业交付，申请列入模型券服务目录。")
        applied += 1
    orders = list(db.session.scalars(select(Order).where(Order.state == OrderState.FULFILLED.value,
                                                         Order.voucher_fen > 0).order_by(Order.id)))
    redeemed = waiting = 0
    for n, order in enumerate(orders[:2]):
        vendor = order.vendor.users[0]
        reviewer = center_user(order.policy_region)
        if reviewer is None or order.fulfilled_at is None:
            continue
        redemption = submit_redemption(vendor, order, Claim(f"4400{order.id:08d}", order.list_fen, order.voucher_fen),
                                       demo_files(order))
        redemption.submitted_at = order.fulfilled_at + timedelta(days=3)
        db.session.flush()
        if n == 0:
            decide(redemption.id, "redeem", reviewer, when=order.fulfilled_at + timedelta(days=10))
            redeemed += 1
        else:
            waiting += 1
    db.session.flush()
    return {"catalogue_applications": applied, "redemptions_confirmed": redeemed, "redemptions_waiting": waiting}
