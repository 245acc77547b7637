"""One rule for "show it or say it does not exist": `permitted_or_404`, used by every view that loads a record by id."""
from __future__ import annotations

import pytest
from flask_login import login_user
from werkzeug.exceptions import NotFound

from marketplace import permissions
from marketplace.accounts.models import Organisation
from tests.factories import make_user


@pytest.fixture
def only_own(monkeypatch):
    """A rule for the test: a user may see their own organisation only."""
    monkeypatch.setitem(permissions.RULES, "test.own",
                        lambda user, org: org is not None and org.id == user.organisation_id)


def test_a_record_the_user_may_see_is_returned_any_other_is_404(app, only_own):
    with app.test_request_context():
        mine, other = make_user("vendor"), make_user("enterprise")
        login_user(mine)
        assert permissions.permitted_or_404(Organisation, mine.organisation_id, "test.own").id == mine.organisation_id
        with pytest.raises(NotFound):
            permissions.permitted_or_404(Organisation, other.organisation_id, "test.own")
        with pytest.raises(NotFound):
            permissions.permitted_or_404(Organisation, 10**9, "test.own")


def test_the_permission_may_be_held_on_something_the_record_belongs_to(app, only_own):
    with app.test_request_context():
        mine = make_user("vendor")
        login_user(mine)
        found = permissions.permitted_or_404(Organisation, mine.organisation_id, "test.own", of=lambda org: org)
        assert found.id == mine.organisation_id
        with pytest.raises(NotFound):
            permissions.permitted_or_404(Organisation, mine.organisation_id, "test.own", of=lambda org: None)
