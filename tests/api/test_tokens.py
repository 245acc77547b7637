"""API tokens: created on the account page or the command line, shown once, stored hashed, scoped, revocable;
a token call skips CSRF while a session call does not; token use lands in the audit log."""
from __future__ import annotations

import re

from sqlalchemy import select

from marketplace.api.models import ApiToken
from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from tests.api.conftest import bearer
from tests.factories import make_need, make_user


def test_token_page_shows_the_secret_once_and_keeps_only_its_hash(app, client, auth):
    """Is the new token on the answer to the form, absent from the page afterwards, and stored only as a hash?"""
    auth.as_role("vendor")
    response = client.post("/accounts/tokens", data={"name": "ERP 同步", "scopes": ["read", "listings"]})
    assert response.status_code == 201
    secret = re.search(r'value="(mk_[A-Za-z0-9_\-]+)"', response.get_data(as_text=True)).group(1)
    page = client.get("/accounts/tokens").get_data(as_text=True)
    assert "ERP 同步" in page and secret not in page and secret[:10] in page
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.scopes == "read listings" and secret not in (token.secret_hash, token.prefix + "x")
        assert len(token.secret_hash) == 64
    me = client.get("/api/v1/me", headers=bearer(secret)).get_json()
    assert me["token"]["scopes"] == ["read", "listings"]


def test_token_form_refuses_no_scope_and_keeps_the_name(client, auth):
    """Does a token without scopes re-render the form with the name and a message, creating nothing?"""
    auth.as_role("vendor")
    response = client.post("/accounts/tokens", data={"name": "对账系统"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="对账系统"' in page and "mk_" not in page


def test_bearer_token_acts_as_its_user(app, client, token_for):
    """Does a call with a token see what its user sees (the user's own organisation)?"""
    user_id, secret = token_for("enterprise", city="foshan")
    me = client.get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200 and me.get_json()["id"] == user_id
    assert me.get_json()["organisation"]["city"] == "foshan"


def test_revoked_or_unknown_or_malformed_token_is_a_401(app, client, auth, token_for):
    """Are a revoked token, a made-up one and a malformed header each refused with invalid_token?"""
    user_id, secret = token_for("vendor")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    with app.app_context():
        from marketplace.accounts.models import User
        from marketplace.api.tokens import revoke_token

        revoke_token(db.session.get(User, user_id), token_id)
        db.session.commit()
    for headers in (bearer(secret), bearer("mk_" + "A" * 43), {"Authorization": "Basic dXNlcjpwYXNz"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"


def test_deactivated_user_token_stops_working(app, client, token_for):
    """When an admin deactivates a user, do their tokens stop at once?"""
    user_id, secret = token_for("vendor")
    with app.app_context():
        from marketplace.accounts.models import User

        db.session.get(User, user_id).is_active_flag = False
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_visitor_gets_401_where_sign_in_is_needed(client):
    """Does /me without a token or session answer a 401 error object?"""
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthenticated"


def test_scope_narrows_a_token(app, client, token_for):
    """Is a token without the needs scope refused a need's move that its user may make on the page?"""
    with app.app_context():
        sme = make_user("enterprise")
        need_id = make_need(sme.organisation).id
        from tests.api.conftest import issue_token

        read_only, needs = issue_token(sme, ("read",)), issue_token(sme, ("read", "needs"), name="b")
    refused = client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(read_only), json={})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "insufficient_scope"
    moved = client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(needs), json={})
    assert moved.status_code == 200 and moved.get_json()["state"] == "closed"


def test_session_writes_need_csrf_token_calls_do_not(app, client, auth, token_for):
    """With CSRF on, is a cookie-session write without the CSRF token refused while a token write goes through?"""
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        sme = make_user("enterprise")
        need_id, email = make_need(sme.organisation).id, sme.email
        from tests.api.conftest import issue_token

        secret = issue_token(sme, ("read", "needs"))
    app.config["WTF_CSRF_ENABLED"] = False
    auth.login(email)
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post(f"/api/v1/needs/{need_id}/transitions/close", json={})
    assert refused.status_code == 400
    with app.test_client() as fresh:
        moved = fresh.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(secret), json={})
    assert moved.status_code == 200


def test_token_use_is_audited(app, client, token_for):
    """Does a token's first read and every write leave an audit row naming the token?"""
    with app.app_context():
        sme = make_user("enterprise")
        need_id = make_need(sme.organisation).id
        from tests.api.conftest import issue_token

        secret = issue_token(sme, ("read", "needs"))
    client.get("/api/v1/me", headers=bearer(secret))
    client.get("/api/v1/me", headers=bearer(secret))
    client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(secret), json={})
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_kind == "api_token")
                                          .order_by(AuditEvent.id)))
        token = db.session.scalar(select(ApiToken))
        assert actions == ["api_token.created", "api.read", "api.write"]
        assert token.last_used_at is not None


def test_cli_creates_a_token(app):
    """Does `flask api-token create` print a working secret with the chosen scopes?"""
    with app.app_context():
        user = make_user("vendor")
        email = user.email
    result = app.test_cli_runner().invoke(args=["api-token", "create", email, "--scope", "read",
                                                "--scope", "listings", "--name", "catalogue sync"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    with app.test_client() as client:
        assert client.get("/api/v1/me", headers=bearer(secret)).get_json()["token"]["scopes"] == ["read", "listings"]
    bad = app.test_cli_runner().invoke(args=["api-token", "create", email, "--scope", "everything"])
    assert bad.exit_code != 0 and "everything" in bad.output


def test_rate_limit_is_per_token(database_uri, tmp_path):
    """With a limit of 3 calls, is the fourth call of one token refused while another token still gets through?"""
    from marketplace import create_app
    from tests.conftest import empty_tables

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"})
    try:
        with app.app_context():
            from tests.api.conftest import issue_token

            first, second = issue_token(make_user("vendor")), issue_token(make_user("vendor"))
        client = app.test_client()
        answers = [client.get("/api/v1/me", headers=bearer(first)).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        assert client.get("/api/v1/me", headers=bearer(first)).get_json()["error"]["code"] == "rate_limited"
        assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200
    finally:
        with app.app_context():
            empty_tables()
            db.session.remove()
