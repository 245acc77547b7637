"""What can be reported and moderated ("subjects"): every searchable kind, plus reviews and messages.

A subject says, once, what the queue and the decisions need of an item: its model, its label, the
organisation that owns it (told of decisions; moderators of that organisation's city decide), its title and
text, the page it lives on, and the process that closes it (a searchable kind's own, from the registry of kinds;
reviews and messages can only be hidden). Nothing else in the moderation package asks which kind an item is.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.extensions import db
from marketplace.kinds import Kind, all_kinds
from marketplace.notifications.services import path_for


class Subject(ABC):
    """One kind of reportable item; each kind names its model and who owns an item."""

    name: str = ""
    label: Any = None

    @property
    @abstractmethod
    def model(self):
        """Return the model class."""

    @abstractmethod
    def owner_id(self, record) -> int | None:
        """Return the organisation that owns the item."""

    def title(self, record) -> str:
        """Return what the item is called in the queue."""
        return str(getattr(record, "title", "") or "")

    def text(self, record) -> str:
        """Return the item's words, as the moderator reads them."""
        return ""

    def link(self, record) -> str | None:
        """Return the path of the page the item lives on."""
        return None

    def close_process(self, record):
        """Return the process whose `moderate` transition closes the item (None: it can only be hidden)."""
        return None

    def get(self, record_id: int):
        """Return the item with this id, or None."""
        return db.session.get(self.model, record_id)


class KindSubject(Subject):
    """A searchable kind (offering, model, provider, case, need), as the registry of kinds describes it."""

    def __init__(self, kind: Kind):
        """Wrap a registered kind."""
        self.kind, self.name, self.label = kind, kind.name, kind.label

    @property
    def model(self):
        """The kind's model class."""
        return self.kind.model

    def owner_id(self, record) -> int | None:
        """The kind's owner (a listing's vendor, a need's SME, a case's center)."""
        return self.kind.owner_id(record)

    def title(self, record) -> str:
        """The record's title."""
        return str(record.title)

    def text(self, record) -> str:
        """The texts the record is searched by."""
        return "\n\n".join(p for p in self.kind.text_parts(record) if p)

    def link(self, record) -> str | None:
        """The record's detail page."""
        return path_for(self.kind.detail_endpoint, **{self.kind.detail_arg: record.id})

    def close_process(self, record):
        """The kind's own process."""
        return self.kind.close_process(record)


class ReviewSubject(Subject):
    """An SME's review of a vendor: owned by the reviewer."""

    name, label = "review", _l("Review")

    @property
    def model(self):
        """The Review model."""
        from marketplace.reviews.models import Review

        return Review

    def owner_id(self, record) -> int | None:
        """The reviewing SME."""
        return record.reviewer_id

    def title(self, record) -> str:
        """Whom the review is about."""
        return _("Review of %(vendor)s", vendor=record.vendor.name)

    def text(self, record) -> str:
        """The review's words."""
        return record.text

    def link(self, record) -> str | None:
        """The vendor's provider page (where reviews are listed)."""
        from marketplace.reviews.services import profile_link

        return profile_link(record.vendor_id)


class MessageSubject(Subject):
    """A message in a proposal's thread: owned by the sender."""

    name, label = "message", _l("Message")

    @property
    def model(self):
        """The Message model."""
        from marketplace.proposals.models import Message

        return Message

    def owner_id(self, record) -> int | None:
        """The sending organisation."""
        return record.sender_org_id

    def title(self, record) -> str:
        """The proposal thread it is in."""
        return _("Message about “%(need)s”", need=record.proposal.need.title)

    def text(self, record) -> str:
        """The message body."""
        return record.body

    def link(self, record) -> str | None:
        """The proposal's thread."""
        return path_for("proposals.messages", proposal_id=record.proposal_id)


def subjects() -> dict[str, Subject]:
    """Return every reportable subject by name: the registered kinds, then reviews and messages."""
    found: dict[str, Subject] = {k.name: KindSubject(k) for k in all_kinds()}
    found.update(review=ReviewSubject(), message=MessageSubject())
    return found


def get_subject(name: str) -> Subject:
    """Return a subject by name (KeyError if none)."""
    return subjects()[name]


def subject_of(record) -> Subject:
    """Return the subject of a record (TypeError if it cannot be reported)."""
    for subject in subjects().values():
        if type(record) is subject.model:
            return subject
    raise TypeError(f"{type(record).__name__} cannot be reported")


def owner_of(subject: Subject, record):
    """Return the organisation that owns an item, or None."""
    from marketplace.accounts.models import Organisation

    owner = subject.owner_id(record)
    return db.session.get(Organisation, owner) if owner is not None else None


def owner_city(subject: Subject, record) -> str | None:
    """Return the city of the organisation that owns an item (its moderators' region)."""
    owner = owner_of(subject, record)
    return owner.city if owner is not None else None
