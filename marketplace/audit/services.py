"""Recording audit events and selecting them for the admin page.

`record_audit` is the one way to write the log: it adds an `AuditEvent` to the session and the caller
commits with the change it describes, so an action and its audit row stand or fall together.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEvent
from marketplace.extensions import db

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
DETAIL_TEXT_LIMIT = 500
DETAIL_KEYS_LIMIT = 20

ACTION_LABELS = {
    "account.registered": _l("Organisation registered"),
    "account.signed_in": _l("Signed in"),
    "account.sign_in_failed": _l("Sign-in failed"),
    "account.sign_in_throttled": _l("Sign-in blocked after repeated failures"),
    "account.signed_out": _l("Signed out"),
    "account.password_changed": _l("Password changed"),
    "account.password_reset_requested": _l("Password reset requested"),
    "account.password_reset": _l("Password reset by e-mail link"),
    "account.created": _l("Account created by an admin"),
    "account.activated": _l("Account activated"),
    "account.deactivated": _l("Account deactivated"),
    "review.hidden": _l("Review hidden"),
    "review.shown": _l("Review shown again"),
    "order.placed": _l("Order placed"),
    "order.paid": _l("Order payment recorded"),
    "order.fulfilled": _l("Order delivered"),
    "order.refunded": _l("Order refunded"),
    "order.cancelled": _l("Order cancelled"),
    "agreement.drafted": _l("Agreement drafted"),
    "agreement.signed": _l("Agreement signed"),
    "agreement.activated": _l("Agreement version came into force"),
    "agreement.amended": _l("Agreement amendment proposed"),
    "agreement.terminated": _l("Agreement terminated"),
    "demonstration.selected": _l("Demonstration case selected"),
    "listing.published": _l("Listing published"),
    "listing.delisted": _l("Listing delisted by its owner"),
    "listing.moderated": _l("Listing taken down by a moderator"),
    "listing.cover_changed": _l("Listing cover image changed"),
    "listing.cover_removed": _l("Listing cover image removed"),
    "model.version_added": _l("Model version added to the history"),
    "organisation.logo_changed": _l("Organisation logo changed"),
    "organisation.logo_removed": _l("Organisation logo removed"),
    "expert.added": _l("Expert added to the pool"),
    "expert.changed": _l("Expert changed"),
    "expert_request.created": _l("Expert requested by an enterprise"),
    "expert_request.scheduled": _l("Expert request accepted and scheduled"),
    "expert_request.declined": _l("Expert request declined"),
    "expert_request.completed": _l("Expert visit recorded as held"),
    "expert_request.withdrawn": _l("Expert request withdrawn"),
    "diagnosis.assessed": _l("Digital-level self-assessment taken"),
    "diagnosis.visit_recorded": _l("Diagnosis visit recorded"),
    "diagnosis.level_confirmed": _l("Digital level confirmed after a diagnosis visit"),
    "diagnosis.follow_up_added": _l("Follow-up added to an enterprise file"),
    "diagnosis.follow_up_done": _l("Follow-up marked as done"),
    "dataset.listed": _l("Dataset listed"),
    "dataset.changed": _l("Dataset or its data card changed"),
    "dataset.published": _l("Dataset published"),
    "dataset.delisted": _l("Dataset delisted by its owner"),
    "dataset.moderated": _l("Dataset taken down by a moderator"),
    "access_request.created": _l("Access to a dataset requested"),
    "access_request.granted": _l("Access to a dataset granted"),
    "access_request.refused": _l("Access to a dataset refused"),
    "access_request.withdrawn": _l("Request for access to a dataset withdrawn"),
    "case.published": _l("Case published"),
    "case.featured": _l("Case featured"),
    "case.unfeatured": _l("Case no longer featured"),
    "case.unpublished": _l("Case unpublished"),
    "case.taken_down": _l("Case taken down by a moderator"),
    "directory.added": _l("Provider added to the quality directory"),
    "directory.renewed": _l("Quality directory listing renewed"),
    "directory.removed": _l("Provider removed from the quality directory"),
    "meeting.cancelled": _l("Matchmaking meeting cancelled"),
    "meeting.outcome_recorded": _l("Matchmaking meeting outcome recorded"),
    "need.moderated": _l("Need closed by a moderator"),
    "moderation.reported": _l("Item reported"),
    "moderation.flagged": _l("Item flagged automatically"),
    "moderation.held": _l("Item held for review"),
    "moderation.hidden": _l("Item hidden by a moderator"),
    "moderation.restored": _l("Item restored by a moderator"),
    "moderation.approved": _l("Held item approved"),
    "moderation.rejected": _l("Held item rejected"),
    "moderation.dismissed": _l("Reports dismissed"),
    "moderation.region_set": _l("Region's moderation mode set"),
    "proposal.submitted": _l("Proposal sent"),
    "proposal.confirmed": _l("Contract confirmed by one side"),
    "proposal.contracted": _l("Proposal contracted"),
    "catalogue.applied": _l("Offering applied for a 模型券 catalogue"),
    "catalogue.admitted": _l("Offering admitted to a 模型券 catalogue"),
    "catalogue.refused": _l("Offering refused by a 模型券 catalogue"),
    "catalogue.removed": _l("Offering removed from a 模型券 catalogue"),
    "redemption.submitted": _l("模型券 redemption submitted"),
    "redemption.resubmitted": _l("模型券 redemption resubmitted"),
    "redemption.confirmed": _l("模型券 redemption confirmed"),
    "redemption.returned": _l("模型券 redemption returned"),
    "quota.applied": _l("模型券 quota applied for"),
    "policy.instrument_changed": _l("Policy instrument changed"),
    "verification.submitted": _l("Business licence submitted for verification"),
    "verification.approved": _l("Organisation verified"),
    "verification.rejected": _l("Verification request rejected"),
    "verification.revoked": _l("Organisation verification revoked"),
    "evaluation.attested": _l("Evaluation result attested by its evaluator"),
    "evaluation.declined": _l("Evaluation result declined by its evaluator"),
    "import.started": _l("Bulk import started"),
    "import.finished": _l("Bulk import finished"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    "api.read": _l("API token used to read (first use in the hour)"),
    "api.write": _l("API call that changes something"),
    # webhooks (issue #14)
    "webhook.created": _l("Webhook endpoint registered"),
    "webhook.enabled": _l("Webhook endpoint enabled"),
    "webhook.disabled": _l("Webhook endpoint disabled"),
    "webhook.auto_disabled": _l("Webhook endpoint disabled after repeated failed deliveries"),
    "webhook.deleted": _l("Webhook endpoint deleted"),
    "webhook.secret_rolled": _l("Webhook signing secret rolled"),
    "webhook.redelivered": _l("Webhook delivery sent again"),
}

AREA_LABELS = {
    "order": _l("Order"), "agreement": _l("Agreement"), "need": _l("Need"), "proposal": _l("Proposal"),
    "listing": _l("Listing"), "case": _l("Case"), "directory": _l("Quality provider directory"),
    "meeting": _l("Meeting"), "review": _l("Review"), "account": _l("Account"), "quota": _l("模型券 quota"),
    "moderation": _l("Moderation"), "api": _l("API"), "api_token": _l("API token"),
    "import": _l("Bulk import"),
}


def action_label(code: str) -> str:
    """Return the readable label of an action code; a process move without its own label reads "Area: new state"."""
    label = ACTION_LABELS.get(code)
    if label is not None:
        return str(label)
    from marketplace.states import STATE_LABELS

    area, _, verb = code.partition(".")
    if area in AREA_LABELS and verb in STATE_LABELS:
        return f"{AREA_LABELS[area]}: {STATE_LABELS[verb]}"
    return code


def describe_target(target) -> tuple[str | None, str | None]:
    """Return (kind, id) for a model instance, a (kind, id) pair, or None."""
    if target is None:
        return None, None
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), (None if ident is None else str(ident))
    kind = getattr(target, "__tablename__", None) or type(target).__name__.lower()
    if getattr(target, "id", None) is None:
        db.session.flush()
    return kind, str(target.id)


def clean_detail(detail: dict | None) -> dict:
    """Keep a detail small and JSON-safe: at most 20 keys, strings cut to 500 characters."""
    out = {}
    for key, value in list((detail or {}).items())[:DETAIL_KEYS_LIMIT]:
        if value is not None and not isinstance(value, (bool, int, float, str)):
            value = str(value)
        if isinstance(value, str):
            value = value[:DETAIL_TEXT_LIMIT]
        out[str(key)[:60]] = value
    return out


def record_audit(action: str, actor: User | None = None, target=None, detail: dict | None = None,
                 address: str | None = None) -> AuditEvent:
    """Add an audit event to the session (the caller commits); `target` is a model or a (kind, id) pair."""
    if not ACTION_PATTERN.match(action or "") or len(action) > 60:
        raise ValueError(f"audit action codes look like 'area.verb', not {action!r}")
    kind, ident = describe_target(target)
    if address is None and has_request_context():
        address = request.remote_addr
    event = AuditEvent(action=action, actor_user_id=getattr(actor, "id", None),
                       actor_org_id=getattr(actor, "organisation_id", None), target_kind=kind, target_id=ident,
                       address=(address or None) and address[:64], detail=clean_detail(detail))
    db.session.add(event)
    return event


def audit_events(action: str | None = None, actor_email: str | None = None, target_kind: str | None = None,
                 target_id: str | int | None = None, since: date | None = None,
                 until: date | None = None, tz: tzinfo | None = None) -> Select:
    """Select audit events, newest first, narrowed by action, actor e-mail, target and days (inclusive, in tz)."""
    stmt = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_email:
        stmt = stmt.join(User, User.id == AuditEvent.actor_user_id).where(
            func.lower(User.email) == actor_email.strip().lower())
    if target_kind:
        stmt = stmt.where(AuditEvent.target_kind == target_kind)
    if target_id not in (None, ""):
        stmt = stmt.where(AuditEvent.target_id == str(target_id))
    if since:
        stmt = stmt.where(AuditEvent.created_at >= start_of_day(since, tz))
    if until:
        stmt = stmt.where(AuditEvent.created_at < start_of_day(until + timedelta(days=1), tz))
    return stmt


def start_of_day(day: date, tz: tzinfo | None) -> datetime:
    """Return the UTC moment (naive, as stored) at which a day begins in a time zone (UTC by default)."""
    if tz is None:
        return datetime.combine(day, time.min)
    local = datetime.combine(day, time.min)
    local = tz.localize(local) if hasattr(tz, "localize") else local.replace(tzinfo=tz)
    return local.astimezone(UTC).replace(tzinfo=None)


def known_actions() -> list[str]:
    """Return the action codes to offer in the filter: labelled ones and any already recorded."""
    recorded = set(db.session.scalars(select(AuditEvent.action).distinct()))
    return sorted(set(ACTION_LABELS) | recorded)


def actors_by_id(events) -> dict[int, User]:
    """Return the users who acted in these events, by id (one query for a page)."""
    ids = {e.actor_user_id for e in events if e.actor_user_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
