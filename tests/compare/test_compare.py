"""The comparison page: model cards side by side, evaluation rows aligned by dataset and metric with blanks, the
best value marked in the metric's direction, attested and self-reported apart, only models the viewer may see."""
from __future__ import annotations

import re

from marketplace.compare.selectors import models_for, offerings_using
from marketplace.compare.services import compare_models
from marketplace.extensions import db
from tests.compare.helpers import MVTEC, NEU, attested, make_lab, model_with, self_reported
from tests.factories import make_offering, make_user


def body_rows(page: str) -> list[str]:
    """The evaluation rows of a comparison page, as text without tags."""
    section = page.split("group-row", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in section.split("<tr>")[1:]]


def test_rows_align_by_dataset_and_metric_with_blanks(in_app):
    """Is there one row per (dataset, metric) across the models, with an empty cell where a model has no result?"""
    lab, vendor = make_lab(), make_user("vendor")
    a = model_with(vendor.organisation, "A", attested("漏检率", "0.8%", MVTEC, lab),
                   self_reported("mAP@0.5", "78%", NEU))
    b = model_with(vendor.organisation, "B", attested("漏检率", "1.1%", " mvtec  AD（15 类）", lab))
    comparison = compare_models([a, b], {})
    cells = {(row.dataset, row.metric): [[e.value for e in cell] for cell in row.cells] for row in comparison.rows}
    assert cells == {(MVTEC, "漏检率"): [["0.8%"], ["1.1%"]], (NEU, "mAP@0.5"): [["78%"], []]}
    assert comparison.rows[0].metric == "漏检率"  # the row both models share comes first


def test_best_value_follows_the_metrics_direction(in_app):
    """Is the lowest miss rate and the highest AUROC marked best?"""
    lab, vendor = make_lab(), make_user("vendor")
    a = model_with(vendor.organisation, "A", attested("漏检率", "0.8%", MVTEC, lab),
                   attested("图像级 AUROC", "96.4%", MVTEC, lab))
    b = model_with(vendor.organisation, "B", attested("漏检率", "1.1%", MVTEC, lab),
                   attested("图像级 AUROC", "98.9%", MVTEC, lab))
    rows = {row.metric: row for row in compare_models([a, b], {}).rows}
    assert row_best_values(rows["漏检率"]) == ["0.8%"]
    assert row_best_values(rows["图像级 AUROC"]) == ["98.9%"]


def row_best_values(row) -> list[str]:
    """The values marked best in a row."""
    return [e.value for cell in row.cells for e in cell if row.is_best(e)]


def test_a_self_reported_claim_does_not_beat_an_attested_result(in_app):
    """When a row has attested results, is the best chosen among them, however good a self-reported value is?"""
    lab, vendor = make_lab(), make_user("vendor")
    a = model_with(vendor.organisation, "A", attested("漏检率", "0.8%", MVTEC, lab))
    b = model_with(vendor.organisation, "B", self_reported("漏检率", "0.1%", MVTEC))
    c = model_with(vendor.organisation, "C", self_reported("mAP@0.5", "70%", NEU))
    d = model_with(vendor.organisation, "D", self_reported("mAP@0.5", "75%", NEU))
    rows = {row.metric: row for row in compare_models([a, b, c, d], {}).rows}
    assert row_best_values(rows["漏检率"]) == ["0.8%"]
    assert row_best_values(rows["mAP@0.5"]) == ["75%"]  # no attested result: the best of what there is


def test_page_marks_attested_and_self_reported_apart(app, client):
    """Does the page show each result's source, the best mark, and a dash for a missing result?"""
    with app.app_context():
        lab, vendor = make_lab(), make_user("vendor")
        a = model_with(vendor.organisation, "甲模型", attested("漏检率", "0.8%", MVTEC, lab))
        b = model_with(vendor.organisation, "乙模型", self_reported("漏检率", "1.5%", MVTEC),
                       self_reported("mAP@0.5", "78%", NEU))
        ids = f"{a.id},{b.id}"
    page = client.get(f"/models/compare?ids={ids}").get_data(as_text=True)
    rows = body_rows(page)
    miss = next(r for r in rows if r.startswith("漏检率"))
    assert "0.8% ★" in miss and "第三方已认证" in miss and "1.5%" in miss and "自报" in miss
    assert miss.index("0.8%") < miss.index("1.5%")  # the columns keep the order asked for
    neu = next(r for r in rows if r.startswith("mAP@0.5"))
    assert "—" in neu.split("↑")[1].split("78%")[0]  # 甲 has no NEU result: a blank before 乙's value


def test_prices_of_published_offerings_with_units(app, client):
    """Does each model show the price range of the published offerings built on it, with the plan's unit?"""
    with app.app_context():
        vendor = make_user("vendor")
        a = model_with(vendor.organisation, "甲模型")
        b = model_with(vendor.organisation, "乙模型")
        make_offering(vendor.organisation, models=[a], pricing_plan="per_call", price_fen=5)
        make_offering(vendor.organisation, models=[a], pricing_plan="per_call", price_fen=8)
        make_offering(vendor.organisation, models=[a], pricing_plan="one_off", price_fen=99_900_00, state="draft")
        ids = f"{a.id},{b.id}"
        assert [o.price_fen for o in offerings_using([a.id])[a.id]] == [5, 8]
    page = client.get(f"/models/compare?ids={ids}").get_data(as_text=True)
    assert "¥0.05/次 – ¥0.08/次" in page and "¥99,900.00" not in page
    assert "暂无已发布的方案" in page or "No published offering" in page


def test_hidden_and_unpublished_models_are_never_shown(app, client, auth):
    """Are another vendor's draft and a model moderators hid left out, for visitors and other vendors alike?"""
    with app.app_context():
        vendor = make_user("vendor")
        shown = model_with(vendor.organisation, "公开模型甲")
        other = model_with(vendor.organisation, "公开模型乙")
        draft = model_with(vendor.organisation, "草稿模型", state="draft")
        hidden = model_with(vendor.organisation, "被隐藏模型")
        hidden.moderation = "hidden"
        db.session.commit()
        ids = f"{shown.id},{draft.id},{hidden.id},{other.id}"
        assert [m.name for m in models_for([shown.id, draft.id, hidden.id], None)] == ["公开模型甲"]
        assert [m.name for m in models_for([draft.id], vendor)] == ["草稿模型"]  # its own vendor sees its draft
    for viewer in (None, "vendor"):
        if viewer:
            auth.as_role(viewer)
        page = client.get(f"/models/compare?ids={ids}").get_data(as_text=True)
        assert "公开模型甲" in page and "公开模型乙" in page
        assert "草稿模型" not in page and "被隐藏模型" not in page


def test_fewer_than_two_visible_models_is_no_comparison(app, client):
    """With one visible model, does the page ask for two to four instead of showing a table?"""
    with app.app_context():
        vendor = make_user("vendor")
        one = model_with(vendor.organisation, "唯一模型")
        draft = model_with(vendor.organisation, "草稿模型", state="draft")
        ids = f"{one.id},{draft.id}"
    page = client.get(f"/models/compare?ids={ids}").get_data(as_text=True)
    assert "compare-table" not in page and "草稿模型" not in page
    assert "/models" in page


def test_more_than_four_ids_show_the_first_four_and_say_so(app, client):
    """Asked for five models, does the page compare four and tell the reader?"""
    with app.app_context():
        vendor = make_user("vendor")
        ids = [model_with(vendor.organisation, f"模型{i}").id for i in range(5)]
    page = client.get("/models/compare?ids=" + ",".join(map(str, ids)) + "&lang=en").get_data(as_text=True)
    header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert header.count('scope="col"') == 5 and "模型4" not in header
    assert "the first 4 are shown" in page
