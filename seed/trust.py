"""Demo data for trust: the evaluation bodies that attest the seed's third-party evaluation results, and an
unverified Zhuhai manufacturer whose business licence awaits the Zhuhai promotion center's review."""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from marketplace.accounts.models import Organisation, User
from marketplace.catalog.models import Attestation, ModelEvaluation
from marketplace.extensions import db
from marketplace.trust.services import submit_verification

EVALUATORS = {
    "广东省工业模型评测中心": {"key": "ev_gd_model_lab", "city": "guangzhou", "email": "lab@demo.moshu.cn",
                               "summary": "面向制造业的工业模型第三方评测：质检、预测性维护与排程模型的"
                                          "精度、时延与鲁棒性测试。"},
    "中国信通院": {"key": "ev_caict", "city": "guangzhou", "email": "caict@seed.moshu.cn",
                   "summary": "工业大模型与智能体的标准符合性评测。"},
}
"""The evaluators the seed's third-party rows name; each becomes an evaluation-body organisation with a user."""

MAIN_LAB = "广东省工业模型评测中心"
"""The demo evaluation body (lab@demo.moshu.cn); one result naming it is left for it to attest."""

APPLICANT = {"key": "e_zh_qiming", "name": "珠海市香洲区启明精密模具有限公司", "city": "zhuhai",
             "industry": "hardware_metal", "size": "small", "digital_level": 2, "contact_name": "梁启明",
             "email": "qiming@seed.moshu.cn"}
"""A newly registered, unverified SME of Zhuhai whose licence is in the center's queue."""


def make_evaluators(make_org, password_hash: str, epoch) -> dict[str, Organisation]:
    """Create the seed's evaluation bodies (verified: an admin set them up), by the name the seed rows use."""
    made = {}
    for name, row in EVALUATORS.items():
        org = make_org("evaluator", {**row, "name": name, "industry": None}, password_hash, row["email"])
        org.verified_at = epoch
        made[name] = org
    return made


def evaluation_row(e: dict, evaluators: dict[str, Organisation], epoch, pending: bool = False) -> ModelEvaluation:
    """One seed evaluation row: a third-party row names its evaluation body and is attested (pending when asked
    and the row names the demo lab)."""
    org = evaluators.get(e["evaluator"]) if e.get("third_party") else None
    pending = pending and e["evaluator"] == MAIN_LAB
    row = ModelEvaluation(metric=e["metric"], value=str(e["value"]), dataset=e["dataset"], evaluator=e["evaluator"])
    if org is None:
        row.attestation = Attestation.SELF_REPORTED.value
        return row
    row.evaluator_org = org
    row.attestation = (Attestation.PENDING if pending else Attestation.ATTESTED).value
    if not pending:
        row.attested_at = epoch + timedelta(days=3)
        row.attested_by = org.users[0]
    return row


def licence_image(code: str) -> bytes:
    """Draw a plain stand-in for a business licence (a PNG), so the demo queue has a file to open."""
    image = Image.new("RGB", (900, 600), "#fbf7ee")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 880, 580), outline="#b22222", width=6)
    draw.text((60, 60), "BUSINESS LICENCE (DEMO)", fill="#b22222")
    draw.text((60, 120), f"Unified social credit code: {code}", fill="#222222")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load_trust_work(make_org, password_hash: str) -> dict[str, int]:
    """Register the unverified Zhuhai SME and submit its licence through the service (the center reviews it)."""
    org = make_org("enterprise", APPLICANT, password_hash, APPLICANT["email"])
    org.verified_at = None
    db.session.flush()
    user = db.session.query(User).filter_by(organisation_id=org.id).one()
    upload = FileStorage(io.BytesIO(licence_image(org.credit_code)), filename="营业执照.png",
                         content_type="image/png")
    submit_verification(user, upload)
    return {"verification_requests": 1}
