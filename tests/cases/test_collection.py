"""Does the yearly case collection list that year's public cases, print on A4 and download as a Chinese PDF?"""
from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from marketplace.cases.models import CaseResult
from tests.factories import make_case, make_user


def collection_cases(app) -> None:
    """Two public 2025 cases, a 2025 draft and a 2024 case."""
    with app.app_context():
        center = make_user("center").organisation
        make_case(center, title="陶瓷砖面针孔视觉检测", year=2025, state="featured")
        make_case(center, title="空压站群控节能改造", year=2025, scenario="energy_management",
                  results=[CaseResult(indicator="单位产品耗气", before=1.92, after=1.77, unit="m³/m²", better="lower")])
        make_case(center, title="未发布的草稿", year=2025, state="draft")
        make_case(center, title="二〇二四年的案例", year=2024)


def test_collection_page_lists_only_that_years_public_cases_and_prints_on_a4(app, client):
    """The 2025 collection holds its two public cases, links the PDF and carries the A4 print rules."""
    collection_cases(app)
    page = client.get("/cases/collection/2025").get_data(as_text=True)
    assert "陶瓷砖面针孔视觉检测" in page and "空压站群控节能改造" in page
    assert "未发布的草稿" not in page and "二〇二四年的案例" not in page
    assert "/cases/collection/2025.pdf" in page
    css = client.get("/static/css/centers.css").get_data(as_text=True)
    assert "size: A4" in css and "break-before: page" in css


def test_collection_redirects_to_the_newest_year(app, client):
    """/cases/collection opens the newest year that has public cases."""
    collection_cases(app)
    response = client.get("/cases/collection")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases/collection/2025")


def test_collection_pdf_is_a4_and_its_text_is_the_chinese_cases(app, client):
    """The PDF download has A4 pages whose extracted text holds the case titles, results and improvement."""
    collection_cases(app)
    response = client.get("/cases/collection/2025.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "陶瓷砖面针孔视觉检测" in text and "空压站群控节能改造" in text and "佛山某陶瓷企业" in text
    assert "漏检率" in text and "87.5%" in text and "m³/m²" in text and "7.8%" in text
    assert "+87.5%" not in text and "-7.8%" not in text and "+7.8%" not in text
    assert "未发布的草稿" not in text and "二〇二四年的案例" not in text
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)
    assert len(reader.pages) == 4  # cover, contents, one page per case
