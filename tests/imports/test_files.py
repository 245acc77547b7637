"""Are XLSX and GBK-encoded CSV read like UTF-8 CSV, models imported and referenced by SKU, the templates
importable as they are, and files that are too long or lack columns refused at once with a clear message?"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.catalog.models import IndustrialModel, Offering
from marketplace.extensions import db
from marketplace.imports.models import ImportJob
from marketplace.imports.reading import MAX_ROWS
from tests.imports.conftest import csv_bytes, offering_row, upload, xlsx_bytes

MODEL_HEADER = ["SKU编号", "模型名称", "模型类型", "版本", "一句话简介", "详细描述", "适用行业", "应用场景", "输入模态",
                "部署方式"]


def jobs(app) -> list[ImportJob]:
    """Every import job, oldest first."""
    with app.app_context():
        found = list(db.session.scalars(select(ImportJob).order_by(ImportJob.id)))
        for job in found:
            db.session.expunge(job)
        return found


def test_gbk_csv_and_xlsx_are_read(app, client, vendor):
    """A CSV saved as GBK and an XLSX with a numeric price cell both import their Chinese text intact."""
    gbk = csv_bytes([offering_row("G-1", title="佛山陶瓷窑炉能耗优化")], encoding="gbk")
    assert upload(client, gbk).status_code == 302
    row = offering_row("X-1", title="东莞注塑排产")
    row[5], row[6] = 12800.5, 30
    assert upload(client, xlsx_bytes([row]), name="offerings.xlsx").status_code == 302
    assert [(j.created, j.refused) for j in jobs(app)] == [(1, 0), (1, 0)]
    with app.app_context():
        made = {o.sku: (o.title, o.price_fen) for o in db.session.scalars(select(Offering))}
    assert made == {"G-1": ("佛山陶瓷窑炉能耗优化", 1280050), "X-1": ("东莞注塑排产", 1280050)}


def test_utf8_with_bom_and_english_headers_are_read(app, client, vendor):
    """A UTF-8 file with a BOM and English headers (as another system exports it) imports."""
    header = ["SKU", "Title", "Summary", "Description", "Pricing plan", "Price (CNY)", "Delivery days",
              "Deployments", "Industries", "Scenarios"]
    data = "\ufeff".encode() + csv_bytes([["E-1", "Title", "Summary", "Text", "Annual subscription", "100", "7",
                                           "public_cloud", "Electronics & ICT", "APS"]], header=header)
    upload(client, data)
    [job] = jobs(app)
    assert (job.created, job.refused) == (1, 0), job.problems
    with app.app_context():
        offering = db.session.scalar(select(Offering))
        assert (offering.pricing_plan, offering.scenarios) == ("annual", ["shop_scheduling"])


def test_models_import_and_offerings_name_them_by_sku(app, client, vendor):
    """A models file creates model cards by SKU; an offerings file then links them by that SKU."""
    rows = [["M-1", "注塑缺陷检测小模型", "场景小模型", "1.2", "识别 12 类缺陷", "5 万张图像训练。", "模具与塑料制品",
             "在线智能检测", "图像", "边缘端"],
            ["M-2", "排产智能体", "agent", "2.0", "注塑排模排机", "约束求解。", "模具与塑料制品", "车间智能排产",
             "结构化表格", "私有化"]]
    upload(client, csv_bytes(rows, header=MODEL_HEADER), kind="model", name="models.csv")
    upload(client, csv_bytes([offering_row("O-1", models="M-1、M-2")]))
    assert [(j.kind, j.created, j.refused) for j in jobs(app)] == [("model", 2, 0), ("offering", 1, 0)]
    with app.app_context():
        offering = db.session.scalar(select(Offering))
        assert sorted(m.sku for m in offering.models) == ["M-1", "M-2"]
        model = db.session.scalar(select(IndustrialModel).where(IndustrialModel.sku == "M-2"))
        assert (model.kind, model.state, model.modalities) == ("agent", "draft", ["tabular"])
    upload(client, csv_bytes(rows, header=MODEL_HEADER), kind="model", name="models.csv")
    assert (jobs(app)[-1].unchanged, jobs(app)[-1].updated) == (2, 0)


def test_the_templates_import_as_they_are(app, client, vendor):
    """Each downloadable template (CSV and XLSX) has a Chinese header and an example row that imports."""
    for kind in ("model", "offering"):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/imports/template/{kind}.{fmt}")
            assert response.status_code == 200
            data = response.get_data()
            if fmt == "csv":
                assert data.decode("utf-8-sig").startswith("SKU编号,")
            assert upload(client, data, kind=kind, name=f"t.{fmt}").status_code == 302
    outcomes = [(j.kind, j.refused) for j in jobs(app)]
    assert all(refused == 0 for _kind, refused in outcomes), [j.problems for j in jobs(app)]


def test_too_many_rows_or_missing_columns_are_refused_at_once(app, client, vendor):
    """A file over the row limit, or without a required column, is refused on upload with a message; no job."""
    rows = [offering_row(f"S-{n}") for n in range(MAX_ROWS + 1)]
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 422 and "5000" in response.get_data(as_text=True)
    response = upload(client, csv_bytes([["X", "标题"]], header=["SKU编号", "标题"]))
    assert response.status_code == 422 and "计价方式" in response.get_data(as_text=True)
    response = upload(client, b"\x00\x01garbage\xff\xfe" * 10)
    assert response.status_code == 422
    assert jobs(app) == []


def test_another_vendor_cannot_see_an_import(app, client, vendor, auth):
    """An import's page and report are its organisation's: another vendor gets 404."""
    upload(client, csv_bytes([offering_row("P-1")]))
    [job] = jobs(app)
    auth.as_role("vendor")
    assert client.get(f"/imports/{job.id}").status_code == 404
    assert client.get(f"/imports/{job.id}/report.csv").status_code == 404
