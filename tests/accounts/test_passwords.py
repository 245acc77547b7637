"""Passwords: the strength policy, changing one's password and resetting it by e-mail."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.factories import DEFAULT_PASSWORD, gen_credit_code, make_user

NEW_PASSWORD = "ferry-lantern-orchid-42"


def registration(**overrides):
    """Return a complete registration form."""
    data = {"kind": "vendor", "org_name": "广州智检科技有限公司", "credit_code": gen_credit_code(), "city": "guangzhou",
            "industry": "electronics", "size": "small", "digital_level": "3", "name": "陈晓", "email": "chen@zhijian.example.cn",
            "password": "moshu-demo-2026", "confirm": "moshu-demo-2026"}
    data.update(overrides)
    return data


def test_trivial_and_common_passwords_are_refused_at_registration_with_a_reason(client):
    """Are 'aaaaaaaaaa' and other common passwords refused, saying why in the user's language?"""
    for weak, reason in [("aaaaaaaaaa", "Repeated characters"), ("password123", "very common password"),
                         ("qwertyuiop", "most common passwords"), ("abcdefghijk", "Sequences"),
                         ("short1", "at least 10 characters")]:
        response = client.post("/accounts/register?lang=en", data=registration(password=weak, confirm=weak))
        assert response.status_code == 422, weak
        assert reason in response.get_data(as_text=True), weak
    chinese = client.post("/accounts/register", data=registration(password="aaaaaaaaaa", confirm="aaaaaaaaaa"))
    assert chinese.status_code == 422 and '<html lang="zh-CN">' in chinese.get_data(as_text=True)


def test_password_built_from_the_users_email_is_refused(client):
    """Is a password that is just the user's e-mail name plus digits refused?"""
    response = client.post("/accounts/register?lang=en",
                           data=registration(email="zhangweiming@x.example.cn", password="zhangweiming1",
                                             confirm="zhangweiming1"))
    assert response.status_code == 422 and "your name, e-mail or organisation" in response.get_data(as_text=True)


def test_the_demo_and_factory_passwords_pass_the_policy(client):
    """Do the seeded demo password and the test factories' password still pass?"""
    assert client.post("/accounts/register", data=registration()).status_code == 302
    other = registration(email="li@zhijian.example.cn", password=DEFAULT_PASSWORD, confirm=DEFAULT_PASSWORD)
    assert app_client_registers(client, other)


def app_client_registers(client, data) -> bool:
    """Sign out, then register with the data; True when it was accepted."""
    client.post("/accounts/logout")
    return client.post("/accounts/register", data=data).status_code == 302


def test_change_password_needs_the_current_one_and_a_strong_new_one(app, client, auth):
    """Does a wrong current password or a weak new one leave the password unchanged, with messages?"""
    who = auth.as_role("enterprise")
    wrong = client.post("/accounts/password?lang=en", data={"current": "not-it-at-all", "password": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422 and "current password is not right" in wrong.get_data(as_text=True)
    weak = client.post("/accounts/password", data={"current": DEFAULT_PASSWORD, "password": "1234567890",
                                                   "confirm": "1234567890"})
    assert weak.status_code == 422 and 'id="password-err"' in weak.get_data(as_text=True)
    assert auth.login(who.email).status_code == 302


def test_change_password_keeps_this_session_and_ends_the_others(app, client, auth):
    """After a change, is this browser still signed in, the other one signed out, and the old password dead?"""
    who = auth.as_role("enterprise")
    other = app.test_client()
    other.post("/accounts/login", data={"email": who.email, "password": DEFAULT_PASSWORD})
    assert other.get("/dashboard").status_code == 200
    response = client.post("/accounts/password", data={"current": DEFAULT_PASSWORD, "password": NEW_PASSWORD,
                                                       "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    assert app.test_client().post("/accounts/login", data={"email": who.email, "password": DEFAULT_PASSWORD}).status_code == 422
    assert app.test_client().post("/accounts/login", data={"email": who.email, "password": NEW_PASSWORD}).status_code == 302


def test_password_pages_are_linked_from_sign_in_and_the_account_menu(client, auth):
    """Can people find the reset page from sign-in and the change page from the menu, in both languages?"""
    login = client.get("/accounts/login").get_data(as_text=True)
    assert 'href="/accounts/password/reset"' in login
    assert "Forgot your password?" in client.get("/accounts/login?lang=en").get_data(as_text=True)
    auth.as_role("vendor")
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/accounts/password"' in page
    assert "Change password" in client.get("/accounts/password?lang=en").get_data(as_text=True)


def sent_mail(app) -> list[str]:
    """Return the texts of the e-mails the file backend wrote."""
    folder = Path(app.instance_path) / "mail"
    return [p.read_text() for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


def reset_link(app) -> str:
    """Return the path of the reset link in the last e-mail."""
    text = sent_mail(app)[-1].replace("=\n", "")
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/[A-Za-z0-9_.\-=]+)", text).group(1)


def test_reset_by_email_is_signed_single_use_and_ends_sessions(app, client):
    """Does the e-mailed link set a new password once, end every session, and refuse a second use?"""
    with app.app_context():
        email = make_user("vendor").email
    signed_in = app.test_client()
    signed_in.post("/accounts/login", data={"email": email, "password": DEFAULT_PASSWORD})
    response = client.post("/accounts/password/reset", data={"email": email.upper()})
    assert response.status_code == 302 and len(sent_mail(app)) == 1
    path = reset_link(app)
    assert client.get(path).status_code == 200
    weak = client.post(path, data={"password": "aaaaaaaaaa", "confirm": "aaaaaaaaaa"})
    assert weak.status_code == 422
    assert client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert signed_in.get("/dashboard").status_code == 302
    again = client.post(path, data={"password": "another-fine-phrase-9", "confirm": "another-fine-phrase-9"})
    assert again.status_code == 302 and "/accounts/password/reset" in again.headers["Location"]
    assert client.post("/accounts/login", data={"email": email, "password": NEW_PASSWORD}).status_code == 302


def test_reset_answer_is_the_same_for_unknown_addresses(app, client):
    """Does asking for an unknown address answer the same way and send nothing?"""
    response = client.post("/accounts/password/reset", data={"email": "nobody@example.cn"}, follow_redirects=True)
    assert response.status_code == 200 and "nobody@example.cn" in response.get_data(as_text=True)
    assert sent_mail(app) == []


def test_reset_link_expires_and_tampered_links_are_refused(app, client):
    """Is an expired or altered reset link refused?"""
    with app.app_context():
        email = make_user("vendor").email
    client.post("/accounts/password/reset", data={"email": email})
    path = reset_link(app)
    assert client.get(path[:-3] + "abc").status_code == 302
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(path).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None


def test_a_reset_mail_waits_in_the_outbox_when_the_mail_server_is_down(app, client, monkeypatch):
    """With the mail server refusing, the reset request answers as always; the e-mail, link included, stays
    queued with its error and is sent by a later retry (the request never waited on the mail server)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from marketplace.jobs.models import OutboxEvent
    from marketplace.jobs.outbox import dispatch
    from marketplace.notifications import mail

    with app.app_context():
        email = make_user("vendor").email

    def refuse(message):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(mail, "deliver", refuse)
    response = client.post("/accounts/password/reset", data={"email": email}, follow_redirects=True)
    assert response.status_code == 200 and email in response.get_data(as_text=True)
    assert sent_mail(app) == []
    with app.app_context():
        [event] = db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == "mail")).all()
        assert event.payload["to"] == email and "/accounts/password/reset/" in event.payload["body"]
        assert event.done_at is None and "mail server down" in (event.last_error or "")
        monkeypatch.undo()
        db.session.execute(update(OutboxEvent).values(available_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
        assert dispatch() == {"mail": 1}
    assert client.get(reset_link(app)).status_code == 200
