"""Moderation services: report an item, flag it automatically, hold new items of unverified organisations, decide
(hide, close, restore, approve, reject, dismiss) with a reason, read the queue and an item's history, and set a
region's mode.

Who may do what is `moderation/permissions.py`; how an item's moderation state moves is `moderation/process.py`;
what an item is (its owner, page and closing process) is `moderation/subjects.py`. The caller commits, once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.moderated import ModerationState
from marketplace.moderation.flags import flags_for
from marketplace.moderation.models import (
    PERSON_REASONS,
    ModerationDecision,
    ModerationMode,
    RegionModeration,
    Report,
    ReportReason,
)
from marketplace.moderation.process import TRANSITIONS, process_for
from marketplace.moderation.subjects import Subject, get_subject, owner_city, subject_of
from marketplace.notifications.services import notify
from marketplace.permissions import can, require

VISIBLE, HELD = ModerationState.VISIBLE.value, ModerationState.HELD.value
HIDDEN, REJECTED = ModerationState.HIDDEN.value, ModerationState.REJECTED.value
PROCESS_ACTIONS = frozenset(t.name for t in TRANSITIONS)
ACTIONS = PROCESS_ACTIONS | {"close", "dismiss"}
REPORT_TEXT_MAX = 1000


def now() -> datetime:
    """Return the current UTC time (naive, as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def load_item(subject_name: str, record_id: int) -> tuple[Subject, Any]:
    """Return a subject and its item, or raise NotFound."""
    try:
        subject = get_subject(subject_name)
    except KeyError:
        raise NotFound() from None
    record = subject.get(record_id)
    if record is None:
        raise NotFound()
    return subject, record


def new_report(subject: Subject, record, reason: str, text: str | None, reporter: User | None) -> Report:
    """Add an open report about an item, with its owner and region kept for the queue."""
    report = Report(subject_kind=subject.name, subject_id=record.id, owner_org_id=subject.owner_id(record),
                    city=owner_city(subject, record), reporter_id=getattr(reporter, "id", None), reason=reason,
                    text=(text or "").strip()[:REPORT_TEXT_MAX] or None)
    db.session.add(report)
    return report


def open_reports(subject_name: str, record_id: int) -> list[Report]:
    """Return an item's open reports, newest first."""
    return list(db.session.scalars(select(Report).where(
        Report.subject_kind == subject_name, Report.subject_id == record_id, Report.resolved_at.is_(None))
        .order_by(Report.created_at.desc(), Report.id.desc())))


def already_reported(user: User, subject_name: str, record_id: int) -> bool:
    """Tell whether the user has an open report about the item."""
    return bool(db.session.scalar(select(func.count()).select_from(Report).where(
        Report.subject_kind == subject_name, Report.subject_id == record_id, Report.reporter_id == user.id,
        Report.resolved_at.is_(None))))


def report_item(user: User, subject_name: str, record_id: int, reason: str, text: str | None) -> Report:
    """Report an item with a reason (one open report per user and item); it goes to the moderation queue."""
    subject, record = load_item(subject_name, record_id)
    require(user, "moderation.report", record)
    if reason not in {r.value for r in PERSON_REASONS}:
        raise DomainError(_("Choose a reason."), "reason")
    if reason == ReportReason.OTHER.value and not (text or "").strip():
        raise DomainError(_("Say what is wrong."), "text")
    if already_reported(user, subject.name, record.id):
        raise DomainError(_("You have already reported this; the moderators will look at it."))
    report = new_report(subject, record, reason, text, user)
    record_audit("moderation.reported", user, record, {"reason": reason})
    return report


def raise_flags(record) -> list[Report]:
    """Flag an item's text to the queue when it is mostly repetition or far too long (never blocks the author).

    An automatic flag already open for the same rule is not raised again.
    """
    subject = subject_of(record)
    if record.id is None:
        db.session.flush()
    flags = flags_for(subject.name, record)
    if not flags:
        return []
    open_auto = {r.reason for r in open_reports(subject.name, record.id) if r.is_automatic}
    made = []
    for reason in dict.fromkeys(f.reason for f in flags):
        if reason in open_auto:
            continue
        detail = "; ".join(f.detail for f in flags if f.reason == reason)
        made.append(new_report(subject, record, reason, detail, None))
        record_audit("moderation.flagged", None, record, {"reason": reason, "detail": detail})
    return made


def region_mode(city: str | None) -> str:
    """Return a region's moderation mode for unverified organisations (pre-moderation unless set otherwise)."""
    row = db.session.get(RegionModeration, city) if city else None
    return row.mode if row is not None else ModerationMode.PRE.value


def set_region_mode(user: User, city: str, mode: str) -> RegionModeration:
    """Set a region's moderation mode (its promotion center or an admin; audited)."""
    require(user, "moderation.region", city)
    if mode not in {m.value for m in ModerationMode}:
        raise DomainError(_("Choose pre- or post-moderation."), "mode")
    row = db.session.get(RegionModeration, city)
    if row is None:
        row = RegionModeration(city=city)
        db.session.add(row)
    before = row.mode or ModerationMode.PRE.value
    row.mode, row.updated_by_id = mode, user.id
    record_audit("moderation.region_set", user, ("region", city), {"city": city, "from": before, "to": mode})
    return row


def screen_new(record, user: User | None) -> None:
    """Screen an item as it goes public (a listing published, a need posted): an unverified organisation's item is
    held for review under pre-moderation and queued for review under post-moderation; a rejected item put up
    again waits for review. Its text is checked for automatic flags either way."""
    subject = subject_of(record)
    if record.id is None:
        db.session.flush()
    raise_flags(record)
    if record.moderation == HIDDEN:
        return
    owner = db.session.get(Organisation, subject.owner_id(record))
    resubmitted = record.moderation == REJECTED
    if owner is None or (owner.is_verified and not resubmitted):
        return
    held = resubmitted or region_mode(owner.city) == ModerationMode.PRE.value
    if not any(r.reason == ReportReason.UNVERIFIED.value for r in open_reports(subject.name, record.id)):
        new_report(subject, record, ReportReason.UNVERIFIED.value, None, None)
    if held and record.moderation != HELD:
        record.moderation = HELD
        record_audit("moderation.held", user, record, {"city": owner.city})
        notify([owner.id], "moderation_held", {"title": subject.title(record)}, subject.link(record),
               f"moderation:{subject.name}:{record.id}:held:{now():%Y%m%d%H%M%S%f}")


def screen_edit(record) -> None:
    """Screen an item's text after an edit or a new review or message: automatic flags only."""
    raise_flags(record)


def after_decision(record, user: User, action: str, reason: str) -> ModerationDecision:
    """Keep a decision in the item's history, resolve its open reports and tell its owner (not for a dismissal)."""
    subject = subject_of(record)
    decision = note_decision(record, user, action, reason)
    if action in ("hide", "restore"):
        keep_review_history(record, user, action, decision.reason)
    if action != "dismiss":
        state = record.moderation if action in PROCESS_ACTIONS else own_state(record)
        notify([subject.owner_id(record)], "moderation_decision",
               {"title": subject.title(record), "state": state, "reason": decision.reason or "—"},
               subject.link(record), f"moderation:{subject.name}:{record.id}:{action}:{now():%Y%m%d%H%M%S%f}",
               actor=user)
    return decision


def note_decision(record, user: User, action: str, reason: str) -> ModerationDecision:
    """Keep a decision in the item's history and resolve its open reports (the review panel's own hide and show
    come through here too)."""
    subject = subject_of(record)
    decision = ModerationDecision(subject_kind=subject.name, subject_id=record.id, action=action,
                                  reason=reason.strip()[:500], decided_by_id=user.id)
    db.session.add(decision)
    for report in open_reports(subject.name, record.id):
        report.resolved_at = now()
    return decision


def own_state(record) -> str:
    """Return an item's own state (a need's status, a listing's or case's state)."""
    return str(getattr(record, "status", None) or getattr(record, "state", ""))


def keep_review_history(record, user: User, action: str, reason: str) -> None:
    """A review keeps its own moderation history beside the queue's (its reviews block shows it)."""
    from marketplace.reviews.models import Review, ReviewModeration

    if isinstance(record, Review):
        db.session.add(ReviewModeration(review=record, center_id=user.organisation_id, decided_by_id=user.id,
                                        action="hide" if action == "hide" else "show", reason=reason))


def decide(user: User, subject_name: str, record_id: int, action: str, reason: str = ""):
    """Apply one moderator's decision about an item: hide, restore, approve, reject (the moderation process), close
    (the item's own process) or dismiss its reports. Audited; the caller commits."""
    subject, record = load_item(subject_name, record_id)
    reason = (reason or "").strip()
    if action in PROCESS_ACTIONS:
        return process_for(subject.model).fire(record.id, action, user, reason=reason)
    require(user, "moderation.decide", record)
    if not reason:
        raise DomainError(_("Give a reason for the decision."), "reason")
    if action == "close":
        process = subject.close_process(record)
        if process is None:
            raise DomainError(_("This item cannot be closed; hide it instead."))
        record = process.fire(record.id, "moderate", user, reason=reason)
        after_decision(record, user, "close", reason)
        return record
    if action == "dismiss":
        if not open_reports(subject.name, record.id):
            raise DomainError(_("There are no open reports about this item."))
        after_decision(record, user, "dismiss", reason)
        record_audit("moderation.dismissed", user, record, {"reason": reason})
        return record
    raise DomainError(_("Unknown action."))


def available_actions(user: User, record) -> list[tuple[str, object, str, bool]]:
    """Return the decisions this user may take about an item now: (action, label, style, asks a reason)."""
    subject = subject_of(record)
    moves = [(t.name, t.label, t.style, bool(t.asks)) for t in process_for(subject.model).available(record, user)]
    process = subject.close_process(record)
    if process is not None:
        moves += [("close", _("Close"), "secondary", True) for t in process.available(record, user)
                  if t.name == "moderate"]
    if can(user, "moderation.decide", record) and open_reports(subject.name, record.id):
        moves.append(("dismiss", _("Dismiss the reports"), "secondary", True))
    return moves


def history(subject_name: str, record_id: int) -> list[ModerationDecision]:
    """Return an item's moderation decisions, oldest first."""
    return list(db.session.scalars(select(ModerationDecision).where(
        ModerationDecision.subject_kind == subject_name, ModerationDecision.subject_id == record_id)
        .order_by(ModerationDecision.id)))


def all_reports(subject_name: str, record_id: int) -> list[Report]:
    """Return every report about an item (open and resolved), newest first."""
    return list(db.session.scalars(select(Report).where(
        Report.subject_kind == subject_name, Report.subject_id == record_id)
        .order_by(Report.created_at.desc(), Report.id.desc())))


@dataclass
class QueueRow:
    """One item in the queue: the item, how many open reports it has, the newest one's time and their reasons."""

    subject: Subject
    record: Any
    count: int
    latest: datetime
    reasons: list[str]


def queue_select(user: User):
    """Select the open reports grouped per item (kind, id, count, newest) that this user moderates, newest first."""
    stmt = (select(Report.subject_kind, Report.subject_id, func.count(Report.id).label("n"),
                   func.max(Report.created_at).label("latest"))
            .where(Report.resolved_at.is_(None)).group_by(Report.subject_kind, Report.subject_id))
    if not user.is_admin:
        stmt = stmt.where(Report.city == user.organisation.city)
    return stmt


def queue_page(user: User, page: int, per_page: int):
    """Return one page of the moderation queue for a moderator: items with open reports, newest report first."""
    from marketplace.web import ListPage

    require(user, "moderation.queue")
    grouped = queue_select(user).subquery()
    total = db.session.scalar(select(func.count()).select_from(grouped)) or 0
    result = ListPage([], page, per_page)
    result.total, result.pages = total, max(1, -(-total // per_page))
    result.page = min(max(page, 1), result.pages)
    rows = db.session.execute(select(grouped).order_by(grouped.c.latest.desc(), grouped.c.subject_kind,
                                                       grouped.c.subject_id.desc())
                              .limit(per_page).offset((result.page - 1) * per_page)).all()
    records: dict[tuple[str, int], Any] = {}
    by_kind: dict[str, list[int]] = {}
    for kind, pk, _n, _latest in rows:
        by_kind.setdefault(kind, []).append(pk)
    for kind, ids in by_kind.items():
        model = get_subject(kind).model
        records.update({(kind, r.id): r for r in db.session.scalars(select(model).where(model.id.in_(ids)))})
    reasons: dict[tuple[str, int], list[str]] = {}
    if rows:
        for kind, ids in by_kind.items():
            for pk, reason in db.session.execute(select(Report.subject_id, Report.reason).where(
                    Report.subject_kind == kind, Report.subject_id.in_(ids), Report.resolved_at.is_(None))):
                reasons.setdefault((kind, pk), []).append(reason)
    result.items = [QueueRow(get_subject(kind), records[(kind, pk)], n, latest,
                             sorted(set(reasons.get((kind, pk), []))))
                    for kind, pk, n, latest in rows if (kind, pk) in records]
    return result


def notice_for(record, user) -> dict | None:
    """Return what an item's page tells its owner and moderators about moderation: its state and the latest
    decision's reason (None when there is nothing to tell, or for anyone else)."""
    try:
        subject = subject_of(record)
    except TypeError:
        return None
    from marketplace.moderation.permissions import moderates, owns

    if not (owns(user, record) or moderates(user, record)):
        return None
    latest = db.session.scalar(select(ModerationDecision).where(
        ModerationDecision.subject_kind == subject.name, ModerationDecision.subject_id == record.id,
        ModerationDecision.action != "dismiss").order_by(ModerationDecision.id.desc()).limit(1))
    if record.is_shown and (latest is None or latest.action in ("approve", "restore")):
        return None
    return {"state": record.moderation, "held": record.moderation == HELD,
            "hidden": record.moderation in (HIDDEN, REJECTED), "decision": latest,
            "moderator": can(user, "moderation.decide", record), "subject": subject.name}


def region_choices(user: User) -> list[str] | None:
    """Return the cities whose mode the user may set: a center its own, an admin every one (None)."""
    if user.is_admin:
        return None
    return [user.organisation.city] if can(user, "moderation.region", user.organisation.city) else []


def region_modes(cities: list[str] | None) -> dict[str, str]:
    """Return {city: mode} for the given cities (None: every city that has a mode set), pre-moderation by default."""
    rows = {r.city: r.mode for r in db.session.scalars(select(RegionModeration))}
    if cities is None:
        return rows
    return {c: rows.get(c, ModerationMode.PRE.value) for c in cities}
