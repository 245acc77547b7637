"""No attribute on a page reads "None" (a Python None that leaked into the markup, such as aria-describedby)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("role,paths", [
    (None, ["/accounts/login", "/accounts/register", "/accounts/password/reset", "/needs/", "/offerings"]),
    ("enterprise", ["/needs/new", "/accounts/password", "/accounts/tokens", "/policy/estimate"]),
    ("vendor", ["/offerings/new", "/models/new", "/resonance/new"]),
])
def test_no_attribute_reads_none(client, auth, role, paths):
    """Do the form pages render without any attribute whose value is the text None?"""
    if role:
        auth.as_role(role)
    for path in paths:
        page = client.get(path).get_data(as_text=True)
        assert '="None"' not in page, path
