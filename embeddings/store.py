"""On-disk layout of a saved HybridIndex: versioned generation directories behind an atomic manifest.

    DIRECTORY/manifest.json         {"version": N, "generation": "v0000000N", backend, model_id, dim,
                                     count, ids_sha256, saved_at}
    DIRECTORY/v0000000N/vector.idx  FAISS index + id table (checksummed container)
    DIRECTORY/v0000000N/lexical.idx BM25 segments + tokens (checksummed container)
    DIRECTORY/v0000000N/docs.json   per-document scenario codes
    DIRECTORY/v0000000N/aux.idx     vectors of the auxiliary encoder, when the index has one
                                    (the manifest's "aux" names it; an index saved without it, or
                                    with another, does not load into one that has it: rebuild)

A save writes a complete generation under a temporary name, renames it into place, then replaces
`manifest.json` atomically, so a reader sees either the old or the new index, never a mix. The
previous generation is kept for readers still loading it; older ones are deleted. Versions only grow.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .encoder import EncoderInfo
from .errors import IndexCorrupt, IndexMismatch
from .fsio import TMP_PREFIX, Header, Section, atomic_write_json, fsync_dir, ids_checksum, write_container
from .lexical import LexicalIndex, LexicalOptions
from .vector import VectorIndex, VectorOptions

MANIFEST = "manifest.json"
FORMAT = 1
STALE_TMP_SECONDS = 3600


def read_manifest(root: Path) -> dict[str, Any] | None:
    """Return the saved manifest, or None if there is none or it is unreadable."""
    try:
        with open(root / MANIFEST, encoding="utf-8") as fh:
            manifest = json.load(fh)
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def manifest_version(root: Path) -> int:
    """Return the saved version (0 if nothing usable is saved)."""
    manifest = read_manifest(root)
    try:
        return int(manifest["version"]) if manifest else 0
    except (KeyError, TypeError, ValueError):
        return 0


def write_generation(root: Path, version: int, vector: tuple[Header, Mapping[str, Section]],
                     lexical: tuple[Header, Mapping[str, Section]], docs: Mapping[str, object],
                     identity: EncoderInfo, ids: list[str],
                     aux: tuple[Header, Mapping[str, Section]] | None = None,
                     aux_identity: EncoderInfo | None = None) -> None:
    """Write generation `version` from (header, sections) snapshots, then switch the manifest to it."""
    root.mkdir(parents=True, exist_ok=True)
    name = f"v{version:08d}"
    tmp = root / f"{TMP_PREFIX}{name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    write_container(tmp / "vector.idx", *vector)
    write_container(tmp / "lexical.idx", *lexical)
    atomic_write_json(tmp / "docs.json", docs)
    if aux is not None:
        write_container(tmp / "aux.idx", *aux)
    fsync_dir(tmp)
    final = root / name
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    fsync_dir(root)
    manifest = {"format": FORMAT, "version": version, "generation": name, **identity,
                "count": len(ids), "ids_sha256": ids_checksum(ids),
                **({"aux": dict(aux_identity)} if aux is not None and aux_identity is not None else {}),
                "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    atomic_write_json(root / MANIFEST, manifest)
    prune(root, keep={name, f"v{version - 1:08d}"})


def prune(root: Path, keep: set[str]) -> None:
    """Delete generations not in `keep`, and temporary directories left by crashed saves."""
    for entry in root.iterdir():
        if not entry.is_dir():
            continue
        if entry.name.startswith(TMP_PREFIX):
            if time.time() - entry.stat().st_mtime > STALE_TMP_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith("v") and entry.name[1:].isdigit() and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


def load_generation(root: Path, manifest: Mapping[str, Any], identity: EncoderInfo,
                    vector_options: VectorOptions | None = None,
                    lexical_options: LexicalOptions | None = None,
                    aux_identity: EncoderInfo | None = None,
                    ) -> tuple[VectorIndex, LexicalIndex, dict[str, str], VectorIndex | None]:
    """Load and cross-check the generation a manifest points to; returns (vector, lexical, scenarios, aux)."""
    fields: Mapping[str, object] = identity
    for key in ("backend", "model_id", "dim"):
        if manifest.get(key) != fields[key]:
            raise IndexMismatch(f"saved index {key} is {manifest.get(key)!r}, encoder has {fields[key]!r}")
    if (dict(aux_identity) if aux_identity is not None else None) != manifest.get("aux"):
        raise IndexMismatch(f"saved index auxiliary encoder is {manifest.get('aux')!r}, index has {aux_identity!r}")
    gen = root / str(manifest.get("generation", ""))
    if not manifest.get("generation") or not gen.is_dir():
        raise FileNotFoundError(f"index generation {gen.name} is missing")
    vector = VectorIndex.load(gen / "vector.idx", **identity, **(vector_options or {}))
    lexical = LexicalIndex.load(gen, **(lexical_options or {}))
    try:
        with open(gen / "docs.json", encoding="utf-8") as fh:
            docs = json.load(fh)
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"unreadable docs.json: {exc}") from None
    vec_ids = vector.ids()
    checksum = ids_checksum(vec_ids)
    if checksum != manifest.get("ids_sha256") or len(vec_ids) != manifest.get("count"):
        raise IndexCorrupt("vector index ids do not match the manifest")
    if ids_checksum(lexical.ids()) != checksum:
        raise IndexCorrupt("lexical and vector indexes hold different documents")
    aux = None
    if aux_identity is not None:
        aux = VectorIndex.load(gen / "aux.idx", **aux_identity)
        if ids_checksum(aux.ids()) != checksum:
            raise IndexCorrupt("auxiliary and vector indexes hold different documents")
    return vector, lexical, dict(docs.get("scenarios", {})), aux
