"""Words on a listing's page fit who reads it and what it is: an admin is not told another vendor's listing is
theirs, a model page's similar records are models, and an e-mail error speaks Chinese."""
from __future__ import annotations

from marketplace.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_model, make_offering, make_user


def test_admin_sees_whose_listing_it_is(app, client, auth):
    """Does an admin on a vendor's offering see 'listed by <vendor>' rather than 我的上架内容?"""
    with app.app_context():
        vendor = make_user("vendor")
        offering_id, name = make_offering(vendor.organisation).id, vendor.organisation.name
    auth.as_role("admin")
    page = client.get(f"/offerings/{offering_id}").get_data(as_text=True)
    assert "我的上架内容" not in page and name in page


def test_vendor_sees_its_own_listing_as_its_own(app, client):
    """Does the vendor itself still read 我的上架内容 on its offering?"""
    with app.app_context():
        vendor = make_user("vendor")
        offering_id, email = make_offering(vendor.organisation).id, vendor.email
    client.post("/accounts/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert "我的上架内容" in client.get(f"/offerings/{offering_id}").get_data(as_text=True)


def test_similar_heading_names_the_kind(app, client):
    """Is the similar-records heading of a model page 相似模型 (not 相似方案)?"""
    with app.app_context():
        model_id = make_model(make_user("vendor").organisation).id
        db.session.remove()
    fragment = client.get(f"/listings/model/{model_id}/matches").get_data(as_text=True)
    assert "相似模型" in fragment and "相似方案" not in fragment


def test_bad_email_message_is_chinese(client):
    """Is a malformed e-mail at sign-in refused with a Chinese message (not 无效的 Email 地址)?"""
    page = client.post("/accounts/login", data={"email": "not-an-address", "password": "x"}).get_data(as_text=True)
    assert "请输入有效的电子邮箱地址" in page and "无效的 Email" not in page
