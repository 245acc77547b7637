"""An anonymised case never shows its enterprise's name to the public: not on its page, the case list, a card,
the collection or its PDF, the API or a search; its curator still keeps the name."""
from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from tests.factories import make_case, make_user

NAME = "深圳市安驰汽车电子有限公司"


def cases(app, anonymous: bool = True) -> tuple[int, str]:
    """A published 2025 Shenzhen electronics case with the enterprise's full name; returns (id, curator e-mail)."""
    with app.app_context():
        curator = make_user("center")
        case = make_case(curator.organisation, title="宝安某汽车电子 EMS 厂 AOI 智能复判", enterprise_name=NAME,
                         industry="electronics", city="shenzhen", anonymous=anonymous)
        return case.id, curator.email


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_an_anonymised_case_is_described_not_named_everywhere_the_public_reads(app, client):
    case_id, _ = cases(app)
    pages = {url: client.get(url).get_data(as_text=True)
             for url in (f"/cases/{case_id}", "/cases/", "/cases/collection/2025", "/search?q=AOI 智能复判&kind=case")}
    for url, page in pages.items():
        assert NAME not in page, url
    assert "深圳某电子信息企业" in pages[f"/cases/{case_id}"]
    assert "深圳某电子信息企业" in pages["/cases/"]
    assert NAME not in pdf_text(client.get("/cases/collection/2025.pdf").data)
    body = client.get(f"/api/v1/cases/{case_id}").get_json()
    assert body["enterprise_name"] == "深圳某电子信息企业" and body["anonymous"] is True


def test_english_readers_get_the_description_in_english(app, client):
    case_id, _ = cases(app)
    page = client.get(f"/cases/{case_id}?lang=en").get_data(as_text=True)
    assert NAME not in page and "Shenzhen" in page and "enterprise (not named)" in page


def test_a_named_case_shows_its_enterprise(app, client):
    case_id, _ = cases(app, anonymous=False)
    assert NAME in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert client.get(f"/api/v1/cases/{case_id}").get_json()["enterprise_name"] == NAME


def test_the_curator_keeps_the_name_and_chooses_anonymity_in_the_form(app, client, auth):
    case_id, email = cases(app)
    auth.login(email)
    form = client.get(f"/cases/{case_id}/edit").get_data(as_text=True)
    assert NAME in form and 'name="anonymous"' in form and "checked" in form
