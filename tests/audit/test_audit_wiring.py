"""Which account and moderation actions land in the audit log, with whom, what and from where?"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from tests.factories import DEFAULT_PASSWORD, gen_credit_code, make_need, make_offering, make_proposal, make_user


def events(app, action=None):
    """Return the recorded events (optionally of one action), oldest first."""
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        rows = db.session.scalars(stmt).all()
        db.session.expunge_all()
        return rows


def test_sign_in_failure_and_sign_out_are_recorded_without_the_password(app, client):
    """Are sign-in, a failed sign-in (with the e-mail tried, never the password) and sign-out recorded?"""
    with app.app_context():
        user = make_user("vendor")
        user_id, email = user.id, user.email
    client.post("/accounts/login", data={"email": email, "password": "wrong-guess-123"})
    client.post("/accounts/login", data={"email": email, "password": DEFAULT_PASSWORD})
    client.post("/accounts/logout")
    failed, signed_in, signed_out = events(app)
    assert failed.action == "account.sign_in_failed" and failed.actor_user_id is None
    assert failed.detail == {"email": email} and "wrong-guess-123" not in str(failed.detail)
    assert (signed_in.action, signed_in.actor_user_id, signed_in.target_kind) == ("account.signed_in", user_id, "user")
    assert signed_in.address == "127.0.0.1"
    assert (signed_out.action, signed_out.actor_user_id) == ("account.signed_out", user_id)


def test_registration_and_password_change_are_recorded(app, client):
    """Are a registration (targeting the new organisation) and a password change recorded?"""
    client.post("/accounts/register", data={
        "kind": "enterprise", "org_name": "东莞市精密模具有限公司", "credit_code": gen_credit_code(), "city": "dongguan",
        "industry": "mould_plastics", "size": "small", "digital_level": "2", "name": "王工",
        "email": "wang@mould.example.cn", "password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD})
    client.post("/accounts/password", data={"current": DEFAULT_PASSWORD, "password": "river-copper-sparrow-7",
                                            "confirm": "river-copper-sparrow-7"})
    registered, changed = events(app)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "wang@mould.example.cn"))
        assert (registered.action, registered.actor_user_id) == ("account.registered", user.id)
        assert (registered.target_kind, registered.target_id) == ("organisation", str(user.organisation_id))
    assert changed.action == "account.password_changed" and changed.actor_user_id == registered.actor_user_id


def test_admin_account_changes_are_recorded(app, client, auth):
    """Are an admin's new center account and a deactivation recorded with the admin as actor?"""
    admin = auth.as_role("admin")
    with app.app_context():
        target_id = make_user("vendor").id
    client.post("/accounts/admin/accounts", data={
        "org_name": "佛山市数字化转型促进中心", "credit_code": gen_credit_code(), "city": "foshan", "name": "李主任",
        "email": "center@fs.example.cn", "password": "harbour-violet-engine-3"})
    client.post(f"/accounts/admin/accounts/{target_id}/active", data={"active": "0"})
    created = events(app, "account.created")[0]
    deactivated = events(app, "account.deactivated")[0]
    assert created.actor_user_id == admin.user_id and created.detail["email"] == "center@fs.example.cn"
    assert (deactivated.actor_user_id, deactivated.target_kind, deactivated.target_id) == \
        (admin.user_id, "user", str(target_id))


def test_review_moderation_is_recorded_with_the_reason(app, client, auth):
    """Is a center hiding a review recorded with the review as target and the reason as detail?"""
    from marketplace.reviews.services import write_review

    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        proposal = make_proposal(make_need(sme.organisation, status="contracted"), vendor,
                                 [make_offering(vendor.organisation)], state="contracted")
        review = write_review("proposal", proposal.id, sme, 1, "骂人的话")
        db.session.commit()
        review_id = review.id
    center = auth.as_role("center")
    client.post(f"/reviews/{review_id}/moderate", data={"action": "hide", "reason": "含人身攻击"})
    hidden = events(app, "review.hidden")
    assert len(hidden) == 1
    assert (hidden[0].actor_user_id, hidden[0].target_kind, hidden[0].target_id) == \
        (center.user_id, "review", str(review_id))
    assert hidden[0].detail == {"reason": "含人身攻击"}
