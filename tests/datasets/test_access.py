"""Does an access request run as the owner answers it (grant with conditions, refuse with a reason, withdraw), with
only the owner deciding, nothing granted before the owner says so, and every move recorded?"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.datasets.models import AccessRequest, Dataset
from marketplace.datasets.selectors import has_granted_access, usable_datasets
from marketplace.extensions import db
from marketplace.notifications.models import Notification

CONDITIONS = "仅在数据方私有云内训练，只带出模型参数。"


def ask(client, dataset_id: int, **overrides):
    """Post the access form on a dataset's page."""
    data = {"purpose": "训练注塑件外观缺陷检测模型", "intended_use": "在数据方环境内调优", "model_id": ""}
    data.update(overrides)
    return client.post(f"/datasets/{dataset_id}/access", data=data)


def the_request(app) -> AccessRequest:
    """Return the only access request, fresh from the database."""
    with app.app_context():
        found = db.session.scalars(select(AccessRequest)).one()
        db.session.expunge(found)
        return found


def audit_actions(app) -> list[str]:
    """The audit log's action codes about access requests, oldest first."""
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
                if e.action.startswith("access_request.")]


def test_a_vendor_asks_and_the_owner_grants_with_conditions(app, client, auth, data):
    """The vendor's request reaches the owner's inbox; the grant's conditions reach the vendor; both are audited,
    and only then may the vendor name the dataset in an agreement."""
    auth.login(data.vendor)
    assert ask(client, data.dataset_id, model_id=str(data.model_id)).status_code == 302
    found = the_request(app)
    assert found.state == "awaiting_owner" and found.model_id == data.model_id
    with app.app_context():
        assert not has_granted_access(data.vendor_org, data.dataset_id)
        assert data.dataset_id not in db.session.scalars(usable_datasets(data.vendor_org).with_only_columns(
            Dataset.id)).all()
    auth.logout()
    auth.login(data.owner)
    inbox = client.get("/datasets/requests").get_data(as_text=True)
    assert f'data-request="{found.id}"' in inbox.split('id="outgoing"')[0]
    assert client.post(f"/datasets/requests/{found.id}/grant", data={"conditions": CONDITIONS}).status_code == 302
    granted = the_request(app)
    assert granted.state == "access_granted" and granted.conditions == CONDITIONS and granted.decided_at
    auth.logout()
    auth.login(data.vendor)
    assert CONDITIONS in client.get(f"/datasets/requests/{found.id}").get_data(as_text=True)
    with app.app_context():
        assert has_granted_access(data.vendor_org, data.dataset_id)
        assert data.dataset_id in db.session.scalars(usable_datasets(data.vendor_org).with_only_columns(
            Dataset.id)).all()
        kinds = [n.kind for n in db.session.scalars(select(Notification).order_by(Notification.id))]
    assert kinds == ["dataset_access_requested", "dataset_access_granted"]
    assert audit_actions(app) == ["access_request.created", "access_request.granted"]


def test_a_grant_needs_conditions_and_a_refusal_a_reason(app, client, auth, data):
    """An empty condition or reason is refused with a message and leaves the request waiting."""
    auth.login(data.vendor)
    ask(client, data.dataset_id)
    request_id = the_request(app).id
    auth.logout()
    auth.login(data.owner)
    client.post(f"/datasets/requests/{request_id}/grant", data={"conditions": " "})
    client.post(f"/datasets/requests/{request_id}/refuse", data={"reason": ""})
    assert the_request(app).state == "awaiting_owner"
    assert client.post(f"/datasets/requests/{request_id}/refuse",
                       data={"reason": "核心工艺数据暂不开放"}).status_code == 302
    refused = the_request(app)
    assert refused.state == "access_refused" and refused.reason == "核心工艺数据暂不开放"
    auth.logout()
    auth.login(data.vendor)
    assert "核心工艺数据暂不开放" in client.get(f"/datasets/requests/{request_id}").get_data(as_text=True)
    assert f'action="/datasets/{data.dataset_id}/access"' in client.get(f"/datasets/{data.dataset_id}").get_data(
        as_text=True)  # after a refusal the requester may ask again


def test_the_requester_withdraws_and_no_one_else_decides(app, client, auth, data):
    """Another SME, a center and an admin cannot grant; the requester cannot grant its own request; the
    requester withdraws, and then nobody can grant it."""
    auth.login(data.vendor)
    ask(client, data.dataset_id)
    request_id = the_request(app).id
    assert client.post(f"/datasets/requests/{request_id}/grant", data={"conditions": CONDITIONS}).status_code == 403
    assert the_request(app).state == "awaiting_owner"
    auth.logout()
    for email in (data.other_sme, data.center, data.admin):
        auth.login(email)
        assert client.post(f"/datasets/requests/{request_id}/grant",
                           data={"conditions": CONDITIONS}).status_code == 403, email
        assert the_request(app).state == "awaiting_owner", email
        auth.logout()
    auth.login(data.vendor)
    assert client.post(f"/datasets/requests/{request_id}/withdraw").status_code == 302
    assert the_request(app).state == "withdrawn"
    auth.logout()
    auth.login(data.owner)
    client.post(f"/datasets/requests/{request_id}/grant", data={"conditions": CONDITIONS})
    assert the_request(app).state == "withdrawn"
    assert audit_actions(app) == ["access_request.created", "access_request.withdrawn"]


@pytest.mark.parametrize("who", ["owner", "unverified", "center", "admin"])
def test_the_owner_unverified_organisations_centers_and_admins_cannot_ask(app, client, auth, data, who):
    """Only a verified enterprise or vendor other than the owner asks: the others are refused and nothing is
    recorded."""
    auth.login(getattr(data, who))
    assert ask(client, data.dataset_id).status_code == 403
    with app.app_context():
        assert db.session.scalars(select(AccessRequest)).all() == []


def test_one_waiting_request_per_organisation(app, client, auth, data):
    """A second request while the first waits is refused with a message; after a refusal a new one may be made."""
    auth.login(data.vendor)
    assert ask(client, data.dataset_id).status_code == 302
    second = ask(client, data.dataset_id)
    assert second.status_code in (302, 422)
    with app.app_context():
        assert len(db.session.scalars(select(AccessRequest)).all()) == 1
    auth.logout()
    auth.login(data.owner)
    client.post(f"/datasets/requests/{the_request(app).id}/refuse", data={"reason": "样本正在整理"})
    auth.logout()
    auth.login(data.vendor)
    assert ask(client, data.dataset_id).status_code == 302
    with app.app_context():
        assert sorted(r.state for r in db.session.scalars(select(AccessRequest))) == ["access_refused",
                                                                                       "awaiting_owner"]


def test_a_request_is_read_only_by_its_two_sides_and_admins(app, client, auth, data):
    """Another SME gets 404 on someone else's request; the owner, the requester and an admin read it."""
    auth.login(data.vendor)
    ask(client, data.dataset_id)
    request_id = the_request(app).id
    for email, status in ((data.other_sme, 404), (data.owner, 200), (data.admin, 200), (data.vendor, 200)):
        auth.logout()
        auth.login(email)
        assert client.get(f"/datasets/requests/{request_id}").status_code == status, email
