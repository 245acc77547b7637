"""The vectors of indexed documents, kept by content: encode a text once per encoder space, ever.

Before anything is encoded, the engine asks `vectors_for` which texts (by SHA-256 of the text as encoded) are
already stored in `search_vector` for its encoder space; only the others go through the models, batch by
batch, and each batch is committed at once, so an interrupted rebuild or encoder switch resumes where it
stopped and another worker process encoding the same catalogue reuses what this one stored.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from embeddings import HybridIndex
from embeddings.text import collapse_repeats
from marketplace.accounts.models import utcnow
from marketplace.matching.models import StoredVector

BATCH = 256
LOOKUP_CHUNK = 500
Vectors = npt.NDArray[np.float32]


def content_hash(text: str) -> str:
    """The key of a document's text as the encoder sees it (repeats collapsed)."""
    return hashlib.sha256(collapse_repeats(text or "").encode("utf-8")).hexdigest()


def _pack(vector: Vectors) -> bytes:
    """A vector as little-endian float32 bytes."""
    return np.asarray(vector, dtype="<f4").tobytes()


def _unpack(raw: bytes) -> Vectors:
    """A vector from `_pack`."""
    return np.frombuffer(raw, dtype="<f4").astype(np.float32)


def lookup(engine: Engine, space: str, hashes: Sequence[str]) -> dict[str, tuple[Vectors, Vectors | None]]:
    """The stored vectors of some content hashes in a space."""
    found: dict[str, tuple[Vectors, Vectors | None]] = {}
    wanted = list(dict.fromkeys(hashes))
    table = StoredVector.__table__
    with engine.connect() as conn:
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start:start + LOOKUP_CHUNK]
            rows = conn.execute(select(table.c.content_hash, table.c.vector, table.c.aux_vector).where(
                table.c.space == space, table.c.content_hash.in_(chunk)))
            for key, vector, aux in rows:
                found[key] = (_unpack(vector), _unpack(aux) if aux is not None else None)
    return found


def store(engine: Engine, space: str, rows: dict[str, tuple[Vectors, Vectors | None]]) -> None:
    """Keep newly encoded vectors (a row another process stored meanwhile is left as it is)."""
    if not rows:
        return
    values = [{"space": space, "content_hash": key, "vector": _pack(vec),
               "aux_vector": _pack(aux) if aux is not None else None, "created_at": utcnow()}
              for key, (vec, aux) in rows.items()]
    insert = postgresql.insert(StoredVector) if engine.dialect.name == "postgresql" else sqlite.insert(StoredVector)
    with engine.begin() as conn:
        conn.execute(insert.on_conflict_do_nothing(index_elements=["space", "content_hash"]), values)


def vectors_for(engine: Engine, index: HybridIndex, texts: Sequence[str],
                progress: Callable[[int, int], None] | None = None,
                ) -> tuple[Vectors, Vectors | None, list[str], int]:
    """(vectors, auxiliary vectors, content hashes, how many were encoded) for texts, stored ones reused."""
    space = index.backend.space
    hashes = [content_hash(t) for t in texts]
    known = lookup(engine, space, hashes)
    missing = list(dict.fromkeys(h for h in hashes if h not in known))
    text_of = dict(zip(hashes, texts, strict=True))
    done = len(texts) - sum(1 for h in hashes if h not in known)
    if progress is not None:
        progress(done, len(texts))
    for start in range(0, len(missing), BATCH):
        batch = missing[start:start + BATCH]
        batch_texts = [text_of[h] for h in batch]
        vecs = index.passage_vectors(batch_texts)
        aux = index.aux_passage_vectors(batch_texts)
        fresh = {h: (vecs[i], aux[i] if aux is not None else None) for i, h in enumerate(batch)}
        store(engine, space, fresh)
        known.update(fresh)
        done += sum(1 for h in hashes if h in fresh)
        if progress is not None:
            progress(done, len(texts))
    dim = index.encoder.dim
    vectors = np.vstack([known[h][0] for h in hashes]) if hashes else np.zeros((0, dim), np.float32)
    aux_rows = [known[h][1] for h in hashes]
    aux_vectors = (np.vstack([a for a in aux_rows if a is not None])
                   if index.aux_encoder is not None and hashes and all(a is not None for a in aux_rows) else None)
    if index.aux_encoder is not None and hashes and aux_vectors is None:
        aux_vectors = index.aux_passage_vectors(list(texts))  # stored before the index had an auxiliary encoder
    return vectors, aux_vectors, hashes, len(missing)
