"""Case and directory pages: the curator's bar for the curator, a moderation bar for admins, actions by rule."""
from __future__ import annotations

from datetime import date, timedelta

from marketplace.cases.directory import decide
from marketplace.extensions import db
from tests.factories import make_case, make_profile, make_user


def test_admin_is_not_told_it_curates_a_centers_case(app, client, auth):
    """An admin reading a center's case sees a moderation bar with the take-down form, not “curated by you”."""
    with app.app_context():
        case_id = make_case(make_user("center").organisation).id
    auth.as_role("admin")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "由本中心遴选" not in page and "Curated by you" not in page
    assert f"/cases/{case_id}/moderate" in page and 'name="reason"' in page
    assert f"/cases/{case_id}/edit" not in page and f"/cases/{case_id}/feature" not in page


def test_curator_sees_the_moves_of_the_state(app, client, auth):
    """The curating center sees edit, feature and unpublish on a published case; never the take-down."""
    with app.app_context():
        center = make_user("center")
        case_id = make_case(center.organisation).id
        email = center.email
    auth.login(email)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "由本中心遴选" in page
    for action, shown in (("feature", True), ("unpublish", True), ("publish", False), ("moderate", False)):
        assert (f"/cases/{case_id}/{action}\"" in page) is shown, action
    manage = client.get("/cases/manage").get_data(as_text=True)
    assert f"/cases/{case_id}/feature" in manage


def test_featured_cases_carry_the_badge(app, client):
    """A featured case is badged in the library and on its page; a published one is not."""
    with app.app_context():
        center = make_user("center").organisation
        featured = make_case(center, title="精选的案例", state="featured").id
        plain = make_case(center, title="普通的案例").id
    assert "badge-featured" in client.get(f"/cases/{featured}").get_data(as_text=True)
    assert "badge-featured" not in client.get(f"/cases/{plain}").get_data(as_text=True)
    assert client.get("/cases/").get_data(as_text=True).count("badge-featured") == 1


def test_directory_actions_follow_the_rules(app, client, auth):
    """Centers get add, renew and remove; admins only the history; visitors neither."""
    with app.app_context():
        center = make_user("center")
        profile = make_profile(make_user("vendor").organisation)
        decide(profile, "add", "入库理由", center, review_on=date.today() + timedelta(days=100))
        db.session.commit()
        profile_id = profile.id
    renew = f"/cases/directory/{profile_id}/renew"
    history = f"/cases/directory/{profile_id}/history"
    page = client.get("/cases/directory").get_data(as_text=True)
    assert renew not in page and history not in page and "/cases/directory/add" not in page
    auth.as_role("admin")
    page = client.get("/cases/directory").get_data(as_text=True)
    assert renew not in page and history in page and "/cases/directory/add" not in page
    assert client.get(history).status_code == 200
    auth.logout()
    auth.as_role("center")
    page = client.get("/cases/directory").get_data(as_text=True)
    assert renew in page and history in page and "/cases/directory/add" in page
    assert f"/cases/directory/{profile_id}/remove" in client.get(history).get_data(as_text=True)
