"""Attested evaluations: a row naming an evaluator organisation is third-party only once that organisation
attests it; the vendor never attests its own; editing the claim returns it to self-reported."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import ModelEvaluation
from marketplace.catalog.services import save_model
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.permissions import can
from marketplace.states import IllegalTransition
from marketplace.trust.services import answer_attestation
from tests.factories import make_model, make_user

ROW = {"metric": "漏检率", "value": "0.2%", "dataset": "极片 8 万张", "evaluator": ""}


def evaluator_user(kind: str = "evaluator"):
    """A user of an evaluation body (or a promotion center) that vendors may name."""
    return make_user(kind) if kind != "evaluator" else make_user("evaluator", name="广东省工业模型评测中心")


def named_row(lab_user, vendor=None) -> ModelEvaluation:
    """A vendor's model card with one result naming the lab, saved through the catalogue service."""
    vendor = vendor or make_user("vendor")
    model = make_model(vendor.organisation, evaluations=[])
    save_model(vendor.organisation, {}, [{**ROW, "row_id": None, "evaluator_org_id": lab_user.organisation_id}],
               model=model, actor=vendor)
    db.session.commit()
    return model.evaluations[0]


def test_a_named_row_waits_for_its_evaluator_who_is_told(in_app):
    """Does naming a lab leave the row self-reported (pending) and put a notification in the lab's inbox?"""
    lab = evaluator_user()
    row = named_row(lab)
    assert row.attestation == "pending" and not row.is_attested and row.evaluator == lab.organisation.name
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == lab.id, Notification.kind == "evaluation_requested")) == 1


@pytest.mark.parametrize("kind", ["evaluator", "center"])
def test_the_named_evaluator_attests_and_who_and_when_are_kept(in_app, kind):
    """Does the named evaluation body (or promotion center) attest the row, keeping who and when?"""
    lab = evaluator_user(kind)
    row = named_row(lab)
    answer_attestation(row.id, "attest", lab)
    db.session.commit()
    assert row.is_attested and row.attested_by_id == lab.id and row.attested_at is not None


def test_a_vendor_can_never_attest_its_own_row(in_app):
    """Can the vendor attest a row of its own model, or name itself (or another vendor) as the evaluator? No."""
    lab, vendor = evaluator_user(), make_user("vendor")
    row = named_row(lab, vendor)
    assert not can(vendor, "evaluation.attest", row)
    with pytest.raises(PermissionDenied):
        answer_attestation(row.id, "attest", vendor)
    db.session.rollback()
    for self_org in (vendor.organisation_id, make_user("vendor").organisation_id):
        with pytest.raises(DomainError):
            save_model(vendor.organisation, {}, [{**ROW, "row_id": None, "evaluator_org_id": self_org}],
                       model=row.model, actor=vendor)
        db.session.rollback()


def test_a_center_that_owns_the_model_cannot_attest_it(in_app):
    """Even an attesting kind may not attest a row of a model its own organisation lists."""
    center = make_user("center")
    row = ModelEvaluation(model=make_model(center.organisation), metric="准确率", value="99%", dataset="d",
                          evaluator=center.organisation.name, evaluator_org_id=center.organisation_id,
                          attestation="pending")
    db.session.add(row)
    db.session.commit()
    assert not can(center, "evaluation.attest", row)


def test_only_the_named_evaluator_may_answer(in_app):
    """Is another evaluation body refused on a row naming someone else?"""
    row = named_row(evaluator_user())
    with pytest.raises(PermissionDenied):
        answer_attestation(row.id, "attest", make_user("evaluator"))


def test_declining_needs_a_reason_and_the_row_stays_self_reported(in_app):
    """Is a reasonless decline refused, and a declined row not third-party, its vendor told why?"""
    lab = evaluator_user()
    row = named_row(lab)
    with pytest.raises(IllegalTransition):
        answer_attestation(row.id, "decline", lab, reason="")
    db.session.rollback()
    answer_attestation(row.id, "decline", lab, reason="数据集与我中心报告不符")
    db.session.commit()
    assert row.is_declined and not row.is_attested and row.attestation_note == "数据集与我中心报告不符"
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "evaluation_declined")) == 1


@pytest.mark.parametrize("change", [{"value": "0.1%"}, {"metric": "过杀率"}, {"dataset": "极片 20 万张"}])
def test_editing_an_attested_claim_returns_it_to_self_reported(in_app, change):
    """Does changing the metric, value or dataset of an attested row clear the attestation (pending again)?"""
    lab = evaluator_user()
    row = named_row(lab)
    answer_attestation(row.id, "attest", lab)
    db.session.commit()
    model, vendor = row.model, row.model.organisation
    save_model(vendor, {}, [{**ROW, **change, "row_id": row.id, "evaluator_org_id": lab.organisation_id}],
               model=model, actor=vendor.users[0])
    db.session.commit()
    assert model.evaluations[0].id == row.id
    assert row.attestation == "pending" and row.attested_at is None and row.attested_by_id is None


def test_saving_the_card_unchanged_keeps_the_attestation(in_app):
    """Does re-saving a model card whose results did not change keep them attested?"""
    lab = evaluator_user()
    row = named_row(lab)
    answer_attestation(row.id, "attest", lab)
    db.session.commit()
    save_model(row.model.organisation, {"summary": "新的简介"},
               [{**ROW, "row_id": row.id, "evaluator_org_id": lab.organisation_id}], model=row.model)
    db.session.commit()
    assert row.is_attested


def test_model_card_shows_attested_by_whom_and_when_and_edit_page_resets(app, client, auth):
    """Does the card show 第三方已认证 with the lab and date after attestation, and self-reported after the vendor
    edits the value through the form?"""
    with app.app_context():
        lab = evaluator_user()
        row = named_row(lab)
        answer_attestation(row.id, "attest", lab)
        db.session.commit()
        model_id, row_id, lab_id = row.model_id, row.id, lab.organisation_id
        vendor_email, lab_name = row.model.organisation.users[0].email, lab.organisation.name
        date = row.attested_at.strftime("%Y-%m-%d")
        db.session.execute(db.text("UPDATE industrial_model SET state = 'published' WHERE id = :i"), {"i": model_id})
        db.session.commit()
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    assert "badge-attested" in page and lab_name in page and date in page
    api = client.get(f"/api/v1/models/{model_id}").get_json()
    assert api["evaluations"][0]["third_party"] is True
    auth.login(vendor_email)
    form = client.get(f"/models/{model_id}/edit").get_data(as_text=True)
    assert f'value="{row_id}"' in form
    data = {"name": "模型", "kind": "scene_small", "version": "1.0", "summary": "s", "description": "d",
            "industries": ["electronics"], "scenarios": ["online_inspection"], "modalities": ["image"],
            "deployments": ["edge"], "evaluations-0-row_id": str(row_id), "evaluations-0-metric": ROW["metric"],
            "evaluations-0-value": "0.05%", "evaluations-0-dataset": ROW["dataset"],
            "evaluations-0-evaluator_org_id": str(lab_id)}
    assert client.post(f"/models/{model_id}/edit", data=data).status_code == 302
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    assert "badge-attested" not in page and "0.05%" in page
    assert client.get(f"/api/v1/models/{model_id}").get_json()["evaluations"][0]["third_party"] is False


def test_the_attestation_queue_lists_rows_naming_the_lab(app, client, auth):
    """Does the lab's queue list the rows naming it with attest/decline buttons, and nobody else's?"""
    with app.app_context():
        lab_user = make_user("evaluator")
        mine, theirs = named_row(lab_user), named_row(evaluator_user())
        lab_email, mine_id, theirs_id = lab_user.email, mine.id, theirs.id
    auth.login(lab_email)
    page = client.get("/trust/attestations").get_data(as_text=True)
    assert f"/trust/evaluations/{mine_id}/attest" in page and f"/trust/evaluations/{mine_id}/decline" in page
    assert f"/trust/evaluations/{theirs_id}/" not in page
    assert client.post(f"/trust/evaluations/{theirs_id}/attest").status_code == 403
    assert client.post(f"/trust/evaluations/{mine_id}/attest").status_code == 302
    with app.app_context():
        assert db.session.get(ModelEvaluation, mine_id).is_attested
    assert client.get("/dashboard").status_code == 200


def test_an_evaluation_bodys_dashboard_heads_its_block_by_attestation_not_verification(app, client, auth):
    """Is the lab's dashboard block headed 待确认的评测结果, where SMEs and vendors read 企业认证?"""
    with app.app_context():
        lab_email = make_user("evaluator").email
    auth.login(lab_email)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'id="trust-panel-title">待确认的评测结果<' in page and ">企业认证<" not in page
    auth.logout()
    auth.as_role("vendor")
    assert 'id="trust-panel-title">企业认证<' in client.get("/dashboard").get_data(as_text=True)
