"""Load the demo data in seed/data/ into an empty database: organisations, listings, needs, cases.

The JSON format is described in seed/data/README.md. Loading is all-or-nothing: the caller commits
once at the end, so a failure half-way leaves the database as it was.
"""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from marketplace.accounts.credit_code import ALPHABET, check_character
from marketplace.accounts.models import Organisation, User
from marketplace.accounts.services import hash_password
from marketplace.cases.models import Case, CaseResult
from marketplace.catalog.models import IndustrialModel, ModelVersion, Offering, ProviderProfile
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.policy.rules import load_rules
from marketplace.redemptions.models import CatalogueEntry
from seed.centers import load_centers_work
from seed.datasets import load_dataset_work
from seed.diagnosis import load_diagnosis_work
from seed.evaluations import load_shared_evaluations
from seed.experts import load_expert_work
from seed.moderation import load_moderation_work
from seed.redemptions import load_redemption_work
from seed.resonance import load_resonance_work
from seed.trust import MAIN_LAB, evaluation_row, load_trust_work, make_evaluators
from seed.vouchers import VOUCHER_DEMO_REGIONS, load_voucher_work
from seed.workflow import load_workflow_work

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "moshu-demo-2026"
DEMO_ACCOUNTS = {
    "admin": "admin@demo.moshu.cn",
    "enterprise": "sme@demo.moshu.cn",
    "vendor": "vendor@demo.moshu.cn",
    "center": "center@demo.moshu.cn",
    "evaluator": "lab@demo.moshu.cn",
}
DIVISIONS = {
    "guangzhou": "440100", "shaoguan": "440200", "shenzhen": "440300", "zhuhai": "440400", "shantou": "440500",
    "foshan": "440600", "jiangmen": "440700", "zhanjiang": "440800", "maoming": "440900", "zhaoqing": "441200",
    "huizhou": "441300", "meizhou": "441400", "shanwei": "441500", "heyuan": "441600", "yangjiang": "441700",
    "qingyuan": "441800", "dongguan": "441900", "zhongshan": "442000", "chaozhou": "445100",
    "jieyang": "445200", "yunfu": "445300",
}
EPOCH = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def credit_code_for(key: str, city: str) -> str:
    """Derive a stable, valid 统一社会信用代码 for a seed organisation from its key and city."""
    digest = hashlib.sha256(key.encode()).digest()
    body = "91" + DIVISIONS.get(city, "440000") + "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:9])
    return body + check_character(body)


def read_data(data_dir: Path = DATA_DIR) -> dict:
    """Read and merge every seed file: supply_*.json and demand.json."""
    merged: dict[str, list] = {k: [] for k in ("providers", "models", "offerings", "cases", "enterprises",
                                              "needs", "centers")}
    for path in sorted(data_dir.glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            for key, rows in json.load(fh).items():
                merged.setdefault(key, []).extend(rows)
    return merged


def fill_model_card(model: IndustrialModel, card: dict) -> None:
    """Give a seeded model its card sections and its version history (oldest release first in the file; the last
    one is the model's current version)."""
    model.intended_use, model.limitations = card["intended_use"], card["limitations"]
    model.training_data = card["training_data"]
    model.versions = [ModelVersion(number=v["number"], released_on=date.fromisoformat(v["released_on"]),
                                   notes=v["notes"], created_at=EPOCH) for v in card["versions"]]


def is_empty() -> bool:
    """Tell whether the database holds no organisations yet."""
    return not db.session.scalar(select(func.count()).select_from(Organisation))


def make_org(kind: str, row: dict, password_hash: str, email: str | None = None) -> Organisation:
    """Create an organisation and its contact user from a seed row."""
    org = Organisation(kind=kind, name=row["name"], credit_code=credit_code_for(row["key"], row["city"]),
                       city=row["city"], industry=row.get("industry"), size=row.get("size"),
                       digital_level=row.get("digital_level"), contact_name=row.get("contact_name"),
                       phone=row.get("phone"), summary=row.get("summary"), verified_at=EPOCH)
    user = User(email=(email or row["email"]).lower(), name=row.get("contact_name") or row["name"],
                password_hash=password_hash, organisation=org)
    db.session.add_all([org, user])
    return org


def load(data_dir: Path = DATA_DIR, password: str = DEMO_PASSWORD, keys: dict | None = None) -> dict[str, int]:
    """Load all seed data into the (empty) database and return counts; the caller commits.

    When `keys` is given it is filled with {seed key: record} for every listing, case and need.
    """
    data = read_data(data_dir)
    pw = hash_password(password)
    default_region = load_rules()[0]
    orgs: dict[str, Organisation] = {}
    seen_emails: set[str] = set()

    def unique_email(row: dict, role: str, index: int) -> str | None:
        email = (row.get("email") or f"{row['key']}@seed.moshu.cn").lower()
        if index == 0:
            email = DEMO_ACCOUNTS[role]
        if email in seen_emails:
            email = f"{row['key']}@seed.moshu.cn"
        seen_emails.add(email)
        return email

    profiles: dict[str, ProviderProfile] = {}
    cases: dict[str, Case] = {}
    needs: dict[str, Need] = {}
    for i, row in enumerate(data["providers"]):
        orgs[row["key"]] = org = make_org("vendor", row, pw, unique_email(row, "vendor", i))
        profiles[row["key"]] = profile = ProviderProfile(
            organisation=org, provider_type=row["type"], summary=row["summary"], capabilities=row["capabilities"],
            industries=row["industries"], scenarios=row["scenarios"], cities_served=row["cities_served"],
            reference_cases=row.get("reference_cases"), certifications=", ".join(row.get("certifications", [])),
            state="published", created_at=EPOCH + timedelta(hours=i))
        db.session.add(profile)
    for i, row in enumerate(data["enterprises"]):
        orgs[row["key"]] = make_org("enterprise", row, pw, unique_email(row, "enterprise", i))
    for i, row in enumerate(data["centers"]):
        orgs[row["key"]] = make_org("center", {**row, "industry": None}, pw, unique_email(row, "center", i))
    admin_org = Organisation(kind="platform", name="模数共振平台运营中心",
                             credit_code=credit_code_for("platform", "zhuhai"), city="zhuhai",
                             verified_at=EPOCH)
    db.session.add_all([admin_org, User(email=DEMO_ACCOUNTS["admin"], name="平台管理员", password_hash=pw,
                                        organisation=admin_org, is_admin=True)])

    evaluators = make_evaluators(make_org, pw, EPOCH)
    db.session.flush()
    last_third_party = max((i for i, row in enumerate(data["models"])
                            if any(e.get("third_party") and e["evaluator"] == MAIN_LAB
                                   for e in row.get("evaluations", []))), default=-1)
    models: dict[str, IndustrialModel] = {}
    for i, row in enumerate(data["models"]):
        models[row["key"]] = model = IndustrialModel(
            organisation=orgs[row["vendor"]], name=row["name"], kind=row["kind"], version=row["version"],
            summary=row["summary"], description=row["description"], tasks=", ".join(row.get("tasks", [])),
            industries=row["industries"], scenarios=row["scenarios"], modalities=row["modalities"],
            deployments=row["deployments"], hardware=row.get("hardware"), licence=row.get("licence"),
            state="published", created_at=EPOCH + timedelta(hours=2 * i), updated_at=EPOCH + timedelta(hours=2 * i),
            evaluations=[evaluation_row(e, evaluators, EPOCH, pending=(i == last_third_party))
                         for e in row.get("evaluations", [])])
        db.session.add(model)
    for card in data.get("model_cards", []):  # the card's sections and version history (model_cards.json)
        fill_model_card(models[card["model"]], card)
    shared_work = load_shared_evaluations(data.get("shared_evaluations", []), models, evaluators, EPOCH)
    offerings: dict[str, Offering] = {}
    for i, row in enumerate(data["offerings"]):
        offerings[row["key"]] = offering = Offering(
            organisation=orgs[row["vendor"]], title=row["title"], summary=row["summary"],
            description=row["description"], pricing_plan=row["pricing_plan"], price_fen=int(row["price_fen"]),
            delivery_days=int(row["delivery_days"]),
            deployments=row["deployments"], industries=row["industries"], scenarios=row["scenarios"],
            tags=", ".join(row.get("tags", [])), models=[models[k] for k in row.get("models", [])],
            state="published", created_at=EPOCH + timedelta(hours=3 * i), updated_at=EPOCH + timedelta(hours=3 * i))
        db.session.add(offering)
        if row["voucher_eligible"]:  # admitted to the catalogue of each region the demo configures a 模型券 in
            for region in dict.fromkeys((default_region, *VOUCHER_DEMO_REGIONS)):
                db.session.add(CatalogueEntry(offering=offering, region=region, state="in_catalogue", applied_at=EPOCH,
                                              note="示范数据：已列入模型券服务目录", decided_at=EPOCH))
    for i, row in enumerate(data["needs"]):
        created = EPOCH + timedelta(days=i % 60, hours=i)
        needs[row["key"]] = need = Need(
            organisation=orgs[row["enterprise"]], title=row["title"], description=row["description"],
            industry=row["industry"], scenario=row["scenario"], pain_points=row.get("pain_points"),
            data_available=row.get("data_available"), budget_min_fen=row.get("budget_min_fen"),
            budget_max_fen=row.get("budget_max_fen"),
            deadline=date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
            deployment=row.get("deployment"), city=row["city"], visibility=row.get("visibility", "public"),
            status=row.get("status", "open"), created_at=created, updated_at=created)
        db.session.add(need)
    centers = [orgs[row["key"]] for row in data["centers"]]
    for i, row in enumerate(data["cases"]):
        center = next((c for c in centers if c.city == row.get("city")), centers[i % len(centers)])
        cases[row["key"]] = case = Case(
            center=center, vendor=orgs.get(row.get("vendor")), offering=offerings.get(row.get("offering")),
            title=row["title"], enterprise_name=row["enterprise_name"], industry=row["industry"],
            anonymous=bool(row.get("anonymous", True)),  # the seeded cases' titles already describe, not name
            scenario=row["scenario"], city=row.get("city"), problem=row["problem"], solution=row["solution"],
            investment_fen=row.get("investment_fen"), year=int(row["year"]), state=row.get("status", "published"),
            results=[CaseResult(indicator=r["indicator"], before=Decimal(str(r["before"])),
                                after=Decimal(str(r["after"])), unit=r["unit"], better=r.get("better"))
                     for r in row.get("results", [])])
        db.session.add(case)
    db.session.flush()
    centers_work = load_centers_work(centers, profiles, cases, needs, offerings)
    voucher_work = load_voucher_work(orgs)
    datasets, dataset_work = load_dataset_work(orgs, models)
    money_work = load_resonance_work(orgs, offerings, datasets, models)
    trust_work = load_trust_work(make_org, pw)
    workflow_work = load_workflow_work(needs, offerings, DEMO_ACCOUNTS["enterprise"], DEMO_ACCOUNTS["vendor"])
    redemption_work = load_redemption_work(offerings)
    moderation_work = load_moderation_work(pw, DEMO_ACCOUNTS["vendor"])
    expert_work = load_expert_work(centers, DEMO_ACCOUNTS["enterprise"])
    diagnosis_work = load_diagnosis_work(centers, DEMO_ACCOUNTS["enterprise"])
    if keys is not None:
        keys.update({k: v for k, v in models.items()})
        keys.update({k: v for k, v in offerings.items()})
        keys.update({k: v for k, v in cases.items()})
        keys.update({k: v for k, v in needs.items()})
        keys.update({k: profiles[k] for k in profiles})
        keys.update(datasets)
    return {"vendors": len(data["providers"]), "models": len(data["models"]), "offerings": len(data["offerings"]),
            "enterprises": len(data["enterprises"]), "needs": len(data["needs"]), "centers": len(data["centers"]),
            "cases": len(data["cases"]), **centers_work, **voucher_work, **money_work, **workflow_work,
            **redemption_work, **moderation_work, **trust_work, **shared_work, **expert_work, **diagnosis_work,
            **dataset_work}
