"""What the quota process tells people: the region's centers of a new application, the SME of the decision."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import Organisation
from marketplace.extensions import db
from marketplace.money import format_fen
from marketplace.notifications.services import notify, path_for


def quota_applied(application, actor) -> None:
    """Tell the promotion centers of the application's region that an SME applied for a quota."""
    centers = db.session.scalars(select(Organisation.id).where(Organisation.kind == "center",
                                                               Organisation.city == application.region))
    notify(set(centers), "quota_applied", {"org": application.enterprise.name, "year": application.year},
           path_for("vouchers.application", application_id=application.id), f"quota:{application.id}:applied",
           actor=actor)


def quota_decided(application, actor) -> None:
    """Tell the SME that its application was granted (with the amount), refused or its unspent part revoked."""
    reason = application.revoke_reason if application.state == "revoked" else application.decision_reason
    notify([application.enterprise_id], f"quota_{application.state}",
           {"year": application.year, "amount": format_fen(application.granted_fen), "reason": reason or "",
            "revoked": format_fen(application.revoked_fen)},
           path_for("vouchers.application", application_id=application.id),
           f"quota:{application.id}:{application.state}", actor=actor)
