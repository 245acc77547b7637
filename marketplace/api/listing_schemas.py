"""The schemas of the listing and need writes (pydantic; the OpenAPI document is built from them), and of the
vocabulary.

Every limit here is read from the declarations the services check (`catalog.fields`, `needs.fields`), and every
code from `marketplace.vocab`, so the document states the rules the pages apply; the services check them again
for every caller. Amounts are integer fen: a float or a string is refused, not rounded.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model
from pydantic.fields import FieldInfo

from marketplace import vocab
from marketplace.catalog.fields import (
    EVALUATION_FIELDS,
    MAX_DELIVERY_DAYS,
    MAX_EVALUATIONS,
    MAX_PRICE_FEN,
    MODEL_FIELDS,
    OFFERING_FIELDS,
    PROVIDER_FIELDS,
)
from marketplace.field_rules import Rule, Text, unknown_code
from marketplace.needs.fields import MAX_BUDGET_FEN, NEED_FIELDS
from marketplace.needs.models import Visibility

VOCABULARY_HINT = " The codes are listed by GET /api/v1/vocabulary."


def known(codes: tuple[str, ...]):
    """A validator refusing a code not in its list, naming the code."""

    def check(value: str) -> str:
        """Return the code, or refuse it."""
        if value not in codes:
            raise ValueError(unknown_code(value))
        return value

    return check


def code_schema(codes: tuple[str, ...]) -> WithJsonSchema:
    """Document a code as one of its list."""
    return WithJsonSchema({"type": "string", "enum": list(codes)})


def whole(value: Any) -> Any:
    """Refuse anything but a JSON integer (a float, a string or true/false is not silently converted)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_("Give a whole number (amounts are in fen)."))
    return value


def iso_date(value: Any) -> Any:
    """Accept a date only as "YYYY-MM-DD" text (not a number of seconds)."""
    if not isinstance(value, str | date):
        raise ValueError(_("Give a date as YYYY-MM-DD."))
    return value


INDUSTRIES, SCENARIOS, CITIES = (vocab.codes(vocab.INDUSTRIES), vocab.codes(vocab.SCENARIOS),
                                 vocab.codes(vocab.CITIES))
DEPLOYMENTS, MODALITIES = vocab.codes(vocab.DEPLOYMENTS), vocab.codes(vocab.MODALITIES)
IndustryCode = Annotated[str, AfterValidator(known(INDUSTRIES)), code_schema(INDUSTRIES)]
ScenarioCode = Annotated[str, AfterValidator(known(SCENARIOS)), code_schema(SCENARIOS)]
CityCode = Annotated[str, AfterValidator(known(CITIES)), code_schema(CITIES)]
DeploymentCode = Annotated[str, AfterValidator(known(DEPLOYMENTS)), code_schema(DEPLOYMENTS)]
ModalityCode = Annotated[str, AfterValidator(known(MODALITIES)), code_schema(MODALITIES)]
ModelKindCode = Annotated[str, AfterValidator(known(vocab.codes(vocab.MODEL_KINDS))),
                          code_schema(vocab.codes(vocab.MODEL_KINDS))]
ProviderTypeCode = Annotated[str, AfterValidator(known(vocab.codes(vocab.PROVIDER_TYPES))),
                             code_schema(vocab.codes(vocab.PROVIDER_TYPES))]
PlanCode = Annotated[str, AfterValidator(known(vocab.codes(vocab.PRICING_PLANS))),
                     code_schema(vocab.codes(vocab.PRICING_PLANS))]
VISIBILITIES = tuple(v.value for v in Visibility)
VisibilityCode = Annotated[str, AfterValidator(known(VISIBILITIES)), code_schema(VISIBILITIES)]
WholeNumber = Annotated[int, BeforeValidator(whole)]
IsoDate = Annotated[date, BeforeValidator(iso_date)]


def text(rules: dict[str, Rule], name: str, description: str = "") -> Any:
    """The field of a text rule: required ones at least one character (after trimming), every one within its
    limits."""
    rule = rules[name]
    assert isinstance(rule, Text)
    if rule.required:
        return Field(min_length=max(rule.min, 1), max_length=rule.max, description=description or None)
    return Field(None, max_length=rule.max, description=description or None)


def codes(description: str, required: bool = True, at_most: int = 100) -> Any:
    """The field of a list of codes: each once, at least one when required."""
    return Field(... if required else None, min_length=1 if required else 0, max_length=at_most,
                 description=description + VOCABULARY_HINT, json_schema_extra={"uniqueItems": True})


class Strict(BaseModel):
    """A request body: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ---- provider profile -------------------------------------------------------------------------------------------

class ProviderIn(Strict):
    """A vendor's provider profile (服务商). Saved as a draft; publish it with its `publish` transition."""

    provider_type: ProviderTypeCode = Field(description="integrator or specialist." + VOCABULARY_HINT)
    summary: str = text(PROVIDER_FIELDS, "summary", "One line saying what the provider does.")
    capabilities: str = text(PROVIDER_FIELDS, "capabilities")
    industries: list[IndustryCode] = codes("Industries served.", at_most=len(INDUSTRIES))
    scenarios: list[ScenarioCode] = codes("Scenarios served.", at_most=len(SCENARIOS))
    cities_served: list[CityCode] = codes("Cities served.", at_most=len(CITIES))
    reference_cases: str | None = text(PROVIDER_FIELDS, "reference_cases")
    certifications: str | None = text(PROVIDER_FIELDS, "certifications", "Comma-separated.")


# ---- industrial model --------------------------------------------------------------------------------------------

class EvaluationIn(Strict):
    """One result of a model card's evaluation table. Naming `evaluator_org_id` (an evaluation body or promotion
    center) asks that organisation to attest the result; only its attestation makes it third-party — a client
    cannot mark a row attested. Send a row's `id` to keep it (and its attestation while its claim is unchanged)."""

    id: int | None = Field(None, ge=1, le=2_147_483_647, description="The row's id, to keep an existing row.")
    metric: str = text(EVALUATION_FIELDS, "metric")
    value: str = text(EVALUATION_FIELDS, "value")
    dataset: str | None = text(EVALUATION_FIELDS, "dataset")
    evaluator: str | None = text(EVALUATION_FIELDS, "evaluator",
                                 "Who evaluated it (needed unless evaluator_org_id is given).")
    evaluator_org_id: int | None = Field(None, ge=1, le=2_147_483_647,
                                         description="An evaluation body or promotion center asked to attest it.")


class ModelIn(Strict):
    """An industrial model card (工业模型) with its evaluation table. Saved as a draft."""

    name: str = text(MODEL_FIELDS, "name")
    kind: ModelKindCode = Field(description="vertical_llm, scene_small or agent." + VOCABULARY_HINT)
    version: str = text(MODEL_FIELDS, "version")
    summary: str = text(MODEL_FIELDS, "summary")
    description: str = text(MODEL_FIELDS, "description")
    tasks: str | None = text(MODEL_FIELDS, "tasks", "Comma-separated.")
    industries: list[IndustryCode] = codes("Industries.", at_most=len(INDUSTRIES))
    scenarios: list[ScenarioCode] = codes("Scenarios.", at_most=len(SCENARIOS))
    modalities: list[ModalityCode] = codes("Input modalities.", at_most=len(MODALITIES))
    deployments: list[DeploymentCode] = codes("Deployments.", at_most=len(DEPLOYMENTS))
    hardware: str | None = text(MODEL_FIELDS, "hardware")
    licence: str | None = text(MODEL_FIELDS, "licence")
    intended_use: str | None = text(MODEL_FIELDS, "intended_use", "Model card: which tasks, lines and users it is for.")
    limitations: str | None = text(MODEL_FIELDS, "limitations",
                                   "Model card: out-of-scope use, and where it is known to do worse.")
    training_data: str | None = text(MODEL_FIELDS, "training_data",
                                     "Model card: what it learnt from (sources, volume, time span, labelling).")
    evaluations: list[EvaluationIn] = Field(default_factory=list, max_length=MAX_EVALUATIONS,
                                            description="The whole evaluation table; it replaces the one kept.")


# ---- offering ---------------------------------------------------------------------------------------------------

class OfferingIn(Strict):
    """A model-supermarket offering (模型超市). Saved as a draft."""

    title: str = text(OFFERING_FIELDS, "title")
    summary: str = text(OFFERING_FIELDS, "summary")
    description: str = text(OFFERING_FIELDS, "description")
    pricing_plan: PlanCode = Field(description="one_off, annual or per_call." + VOCABULARY_HINT)
    price_fen: WholeNumber = Field(ge=1, le=MAX_PRICE_FEN, description="The price in integer fen (¥1 = 100).")
    delivery_days: WholeNumber = Field(ge=1, le=MAX_DELIVERY_DAYS, description="Delivery time in days.")
    deployments: list[DeploymentCode] = codes("Deployments.", at_most=len(DEPLOYMENTS))
    industries: list[IndustryCode] = codes("Industries.", at_most=len(INDUSTRIES))
    scenarios: list[ScenarioCode] = codes("Scenarios.", at_most=len(SCENARIOS))
    model_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        default_factory=list, max_length=50, description="The vendor's own models behind the offering.")
    tags: str | None = text(OFFERING_FIELDS, "tags", "Comma-separated.")


# ---- need -------------------------------------------------------------------------------------------------------

class NeedIn(Strict):
    """A scenario need (场景需求) of an SME. Posted open; an unverified SME's need waits for review."""

    title: str = text(NEED_FIELDS, "title")
    description: str = text(NEED_FIELDS, "description")
    industry: IndustryCode = Field(description="An industry code." + VOCABULARY_HINT)
    scenario: ScenarioCode = Field(description="A scenario code." + VOCABULARY_HINT)
    pain_points: str | None = text(NEED_FIELDS, "pain_points")
    data_available: str | None = text(NEED_FIELDS, "data_available")
    budget_min_fen: WholeNumber | None = Field(None, ge=0, le=MAX_BUDGET_FEN, description="In integer fen.")
    budget_max_fen: WholeNumber | None = Field(None, ge=0, le=MAX_BUDGET_FEN,
                                               description="In integer fen; not below budget_min_fen.")
    deadline: IsoDate | None = Field(None, description="YYYY-MM-DD, not in the past.")
    deployment: DeploymentCode | None = Field(None, description="A deployment constraint." + VOCABULARY_HINT)
    city: CityCode = Field(description="A city code." + VOCABULARY_HINT)
    visibility: VisibilityCode = Field(description="public, or registered (signed-in users only; the SME's name "
                                                   "hidden from vendors).")


def without_defaults(schema: dict) -> None:
    """Leave the (null) defaults of an edit's fields out of the document: a field not sent stays as it is."""
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class Patch(Strict):
    """An edit: only the fields sent change."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=without_defaults)


def patch_of(model: type[Strict], name: str, doc: str) -> type[Strict]:
    """The schema of an edit: the same fields and limits, each optional; only the fields sent change."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        optional = FieldInfo.merge_field_infos(info, default=None)
        optional.default_factory = None
        fields[field_name] = (info.annotation, optional)
    patched = create_model(name, __base__=Patch, __doc__=doc, **fields)
    return patched


ProviderPatch = patch_of(ProviderIn, "ProviderPatch", "The provider profile fields to change.")
ModelPatch = patch_of(ModelIn, "ModelPatch", "The model card fields to change; `evaluations`, when sent, replaces "
                                             "the whole evaluation table.")
OfferingPatch = patch_of(OfferingIn, "OfferingPatch", "The offering fields to change; `model_ids`, when sent, "
                                                      "replaces the models behind it.")
NeedPatch = patch_of(NeedIn, "NeedPatch", "The need fields to change (null clears an optional one).")


# ---- answers ----------------------------------------------------------------------------------------------------

class ListingOut(BaseModel):
    """What every listing answer holds (the kind's serialiser)."""

    id: int
    title: str
    state: str = Field(description="draft, published or delisted.")
    moderation: str = Field(description="visible, or held (waiting for review), hidden or rejected by moderators.")
    industries: list[str]
    scenarios: list[str]
    organisation: str
    summary: str


class ProviderOut(ListingOut):
    """A provider profile."""

    provider_type: str
    cities_served: list[str]


class EvaluationOut(BaseModel):
    """One result of a model card's evaluation table."""

    id: int
    metric: str
    value: str
    dataset: str
    evaluator: str
    attestation: str = Field(description="self_reported, pending (awaiting the named evaluator), attested or "
                                         "declined.")
    third_party: bool = Field(description="Attested by the evaluator organisation it names.")
    attested_at: str | None


class VersionOut(BaseModel):
    """One release of a model's version history (newest first; releases are only ever added)."""

    number: str
    released_on: str = Field(description="YYYY-MM-DD.")
    notes: str


class ModelOut(ListingOut):
    """A model card."""

    kind: str
    version: str
    deployments: list[str]
    intended_use: str | None
    limitations: str | None
    training_data: str | None
    evaluations: list[EvaluationOut]
    versions: list[VersionOut]


class OfferingOut(ListingOut):
    """An offering."""

    price_fen: int
    pricing_plan: str
    voucher_regions: list[str] = Field(description="Regions whose 模型券 catalogue holds it.")
    deployments: list[str]
    delivery_days: int
    model_ids: list[int]


class NeedOut(BaseModel):
    """A scenario need."""

    id: int
    title: str
    description: str
    industry: str
    scenario: str
    city: str
    deployment: str | None
    budget_min_fen: int | None
    budget_max_fen: int | None
    deadline: str | None
    status: str = Field(description="open, in_talks, contracted or closed.")
    moderation: str = Field(description="visible, or held (waiting for review), hidden or rejected by moderators.")
    visibility: str
    organisation: str | None


# ---- vocabulary -------------------------------------------------------------------------------------------------

class Term(BaseModel):
    """One code of a list, with its Chinese and English names."""

    code: str
    zh: str
    en: str


class ScenarioTerm(Term):
    """A scenario, with the stage it belongs to and any other stage that lists it."""

    stage: str
    also: list[str]


class StageTerm(Term):
    """A stage of MIIT's scenario guide, with its scenarios in order."""

    scenarios: list[str]


class Vocabulary(BaseModel):
    """Every code list a record's fields take their codes from."""

    industries: list[Term]
    scenarios: list[ScenarioTerm]
    stages: list[StageTerm]
    cities: list[Term]
    deployments: list[Term]
    model_kinds: list[Term]
    modalities: list[Term]
    provider_types: list[Term]
    pricing_plans: list[Term]
    visibilities: list[Term]
    listing_states: list[Term]
    need_statuses: list[Term]
    moderation_states: list[Term]
