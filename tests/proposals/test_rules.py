"""Who may send, invite, read, talk in and confirm proposals — admins and centers read only, outsiders nothing?"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from marketplace.permissions import can
from tests.factories import make_need, make_proposal, make_user

VISITOR = SimpleNamespace(is_authenticated=False)


@pytest.fixture
def people(in_app):
    """The SME with a need, the proposing vendor, another vendor, another SME, a center, an admin, a visitor."""
    return {"sme": make_user("enterprise"), "vendor": make_user("vendor"), "other_vendor": make_user("vendor"),
            "other_sme": make_user("enterprise"), "center": make_user("center"), "admin": make_user("admin"),
            "visitor": VISITOR}


def allowed(people, name, record=None) -> set[str]:
    """Return who of `people` holds a permission (on a record)."""
    return {who for who, user in people.items() if can(user, name, record)}


def test_vendors_send_and_the_posting_sme_invites(people):
    """Only vendors propose (admins never); only the SME that posted the need invites."""
    need = make_need(people["sme"].organisation)
    assert allowed(people, "proposal.send", need) == {"vendor", "other_vendor"}
    assert allowed(people, "proposal.invite", need) == {"sme"}
    private = make_need(people["sme"].organisation, visibility="registered")
    assert allowed(people, "proposal.send", private) == {"vendor", "other_vendor"}


def test_the_two_sides_talk_centers_and_admins_only_read(people):
    """Both sides read and write the thread and confirm; centers and admins read; others neither."""
    proposal = make_proposal(make_need(people["sme"].organisation), people["vendor"])
    assert allowed(people, "proposal.view", proposal) == {"sme", "vendor", "center", "admin"}
    assert allowed(people, "proposal.message", proposal) == {"sme", "vendor"}
    assert allowed(people, "proposal.confirm", proposal) == {"sme", "vendor"}
    assert allowed(people, "proposal.list_for_need", proposal.need) == {"sme"}


def test_each_move_belongs_to_one_side(people):
    """The SME shortlists, accepts and declines; the vendor submits, withdraws and declines an invitation."""
    proposal = make_proposal(make_need(people["sme"].organisation), people["vendor"])
    for name in ("proposal.shortlist", "proposal.accept", "proposal.decline"):
        assert allowed(people, name, proposal) == {"sme"}, name
    for name in ("proposal.submit", "proposal.withdraw", "proposal.decline_invitation"):
        assert allowed(people, name, proposal) == {"vendor"}, name
