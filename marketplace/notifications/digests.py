"""Daily digests: needs that match a vendor's listings, and new results of users' saved searches.

`run_digests` is what the job workers run on their schedule (`marketplace/jobs/schedule.py`) and what
`flask send-digests` runs: one transaction per recipient (a vendor, a saved search) that claims the key
of that recipient and day with the digest it writes, so with several workers, or the command run beside
them, each digest is computed and sent once a day; every need is announced to a vendor at most once.
`send_digests` does the same work for everyone in the caller's one transaction.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import Organisation, User
from marketplace.extensions import db
from marketplace.kinds import listing_kinds
from marketplace.matching.documents import doc_id
from marketplace.needs.models import Need
from marketplace.needs.selectors import live_needs, needs_for_leads
from marketplace.notifications.models import AlertSetting, NeedAlert, SavedSearch
from marketplace.notifications.services import notify, notify_users, now, path_for

ALERT_KINDS = ("offering", "model")
"""The kinds of listing whose likeness to a new need alerts their vendor."""


def vendor_listings(vendor_id: int) -> dict:
    """Return {kind: select of ids} of a vendor's indexed (published) offerings and models."""
    return {kind.name: kind.indexed().with_only_columns(kind.model.id).where(kind.model.organisation_id == vendor_id)
            for kind in listing_kinds() if kind.name in ALERT_KINDS}


def need_relevance(need: Need, vendor_id: int) -> float | None:
    """Return the relevance of a vendor's best listing to a need (None if none is a good match).

    The same calibrated relevance and floor as the need's 推荐方案 and the vendor's leads.
    """
    from marketplace.matching.services import need_context, need_text, ranked

    return ranked(need_text(need), vendor_listings(vendor_id), need_context(need), scenario=need.scenario,
                  source=doc_id("need", need.id), limit=20, cards=False).best


def digest_vendors(vendor_ids=None) -> list[int]:
    """Return the vendors (of `vendor_ids`, or all) that did not opt out of need digests, in id order."""
    opted_out = set(db.session.scalars(select(AlertSetting.organisation_id).where(AlertSetting.need_digest.is_(False))))
    query = select(Organisation.id).where(Organisation.kind == "vendor").order_by(Organisation.id)
    if vendor_ids is not None:
        query = query.where(Organisation.id.in_(list(vendor_ids)))
    return [v for v in db.session.scalars(query) if v not in opted_out]


def find_need_alerts(today: date, similarity=need_relevance, vendor_ids=None) -> int:
    """Record, once per vendor and need, recent live needs (leads) its listings match (relevance at the floor or more).

    `similarity(need, vendor_id)` gives the relevance of the vendor's best listing to the need; `vendor_ids`
    limits the vendors looked at. Every relevance is computed before anything is written.
    """
    from marketplace.matching.relevance import floor

    threshold = floor()
    since = today - timedelta(days=int(current_app.config["NEED_ALERT_WINDOW_DAYS"]))
    grace = int(current_app.config["NEED_STALE_GRACE_DAYS"])
    needs = list(db.session.scalars(needs_for_leads(today, grace).where(Need.created_at >= since).order_by(Need.id)))
    vendors = digest_vendors(vendor_ids)
    known_query = select(NeedAlert.vendor_id, NeedAlert.need_id)
    if vendor_ids is not None:
        known_query = known_query.where(NeedAlert.vendor_id.in_(vendors))
    known = set(db.session.execute(known_query).all())
    found = []
    for vendor_id in vendors:
        for need in needs:
            if (vendor_id, need.id) in known:
                continue
            score = similarity(need, vendor_id)
            if score is not None and score >= threshold:
                found.append(NeedAlert(vendor_id=vendor_id, need_id=need.id, similarity=float(score)))
    db.session.add_all(found)
    db.session.flush()
    from marketplace.webhooks.events import need_matched

    for alert in found:
        need_matched(alert)
    return len(found)


def send_need_digests(today: date, vendor_ids=None) -> int:
    """Send each vendor (not opted out; of `vendor_ids`, or all) one digest a day of its unsent need alerts."""
    vendors = set(digest_vendors(vendor_ids))
    pending: dict[int, list[NeedAlert]] = {}
    live = live_needs().with_only_columns(Need.id)  # a need hidden or closed since its alert is no longer news
    for alert in db.session.scalars(select(NeedAlert).where(NeedAlert.sent_at.is_(None), NeedAlert.need_id.in_(live))
                                    .order_by(NeedAlert.id)):
        if alert.vendor_id in vendors:
            pending.setdefault(alert.vendor_id, []).append(alert)
    sent = 0
    for vendor_id, alerts in pending.items():
        notes = notify([vendor_id], "need_digest", {"count": len(alerts)}, path_for("needs.index"),
                       f"need_digest:{today.isoformat()}")
        if notes:
            for alert in alerts:
                alert.sent_at = now()
            sent += 1
    return sent


def save_search(user: User, query: str, filters: dict, current_ids) -> SavedSearch:
    """Save a user's search with the results it has now, so only later results are announced."""
    query = (query or "").strip()
    if not query:
        raise ValueError("empty query")
    saved = SavedSearch(user_id=user.id, query=query[:200], filters=dict(filters), seen=sorted(set(current_ids)))
    db.session.add(saved)
    return saved


def saved_searches(user: User) -> list[SavedSearch]:
    """Return a user's saved searches, newest first."""
    return list(db.session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id)
                                   .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())))


def delete_saved_search(saved: SavedSearch, user: User) -> None:
    """Delete one of the user's saved searches."""
    from marketplace.errors import PermissionDenied

    if saved.user_id != user.id:
        raise PermissionDenied()
    db.session.delete(saved)


def result_ids(saved: SavedSearch) -> set[str]:
    """Run a saved search as its owner and return the doc ids found."""
    from marketplace.matching.services import search

    return {doc_id(m.kind, m.record.id) for m in search(saved.query, saved.filters, saved.user, cards=False).matches}


def send_saved_search_digests(today: date, run=result_ids, saved_ids=None) -> int:
    """Tell each saved search's owner (of `saved_ids`, or all) of results not seen before (one digest per search
    and day)."""
    sent = 0
    query = select(SavedSearch).order_by(SavedSearch.id)
    if saved_ids is not None:
        query = query.where(SavedSearch.id.in_(list(saved_ids)))
    for saved in db.session.scalars(query):
        found = run(saved)
        new = found - set(saved.seen or [])
        if not new:
            continue
        link = path_for("matching.search_page", q=saved.query, **saved.filters)
        notify_users([saved.user], "saved_search", {"count": len(new), "query": saved.query}, link,
                     f"saved_search:{saved.id}:{today.isoformat()}")
        saved.seen = sorted(set(saved.seen or []) | found)
        sent += 1
    return sent


def send_digests(today: date | None = None) -> dict[str, int]:
    """Find new need alerts and send the day's digests; the caller commits."""
    today = today or date.today()
    alerts = find_need_alerts(today)
    return {"alerts": alerts, "need_digests": send_need_digests(today),
            "saved_search_digests": send_saved_search_digests(today)}


def run_digests(today: date, similarity=need_relevance, run=result_ids) -> dict[str, int]:
    """Send the day's digests one recipient at a time, each claimed once per day and committed with its claim."""
    from marketplace.jobs.claims import claim, is_claimed

    counts = {"alerts": 0, "need_digests": 0, "saved_search_digests": 0}
    for vendor_id in digest_vendors():
        key = f"need_digest:{vendor_id}:{today.isoformat()}"
        if is_claimed(key):
            continue
        try:
            alerts = find_need_alerts(today, similarity, vendor_ids=[vendor_id])
            if not claim(key):
                continue
            sent = send_need_digests(today, vendor_ids=[vendor_id])
            db.session.commit()
        except IntegrityError:  # another worker recorded the same alerts first: its digest is the one sent
            db.session.rollback()
            continue
        counts["alerts"] += alerts
        counts["need_digests"] += sent
    for saved_id in list(db.session.scalars(select(SavedSearch.id).order_by(SavedSearch.id))):
        key = f"saved_search:{saved_id}:{today.isoformat()}"
        if is_claimed(key):
            continue
        found = run(db.session.get(SavedSearch, saved_id))
        if not claim(key):
            continue
        counts["saved_search_digests"] += send_saved_search_digests(today, lambda _saved, found=found: found,
                                                                    saved_ids=[saved_id])
        db.session.commit()
    return counts
