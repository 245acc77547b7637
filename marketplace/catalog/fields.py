"""What a provider profile, a model card (and its evaluation rows) and an offering must hold: the one declaration
the catalogue services check (`check_fields`), the pages' forms read for their validators and the API's schemas
for their documented limits."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace import vocab
from marketplace.errors import DomainError
from marketplace.field_rules import Code, Codes, Rule, Text, Whole, field_problems, trimmed
from marketplace.forms_common import MAX_FEN

PROVIDER_FIELDS: dict[str, Rule] = {
    "provider_type": Code(vocab.codes(vocab.PROVIDER_TYPES)),
    "summary": Text(300, required=True),
    "capabilities": Text(5000, required=True),
    "industries": Codes(vocab.codes(vocab.INDUSTRIES)),
    "scenarios": Codes(vocab.codes(vocab.SCENARIOS)),
    "cities_served": Codes(vocab.codes(vocab.CITIES)),
    "reference_cases": Text(5000),
    "certifications": Text(500),
}

MODEL_FIELDS: dict[str, Rule] = {
    "name": Text(120, required=True),
    "kind": Code(vocab.codes(vocab.MODEL_KINDS)),
    "version": Text(30, required=True),
    "summary": Text(300, required=True),
    "description": Text(8000, required=True),
    "tasks": Text(300),
    "industries": Codes(vocab.codes(vocab.INDUSTRIES)),
    "scenarios": Codes(vocab.codes(vocab.SCENARIOS)),
    "modalities": Codes(vocab.codes(vocab.MODALITIES)),
    "deployments": Codes(vocab.codes(vocab.DEPLOYMENTS)),
    "hardware": Text(300),
    "licence": Text(120),
    "intended_use": Text(4000),
    "limitations": Text(4000),
    "training_data": Text(4000),
}

MODEL_CARD_SECTIONS = ("intended_use", "limitations", "training_data")
"""The model card's written sections (Hugging Face's model card is the anchor), in the order the page shows them."""
SECTION_LABELS = {"intended_use": _l("Intended use"), "limitations": _l("Out-of-scope use and limitations"),
                  "training_data": _l("Training data")}


def card_sections(model) -> list[tuple[str, object, str | None]]:
    """Return a model card's written sections in reading order: (anchor, heading, text or None when not filled)."""
    return [(name.replace("_", "-"), SECTION_LABELS[name], getattr(model, name) or None)
            for name in MODEL_CARD_SECTIONS]

VERSION_FIELDS: dict[str, Rule] = {
    "number": Text(30, required=True),
    "notes": Text(2000, required=True),
}

EVALUATION_FIELDS: dict[str, Rule] = {
    "metric": Text(60, required=True),
    "value": Text(40, required=True),
    "dataset": Text(200),
    "evaluator": Text(120),
}
MAX_EVALUATIONS = 20
"""A model card lists at most this many evaluation results."""

MAX_PRICE_FEN = MAX_FEN
"""The highest price an offering may ask (what an amount typed on any page may come to)."""
MAX_DELIVERY_DAYS = 730

OFFERING_FIELDS: dict[str, Rule] = {
    "title": Text(120, required=True),
    "summary": Text(300, required=True),
    "description": Text(8000, required=True),
    "pricing_plan": Code(vocab.codes(vocab.PRICING_PLANS)),
    "price_fen": Whole(1, MAX_PRICE_FEN),
    "delivery_days": Whole(1, MAX_DELIVERY_DAYS),
    "deployments": Codes(vocab.codes(vocab.DEPLOYMENTS)),
    "industries": Codes(vocab.codes(vocab.INDUSTRIES)),
    "scenarios": Codes(vocab.codes(vocab.SCENARIOS)),
    "tags": Text(300),
}


def refuse_if(reasons: list[tuple[str | None, str]]) -> None:
    """Raise every reason at once, if there is any."""
    if reasons:
        raise DomainError(reasons=reasons)


def check_provider(fields: dict, creating: bool) -> dict:
    """Return a provider profile's fields trimmed, or refuse them with the reason for each field."""
    clean = trimmed(fields)
    refuse_if(field_problems(PROVIDER_FIELDS, clean, creating))
    return clean


def check_model(fields: dict, creating: bool) -> dict:
    """Return a model card's fields trimmed, or refuse them with the reason for each field."""
    clean = trimmed(fields)
    refuse_if(field_problems(MODEL_FIELDS, clean, creating))
    return clean


def check_evaluations(rows: list[dict]) -> list[dict]:
    """Return a model card's evaluation rows trimmed, or refuse them: at most `MAX_EVALUATIONS`, each with a
    metric, a value and who evaluated it (named, or an evaluator organisation chosen), within its lengths."""
    if len(rows) > MAX_EVALUATIONS:
        raise DomainError(_("At most %(n)d items.", n=MAX_EVALUATIONS), "evaluations")
    clean, reasons = [], []
    for i, row in enumerate(rows):
        row = trimmed(row)
        reasons += field_problems(EVALUATION_FIELDS, row, True, prefix=f"evaluations.{i}.")
        if not row.get("evaluator") and row.get("evaluator_org_id") is None:
            reasons.append((f"evaluations.{i}.evaluator", _("A result needs a metric, a value and who evaluated it.")))
        clean.append(row)
    refuse_if(reasons)
    return clean


def check_version(fields: dict, taken: set[str], today: date) -> dict:
    """Return a new release's fields trimmed, or refuse them: a number not used before on this model, a release
    date not in the future, and what changed."""
    clean = trimmed(fields)
    reasons = field_problems(VERSION_FIELDS, clean, True)
    if clean.get("number") and clean["number"] in taken:
        reasons.append(("number", _("This model already has a version %(number)s.", number=clean["number"])))
    released_on = clean.get("released_on")
    if not isinstance(released_on, date):
        reasons.append(("released_on", _("Give a date as YYYY-MM-DD.")))
    elif released_on > today:
        reasons.append(("released_on", _("The release date cannot be in the future.")))
    refuse_if(reasons)
    return clean


def check_offering(fields: dict, creating: bool) -> dict:
    """Return an offering's fields trimmed, or refuse them with the reason for each field."""
    clean = trimmed(fields)
    refuse_if(field_problems(OFFERING_FIELDS, clean, creating))
    return clean
