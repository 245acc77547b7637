"""Chinese first, English on request: catalogues complete, pages render in both languages."""
import pytest

from marketplace.i18n_catalogues import missing
from tests.factories import make_case, make_need, make_offering, make_user

PAGES = ["/", "/needs/", "/offerings", "/models", "/providers", "/cases/", "/accounts/login", "/accounts/register"]


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
def test_catalogues_are_complete(locale):
    """Every translatable string has a non-fuzzy translation in both catalogues."""
    assert missing(locale) == []


@pytest.fixture
def listed(app):
    """One record of each public kind so detail pages exist."""
    with app.app_context():
        vendor = make_user("vendor").organisation
        sme = make_user("enterprise").organisation
        center = make_user("center").organisation
        return {"offering": make_offering(vendor).id, "need": make_need(sme).id, "case": make_case(center).id}


def test_default_language_is_chinese(client, listed):
    """Without any choice the UI is zh-CN."""
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "场景需求" in page and "模型超市" in page


def test_english_switch_sticks_for_the_session(client, listed):
    """The switch redirects back and later pages are in English; switching back restores Chinese."""
    response = client.get("/lang/en?next=/offerings")
    assert response.status_code == 302 and response.headers["Location"] == "/offerings"
    for url in PAGES + [f"/offerings/{listed['offering']}", f"/needs/{listed['need']}", f"/cases/{listed['case']}"]:
        page = client.get(url).get_data(as_text=True)
        assert '<html lang="en">' in page, url
        assert "Model supermarket" in page, url
    client.get("/lang/zh_CN")
    assert "模型超市" in client.get("/offerings").get_data(as_text=True)


def test_vocabulary_labels_follow_the_language(client, listed):
    """Industry and scenario names come out in the UI language."""
    zh = client.get(f"/offerings/{listed['offering']}").get_data(as_text=True)
    assert "在线智能检测" in zh
    en = client.get(f"/offerings/{listed['offering']}?lang=en").get_data(as_text=True)
    assert "Online intelligent inspection" in en


def test_validation_messages_are_in_the_users_language(client, auth):
    """Field errors read in Chinese by default and in English after switching."""
    auth.as_role("enterprise")
    zh = client.post("/needs/new", data={"title": ""}).get_data(as_text=True)
    assert "该字段是必填字段。" in zh
    client.get("/lang/en")
    en = client.post("/needs/new", data={"title": ""}).get_data(as_text=True)
    assert "This field is required." in en


def test_off_site_language_redirect_is_refused(client):
    """The language switch never redirects to another site."""
    response = client.get("/lang/en?next=https://evil.example.com/x")
    assert response.headers["Location"] == "/"


def test_every_translation_keeps_its_placeholders():
    """The catalogues pass Babel's checks (the ones `pybabel compile` runs): a translation that drops or changes
    a placeholder would be skipped at compile time and show English instead."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2] / "translations"
    problems = []
    for po in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        problems += [(po.parent.parent.name, message.id, [str(e) for e in errors])
                     for message, errors in catalog.check()]
    assert problems == []
