"""Trust: what an organisation may do before and after a promotion center has verified it."""
