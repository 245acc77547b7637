"""Semantic matching for the marketplace: encoders, dense and lexical indexes, fusion, evaluation."""
