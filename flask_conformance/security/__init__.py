"""Judgements about session cookies and keys, with no pytest in them."""
