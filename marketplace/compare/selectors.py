"""Which models, evaluations and offerings the comparison and the leaderboard may show.

Both read the catalogue's one definition of visible (`catalog.selectors`): a comparison shows only models the
viewer may see (published and not hidden by moderators; a vendor's own drafts to that vendor; admins all), the
leaderboard only published ones, since it is one public ranking for everybody.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.catalog.models import IndustrialModel, ModelEvaluation, Offering, offering_model
from marketplace.catalog.selectors import published, visible_to
from marketplace.db_types import contains_code
from marketplace.extensions import db

EVALUATION_LOADS = (selectinload(ModelEvaluation.evaluator_org),)


def models_for(ids: list[int], user) -> list[IndustrialModel]:
    """Return the models of `ids` that the user may see, in the order asked (the others are left out)."""
    if not ids:
        return []
    stmt = (visible_to(IndustrialModel, user).where(IndustrialModel.id.in_(ids))
            .options(selectinload(IndustrialModel.organisation),
                     selectinload(IndustrialModel.evaluations).options(*EVALUATION_LOADS)))
    found = {m.id: m for m in db.session.scalars(stmt)}
    return [found[i] for i in ids if i in found]


def offerings_using(model_ids: list[int]) -> dict[int, list[Offering]]:
    """Return the published offerings built on each model, by model id."""
    if not model_ids:
        return {}
    rows = db.session.execute(
        published(Offering).add_columns(offering_model.c.model_id)
        .join(offering_model, offering_model.c.offering_id == Offering.id)
        .where(offering_model.c.model_id.in_(model_ids)).order_by(Offering.price_fen, Offering.id))
    by_model: dict[int, list[Offering]] = defaultdict(list)
    for offering, model_id in rows:
        by_model[model_id].append(offering)
    return by_model


def scenario_evaluations(scenario: str | None = None) -> list[ModelEvaluation]:
    """Return the evaluation rows of published models (of one scenario, when given), with model and evaluator."""
    stmt = (select(ModelEvaluation).join(ModelEvaluation.model)
            .where(IndustrialModel.id.in_(published(IndustrialModel).with_only_columns(IndustrialModel.id)))
            .options(selectinload(ModelEvaluation.model).selectinload(IndustrialModel.organisation),
                     *EVALUATION_LOADS)
            .order_by(ModelEvaluation.id))
    if scenario:
        stmt = stmt.where(contains_code(IndustrialModel.scenarios, scenario))
    return list(db.session.scalars(stmt))
