"""The app's replica of the search index: built from the database, kept in step with commits.

One `MatchingEngine` per app (in `app.extensions["matching"]`). It loads the saved index on first use
and checks it against the database (ids and per-document change stamps): a missing, foreign or corrupt
index is rebuilt, a stale one catches up document by document — either way the fact is logged. After
every database commit that touched an indexed record, the changed documents are re-encoded and applied
(small batches at once, large ones on a background thread), then the index is saved atomically; another
worker notices the newer saved version before its next search and reloads.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from embeddings import HybridIndex, load_encoder
from embeddings.fsio import atomic_write_json
from marketplace import vocab
from marketplace.accounts.models import Organisation
from marketplace.catalog.models import ProviderProfile
from marketplace.matching.documents import (KINDS, current_stamps, doc_id, document_for, indexed_records,
                                            is_indexed, kind_of, parse_doc_id)

log = logging.getLogger("marketplace.matching")
STAMPS_FILE = "app_stamps.json"
CHANGES_KEY = "matching_changes"


def scenario_descriptions() -> dict[str, str]:
    """Describe each taxonomy scenario to the encoder: its names, its category and its description."""
    out = {}
    for s in vocab.SCENARIOS:
        category = vocab.lookup(vocab.SCENARIO_CATEGORIES, s.parent)
        out[s.code] = f"{s.zh} {s.en}。{category.zh if category else ''}：{s.description}"
    return out


class MatchingEngine:
    """Owns the HybridIndex replica of one app and keeps it true to the database."""

    def __init__(self, app: Flask):
        """Remember the app's settings; nothing is loaded until first use."""
        self.app = app
        self.directory = Path(app.config["MATCHING_INDEX_DIR"] or Path(app.instance_path) / "index")
        self.backend = app.config["MATCHING_BACKEND"]
        self.model_path = app.config["MATCHING_MODEL_PATH"] or None
        self.sync_limit = int(app.config["MATCHING_SYNC_LIMIT"])
        self.reload_interval = float(app.config["MATCHING_RELOAD_INTERVAL"])
        self._index: HybridIndex | None = None
        self._stamps: dict[str, str] = {}
        self._lock = threading.RLock()
        self._last_reload_check = 0.0
        self._workers: list[threading.Thread] = []
        self.save_delay = float(app.config["MATCHING_SAVE_DELAY"])
        self._save_timer: threading.Timer | None = None

    # ---- lifecycle ---------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """Tell whether the index has been loaded or built in this process."""
        return self._index is not None

    def index(self) -> HybridIndex:
        """Return the index, loading, verifying or rebuilding it on first use; reload if a newer one was saved."""
        if self._index is not None:
            self._maybe_reload()
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._start()
        return self._index

    def _new_index(self) -> HybridIndex:
        """Create an empty index with the configured encoder and the scenario taxonomy."""
        threads = self.app.config.get("MATCHING_THREADS")
        encoder = load_encoder(self.backend, self.model_path, threads=int(threads) if threads else None)
        return HybridIndex(encoder, self.directory, scenarios=scenario_descriptions(),
                           vector_options={"hnsw_threshold": int(self.app.config["MATCHING_HNSW_THRESHOLD"])})

    def _start(self) -> None:
        """Load the saved index and reconcile it with the database, or rebuild it."""
        index = self._new_index()
        with self.app.app_context():
            session = Session(bind=self._engine())
            try:
                wanted = current_stamps(session)
                if index.load_if_valid() and self._load_stamps():
                    self._index = index
                    changed = self._catch_up(session, wanted)
                    if changed:
                        log.warning("search index was stale: %d documents brought up to date", changed)
                    else:
                        log.info("search index loaded: %d documents, version %d", len(index), index.version)
                else:
                    log.warning("search index missing, foreign or damaged in %s: rebuilding", self.directory)
                    self._index = index
                    self._rebuild(session)
            finally:
                session.close()

    def _engine(self):
        """Return the SQLAlchemy engine of the app's database."""
        from marketplace.extensions import db

        return db.engine

    def _load_stamps(self) -> bool:
        """Read the per-document stamps saved with the index; False if absent or unreadable."""
        try:
            with open(self.directory / STAMPS_FILE, encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("version") != self._index_version_on_disk():
                return False
            self._stamps = dict(data["stamps"])
            return True
        except (OSError, ValueError, KeyError, AttributeError):
            return False

    def _index_version_on_disk(self) -> int:
        """Return the version of the saved index files."""
        manifest = self.directory / "manifest.json"
        try:
            return int(json.loads(manifest.read_text(encoding="utf-8"))["version"])
        except (OSError, ValueError, KeyError):
            return 0

    def _rebuild(self, session: Session, progress=None) -> int:
        """Index every record from scratch and save; returns the document count."""
        docs = [document_for(r) for r in indexed_records(session)]
        index = self._new_index()
        index.upsert_many([(d.doc_id, d.text, d.scenario) for d in docs], progress=progress)
        with self._lock:
            self._index = index
            self._stamps = {d.doc_id: d.stamp for d in docs}
            self._save_now()
        return len(docs)

    def rebuild(self, progress=None) -> int:
        """Rebuild the whole index from the database (the `flask reindex` command)."""
        with self.app.app_context():
            session = Session(bind=self._engine())
            try:
                return self._rebuild(session, progress)
            finally:
                session.close()

    def _catch_up(self, session: Session, wanted: dict[str, str]) -> int:
        """Apply the differences between the database and the index's stamps; returns how many changed."""
        stale = [d for d, stamp in wanted.items() if self._stamps.get(d) != stamp]
        gone = [d for d in self._stamps if d not in wanted]
        index_ids = set(self._index.ids())
        stale += [d for d in wanted if d not in index_ids and d not in stale]
        gone += [d for d in index_ids if d not in wanted and d not in gone]
        if stale or gone:
            self._apply(session, stale, gone)
        return len(stale) + len(gone)

    def _maybe_reload(self) -> None:
        """Reload if another worker saved a newer version (checked at most once per interval)."""
        now = time.monotonic()
        if now - self._last_reload_check < self.reload_interval:
            return
        self._last_reload_check = now
        index = self._index
        if index is None or index.version_on_disk() <= index.version:
            return
        with self._lock:
            if index.version_on_disk() <= index.version:
                return
            if not (index.load_if_valid() and self._load_stamps()):
                log.warning("saved search index is not usable: rebuilding")
                self._index = None
                return
            log.info("search index reloaded at version %d", index.version)
            with self.app.app_context():
                session = Session(bind=self._engine())
                try:
                    self._catch_up(session, current_stamps(session))
                finally:
                    session.close()

    # ---- applying changes --------------------------------------------------------------------

    def _apply(self, session: Session, upserts: list[str], removals: list[str]) -> None:
        """Re-encode and upsert some documents and remove others, then save."""
        docs = []
        for value in upserts:
            kind, pk = parse_doc_id(value)
            if kind == "org":
                profile = session.scalar(select(ProviderProfile).where(ProviderProfile.organisation_id == pk))
                if profile is None:
                    continue
                kind, pk, value = "provider", profile.id, doc_id("provider", profile.id)
            record = session.get(KINDS[kind], pk)
            if record is not None and is_indexed(record):
                docs.append(document_for(record))
            else:
                removals.append(value)
        with self._lock:
            if docs:
                self._index.upsert_many([(d.doc_id, d.text, d.scenario) for d in docs])
                self._stamps.update({d.doc_id: d.stamp for d in docs})
            for value in set(removals):
                self._index.remove(value)
                self._stamps.pop(value, None)
            self._save()

    def _save(self) -> None:
        """Save now, or (with MATCHING_SAVE_DELAY > 0) soon, coalescing the saves of a burst of edits."""
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
            if self._index is None:
                return
            version = self._index.save()
            atomic_write_json(self.directory / STAMPS_FILE, {"version": version, "stamps": dict(self._stamps)})

    def flush(self) -> None:
        """Write a pending delayed save at once (shutdown, CLI, tests)."""
        timer = self._save_timer
        if timer is not None:
            timer.cancel()
            self._save_now()

    def apply_changes(self, doc_ids: set[str]) -> None:
        """Bring the given documents up to date after a commit (in the background for large batches)."""
        if not doc_ids or self._index is None:
            return

        def work():
            with self.app.app_context():
                session = Session(bind=self._engine())
                try:
                    self._apply(session, sorted(doc_ids), [])
                except Exception:  # the index is derived data: log, and the next start catches up
                    log.exception("could not update the search index for %d documents", len(doc_ids))
                finally:
                    session.close()

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


def install(app: Flask) -> None:
    """Create the app's engine and hook index maintenance onto database commits."""
    from flask_sqlalchemy.session import Session as FlaskSession

    engine = MatchingEngine(app)
    app.extensions["matching"] = engine
    if app.config.get("MATCHING_WARM_ON_START"):
        warmed = threading.Event()

        @app.before_request
        def _warm_index():
            """On the first request, load or rebuild the index in the background."""
            if not warmed.is_set():
                warmed.set()
                threading.Thread(target=engine.index, name="index-warmup", daemon=True).start()
    if getattr(install, "_hooked", False):
        return
    install._hooked = True

    @event.listens_for(FlaskSession, "after_flush")
    def _after_flush(session, flush_context):
        collect_changes(session, flush_context)

    @event.listens_for(FlaskSession, "after_commit")
    def _after_commit(session):
        changes = session.info.pop(CHANGES_KEY, None)
        if changes:
            from flask import current_app

            matching = current_app.extensions.get("matching") if current_app else None
            if matching is not None:
                matching.apply_changes(changes)

    @event.listens_for(FlaskSession, "after_rollback")
    def _after_rollback(session):
        session.info.pop(CHANGES_KEY, None)
