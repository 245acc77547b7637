"""模数共振 services: the exact revenue split, agreements (draft, sign, amend, terminate), and ledger postings.

`split_revenue` is a pure function. Everything else takes explicit arguments and leaves committing to
the caller, so an order's payment, its ledger rows and its state change land in one transaction.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.catalog.models import IndustrialModel, Offering
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.locks import load_locked
from marketplace.notifications.events import agreement_awaiting_signature
from marketplace.permissions import require
from marketplace.resonance.models import (
    ROLE_KINDS,
    Agreement,
    AgreementParty,
    AgreementState,
    AgreementVersion,
    LedgerEntry,
    VersionState,
    version_dataset,
    version_offering,
)

TOTAL_BP = 10_000
Party = TypeVar("Party", bound=Hashable)


def _party_key(party: Hashable) -> tuple:
    """Order party ids of mixed types deterministically (numbers before strings)."""
    return (0, party, "") if isinstance(party, int) and not isinstance(party, bool) else (1, 0, str(party))


def split_revenue(amount_fen: int, shares: Mapping[Party, int]) -> dict[Party, int]:
    """Split an amount in fen by basis-point shares so the parts sum exactly to the amount.

    Largest-remainder rounding: each party first gets floor(amount × share / 10,000); the fen left over
    (fewer than the number of parties) go one each to the parties with the largest remainders. Ties are
    broken by party id in ascending order (numbers before strings), never by the order of the mapping,
    so the result is deterministic and independent of how the parties are listed.
    """
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise ValueError("the amount must be a whole number of fen")
    if amount_fen < 0:
        raise ValueError(f"the amount must not be negative (got {amount_fen} fen)")
    if not shares:
        raise ValueError("there must be at least one party")
    for party, bp in shares.items():
        if isinstance(bp, bool) or not isinstance(bp, int):
            raise ValueError(f"the share of {party!r} must be a whole number of basis points")
        if bp < 0:
            raise ValueError(f"the share of {party!r} must not be negative (got {bp})")
    total = sum(shares.values())
    if total != TOTAL_BP:
        raise ValueError(f"shares must sum to exactly {TOTAL_BP} basis points (got {total})")
    base = {p: amount_fen * bp // TOTAL_BP for p, bp in shares.items()}
    remainders = {p: amount_fen * bp % TOTAL_BP for p, bp in shares.items()}
    leftover = amount_fen - sum(base.values())
    for party in sorted(shares, key=lambda p: (-remainders[p], _party_key(p)))[:leftover]:
        base[party] += 1
    return base


# ---- agreements ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyTerm:
    """One party of proposed terms: organisation, role and share in basis points."""

    organisation_id: int
    role: str
    share_bp: int


def validate_terms(parties: list[PartyTerm], offering_ids: list[int]) -> tuple[list[Organisation], list[Offering]]:
    """Check proposed terms; return the organisations and offerings, or raise DomainError with a clear message."""
    if len(parties) < 2:
        raise DomainError(_("An agreement needs at least two parties."), "parties")
    ids = [p.organisation_id for p in parties]
    if len(set(ids)) != len(ids):
        raise DomainError(_("The same organisation is listed twice."), "parties")
    if any(p.share_bp <= 0 for p in parties):
        raise DomainError(_("Every party needs a share greater than zero."), "parties")
    total = sum(p.share_bp for p in parties)
    if total != TOTAL_BP:
        raise DomainError(_("Shares must add up to exactly 100%% (10,000 basis points); they add up to "
                               "%(total)s.", total=f"{total / 100:.2f}%"), "parties")
    orgs = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))}
    for p in parties:
        org = orgs.get(p.organisation_id)
        if org is None:
            raise DomainError(_("An organisation in the parties does not exist."), "parties")
        if p.role not in ROLE_KINDS:
            raise DomainError(_("Unknown role."), "parties")
        if org.kind not in ROLE_KINDS[p.role]:
            raise DomainError(_("%(org)s cannot take the role chosen for it.", org=org.name), "parties")
    roles = {p.role for p in parties}
    if "data" not in roles or "model" not in roles:
        raise DomainError(_("An agreement needs at least one data provider and one model developer."), "parties")
    if not offering_ids:
        raise DomainError(_("Choose at least one offering the agreement covers."), "offerings")
    offerings = list(db.session.scalars(select(Offering).where(Offering.id.in_(offering_ids))))
    if len(offerings) != len(set(offering_ids)):
        raise DomainError(_("An offering in the list does not exist."), "offerings")
    for offering in offerings:
        if offering.organisation_id not in orgs:
            raise DomainError(_("“%(title)s” is not owned by a party to this agreement.", title=offering.title),
                                 "offerings")
    return [orgs[i] for i in ids], offerings


def named_sides(parties: list[PartyTerm], dataset_ids, model_ids, actor_org_id: int,
                already_named: set[int]) -> tuple[list, list[IndustrialModel]]:
    """Check the datasets (data side) and models (model side) a version names; return them, or raise DomainError.

    A dataset must be one the acting organisation may use — its own, or one whose owner granted it access — unless
    the version being amended already named it; and its owner must be a party, as must each model's developer.
    """
    from marketplace.datasets.models import Dataset
    from marketplace.datasets.selectors import usable_datasets

    party_ids = {p.organisation_id for p in parties}
    dataset_ids, model_ids = sorted(set(dataset_ids or [])), sorted(set(model_ids or []))
    datasets = list(db.session.scalars(select(Dataset).where(Dataset.id.in_(dataset_ids)).order_by(Dataset.id)))
    if len(datasets) != len(dataset_ids):
        raise DomainError(_("A dataset in the list does not exist."), "datasets")
    usable = set(db.session.scalars(usable_datasets(actor_org_id).with_only_columns(Dataset.id))) | already_named
    for dataset in datasets:
        if dataset.id not in usable:
            raise DomainError(_("“%(title)s” is neither your organisation's nor granted to it; request access "
                                "first.", title=dataset.title), "datasets")
        if dataset.organisation_id not in party_ids:
            raise DomainError(_("The owner of “%(title)s” must be a party to the agreement.", title=dataset.title),
                              "datasets")
    models = list(db.session.scalars(select(IndustrialModel).where(IndustrialModel.id.in_(model_ids))
                                     .order_by(IndustrialModel.id)))
    if len(models) != len(model_ids):
        raise DomainError(_("A model in the list does not exist."), "models")
    for model in models:
        if model.organisation_id not in party_ids:
            raise DomainError(_("The developer of “%(name)s” must be a party to the agreement.", name=model.name),
                              "models")
    return datasets, models


def new_version(agreement: Agreement, parties: list[PartyTerm], offering_ids: list[int],
                note: str | None, when: datetime, dataset_ids=None, model_ids=None,
                actor_org_id: int | None = None) -> AgreementVersion:
    """Add a version awaiting every party's signature; an older pending version is withdrawn.

    The version names the datasets and models the agreement is about (see `named_sides`); an amendment that does
    not say otherwise keeps the ones the latest version named.
    """
    _orgs, offerings = validate_terms(parties, offering_ids)
    before = agreement.versions[-1] if agreement.versions else None
    already = {d.id for d in before.datasets} if before is not None else set()
    if dataset_ids is None:
        dataset_ids = sorted(already)
    if model_ids is None:
        model_ids = [m.id for m in before.models] if before is not None else []
    datasets, models = named_sides(parties, dataset_ids, model_ids, actor_org_id or 0, already)
    pending = agreement.pending_version
    if pending is not None:
        pending.state = VersionState.WITHDRAWN.value
    number = (agreement.versions[-1].number + 1) if agreement.versions else 1
    version = AgreementVersion(agreement=agreement, number=number, state=VersionState.PENDING.value, note=note,
                               created_at=when, offerings=offerings,
                               parties=[AgreementParty(organisation_id=p.organisation_id, role=p.role,
                                                       share_bp=p.share_bp) for p in parties])
    version.models = models
    db.session.add(version)
    if datasets:
        db.session.flush()
        db.session.execute(version_dataset.insert(), [{"version_id": version.id, "dataset_id": d.id}
                                                      for d in datasets])
    return version


def draft_agreement(user: User, title: str, agent_description: str, data_description: str,
                    parties: list[PartyTerm], offering_ids: list[int], when: datetime | None = None,
                    dataset_ids=(), model_ids=()) -> Agreement:
    """Draft an agreement (by a vendor or an SME that is one of its parties), naming its datasets and models;
    the caller commits."""
    require(user, "agreement.draft")
    org = user.organisation
    if org.id not in {p.organisation_id for p in parties}:
        raise DomainError(_("Your organisation must be one of the parties."), "parties")
    when = when or datetime.now(UTC)
    agreement = Agreement(title=title, agent_description=agent_description, data_description=data_description,
                          created_by_org_id=org.id, state=AgreementState.DRAFT.value, created_at=when)
    db.session.add(agreement)
    version = new_version(agreement, parties, offering_ids, None, when, dataset_ids, model_ids, org.id)
    db.session.flush()
    record_audit("agreement.drafted", user, agreement, {"shares": {p.organisation_id: p.share_bp for p in parties}})
    agreement_awaiting_signature(agreement, version, user)
    return agreement


def agreements_for(user: User, state: str | None = None):
    """Select the agreements a user's agreements page lists, newest first: those its organisation is a party to
    (promotion centers and admins: all), in one state if given."""
    from marketplace.permissions import can

    stmt = select(Agreement).order_by(Agreement.created_at.desc(), Agreement.id.desc())
    if not can(user, "agreement.overview"):
        stmt = stmt.where(Agreement.id.in_(select(AgreementVersion.agreement_id)
                                           .join(AgreementParty, AgreementParty.version_id == AgreementVersion.id)
                                           .where(AgreementParty.organisation_id == user.organisation_id)))
    if state is not None:
        stmt = stmt.where(Agreement.state == state)
    return stmt


def party_of(version: AgreementVersion | None, org_id: int) -> AgreementParty | None:
    """Return an organisation's party row in a version, if it is a party."""
    if version is None:
        return None
    return next((p for p in version.parties if p.organisation_id == org_id), None)


def is_party(agreement: Agreement, org_id: int) -> bool:
    """Tell whether an organisation is a party to any version of an agreement."""
    return any(party_of(v, org_id) for v in agreement.versions)


def lock_agreement(agreement_id: int) -> Agreement:
    """Load an agreement with its row locked for this transaction, fresh from the database."""
    return load_locked(Agreement, agreement_id)


def covering_agreement(offering_id: int, exclude_agreement_id: int | None = None) -> Agreement | None:
    """Return the active agreement whose version in force covers an offering, if any."""
    stmt = (select(Agreement).join(AgreementVersion, AgreementVersion.agreement_id == Agreement.id)
            .join(version_offering, version_offering.c.version_id == AgreementVersion.id)
            .where(version_offering.c.offering_id == offering_id, Agreement.state == AgreementState.ACTIVE.value,
                   AgreementVersion.state == VersionState.ACTIVE.value))
    if exclude_agreement_id is not None:
        stmt = stmt.where(Agreement.id != exclude_agreement_id)
    return db.session.scalars(stmt).first()


def sign(agreement_id: int, user: User, when: datetime | None = None) -> AgreementVersion:
    """Sign the pending version for the user's organisation; when all have signed it comes into force."""
    from marketplace.resonance.process import AGREEMENT

    version = lock_agreement(agreement_id).pending_version
    AGREEMENT.fire(agreement_id, "sign", user, when)
    if version is None:  # not reached: the sign rule admits only parties of a version awaiting signatures
        raise PermissionDenied()
    return version


def amend(agreement_id: int, user: User, parties: list[PartyTerm], offering_ids: list[int], note: str,
          when: datetime | None = None, dataset_ids=None, model_ids=None) -> AgreementVersion:
    """Propose new terms as a new version; the version in force stays in force until everyone signs. Without
    `dataset_ids` / `model_ids` the new version names what the latest one named."""
    from marketplace.resonance.process import AGREEMENT

    agreement = AGREEMENT.fire(agreement_id, "amend", user, when, parties=parties, offering_ids=offering_ids,
                               note=note, dataset_ids=dataset_ids, model_ids=model_ids)
    return agreement.pending_version


def terminate(agreement_id: int, user: User, reason: str, when: datetime | None = None) -> Agreement:
    """Terminate an agreement (a party of the version in force); later payments are no longer split."""
    from marketplace.resonance.process import AGREEMENT

    return AGREEMENT.fire(agreement_id, "terminate", user, when, reason=reason)


# ---- ledger ----------------------------------------------------------------------------------


def split_base(order) -> int:
    """The amount a paid order puts into the 模数共振 split: its list amount, voucher included.

    The SME pays the amount payable and the 模型券 part is reimbursed to the provider by the voucher
    programme (核销 → 拨付), so the revenue the agent earns is the whole list amount; splitting only the
    payable part would shrink every party's share whenever the buyer used a voucher.
    """
    return order.list_fen


@dataclass(frozen=True)
class SharePreview:
    """One party's part of a split not yet recorded: who, its share in basis points, its amount in fen."""

    party: Organisation
    share_bp: int
    amount_fen: int


def preview_revenue(offering_id: int | None, amount_fen: int) -> list[SharePreview]:
    """Return how an amount for an offering would be split now (the version in force of the agreement covering
    it, the same largest-remainder split `record_revenue` writes); empty when no agreement covers it."""
    agreement = covering_agreement(offering_id) if offering_id is not None else None
    version = agreement.active_version if agreement is not None else None
    if version is None:
        return []
    parts = split_revenue(amount_fen, version.shares)
    return [SharePreview(db.session.get_one(Organisation, party), version.shares[party], amount)
            for party, amount in sorted(parts.items())]


def record_revenue(order) -> list[LedgerEntry]:
    """Split a just-paid order by the version in force now, as append-only ledger rows (once per order)."""
    agreement = covering_agreement(order.offering_id)
    if agreement is None:
        return []
    version = agreement.active_version
    existing = db.session.scalar(select(LedgerEntry.id).where(LedgerEntry.order_id == order.id,
                                                              LedgerEntry.kind == "revenue"))
    if existing is not None:
        return []
    if version is None:  # not reached: covering_agreement joins on the version in force
        raise RuntimeError(f"agreement {agreement.id} covers offering {order.offering_id} with no version in force")
    parts = split_revenue(split_base(order), version.shares)
    entries = [LedgerEntry(agreement_id=agreement.id, version_id=version.id, order_id=order.id, party_id=party,
                           kind="revenue", share_bp=version.shares[party], amount_fen=amount,
                           created_at=order.paid_at)
               for party, amount in sorted(parts.items())]
    db.session.add_all(entries)
    return entries


def reverse_revenue(order, when: datetime) -> list[LedgerEntry]:
    """Post reversing rows for every revenue row of a refunded order (never editing the originals)."""
    originals = list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id,
                                                                  LedgerEntry.kind == "revenue")))
    reversals = [LedgerEntry(agreement_id=e.agreement_id, version_id=e.version_id, order_id=e.order_id,
                             party_id=e.party_id, kind="reversal", share_bp=e.share_bp, amount_fen=-e.amount_fen,
                             created_at=when) for e in originals]
    db.session.add_all(reversals)
    return reversals
