"""Verified organisations: the licence upload, who reviews it, who may see it, approve/reject/revoke, the mark
and the "verified only" filters."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import Organisation, User
from marketplace.audit.models import AuditEvent
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.jobs.models import OutboxEvent
from marketplace.notifications.models import Notification
from marketplace.states import IllegalTransition
from marketplace.trust.models import VerificationRequest
from marketplace.trust.services import decide_verification, revoke_verification, submit_verification
from tests.factories import make_model, make_offering, make_profile, make_user
from tests.trust.helpers import PDF_BYTES, png_bytes, upload


def count(model, *where) -> int:
    """Count rows of a model (matching the conditions)."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def unverified_sme(city: str = "zhuhai") -> User:
    """A freshly registered SME of a city, not verified yet."""
    return make_user("enterprise", verified_at=None, city=city)


def submitted(city: str = "zhuhai", data: bytes | None = None) -> VerificationRequest:
    """An unverified SME of the city whose licence awaits review."""
    request = submit_verification(unverified_sme(city), upload(data))
    db.session.commit()
    return request


# ---- the process ---------------------------------------------------------------------------------------------------

def test_center_of_the_city_approves_and_the_org_becomes_verified_by_it(in_app):
    """Does approval set verified_at and verified_by, tell the org's users (inbox and mail) and audit it?"""
    center = make_user("center", city="zhuhai")
    request = submitted()
    org_id = request.organisation_id
    decide_verification(request.id, "approve", center)
    db.session.commit()
    org = db.session.get(Organisation, org_id)
    assert org.is_verified and org.verified_by_org_id == center.organisation_id
    assert request.state == "approved" and request.decided_by_id == center.id and request.decided_at is not None
    sme_ids = [u.id for u in org.users]
    assert count(Notification, Notification.user_id.in_(sme_ids), Notification.kind == "verification_approved") == 1
    assert count(OutboxEvent, OutboxEvent.topic == "mail") >= 1
    assert count(AuditEvent, AuditEvent.action == "verification.approved") == 1


def test_submission_tells_the_citys_centers_only(in_app):
    """Is the licence announced to the promotion centers of the organisation's city and to no other?"""
    here, elsewhere = make_user("center", city="zhuhai"), make_user("center", city="foshan")
    submitted("zhuhai")
    assert count(Notification, Notification.user_id == here.id, Notification.kind == "verification_submitted") == 1
    assert count(Notification, Notification.user_id == elsewhere.id) == 0


def test_rejection_needs_a_reason_and_the_org_may_submit_again(in_app):
    """Is a reasonless rejection refused, a reasoned one kept and told, and a new licence accepted after it?"""
    center = make_user("center", city="zhuhai")
    request = submitted()
    with pytest.raises(IllegalTransition):
        decide_verification(request.id, "reject", center, reason="  ")
    db.session.rollback()
    decide_verification(request.id, "reject", center, reason="执照照片模糊，看不清信用代码")
    db.session.commit()
    org = request.organisation
    assert not org.is_verified and request.reason == "执照照片模糊，看不清信用代码"
    assert count(Notification, Notification.kind == "verification_rejected") == 1
    again = submit_verification(org.users[0], upload(PDF_BYTES, "licence.pdf"))
    db.session.commit()
    assert again.id != request.id and again.is_open and again.licence.content_type == "application/pdf"


def test_a_second_submission_while_one_waits_or_once_verified_is_refused(in_app):
    """Can an organisation pile up requests, or ask again when already verified? No."""
    request = submitted()
    user = request.organisation.users[0]
    with pytest.raises(DomainError):
        submit_verification(user, upload())
    db.session.rollback()
    verified = make_user("enterprise")
    with pytest.raises(DomainError):
        submit_verification(verified, upload())


def test_centers_and_admins_do_not_ask_for_verification(in_app):
    """Do promotion centers and admins get refused at the licence upload (they are set up by the platform)?"""
    for role in ("center", "admin"):
        with pytest.raises(PermissionDenied):
            submit_verification(make_user(role, verified_at=None), upload())
        db.session.rollback()


def test_a_center_of_another_city_may_not_decide(in_app):
    """Is a Foshan center refused on a Zhuhai organisation's request, while an admin may decide any?"""
    request = submitted("zhuhai")
    with pytest.raises(PermissionDenied):
        decide_verification(request.id, "approve", make_user("center", city="foshan"))
    db.session.rollback()
    decide_verification(request.id, "approve", make_user("admin"))
    db.session.commit()
    assert request.organisation.is_verified


def test_admin_revokes_with_a_reason_and_the_org_is_unverified_again(in_app):
    """Does revocation unverify, mark the approved request revoked, tell the org and write the audit row?"""
    center, admin = make_user("center", city="zhuhai"), make_user("admin")
    request = submitted()
    decide_verification(request.id, "approve", center)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        revoke_verification(request.organisation_id, center, "执照已吊销")
    db.session.rollback()
    revoke_verification(request.organisation_id, admin, "执照已吊销")
    db.session.commit()
    org = db.session.get(Organisation, request.organisation_id)
    assert not org.is_verified and org.verified_by_org_id is None
    assert request.state == "revoked" and request.revoke_reason == "执照已吊销"
    assert count(Notification, Notification.kind == "verification_revoked") == 1
    assert count(AuditEvent, AuditEvent.action == "verification.revoked") == 1


# ---- pages ---------------------------------------------------------------------------------------------------------

def test_sme_uploads_its_licence_from_the_verification_page(app, client, auth):
    """Does the 企业认证 page take a PNG, say it awaits review, and refuse a file that is not a PDF or image?"""
    auth.as_role("enterprise", verified_at=None, city="zhuhai")
    page = client.get("/trust/verification").get_data(as_text=True)
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    bad = client.post("/trust/verification", data={"licence": (io.BytesIO(b"just text"), "licence.txt")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422
    good = client.post("/trust/verification", data={"licence": (io.BytesIO(png_bytes()), "执照.png")},
                       content_type="multipart/form-data")
    assert good.status_code == 302
    with app.app_context():
        assert count(VerificationRequest) == 1
    assert 'type="file"' not in client.get("/trust/verification").get_data(as_text=True)


def test_the_queue_lists_the_citys_requests_with_credit_code_name_and_licence(app, client, auth):
    """Does a Zhuhai center see the Zhuhai request (credit code, name, licence link) and not a Foshan one?"""
    with app.app_context():
        zhuhai, foshan = submitted("zhuhai"), submitted("foshan")
        names = zhuhai.organisation.name, zhuhai.organisation.credit_code, foshan.organisation.name
        zhuhai_id = zhuhai.id
    auth.as_role("center", city="zhuhai")
    page = client.get("/trust/queue").get_data(as_text=True)
    assert names[0] in page and names[1] in page and names[2] not in page
    assert f"/trust/requests/{zhuhai_id}/licence" in page


@pytest.mark.parametrize("who,status", [
    ("owner", 200), ("center_here", 200), ("admin", 200),
    ("center_elsewhere", 404), ("other_sme", 404), ("vendor", 404), ("visitor", 302)])
def test_only_the_org_its_citys_centers_and_admins_open_the_licence(app, client, auth, who, status):
    """Is the licence file streamed only to its organisation, its city's centers and admins (404 to others)?"""
    with app.app_context():
        request = submitted("zhuhai")
        url, owner_email = f"/trust/requests/{request.id}/licence", request.organisation.users[0].email
        detail = f"/trust/requests/{request.id}"
    if who == "owner":
        auth.login(owner_email)
    elif who != "visitor":
        role = {"center_here": "center", "center_elsewhere": "center", "other_sme": "enterprise"}.get(who, who)
        auth.as_role(role, city="foshan" if who == "center_elsewhere" else "zhuhai")
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert response.data == png_bytes() and response.headers["Content-Type"] == "image/png"
        assert "no-store" in response.headers["Cache-Control"]
    else:
        assert png_bytes() not in response.data
    assert client.get(detail).status_code == status


def test_center_approves_from_the_request_page(app, client, auth):
    """Does the request page offer verify/reject to the city's center, and does posting approve verify the org?"""
    with app.app_context():
        request = submitted("zhuhai")
        request_id, org_id = request.id, request.organisation_id
    auth.as_role("center", city="zhuhai")
    page = client.get(f"/trust/requests/{request_id}").get_data(as_text=True)
    assert f"/trust/requests/{request_id}/approve" in page and f"/trust/requests/{request_id}/reject" in page
    assert client.post(f"/trust/requests/{request_id}/approve").status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, org_id).is_verified


def test_dashboard_tells_an_unverified_org_what_it_cannot_do_and_links_to_verify(app, client, auth):
    """Does an unverified SME's dashboard say it gets no voucher quota yet and link to the verification page,
    while a verified one sees no such warning?"""
    from marketplace.trust.services import LIMITS

    auth.as_role("enterprise", verified_at=None)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-state="unverified"' in page and "/trust/verification" in page
    with app.test_request_context():
        assert str(LIMITS["enterprise"][0]) in page
    auth.logout()
    auth.as_role("enterprise")
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-state="verified"' in page and 'data-state="unverified"' not in page


def test_registration_offers_no_evaluator_kind(client):
    """Can anyone register an evaluation body themselves? No: the form does not offer it, nor accept it."""
    page = client.get("/accounts/register").get_data(as_text=True)
    assert 'value="evaluator"' not in page and 'value="center"' not in page


def test_admin_creates_an_evaluation_body_verified_at_once(app, client, auth):
    """Does the admin accounts page create an evaluation body with its first user, verified by the platform?"""
    from tests.factories import gen_credit_code

    admin = auth.as_role("admin")
    response = client.post("/accounts/admin/accounts", data={
        "kind": "evaluator", "org_name": "广东省工业模型评测中心", "credit_code": gen_credit_code(700001),
        "city": "guangzhou", "name": "评测员", "email": "lab@example.cn", "password": "model-lab-password-77"})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.kind == "evaluator"))
        assert org.is_verified and org.verified_by_org_id == admin.org_id and org.users[0].email == "lab@example.cn"


# ---- the mark and the filter ----------------------------------------------------------------------------------------

def test_verified_only_filter_keeps_verified_organisations_listings(app, client):
    """Do the offerings, models and providers lists with 仅看已认证 keep only verified organisations' listings?"""
    from marketplace.catalog.services import browse_listings

    with app.app_context():
        verified, unverified = make_user("vendor").organisation, make_user("vendor", verified_at=None).organisation
        for org, tag in ((verified, "认证"), (unverified, "未认证")):
            make_offering(org, title=f"{tag}服务商的质检服务")
            make_model(org, name=f"{tag}服务商的质检模型")
            make_profile(org)
        db.session.commit()
        for kind in ("offering", "model", "provider"):
            everyone = db.session.scalars(browse_listings(kind, {})).all()
            only = db.session.scalars(browse_listings(kind, {"verified": True})).all()
            assert {r.organisation_id for r in everyone} == {verified.id, unverified.id}
            assert {r.organisation_id for r in only} == {verified.id}
            city_and_verified = db.session.scalars(browse_listings(kind, {"verified": True, "city": "foshan"})).all()
            assert {r.organisation_id for r in city_and_verified} <= {verified.id}
    page = client.get("/offerings?verified=y").get_data(as_text=True)
    assert "认证服务商的质检服务" in page and "未认证服务商的质检服务" not in page
    assert "未认证服务商的质检模型" not in client.get("/models?verified=y").get_data(as_text=True)


def test_verified_mark_shows_on_the_vendors_listing_pages_and_not_for_unverified(app, client):
    """Is the 已认证 badge (with words for screen readers) on a verified vendor's offering and provider pages only?"""
    with app.app_context():
        good = make_offering(make_user("vendor").organisation)
        other_org = make_user("vendor", verified_at=None).organisation
        plain, profile = make_offering(other_org), make_profile(other_org)
        db.session.commit()
        ids = good.id, plain.id, profile.id
    assert "badge-verified" in client.get(f"/offerings/{ids[0]}").get_data(as_text=True)
    page = client.get(f"/offerings/{ids[1]}").get_data(as_text=True)
    assert "badge-verified" not in page
    assert "badge-verified" not in client.get(f"/providers/{ids[2]}").get_data(as_text=True)
    listed = client.get("/offerings").get_data(as_text=True)
    assert listed.count("badge-verified") == 1 and 'class="sr-only"' in listed
