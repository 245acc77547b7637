"""Every curation route against every role and anonymous visitors: only promotion centers curate, each its own cases."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.cases.models import Case, DirectoryDecision
from marketplace.catalog.models import ProviderProfile
from marketplace.extensions import db
from tests.factories import make_case, make_profile, make_user

CENTER_ROUTES = ["/cases/new", "/cases/directory/add", "/cases/directory/{listed}/renew",
                 "/cases/directory/{listed}/remove"]
OWNED_ROUTES = ["/cases/{case}/edit", "/cases/{case}/publish", "/cases/{case}/feature", "/cases/{case}/unfeature",
                "/cases/{case}/unpublish", "/cases/{case}/moderate"]
ALL_ROUTES = CENTER_ROUTES + OWNED_ROUTES
READ_ROUTES = ["/cases/manage", "/cases/directory/{listed}/history"]


@pytest.fixture
def records(app):
    """A draft case curated by one center, and a provider another center put in the directory."""
    from marketplace.cases.directory import decide

    with app.app_context():
        owner = make_user("center")
        case = make_case(owner.organisation, state="draft")
        profile = make_profile(make_user("vendor").organisation)
        decide(profile, "add", "入库理由", owner, review_on=date.today() + timedelta(days=100))
        db.session.commit()
        return {"case": case.id, "listed": profile.id}


def unchanged(app, records) -> bool:
    """Tell whether the case and the directory are as the fixture left them."""
    with app.app_context():
        case = db.session.get(Case, records["case"])
        return (case.state == "draft" and case.title == "陶瓷砖面缺陷检测案例"
                and db.session.get(ProviderProfile, records["listed"]).quality_listed
                and db.session.scalar(db.select(db.func.count()).select_from(DirectoryDecision)) == 1)


@pytest.mark.parametrize("url", ALL_ROUTES + READ_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(app, client, records, url):
    """Anonymous posts (and reads of curation pages) redirect to the login page and change nothing."""
    method = client.get if url in READ_ROUTES else client.post
    response = method(url.format(**records), data={"title": "篡改", "reason": "篡改"})
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
    assert unchanged(app, records)


@pytest.mark.parametrize("role", ["enterprise", "vendor"])
@pytest.mark.parametrize("url", ALL_ROUTES + READ_ROUTES)
def test_smes_and_vendors_get_403_on_every_curation_route(app, client, auth, records, role, url):
    """SMEs and vendors cannot curate cases or decide about the directory."""
    auth.as_role(role)
    method = client.get if url in READ_ROUTES else client.post
    assert method(url.format(**records), data={"title": "篡改", "reason": "篡改"}).status_code == 403
    assert unchanged(app, records)


@pytest.mark.parametrize("url", OWNED_ROUTES)
def test_another_center_gets_403_on_a_case_it_does_not_curate(app, client, auth, records, url):
    """A center cannot edit or move another center's case."""
    auth.as_role("center")
    assert client.post(url.format(**records), data={"title": "篡改"}).status_code == 403
    assert unchanged(app, records)


@pytest.mark.parametrize("url", CENTER_ROUTES + READ_ROUTES)
def test_any_center_may_reach_the_center_routes(client, auth, records, url):
    """Promotion centers reach the new-case form and the shared directory decisions (forms, not 403)."""
    auth.as_role("center")
    assert client.get(url.format(**records)).status_code == 200


def test_admin_takes_cases_down_but_neither_curates_nor_decides_for_a_center(app, client, auth, records):
    """An admin neither publishes a center's case nor decides about the directory; it takes public cases down."""
    auth.as_role("admin")
    assert client.post(f"/cases/{records['case']}/publish").status_code == 403
    assert client.post(f"/cases/{records['case']}/edit", data={"title": "篡改"}).status_code == 403
    assert client.post(f"/cases/directory/{records['listed']}/remove", data={"reason": "管理员"}).status_code == 403
    assert unchanged(app, records)
    with app.app_context():
        db.session.get(Case, records["case"]).state = "featured"
        db.session.commit()
    assert client.post(f"/cases/{records['case']}/moderate", data={"reason": "案例数据无法核实"}).status_code == 302
    with app.app_context():
        assert db.session.get(Case, records["case"]).state == "draft"
