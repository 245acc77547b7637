"""On-disk primitives: crash-safe writes (temp file, fsync, rename, fsync dir), a checksummed container,
and an exclusive file lock so that one process at a time builds an index.

The container is one file: an 8-byte magic, a JSON header (format, identity, section table,
sha256 of the payload) and the raw sections. Any truncation, foreign file or bit flip is
reported as `IndexCorrupt` before a single byte is trusted.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias

import numpy as np
import numpy.typing as npt

from .errors import IndexCorrupt

TMP_PREFIX = ".tmp-"

PathArg: TypeAlias = str | os.PathLike[str]
Header: TypeAlias = dict[str, Any]
"""A container's JSON header: the caller's identity fields plus the section table and checksum."""
Section: TypeAlias = bytes | npt.NDArray[np.generic]
"""One named section of a container: raw bytes, or an array stored with its dtype and shape."""


def fsync_dir(path: PathArg) -> None:
    """Flush a directory entry (new or renamed files) to disk; a no-op where unsupported."""
    try:
        fd = os.open(os.fspath(path), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: PathArg, chunks: Iterable[bytes | memoryview[int]]) -> None:
    """Write `chunks` to `path` so that readers see either the old file or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX + path.name + ".", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def atomic_write_json(path: PathArg, obj: object) -> None:
    """Write `obj` as UTF-8 JSON atomically."""
    atomic_write(path, [json.dumps(obj, ensure_ascii=False, sort_keys=True).encode("utf-8")])


def ids_checksum(ids: Iterable[str]) -> str:
    """Return the sha256 hex digest of the sorted document ids, for comparing an index with a database."""
    digest = hashlib.sha256()
    for doc_id in sorted(str(i) for i in ids):
        digest.update(doc_id.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


MAGIC = b"MSIDX\x00\x01\n"
CONTAINER_FORMAT = 1
_LEN = 8


def _as_bytes(value: Section) -> tuple[bytes | memoryview[int], dict[str, Any]]:
    """Raw bytes of a section and the dtype/shape needed to read it back."""
    if isinstance(value, np.ndarray):
        arr = np.ascontiguousarray(value)
        return arr.data.cast("B"), {"dtype": arr.dtype.str, "shape": list(arr.shape)}
    return bytes(value), {}


def write_container(path: PathArg, header: Header, sections: Mapping[str, Section]) -> None:
    """Atomically write a checksummed single-file container: magic, JSON header, named sections."""
    blobs: list[bytes | memoryview[int]] = []
    specs: list[dict[str, Any]] = []
    offset = 0
    digest = hashlib.sha256()
    for name, value in sections.items():
        raw, spec = _as_bytes(value)
        specs.append({"name": name, "offset": offset, "length": len(raw), **spec})
        digest.update(raw)
        blobs.append(raw)
        offset += len(raw)
    head = dict(header, container=CONTAINER_FORMAT, sections=specs, payload_bytes=offset,
                payload_sha256=digest.hexdigest())
    head_raw = json.dumps(head, ensure_ascii=False, sort_keys=True).encode("utf-8")
    atomic_write(path, [MAGIC, len(head_raw).to_bytes(_LEN, "little"), head_raw, *blobs])


def read_header(path: PathArg) -> Header:
    """Read and return only the JSON header of a container; raises IndexCorrupt if unreadable."""
    with open(path, "rb") as fh:
        return _read_head(fh, os.fstat(fh.fileno()).st_size)[0]


def _read_head(fh: BinaryIO, size: int) -> tuple[Header, int]:
    """Parse magic and header from an open file; returns the header and the payload offset."""
    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        raise IndexCorrupt("not an index file (bad magic)")
    raw_len = fh.read(_LEN)
    if len(raw_len) != _LEN:
        raise IndexCorrupt("truncated index file (no header length)")
    head_len = int.from_bytes(raw_len, "little")
    start = len(MAGIC) + _LEN
    if head_len <= 0 or start + head_len > size:
        raise IndexCorrupt("truncated index file (header)")
    try:
        head = json.loads(fh.read(head_len).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise IndexCorrupt(f"unreadable index header: {exc}") from None
    if not isinstance(head, dict) or head.get("container") != CONTAINER_FORMAT:
        raise IndexCorrupt("unsupported index container format")
    payload = start + head_len
    if payload + int(head.get("payload_bytes", -1)) != size:
        raise IndexCorrupt(f"index file size {size} does not match its header (truncated or padded)")
    return head, payload


def read_container(path: PathArg) -> tuple[Header, dict[str, Section]]:
    """Read a container, verify its checksum, and return (header, sections)."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            head, _ = _read_head(fh, size)
            payload = fh.read()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise IndexCorrupt(f"cannot read index file: {exc}") from None
    if hashlib.sha256(payload).hexdigest() != head.get("payload_sha256"):
        raise IndexCorrupt("index file checksum mismatch (damaged)")
    sections: dict[str, Section] = {}
    view = memoryview(payload)
    try:
        for spec in head["sections"]:
            chunk = view[spec["offset"]:spec["offset"] + spec["length"]]
            if "dtype" in spec:
                sections[spec["name"]] = np.frombuffer(chunk, dtype=np.dtype(spec["dtype"])).reshape(spec["shape"])
            else:
                sections[spec["name"]] = bytes(chunk)
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexCorrupt(f"malformed index sections: {exc}") from None
    return head, sections


def section_bytes(sections: Mapping[str, Section], name: str) -> bytes:
    """Return a raw-bytes section; KeyError if it is missing, TypeError if it was stored as an array."""
    value = sections[name]
    if not isinstance(value, bytes):
        raise TypeError(f"section {name!r} holds an array, not bytes")
    return value


@contextlib.contextmanager
def exclusive_lock(path: PathArg, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (created if missing) for the block.

    The lock (`flock`) excludes other processes and other threads of this process alike, since each
    holder opens the file itself. It is released when the block ends or the process dies, so a crash
    never leaves it held. `on_wait` is called once if the lock is busy, before blocking on it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)
