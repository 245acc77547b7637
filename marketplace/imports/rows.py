"""One row of an import: its cells checked by the same form as the listing's page (required fields, lengths,
vocabulary codes, the price in yuan turned into fen, delivery days, the vendor's own models), then the listing
created or updated by the vendor's own SKU through the catalogue's services — or left alone when nothing in it
changed.

Vocabulary cells accept the Chinese or English label or the code (scenarios also their other names), several
values separated by 、 , ； as the pages' tag fields are. Models are named by the vendor's own SKU or id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from marketplace import vocab
from marketplace.accounts.models import Organisation, User
from marketplace.catalog.forms import ModelForm, OfferingForm
from marketplace.catalog.models import IndustrialModel, Offering
from marketplace.catalog.services import save_model, save_offering, split_list
from marketplace.extensions import db
from marketplace.imports.reading import Column
from marketplace.money import fen_to_yuan_text
from marketplace.permissions import can
from marketplace.templating import VOCABULARIES

SKU_MAX = 64
WHOLE_FEN = re.compile(r"[+-]?\d{1,15}")
TEXT_FIELDS = {"offering": ("title", "summary", "description", "pricing_plan", "price_fen", "delivery_days",
                            "deployments", "industries", "scenarios", "tags"),
               "model": ("name", "kind", "version", "summary", "description", "tasks", "industries", "scenarios",
                         "modalities", "deployments", "hardware", "licence")}
"""The stored fields a row sets, compared with the listing's to tell an unchanged row."""


class RowRefused(Exception):
    """A row that is not imported, with its reasons per column field ("" for the row as a whole)."""

    def __init__(self, reasons: list[tuple[str, str]]):
        """Hold the (column field, reason) pairs."""
        super().__init__("; ".join(r for _f, r in reasons))
        self.reasons = reasons


@dataclass
class Batch:
    """What one import knows across its rows: the vendor, the uploader, its own models, the SKUs seen so far."""

    kind: str
    org: Organisation
    user: User
    models_by_sku: dict[str, int] = field(default_factory=dict)
    model_ids: set[int] = field(default_factory=set)
    seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(cls, kind: str, org: Organisation, user: User) -> Batch:
        """Begin an import for a vendor: note its own models (offerings name them)."""
        batch = cls(kind, org, user)
        for model_id, sku in db.session.execute(select(IndustrialModel.id, IndustrialModel.sku)
                                                .where(IndustrialModel.organisation_id == org.id)):
            batch.model_ids.add(model_id)
            if sku:
                batch.models_by_sku[sku] = model_id
        return batch


def vocab_code(kind: str, text: str) -> str | None:
    """Return the code a vocabulary cell names by code, Chinese or English label (scenarios: any of their names)."""
    wanted = text.strip().lower()
    for term in VOCABULARIES[kind]:
        if wanted in (term.code.lower(), term.zh.lower(), term.en.lower()):
            return term.code
    if kind == "scenario":
        return vocab.scenario_for_name(text)
    return None


def unknown_term(kind: str, text: str) -> str:
    """Say that a cell names no entry of its vocabulary, in the user's language."""
    names = {"plan": _("pricing plan"), "deployment": _("deployment"), "industry": _("industry"),
             "scenario": _("scenario"), "model_kind": _("model kind"), "modality": _("input modality")}
    return _("“%(value)s” is not a %(list)s of the site's list; use its Chinese name or its code.",
             value=text, list=names[kind])


def form_data(cells: dict[str, str], columns: dict[str, Column], batch: Batch,
              problems: list[tuple[str, str]]) -> tuple[MultiDict, list[int]]:
    """Turn a row's cells into the form data the listing's page would send; note cells that cannot be."""
    data: MultiDict = MultiDict()
    for name, column in columns.items():
        text = cells.get(name, "")
        if column.vocab:
            values = split_list(text) if column.multi else ([text] if text else [])
            for value in values:
                code = vocab_code(column.vocab, value)
                if code is None:
                    problems.append((name, unknown_term(column.vocab, value)))
                else:
                    data.add(name, code)
        elif name not in ("sku", "models", "price_fen", "price"):
            data.add(name, text)
    if "price" in columns or "price_fen" in columns:
        data.add("price", price_text(cells, problems))
    model_ids: list[int] = []
    for ref in split_list(cells.get("models", "")):
        model_id = batch.models_by_sku.get(ref)
        if model_id is None and ref.isdigit() and int(ref) in batch.model_ids:
            model_id = int(ref)
        if model_id is None:
            problems.append(("models", _("None of your models has the SKU or id “%(ref)s”.", ref=ref)))
        elif model_id not in model_ids:
            model_ids.append(model_id)
    for model_id in model_ids:
        data.add("model_ids", str(model_id))
    return data, model_ids


def price_text(cells: dict[str, str], problems: list[tuple[str, str]]) -> str:
    """Return the price as yuan text for the form's price field: the yuan cell, or whole fen written as yuan."""
    yuan = cells.get("price", "").strip()
    fen = cells.get("price_fen", "").strip()
    if yuan or not fen:
        return yuan
    if not WHOLE_FEN.fullmatch(fen):
        problems.append(("price_fen", _("Give the price in fen as a whole number, without a decimal point.")))
        return ""
    return fen_to_yuan_text(int(fen))


def check_sku(cells: dict[str, str], row_number: int, batch: Batch) -> str:
    """Return the row's SKU, or refuse a row without one, with one too long, or repeating an earlier row's."""
    sku = cells.get("sku", "").strip()
    if not sku:
        raise RowRefused([("sku", _("Give the row's SKU: the import creates or updates your listings by it."))])
    if len(sku) > SKU_MAX:
        raise RowRefused([("sku", _("A SKU has at most %(n)d characters.", n=SKU_MAX))])
    if sku in batch.seen:
        raise RowRefused([("sku", _("SKU “%(sku)s” is already used by row %(row)d of this file.",
                                    sku=sku, row=batch.seen[sku]))])
    batch.seen[sku] = row_number
    return sku


FORM_FIELD_COLUMN = {"model_ids": "models"}


def validated_form(cells: dict[str, str], columns: dict[str, Column], batch: Batch):
    """Check a row with the listing page's form; return the valid form, or raise RowRefused with every reason."""
    problems: list[tuple[str, str]] = []
    data, _model_ids = form_data(cells, columns, batch, problems)
    if batch.kind == "offering":
        form = OfferingForm(formdata=data, meta={"csrf": False})
        form.fill_vocab()
        form.model_ids.choices = [(i, str(i)) for i in sorted(batch.model_ids)]
    else:
        form = ModelForm(formdata=data, meta={"csrf": False})
        form.fill_vocab()
        form.set_evaluator_choices([])
    form.validate()
    complained = {name for name, _reason in problems}
    for name, messages in form.errors.items():
        if name == "evaluations":
            continue
        column = FORM_FIELD_COLUMN.get(name, name)
        if column == "price" and "price" not in cells and "price_fen" in cells:
            column = "price_fen"
        if column in complained:
            continue  # the cell's own reason (an unknown value) says more than the form's "choose at least one"
        problems.extend((column, str(m)) for m in messages)
    if problems:
        raise RowRefused(problems)
    return form


def import_row(cells: dict[str, str], row_number: int, columns: dict[str, Column], batch: Batch) -> str:
    """Create or update one listing from a row by the vendor's SKU; return "created", "updated" or "unchanged".

    The caller runs it in a transaction of its own and rolls back on any exception, so a row is saved whole or
    not at all."""
    from marketplace.catalog.views import model_fields, offering_fields

    sku = check_sku(cells, row_number, batch)
    form = validated_form(cells, columns, batch)
    if batch.kind == "offering":
        offering = db.session.scalar(select(Offering).where(Offering.organisation_id == batch.org.id,
                                                            Offering.sku == sku))
        allowed(batch, offering)
        fields = offering_fields(form)
        model_ids = list(form.model_ids.data or [])
        if offering is not None and same(offering, fields) and \
                sorted(m.id for m in offering.models) == sorted(model_ids):
            return "unchanged"
        listing: Offering | IndustrialModel = save_offering(batch.org, fields, model_ids, offering=offering)
        existing: Offering | IndustrialModel | None = offering
    else:
        model = db.session.scalar(select(IndustrialModel).where(IndustrialModel.organisation_id == batch.org.id,
                                                                IndustrialModel.sku == sku))
        allowed(batch, model)
        fields = model_fields(form)
        if model is not None and same(model, fields):
            return "unchanged"
        kept = [{"row_id": e.id, "metric": e.metric, "value": e.value, "dataset": e.dataset,
                 "evaluator": e.evaluator, "evaluator_org_id": e.evaluator_org_id}
                for e in (model.evaluations if model is not None else [])]
        listing = save_model(batch.org, fields, kept, model=model, actor=batch.user)
        existing = model
    listing.sku = sku
    db.session.flush()
    return "created" if existing is None else "updated"


def allowed(batch: Batch, existing) -> None:
    """Refuse a row the uploader may not create (a new listing) or edit (the listing its SKU names)."""
    if existing is None and not can(batch.user, "listing.create"):
        raise RowRefused([("", _("You do not have permission to do that."))])
    if existing is not None and not can(batch.user, "listing.edit", existing):
        raise RowRefused([("sku", _("You do not have permission to do that."))])


def same(listing, fields: dict) -> bool:
    """Tell whether a listing already holds every value a row sets (empty text and no text are the same)."""
    for name, value in fields.items():
        current = getattr(listing, name)
        if (current or None) != (value or None) and not (isinstance(value, list) and list(current or []) == value):
            return False
    return True
