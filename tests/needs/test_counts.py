"""Do the home page and the needs list count the same needs — the live ones the viewer may read?"""
from __future__ import annotations

import re

from tests.factories import make_need, make_user


def home_count(client) -> int:
    """Return the needs figure on the home page."""
    page = client.get("/").get_data(as_text=True)
    return int(re.search(r'href="/needs/"><strong>(\d+)</strong>', page).group(1))


def list_count(client) -> int:
    """Return the total the needs list reports."""
    return client.get("/needs/").get_data(as_text=True).count('class="listing-card"')


def test_home_and_needs_list_agree_for_visitors_and_members(app, client, auth):
    """Open and in-talks needs count, public ones for visitors and all for signed-in users; closed ones never."""
    with app.app_context():
        sme = make_user("enterprise").organisation
        for status, public, registered in (("open", 1, 1), ("in_talks", 2, 1), ("contracted", 1, 1), ("closed", 1, 1)):
            for _ in range(public):
                make_need(sme, status=status)
            for _ in range(registered):
                make_need(sme, status=status, visibility="registered")
    assert home_count(client) == list_count(client) == 3
    auth.as_role("vendor")
    assert home_count(client) == list_count(client) == 5
