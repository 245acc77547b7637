"""Who may post, read, edit, close, moderate a need and see who posted it — admins included, outsiders refused?"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from marketplace.extensions import db
from marketplace.needs.permissions import owner_visible_ids
from marketplace.permissions import can
from tests.factories import make_need, make_proposal, make_user

VISITOR = SimpleNamespace(is_authenticated=False)


@pytest.fixture
def people(in_app):
    """The SME that posts, a colleague at the same SME, another SME, a vendor, a center and an admin."""
    sme = make_user("enterprise")
    colleague = make_user("enterprise", commit=False)
    colleague.organisation = sme.organisation
    db.session.commit()
    return {"sme": sme, "colleague": colleague, "other_sme": make_user("enterprise"), "vendor": make_user("vendor"),
            "center": make_user("center"), "admin": make_user("admin"), "visitor": VISITOR}


def allowed(people, name, record=None) -> set[str]:
    """Return who of `people` holds a permission (on a record)."""
    return {who for who, user in people.items() if can(user, name, record)}


def test_only_smes_post_needs_admins_do_not(people):
    """Posting a need belongs to SMEs: vendors, centers, admins and visitors may not."""
    assert allowed(people, "need.post") == {"sme", "colleague", "other_sme"}


def test_only_the_posting_sme_edits_closes_and_reopens(people):
    """Edit, close and reopen: the SME's own users only — not another SME, a center or an admin."""
    need = make_need(people["sme"].organisation)
    for name in ("need.edit", "need.close", "need.reopen"):
        assert allowed(people, name, need) == {"sme", "colleague"}, name


def test_only_moderators_close_a_need_as_moderation(people):
    """Moderation is the admin's and the promotion center's of the SME's city: the owner closes with `need.close`;
    a center of another city cannot take the need down."""
    need = make_need(people["sme"].organisation)
    assert people["center"].organisation.city == people["sme"].organisation.city
    assert allowed(people, "need.moderate", need) == {"center", "admin"}
    assert not can(make_user("center", city="zhuhai"), "need.moderate", need)


def test_registered_only_needs_are_read_by_signed_in_users(people):
    """Public needs are read by all; registered-only ones by every signed-in user but not visitors."""
    public = make_need(people["sme"].organisation)
    private = make_need(people["sme"].organisation, visibility="registered")
    assert allowed(people, "need.view", public) == set(people)
    assert allowed(people, "need.view", private) == set(people) - {"visitor"}


def test_the_poster_of_a_registered_only_need_shows_to_the_sme_centers_admins_and_the_accepted_vendor(people):
    """Before acceptance a vendor does not see who posted; after it, that vendor does (and no other vendor)."""
    need = make_need(people["sme"].organisation, visibility="registered")
    assert allowed(people, "need.see_owner", need) == {"sme", "colleague", "center", "admin"}
    proposal = make_proposal(need, people["vendor"])
    assert not can(people["vendor"], "need.see_owner", need)
    proposal.state = "accepted"
    db.session.commit()
    assert allowed(people, "need.see_owner", need) == {"sme", "colleague", "center", "admin", "vendor"}


def test_a_page_of_needs_learns_whose_poster_shows_in_one_query(people, app):
    """`owner_visible_ids` answers the rule for a whole page with at most one query, and agrees with the rule."""
    from sqlalchemy import event

    sme = people["sme"].organisation
    needs = [make_need(sme), make_need(sme, visibility="registered"), make_need(sme, visibility="registered")]
    make_proposal(needs[2], people["vendor"], state="accepted")
    loaded = [(n.visibility, n.organisation_id) for n in needs], people["vendor"].organisation.kind  # noqa: F841
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        shown = owner_visible_ids(people["vendor"], needs)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert shown == {needs[0].id, needs[2].id} and len(statements) <= 1
    for who, user in people.items():
        assert owner_visible_ids(user, needs) == {n.id for n in needs if can(user, "need.see_owner", n)}, who
