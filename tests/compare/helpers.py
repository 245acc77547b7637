"""Factories for comparison tests: models with evaluation rows, attested by an evaluation body or self-reported."""
from __future__ import annotations

from datetime import UTC, datetime

from marketplace.catalog.models import Attestation, ModelEvaluation
from marketplace.extensions import db
from tests.factories import make_model, make_user

MVTEC = "MVTec AD（15 类）"
NEU = "NEU-DET 钢材表面缺陷"


def attested(metric: str, value: str, dataset: str, lab, on: datetime = datetime(2026, 9, 15, 9, tzinfo=UTC)):
    """An evaluation row the lab's evaluation body attested on the given day."""
    return ModelEvaluation(metric=metric, value=value, dataset=dataset, evaluator=lab.organisation.name,
                           evaluator_org_id=lab.organisation_id, attestation=Attestation.ATTESTED.value,
                           attested_at=on, attested_by_id=lab.id)


def self_reported(metric: str, value: str, dataset: str):
    """An evaluation row the vendor reported itself."""
    return ModelEvaluation(metric=metric, value=value, dataset=dataset, evaluator="企业自测")


def make_lab():
    """An evaluation body's user (its organisation attests results)."""
    return make_user("evaluator", name="广东省工业模型评测中心")


def model_with(vendor_org, name: str, *evaluations, **fields):
    """A published model of the vendor with the given evaluation rows."""
    model = make_model(vendor_org, name=name, evaluations=list(evaluations), **fields)
    db.session.commit()
    return model
