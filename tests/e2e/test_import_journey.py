"""A vendor downloads the offerings template, uploads a file of offerings on the import page and watches the import
reach its report: the good rows created as drafts, the bad row refused with its cell and reason."""
from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in

HEADER = ["SKU编号", "标题", "一句话简介", "详细描述", "计价方式", "价格（元）", "交付周期（天）", "部署方式",
          "适用行业", "应用场景"]


def offerings_csv() -> bytes:
    """Two good rows and one whose price is not a number."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for sku, title, price in (("E2E-1", "佛山注塑件缺陷检测", "12800"), ("E2E-2", "东莞车间智能排产", "abc"),
                              ("E2E-3", "江门五金能耗优化", "9800.50")):
        writer.writerow([sku, title, "一句话简介", "详细描述", "年度订阅", price, "30", "私有化", "五金与金属制品",
                         "在线智能检测"])
    return out.getvalue().encode("utf-8")


def test_vendor_imports_offerings_and_reads_the_report(live_server, page, make_account):
    """From the workspace to the import page, a template download, an upload, the progress bar at 100% and the
    report with the refused cell; the imported drafts are in the vendor's workspace."""
    base = live_server.url
    sign_in(page, base, make_account("vendor"))
    page.click("section.imports-block a[href$='/imports']")
    expect(page).to_have_url(re.compile(r"/imports$"))
    with page.expect_download() as download:
        page.click("a[href$='/imports/template/offering.xlsx']")
    assert download.value.suggested_filename == "offerings-template.xlsx"
    page.check("input[name=kind][value=offering]")
    page.set_input_files("input[name=file]", files=[{"name": "offerings.csv", "mimeType": "text/csv",
                                                     "buffer": offerings_csv()}])
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/imports/\d+$"))
    expect(page.locator("#progress progress")).to_have_attribute("value", "100")
    expect(page.locator("[data-count=created]")).to_have_text("2")
    expect(page.locator("[data-count=refused]")).to_have_text("1")
    row = page.locator("#progress table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("F3")
    expect(row).to_contain_text("12800.50")
    page.goto(f"{base}/dashboard")
    expect(page.locator("text=佛山注塑件缺陷检测")).to_be_visible()
    expect(page.locator("text=江门五金能耗优化")).to_be_visible()
