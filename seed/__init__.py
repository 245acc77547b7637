"""Realistic Guangdong demo data and its loader."""
