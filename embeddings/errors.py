"""Exceptions raised by the index files: one base class and the two ways a file can be unusable."""
from __future__ import annotations


class IndexFileError(Exception):
    """An index file on disk cannot be used; rebuild the index from the database."""


class IndexCorrupt(IndexFileError):
    """The file is truncated, damaged, or not an index file at all."""


class IndexMismatch(IndexFileError):
    """The file is a valid index, but for another backend, model or dimension."""
