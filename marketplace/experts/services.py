"""Expert pool services: keep experts, request one, answer requests (through `experts.process`), notify.

Plain functions; the caller commits once.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.db_types import contains_code
from marketplace.errors import DomainError
from marketplace.experts.models import Expert, ExpertRequest, RequestKind
from marketplace.experts.selectors import open_request, public_experts
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.notifications.services import notify, path_for
from marketplace.permissions import require

EXPERT_FIELDS = ("name", "position", "employer", "fields", "bio", "industries", "scenarios", "cities",
                 "availability", "phone", "email", "active")


def save_expert(center: Organisation, user: User, fields: dict, expert: Expert | None = None) -> Expert:
    """Add an expert to a center's pool, or change one it keeps; audited. The caller commits."""
    require(user, "expert.keep", expert)
    if not (fields.get("phone") or fields.get("email")) and (expert is None or not (expert.phone or expert.email)):
        raise DomainError(_("Give a telephone number or an e-mail address, so enterprises can reach the expert "
                            "once a request is accepted."), "phone")
    created = expert is None
    if expert is None:
        expert = Expert(center_id=center.id)
        db.session.add(expert)
    for key in EXPERT_FIELDS:
        if key in fields:
            setattr(expert, key, fields[key])
    db.session.flush()
    record_audit("expert.added" if created else "expert.changed", user, expert, {"name": expert.name})
    return expert


def browse_experts(filters: dict) -> Select:
    """Select the public pool with the filters asked for (industry, scenario, city, availability, words)."""
    stmt = public_experts()
    for name, column in (("industry", Expert.industries), ("scenario", Expert.scenarios), ("city", Expert.cities)):
        if filters.get(name):
            stmt = stmt.where(contains_code(column, filters[name]))
    if filters.get("available"):
        stmt = stmt.where(Expert.availability != "unavailable")
    words = (filters.get("q") or "").strip()
    if words:
        like = f"%{words[:60]}%"
        stmt = stmt.where(or_(Expert.name.ilike(like), Expert.fields.ilike(like), Expert.employer.ilike(like),
                              Expert.position.ilike(like)))
    return stmt.order_by((Expert.availability == "unavailable").asc(), Expert.updated_at.desc(), Expert.id.desc())


def request_expert(expert: Expert, user: User, kind: str, topic: str, details: str | None,
                   need_id: int | None = None) -> ExpertRequest:
    """Ask an expert for a diagnosis or a consultation on a topic; the keeping center is told. Caller commits.

    An enterprise has at most one request to an expert being worked at a time; the need named must be its own.
    """
    require(user, "expert.request", expert)
    if kind not in {k.value for k in RequestKind}:
        raise DomainError(_("Choose a diagnosis or a consultation."), "kind")
    topic = (topic or "").strip()
    if not topic:
        raise DomainError(_("Say what the request is about."), "topic")
    if open_request(user.organisation_id, expert.id) is not None:
        raise DomainError(_("You already have a request to this expert that is being handled."))
    if need_id is not None:
        need = db.session.get(Need, need_id)
        if need is None or need.organisation_id != user.organisation_id:
            raise DomainError(_("Choose one of your own needs."), "need_id")
    request = ExpertRequest(expert=expert, organisation_id=user.organisation_id, requested_by_id=user.id,
                            kind=kind, topic=topic[:200], details=(details or "").strip() or None, need_id=need_id)
    db.session.add(request)
    db.session.flush()
    record_audit("expert_request.created", user, request, {"expert": expert.name})
    notify([expert.center_id], "expert_requested", {"org": user.organisation.name, "expert": expert.name,
                                                   "topic": request.topic},
           path_for("experts.request_detail", request_id=request.id), f"expert_request:{request.id}:new", user)
    return request


def notify_about(request: ExpertRequest, user) -> None:
    """After a move, tell the side that did not make it (the SME of the center's answer, the center of a
    withdrawal)."""
    link = path_for("experts.request_detail", request_id=request.id)
    key = f"expert_request:{request.id}:{request.state}"
    params = {"expert": request.expert.name, "topic": request.topic, "reason": request.answer or ""}
    if request.state == "withdrawn":
        notify([request.expert.center_id], "expert_request_withdrawn",
               {**params, "org": request.organisation.name}, link, key, user)
        return
    notify([request.organisation_id], f"expert_request_{request.state}", params, link, key, user)


def request_counts(requests: Select) -> dict[str, int]:
    """Count requests of a select per state."""
    sub = requests.order_by(None).subquery()
    return {state: count for state, count in db.session.execute(
        select(sub.c.state, func.count()).group_by(sub.c.state))}
