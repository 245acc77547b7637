"""Defaults chosen by measurement (see the module docstring of each constant's user)."""
from __future__ import annotations

DEFAULT_BACKEND = "e5"
DEFAULT_WEIGHTS = {"dense": 0.6, "lexical": 0.4}
DEFAULT_SCENARIO_BOOST = 0.15
DEFAULT_CANDIDATES = 100
