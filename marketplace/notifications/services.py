"""Notification services: notify users of an event once, read the inbox, and queue the e-mail copy.

`notify` only adds rows and queues e-mails (outbox events, `mail.py`) in the session; the caller's single
commit stores both, and a worker sends the e-mails afterwards. A rollback drops both.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, func, select, update

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.notifications.models import AlertSetting, Notification
from marketplace.states import STATE_LABELS

TEXTS = {
    "proposal_received": _l("New proposal for “%(need)s”."),
    "invited": _l("You are invited to propose for “%(need)s”."),
    "invited_message": _l("You are invited to propose for “%(need)s”. The enterprise writes: %(message)s"),
    "proposal_status": _l("The proposal for “%(need)s” is now: %(state)s."),
    "need_status": _l("The need “%(need)s” is now: %(state)s."),
    "agreement_signature": _l("The agreement “%(title)s” awaits your signature."),
    "agreement_status": _l("The agreement “%(title)s” is now: %(state)s."),
    "order_paid": _l("Payment was recorded for your order “%(title)s”."),
    "order_status": _l("Your order “%(title)s” is now: %(state)s."),
    "order_cancelled": _l("The order “%(title)s” was cancelled by the buyer."),
    "badge_granted": _l("Your organisation was added to the quality provider directory."),
    "badge_removed": _l("Your organisation was removed from the quality provider directory: %(reason)s"),
    "listing_taken_down": _l("“%(title)s” was taken down by the platform: %(reason)s"),
    "need_digest": _l("%(count)s new needs match your listings."),
    "saved_search": _l("%(count)s new results for your saved search “%(query)s”."),
    "review_received": _l("A new review (%(rating)s/5) was posted about your organisation."),
    "review_reply": _l("The vendor replied to your review."),
    "review_hidden": _l("A review was hidden by a promotion center: %(reason)s"),
    "review_shown": _l("A hidden review was shown again by a promotion center: %(reason)s"),
    "catalogue_applied": _l("“%(title)s” applied for the 模型券 service catalogue."),
    "catalogue_in_catalogue": _l("“%(title)s” was admitted to the 模型券 service catalogue."),
    "catalogue_refused": _l("“%(title)s” was not admitted to the 模型券 service catalogue: %(reason)s"),
    "catalogue_catalogue_removed": _l("“%(title)s” was removed from the 模型券 service catalogue: %(reason)s"),
    "redemption_submitted": _l("A 模型券 redemption for “%(title)s” awaits your review."),
    "redemption_redeemed": _l("Your 模型券 redemption for “%(title)s” was confirmed."),
    "redemption_returned": _l("Your 模型券 redemption for “%(title)s” was returned: %(reason)s"),
    "moderation_held": _l("“%(title)s” is under review by the promotion center before it is public."),
    "moderation_decision": _l("A moderator's decision on “%(title)s”: now %(state)s. Reason: %(reason)s"),
    "quota_applied": _l("%(org)s applied for a %(year)s 模型券 quota."),
    "quota_granted": _l("Your %(year)s 模型券 quota was approved: %(amount)s. %(reason)s"),
    "quota_refused": _l("Your %(year)s 模型券 quota application was rejected: %(reason)s"),
    "quota_revoked": _l("The unspent part (%(revoked)s) of your %(year)s 模型券 quota was revoked: %(reason)s"),
    "verification_submitted": _l("%(org)s asks to be verified: its business licence awaits your review."),
    "verification_approved": _l("Your organisation is verified by %(by)s."),
    "verification_rejected": _l("Your verification was not approved: %(reason)s"),
    "verification_revoked": _l("Your organisation's verification was revoked: %(reason)s"),
    "evaluation_requested": _l("%(org)s names you as the evaluator of “%(metric)s” on “%(model)s”: "
                               "attest or decline it."),
    "evaluation_attested": _l("%(by)s attested the result “%(metric)s” on “%(model)s”."),
    "evaluation_declined": _l("%(by)s declined the result “%(metric)s” on “%(model)s”: %(reason)s"),
    "expert_requested": _l("%(org)s asks your expert %(expert)s: “%(topic)s”."),
    "expert_request_scheduled": _l("Your request to %(expert)s (“%(topic)s”) was accepted and the visit scheduled."),
    "expert_request_declined": _l("Your request to %(expert)s (“%(topic)s”) was declined: %(reason)s"),
    "expert_request_completed": _l("The visit of %(expert)s (“%(topic)s”) was recorded as held."),
    "expert_request_withdrawn": _l("%(org)s withdrew its request to %(expert)s (“%(topic)s”)."),
    "diagnosis_level_confirmed": _l("%(center)s confirmed your digital level after a diagnosis visit: %(level)s."),
    "dataset_access_requested": _l("%(org)s asks to use your dataset “%(dataset)s”: %(purpose)s"),
    "dataset_access_granted": _l("Your request to use “%(dataset)s” was granted. Conditions: %(conditions)s"),
    "dataset_access_refused": _l("Your request to use “%(dataset)s” was refused: %(reason)s"),
    "dataset_access_withdrawn": _l("%(org)s withdrew its request to use “%(dataset)s”."),
    "webhook_disabled": _l("The webhook endpoint %(url)s was disabled after %(count)s failed deliveries."),
}


def now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def path_for(endpoint: str, **values) -> str:
    """Build a site path for a notification link, with or without a request (commands, tests)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def recipients(org_ids, actor: User | None = None) -> list[User]:
    """Return the active users of the given organisations, without the user who acted."""
    ids = [i for i in set(org_ids) if i is not None]
    if not ids:
        return []
    users = db.session.scalars(select(User).where(User.organisation_id.in_(ids), User.is_active_flag.is_(True))
                               .order_by(User.id))
    return [u for u in users if actor is None or u.id != getattr(actor, "id", None)]


def notify(org_ids, kind: str, params: dict, link: str | None, key: str, actor: User | None = None,
           email: bool = True) -> list[Notification]:
    """Tell every user of the organisations (except the actor) about an event, once per key; the caller commits."""
    return notify_users(recipients(org_ids, actor), kind, params, link, key, email)


def notify_users(users, kind: str, params: dict, link: str | None, key: str,
                 email: bool = True) -> list[Notification]:
    """Tell the given users about an event, once per user and key; the caller commits."""
    made = []
    for user in users:
        if already_notified(user.id, key):
            continue
        note = Notification(user_id=user.id, kind=kind, params=dict(params), link=link, dedupe_key=key)
        db.session.add(note)
        made.append(note)
        if email:
            queue_email(user, note)
    return made


def already_notified(user_id: int, key: str) -> bool:
    """Tell whether a user already has (or is about to get) the notification with this key."""
    pending = any(isinstance(o, Notification) and o.user_id == user_id and o.dedupe_key == key
                  for o in db.session.new)
    return pending or db.session.execute(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.dedupe_key == key)).scalar_one() > 0


def render_text(note: Notification) -> str:
    """Render a notification's sentence in the current language."""
    params = dict(note.params or {})
    if "state" in params:
        params["state"] = str(STATE_LABELS.get(params["state"], params["state"]))
    template = TEXTS.get(note.kind)
    if template is None:
        return note.kind
    return fill_text(template, params)


def fill_text(template, params: dict) -> str:
    """Translate a lazy message and fill in its parameters, tolerating missing ones."""
    text = str(template)
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text


def queue_email(user: User, note: Notification) -> None:
    """Queue the e-mail copy of a notification in the user's language, sent by a worker after the commit."""
    from marketplace.notifications.mail import queue_email as queue_mail

    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = render_text(note)
    queue_mail(db.session, user.email, subject, note.link)


def unread_count(user: User, cap: int | None = None) -> int:
    """Return how many unread notifications a user has (at most `cap` + 1 when given; an index range answers it)."""
    unread = select(Notification.id).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if cap is not None:
        unread = unread.limit(cap + 1)
    return db.session.scalar(select(func.count()).select_from(unread.subquery())) or 0


def inbox(user: User, limit: int = 100) -> list[Notification]:
    """Return a user's notifications, newest first."""
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or all) of the user's notifications read; return how many changed."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    result = cast("CursorResult[Any]", db.session.execute(stmt.values(read_at=now())))  # what an UPDATE returns
    return result.rowcount or 0


def alert_setting(org_id: int) -> AlertSetting:
    """Return an organisation's alert settings (defaults when none are stored yet)."""
    setting = db.session.get(AlertSetting, org_id)
    if setting is None:
        setting = AlertSetting(organisation_id=org_id, need_digest=True)
        db.session.add(setting)
    return setting


def set_need_digest(user: User, enabled: bool) -> AlertSetting:
    """Turn the matching-need digest on or off for the user's organisation."""
    setting = alert_setting(user.organisation_id)
    setting.need_digest = bool(enabled)
    return setting
