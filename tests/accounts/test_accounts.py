"""Registration, sign-in and organisation settings through the real forms."""
from sqlalchemy import select

from marketplace.accounts.models import Organisation, User
from marketplace.extensions import db
from tests.factories import DEFAULT_PASSWORD, gen_credit_code, make_user


def registration(**overrides):
    """Return a complete, valid registration form."""
    data = {"kind": "enterprise", "org_name": "佛山市南庄宏陶建材有限公司", "credit_code": gen_credit_code(),
            "city": "foshan", "industry": "ceramics_building", "size": "medium", "digital_level": "2",
            "name": "梁志强", "email": "liang@hongtao.example.cn", "password": "a-long-password",
            "confirm": "a-long-password"}
    data.update(overrides)
    return data


def test_register_creates_org_and_user_and_signs_in(app, client):
    """A valid registration creates the organisation and its user, hashes the password and signs in."""
    response = client.post("/accounts/register", data=registration())
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "liang@hongtao.example.cn"))
        assert user.organisation.kind == "enterprise"
        assert user.organisation.digital_level == 2
        assert user.password_hash != "a-long-password" and user.password_hash.startswith(("scrypt", "pbkdf2"))
    assert client.get("/dashboard").status_code == 200


def test_bad_credit_code_rerenders_with_input_and_saves_nothing(app, client):
    """A wrong check character gives a field message, keeps what was typed and saves nothing."""
    response = client.post("/accounts/register", data=registration(credit_code="914403007084611360"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "佛山市南庄宏陶建材有限公司" in page
    assert "GB 32100" in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 0


def test_missing_fields_and_mismatched_passwords_are_reported(client):
    """Missing required fields and a mismatched confirmation each get a message."""
    response = client.post("/accounts/register", data=registration(org_name="", confirm="something-else"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('class="error"') >= 2


def test_duplicate_email_is_refused(app, client):
    """Registering an e-mail twice is refused on the e-mail field."""
    with app.app_context():
        make_user("vendor", email="taken@example.cn")
    response = client.post("/accounts/register", data=registration(email="taken@example.cn"))
    assert response.status_code == 422
    assert 'id="email-err"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_centers_cannot_self_register(client):
    """The registration form offers SME and vendor only; a forged 'center' is refused."""
    response = client.post("/accounts/register", data=registration(kind="center"))
    assert response.status_code == 422


def test_login_with_wrong_password_fails(app, client, auth):
    """A wrong password does not sign in and says so."""
    with app.app_context():
        user = make_user("vendor")
        email = user.email
    response = auth.login(email, "wrong-password")
    assert response.status_code == 422
    assert client.get("/dashboard").status_code == 302


def test_login_and_logout(app, client, auth):
    """Signing in reaches the dashboard; signing out leaves it."""
    with app.app_context():
        email = make_user("vendor").email
    assert auth.login(email, DEFAULT_PASSWORD).status_code == 302
    assert client.get("/dashboard").status_code == 200
    auth.logout()
    assert client.get("/dashboard").status_code == 302


def test_login_redirect_stays_on_site(app, client):
    """An off-site ?next= is ignored after login."""
    with app.app_context():
        email = make_user("vendor").email
    response = client.post("/accounts/login?next=https://evil.example.com/",
                           data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/dashboard"


def test_deactivated_user_cannot_sign_in(app, auth):
    """An account an admin deactivated cannot sign in."""
    with app.app_context():
        user = make_user("vendor")
        user.is_active_flag = False
        db.session.commit()
        email = user.email
    assert auth.login(email).status_code == 422


def test_organisation_settings_edit_own_org(app, client, auth):
    """A user edits their own organisation's details."""
    who = auth.as_role("enterprise")
    response = client.post("/accounts/organisation", data={"org_name": "新名称制造有限公司", "city": "dongguan",
                                                           "industry": "electronics", "size": "small",
                                                           "digital_level": "3"})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organisation, who.org_id)
        assert (org.name, org.city, org.digital_level) == ("新名称制造有限公司", "dongguan", 3)


def test_admin_creates_center_account(app, client, auth):
    """Platform admins create promotion-center accounts; others get 403."""
    data = {"org_name": "江门市数字化转型促进中心", "credit_code": gen_credit_code(), "city": "jiangmen",
            "name": "周敏", "email": "center@jm.example.cn", "password": "a-long-password"}
    auth.as_role("vendor")
    assert client.post("/accounts/admin/accounts", data=data).status_code == 403
    auth.logout()
    auth.as_role("admin")
    assert client.post("/accounts/admin/accounts", data=data).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "center@jm.example.cn"))
        assert user.organisation.kind == "center"
