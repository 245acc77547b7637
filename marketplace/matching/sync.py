"""Keeping the index replica in step with commits: which documents a transaction touched, and applying them.

`collect_changes` notes, after each flush, the documents of indexed records (and of vendors, whose name
is part of their provider profile's text) that the transaction wrote; `write_index_event` writes them as
one `index` outbox event in the same transaction, just before it commits. A worker then has the app's
engine re-read those documents, encode them outside any transaction and apply them to the served index,
then save it (at once, or after MATCHING_SAVE_DELAY to coalesce a burst of edits). `ChangeSync` is the
half of `MatchingEngine` that does this; `marketplace/commit_effects.py` attaches the functions here to
the session events.
"""
from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from embeddings import HybridIndex
from embeddings.backend import StoredDocument
from embeddings.fsio import atomic_write_json
from marketplace.accounts.models import Organisation
from marketplace.catalog.models import ProviderProfile
from marketplace.matching.documents import (
    Document,
    doc_id,
    document_for,
    is_indexed,
    kind_of,
    parse_doc_id,
    records_by_id,
)

log = logging.getLogger("marketplace.matching")
STAMPS_FILE = "app_stamps.json"
CHANGES_KEY = "matching_changes"
T = TypeVar("T")


class ChangeSync(ABC):
    """Applies committed changes to the served index and saves it (mixed into `MatchingEngine`)."""

    # Set by `MatchingEngine.__init__`.
    directory: Path
    save_delay: float
    sync_limit: int
    _index: HybridIndex | None
    _stamps: dict[str, str]
    _pending: set[str]
    _lock: threading.RLock
    _apply_lock: threading.Lock
    _workers: list[threading.Thread]
    _save_timer: threading.Timer | None
    vocabulary: str

    @property
    @abstractmethod
    def persistent(self) -> bool:
        """Tell whether the index lives in the database (`MatchingEngine.persistent`)."""

    @abstractmethod
    def _read(self, fn: Callable[[Session], T]) -> T:
        """Run a read on a short-lived session of its own (`MatchingEngine._read`)."""

    @abstractmethod
    def _encoded(self, index: HybridIndex, docs: list[Document], progress=None) -> list[StoredDocument]:
        """Documents with their vectors, stored ones reused (`MatchingEngine._encoded`)."""

    def _documents(self, session: Session, doc_ids: list[str]) -> tuple[list[Document], list[str]]:
        """Read the current documents for some ids, one query per kind; those no longer indexed come back as
        removals."""
        wanted: dict[str, dict[int, str]] = {}
        vendors = [pk for kind, pk in map(parse_doc_id, doc_ids) if kind == "org"]
        if vendors:
            for profile_id in session.scalars(select(ProviderProfile.id).where(
                    ProviderProfile.organisation_id.in_(vendors))):
                wanted.setdefault("provider", {})[profile_id] = doc_id("provider", profile_id)
        for value in doc_ids:
            kind, pk = parse_doc_id(value)
            if kind != "org":
                wanted.setdefault(kind, {})[pk] = value
        docs, removals = [], []
        for kind, by_pk in wanted.items():
            found = {r.id: r for r in records_by_id(session, kind, sorted(by_pk))}
            for pk, value in by_pk.items():
                record = found.get(pk)
                if record is not None and is_indexed(record):
                    docs.append(document_for(record))
                else:
                    removals.append(value)
        return docs, removals

    def _apply_to(self, index: HybridIndex, stamps: dict[str, str], upserts: list[str],
                  removals: list[str]) -> None:
        """Re-encode and upsert some documents of an index and remove others (read, release, then encode)."""
        docs, gone = self._read(lambda session: self._documents(session, upserts))
        encoded = self._encoded(index, docs)
        with self._lock:
            if encoded:
                index.upsert_documents(encoded)
                stamps.update({d.doc_id: d.stamp for d in docs})
            doomed = sorted(set(removals) | set(gone))
            if doomed:
                index.backend.remove_many(doomed)
            for value in doomed:
                stamps.pop(value, None)

    def _apply(self, upserts: list[str]) -> None:
        """Bring some documents of the served index up to date, then save."""
        with self._lock:
            index, stamps = self._index, self._stamps
        if index is None:
            return
        self._apply_to(index, stamps, upserts, [])
        self._save()

    def _save(self) -> None:
        """Save now, or (with MATCHING_SAVE_DELAY > 0) soon, coalescing the saves of a burst of edits."""
        if self.persistent:
            return
        if self.save_delay <= 0:
            self._save_now()
            return
        with self._lock:
            if self._save_timer is None:
                self._save_timer = threading.Timer(self.save_delay, self._save_now)
                self._save_timer.daemon = True
                self._save_timer.start()

    def _save_now(self) -> None:
        """Save the index and, beside it, the stamps of the documents it holds."""
        with self._lock:
            self._save_timer = None
            if self._index is None or self.persistent:
                return
            version = self._index.save()
            atomic_write_json(self.directory / STAMPS_FILE, {"version": version, "vocabulary": self.vocabulary,
                                                             "stamps": dict(self._stamps)})

    def flush(self) -> None:
        """Write a pending delayed save at once (shutdown, CLI, tests)."""
        timer = self._save_timer
        if timer is not None:
            timer.cancel()
            self._save_now()

    def apply_changes(self, doc_ids: set[str]) -> None:
        """Bring the given documents up to date after a commit (in the background for large batches)."""
        if not doc_ids:
            return
        with self._lock:
            if self._index is None:
                self._pending |= set(doc_ids)
                return

        def work():
            try:
                with self._apply_lock:
                    self._apply(sorted(doc_ids))
            except Exception:  # the index is derived data: log, and the next start catches up
                log.exception("could not update the search index for %d documents", len(doc_ids))

        if len(doc_ids) <= self.sync_limit:
            work()
        else:
            thread = threading.Thread(target=work, name="reindex", daemon=True)
            self._workers.append(thread)
            thread.start()

    def wait(self, timeout: float = 60) -> None:
        """Wait for background index updates to finish (tests, CLI)."""
        for thread in list(self._workers):
            thread.join(timeout)
        self._workers = [t for t in self._workers if t.is_alive()]


def collect_changes(session: Session, flush_context) -> None:
    """After a flush, remember which indexed documents the transaction touched."""
    changes = session.info.setdefault(CHANGES_KEY, set())
    for record in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(record, Organisation):
            if record.id is not None and record.is_vendor:
                changes.add(f"org:{record.id}")
            continue
        try:
            kind = kind_of(record)
        except TypeError:
            continue
        if record.id is not None:
            changes.add(doc_id(kind, record.id))


def write_index_event(session: Session) -> None:
    """Before the commit, write the documents the transaction touched as one `index` outbox event in it (at the
    outermost commit: a savepoint's release is signalled as a commit too)."""
    from marketplace.jobs.outbox import write_event

    if session.in_nested_transaction():
        return
    session.flush()
    changes = session.info.pop(CHANGES_KEY, None)
    if changes:
        write_event(session, "index", {"doc_ids": sorted(changes)})


def forget_rolled_back(session: Session) -> None:
    """Forget the changes of a transaction that was rolled back."""
    session.info.pop(CHANGES_KEY, None)
