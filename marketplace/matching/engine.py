"""The app's search index: built from the database outside requests, kept in step with commits.

One `MatchingEngine` per app (in `app.extensions["matching"]`), on one of two stores (MATCHING_STORE):

- `postgres`: the documents are rows of the app's PostgreSQL (pgvector + tsvector, `embeddings.pgbackend`).
  A web worker holds no index: it opens the tables and searches; an edit is visible to every worker once the
  transaction that writes its row commits; nothing is saved or reloaded. `flask reindex` (or the job worker)
  writes the rows, re-encoding only texts whose vectors are not stored yet (`matching.vectors`).
- `embedded` (the default): a replica in each process's memory, saved as files, as described below.

A web request only ever *loads* the saved
index and checks it against the database (ids and per-document change stamps), catching up at most
`MATCHING_CATCH_UP_LIMIT` changed documents. When the saved index is missing, foreign, damaged or further
behind than that, the request raises `IndexNotReady` (search pages answer "being built", status 503) and
one background thread per process builds it; a file lock in the index folder lets one process build at a
time while the others wait and then load its result. `flask reindex` builds the same way from the shell.

After every database commit that touched an indexed record, the changed documents are re-encoded and
applied (small batches at once, large ones on a background thread), then the index is saved atomically;
another worker notices the newer saved version before its next search and reloads. Documents are read
from the database first and the transaction is ended before anything is encoded.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar, cast

import numpy as np
from flask import Flask
from sqlalchemy.orm import Session

from embeddings import HybridIndex, ScenarioModel, load_encoder
from embeddings.backend import StoredDocument
from embeddings.defaults import DEFAULT_OPTIONS
from embeddings.encoder import Encoder, canonical_backend
from embeddings.fsio import atomic_write, exclusive_lock
from embeddings.hybrid import AUX_FOR, load_aux_encoder
from embeddings.pgbackend import PostgresBackend
from embeddings.scenarios import vectors_key
from embeddings.text import tokenize
from marketplace import vocab
from marketplace.matching.documents import current_stamps, document_for, indexed_records
from marketplace.matching.models import StoredVector  # noqa: F401  (the table belongs to this feature)
from marketplace.matching.sync import CHANGES_KEY, STAMPS_FILE, ChangeSync, collect_changes  # noqa: F401
from marketplace.matching.vectors import content_hash, vectors_for
from marketplace.vocab import scenario_descriptions

log = logging.getLogger("marketplace.matching")
BATCH = 256
"""Documents written to the database index per transaction by `flask reindex`."""
BUILD_LOCK = "build.lock"
RETRY_FAILED_BUILD_SECONDS = 30.0
T = TypeVar("T")
_SCENARIO_VECTORS: weakref.WeakKeyDictionary[Encoder, dict[str, np.ndarray]] = weakref.WeakKeyDictionary()
"""Scenario vectors this process has encoded or read, per encoder object (`load_encoder` shares one per process)
and vectors key: an app opened on a new store in the same process (tests, the CLI) does not encode them again."""


class IndexNotReady(Exception):
    """The search index is being built outside requests; search answers "try again soon" until it is ready."""


def vocabulary_stamp() -> str:
    """Fingerprint the vocabulary an index is built from: the industry and scenario names every document carries
    and the scenario descriptions the classifier encodes. A saved index with another stamp is rebuilt."""
    names = {"industries": [(t.code, t.zh) for t in vocab.INDUSTRIES], "scenarios": scenario_descriptions()}
    return hashlib.sha256(json.dumps(names, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]


class MatchingEngine(ChangeSync):
    """Owns the HybridIndex replica of one app and keeps it true to the database."""

    def __init__(self, app: Flask):
        """Remember the app's settings; nothing is loaded until first use."""
        self.app = app
        self.directory = Path(app.config["MATCHING_INDEX_DIR"] or Path(app.instance_path) / "index")
        self.backend = app.config["MATCHING_BACKEND"]
        self.store = app.config.get("MATCHING_STORE") or "embedded"
        if self.store not in ("embedded", "postgres"):
            raise ValueError(f"MATCHING_STORE must be embedded or postgres, not {self.store!r}")
        self.model_path = app.config["MATCHING_MODEL_PATH"] or None
        self.sync_limit = int(app.config["MATCHING_SYNC_LIMIT"])
        self.catch_up_limit = int(app.config["MATCHING_CATCH_UP_LIMIT"])
        self.build_wait = float(app.config["MATCHING_BUILD_WAIT"])
        self.reload_interval = float(app.config["MATCHING_RELOAD_INTERVAL"])
        self.save_delay = float(app.config["MATCHING_SAVE_DELAY"])
        self._index: HybridIndex | None = None
        self._stamps: dict[str, str] = {}
        self._pending: set[str] = set()
        self._lock = threading.RLock()
        self._apply_lock = threading.Lock()
        self._last_reload_check = 0.0
        self._unusable_version = 0
        self._workers: list[threading.Thread] = []
        self._save_timer: threading.Timer | None = None
        self._builder: threading.Thread | None = None
        self._builder_guard = threading.Lock()
        self._build_failed_at: float | None = None
        self._scenarios: ScenarioModel | None = None
        self.vocabulary = vocabulary_stamp()

    # ---- serving -----------------------------------------------------------------------------

    @property
    def persistent(self) -> bool:
        """Tell whether the index lives in the database (nothing to build, save or reload in this process)."""
        return self.store == "postgres"

    @property
    def ready(self) -> bool:
        """Tell whether the index has been loaded or built in this process (a database index always is)."""
        return self._index is not None or self.persistent

    @property
    def building(self) -> bool:
        """Tell whether this process's background builder is running (or waiting for another process's)."""
        builder = self._builder
        return builder is not None and builder.is_alive()

    def index(self) -> HybridIndex:
        """Return the index to search: loaded, or caught up with a few changed documents; never built here.

        Raises IndexNotReady when the saved index is missing, foreign, damaged or too stale; then one
        background thread builds it (after waiting up to MATCHING_BUILD_WAIT seconds for it, if set).
        """
        if self._index is not None:
            self._maybe_reload()
            return self._index
        if self.persistent:
            return self._open_tables()
        if not self.building:
            with self._lock:
                if self._index is None and not self.building:
                    try:
                        self._open(limit=self.catch_up_limit)
                    except IndexNotReady as exc:
                        self._start_builder(str(exc))
            self._drain_pending()
        if self._index is None and self.build_wait > 0:
            self.wait_until_ready(self.build_wait)
        if self._index is None:
            raise IndexNotReady("the search index is being built")
        return self._index

    def _open_tables(self) -> HybridIndex:
        """Serve the database index (IndexNotReady until `flask reindex` has created its tables)."""
        with self._lock:
            if self._index is None:
                index = self._new_index()
                if not cast(PostgresBackend, index.backend).schema_ready():
                    raise IndexNotReady("the search tables are missing: run `flask reindex`")
                self._index = index
            return self._index

    def apply_changes(self, doc_ids: set[str]) -> None:
        """Bring the given documents up to date after a commit (the database index is opened first if need be)."""
        if self.persistent and self._index is None and doc_ids:
            try:
                self._open_tables()
            except IndexNotReady as exc:  # `flask reindex` creates the tables and writes every document
                log.warning("search index not updated for %d documents: %s", len(doc_ids), exc)
                return
        super().apply_changes(doc_ids)

    def warm(self) -> None:
        """Load the index and run one query through the encoder and the scenario model, or start building it.

        Never fails. A served worker calls it before its first request (`marketplace.wsgi`), so the first
        search is as fast as the tenth: the model's first inference and the scenario vectors cost seconds.
        """
        try:
            index = self.index()
            index.search("设备预测性维护 warm-up", k=1, analysis=index.analyse("设备预测性维护 warm-up"))
        except IndexNotReady:
            pass
        except Exception:  # the index is derived data: log; searches will say it is being built
            log.exception("could not load the search index")

    def wait_until_ready(self, timeout: float | None = None) -> bool:
        """Wait for the background builder, if any; True once the index is ready in this process."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)
        return self._index is not None

    # ---- building, outside requests -------------------------------------------------------------

    def _start_builder(self, reason: str) -> None:
        """Start this process's one background builder, unless it runs already or failed a moment ago."""
        with self._builder_guard:
            if self.building:
                return
            failed = self._build_failed_at
            if failed is not None and time.monotonic() - failed < RETRY_FAILED_BUILD_SECONDS:
                return
            log.warning("search index %s in %s: building it in the background", reason, self.directory)
            self._builder = threading.Thread(target=self._build_in_background, name="index-build", daemon=True)
            self._builder.start()

    def _build_in_background(self) -> None:
        """The builder thread: build or load under the file lock; failures are logged, never raised."""
        try:
            self.ensure_index()
            self._build_failed_at = None
        except Exception:
            self._build_failed_at = time.monotonic()
            log.exception("could not build the search index")

    def _build_lock(self):
        """The cross-process lock that lets one process at a time build or rebuild the index."""
        def waiting():
            log.info("another process is building the search index in %s: waiting for it", self.directory)
        return exclusive_lock(self.directory / BUILD_LOCK, on_wait=waiting)

    def ensure_index(self, progress: Callable[[int, int], None] | None = None) -> str:
        """Make the index usable, building it if need be (CLI, background builder, restore); says what it did.

        Under the build lock: load the saved index and catch up every change, or rebuild it when it is
        missing, foreign or damaged. A process that waited for another's build loads that build.
        """
        if self.persistent:
            return self._sync_tables(progress, verify=False)
        with self._build_lock():
            try:
                changed = self._open(limit=None)
                outcome = f"loaded, {changed} documents caught up" if changed else "loaded and verified"
            except IndexNotReady as exc:
                log.warning("search index %s in %s: rebuilding", exc, self.directory)
                self._install(*self._rebuild(progress))
                self._reconcile()
                outcome = "rebuilt"
            self._drain_pending()
        return outcome

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the whole index from the database under the build lock (`flask reindex`); returns the count.

        Stored vectors are reused: only texts never encoded in this encoder space go through the models.
        With the database index, rows whose text is unchanged are kept and the vector indexes are rebuilt."""
        if self.persistent:
            self._sync_tables(progress, verify=True)
            cast(PostgresBackend, self.index().backend).reindex()
            return len(self._read(current_stamps))
        with self._build_lock():
            index, stamps = self._rebuild(progress)
            self._install(index, stamps)
            self._reconcile()
            self._drain_pending()
        return len(stamps)

    def _rebuild(self, progress=None) -> tuple[HybridIndex, dict[str, str]]:
        """Put every indexed record into a new index (stored vectors reused); the database is read first."""
        with self._lock:
            self._pending.clear()  # the snapshot read next includes every commit made so far
        docs = self._read(lambda session: [document_for(r) for r in indexed_records(session)])
        index = self._new_index()
        index.upsert_documents(self._encoded(index, docs, progress))
        return index, {d.doc_id: d.stamp for d in docs}

    def _sync_tables(self, progress=None, verify: bool = False) -> str:
        """Bring the database index in step with the records, batch by batch (each batch commits: resumable).

        Documents whose stamp differs are re-read and written (their vectors from the store when their text was
        encoded before); with `verify`, every document's text is compared by hash, not only its stamp.
        """
        index = self._new_index()
        backend = cast(PostgresBackend, index.backend)
        backend.ensure_schema()
        with self._lock:
            self._index = index
        wanted = self._read(current_stamps)
        stored = backend.stamps()
        stale = sorted(d for d, stamp in wanted.items() if verify or stored.get(d) != stamp)
        gone = sorted(set(stored) - set(wanted))
        if gone:
            backend.remove_many(gone)
        written = 0
        for start in range(0, len(stale), BATCH):
            batch = stale[start:start + BATCH]
            docs, removed = self._read(partial(self._documents, doc_ids=batch))
            if verify:
                hashes = backend.hashes([d.doc_id for d in docs])
                docs = [d for d in docs
                        if hashes.get(d.doc_id) != content_hash(d.text) or stored.get(d.doc_id) != d.stamp]
            index.upsert_documents(self._encoded(index, docs))
            backend.remove_many(removed)
            written += len(docs)
            if progress is not None:
                progress(min(start + BATCH, len(stale)), len(stale))
        return f"{written} documents written, {len(gone)} removed" if written or gone else "in step with the records"

    def batches(self, size: int = BATCH) -> list[list[str]]:
        """Every indexed document id, in batches (the job queue's units for encoding a whole catalogue)."""
        ids = sorted(self._read(current_stamps))
        return [ids[i:i + size] for i in range(0, len(ids), size)]

    def encode_batch(self, doc_ids: list[str], encoder_name: str | None = None) -> int:
        """Encode (or find stored) the vectors of some documents for an encoder space, and with the database
        index write their rows of that space; returns how many texts went through the models.

        The unit of work of `flask reindex --queue`: any number of job workers on any number of machines take
        batches, and what one stored the others reuse. For another encoder than the served one this prepares a
        switch: nothing served changes until MATCHING_BACKEND names it.
        """
        switching = encoder_name is not None and canonical_backend(encoder_name) != canonical_backend(self.backend)
        index = self._new_index(encoder_name) if switching or not self.persistent else self.index()
        docs, removed = self._read(partial(self._documents, doc_ids=doc_ids))
        if not docs:
            return 0
        vectors, aux, hashes, encoded = vectors_for(self._db_engine(), index, [d.text for d in docs])
        if self.persistent:
            backend = cast(PostgresBackend, index.backend)
            backend.ensure_schema()
            index.upsert_documents(index.documents(
                [(d.doc_id, d.text, d.scenario) for d in docs], vectors, aux,
                stamps={d.doc_id: d.stamp for d in docs},
                hashes={d.doc_id: h for d, h in zip(docs, hashes, strict=True)}))
            backend.remove_many(removed)
        return encoded

    def _encoded(self, index: HybridIndex, docs, progress=None) -> list[StoredDocument]:
        """Documents ready for the backend: vectors from the store, encoding only texts never encoded."""
        if not docs:
            return []
        vectors, aux, hashes, _ = vectors_for(self._db_engine(), index, [d.text for d in docs], progress)
        return index.documents([(d.doc_id, d.text, d.scenario) for d in docs], vectors, aux,
                               stamps={d.doc_id: d.stamp for d in docs},
                               hashes={d.doc_id: h for d, h in zip(docs, hashes, strict=True)})

    def _install(self, index: HybridIndex, stamps: dict[str, str]) -> None:
        """Serve a freshly built index and save it."""
        with self._lock:
            self._index, self._stamps = index, dict(stamps)
            self._save_now()

    def _drain_pending(self) -> None:
        """Apply the commits of this process that arrived while no index was served (never under the lock)."""
        with self._lock:
            if self._index is None:
                return
            pending, self._pending = self._pending, set()
        self.apply_changes(pending)

    def _reconcile(self) -> None:
        """After a build, catch up with whatever other processes committed while it was encoding."""
        with self._apply_lock:
            index = self._index
            if index is None:  # called after `_install`, so an index is served
                return
            stale, gone = self._differences(index, self._stamps, self._read(current_stamps))
            if stale or gone:
                self._apply_to(index, self._stamps, stale, gone)
                self._save_now()

    # ---- loading and catching up --------------------------------------------------------------

    def _new_index(self, encoder_name: str | None = None) -> HybridIndex:
        """Create an index with the configured encoder (or another, to prepare a switch), store and taxonomy."""
        other = encoder_name is not None and canonical_backend(encoder_name) != canonical_backend(self.backend)
        encoder, aux = self._encoders(encoder_name if other else None)
        backend = None
        if self.persistent:
            backend = PostgresBackend(self._db_engine(), encoder.info(), aux.info() if aux is not None else None)
        if other:
            scenarios = self.scenario_model(encoder, backend)
        elif self._scenarios is None:
            self._scenarios = scenarios = self.scenario_model(encoder, backend)
        else:
            scenarios = self._scenarios
        return HybridIndex(encoder, None if self.persistent else self.directory, scenarios=scenarios,
                           aux_encoder=aux, backend=backend,
                           vector_options={"hnsw_threshold": int(self.app.config["MATCHING_HNSW_THRESHOLD"])})

    def _encoders(self, encoder_name: str | None = None) -> tuple[Encoder, Encoder | None]:
        """The configured encoder (or another one, by name, to prepare a switch) and the auxiliary encoder that goes
        with it, loaded once per process."""
        threads = self.app.config.get("MATCHING_THREADS")
        encoder = load_encoder(encoder_name or self.backend, None if encoder_name else self.model_path,
                               threads=int(threads) if threads else None)
        aux = load_aux_encoder() if DEFAULT_OPTIONS.aux_weight > 0 and encoder.backend in AUX_FOR else None
        return encoder, aux

    def scenario_model(self, encoder: Encoder, backend: PostgresBackend | None = None) -> ScenarioModel:
        """The taxonomy's scenario model, its description vectors read where an earlier process kept them (the
        database store's table, else a file in the index folder), else taken from this process's memory of them,
        else encoded; kept in the store whenever it did not have them. Encoding them costs seconds per process; a
        web worker reads them in milliseconds."""
        descriptions = scenario_descriptions()
        key = vectors_key(descriptions, encoder)
        kept = self._kept_scenario_vectors(key, backend)
        seen = _SCENARIO_VECTORS.setdefault(encoder, {})
        model = ScenarioModel(descriptions, encoder, vectors=kept if kept is not None else seen.get(key))
        seen[key] = model.vectors
        if kept is None:
            try:
                if backend is not None:
                    backend.keep_scenario_vectors(key, model.vectors)
                else:
                    buffer = io.BytesIO()
                    np.save(buffer, model.vectors, allow_pickle=False)
                    self.directory.mkdir(parents=True, exist_ok=True)
                    atomic_write(self._scenario_vectors_path(key), [buffer.getvalue()])
            except Exception:  # derived data: the next process encodes them again
                log.warning("scenario vectors could not be kept", exc_info=True)
        return model

    def _scenario_vectors_path(self, key: str) -> Path:
        """Where the embedded store keeps the scenario vectors of one encoder."""
        return self.directory / f"scenario-vectors-{key}.npy"

    def _kept_scenario_vectors(self, key: str, backend: PostgresBackend | None) -> np.ndarray | None:
        """The kept scenario vectors under `key`, or None (none kept, or unreadable: they are derived data)."""
        try:
            if backend is not None:
                return backend.kept_scenario_vectors(key)
            path = self._scenario_vectors_path(key)
            return np.load(path, allow_pickle=False) if path.is_file() else None
        except Exception:
            log.warning("kept scenario vectors could not be read; encoding them", exc_info=True)
            return None

    def prepare(self) -> None:
        """Load what the web workers of one server can share, and run no model: the encoders, the tokenizer's
        dictionary and the kept scenario vectors. gunicorn's master calls it before it forks the workers
        (`gunicorn.conf.py`), so they start with these in memory shared page by page; each worker then warms up
        on its own (`warm`), since a model's thread pool does not survive a fork. Never fails."""
        try:
            encoder, _ = self._encoders()
            tokenize("预热")
            backend = (PostgresBackend(self._db_engine(), encoder.info()) if self.persistent else None)
            kept = self._kept_scenario_vectors(vectors_key(scenario_descriptions(), encoder), backend)
            if kept is not None and self._scenarios is None:
                self._scenarios = ScenarioModel(scenario_descriptions(), encoder, vectors=kept)
        except Exception:
            log.exception("could not prepare the search encoders")

    def _db_engine(self):
        """The app's SQLAlchemy engine, reachable outside an app context."""
        with self.app.app_context():
            return self._engine()

    def _read(self, fn: Callable[[Session], T]) -> T:
        """Run a read on a short-lived session of its own; the transaction ends before this returns."""
        with self.app.app_context():
            session = Session(bind=self._engine())
            try:
                return fn(session)
            finally:
                session.close()

    def _engine(self):
        """Return the SQLAlchemy engine of the app's database."""
        from marketplace.extensions import db

        return db.engine

    def _open(self, limit: int | None) -> int:
        """Load the saved index, catch it up with the database and serve it; returns how many documents changed.

        Raises IndexNotReady if the saved index is missing, foreign or damaged, or more than `limit`
        documents are out of date (None: no limit). Nothing is built here.
        """
        index = self._new_index()
        if not index.load_if_valid():
            raise IndexNotReady("missing, foreign or damaged")
        stamps = self._saved_stamps(index.version)
        if stamps is None:
            raise IndexNotReady("missing its change stamps")
        wanted = self._read(current_stamps)
        stale, gone = self._differences(index, stamps, wanted)
        changed = len(stale) + len(gone)
        if limit is not None and changed > limit:
            raise IndexNotReady(f"{changed} documents behind the database (catch-up limit {limit})")
        if changed:
            self._apply_to(index, stamps, stale, gone)
            log.warning("search index was stale: %d documents brought up to date", changed)
        else:
            log.info("search index loaded: %d documents, version %d", len(index), index.version)
        with self._lock:
            self._index, self._stamps = index, stamps
            if changed:
                self._save()
        return changed

    def _saved_stamps(self, version: int) -> dict[str, str] | None:
        """Read the per-document stamps saved with index `version`; None if absent, unreadable, another's, or
        saved under another vocabulary (renamed scenarios change every document's text and scenario code)."""
        try:
            with open(self.directory / STAMPS_FILE, encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("version") != version or data.get("vocabulary") != self.vocabulary:
                return None
            return dict(data["stamps"])
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            return None

    @staticmethod
    def _differences(index: HybridIndex, stamps: dict[str, str], wanted: dict[str, str]) -> tuple[list, list]:
        """Return (documents to re-encode, documents to remove) to make the index match the database."""
        index_ids = set(index.ids())
        stale = sorted(d for d, stamp in wanted.items() if stamps.get(d) != stamp or d not in index_ids)
        gone = sorted((set(stamps) | index_ids) - set(wanted))
        return stale, gone

    def _maybe_reload(self) -> None:
        """Reload if another worker saved a newer version (checked at most once per interval)."""
        if self.persistent:
            return
        now = time.monotonic()
        if now - self._last_reload_check < self.reload_interval:
            return
        self._last_reload_check = now
        index = self._index
        on_disk = index.version_on_disk() if index is not None else 0
        if index is None or on_disk <= index.version or on_disk == self._unusable_version:
            return
        with self._lock:
            if self._index is not index or index.version_on_disk() <= index.version:
                return
            try:
                self._open(limit=self.catch_up_limit)
                log.info("search index reloaded at version %d", self._index.version)
            except IndexNotReady as exc:
                self._unusable_version = on_disk
                log.warning("saved search index version %d is %s: keeping version %d", on_disk, exc,
                            index.version)


def install(app: Flask) -> None:
    """Create the app's engine (index maintenance after commits is installed by `marketplace.commit_effects`)."""
    engine = MatchingEngine(app)
    app.extensions["matching"] = engine
    if app.config.get("MATCHING_WARM_ON_START"):
        warmed = threading.Event()

        @app.before_request
        def _warm_index():
            """On the first request, load the index (or start building it) in the background."""
            if not warmed.is_set():
                warmed.set()
                threading.Thread(target=engine.warm, name="index-warmup", daemon=True).start()
