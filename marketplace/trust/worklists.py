"""The trust queues on the review desk: verification requests, and evaluation results awaiting attestation."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.catalog.models import Attestation, IndustrialModel, ModelEvaluation
from marketplace.main.worklists import capped_count, worklist
from marketplace.trust.models import VerificationRequest
from marketplace.trust.services import verification_queue


@worklist("verification", label=_l("Verification requests"),
          description=_l("Organisations of your region that uploaded their business licence to be verified."),
          endpoint="trust.queue", permission="organisation.verify", order=20)
def verification_requests(user, cap: int) -> int:
    """Count the verification requests awaiting the user's decision."""
    return capped_count(verification_queue(user).with_only_columns(VerificationRequest.id).order_by(None), cap)


@worklist("attestations", label=_l("Evaluation results to attest"),
          description=_l("Model evaluation results that name your organisation as their third-party evaluator."),
          endpoint="trust.attestations", permission="evaluation.attest", order=60)
def results_to_attest(user, cap: int) -> int:
    """Count the evaluation rows naming the user's organisation that await its answer."""
    stmt = (select(ModelEvaluation.id).join(ModelEvaluation.model)
            .where(ModelEvaluation.evaluator_org_id == user.organisation_id,
                   IndustrialModel.organisation_id != user.organisation_id,
                   ModelEvaluation.attestation == Attestation.PENDING.value))
    return capped_count(stmt, cap)
