"""Does an empty proposals list say what to do next: post a need (an SME), find matching needs (a vendor)?"""
from __future__ import annotations

import pytest


@pytest.mark.parametrize(("role", "link"), [("enterprise", 'href="/needs/new"'), ("vendor", 'href="/leads"')])
def test_an_empty_proposals_list_offers_the_next_step(client, auth, role, link):
    """Is "no proposals yet" followed by a link to where proposals come from, for each side?"""
    auth.as_role(role)
    page = client.get("/proposals/").get_data(as_text=True)
    empty = page[page.index('<p class="empty">'):]
    assert link in empty[:300]
