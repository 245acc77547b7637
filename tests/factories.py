"""Plain data factories for tests: make_org, make_user, make_offering (admit_to_catalogue), make_model, make_need, make_case,
make_event, make_registration, make_proposal, make_expert, make_dataset.

Each factory adds to the session and flushes; the test (or the `commit` argument) decides when to commit.
"""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from marketplace.accounts.credit_code import check_character
from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.accounts.services import hash_password
from marketplace.cases.models import Case, CaseResult
from marketplace.catalog.models import IndustrialModel, ModelEvaluation, Offering, ProviderProfile
from marketplace.experts.models import Expert
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.policy.rules import load_rules

DEFAULT_PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def gen_credit_code(n: int | None = None) -> str:
    """Return a valid, unique unified social credit code."""
    n = next(_counter) if n is None else n
    body = f"91440300{n:09d}"
    return body + check_character(body)


def make_org(kind: str = "enterprise", **fields) -> Organisation:
    """Create an organisation of a kind, verified unless `verified_at=None` is given."""
    n = next(_counter)
    values = dict(kind=kind, name=f"测试{kind}组织{n}", credit_code=gen_credit_code(n), city="foshan",
                  industry="ceramics_building", size="small", digital_level=2, verified_at=utcnow())
    values.update(fields)
    org = Organisation(**values)
    db.session.add(org)
    db.session.flush()
    return org


def make_user(role: str = "enterprise", email: str | None = None, commit: bool = True, **org_fields) -> User:
    """Create a user acting for a new organisation of the role's kind (admin: platform)."""
    kind = "platform" if role == "admin" else role
    org = make_org(kind, **org_fields)
    n = next(_counter)
    user = User(email=email or f"{role}{n}@test.example.cn", name=f"{role} user {n}",
                password_hash=hash_password(DEFAULT_PASSWORD), organisation=org, is_admin=(role == "admin"))
    db.session.add(user)
    db.session.flush()
    if commit:
        db.session.commit()
    return user


def make_model(org: Organisation, commit: bool = True, **fields) -> IndustrialModel:
    """Create an industrial model card owned by a vendor."""
    values = dict(organisation=org, name="PCB 焊点缺陷检测模型", kind="scene_small", version="1.0",
                  summary="SMT 焊点缺陷检测", description="检测立碑、少锡、连锡等焊点缺陷。", tasks="缺陷检测",
                  industries=["electronics"], scenarios=["online_inspection"], modalities=["image"],
                  deployments=["edge"], state="published",
                  evaluations=[ModelEvaluation(metric="漏检率", value="0.3%", dataset="SMT 产线 5 万张",
                                               evaluator="企业自测")])
    values.update(fields)
    model = IndustrialModel(**values)
    db.session.add(model)
    db.session.flush()
    if commit:
        db.session.commit()
    return model


def make_offering(org: Organisation, commit: bool = True, voucher_eligible: bool = True,
                  voucher_regions: tuple[str, ...] | None = None, **fields) -> Offering:
    """Create a supermarket offering owned by a vendor (published unless told otherwise).

    Unless `voucher_eligible=False`, the offering is admitted to the 模型券 catalogue of the default region
    (or of each of `voucher_regions`), as a promotion center would have admitted it."""
    values = dict(organisation=org, title="注塑件外观缺陷视觉检测一体机", summary="缩痕、飞边、缺料在线检测",
                  description="面向注塑车间的视觉检测工作站，检测缩痕、飞边、缺料、黑点。", pricing_plan="one_off",
                  price_fen=12_800_000, delivery_days=30, deployments=["edge"],
                  industries=["mould_plastics"], scenarios=["online_inspection"], tags="注塑, 视觉检测",
                  state="published")
    values.update(fields)
    offering = Offering(**values)
    db.session.add(offering)
    db.session.flush()
    if voucher_eligible:
        admit_to_catalogue(offering, *(voucher_regions or (load_rules()[0],)))
    if commit:
        db.session.commit()
    return offering


def admit_to_catalogue(offering: Offering, *regions: str) -> None:
    """Put an offering in the 模型券 catalogue of each region, admitted (no application, no notification)."""
    from marketplace.redemptions.models import CatalogueEntry

    for region in regions:
        db.session.add(CatalogueEntry(offering=offering, region=region, state="in_catalogue", decided_at=utcnow()))
    db.session.flush()


def make_profile(org: Organisation, commit: bool = True, **fields) -> ProviderProfile:
    """Create a provider profile for a vendor."""
    values = dict(organisation=org, provider_type="specialist", summary="工业视觉专业服务商",
                  capabilities="机器视觉质检、缺陷检测模型训练与部署", industries=["electronics"],
                  scenarios=["online_inspection"], cities_served=["foshan", "dongguan"], state="published")
    values.update(fields)
    profile = ProviderProfile(**values)
    db.session.add(profile)
    db.session.flush()
    if commit:
        db.session.commit()
    return profile


def make_need(org: Organisation, commit: bool = True, **fields) -> Need:
    """Create a scenario need posted by an SME."""
    values = dict(organisation=org, title="抛釉砖表面针孔检测", description="抛釉砖生产线需要自动检测针孔和色差，目前靠人工目检。",
                  industry="ceramics_building", scenario="online_inspection", budget_min_fen=10_000_000,
                  budget_max_fen=30_000_000, deadline=date.today() + timedelta(days=90), deployment="private",
                  city="foshan", visibility="public", status="open")
    values.update(fields)
    need = Need(**values)
    db.session.add(need)
    db.session.flush()
    if commit:
        db.session.commit()
    return need


def make_case(center: Organisation, commit: bool = True, **fields) -> Case:
    """Create a showcase case curated by a promotion center."""
    values = dict(center=center, title="陶瓷砖面缺陷检测案例", enterprise_name="佛山某陶瓷企业",
                  industry="ceramics_building", scenario="online_inspection", city="foshan",
                  problem="人工目检漏检率高", solution="部署视觉检测", investment_fen=50_000_000, year=2025,
                  state="published", results=[CaseResult(indicator="漏检率", before=3.2, after=0.4, unit="%", better="lower")])
    values.update(fields)
    case = Case(**values)
    db.session.add(case)
    db.session.flush()
    if commit:
        db.session.commit()
    return case


def make_active_agreement(vendor_user, sme_user, offerings, shares=(6000, 4000), title="注塑质检智能体分成协议"):
    """Draft an agreement between a vendor and an SME over offerings, and have both sign it."""
    from marketplace.resonance.services import PartyTerm, draft_agreement, sign

    parties = [PartyTerm(vendor_user.organisation_id, "model", shares[0]),
               PartyTerm(sme_user.organisation_id, "data", shares[1])]
    agreement = draft_agreement(vendor_user, title, "注塑件外观缺陷检测智能体", "三年来 12 万张缺陷图片与工艺参数",
                                parties, [o.id for o in offerings])
    db.session.flush()
    sign(agreement.id, vendor_user)
    sign(agreement.id, sme_user)
    db.session.commit()
    return agreement


def make_event(center: Organisation, commit: bool = True, **fields):
    """Create a matchmaking event run by a promotion center (a week from today unless told otherwise)."""
    from datetime import time

    from marketplace.events.models import Event

    values = dict(center=center, title="佛山陶瓷行业 AI 质检供需对接会", held_on=date.today() + timedelta(days=7),
                  starts_at=time(14, 0), city="foshan", venue="促进中心路演厅", industries=["ceramics_building"],
                  scenarios=["online_inspection"], capacity=20, table_count=2, slot_count=3, slot_minutes=20)
    values.update(fields)
    event = Event(**values)
    db.session.add(event)
    db.session.flush()
    if commit:
        db.session.commit()
    return event


def make_registration(event, listing, commit: bool = True):
    """Register a need or an offering to an event on behalf of its organisation."""
    from marketplace.events.models import EventRegistration

    kind = "need" if isinstance(listing, Need) else "offering"
    registration = EventRegistration(event=event, organisation=listing.organisation, **{kind: listing})
    db.session.add(registration)
    db.session.flush()
    if commit:
        db.session.commit()
    return registration


def make_proposal(need, vendor_user, offerings=(), state: str = "submitted", commit: bool = True, **fields):
    """Create a vendor's proposal for a need directly in a given state (no notifications)."""
    from marketplace.proposals.models import Proposal

    values = dict(need=need, vendor_id=vendor_user.organisation_id, state=state, price_fen=15_000_000,
                  plan="四周内部署视觉检测工作站并完成验收。", offerings=list(offerings))
    values.update(fields)
    proposal = Proposal(**values)
    db.session.add(proposal)
    db.session.flush()
    if commit:
        db.session.commit()
    return proposal


def make_quota(org: Organisation, amount_fen: int = 100_000_000, year: int = 2026, commit: bool = True,
               region: str | None = None):
    """Give an enterprise a 模型券 quota its region's center approved for a year (the decision recorded as such)."""
    from marketplace.vouchers.models import QuotaApplication

    submitter = org.users[0] if org.users else None
    quota = QuotaApplication(enterprise_id=org.id, year=year, region=region or org.city, projects="采购视觉质检模型服务",
                             requested_fen=amount_fen, state="granted", granted_fen=amount_fen, revoked_fen=0,
                             decision_reason="材料齐全", submitted_by_id=submitter.id if submitter else None,
                             decided_at=utcnow())
    db.session.add(quota)
    db.session.flush()
    if commit:
        db.session.commit()
    return quota


def make_expert(center_org, commit: bool = True, **fields) -> Expert:
    """Create an expert in a center's pool."""
    values = dict(center_id=center_org.id, name="陈嘉禾", position="教授级高级工程师", employer="粤港澳智能制造研究院",
                  fields="机器视觉质检；缺陷检测样本采集与标注规范", bio="从事机器视觉质检十余年。",
                  industries=["electronics"], scenarios=["online_inspection"], cities=["zhuhai"],
                  availability="available", phone="0756-3800-1200", email="chen@experts.example.cn", active=True)
    values.update(fields)
    expert = Expert(**values)
    db.session.add(expert)
    db.session.flush()
    if commit:
        db.session.commit()
    return expert


def make_dataset(org, commit: bool = True, **fields):
    """Create a published dataset owned by an enterprise or a vendor."""
    from decimal import Decimal

    from marketplace.datasets.models import Dataset

    values = dict(organisation=org, title="注塑件外观缺陷图像集", summary="注塑件外观检测工位的缺陷图像，含飞边、缩痕与银纹标注。",
                  industries=["mould_plastics"], scenarios=["online_inspection"], modalities=["image"],
                  volume_amount=Decimal("48000"), volume_unit="张", labelling="full", labels="飞边、缩痕、银纹",
                  sample_available=True, sensitivity="general", access_mode="sample",
                  collection="8 个工位面阵相机拍摄，多角度环形光。", state="published")
    values.update(fields)
    dataset = Dataset(**values)
    db.session.add(dataset)
    db.session.flush()
    if commit:
        db.session.commit()
    return dataset
