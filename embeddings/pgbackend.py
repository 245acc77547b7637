"""`PostgresBackend`: search documents as rows of PostgreSQL, with pgvector and a tsvector.

One row per document and encoder space in `search_document`: the id, its kind and record id (from ids of the
form "kind:123"), the primary scenario, the change stamp and content hash, the vector in a pgvector column
(and the auxiliary encoder's vector beside it), the jieba terms as a `tsvector` (segmented in Python; the
lexemes are the tokens themselves, so no text-search configuration is involved) and their counts as JSON.
`search_term` keeps each term's document frequency and `search_corpus` the document count and total length,
updated in the same transaction as the rows, so BM25 scores here are the embedded backend's scores.

Indexes: an HNSW index per encoder space on the vector cast to its dimension (cosine), the same for the
auxiliary vector, and a GIN index on the terms. A dense search orders by cosine distance with the filter in
the `WHERE` clause (pgvector's iterative index scans keep an HNSW search going until enough rows pass); a
lexical search finds candidates through the GIN index (terms in nearly every document are left out of the
candidate query when rarer ones exist; they still count in the score) and sums BM25 in SQL. Nothing is held
in the process: every worker sees an edit once its transaction commits.

The schema is derived data, like the embedded index's files: `ensure_schema()` creates it (the `vector`
extension must be installable).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    any_,
    bindparam,
    case,
    cast,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSQUERY, TSVECTOR, insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, Select

from .backend import Allowed, DocumentFacts, Ranking, SearchBackend, StoredDocument, bm25_idf
from .encoder import EncoderInfo

K1, B = 1.5, 0.75
COMMON_TERM_SHARE = 0.10
"""A term in more than this share of the documents (and more than COMMON_TERM_MIN of them) does not pick
candidates when the query has rarer terms: it would drag most of the table into the scoring."""
COMMON_TERM_MIN = 2000
EXACT_LEXICAL_DOCS = 2000
"""Up to this many documents every term picks candidates and every candidate is scored: BM25 exactly as the
embedded index scores it. Beyond it the query's own terms pick at most LEXICAL_CANDIDATES candidates (those
matching most of them), which keeps a lexical search bounded however common the expansion terms are."""
LEXICAL_CANDIDATES = 600
LEXICAL_PICK_ROWS = 4 * LEXICAL_CANDIDATES
"""Beyond EXACT_LEXICAL_DOCS the picking terms are taken rarest first while their document frequencies add up
to at most this (the rarest always picks): ranking the matches reads each matching row's terms, so a query of
common words (设备, 维护: tens of thousands of rows at province scale) would read a large part of the table
for candidates whose BM25 weight is small. Rare terms carry BM25; the dense lists carry meaning."""
EF_SEARCH = 400
EF_PER_RESULT = 1.0
"""A candidate list of k documents searches the graph max(EF_SEARCH, EF_PER_RESULT * k) wide (at most 1000)."""
SMALL_K, SMALL_EF_SEARCH = 20, 100
"""A lookup of at most SMALL_K documents (a query's nearest neighbours for its scenario estimate, the best few for
feedback) searches the graph with SMALL_EF_SEARCH instead of EF_SEARCH: the candidate lists need a wide search, a
handful of nearest documents does not (an iterative scan goes on anyway until enough pass a filter)."""
MAX_SCAN_TUPLES = 40000

metadata = MetaData()
documents = Table(
    "search_document", metadata,
    Column("space", String(200), primary_key=True),
    Column("doc_id", String(200), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("record_id", BigInteger, nullable=False),
    Column("scenario", String(40)),
    Column("stamp", String(64), nullable=False, server_default=""),
    Column("content_hash", String(64), nullable=False, server_default=""),
    Column("embedding", Vector(), nullable=False),
    Column("aux_embedding", Vector()),
    Column("terms", TSVECTOR, nullable=False),
    Column("term_counts", JSONB, nullable=False),
    Column("length", Integer, nullable=False),
)
terms_table = Table(
    "search_term", metadata,
    Column("space", String(200), primary_key=True),
    Column("term", Text, primary_key=True),
    Column("df", Integer, nullable=False),
)
corpus = Table(
    "search_corpus", metadata,
    Column("space", String(200), primary_key=True),
    Column("n_docs", BigInteger, nullable=False),
    Column("total_length", BigInteger, nullable=False),
)
SCENARIO_VECTORS_DDL = ("CREATE TABLE IF NOT EXISTS search_scenario_vectors (key varchar(64) PRIMARY KEY,"
                        " rows integer NOT NULL, dim integer NOT NULL, vectors bytea NOT NULL)")
"""The taxonomy's description vectors per encoder (`embeddings.scenarios.vectors_key`), kept so that a new web
worker reads them instead of encoding the descriptions again."""


def vector_literal(vector: npt.ArrayLike) -> str:
    """A vector in pgvector's text form."""
    arr = np.asarray(vector, dtype=np.float32).reshape(-1)
    return "[" + ",".join(format(float(x), ".8g") for x in arr) + "]"


def parse_vector(value: bytes | str | memoryview) -> npt.NDArray[np.float32]:
    """A vector from pgvector's binary form (`vector_send`) or its text form."""
    if isinstance(value, str):
        return np.asarray(json.loads(value), dtype=np.float32)
    raw = bytes(value)
    dim = int.from_bytes(raw[:2], "big")
    return np.frombuffer(raw[4:4 + 4 * dim], dtype=">f4").astype(np.float32)


def tsquery_of(terms: Iterable[str]) -> str:
    """An OR of exact lexemes in tsquery syntax (quoted, so no term is parsed or normalised)."""
    quoted = ["'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms]
    return " | ".join(quoted)


def rarest(terms: Sequence[str], df: Mapping[str, int], budget: int) -> list[str]:
    """The first of `terms` (rarest first) whose document frequencies add up to at most `budget`; at least one."""
    chosen: list[str] = []
    rows = 0
    for term in terms:
        if chosen and rows + df[term] > budget:
            break
        chosen.append(term)
        rows += df[term]
    return chosen


def _counter(counts: Mapping[str, Any] | None) -> Counter[str]:
    """Term counts as read from the JSON column (or its query-term part, NULL when the document has none)."""
    return Counter({t: int(c) for t, c in (counts or {}).items()})


def _doc_id_in(doc_ids: list[str]) -> ColumnElement[bool]:
    """`doc_id = ANY(:doc_ids)`: one array parameter where `IN (…)` would render, send and parse one parameter per
    document (a search's pool of 600 cost milliseconds of the web worker's CPU in SQL text alone)."""
    return documents.c.doc_id == any_(bindparam("doc_ids", doc_ids, type_=ARRAY(String)))


def split_doc_id(doc_id: str) -> tuple[str, int]:
    """(kind, record id) of an id like "offering:12" (("", 0) for any other id)."""
    kind, sep, pk = doc_id.partition(":")
    if sep and pk.isdigit() and len(pk) < 19:
        return kind, int(pk)
    return "", 0


@dataclass(frozen=True)
class RecordFilter:
    """A SQL filter on which documents a search may return: per kind, a select of admitted record ids."""

    clause: ColumnElement[bool]
    kinds: tuple[str, ...] = ()

    def kinds_only(self) -> RecordFilter:
        """The same kinds with no per-record condition: a plain column test in the index scan, where a select of
        ids would make PostgreSQL hash every admitted id of every kind first (100k at province scale) however
        few candidates the scan then reads. The caller checks the candidates' ids against the selects."""
        return RecordFilter(documents.c.kind.in_(self.kinds) if self.kinds else documents.c.doc_id.is_(None),
                            self.kinds)


class PostgresBackend(SearchBackend):
    """Documents as rows of PostgreSQL: pgvector HNSW for the dense lists, tsvector + GIN for BM25."""

    persistent = True
    concurrent = True

    def __init__(self, engine: Engine, identity: EncoderInfo, aux_identity: EncoderInfo | None = None,
                 ef_search: int = EF_SEARCH) -> None:
        super().__init__(identity, aux_identity)
        self.engine = engine
        self.dim = int(identity["dim"])
        self.aux_dim = int(aux_identity["dim"]) if aux_identity is not None else 0
        self.ef_search = int(ef_search)
        slug = hashlib.sha1(self.space.encode()).hexdigest()[:10]
        self._hnsw, self._aux_hnsw = f"search_document_hnsw_{slug}", f"search_document_aux_hnsw_{slug}"

    # ---- schema ------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the extension, tables and this space's indexes if they are missing (idempotent)."""
        space = self.space.replace("'", "''")
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('search_document schema'))"))
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
            conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))  # HNSW builds in memory
            conn.execute(text(
                "CREATE TABLE IF NOT EXISTS search_document ("
                " space varchar(200) NOT NULL, doc_id varchar(200) NOT NULL, kind varchar(40) NOT NULL,"
                " record_id bigint NOT NULL, scenario varchar(40), stamp varchar(64) NOT NULL DEFAULT '',"
                " content_hash varchar(64) NOT NULL DEFAULT '', embedding vector NOT NULL, aux_embedding vector,"
                " terms tsvector NOT NULL, term_counts jsonb NOT NULL, length integer NOT NULL,"
                " PRIMARY KEY (space, doc_id))"))
            conn.execute(text("CREATE INDEX IF NOT EXISTS search_document_kind ON search_document"
                              " (space, kind, record_id)"))
            conn.execute(text("CREATE INDEX IF NOT EXISTS search_document_terms ON search_document"
                              " USING gin (terms)"))
            conn.execute(text(
                f"CREATE INDEX IF NOT EXISTS {self._hnsw} ON search_document USING hnsw"
                f" ((embedding::vector({self.dim})) vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
                f" WHERE space = '{space}'"))
            if self.aux_dim:
                conn.execute(text(
                    f"CREATE INDEX IF NOT EXISTS {self._aux_hnsw} ON search_document USING hnsw"
                    f" ((aux_embedding::vector({self.aux_dim})) vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
                    f" WHERE space = '{space}'"))
            conn.execute(text("CREATE TABLE IF NOT EXISTS search_term (space varchar(200) NOT NULL,"
                              " term text NOT NULL, df integer NOT NULL, PRIMARY KEY (space, term))"))
            conn.execute(text("CREATE TABLE IF NOT EXISTS search_corpus (space varchar(200) PRIMARY KEY,"
                              " n_docs bigint NOT NULL, total_length bigint NOT NULL)"))
            conn.execute(text(SCENARIO_VECTORS_DDL))

    def schema_ready(self) -> bool:
        """Tell whether the tables and this space's vector index exist."""
        with self.engine.connect() as conn:
            found = conn.execute(text("SELECT to_regclass('search_document') IS NOT NULL"
                                      " AND to_regclass(:idx) IS NOT NULL"), {"idx": self._hnsw}).scalar()
        return bool(found)

    def drop_vector_indexes(self) -> None:
        """Drop this space's HNSW indexes (before a bulk load; `ensure_schema` builds them again from the rows)."""
        with self.engine.begin() as conn:
            conn.execute(text(f"DROP INDEX IF EXISTS {self._hnsw}"))
            conn.execute(text(f"DROP INDEX IF EXISTS {self._aux_hnsw}"))

    def reindex(self) -> None:
        """Rebuild this space's HNSW indexes from the stored vectors (no encoding)."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"REINDEX INDEX {self._hnsw}"))
            if self.aux_dim:
                conn.execute(text(f"REINDEX INDEX {self._aux_hnsw}"))

    def kept_scenario_vectors(self, key: str) -> npt.NDArray[np.float32] | None:
        """The scenario description vectors kept under `key`, or None."""
        with self.engine.connect() as conn:
            if not conn.execute(text("SELECT to_regclass('search_scenario_vectors') IS NOT NULL")).scalar():
                return None
            row = conn.execute(text("SELECT rows, dim, vectors FROM search_scenario_vectors WHERE key = :key"),
                               {"key": key}).first()
        if row is None or len(row[2]) != 4 * row[0] * row[1]:
            return None
        return np.frombuffer(bytes(row[2]), dtype="<f4").reshape(row[0], row[1]).astype(np.float32)

    def keep_scenario_vectors(self, key: str, vectors: npt.NDArray[np.float32]) -> None:
        """Keep scenario description vectors under `key` (the first writer wins; they are the same)."""
        arr = np.ascontiguousarray(vectors, dtype="<f4")
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('search_document schema'))"))
            conn.execute(text(SCENARIO_VECTORS_DDL))
            conn.execute(text("INSERT INTO search_scenario_vectors (key, rows, dim, vectors)"
                              " VALUES (:key, :rows, :dim, :vectors) ON CONFLICT (key) DO NOTHING"),
                         {"key": key, "rows": arr.shape[0], "dim": arr.shape[1], "vectors": arr.tobytes()})

    # ---- contents ----------------------------------------------------------------------------

    def __len__(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(documents)
                                    .where(documents.c.space == self.space)).scalar() or 0)

    def ids(self) -> list[str]:
        """The ids of every document of this space."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(documents.c.doc_id).where(documents.c.space == self.space)).scalars())

    def contains(self, doc_id: str) -> bool:
        """Tell whether a document is stored."""
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.doc_id).where(
                documents.c.space == self.space, documents.c.doc_id == doc_id)).first() is not None

    def stamps(self) -> dict[str, str]:
        """{doc id: stamp} of every stored document."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.doc_id, documents.c.stamp).where(documents.c.space == self.space))
            return {d: s for d, s in rows}

    def hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """{doc id: content hash} of stored documents."""
        if not doc_ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.doc_id, documents.c.content_hash).where(
                documents.c.space == self.space, documents.c.doc_id.in_(list(doc_ids))))
            return {d: h for d, h in rows}

    def _lock(self, conn: Connection) -> None:
        """Serialise writers of this space for the rest of the transaction (they update shared statistics)."""
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "search " + self.space})

    def _old_terms(self, conn: Connection, doc_ids: list[str]) -> dict[str, tuple[dict[str, int], int]]:
        """The stored term counts and lengths of documents about to be replaced or removed."""
        if not doc_ids:
            return {}
        rows = conn.execute(select(documents.c.doc_id, documents.c.term_counts, documents.c.length).where(
            documents.c.space == self.space, documents.c.doc_id.in_(doc_ids)))
        return {d: (dict(c), int(n)) for d, c, n in rows}

    def _apply_stats(self, conn: Connection, df: Counter[str], docs: int, length: int) -> None:
        """Add document-frequency, document-count and length changes to the statistics."""
        changed = {t: d for t, d in df.items() if d}
        if changed:
            stmt = insert(terms_table).values([{"space": self.space, "term": t, "df": d} for t, d in changed.items()])
            conn.execute(stmt.on_conflict_do_update(index_elements=["space", "term"],
                                                    set_={"df": terms_table.c.df + stmt.excluded.df}))
            conn.execute(terms_table.delete().where(terms_table.c.space == self.space, terms_table.c.df <= 0))
        if docs or length:
            stmt = insert(corpus).values(space=self.space, n_docs=docs, total_length=length)
            conn.execute(stmt.on_conflict_do_update(index_elements=["space"], set_={
                "n_docs": corpus.c.n_docs + stmt.excluded.n_docs,
                "total_length": corpus.c.total_length + stmt.excluded.total_length}))

    def upsert_many(self, docs: Sequence[StoredDocument]) -> None:
        """Store or replace documents and their statistics in one transaction."""
        if not docs:
            return
        latest = {d.doc_id: d for d in docs}
        with self.engine.begin() as conn:
            self._write(conn, list(latest.values()))

    def _write(self, conn: Connection, docs: list[StoredDocument]) -> None:
        """Write documents inside an open transaction (see `upsert_many`)."""
        self._lock(conn)
        old = self._old_terms(conn, [d.doc_id for d in docs])
        df: Counter[str] = Counter()
        length = 0
        rows = []
        for doc in docs:
            counts = Counter(t for t in doc.tokens if t)
            if doc.doc_id in old:
                prev, prev_len = old[doc.doc_id]
                df.subtract(dict.fromkeys(prev, 1))
                length -= prev_len
            df.update(dict.fromkeys(counts, 1))
            length += sum(counts.values())
            if self.aux_dim and doc.aux_vector is None:
                raise ValueError("this index keeps auxiliary vectors: every document needs one")
            kind, record_id = split_doc_id(doc.doc_id)
            rows.append({"space": self.space, "doc_id": doc.doc_id, "kind": kind, "record_id": record_id,
                         "scenario": doc.scenario or None, "stamp": doc.stamp, "content_hash": doc.content_hash,
                         "embedding": vector_literal(doc.vector),
                         "aux_embedding": vector_literal(doc.aux_vector) if doc.aux_vector is not None else None,
                         "lexemes": sorted(counts), "term_counts": dict(counts), "length": sum(counts.values())})
        new_docs = len(docs) - len(old)
        stmt = text(
            "INSERT INTO search_document (space, doc_id, kind, record_id, scenario, stamp, content_hash, embedding,"
            " aux_embedding, terms, term_counts, length) VALUES (:space, :doc_id, :kind, :record_id, :scenario,"
            " :stamp, :content_hash, CAST(:embedding AS vector), CAST(:aux_embedding AS vector),"
            " array_to_tsvector(CAST(:lexemes AS text[])), :term_counts, :length)"
            " ON CONFLICT (space, doc_id) DO UPDATE SET kind = excluded.kind, record_id = excluded.record_id,"
            " scenario = excluded.scenario, stamp = excluded.stamp, content_hash = excluded.content_hash,"
            " embedding = excluded.embedding, aux_embedding = excluded.aux_embedding, terms = excluded.terms,"
            " term_counts = excluded.term_counts, length = excluded.length"
        ).bindparams(bindparam("term_counts", type_=JSONB), bindparam("lexemes", type_=ARRAY(Text)))
        conn.execute(stmt, rows)
        self._apply_stats(conn, df, new_docs, length)

    def remove_many(self, doc_ids: Iterable[str]) -> int:
        """Remove documents and their share of the statistics in one transaction."""
        ids = sorted(set(map(str, doc_ids)))
        if not ids:
            return 0
        with self.engine.begin() as conn:
            self._lock(conn)
            old = self._old_terms(conn, ids)
            if not old:
                return 0
            conn.execute(documents.delete().where(documents.c.space == self.space,
                                                  documents.c.doc_id.in_(list(old))))
            df: Counter[str] = Counter()
            for counts, _ in old.values():
                df.subtract(dict.fromkeys(counts, 1))
            self._apply_stats(conn, df, -len(old), -sum(n for _, n in old.values()))
        return len(old)

    def clear(self) -> None:
        """Remove every document of this space (the indexes stay)."""
        with self.engine.begin() as conn:
            self._lock(conn)
            for table in (documents, terms_table, corpus):
                conn.execute(table.delete().where(table.c.space == self.space))

    # ---- filters -----------------------------------------------------------------------------

    def where_records(self, selects: Mapping[str, Select[Any]]) -> RecordFilter:
        """A filter admitting, per kind, the records whose ids a select returns (evaluated by PostgreSQL)."""
        parts = [and_(documents.c.kind == kind, documents.c.record_id.in_(stmt.order_by(None)))
                 for kind, stmt in selects.items()]
        return RecordFilter(or_(*parts) if parts else documents.c.doc_id.is_(None), tuple(selects))

    def _where(self, allowed: Allowed) -> list[ColumnElement[bool]]:
        """The WHERE conditions of a search: this space, and the allowed documents."""
        conds: list[ColumnElement[bool]] = [documents.c.space == self.space]
        if isinstance(allowed, RecordFilter):
            conds.append(allowed.clause)
        elif allowed is not None:
            conds.append(_doc_id_in(sorted(map(str, allowed))))
        return conds

    @staticmethod
    def _empty(allowed: Allowed) -> bool:
        """Tell whether an allowed set admits nothing."""
        return allowed is not None and not isinstance(allowed, RecordFilter) and not allowed

    # ---- candidates --------------------------------------------------------------------------

    def _nearest(self, column: str, dim: int, vector: npt.NDArray[np.float32], k: int,
                 allowed: Allowed) -> Ranking:
        """Documents ordered by cosine distance of one vector column (HNSW, iterative scan under a filter)."""
        if k <= 0 or self._empty(allowed):
            return []
        distance = cast(documents.c[column], Vector(dim)).cosine_distance(
            bindparam("q", np.asarray(vector, dtype=np.float32), type_=Vector(dim)))
        stmt = (select(documents.c.doc_id, distance.label("distance")).where(*self._where(allowed))
                .order_by(distance).limit(k))
        ef = SMALL_EF_SEARCH if k <= SMALL_K else max(self.ef_search, min(1000, int(EF_PER_RESULT * k)))
        with self.engine.begin() as conn:
            conn.execute(text("SELECT set_config('hnsw.ef_search', :ef, true),"  # one round trip for the three
                              " set_config('hnsw.iterative_scan', 'relaxed_order', true),"
                              " set_config('hnsw.max_scan_tuples', :tuples, true)"),
                         {"ef": str(ef), "tuples": str(MAX_SCAN_TUPLES)})
            rows = conn.execute(stmt).all()
        pairs = [(d, 1.0 - float(dist)) for d, dist in rows]
        pairs.sort(key=lambda p: (-p[1], p[0]))
        return pairs

    def dense(self, vector: npt.NDArray[np.float32], k: int, allowed: Allowed = None) -> Ranking:
        """Nearest documents by cosine."""
        return self._nearest("embedding", self.dim, vector, k, allowed)

    def aux_dense(self, vector: npt.NDArray[np.float32], k: int, allowed: Allowed = None) -> Ranking:
        """Nearest documents by the auxiliary encoder's cosine."""
        if not self.aux_dim:
            return []
        return self._nearest("aux_embedding", self.aux_dim, vector, k, allowed)

    def _stats(self, conn: Connection, terms: Sequence[str]) -> tuple[int, float, dict[str, int]]:
        """(documents, average length, {term: df}) for some terms."""
        wanted = terms_table.c.term.in_(list(terms)) if terms else false()
        rows = conn.execute(  # one round trip: the corpus row, joined to the rows of the terms it has
            select(corpus.c.n_docs, corpus.c.total_length, terms_table.c.term, terms_table.c.df)
            .select_from(corpus.outerjoin(terms_table, and_(terms_table.c.space == corpus.c.space, wanted)))
            .where(corpus.c.space == self.space)).all()
        n, total = (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)
        df = {t: int(d) for _, _, t, d in rows if t is not None}
        return n, (total / n if n else 0.0), df

    def lexical(self, terms: Mapping[str, float], k: int, allowed: Allowed = None) -> Ranking:
        """BM25 (lucene variant, k1 1.5, b 0.75) over GIN-selected candidates, summed in SQL."""
        wanted = {t: float(w) for t, w in terms.items() if t and w > 0}
        if k <= 0 or not wanted or self._empty(allowed):
            return []
        with self.engine.connect() as conn:
            n, avgdl, df = self._stats(conn, list(wanted))
            known = [t for t in wanted if df.get(t, 0) > 0]
            if not known or n == 0:
                return []
            common = max(COMMON_TERM_MIN, COMMON_TERM_SHARE * n)
            picking = [t for t in known if df[t] <= common] or known
            if n > EXACT_LEXICAL_DOCS:  # a large corpus: the query's own terms pick, expansion terms only score
                picking = rarest(sorted([t for t in picking if wanted[t] >= 1.0] or picking, key=lambda t: df[t]),
                                 df, LEXICAL_PICK_ROWS)
            tsq = cast(bindparam("tsq", tsquery_of(picking)), TSQUERY)
            candidates = (select(documents.c.doc_id, documents.c.term_counts, documents.c.length)
                          .where(*self._where(allowed), documents.c.terms.bool_op("@@")(tsq)))
            if n > EXACT_LEXICAL_DOCS:
                # At most this many candidates: those holding the most of the query's own terms, shorter first, as
                # BM25 ranks them. The stored tsvector has no counts, so ranking by the picking terms alone (often
                # one rare term) tied thousands of rows and kept an arbitrary 600: at 100k documents they held
                # 33 % of the full score's top 100 over twelve queries; now 72 %, at the same cost.
                own = [t for t in known if wanted[t] >= 1.0] or known
                own_tsq = cast(bindparam("own_tsq", tsquery_of(own)), TSQUERY)
                candidates = candidates.order_by(func.ts_rank(documents.c.terms, own_tsq).desc(), documents.c.length,
                                                 documents.c.doc_id).limit(LEXICAL_CANDIDATES)
            cand = candidates.subquery("cand")
            q = func.unnest(bindparam("terms", known, type_=ARRAY(Text)),
                            bindparam("weights", [wanted[t] * bm25_idf(n, df[t]) for t in known],
                                      type_=ARRAY(Float))).table_valued(
                column("term", Text), column("w", Float)).render_derived(name="q")
            each = func.jsonb_each_text(cand.c.term_counts).table_valued("key", "value").lateral("e")
            tf = each.c.value.cast(Float)
            norm = K1 * (1 - B + B * cand.c.length / max(avgdl, 1e-9))
            score = func.sum(q.c.w * tf / (tf + norm)).label("score")
            stmt = (select(cand.c.doc_id, score)  # each candidate's own terms, hash-joined to the query's
                    .select_from(cand.join(each, true()).join(q, q.c.term == each.c.key))
                    .group_by(cand.c.doc_id).order_by(score.desc(), cand.c.doc_id).limit(k))
            rows = conn.execute(stmt).all()
        return [(d, float(sc)) for d, sc in rows if sc and sc > 0]

    def bm25(self, terms: Mapping[str, float], doc_ids: Sequence[str],
             counts: Mapping[str, Counter[str]], lengths: Mapping[str, int] | None = None) -> dict[str, float]:
        """BM25 of the given documents from their term counts and one read of the statistics: the formula `lexical`
        sums in SQL (a document's length is its stored length, else the sum of its counts, as `_write` stores
        it)."""
        wanted = {t: float(w) for t, w in terms.items() if t and w > 0}
        if not wanted or not doc_ids:
            return {}
        with self.engine.connect() as conn:
            n, avgdl, df = self._stats(conn, list(wanted))
        weights = {t: wanted[t] * bm25_idf(n, df[t]) for t in wanted if df.get(t, 0) > 0}
        out: dict[str, float] = {}
        for doc_id in doc_ids:
            doc = counts.get(doc_id)
            if not doc:
                continue
            length = lengths[doc_id] if lengths is not None else sum(doc.values())
            norm = K1 * (1 - B + B * length / max(avgdl, 1e-9))
            score = sum(w * doc[t] / (doc[t] + norm) for t, w in weights.items() if doc.get(t))
            if score > 0:
                out[doc_id] = score
        return out

    # ---- what is stored about given documents --------------------------------------------------

    def _rows(self, doc_ids: Sequence[str], *columns: Any) -> list[Any]:
        """Some columns of the given documents."""
        if not doc_ids:
            return []
        with self.engine.connect() as conn:
            return list(conn.execute(select(documents.c.doc_id, *columns).where(
                documents.c.space == self.space, _doc_id_in(list(dict.fromkeys(doc_ids))))))

    def vectors(self, doc_ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Stored vectors (read in pgvector's binary form)."""
        rows = self._rows(doc_ids, func.vector_send(literal_column("search_document.embedding")))
        return {d: parse_vector(v) for d, v in rows}

    def aux_vectors(self, doc_ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Stored auxiliary vectors."""
        if not self.aux_dim:
            return {}
        rows = self._rows(doc_ids, func.vector_send(literal_column("search_document.aux_embedding")))
        return {d: parse_vector(v) for d, v in rows if v is not None}

    def scenarios(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Primary scenario codes."""
        return {d: s for d, s in self._rows(doc_ids, documents.c.scenario) if s}

    def term_counts(self, doc_ids: Sequence[str]) -> dict[str, Counter[str]]:
        """Term counts from the JSON column."""
        return {d: _counter(counts) for d, counts in self._rows(doc_ids, documents.c.term_counts)}

    def facts(self, doc_ids: Sequence[str], vector: npt.NDArray[np.float32] | None = None,
              aux_vector: npt.NDArray[np.float32] | None = None, terms: Sequence[str] | None = None) -> DocumentFacts:
        """Vectors, auxiliary vectors, scenarios and term counts of the given documents, in one query. With the
        query's vectors, PostgreSQL computes their cosines and sends the vectors only of documents without a
        scenario code (a pool of 600 candidates is 2 MB of vectors otherwise). With the query's terms, it sends the
        counts of those terms only, with each document's length and number of distinct terms."""
        embedding: ColumnElement[Any] = literal_column("search_document.embedding")
        aux_column: ColumnElement[Any] = literal_column("search_document.aux_embedding")
        columns: list[Any] = [documents.c.scenario.label("scenario")]
        asked = sorted(set(terms)) if terms is not None else []
        if terms is not None:
            # each query term's count looked up in the JSON (not the whole object expanded and filtered), sent as
            # integers in the order asked: a third of the cost of the JSON form, on both sides of the wire
            each = (func.unnest(bindparam("query_terms", asked, type_=ARRAY(Text)))
                    .table_valued("term", with_ordinality="at").render_derived(name="asked"))
            count = func.coalesce(cast(documents.c.term_counts.op("->>")(each.c.term), Integer), 0)
            in_order = select(count).select_from(each).order_by(each.c.at).scalar_subquery()
            columns += [func.array(in_order).label("counts"),
                        documents.c.length.label("length"), func.length(documents.c.terms).label("distinct_terms")]
        else:
            columns.append(documents.c.term_counts.label("counts"))
        with_aux_cosines = vector is not None and bool(self.aux_dim) and aux_vector is not None
        if vector is None:
            columns += [func.vector_send(embedding).label("vector"),
                        (func.vector_send(aux_column) if self.aux_dim else literal_column("NULL")).label("aux")]
        else:
            q = bindparam("q", np.asarray(vector, dtype=np.float32), type_=Vector(self.dim))
            aux_cosine: ColumnElement[Any] = literal_column("NULL")
            if with_aux_cosines:
                aq = bindparam("aq", np.asarray(aux_vector, dtype=np.float32), type_=Vector(self.aux_dim))
                aux_cosine = 1 - cast(aux_column, Vector(self.aux_dim)).cosine_distance(aq)
            columns += [(1 - cast(embedding, Vector(self.dim)).cosine_distance(q)).label("cosine"),
                        aux_cosine.label("aux_cosine"),
                        case((documents.c.scenario.is_(None), func.vector_send(embedding)), else_=None).label("vector")]
        rows = self._rows(doc_ids, *columns)
        scenarios = {r.doc_id: r.scenario for r in rows if r.scenario}
        lengths: dict[str, int] | None = None
        distinct: dict[str, int] | None = None
        if terms is not None:
            counts = {r.doc_id: Counter({t: c for t, c in zip(asked, r.counts, strict=True) if c}) for r in rows}
            lengths = {r.doc_id: int(r.length) for r in rows}
            distinct = {r.doc_id: int(r.distinct_terms) for r in rows}
        else:
            counts = {r.doc_id: _counter(r.counts) for r in rows}
        if vector is None:
            return DocumentFacts({r.doc_id: parse_vector(r.vector) for r in rows},
                                 {r.doc_id: parse_vector(r.aux) for r in rows if r.aux is not None},
                                 scenarios, counts, lengths=lengths, distinct=distinct)
        return DocumentFacts({r.doc_id: parse_vector(r.vector) for r in rows if r.vector is not None}, {},
                             scenarios, counts, cosines={r.doc_id: float(r.cosine) for r in rows},
                             aux_cosines=({r.doc_id: float(r.aux_cosine) for r in rows if r.aux_cosine is not None}
                                          if with_aux_cosines else None), lengths=lengths, distinct=distinct)

    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        """IDFs from the stored document frequencies (0 for a term no document has)."""
        terms = list(dict.fromkeys(terms))
        with self.engine.connect() as conn:
            n, _, df = self._stats(conn, terms)
        return {t: bm25_idf(n, df[t]) if df.get(t) else 0.0 for t in terms}

    def self_score(self, terms: Iterable[str]) -> float:
        """As the base class computes it, from one read of the statistics."""
        terms = list(dict.fromkeys(terms))
        with self.engine.connect() as conn:
            n, _, df = self._stats(conn, terms)
        return sum(bm25_idf(n, df[t]) if df.get(t) else bm25_idf(n, 0.0) for t in terms)

    def n_docs(self) -> int:
        """Documents of this space."""
        with self.engine.connect() as conn:
            return self._stats(conn, [])[0]
