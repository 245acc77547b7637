"""Revocable sessions: sign-out ends old cookies everywhere, remember-me tokens, cookie flags, CSRF rotation."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from marketplace.accounts.models import RememberToken, User
from marketplace.accounts.sessions import hash_secret, naive_utcnow
from marketplace.config import Config, DevConfig, TestConfig
from marketplace.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user

REMEMBER = "moshu_remember"


def new_user(app, role="enterprise"):
    """Create a user and return its e-mail."""
    with app.app_context():
        return make_user(role).email


def sign_in(client, email, remember=False):
    """Post the login form."""
    data = {"email": email, "password": DEFAULT_PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/accounts/login", data=data)
    assert response.status_code == 302, response.data[:300]
    return response


def test_old_session_cookie_does_not_open_the_dashboard_after_sign_out(app, client):
    """Does a session cookie copied before sign-out stop working once the user signs out?"""
    sign_in(client, new_user(app))
    stolen = client.get_cookie("session").value
    assert client.get("/dashboard").status_code == 200
    client.post("/accounts/logout")
    client.set_cookie("session", stolen)
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def test_sign_out_ends_the_users_sessions_in_other_browsers(app):
    """Does signing out in one browser end the same user's session in another?"""
    email = new_user(app)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, email)
    sign_in(phone, email)
    laptop.post("/accounts/logout")
    assert phone.get("/dashboard").status_code == 302


def test_session_ids_carry_a_token_not_just_the_user_id(app, client):
    """Is the stored session id more than the guessable user id?"""
    email = new_user(app)
    sign_in(client, email)
    with client.session_transaction() as session:
        user_id, _, token = session["_user_id"].partition(":")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert int(user_id) == user.id and token == user.session_token and len(token) >= 30


def test_remember_token_is_random_hashed_flagged_and_expires(app, client):
    """Is the remember-me cookie random, stored only as a hash, HttpOnly/SameSite, and bounded to 30 days?"""
    email = new_user(app)
    response = sign_in(client, email, remember=True)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(REMEMBER + "="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and f"Max-Age={30 * 24 * 3600}" in header
    value = client.get_cookie(REMEMBER).value
    selector, secret = value.split(".")
    with app.app_context():
        token = db.session.scalar(select(RememberToken))
        assert token.selector == selector and token.secret_hash == hash_secret(secret) and secret not in token.secret_hash
        assert timedelta(days=29) < token.expires_at - naive_utcnow() <= timedelta(days=30)
    sign_in(app.test_client(), email, remember=True)
    with app.app_context():
        tokens = db.session.scalars(select(RememberToken)).all()
        assert len({t.selector for t in tokens}) == 2


def test_remember_cookie_alone_signs_in_until_it_expires(app):
    """Does a remember-me cookie open a new browser session, and stop doing so once expired?"""
    email = new_user(app)
    first = app.test_client()
    sign_in(first, email, remember=True)
    value = first.get_cookie(REMEMBER).value
    later = app.test_client()
    later.set_cookie(REMEMBER, value)
    assert later.get("/dashboard").status_code == 200
    with app.app_context():
        db.session.execute(update(RememberToken).values(expires_at=naive_utcnow() - timedelta(seconds=1)))
        db.session.commit()
    expired = app.test_client()
    expired.set_cookie(REMEMBER, value)
    assert expired.get("/dashboard").status_code == 302


def test_sign_out_revokes_remember_tokens(app, client):
    """After sign-out, does the old remember-me cookie no longer sign anyone in?"""
    email = new_user(app)
    sign_in(client, email, remember=True)
    value = client.get_cookie(REMEMBER).value
    response = client.post("/accounts/logout")
    assert any(h.startswith(REMEMBER + "=;") for h in response.headers.getlist("Set-Cookie"))
    with app.app_context():
        assert db.session.scalars(select(RememberToken)).all() == []
    replay = app.test_client()
    replay.set_cookie(REMEMBER, value)
    assert replay.get("/dashboard").status_code == 302


def test_old_style_remember_cookie_is_ignored(app):
    """Is flask-login's former remember cookie (a fixed HMAC of the user id) refused?"""
    from flask_login.utils import encode_cookie

    email = new_user(app)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    with app.test_request_context():
        forged = encode_cookie(str(user_id))
    client = app.test_client()
    client.set_cookie("remember_token", forged)
    assert client.get("/dashboard").status_code == 302


def test_deactivation_ends_the_users_sessions(app, client):
    """Is a deactivated user signed out at their next request?"""
    email = new_user(app)
    sign_in(client, email)
    admin = app.test_client()
    sign_in(admin, new_user(app, "admin"))
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    admin.post(f"/accounts/admin/accounts/{user_id}/active", data={"active": "0"})
    assert client.get("/dashboard").status_code == 302


def test_cookies_are_secure_in_production_and_plain_in_development():
    """Are session and remember cookies Secure in the production config, but not in development and tests?"""
    assert Config.SESSION_COOKIE_SECURE and Config.REMEMBER_COOKIE_SECURE and Config.FORCE_HTTPS
    assert Config.SESSION_COOKIE_HTTPONLY and Config.REMEMBER_COOKIE_HTTPONLY
    assert Config.SESSION_COOKIE_SAMESITE == Config.REMEMBER_COOKIE_SAMESITE == "Lax"
    assert not (DevConfig.SESSION_COOKIE_SECURE or TestConfig.SESSION_COOKIE_SECURE or TestConfig.FORCE_HTTPS)
    assert isinstance(Config.WTF_CSRF_TIME_LIMIT, int) and 0 < Config.WTF_CSRF_TIME_LIMIT <= 24 * 3600
    assert Config.REMEMBER_DAYS == 30


def test_secure_flags_reach_both_cookies_over_https(make_app):
    """With HTTPS on, do the session and remember-me cookies carry Secure, HttpOnly and SameSite?"""
    app = make_app(HTTPS=True, FORCE_HTTPS=True, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.post("/accounts/login", base_url="https://localhost",
                           data={"email": new_user(app), "password": DEFAULT_PASSWORD, "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 2
    for header in cookies:
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header, header


def test_csrf_token_is_replaced_at_sign_in(make_app):
    """Does signing in start a new session, so the CSRF token from before no longer counts?"""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    email = new_user(app)
    client.get("/accounts/login")
    with client.session_transaction() as session:
        before = session["csrf_token"]
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context():
        from flask import session as request_session

        request_session["csrf_token"] = before
        token = generate_csrf()
    response = client.post("/accounts/login", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    client.get("/dashboard")
    with client.session_transaction() as session:
        assert session.get("csrf_token") != before
    assert client.post("/accounts/logout", data={"csrf_token": token}).status_code == 400
