"""Login throttles: per account across clients, per client across accounts, registration, proxy trust, timing."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from tests.factories import DEFAULT_PASSWORD, gen_credit_code, make_user


def failed_login(client, email, address="127.0.0.1", lang=""):
    """Post a wrong password from an address."""
    return client.post(f"/accounts/login{lang}", data={"email": email, "password": "not-the-password"},
                       environ_base={"REMOTE_ADDR": address})


def test_five_failures_lock_the_account_for_a_while_from_any_address(limited_app):
    """After 5 failures for one e-mail, even from other addresses and with the right password, is sign-in paused?"""
    with limited_app.app_context():
        email = make_user("enterprise").email
    client = limited_app.test_client()
    for n in range(5):
        assert failed_login(client, email, address=f"10.0.0.{n}").status_code == 422
    blocked = client.post("/accounts/login?lang=en", data={"email": email.upper(), "password": DEFAULT_PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Too many failed sign-ins for this account" in page and "15 minutes" in page
    with limited_app.app_context():
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "account.sign_in_throttled"
    other = make_other_user(limited_app)
    assert client.post("/accounts/login", data={"email": other, "password": DEFAULT_PASSWORD}).status_code == 302


def make_other_user(app) -> str:
    """Create another user and return its e-mail."""
    with app.app_context():
        return make_user("vendor").email


def test_a_successful_sign_in_clears_the_failures(limited_app):
    """Do failures before a successful sign-in stop counting afterwards?"""
    with limited_app.app_context():
        email = make_user("enterprise").email
    client = limited_app.test_client()
    for _ in range(4):
        failed_login(client, email)
    assert client.post("/accounts/login", data={"email": email, "password": DEFAULT_PASSWORD}).status_code == 302
    client.post("/accounts/logout")
    for _ in range(4):
        assert failed_login(client, email).status_code == 422


def test_one_client_is_limited_across_many_accounts(make_app):
    """Is one address that fails against many e-mails stopped by the per-client limit?"""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [failed_login(client, f"user{n}@example.cn").status_code for n in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert failed_login(client, "someone@example.cn", address="10.1.1.1").status_code == 422


def test_registration_is_limited_per_client(make_app):
    """Are many registrations from one address refused after the limit?"""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", REGISTER_RATE_LIMIT="2 per hour")
    client = app.test_client()
    statuses = [client.post("/accounts/register", data={"kind": "enterprise", "credit_code": gen_credit_code()},
                            environ_base={"REMOTE_ADDR": "10.2.2.2"}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def recorded_address(app) -> str:
    """Return the client address of the last audit event."""
    with app.app_context():
        return db.session.scalar(select(AuditEvent.address).order_by(AuditEvent.id.desc()))


def test_forwarded_addresses_are_ignored_without_a_configured_proxy(app, client):
    """Without MARKETPLACE_PROXY_COUNT, can a client pick its own address with X-Forwarded-For?"""
    client.post("/accounts/login", data={"email": "x@example.cn", "password": "not-the-password"},
                headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert recorded_address(app) == "198.51.100.1"


def test_the_client_address_comes_from_the_configured_proxy(make_app):
    """With one trusted proxy, is the address the proxy saw used (and not one the client prepended)?"""
    app = make_app(PROXY_COUNT=1)
    app.test_client().post("/accounts/login", data={"email": "x@example.cn", "password": "not-the-password"},
                           headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7"},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert recorded_address(app) == "203.0.113.7"


def test_unknown_emails_cost_a_password_check_too(app, monkeypatch):
    """Does a sign-in with an unknown e-mail run a hash check, so timing does not reveal accounts?"""
    import marketplace.accounts.passwords as passwords

    checked = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    client = app.test_client()
    assert client.post("/accounts/login", data={"email": "nobody@example.cn", "password": "guess-guess-1"}).status_code == 422
    assert len(checked) == 1 and checked[0].startswith("pbkdf2")
    with app.app_context():
        user = make_user("vendor")
        user.is_active_flag = False
        db.session.commit()
        email = user.email
    client.post("/accounts/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert len(checked) == 2
