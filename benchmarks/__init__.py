"""Runnable benchmarks: one module per question, each printing its measurements and ratios."""
