"""A disk cache of encoded vectors for experiments: encode a corpus or a query set once, reuse it.

`CachedEncoder` wraps a real encoder and has the same identity (backend, model id, dimension), so an
index built through it is the index the real encoder would build. Vectors are keyed by the SHA-1 of
(query or passage, text) in one file per model under the cache directory, which holds its own
`.gitignore` so it never ends up in a commit. Only evaluation and calibration use it; the app does not.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .encoder import Encoder
from .fsio import PathArg, atomic_write

DEFAULT_CACHE_DIR = Path("artifacts") / "vector-cache"


def _key(text: str, is_query: bool) -> str:
    """Cache key of one text on one side."""
    return hashlib.sha1(("q\0" if is_query else "p\0").encode() + text.encode("utf-8")).hexdigest()


class CachedEncoder(Encoder):
    """An encoder that answers from a disk cache and encodes only what it has not seen."""

    def __init__(self, inner: Encoder, directory: PathArg = DEFAULT_CACHE_DIR) -> None:
        super().__init__(cache_size=inner.cache_size, batch_size=inner.batch_size)
        self.inner = inner
        self.backend, self.model_id, self.dim = inner.backend, inner.model_id, inner.dim
        self.directory = Path(directory)
        self.path = self.directory / (re.sub(r"[^A-Za-z0-9._-]+", "_", inner.model_id) + ".npz")
        self._vectors: dict[str, npt.NDArray[np.float32]] = {}
        self._dirty = False
        self.encoded = 0
        if self.path.exists():
            with np.load(self.path) as data:
                for key, row in zip(data["keys"].tolist(), data["vectors"], strict=True):
                    self._vectors[str(key)] = np.asarray(row, dtype=np.float32)

    def _encode(self, texts: list[str], is_query: bool) -> npt.NDArray[np.float32]:
        """Cached rows, encoding the missing texts with the wrapped model."""
        keys = [_key(t, is_query) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self._vectors]
        if missing:
            fresh = self.inner.query([texts[i] for i in missing]) if is_query else \
                self.inner.passage([texts[i] for i in missing])
            for i, row in zip(missing, fresh, strict=True):
                self._vectors[keys[i]] = np.asarray(row, dtype=np.float32)
            self.encoded += len(missing)
            self._dirty = True
        return np.vstack([self._vectors[k] for k in keys])

    def save(self) -> None:
        """Write the cache if anything new was encoded."""
        if not self._dirty:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        keys = list(self._vectors)
        tmp = self.path.with_name(self.path.stem + ".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.vstack([self._vectors[k] for k in keys]))
        atomic_write(self.path, [tmp.read_bytes()])
        tmp.unlink()
        self._dirty = False
